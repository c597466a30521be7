import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  appUrl,
  dropDatabase,
  embeddedClusterDir,
  env,
  freePort,
  issueDevToken,
  ownerUrl,
  Principal,
  REPOSITORY_ROOT,
} from '@integration-graph/common';
import { launchPlatform, RunningPlatform, SERVICES } from '@integration-graph/platform';
import { Client } from 'pg';
import { OtherCpuMonitor, parentPid } from './cpu';
import { LoadResult, LoadTarget, responseFailed, runLoad, sendOnce } from './load';
import { MachineInfo, machineInfo } from './machine';
import { MemorySampler } from './memory';
import { BenchProcess, startProcess } from './processes';
import { loadScaleData } from './scale-data';
import { findScenarios, requestBody, Scenario, ScenarioKey } from './scenarios';
import { StatementCounter, StatementDelta, StatementSnapshot } from './sql-stats';
import { BenchSubjects, demoSubjects } from './subjects';

export interface BenchOptions {
  /** 0: the demo seed; otherwise the state-scale generator at this scale (1 = one district; 0 < N < 1 shrinks it). */
  scale: number;
  /** Keys, credentials and the embedded cluster (default .data/bench-scale-N, .data/bench-demo for scale 0). */
  dataDir?: string;
  /** Keep the cluster and the data loaded by an earlier run in dataDir (loads only if nothing was loaded yet). */
  reuse?: boolean;
  /** A superuser connection to an external PostgreSQL instead of the embedded server (tests). */
  adminUrl?: string;
  /** Prefix of database and role names (tests, on a shared server). */
  databasePrefix?: string;
  /** Drop the databases at the end (tests on a shared server). */
  dropDatabases?: boolean;
  /** Signing keys (default: keys/ in dataDir). */
  devKeysDir?: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Operations to measure (keys of SCENARIOS); all when empty. */
  operations?: string[];
  references: { gatewayFloor: boolean; peer: boolean; sqlFloor: boolean };
  /** Page sizes of the statement-scaling check of operations 1 to 3 (none: skipped). */
  scalingPageSizes: number[];
  /** Extra environment of the platform's processes. */
  env?: Record<string, string>;
  onProgress?: (message: string) => void;
  onLine?: (process: string, line: string) => void;
  /** On SIGINT/SIGTERM stop every process started and the platform, then exit (the CLI). */
  handleSignals?: boolean;
}

/**
 * The gateway's rate limits are off in the bench (autocannon sends hundreds of requests a second as one user); its
 * request limits stay on (every operation passes them, at every page size of the scaling check). options.env wins.
 */
export const BENCH_GATEWAY_ENV: Record<string, string> = {
  RATE_LIMIT_USER_PER_MINUTE: '0',
  RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
};

export const DEFAULT_OPTIONS = {
  connections: 10,
  durationSeconds: 10,
  warmupSeconds: 3,
  scalingPageSizes: [10, 50, 500],
  references: { gatewayFloor: true, peer: true, sqlFloor: true },
};

export interface Measurement extends LoadResult {
  /** Top-level SQL statements per request sent, all three databases (null: not counted). */
  sqlPerRequest: number | null;
  sqlPerRequestByDatabase?: Record<string, number>;
  /** The statements of the measurement, per response, most frequent first. */
  statements?: { database: string; query: string; perRequest: number; meanMs: number }[];
  /** The share of the machine's CPU that processes outside the bench used meanwhile (other work on a shared machine). */
  otherCpuShare?: number;
}

export type ReferenceKind = 'gateway-floor' | 'peer' | 'sql-floor';

export interface OperationResult {
  key: ScenarioKey;
  title: string;
  kind: 'read' | 'write';
  platform: Measurement;
  references: Partial<Record<ReferenceKind, Measurement>>;
  /** Why a reference was not measured for this operation. */
  notMeasured: Partial<Record<ReferenceKind, string>>;
}

export interface ScalingResult {
  key: ScenarioKey;
  title: string;
  /** Page size → SQL statements per request (null: not counted). */
  perPageSize: Record<number, number | null>;
  /** Items returned at each page size (the data may have fewer than asked). */
  itemsReturned: Record<number, number | null>;
}

export interface BenchReport {
  date: string;
  scale: number;
  dataLabel: string;
  subjects: BenchSubjects;
  settings: { connections: number; durationSeconds: number; warmupSeconds: number };
  machine: MachineInfo;
  operations: OperationResult[];
  scaling: ScalingResult[];
  memory: { process: string; idleBytes?: number; maxUnderLoadBytes?: number }[];
  /** Statements per second of the background jobs (outbox polling, ...), subtracted from every count. */
  backgroundStatementsPerSecond: Record<string, number>;
  /** Why SQL statements were not counted, if they were not. */
  statementsUnavailable?: string;
  notes: string[];
}

function defaultDataDir(scale: number): string {
  return path.join(REPOSITORY_ROOT, '.data', scale === 0 ? 'bench-demo' : `bench-scale-${scale}`);
}

const MARKER = 'bench-data.json';
/** A measurement during which other processes used this share of the CPU or more is flagged. */
export const OTHER_CPU_WARNING = 0.1;

/** The PostgreSQL server process behind adminUrl, if it runs on this machine (the parent of our backend). */
async function postmasterPid(adminUrl: string): Promise<number | undefined> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return parentPid(Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deletes the bench's data folder and its embedded cluster (which lives in /var/tmp when run as root, see embedded.ts). */
function resetDataDir(dataDir: string): void {
  const clusterDir = embeddedClusterDir(path.join(dataDir, 'postgres'));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(clusterDir, { recursive: true, force: true });
  fs.rmSync(`${clusterDir.replace(/\/+$/, '')}.admin-password`, { force: true });
}

async function freePorts(): Promise<Record<string, number>> {
  const names = ['gateway', 'partners', 'cases', 'referrals', 'postgres', 'floorGateway', 'stubPartners', 'stubCases', 'stubReferrals', 'peer', 'sqlFloor'];
  const ports: Record<string, number> = {};
  for (const name of names) {
    let port = await freePort();
    while (Object.values(ports).includes(port)) port = await freePort();
    ports[name] = port;
  }
  return ports;
}

/**
 * The benchmark of issue 8: starts the platform on its own PostgreSQL, loads the data, and measures every operation
 * with autocannon against the platform and, in the same run, against the references (gateway floor, peer gateway,
 * direct SQL floor). Returns the figures; the CLI prints them and writes docs/benchmarks.md.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const progress = options.onProgress ?? (() => undefined);
  const scenarios = findScenarios(options.operations);
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir(options.scale));
  const markerFile = path.join(dataDir, MARKER);
  const notes: string[] = [];
  if (!options.reuse && !options.adminUrl) {
    progress(`fresh data folder ${path.relative(REPOSITORY_ROOT, dataDir) || dataDir}`);
    resetDataDir(dataDir);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const stored = options.reuse && fs.existsSync(markerFile) ? (JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { scale: number; subjects: BenchSubjects }) : undefined;
  if (stored && stored.scale !== options.scale) {
    throw new Error(`${dataDir} holds data of scale ${stored.scale}, not ${options.scale}: run without --reuse to reload`);
  }

  const ports = await freePorts();
  const lastLines: string[] = [];
  const onLine = (name: string, line: string) => {
    lastLines.push(`${name}: ${line}`);
    if (lastLines.length > 50) lastLines.shift();
    options.onLine?.(name, line);
  };
  const started: BenchProcess[] = [];
  let platform: RunningPlatform | undefined;
  let counter: StatementCounter | undefined;
  const sampler = new MemorySampler();
  let cleanedUp = false;
  const cleanUp = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    await counter?.close().catch(() => undefined);
    await Promise.all(started.map((child) => child.stop().catch(() => undefined)));
    if (platform) {
      progress('stopping the platform');
      // In order (gateway, subgraphs, PostgreSQL), each finishing what is in flight: about a second in all.
      await platform.stop().catch(() => undefined);
      if (options.dropDatabases) {
        for (const plan of Object.values(platform.databases)) await dropDatabase(platform.adminUrl, plan).catch(() => undefined);
      }
    }
  };
  const onSignal = (signal: string) => {
    progress(`${signal}: stopping`);
    cleanUp().finally(() => process.exit(130));
  };
  if (options.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const launchedAt = new Date();
    platform = await launchPlatform({
      dataDir,
      adminUrl: options.adminUrl,
      databasePrefix: options.databasePrefix,
      devKeysDir: options.devKeysDir,
      ports: { gateway: ports.gateway, partners: ports.partners, cases: ports.cases, referrals: ports.referrals, postgres: ports.postgres },
      seedDemoData: options.scale === 0,
      env: { ...BENCH_GATEWAY_ENV, ...options.env },
      onLine,
      onProgress: progress,
    });
    const running = platform;

    let subjects: BenchSubjects;
    if (stored) {
      subjects = stored.subjects;
      progress(`reusing the data loaded earlier (${subjects.label})`);
    } else if (options.scale === 0) {
      subjects = demoSubjects();
    } else {
      subjects = await loadScaleData(options.scale, running, progress); // the generator runs VACUUM (ANALYZE) itself
    }
    fs.writeFileSync(markerFile, JSON.stringify({ scale: options.scale, subjects }, null, 2));

    const opened = await StatementCounter.open(
      running.adminUrl,
      SERVICES.map((name) => ({ name, database: running.databases[name].database, appRole: running.databases[name].appRole })),
    );
    let statementsUnavailable: string | undefined;
    if (opened instanceof StatementCounter) counter = opened;
    else {
      statementsUnavailable = opened.unavailable;
      progress(`SQL statements are not counted: ${opened.unavailable}`);
    }

    const issuer = env('AUTH_ISSUER', 'integration-graph-dev')!;
    const audience = env('AUTH_AUDIENCE', 'integration-graph')!;
    const tokens = new Map<string, string>();
    const tokenOf = async (principal: Principal | null): Promise<string | undefined> => {
      if (!principal) return undefined;
      const key = JSON.stringify(principal);
      if (!tokens.has(key)) {
        tokens.set(key, await issueDevToken({ devKeysDir: running.devKeysDir, issuer, audience, principal, expiresIn: '12h' }));
      }
      return tokens.get(key);
    };
    const targetFor = async (scenario: Scenario, url: string, runId: string, overrides: Record<string, unknown> = {}): Promise<LoadTarget> => {
      const token = await tokenOf(scenario.principal(subjects));
      return {
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body: (n) => requestBody(scenario, { ...scenario.variables(subjects, n, runId), ...overrides }),
        fixed: scenario.kind === 'read',
      };
    };
    const newRunId = () => `${Date.now()}-${randomBytes(3).toString('hex')}`;

    // The whole state's comparison reads the figures the subgraphs publish in the background (from about 200
    // municipalities on; docs/cases.md, "Statistics"): wait for the first round of publications after the start, so
    // that it is neither missing nor competing with the measurement for the CPU.
    if (scenarios.some((scenario) => scenario.key === 'state-comparison') && options.scale >= PUBLISHED_FROM_SCALE) {
      await waitForPublications(running, launchedAt, progress);
    }

    // Every operation once through the platform: wrong subjects or a broken operation stop the bench here.
    progress('checking every operation once');
    for (const scenario of scenarios) {
      const { status, body } = await sendOnce(await targetFor(scenario, running.gatewayUrl, newRunId()));
      if (responseFailed(status, body)) throw new Error(`${scenario.title} fails on the platform (HTTP ${status}): ${body.slice(0, 1000)}`);
    }

    // References.
    const reads = scenarios.filter((scenario) => scenario.kind === 'read');
    const commonEnv = { AUTH_DEV_KEYS_DIR: running.devKeysDir, HOST: '127.0.0.1', GATEWAY_SHARED_SECRET: running.gatewaySecret, ...BENCH_GATEWAY_ENV, ...options.env };
    const urls: Partial<Record<ReferenceKind, string>> = {};
    if (options.references.gatewayFloor && reads.length) {
      progress('starting the gateway floor: stub subgraphs (recording) and a second gateway in front of them');
      const stubPorts = { partners: ports.stubPartners, cases: ports.stubCases, referrals: ports.stubReferrals };
      const stubs = await startProcess(
        'stub-subgraphs',
        'packages/bench/dist/processes/stub-subgraphs.js',
        { STUB_SUBGRAPHS: JSON.stringify(SERVICES.map((name) => ({ name, port: stubPorts[name], upstream: running.subgraphUrls[name] }))) },
        `http://127.0.0.1:${stubPorts.partners}/ready`,
        onLine,
      );
      started.push(stubs);
      const floorGateway = await startProcess(
        'floor-gateway',
        'gateway/dist/main.js',
        {
          ...commonEnv,
          PORT: String(ports.floorGateway),
          PARTNERS_URL: `http://127.0.0.1:${stubPorts.partners}/graphql`,
          CASES_URL: `http://127.0.0.1:${stubPorts.cases}/graphql`,
          REFERRALS_URL: `http://127.0.0.1:${stubPorts.referrals}/graphql`,
        },
        `http://127.0.0.1:${ports.floorGateway}/ready`,
        onLine,
      );
      started.push(floorGateway);
      urls['gateway-floor'] = `http://127.0.0.1:${ports.floorGateway}/graphql`;
      progress('recording the subgraph responses of every read');
      for (const scenario of reads) {
        for (let i = 0; i < 2; i++) {
          const { status, body } = await sendOnce(await targetFor(scenario, urls['gateway-floor'], newRunId()));
          if (responseFailed(status, body)) throw new Error(`${scenario.title} fails through the recording stubs (HTTP ${status}): ${body.slice(0, 1000)}`);
        }
      }
      await fetch(`http://127.0.0.1:${stubPorts.partners}/__stub/replay`, { method: 'POST' });
      for (const scenario of reads) {
        const { status, body } = await sendOnce(await targetFor(scenario, urls['gateway-floor'], newRunId()));
        if (responseFailed(status, body)) throw new Error(`${scenario.title} does not replay from the stubs (HTTP ${status}): ${body.slice(0, 1000)}`);
      }
    }
    if (options.references.peer) {
      progress('starting the peer gateway (Hive Gateway) in front of the same subgraphs');
      const peer = await startProcess(
        'hive-gateway',
        'packages/bench/dist/processes/hive-gateway.js',
        {
          ...commonEnv,
          PORT: String(ports.peer),
          SUPERGRAPH_FILE: path.join(REPOSITORY_ROOT, 'gateway', 'supergraph.graphql'),
          SUBGRAPH_URLS: JSON.stringify(running.subgraphUrls),
        },
        `http://127.0.0.1:${ports.peer}/readiness`,
        onLine,
      );
      started.push(peer);
      urls.peer = `http://127.0.0.1:${ports.peer}/graphql`;
      for (const scenario of scenarios) {
        const { status, body } = await sendOnce(await targetFor(scenario, urls.peer, newRunId()));
        if (responseFailed(status, body)) throw new Error(`${scenario.title} fails through the peer gateway (HTTP ${status}): ${body.slice(0, 1000)}`);
      }
    }
    if (options.references.sqlFloor && scenarios.some((scenario) => scenario.sqlFloor)) {
      progress('starting the direct SQL floor of the standards comparison');
      const sqlFloor = await startProcess(
        'sql-floor',
        'packages/bench/dist/processes/sql-floor.js',
        {
          PORT: String(ports.sqlFloor),
          PARTNERS_URL: appUrl(running.adminUrl, running.databases.partners),
          CASES_URL: appUrl(running.adminUrl, running.databases.cases),
          REFERRALS_URL: appUrl(running.adminUrl, running.databases.referrals),
          DISTRICT_ID: subjects.districtId,
          PERIOD: subjects.period,
          PRINCIPAL: JSON.stringify(subjects.coordinator),
          POOL_SIZE: String(Math.max(options.connections, 2)),
        },
        `http://127.0.0.1:${ports.sqlFloor}/ready`,
        onLine,
      );
      started.push(sqlFloor);
      urls['sql-floor'] = `http://127.0.0.1:${ports.sqlFloor}`;
      for (const scenario of scenarios.filter((s) => s.sqlFloor)) {
        const { status, body } = await sendOnce({ url: `${urls['sql-floor']}/${scenario.sqlFloor}-comparison`, headers: {}, body: () => '{}', fixed: true });
        if (responseFailed(status, body)) throw new Error(`the SQL floor of ${scenario.title} fails (HTTP ${status}): ${body.slice(0, 1000)}`);
      }
    }

    for (const { name, pid } of [...running.processes, ...started]) sampler.add(name, pid);

    // Statements of the background jobs (the outbox worker polls every second): measured idle, subtracted below.
    const backgroundStatementsPerSecond: Record<string, number> = {};
    if (counter) {
      progress('measuring the background statements (2 s idle)');
      const before = await counter.snapshot();
      const t0 = Date.now();
      await sleep(2_000);
      const delta = counter.delta(before, await counter.snapshot());
      const seconds = (Date.now() - t0) / 1000;
      for (const [name, calls] of Object.entries(delta.perDatabase)) backgroundStatementsPerSecond[name] = calls / seconds;
    }
    const statementsPer = (delta: StatementDelta, seconds: number, responses: number): Pick<Measurement, 'sqlPerRequest' | 'sqlPerRequestByDatabase' | 'statements'> => {
      if (!responses) return { sqlPerRequest: null };
      const byDatabase: Record<string, number> = {};
      for (const [name, calls] of Object.entries(delta.perDatabase)) {
        byDatabase[name] = Math.max(0, calls - (backgroundStatementsPerSecond[name] ?? 0) * seconds) / responses;
      }
      return {
        sqlPerRequest: Object.values(byDatabase).reduce((a, b) => a + b, 0),
        sqlPerRequestByDatabase: byDatabase,
        statements: delta.statements.slice(0, 60).map((s) => ({ database: s.database, query: s.query, perRequest: s.calls / responses, meanMs: s.meanMs })),
      };
    };
    const snapshot = async (): Promise<StatementSnapshot | undefined> => counter?.snapshot();

    // Statement counts at several page sizes (operations 1 to 3): must not grow with the page size.
    const scaling: ScalingResult[] = [];
    if (counter && options.scalingPageSizes.length) {
      for (const scenario of scenarios.filter((s) => s.pageSize)) {
        progress(`statements per request of ${scenario.title} at page sizes ${options.scalingPageSizes.join(', ')}`);
        const result: ScalingResult = { key: scenario.key, title: scenario.title, perPageSize: {}, itemsReturned: {} };
        for (const size of options.scalingPageSizes) {
          const target = await targetFor(scenario, running.gatewayUrl, newRunId(), { [scenario.pageSize!.variable]: size });
          await sendOnce(target); // plans and caches warm
          const repeats = 5;
          const before = await snapshot();
          const t0 = Date.now();
          let items: number | null = null;
          for (let i = 0; i < repeats; i++) {
            const { status, body } = await sendOnce(target);
            if (responseFailed(status, body)) throw new Error(`${scenario.title} with ${scenario.pageSize!.variable}=${size} fails: ${body.slice(0, 500)}`);
            items = (body.match(/"node":/g) ?? []).length;
          }
          await sleep(100);
          const delta = counter.delta(before!, (await snapshot())!);
          result.perPageSize[size] = statementsPer(delta, (Date.now() - t0) / 1000, repeats).sqlPerRequest;
          result.itemsReturned[size] = items;
        }
        scaling.push(result);
      }
    }

    const settings = { connections: options.connections, durationSeconds: options.durationSeconds };
    // With an external server on this machine (tests), its processes are not in the bench's process tree: counted as the bench's.
    const serverPid = options.adminUrl ? await postmasterPid(running.adminUrl) : undefined;
    const otherCpu = new OtherCpuMonitor(() => (serverPid ? [serverPid] : []));
    // A new target (and so, for writes, new idempotency keys) for the warm-up and for the measurement.
    const measureAt = async (label: string, makeTarget: () => Promise<LoadTarget>, connections: number): Promise<Measurement> => {
      if (options.warmupSeconds > 0) {
        progress(`${label}: warm-up ${options.warmupSeconds}s`);
        await runLoad(await makeTarget(), { connections, durationSeconds: options.warmupSeconds });
        await counter?.waitUntilQuiet(); // the warm-up's last requests
      }
      progress(`${label}: ${options.durationSeconds}s at ${connections} connection${connections === 1 ? '' : 's'}`);
      const target = await makeTarget();
      const before = await snapshot();
      const t0 = Date.now();
      otherCpu.start();
      const result = await sampler.during(() => runLoad(target, { ...settings, connections }));
      const otherCpuShare = otherCpu.stop();
      // Requests in flight at the end finish (and the last transactions commit after their responses: audit
      // entries); their statements count, divided by the requests sent.
      await sleep(100);
      await counter?.waitUntilQuiet();
      const statements = before ? statementsPer(counter!.delta(before, (await snapshot())!), (Date.now() - t0) / 1000, result.sent) : { sqlPerRequest: null };
      const summary = `${result.rps.toFixed(1)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.errors} errors` +
        (statements.sqlPerRequest !== null ? `, ${statements.sqlPerRequest.toFixed(1)} SQL/req` : '');
      const busy = otherCpuShare >= OTHER_CPU_WARNING ? ` (other work on the machine used ${Math.round(otherCpuShare * 100)}% of its CPU meanwhile)` : '';
      progress(`${label}: ${summary}${busy}${result.sampleError ? `\n  first error: ${result.sampleError}` : ''}`);
      return { ...result, ...statements, otherCpuShare };
    };

    const operations: OperationResult[] = [];
    for (const scenario of scenarios) {
      const at = (url: string) => () => targetFor(scenario, url, newRunId());
      // An operation may be measured at fewer connections (the state's comparison: one person's report).
      const connections = Math.min(options.connections, scenario.connections ?? options.connections);
      const measure = (label: string, makeTarget: () => Promise<LoadTarget>) => measureAt(label, makeTarget, connections);
      const platformResult = await measure(`${scenario.title} / platform`, at(running.gatewayUrl));
      const result: OperationResult = { key: scenario.key, title: scenario.title, kind: scenario.kind, platform: platformResult, references: {}, notMeasured: {} };
      if (urls['gateway-floor'] && scenario.kind === 'read') {
        result.references['gateway-floor'] = await measure(`${scenario.title} / gateway floor`, at(urls['gateway-floor']));
      } else if (scenario.kind === 'write') {
        result.notMeasured['gateway-floor'] = 'writes are not replayed from a recording';
      }
      if (urls.peer) result.references.peer = await measure(`${scenario.title} / peer gateway`, at(urls.peer));
      if (urls['sql-floor'] && scenario.sqlFloor) {
        const sqlFloorUrl = `${urls['sql-floor']}/${scenario.sqlFloor}-comparison`;
        result.references['sql-floor'] = await measure(`${scenario.title} / direct SQL`, async () => ({ url: sqlFloorUrl, headers: {}, body: () => '{}', fixed: true }));
      }
      operations.push(result);
    }
    if (urls['gateway-floor']) {
      const stats = (await (await fetch(`http://127.0.0.1:${ports.stubPartners}/__stub/stats`)).json()) as { misses: number; sampleMiss?: string };
      if (stats.misses) notes.push(`The stub subgraphs missed ${stats.misses} requests (not recorded), e.g. ${stats.sampleMiss}`);
    }

    const machine = await machineInfo(running.adminUrl);
    return {
      date: new Date().toISOString(),
      scale: options.scale,
      dataLabel: subjects.label,
      subjects,
      settings: { ...settings, warmupSeconds: options.warmupSeconds },
      machine,
      operations,
      scaling,
      memory: [...sampler.figures].map(([process, figures]) => ({ process, ...figures })),
      backgroundStatementsPerSecond,
      statementsUnavailable,
      notes,
    };
  } catch (error) {
    if (lastLines.length && error instanceof Error) error.message += `\n\nLast lines of the processes:\n${lastLines.slice(-20).join('\n')}`;
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanUp();
  }
}

/** From this scale on the state has more municipalities than STATISTICS_PUBLISHED_MIN_GROUPS (200; 16–40 a district). */
const PUBLISHED_FROM_SCALE = 4;

/** Publications of one round: municipality and provider for the current tertial, the two before it and the year. */
const PUBLICATIONS_PER_ROUND = 8;

/** Waits until cases and referrals have finished their first round of statistics publications (at most 15 minutes). */
async function waitForPublications(running: RunningPlatform, since: Date, progress: (message: string) => void): Promise<void> {
  const started = Date.now();
  for (const service of ['cases', 'referrals'] as const) {
    const client = new Client({ connectionString: ownerUrl(running.adminUrl, running.databases[service]) });
    await client.connect();
    try {
      for (;;) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM statistics_publications WHERE published_at >= $1`, [since]);
        if (rows[0].n >= PUBLICATIONS_PER_ROUND) break;
        if (Date.now() - started > 15 * 60_000) throw new Error(`${service} did not publish its statistics within 15 minutes`);
        progress(`waiting for ${service} to publish its statistics (${rows[0].n} of ${PUBLICATIONS_PER_ROUND}, ${Math.round((Date.now() - started) / 1000)} s)`);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
      }
    } finally {
      await client.end();
    }
  }
}
