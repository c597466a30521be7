import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  appUrl,
  databasePlan,
  DatabasePlan,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  embeddedClusterDir,
  ensureDevKeys,
  env,
  ownerUrl,
  provisionDatabase,
  randomPassword,
  REPOSITORY_ROOT,
  RunningPostgres,
  startEmbeddedPostgres,
} from '@integration-graph/common';

export const SERVICES = ['partners', 'cases', 'referrals'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type ProcessName = ServiceName | 'gateway';

/** How one child process ended (the launcher records every exit, expected or not). */
export interface ProcessExit {
  name: string;
  pid: number;
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() of the exit. */
  at: number;
  /** The launcher had to SIGKILL it (it did not stop within SHUTDOWN_TIMEOUT_MS plus the launcher's margin). */
  killed: boolean;
}

/** What the launcher's stop() did: the stages in order, each with its processes' exits. */
export interface StopReport {
  stages: { stage: 'gateway' | 'subgraphs' | 'postgres'; startedAt: number; endedAt: number; exits: ProcessExit[] }[];
}

export const DEFAULT_PORTS = { gateway: 4000, partners: 4001, cases: 4002, referrals: 4003, postgres: 54329 };

export interface PlatformOptions {
  /** Keys, credentials and (embedded) database cluster live here. */
  dataDir: string;
  /** A superuser connection to an external PostgreSQL; without it an embedded server runs in dataDir. */
  adminUrl?: string;
  ports: typeof DEFAULT_PORTS;
  /** Prefix of the database and role names (empty for the platform itself; tests use their own). */
  databasePrefix?: string;
  seedDemoData: boolean;
  /** Embedded cluster is removed on stop (tests). */
  ephemeral?: boolean;
  /** Development signing keys (default: keys/ in dataDir, generated when missing). */
  devKeysDir?: string;
  /**
   * Verify tokens against an identity provider's JWKS instead of the development keys, as in production
   * (NODE_ENV=production refuses AUTH_DEV_KEYS_DIR): the processes get AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE
   * and no AUTH_DEV_KEYS_DIR. Default: the development keys of devKeysDir.
   */
  auth?: { jwksUrl: string; issuer: string; audience: string };
  /** Extra environment for every child process. */
  env?: Record<string, string>;
  /**
   * The secret the gateway shows the subgraphs (GATEWAY_SHARED_SECRET). Default: the one in the environment if set,
   * otherwise a new random one for every start (nothing to keep: all four processes start and stop together).
   */
  gatewaySecret?: string;
  /** Every line the processes print, with the process's name. */
  onLine?: (process: string, line: string) => void;
  /** Progress messages of the launcher. */
  onProgress?: (message: string) => void;
}

export interface RunningPlatform {
  gatewayUrl: string;
  adminUrl: string;
  databases: Record<ServiceName, DatabasePlan>;
  devKeysDir: string;
  /** The subgraphs' own GraphQL URLs (they answer only callers with a valid token, or the gateway). */
  subgraphUrls: Record<ServiceName, string>;
  /** The secret the gateway sends the subgraphs (GATEWAY_SHARED_SECRET), for tests that play the gateway. */
  gatewaySecret: string;
  /** The child processes, for diagnostics and for tests that check nothing is left behind (pid updated by restart). */
  processes: { name: string; pid: number }[];
  /** Every exit of a child process so far, in order (a stop, a crash, a test's kill). */
  exits: ProcessExit[];
  /** The embedded PostgreSQL (none with adminUrl): the failure tests halt and resume it. */
  postgres?: RunningPostgres;
  /**
   * Starts one process again with the same settings on the same port, after stopping it (SIGTERM) if it still runs,
   * and waits until it is ready. The others keep running: the gateway finds a restarted subgraph by itself.
   */
  restart(name: ProcessName): Promise<void>;
  /**
   * Stops everything in order, each stage bounded (SHUTDOWN_TIMEOUT_MS plus 5 s, then SIGKILL): the gateway first
   * (no new requests come in; those in flight finish), then the three subgraphs together, then the embedded
   * PostgreSQL. Resolves with what happened (the stages and each process's exit).
   */
  stop(): Promise<StopReport>;
}

interface Child {
  name: string;
  entry: string;
  env: Record<string, string>;
  process: ChildProcess;
  exited: Promise<ProcessExit>;
  lastLines: string[];
  /** Set when the launcher had to SIGKILL it. */
  killed: boolean;
}

/** V8's old-space limit of each process in MB (SERVICE_HEAP_LIMIT_MB; 0 leaves V8's default, a quarter of the RAM here). */
export const DEFAULT_SERVICE_HEAP_LIMIT_MB = 160;

/**
 * Node's options for a child: a heap limit, so that V8 collects before the process grows far beyond what it uses
 * (without one, a subgraph under load grew to 340 MB resident of which most was garbage not yet collected; the
 * benchmark, docs/benchmarks.md). A container runs with the same limit (NODE_OPTIONS in docker-compose.yml).
 */
export function nodeOptionsFor(env: Record<string, string | undefined>): string[] {
  const raw = env.SERVICE_HEAP_LIMIT_MB ?? String(DEFAULT_SERVICE_HEAP_LIMIT_MB);
  const megabytes = Number(raw);
  if (!Number.isInteger(megabytes) || megabytes < 0) throw new Error(`SERVICE_HEAP_LIMIT_MB: "${raw}" is not a whole number of megabytes (0: V8's default)`);
  return megabytes > 0 ? [`--max-old-space-size=${megabytes}`] : [];
}

/** The launcher's margin over SHUTDOWN_TIMEOUT_MS before it SIGKILLs a process that is still stopping. */
export const LAUNCHER_STOP_MARGIN_MS = 5_000;

/** SHUTDOWN_TIMEOUT_MS of the platform's processes: the launcher bounds each stage of its stop with it. */
export function shutdownTimeoutFor(env: Record<string, string | undefined>): number {
  const raw = env.SHUTDOWN_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const ms = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(ms)) throw new Error(`SHUTDOWN_TIMEOUT_MS: "${raw}" is not a whole number of milliseconds`);
  return ms;
}

function spawnChild(name: string, entry: string, env: Record<string, string>, onLine: (process: string, line: string) => void, onExit: (exit: ProcessExit) => void): Child {
  const child = spawn(process.execPath, [...nodeOptionsFor({ ...process.env, ...env }), entry], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...env, PLATFORM_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lastLines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      lastLines.push(line);
      if (lastLines.length > 20) lastLines.shift();
      onLine(name, line);
    });
  }
  const record: Child = { name, entry, env, process: child, exited: undefined as never, lastLines, killed: false };
  record.exited = new Promise<ProcessExit>((resolve) =>
    child.on('exit', (code, signal) => {
      const exit = { name, pid: child.pid!, code, signal, at: Date.now(), killed: record.killed };
      onExit(exit);
      resolve(exit);
    }),
  );
  return record;
}

async function waitUntilReady(child: Child, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  child.exited.then((exit) => (exitCode = exit.code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${child.name} exited (code ${exitCode}) before it was ready:\n${child.lastLines.join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child.name} was not ready at ${url} within ${timeoutMs / 1000}s:\n${child.lastLines.join('\n')}`);
}

/** SIGTERM, then SIGKILL after timeoutMs if it is still there; resolves with its exit (also when it had already exited). */
async function stopChild(child: Child, timeoutMs: number): Promise<ProcessExit> {
  if (child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      child.killed = true;
      child.process.kill('SIGKILL');
    }, timeoutMs);
    try {
      return await child.exited;
    } finally {
      clearTimeout(timer);
    }
  }
  return child.exited;
}

/** Passwords of the service roles, generated once and kept in the data folder (never committed). */
function loadCredentials(dataDir: string, names: string[]): Record<string, { owner: string; app: string }> {
  const file = path.join(dataDir, 'credentials.json');
  const stored = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  for (const name of names) stored[name] ??= { owner: randomPassword(), app: randomPassword() };
  fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return stored;
}

const ENTRY = {
  partners: 'services/partners/dist/main.js',
  cases: 'services/cases/dist/main.js',
  referrals: 'services/referrals/dist/main.js',
  gateway: 'gateway/dist/main.js',
};

/**
 * Starts the whole platform: PostgreSQL (embedded unless adminUrl is given), one database and two roles per
 * subgraph, the three subgraphs (which migrate and seed themselves) and then the gateway.
 */
export async function launchPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const progress = options.onProgress ?? (() => undefined);
  // Checked before anything starts: each stage of the stop waits this long (plus the margin) before it kills.
  const stageTimeoutMs = shutdownTimeoutFor({ ...process.env, ...options.env }) + LAUNCHER_STOP_MARGIN_MS;
  const onLine = options.onLine ?? (() => undefined);
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.chmodSync(options.dataDir, 0o755); // the embedded server may run as the system user "postgres"
  const devKeysDir = options.devKeysDir ?? path.join(options.dataDir, 'keys');
  await ensureDevKeys(devKeysDir);

  let postgres: RunningPostgres | undefined;
  let adminUrl = options.adminUrl;
  if (!adminUrl) {
    const clusterDir = embeddedClusterDir(path.join(options.dataDir, 'postgres'));
    progress(`starting embedded PostgreSQL on 127.0.0.1:${options.ports.postgres} (data in ${clusterDir})`);
    postgres = await startEmbeddedPostgres({
      dataDir: clusterDir,
      port: options.ports.postgres,
      persistent: !options.ephemeral,
      onLog: (text) => text.split('\n').forEach((line) => onLine('postgres', line)),
    });
    adminUrl = postgres.adminUrl;
  } else {
    progress(`using external PostgreSQL at ${new URL(adminUrl).host}`);
  }

  const children: Child[] = [];
  const exits: ProcessExit[] = [];
  const processes: { name: string; pid: number }[] = [];
  const startChild = (name: ProcessName, childEnv: Record<string, string>): Child => {
    const child = spawnChild(name, ENTRY[name], childEnv, onLine, (exit) => exits.push(exit));
    const index = children.findIndex((c) => c.name === name);
    if (index >= 0) children[index] = child;
    else children.push(child);
    const listed = processes.find((p) => p.name === name);
    if (listed) listed.pid = child.process.pid!;
    else processes.push({ name, pid: child.process.pid! });
    return child;
  };
  let stopping: Promise<StopReport> | undefined;
  // In order: the gateway (no new requests reach the subgraphs; its requests in flight finish, and with them their
  // subgraph calls), the subgraphs together, then the database they were using.
  const stop = () =>
    (stopping ??= (async () => {
      const report: StopReport = { stages: [] };
      const stage = async (name: StopReport['stages'][number]['stage'], work: () => Promise<ProcessExit[]>) => {
        const startedAt = Date.now();
        progress(`stopping ${name}`);
        const stageExits = await work();
        report.stages.push({ stage: name, startedAt, endedAt: Date.now(), exits: stageExits });
        for (const exit of stageExits) {
          progress(`${exit.name} stopped${exit.killed ? ' (killed: it did not stop in time)' : ''}, exit code ${exit.code ?? exit.signal}`);
        }
      };
      const gateway = children.filter((child) => child.name === 'gateway');
      const subgraphs = children.filter((child) => child.name !== 'gateway');
      if (gateway.length > 0) await stage('gateway', () => Promise.all(gateway.map((child) => stopChild(child, stageTimeoutMs))));
      if (subgraphs.length > 0) await stage('subgraphs', () => Promise.all(subgraphs.map((child) => stopChild(child, stageTimeoutMs))));
      if (postgres) await stage('postgres', async () => (await postgres!.stop(), []));
      return report;
    })());
  try {
    const prefix = options.databasePrefix ?? '';
    const credentials = loadCredentials(options.dataDir, SERVICES.map((name) => `${prefix}${name}`));
    const databases = {} as Record<ServiceName, DatabasePlan>;
    for (const name of SERVICES) {
      databases[name] = databasePlan(`${prefix}${name}`, credentials[`${prefix}${name}`]);
      await provisionDatabase(adminUrl, databases[name]);
    }
    progress(`databases ${SERVICES.map((name) => databases[name].database).join(', ')} ready`);
    // The gateway proves itself to the subgraphs with this secret; they refuse requests with neither it nor a valid
    // token. A new one per start unless given: it lives only in the processes' environments, never on disk.
    const gatewaySecret = options.gatewaySecret ?? env('GATEWAY_SHARED_SECRET') ?? randomBytes(32).toString('hex');
    // Token verification: the development keys, or (options.auth) a JWKS; an empty AUTH_DEV_KEYS_DIR counts as unset and
    // hides one inherited from the launcher's own environment (the tests set it).
    const auth: Record<string, string> = options.auth
      ? { AUTH_JWKS_URL: options.auth.jwksUrl, AUTH_ISSUER: options.auth.issuer, AUTH_AUDIENCE: options.auth.audience, AUTH_DEV_KEYS_DIR: '' }
      : { AUTH_DEV_KEYS_DIR: devKeysDir };
    const common = { ...auth, HOST: '127.0.0.1', ...options.env, GATEWAY_SHARED_SECRET: gatewaySecret };
    const services = SERVICES.map((name) =>
      startChild(name, {
        ...common,
        PORT: String(options.ports[name]),
        DATABASE_URL: appUrl(adminUrl!, databases[name]),
        MIGRATION_DATABASE_URL: ownerUrl(adminUrl!, databases[name]),
        SEED_DEMO_DATA: String(options.seedDemoData),
        // referrals asks cases (consent, snapshot) and partners (receiver, offering) on the caller's behalf; cases asks
        // partners for the kind of a caller's organisation
        ...(name === 'referrals' ? { CASES_URL: `http://127.0.0.1:${options.ports.cases}/graphql` } : {}),
        ...(name !== 'partners' ? { PARTNERS_URL: `http://127.0.0.1:${options.ports.partners}/graphql` } : {}),
      }),
    );
    progress('starting subgraphs partners, cases, referrals (migrations and demo data run on start)');
    await Promise.all(services.map((child, i) => waitUntilReady(child, `http://127.0.0.1:${options.ports[SERVICES[i]]}/ready`)));
    const gateway = startChild('gateway', {
      ...common,
      PORT: String(options.ports.gateway),
      PARTNERS_URL: `http://127.0.0.1:${options.ports.partners}/graphql`,
      CASES_URL: `http://127.0.0.1:${options.ports.cases}/graphql`,
      REFERRALS_URL: `http://127.0.0.1:${options.ports.referrals}/graphql`,
    });
    progress('starting gateway');
    await waitUntilReady(gateway, `http://127.0.0.1:${options.ports.gateway}/ready`);
    return {
      gatewayUrl: `http://127.0.0.1:${options.ports.gateway}/graphql`,
      adminUrl,
      databases,
      devKeysDir,
      subgraphUrls: Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${options.ports[name]}/graphql`])) as Record<ServiceName, string>,
      gatewaySecret,
      processes,
      exits,
      postgres,
      async restart(name) {
        const child = children.find((c) => c.name === name);
        if (!child) throw new Error(`no process named ${name}`);
        if (stopping) throw new Error('the platform is stopping');
        await stopChild(child, stageTimeoutMs);
        progress(`restarting ${name}`);
        const again = startChild(name, child.env);
        await waitUntilReady(again, `http://127.0.0.1:${options.ports[name]}/ready`);
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
