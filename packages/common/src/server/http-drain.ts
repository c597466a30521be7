import http from 'node:http';
import { Socket } from 'node:net';

export interface HttpDrain {
  /** True from the moment drain() is called: /ready answers 503, responses close their connection. */
  readonly draining: boolean;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /**
   * Stops the server gracefully: no new connections (the listening socket closes, so a new connection is refused),
   * idle keep-alive connections closed at once, requests in flight answered in full (their connections close after
   * the response; a request arriving on a kept-alive connection meanwhile is still answered, with
   * `Connection: close`). After `timeoutMs` whatever is still open is closed, requests in flight cut off. Resolves
   * when every connection is closed, with the number of requests that were cut off (0: a graceful stop).
   */
  drain(timeoutMs: number): Promise<{ cutOff: number }>;
}

/** A connection that was told to close is given this long to do so on its own (the client's FIN) before it is destroyed. */
const LINGER_MS = 1_000;

/**
 * Tracks the connections and requests of an HTTP server for a graceful stop (see HttpDrain.drain). Used by the
 * gateway and the subgraphs instead of Apollo's drain plugin, which waits up to its full grace period (10 s) for
 * clients to close connections it has half-closed, and then destroys requests in flight too.
 */
export function trackHttpServer(server: http.Server): HttpDrain {
  /** Requests in flight per connection (0: idle). */
  const requests = new Map<Socket, number>();
  let draining = false;

  const closeSoon = (socket: Socket) => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };

  server.on('connection', (socket: Socket) => {
    requests.set(socket, 0);
    socket.once('close', () => requests.delete(socket));
  });
  // Before the application's own listener, so that the header is set before anything is written.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    requests.set(socket, (requests.get(socket) ?? 0) + 1);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      if (!requests.has(socket)) return;
      const left = Math.max(0, (requests.get(socket) ?? 1) - 1);
      requests.set(socket, left);
      if (draining && left === 0) closeSoon(socket);
    });
  });

  return {
    get draining() {
      return draining;
    },
    inFlight: () => [...requests.values()].reduce((sum, n) => sum + n, 0),
    async drain(timeoutMs: number) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, inFlight] of requests) if (inFlight === 0) socket.destroy();
      let cutOff = 0;
      const timer = setTimeout(() => {
        for (const [socket, inFlight] of requests) {
          cutOff += inFlight;
          socket.destroy();
        }
      }, timeoutMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
      }
      return { cutOff };
    },
  };
}
