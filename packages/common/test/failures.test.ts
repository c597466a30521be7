import http from 'node:http';
import { AddressInfo } from 'node:net';
import net from 'node:net';
import { databaseFailure, databaseUnavailableError, formatError, trackHttpServer, waitUntil } from '../src';

describe('database failures (SERVICE_UNAVAILABLE)', () => {
  const pg = (code: string, message: string) => Object.assign(new Error(message), { code });
  const typeorm = (driverError: unknown) => Object.assign(new Error('query failed'), { driverError });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }), 'unavailable'],
    ['a lost connection', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['a server shut down by its administrator', pg('57P01', 'terminating connection due to administrator command'), 'unavailable'],
    ['a server starting up', pg('57P03', 'the database system is starting up'), 'unavailable'],
    ['a connection exception (class 08)', pg('08006', 'connection failure'), 'unavailable'],
    ['the same wrapped by TypeORM', typeorm(pg('57P01', 'terminating connection due to administrator command')), 'unavailable'],
    ['no connection within DB_CONNECT_TIMEOUT_MS', new Error('timeout exceeded when trying to connect'), 'timeout'],
    ['a statement past DB_STATEMENT_TIMEOUT_MS', typeorm(pg('57014', 'canceling statement due to statement timeout')), 'timeout'],
  ])('%s is a database failure', (_what, error, expected) => {
    expect(databaseFailure(error)).toBe(expected);
  });

  it.each([
    ['a unique violation', pg('23505', 'duplicate key value violates unique constraint')],
    ['a statement cancelled by a user', pg('57014', 'canceling statement due to user request')],
    ['a bug', new TypeError('x is undefined')],
  ])('%s is not', (_what, error) => {
    expect(databaseFailure(error)).toBeNull();
  });

  it('tells the caller what happened without the address or the SQL, and is kept in production', () => {
    const error = databaseUnavailableError('cases', 'unavailable', { path: ['recordConsultation'] });
    expect(error.toJSON()).toEqual({
      message: 'The cases database is not reachable right now; nothing was changed. Try again shortly.',
      path: ['recordConsultation'],
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'database-unavailable', service: 'cases' },
    });
    expect(databaseUnavailableError('cases', 'unavailable', { duringCommit: true }).message).toMatch(/may or may not have been saved\. Retry with the same idempotencyKey/);
    const formatted = formatError(true)({ message: error.message, extensions: { code: 'SERVICE_UNAVAILABLE' } }, error);
    expect(formatted.message).toBe(error.message);
    const gateway = formatError(true)({ message: 'The referrals service is not reachable right now', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }, undefined);
    expect(gateway).toMatchObject({ message: 'The referrals service is not reachable right now', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  });
});

describe('waitUntil', () => {
  it('waits for work, but not past the deadline', async () => {
    expect(await waitUntil(new Promise((resolve) => setTimeout(resolve, 10)), Date.now() + 1_000)).toBe(true);
    expect(await waitUntil(new Promise(() => undefined), Date.now() + 20)).toBe(false);
    expect(await waitUntil(Promise.reject(new Error('failed')), Date.now() + 20)).toBe(true);
    expect(await waitUntil(undefined)).toBe(true);
  });
});

describe('the graceful stop of an HTTP server (trackHttpServer)', () => {
  /** A server whose /slow answers when told to. */
  async function start() {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = http.createServer((req, res) => {
      if (req.url === '/slow') released.then(() => res.end('complete'));
      else res.end('ok');
    });
    const drain = trackHttpServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, drain, release, port: (server.address() as AddressInfo).port };
  }
  const refused = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });

  it('refuses new connections, closes idle ones at once and answers the request in flight in full', async () => {
    const { drain, release, port } = await start();
    const agent = new http.Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<{ body: string; connection?: string }>((resolve, reject) => {
        http.get({ port, host: '127.0.0.1', path, agent }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ body, connection: res.headers.connection }));
        }).on('error', reject);
      });
    expect((await get('/fast')).body).toBe('ok'); // leaves an idle keep-alive connection
    const slow = get('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drain.inFlight()).toBe(1);
    const drained = drain.drain(5_000);
    expect(drain.draining).toBe(true);
    expect(await refused(port)).toBe(true);
    release();
    expect(await slow).toMatchObject({ body: 'complete' });
    const began = Date.now();
    expect(await drained).toEqual({ cutOff: 0 });
    expect(Date.now() - began).toBeLessThan(2_000);
    agent.destroy();
  });

  it('cuts off what is still running at the timeout', async () => {
    const { drain, port } = await start();
    const slow = new Promise<string>((resolve) => {
      http.get({ port, host: '127.0.0.1', path: '/slow' }, () => resolve('answered')).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await drain.drain(100)).toEqual({ cutOff: 1 });
    expect(await slow).toBe('ECONNRESET');
  });
});
