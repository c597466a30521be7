import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase, embeddedClusterDir, env, freePort, issueDevToken, ownerUrl, Principal, REPOSITORY_ROOT } from '@integration-graph/common';
import { launchPlatform, RunningPlatform } from '@integration-graph/platform';
import { Client } from 'pg';
import { MachineInfo, machineInfo } from './machine';
import { residentBytes } from './memory';
import { BENCH_GATEWAY_ENV } from './run';
import { loadScaleData } from './scale-data';
import { requestBody, Scenario, SCENARIOS } from './scenarios';
import { BenchSubjects, demoSubjects } from './subjects';

/**
 * The soak of issue 9 (`npm run soak`, docs/operations.md "Soak test"): the platform on its own PostgreSQL, a bounded
 * mixed load through the gateway at a fixed concurrency, and afterwards every acknowledged write read back from its
 * owner's database. Reads are the benchmark's operations 1–4 (packages/bench/src/operations.ts); writes are recording
 * a consultation, sending a referral (the benchmark's 5a and 5b) and updating an integration plan's profile (with the
 * version last read, as a client does; each plan is changed by one client at a time, so no CONFLICT is expected).
 *
 * Passes when no response was a 5xx, no acknowledged write is missing, and the resident memory (VmRSS) of every
 * process in the last minute is less than 10 % above the first minute after the warm-up.
 */

export interface SoakOptions {
  /** 0: the demo seed; otherwise the state-scale generator at this scale. */
  scale: number;
  durationSeconds: number;
  /** Load before the measured time (not counted in the memory's first minute; its requests and writes are). */
  warmupSeconds: number;
  connections: number;
  /** Memory samples every this many ms. */
  sampleIntervalMs: number;
  dataDir?: string;
  /** A superuser connection to an external PostgreSQL (tests), with prefixed database names dropped at the end. */
  adminUrl?: string;
  databasePrefix?: string;
  dropDatabases?: boolean;
  devKeysDir?: string;
  env?: Record<string, string>;
  onProgress?: (message: string) => void;
  onLine?: (process: string, line: string) => void;
  /** Progress lines every this many ms while the load runs. */
  progressIntervalMs?: number;
  handleSignals?: boolean;
}

export const DEFAULT_SOAK = { durationSeconds: 300, warmupSeconds: 20, connections: 8, sampleIntervalMs: 5_000 };
/** Memory is flat when the last minute's mean is less than this much above the first minute's. */
export const MEMORY_GROWTH_LIMIT = 0.1;

type OperationKey = 'partner-inbox' | 'caseload-page' | 'public-directory' | 'standards-comparison' | 'record-consultation' | 'send-referral' | 'update-plan';

/** The mix, in requests out of 100. */
export const SOAK_MIX: { key: OperationKey; weight: number; kind: 'read' | 'write' }[] = [
  { key: 'partner-inbox', weight: 18, kind: 'read' },
  { key: 'caseload-page', weight: 18, kind: 'read' },
  { key: 'public-directory', weight: 18, kind: 'read' },
  { key: 'standards-comparison', weight: 10, kind: 'read' },
  { key: 'record-consultation', weight: 14, kind: 'write' },
  { key: 'send-referral', weight: 10, kind: 'write' },
  { key: 'update-plan', weight: 12, kind: 'write' },
];

const UPDATE_PLAN = `mutation UpdatePlanProfile($input: UpdatePlanProfileInput!) {
  updatePlanProfile(input: $input) { id version schoolingYears }
}`;

export interface OperationFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface MemoryFigures {
  process: string;
  firstMinuteMeanBytes: number;
  lastMinuteMeanBytes: number;
  maxBytes: number;
  growth: number;
  samples: number;
}

export interface SoakReport {
  date: string;
  dataLabel: string;
  settings: { durationSeconds: number; warmupSeconds: number; connections: number; sampleIntervalMs: number };
  machine: MachineInfo;
  /** /proc/loadavg (1, 5, 15 minutes) before the load started and when it ended. */
  loadBefore: string;
  loadAfter: string;
  /** Seconds the load ran, warm-up included. */
  elapsedSeconds: number;
  requests: number;
  rps: number;
  status5xx: number;
  /** Errors by code: GraphQL `extensions.code`, `HTTP <status>` without one, `network`, `timeout`. */
  errorsByCode: Record<string, number>;
  /** The first error of each code, cut. */
  sampleErrors: Record<string, string>;
  operations: Record<string, OperationFigures>;
  writes: {
    acknowledged: Record<string, number>;
    readBack: Record<string, number>;
    lost: number;
    lostSamples: string[];
    /** Writes whose answer never came (network error, timeout): not acknowledged, so not counted as lost. */
    unknownOutcome: number;
  };
  memory: MemoryFigures[];
  memoryFlat: boolean;
  passed: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function loadAverage(): string {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return os.loadavg().map((n) => n.toFixed(2)).join(' ');
  }
}

/** Deletes the soak's data folder and its embedded cluster (as the bench does). */
function resetDataDir(dataDir: string): void {
  const clusterDir = embeddedClusterDir(path.join(dataDir, 'postgres'));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(clusterDir, { recursive: true, force: true });
  fs.rmSync(`${clusterDir.replace(/\/+$/, '')}.admin-password`, { force: true });
}

interface PlanState {
  id: string;
  version: number;
  busy: boolean;
}

interface Acknowledged {
  consultations: string[];
  referrals: string[];
  /** Every acknowledged plan update: plan, the version it made, the value written. */
  plans: { planId: string; version: number; schoolingYears: number }[];
}

async function ownerQuery<T extends Record<string, unknown>>(url: string, sql: string, parameters: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, parameters)).rows;
  } finally {
    await client.end();
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const progress = options.onProgress ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir ?? path.join(REPOSITORY_ROOT, '.data', 'soak'));
  if (!options.adminUrl) {
    progress(`fresh data folder ${path.relative(REPOSITORY_ROOT, dataDir) || dataDir}`);
    resetDataDir(dataDir);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  let platform: RunningPlatform | undefined;
  let cleanedUp = false;
  const cleanUp = async () => {
    if (cleanedUp || !platform) return;
    cleanedUp = true;
    progress('stopping the platform');
    for (const { pid } of platform.processes) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await platform.stop().catch(() => undefined);
    if (options.dropDatabases) for (const plan of Object.values(platform.databases)) await dropDatabase(platform.adminUrl, plan).catch(() => undefined);
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
    const ports = { gateway: await freePort(), partners: await freePort(), cases: await freePort(), referrals: await freePort(), postgres: await freePort() };
    platform = await launchPlatform({
      dataDir,
      adminUrl: options.adminUrl,
      databasePrefix: options.databasePrefix,
      devKeysDir: options.devKeysDir,
      ports,
      seedDemoData: options.scale === 0,
      // Rate limits off, as in the bench: the soak sends far more than one user may (the request limits stay on).
      env: { ...BENCH_GATEWAY_ENV, ...options.env },
      onLine: options.onLine,
      onProgress: progress,
    });
    const running = platform;
    const subjects: BenchSubjects = options.scale === 0 ? demoSubjects() : await loadScaleData(options.scale, running, progress);

    const issuer = env('AUTH_ISSUER', 'integration-graph-dev')!;
    const audience = env('AUTH_AUDIENCE', 'integration-graph')!;
    const tokens = new Map<string, string>();
    const tokenOf = async (principal: Principal | null): Promise<string | undefined> => {
      if (!principal) return undefined;
      const key = JSON.stringify(principal);
      if (!tokens.has(key)) tokens.set(key, await issueDevToken({ devKeysDir: running.devKeysDir, issuer, audience, principal, expiresIn: '12h' }));
      return tokens.get(key);
    };
    const runId = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const scenario = (key: string): Scenario => SCENARIOS.find((s) => s.key === key)!;
    const post = async (body: string, token: string | undefined, requestId: string): Promise<{ status: number; json?: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] }; text: string }> => {
      const response = await fetch(running.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text };
    };

    // The plans the caseworker updates: those of the caseworker's cases, with their current versions.
    const caseworkerToken = await tokenOf(subjects.caseworker);
    const found = await post(JSON.stringify({ query: `{ cases(first: 100) { edges { node { id plan { id version } } } } }` }), caseworkerToken, `soak-${runId}-plans`);
    const plans: PlanState[] = ((found.json?.data?.cases as { edges: { node: { plan: { id: string; version: number } | null } }[] } | undefined)?.edges ?? [])
      .map((edge) => edge.node.plan)
      .filter((plan): plan is { id: string; version: number } => plan !== null)
      .map((plan) => ({ id: plan.id, version: plan.version, busy: false }));
    if (!plans.length) throw new Error(`the caseworker has no plans to update: ${found.text.slice(0, 500)}`);

    const acknowledged: Acknowledged = { consultations: [], referrals: [], plans: [] };
    const figures = new Map<OperationKey, { requests: number; latencies: number[]; errors: number }>(SOAK_MIX.map((m) => [m.key, { requests: 0, latencies: [], errors: 0 }]));
    const errorsByCode: Record<string, number> = {};
    const sampleErrors: Record<string, string> = {};
    let status5xx = 0;
    let requests = 0;
    let unknownOutcome = 0;
    let writeCounter = 0;
    const uncertainPlans = new Set<string>();
    const recordError = (code: string, detail: string) => {
      errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
      sampleErrors[code] ??= detail.slice(0, 400);
    };

    /** One request of the mix; records its outcome and, for an acknowledged write, what it wrote. */
    const one = async (mixKey: OperationKey, n: number): Promise<void> => {
      let key = mixKey;
      let body: string;
      let token: string | undefined;
      // A plan is changed by one client at a time, with the version its last update returned.
      const plan = key === 'update-plan' ? plans.find((candidate) => !candidate.busy) : undefined;
      if (key === 'update-plan' && !plan) key = 'caseload-page'; // every plan is being changed right now: read instead
      if (plan) {
        plan.busy = true;
        body = JSON.stringify({ query: UPDATE_PLAN, operationName: 'UpdatePlanProfile', variables: { input: { planId: plan.id, expectedVersion: plan.version, schoolingYears: (Math.abs(n) % 20) + 1 } } });
        token = caseworkerToken;
      } else {
        const s = scenario(key);
        body = requestBody(s, s.variables(subjects, writeCounter++, runId));
        token = await tokenOf(s.principal(subjects));
      }
      const kind = SOAK_MIX.find((m) => m.key === key)!.kind;
      const entry = figures.get(key)!;
      const started = Date.now();
      requests++;
      entry.requests++;
      let retire = false;
      try {
        const { status, json, text } = await post(body, token, `soak-${runId}-${n}`);
        entry.latencies.push(Date.now() - started);
        if (status >= 500) status5xx++;
        const error = json?.errors?.[0];
        if (status < 200 || status >= 300 || error || !json?.data) {
          entry.errors++;
          recordError(error?.extensions?.code ?? `HTTP ${status}`, `${key}: HTTP ${status} ${text}`);
          // Its version may have moved (it should not: nobody else changes it): not updated again.
          retire = plan !== undefined;
          return;
        }
        if (key === 'record-consultation') acknowledged.consultations.push((json.data.recordConsultation as { id: string }).id);
        else if (key === 'send-referral') acknowledged.referrals.push((json.data.sendReferral as { id: string }).id);
        else if (plan) {
          const updated = json.data.updatePlanProfile as { version: number; schoolingYears: number };
          plan.version = updated.version;
          acknowledged.plans.push({ planId: plan.id, version: updated.version, schoolingYears: updated.schoolingYears });
        }
      } catch (error) {
        entry.errors++;
        const name = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'network';
        recordError(name, `${key}: ${error instanceof Error ? error.message : String(error)}`);
        if (kind === 'write') unknownOutcome++;
        // An update without an answer may or may not have been made: its plan's final state is not checked, and the
        // plan is not updated again.
        if (plan) {
          retire = true;
          uncertainPlans.add(plan.id);
        }
      } finally {
        if (plan) plan.busy = retire;
      }
    };

    // Every operation once: wrong subjects or a broken operation stop the soak before it starts.
    progress('checking every operation once');
    for (const { key } of SOAK_MIX) {
      const before = requests;
      await one(key, -1 - SOAK_MIX.findIndex((m) => m.key === key));
      if (Object.keys(errorsByCode).length || requests === before) throw new Error(`${key} fails before the soak: ${JSON.stringify(sampleErrors)}`);
    }

    // Memory of every process, sampled from now on.
    const samples = new Map<string, { at: number; bytes: number }[]>(running.processes.map((p) => [p.name, []]));
    const sample = () => {
      const at = Date.now();
      for (const { name, pid } of running.processes) {
        const bytes = residentBytes(pid);
        if (bytes !== undefined) samples.get(name)!.push({ at, bytes });
      }
    };
    const loadBefore = loadAverage();
    const totalMs = (options.warmupSeconds + options.durationSeconds) * 1000;
    const startedAt = Date.now();
    const measuredFrom = startedAt + options.warmupSeconds * 1000;
    const endAt = startedAt + totalMs;
    progress(`soak: ${options.warmupSeconds}s warm-up, then ${options.durationSeconds}s at ${options.connections} connections (${plans.length} plans, load ${loadBefore})`);
    sample();
    const sampler = setInterval(sample, options.sampleIntervalMs);
    let lastRequests = 0;
    let lastAt = startedAt;
    const reporter = setInterval(() => {
      const now = Date.now();
      const rss = running.processes.map((p) => `${p.name} ${Math.round((residentBytes(p.pid) ?? 0) / 1024 / 1024)}`).join(', ');
      const errors = Object.values(errorsByCode).reduce((a, b) => a + b, 0);
      progress(
        `${Math.round((now - startedAt) / 1000)}s${now < measuredFrom ? ' (warm-up)' : ''}: ${requests} requests (${((requests - lastRequests) / ((now - lastAt) / 1000)).toFixed(0)}/s), ` +
          `${errors} errors, ${status5xx} 5xx, writes ${acknowledged.consultations.length}+${acknowledged.referrals.length}+${acknowledged.plans.length}; RSS MB ${rss}`,
      );
      lastRequests = requests;
      lastAt = now;
    }, options.progressIntervalMs ?? 10_000);
    const weights = SOAK_MIX.flatMap((m) => Array<OperationKey>(m.weight).fill(m.key));
    let n = 0;
    const worker = async () => {
      while (Date.now() < endAt) {
        const i = n++;
        // A fixed, interleaved sequence (i * 37 mod 100 visits every slot of the mix): the same mix every run.
        await one(weights[(i * 37) % weights.length], i);
      }
    };
    try {
      await Promise.all(Array.from({ length: options.connections }, worker));
    } finally {
      clearInterval(sampler);
      clearInterval(reporter);
    }
    sample();
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const loadAfter = loadAverage();

    // Every acknowledged write, read back from its owner's database (as the owner role: row-level security aside).
    progress(`reading back ${acknowledged.consultations.length} consultations, ${acknowledged.referrals.length} referrals, ${acknowledged.plans.length} plan updates`);
    const casesOwner = ownerUrl(running.adminUrl, running.databases.cases);
    const referralsOwner = ownerUrl(running.adminUrl, running.databases.referrals);
    const lostSamples: string[] = [];
    const foundConsultations = new Set(
      (await ownerQuery<{ id: string }>(casesOwner, `SELECT id::text FROM consultations WHERE id = ANY($1::uuid[])`, [acknowledged.consultations])).map((row) => row.id),
    );
    const foundReferrals = new Set((await ownerQuery<{ id: string }>(referralsOwner, `SELECT id::text FROM referrals WHERE id = ANY($1::uuid[])`, [acknowledged.referrals])).map((row) => row.id));
    for (const id of acknowledged.consultations) if (!foundConsultations.has(id)) lostSamples.push(`consultation ${id}`);
    for (const id of acknowledged.referrals) if (!foundReferrals.has(id)) lostSamples.push(`referral ${id}`);
    // A plan update is there when its revision is recorded and the plan's final state is the last acknowledged one.
    const planIds = [...new Set(acknowledged.plans.map((p) => p.planId))];
    const revisions = new Set(
      (await ownerQuery<{ key: string }>(casesOwner, `SELECT plan_id::text || ':' || revision AS key FROM plan_revisions WHERE plan_id = ANY($1::uuid[])`, [planIds])).map((row) => row.key),
    );
    const finals = new Map(
      (await ownerQuery<{ id: string; version: number; schooling_years: number | null }>(casesOwner, `SELECT id::text, version, schooling_years FROM integration_plans WHERE id = ANY($1::uuid[])`, [planIds])).map((row) => [row.id, row]),
    );
    let plansFound = 0;
    for (const update of acknowledged.plans) {
      if (revisions.has(`${update.planId}:${update.version}`)) plansFound++;
      else lostSamples.push(`plan ${update.planId} version ${update.version}`);
    }
    for (const planId of planIds.filter((id) => !uncertainPlans.has(id))) {
      const last = acknowledged.plans.filter((p) => p.planId === planId).reduce((a, b) => (b.version > a.version ? b : a));
      const final = finals.get(planId);
      if (!final || final.version !== last.version || final.schooling_years !== last.schoolingYears) {
        lostSamples.push(`plan ${planId}: ends at version ${final?.version} with ${final?.schooling_years}, the last acknowledged update made version ${last.version} with ${last.schoolingYears}`);
      }
    }
    const readBack = { 'record-consultation': foundConsultations.size, 'send-referral': foundReferrals.size, 'update-plan': plansFound };
    const acknowledgedCounts = { 'record-consultation': acknowledged.consultations.length, 'send-referral': acknowledged.referrals.length, 'update-plan': acknowledged.plans.length };

    // Memory: the mean of the first minute after the warm-up against the mean of the last minute.
    const window = Math.min(60_000, (options.durationSeconds * 1000) / 3);
    const memory: MemoryFigures[] = [...samples].map(([processName, points]) => {
      const measured = points.filter((p) => p.at >= measuredFrom);
      const last = measured[measured.length - 1]?.at ?? measuredFrom;
      const mean = (list: { bytes: number }[]) => (list.length ? list.reduce((a, b) => a + b.bytes, 0) / list.length : 0);
      const first = mean(measured.filter((p) => p.at < measuredFrom + window));
      const final = mean(measured.filter((p) => p.at > last - window));
      return {
        process: processName,
        firstMinuteMeanBytes: first,
        lastMinuteMeanBytes: final,
        maxBytes: Math.max(0, ...points.map((p) => p.bytes)),
        growth: first ? (final - first) / first : 0,
        samples: measured.length,
      };
    });
    const memoryFlat = memory.every((m) => m.growth < MEMORY_GROWTH_LIMIT);
    const operations = Object.fromEntries(
      [...figures].map(([key, f]) => {
        const sorted = [...f.latencies].sort((a, b) => a - b);
        return [key, { requests: f.requests, errors: f.errors, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) }];
      }),
    );
    const lost = lostSamples.length;
    return {
      date: new Date().toISOString(),
      dataLabel: subjects.label,
      settings: { durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, connections: options.connections, sampleIntervalMs: options.sampleIntervalMs },
      machine: await machineInfo(running.adminUrl),
      loadBefore,
      loadAfter,
      elapsedSeconds,
      requests,
      rps: requests / elapsedSeconds,
      status5xx,
      errorsByCode,
      sampleErrors,
      operations,
      writes: { acknowledged: acknowledgedCounts, readBack, lost, lostSamples: lostSamples.slice(0, 20), unknownOutcome },
      memory,
      memoryFlat,
      passed: status5xx === 0 && lost === 0 && memoryFlat,
    };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanUp();
  }
}
