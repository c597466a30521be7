import net from 'node:net';
import { OFFENBURG_AGS, organizationIdForAgs, withDatabase } from '@integration-graph/common';
import { Client } from 'pg';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Issue 9, "Failures": SIGTERM on any process. It stops taking new requests (new connections are refused), lets the
 * requests in flight finish and answer in full, closes idle keep-alive connections at once instead of waiting for
 * them, finishes its background work (the audit chainer chains what the last requests wrote) and exits with code 0.
 *
 * A request is held in flight without any test hook in the code: the test locks the consultations table in the cases
 * database, so that a recordConsultation waits for the lock in PostgreSQL until the test lets it go.
 */
let platform: TestPlatform;
let caseworker: string;
let caseId: string;

const portOf = (url: string) => Number(new URL(url).port);
const pidOf = (name: string) => platform.processes.find((p) => p.name === name)!.pid;

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a new TCP connection to the port is accepted ('open') or refused. */
function tryConnect(port: number): Promise<'open' | 'refused' | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : String(error.code)));
  });
}

/** A client that keeps an idle keep-alive connection open and does not close its side when the server does. */
async function idleKeepAliveConnection(port: number): Promise<{ closed: Promise<number> }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
  socket.on('error', () => undefined);
  // 'end': the server closed its side (this client would keep its own open forever).
  return { closed: new Promise((resolve) => socket.once('end', () => resolve(Date.now()))) };
}

/** Holds inserts into consultations (cases) until release(); tells when a request waits for it. */
async function lockConsultations() {
  const client = new Client({ connectionString: withDatabase(platform.adminUrl, platform.databases.cases.database) });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE consultations IN EXCLUSIVE MODE');
  return {
    waiting: async () =>
      Number(
        (await client.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`))
          .rows[0].n,
      ) > 0,
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

async function casesQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(platform.adminUrl, platform.databases.cases.database) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const RECORD = `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id durationMinutes mode } }`;
const record = (key: string) =>
  platform.query<{ recordConsultation: { id: string; durationMinutes: number; mode: string } }>(
    RECORD,
    { input: { caseId, occurredAt: new Date().toISOString(), durationMinutes: 45, mode: 'OFFICE', lifeAreas: ['WORK'], idempotencyKey: key } },
    caseworker,
  );

/**
 * SIGTERM to `name` while a recordConsultation through the gateway waits in PostgreSQL; checks what happens in
 * between, lets the request go and returns its response and how the process ended.
 */
async function stopWithRequestInFlight(name: 'gateway' | 'cases', key: string) {
  const pid = pidOf(name);
  const port = portOf(name === 'gateway' ? platform.gatewayUrl : platform.subgraphUrls.cases);
  const idle = await idleKeepAliveConnection(port);
  const lock = await lockConsultations();
  const response = record(key);
  await waitFor(() => lock.waiting(), 'the request to wait for the lock');
  const linesBefore = platform.lines.length;
  process.kill(pid, 'SIGTERM');
  await waitFor(() => platform.lines.slice(linesBefore).some((l) => l.process === name && /stopping: finishing requests in flight/.test(l.line)), `${name} to begin stopping`);
  // No new requests: a new connection is refused while the request in flight is still being worked on.
  const newConnection = await waitFor(async () => {
    const state = await tryConnect(port);
    return state === 'open' ? undefined : state;
  }, 'the port to refuse connections', 2_000);
  const stillRunning = !platform.exits.some((exit) => exit.pid === pid);
  // The idle keep-alive connection was closed at once (it does not hold the stop back).
  const idleClosedAt = await Promise.race([idle.closed, new Promise<number>((resolve) => setTimeout(() => resolve(0), 3_000))]);
  const released = Date.now();
  await lock.release();
  const result = await response;
  const exit = await waitFor(() => platform.exits.find((e) => e.pid === pid), `${name} to exit`, 20_000);
  return { newConnection, stillRunning, idleClosed: idleClosedAt > 0 && idleClosedAt <= released, result, exit, exitAfterRelease: exit.at - released };
}

beforeAll(async () => {
  // The audit chainer runs only at the stop here, so that its last round is seen to chain what the last request wrote.
  platform = await startTestPlatform({ env: { AUDIT_CHAIN_INTERVAL_MS: '600000' } });
  caseworker = await platform.tokenOf('ortenaukreis-caseworker');
  const opened = await platform.query<{ openCase: { id: string } }>(
    `mutation($client: NewClientInput!, $municipality: ID!) { openCase(input: { client: $client, municipalityId: $municipality }) { id } }`,
    {
      client: {
        givenName: 'Samir', familyName: 'Feierabend', dateOfBirth: '1985-02-02', gender: 'MALE', nationalities: ['AF'], languages: ['fa'],
        arrivedOn: '2018-09-01', residenceStatus: 'RECOGNISED_REFUGEE', followUpAccommodation: 'CURRENT',
      },
      municipality: organizationIdForAgs(OFFENBURG_AGS),
    },
    caseworker,
  );
  caseId = opened.data!.openCase.id;
}, 120_000);
afterAll(() => platform?.stop());

describe('SIGTERM with a request in flight', () => {
  it('the gateway refuses new connections, answers the request in full, closes idle connections at once and exits 0', async () => {
    const outcome = await stopWithRequestInFlight('gateway', 'shutdown-gateway-1');
    expect(outcome.newConnection).toBe('refused');
    expect(outcome.stillRunning).toBe(true);
    expect(outcome.idleClosed).toBe(true);
    expect(outcome.result.errors).toBeUndefined();
    expect(outcome.result.data!.recordConsultation).toMatchObject({ id: expect.any(String), durationMinutes: 45, mode: 'OFFICE' });
    expect(outcome.exit).toMatchObject({ name: 'gateway', code: 0, signal: null, killed: false });
    expect(outcome.exitAfterRelease).toBeLessThan(3_000);
    const rows = await casesQuery(`SELECT id FROM consultations WHERE idempotency_key = $1`, ['shutdown-gateway-1']);
    expect(rows).toEqual([{ id: outcome.result.data!.recordConsultation.id }]);
    await platform.restart('gateway');
  }, 60_000);

  it('a subgraph refuses new connections, commits and answers the request, chains its audit entries and exits 0', async () => {
    const outcome = await stopWithRequestInFlight('cases', 'shutdown-cases-1');
    expect(outcome.newConnection).toBe('refused');
    expect(outcome.stillRunning).toBe(true);
    expect(outcome.idleClosed).toBe(true);
    expect(outcome.result.errors).toBeUndefined();
    expect(outcome.result.data!.recordConsultation).toMatchObject({ id: expect.any(String), durationMinutes: 45, mode: 'OFFICE' });
    expect(outcome.exit).toMatchObject({ name: 'cases', code: 0, signal: null, killed: false });
    expect(outcome.exitAfterRelease).toBeLessThan(3_000);
    const id = outcome.result.data!.recordConsultation.id;
    expect(await casesQuery(`SELECT id FROM consultations WHERE idempotency_key = $1`, ['shutdown-cases-1'])).toEqual([{ id }]);
    // Its audit entry was written with it and chained by the chainer's last round before the process exited.
    expect(await casesQuery(`SELECT seq IS NOT NULL AS chained FROM audit_entries WHERE action = 'write' AND $1 = ANY(entity_ids)`, [id])).toEqual([{ chained: true }]);
    expect(await casesQuery(`SELECT count(*)::int AS unchained FROM audit_entries WHERE seq IS NULL`)).toEqual([{ unchained: 0 }]);
    await platform.restart('cases');
    const again = await record('shutdown-cases-1');
    expect(again.data!.recordConsultation.id).toBe(id);
  }, 60_000);
});
