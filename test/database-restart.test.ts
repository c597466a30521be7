import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_USERS, freePort, OFFENBURG_AGS, organizationIdForAgs, PostgresProcess, startPostgresProcess, testToken, withDatabase } from '@integration-graph/common';
import { launchPlatform, RunningPlatform } from '@integration-graph/platform';
import { Client } from 'pg';

/**
 * Issue 9, "Failures": PostgreSQL restarted under load. A platform of its own on its own embedded PostgreSQL (the
 * shared test server is not touched; the server runs in a helper process, startPostgresProcess), a loop of writes (recordConsultation, each with its idempotency key) and reads
 * through the gateway, and PostgreSQL halted as in a crash (immediate shutdown, recovery at the next start) and started
 * again on the same port and data. During the outage requests fail fast with a clear error and /ready says why; after
 * it the services answer again without being restarted; every acknowledged write is in the database once, every
 * failed one at most once and exactly once after a retry with its key, and no write is half done (a consultation
 * without the audit entry of its write).
 */
const CONNECT_TIMEOUT_MS = 2_000;
/** The longest any request may take, outage or not: the gateway's SUBGRAPH_TIMEOUT_MS (default 10 s) and a margin. */
const REQUEST_BOUND_MS = 12_000;
const WORKERS = 3;

let platform: RunningPlatform;
let postgres: PostgresProcess;
let dataDir: string;
let token: string;
let caseId: string;
const lines: { process: string; line: string }[] = [];

interface Outcome {
  kind: 'write' | 'read';
  key?: string;
  startedAt: number;
  ms: number;
  ok: boolean;
  codes: string[];
  messages: string[];
  consultationId?: string;
}

async function graphql(query: string, variables: Record<string, unknown>): Promise<{ status: number; data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(platform.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_BOUND_MS * 2),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const RECORD = `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }`;
const READ = `query($id: ID!) { case(id: $id) { id status consultations(first: 5) { totalCount } } }`;

function recordInput(key: string) {
  return { caseId, occurredAt: new Date().toISOString(), durationMinutes: 30, mode: 'OFFICE', lifeAreas: ['LANGUAGE'], idempotencyKey: key };
}

async function send(kind: Outcome['kind'], key?: string): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const result = kind === 'write' ? await graphql(RECORD, { input: recordInput(key!) }) : await graphql(READ, { id: caseId });
    const errors = result.errors ?? [];
    return {
      kind,
      key,
      startedAt,
      ms: Date.now() - startedAt,
      ok: errors.length === 0 && result.status === 200,
      codes: errors.map((e) => String(e.extensions?.code)),
      messages: errors.map((e) => e.message),
      consultationId: (result.data?.recordConsultation as { id?: string } | undefined)?.id,
    };
  } catch (error) {
    return { kind, key, startedAt, ms: Date.now() - startedAt, ok: false, codes: ['NO_RESPONSE'], messages: [String(error)] };
  }
}

async function readyOf(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function casesDb<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(platform.adminUrl, platform.databases.cases.database) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-db-restart-'));
  fs.chmodSync(dataDir, 0o755); // the embedded server may run as the system user "postgres" (when we are root)
  postgres = await startPostgresProcess({ dataDir: path.join(dataDir, 'postgres'), port: await freePort() });
  platform = await launchPlatform({
    dataDir,
    adminUrl: postgres.adminUrl,
    ports: { gateway: await freePort(), partners: await freePort(), cases: await freePort(), referrals: await freePort(), postgres: 0 },
    seedDemoData: true,
    devKeysDir: process.env.AUTH_DEV_KEYS_DIR!,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    },
    onLine: (process, line) => lines.push({ process, line }),
  });
  token = await testToken(DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!);
  const opened = await graphql(
    `mutation($client: NewClientInput!, $municipality: ID!) { openCase(input: { client: $client, municipalityId: $municipality }) { id } }`,
    {
      client: {
        givenName: 'Amal', familyName: 'Neustart', dateOfBirth: '1991-07-07', gender: 'FEMALE', nationalities: ['SY'], languages: ['ar'],
        arrivedOn: '2019-05-01', residenceStatus: 'RECOGNISED_REFUGEE', followUpAccommodation: 'CURRENT',
      },
      municipality: organizationIdForAgs(OFFENBURG_AGS),
    },
  );
  caseId = (opened.data!.openCase as { id: string }).id;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await postgres?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('PostgreSQL restarted under load', () => {
  const outcomes: Outcome[] = [];
  /** from: halt called; down: resume called (the server is down in between); to: resume done. */
  let outage: { from: number; down: number; to: number };
  let readyDuring: { subgraph: { status: number; body: Record<string, unknown> }; gateway: { status: number; body: Record<string, unknown> } };
  let pidsBefore: number[];

  beforeAll(async () => {
    pidsBefore = platform.processes.map((p) => p.pid);
    let running = true;
    let next = 0;
    const worker = async (w: number) => {
      while (running) {
        outcomes.push(await send('write', `restart-test-${w}-${next++}`));
        outcomes.push(await send('read'));
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(2_000);
    // As in a crash: every session ends at once, in-flight transactions are lost, recovery runs at the next start.
    outage = { from: Date.now(), down: 0, to: 0 };
    await postgres.halt('immediate');
    await sleep(1_500);
    readyDuring = { subgraph: await readyOf(platform.subgraphUrls.cases), gateway: await readyOf(platform.gatewayUrl) };
    await sleep(1_500);
    outage.down = Date.now();
    await postgres.resume();
    outage.to = Date.now();
    // The services reconnect by themselves: ready again without a restart.
    const deadline = Date.now() + 30_000;
    while ((await readyOf(platform.gatewayUrl)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the platform did not become ready again within 30 s of the restart');
      await sleep(200);
    }
    await sleep(3_000);
    running = false;
    await Promise.all(workers);
  }, 120_000);

  it('kept the load going through the outage (writes and reads before, during and after)', () => {
    const during = outcomes.filter((o) => o.startedAt > outage.from + 200 && o.startedAt < outage.down);
    expect(outcomes.filter((o) => o.startedAt < outage.from && o.ok).length).toBeGreaterThan(5);
    expect(during.length).toBeGreaterThan(5);
    expect(outcomes.filter((o) => o.startedAt > outage.to && o.ok).length).toBeGreaterThan(5);
  });

  it('failed requests fast during the outage, with a clear error and no request past the timeout', () => {
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    expect(slowest).toBeLessThan(REQUEST_BOUND_MS);
    const during = outcomes.filter((o) => o.startedAt > outage.from + 200 && o.startedAt < outage.down);
    expect(during.filter((o) => o.ok)).toEqual([]);
    // refused at once: the connection is refused, no request waits for the connect timeout or a statement timeout
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(CONNECT_TIMEOUT_MS + 1_000);
    const failed = outcomes.filter((o) => !o.ok);
    expect([...new Set(failed.flatMap((o) => o.codes))]).toEqual(['SERVICE_UNAVAILABLE']);
    for (const message of new Set(failed.flatMap((o) => o.messages))) {
      expect(message).toMatch(/^The cases database (is not reachable right now; nothing was changed|did not answer in time; nothing was changed|became unreachable while the change was being saved)/);
      expect(message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres:\/\/|SELECT|INSERT/);
    }
  });

  it('reported the outage on /ready: the subgraph 503 with the reason, the gateway 503 naming it', () => {
    expect(readyDuring.subgraph.status).toBe(503);
    expect(readyDuring.subgraph.body).toMatchObject({ status: 'not-ready', service: 'cases', reason: 'database unreachable (ECONNREFUSED)' });
    expect(readyDuring.gateway.status).toBe(503);
    expect(readyDuring.gateway.body).toMatchObject({
      status: 'not-ready',
      subgraphs: { partners: 'not-ready', cases: 'not-ready', referrals: 'not-ready' },
      reasons: { cases: 'database unreachable (ECONNREFUSED)' },
    });
  });

  it('answers again after the restart without restarting any service', async () => {
    const after = outcomes.filter((o) => o.startedAt > outage.to + 2_000);
    expect(after.length).toBeGreaterThan(3);
    expect(after.filter((o) => !o.ok).map((o) => o.messages)).toEqual([]);
    expect(platform.processes.map((p) => p.pid)).toEqual(pidsBefore);
    expect(platform.exits).toEqual([]);
    expect((await send('read')).ok).toBe(true);
  });

  it('lost no write and wrote none twice or by half: acknowledged once, failed at most once, each once after a retry', async () => {
    const writes = outcomes.filter((o) => o.kind === 'write');
    const keys = writes.map((o) => o.key!);
    const count = async () =>
      new Map(
        (await casesDb<{ key: string; n: string }>(`SELECT idempotency_key AS key, count(*) AS n FROM consultations WHERE idempotency_key = ANY($1) GROUP BY 1`, [keys])).map((r) => [
          r.key,
          Number(r.n),
        ]),
      );
    const stored = await count();
    for (const write of writes) {
      if (write.ok) expect({ key: write.key, rows: stored.get(write.key!) }).toEqual({ key: write.key, rows: 1 });
      else expect({ key: write.key, rows: stored.get(write.key!) ?? 0 }).toEqual({ key: write.key, rows: expect.any(Number) });
      expect(stored.get(write.key!) ?? 0).toBeLessThanOrEqual(1);
    }
    // The acknowledged id is the stored one.
    const ids = await casesDb<{ id: string; key: string }>(`SELECT id, idempotency_key AS key FROM consultations WHERE idempotency_key = ANY($1)`, [keys]);
    const idOf = new Map(ids.map((r) => [r.key, r.id]));
    for (const write of writes.filter((w) => w.ok)) expect(write.consultationId).toBe(idOf.get(write.key!));

    // Retried with their keys, the failed writes are there exactly once (the ones that had been saved come back as they are).
    const failed = writes.filter((w) => !w.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const write of failed) {
      const retry = await send('write', write.key);
      expect({ key: write.key, ok: retry.ok, messages: retry.messages }).toEqual({ key: write.key, ok: true, messages: [] });
      if (idOf.has(write.key!)) expect(retry.consultationId).toBe(idOf.get(write.key!));
    }
    const afterRetry = await count();
    expect(keys.filter((key) => afterRetry.get(key) !== 1)).toEqual([]);

    // No half write: every consultation of the run has the audit entry of its write, committed with it.
    const withoutAudit = await casesDb<{ key: string }>(
      `SELECT k.idempotency_key AS key FROM consultations k
        WHERE k.idempotency_key = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.action = 'write' AND a.operation = 'recordConsultation' AND k.id::text = ANY(a.entity_ids))`,
      [keys],
    );
    expect(withoutAudit).toEqual([]);
  }, 120_000);
});
