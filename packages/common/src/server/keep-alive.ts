import http from 'node:http';

/**
 * Keep-alive between the processes without the race of an idle connection: a server closes an idle connection after
 * KEEP_ALIVE_TIMEOUT_MS (65 s), its clients (the gateway's agent) after IDLE_SOCKET_TIMEOUT_MS (60 s), so that a client
 * never sends a request on a connection the server is closing at that moment. With Node's default of 5 s on the server
 * and no idle limit on the client, the gateway's first request after 5 quiet seconds could meet a closing socket and
 * fail with "socket hang up" (seen in the benchmark). 65 s is also above the usual idle timeout of load balancers.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const IDLE_SOCKET_TIMEOUT_MS = 60_000;

export function keepConnectionsAlive(server: http.Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must be above keepAliveTimeout, or Node may close a connection while the next request's headers arrive.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
