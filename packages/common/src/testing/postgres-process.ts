import { fork } from 'node:child_process';
import path from 'node:path';

/** An embedded PostgreSQL in a process of its own (postgres-child.ts), for tests that stop and restart it. */
export interface PostgresProcess {
  adminUrl: string;
  /** The server's process id (the postmaster), while it runs. */
  pid: number | undefined;
  /** Stops the server, keeping its data: `immediate` as in a crash (recovery at the next start), `fast` cleanly. */
  halt(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  /** Stops it for good and deletes its data. */
  stop(): Promise<void>;
}

export async function startPostgresProcess(options: { dataDir: string; port: number }): Promise<PostgresProcess> {
  const child = fork(path.join(__dirname, 'postgres-child.js'), [JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (pid: number | undefined) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let pid: number | undefined;
  const started = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the PostgreSQL process exited (code ${code}) before it was ready`)));
    child.on('message', (message: { ready?: boolean; adminUrl?: string; pid?: number; id?: number; ok?: boolean; error?: string }) => {
      if (message.ready === true) {
        pid = message.pid;
        resolve(message.adminUrl!);
      } else if (message.ready === false) {
        reject(new Error(message.error));
      } else if (message.id !== undefined) {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.pid);
        else waiting?.reject(new Error(message.error));
      }
    });
  });
  const adminUrl = await started;
  const request = (command: 'halt' | 'resume' | 'stop', mode?: 'fast' | 'immediate') =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, {
        resolve: (newPid) => {
          pid = newPid;
          resolve();
        },
        reject,
      });
      child.send({ id, command, mode });
    });
  return {
    adminUrl,
    get pid() {
      return pid;
    },
    halt: (mode) => request('halt', mode),
    resume: () => request('resume'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await request('stop').catch(() => undefined);
      child.disconnect();
      await exited;
    },
  };
}
