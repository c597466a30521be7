import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDataSource, DEMO_ORGANIZATIONS, demoUserToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { CaseRetentionJob, startRetentionTimer } from '../src/rights/retention-job';
import { casesSubgraph } from '../src/subgraph';
import { ClientFixture, clientWithEverything, PERSONAL_VALUES, rowsOf } from './fixtures/client-with-everything';

// The subgraph's own retention timer stays idle here: the tests run the job themselves.
process.env.RETENTION_INTERVAL_MS = '0';

/*
 * The retention job: clients whose cases are all closed, the last closure longer ago than CASE_RETENTION_MONTHS
 * (36), are anonymised through anonymiseClient (the code of the erasure request), once, as the retention worker.
 */

let cases: TestSubgraph;
let app: DataSource;
let caseworker: string;
let lead: string;
const logs: Record<string, unknown>[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
const MONTH = 30 * 86_400_000;

let expired: ClientFixture; // all cases closed 2023-06-01: anonymised by the first real round
let recent: ClientFixture; // closed 20 months ago: not yet
let stillOpen: ClientFixture; // an expired closed case and an open one
let restricted: ClientFixture; // expired, but its processing is restricted
let secondCase: string;

const version = async (table: string, id: string) => (await cases.ownerQuery<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0].version;
const anonymised = async (clientId: string) =>
  (await cases.ownerQuery<{ anonymised_at: Date | null }>(`SELECT anonymised_at FROM clients WHERE id = $1`, [clientId]))[0].anonymised_at !== null;

/** A fixture client whose only case was closed at `closedAt` (set as the owner: the API closes now). */
async function closedClient(suffix: string, closedAt: Date, openedAt = '2022-01-10T09:00:00Z'): Promise<ClientFixture> {
  const fixture = await clientWithEverything(cases, caseworker, suffix, { openedAt });
  const closed = await cases.graphql(`mutation($input: CloseCaseInput!) { closeCase(input: $input) { id } }`, {
    input: { caseId: fixture.caseId, expectedVersion: await version('cases', fixture.caseId), reason: 'OTHER', note: PERSONAL_VALUES.closureNote },
  }, caseworker);
  expect(closed.errors).toBeUndefined();
  await cases.ownerQuery(`UPDATE cases SET closed_at = $2 WHERE id = $1`, [fixture.caseId, closedAt]);
  return fixture;
}

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
  app = createDataSource({ url: cases.database.appUrl, applicationName: 'test-retention', entities: casesSubgraph.entities, poolSize: 4 });
  await app.initialize();
  caseworker = await demoUserToken('ortenaukreis-caseworker');
  lead = await demoUserToken('ortenaukreis-lead');
  expired = await closedClient('expired', new Date('2023-06-01T10:00:00Z'));
  recent = await closedClient('recent', new Date(Date.now() - 20 * MONTH), '2023-01-10T09:00:00Z');
  stillOpen = await closedClient('still-open', new Date('2023-06-01T10:00:00Z'));
  const reopened = await cases.graphql<{ openCase: { id: string } }>(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
    input: { clientId: stillOpen.clientId, openedAt: '2026-03-02T09:00:00Z' },
  }, caseworker);
  expect(reopened.errors).toBeUndefined();
  secondCase = reopened.data!.openCase.id;
  restricted = await closedClient('restricted', new Date('2023-06-01T10:00:00Z'));
  const restriction = await cases.graphql(`mutation($input: RestrictClientProcessingInput!) { restrictClientProcessing(input: $input) { id } }`, {
    input: { clientId: restricted.clientId, expectedVersion: await version('clients', restricted.clientId), reason: 'LEGAL_CLAIMS' },
  }, lead);
  expect(restriction.errors).toBeUndefined();
});
afterAll(async () => {
  await app?.destroy();
  await cases?.stop();
});

describe('the retention job', () => {
  it('in a dry run names exactly the expired clients and changes nothing', async () => {
    const before = await rowsOf(cases, expired);
    logs.length = 0;
    const result = await new CaseRetentionJob(app, logger).runOnce({ dryRun: true });
    expect(result.expired).toEqual([{ clientId: expired.clientId, caseIds: [expired.caseId], lastClosedAt: new Date('2023-06-01T10:00:00Z') }]);
    expect(result.anonymised).toEqual([]);
    expect(await rowsOf(cases, expired)).toEqual(before);
    expect(logs).toEqual([expect.objectContaining({ msg: 'retention (dry run): clients that would be anonymised', expired: 1, clientIds: [expired.clientId] })]);
  });

  it('answers `npm run retention -- --dry-run` the same (ids and counts only)', async () => {
    const cli = path.join(__dirname, '..', 'dist', 'cli', 'retention.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--dry-run', '--database-url', cases.database.appUrl], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    const output = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(output).toMatchObject({ dryRun: true, retentionMonths: 36, anonymised: [], skipped: [] });
    expect(output.expired).toEqual([{ clientId: expired.clientId, caseIds: [expired.caseId], lastClosedAt: '2023-06-01T10:00:00.000Z' }]);
    expect(stdout).not.toMatch(/Zuhal|Vertraulich|Geheim/);
    expect(await anonymised(expired.clientId)).toBe(false);
  });

  it('anonymises the expired clients once, logs counts and ids only, and leaves recent, open and restricted ones alone', async () => {
    const untouched = { recent: await rowsOf(cases, recent), stillOpen: await rowsOf(cases, stillOpen), restricted: await rowsOf(cases, restricted) };
    logs.length = 0;
    const job = new CaseRetentionJob(app, logger);
    expect(job.retentionMonths).toBe(36);
    const result = await job.runOnce();
    expect(result.expired.map((e) => e.clientId)).toEqual([expired.clientId]);
    expect(result.skipped).toEqual([]);
    expect(result.anonymised).toEqual([
      expect.objectContaining({
        clientId: expired.clientId,
        ownerOrganizationId: DEMO_ORGANIZATIONS.ortenaukreis.id,
        reason: 'retention',
        ground: null,
        actor: { userId: 'retention-worker', organizationId: null },
        alreadyAnonymised: false,
        caseIds: [expired.caseId],
        consentsRevoked: 2,
        householdAnonymised: true,
      }),
    ]);
    const after = await rowsOf(cases, expired);
    expect(after.clients[0]).toMatchObject({ given_name: 'anonymisiert', anonymisation_reason: 'retention', phone: null });
    expect(after.goals.map((g) => g.description)).toEqual(['anonymisiert']);
    const text = JSON.stringify(after);
    for (const value of [PERSONAL_VALUES.consultationNote, PERSONAL_VALUES.goalChanged, PERSONAL_VALUES.closureNote, PERSONAL_VALUES.email]) expect(text).not.toContain(value);

    expect(logs.map((line) => line.msg)).toEqual(['retention: client anonymised', 'retention: round done']);
    expect(logs[0]).toMatchObject({
      clientId: expired.clientId,
      caseIds: [expired.caseId],
      consentsRevoked: 2,
      householdAnonymised: true,
      cleared: { Client: 1, Case: 1, Consent: 2, IntegrationPlan: 1, Goal: 1, Measure: 1, Consultation: 1, PlanRevision: 5, Household: 1, HouseholdChild: 1 },
    });
    expect(logs[1]).toMatchObject({ retentionMonths: 36, expired: 1, anonymised: 1, skipped: 0, clientIds: [expired.clientId], cases: 1 });
    expect(JSON.stringify(logs)).not.toMatch(/Zuhal|Vertraulich|Geheim|example\.org|4711/);

    expect(await rowsOf(cases, recent)).toEqual(untouched.recent);
    expect(await rowsOf(cases, stillOpen)).toEqual(untouched.stillOpen);
    expect(await rowsOf(cases, restricted)).toEqual(untouched.restricted);

    // What the job did is in the audit trail too: one system entry, ids and field names only.
    const entries = await cases.ownerQuery<Record<string, unknown>>(
      `SELECT action, operation, actor_user_id, actor_roles, entity_type, entity_ids, fields, data_owner_organization_id, subject_client_ids, subject_case_ids, purpose
         FROM audit_entries WHERE operation = 'caseRetention' AND subject_client_ids @> ARRAY[$1]::uuid[]`,
      [expired.clientId],
    );
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'system',
        actor_user_id: 'retention-worker',
        actor_roles: ['retention-worker'],
        entity_type: 'Client',
        data_owner_organization_id: DEMO_ORGANIZATIONS.ortenaukreis.id,
        subject_case_ids: [expired.caseId],
        purpose: 'Löschung nach Aufbewahrungsfrist (36 Monate, Art. 5 (1) (e) DSGVO)',
      }),
    ]);
    expect(entries[0].entity_ids).toEqual(expect.arrayContaining([expired.clientId, expired.caseId]));
    expect(entries[0].fields).toEqual(expect.arrayContaining(['Client.givenName', 'Consultation.note']));
    expect(JSON.stringify(entries)).not.toMatch(/Zuhal|Vertraulich|Geheim|example\.org|4711/);
  });

  it('changes nothing in a second round', async () => {
    const before = await rowsOf(cases, expired);
    logs.length = 0;
    const result = await new CaseRetentionJob(app, logger).runOnce();
    expect(result).toMatchObject({ expired: [], anonymised: [], skipped: [] });
    expect(await rowsOf(cases, expired)).toEqual(before);
    expect(logs).toEqual([]);
  });

  it('goes by its clock and its period: a client expires once the period after the last closure has passed', async () => {
    const in20Months = new CaseRetentionJob(app, logger, { now: () => new Date(Date.now() + 20 * MONTH) });
    expect((await in20Months.runOnce()).anonymised.map((r) => r.clientId)).toEqual([recent.clientId]);
    // The client with an open case never expires, however long its first case has been closed.
    const muchLater = new CaseRetentionJob(app, logger, { now: () => new Date(Date.now() + 120 * MONTH) });
    const later = await muchLater.runOnce({ dryRun: true });
    expect(later.expired.map((e) => e.clientId)).not.toContain(stillOpen.clientId);
    expect(await anonymised(stillOpen.clientId)).toBe(false);
    expect((await cases.ownerQuery(`SELECT status FROM cases WHERE id = $1`, [secondCase]))[0]).toEqual({ status: 'intake' });
  });

  it('leaves a restricted client alone (invisible to the worker) and takes it once the restriction is lifted', async () => {
    expect(await anonymised(restricted.clientId)).toBe(false);
    const lifted = await cases.graphql(`mutation($input: LiftClientProcessingRestrictionInput!) { liftClientProcessingRestriction(input: $input) { id } }`, {
      input: { clientId: restricted.clientId, expectedVersion: await version('clients', restricted.clientId) },
    }, lead);
    expect(lifted.errors).toBeUndefined();
    expect((await new CaseRetentionJob(app, logger).runOnce()).anonymised.map((r) => r.clientId)).toEqual([restricted.clientId]);
  });

  it('anonymises each client once when several replicas run at the same moment', async () => {
    const e1 = await closedClient('replica-1', new Date('2023-02-01T10:00:00Z'));
    const e2 = await closedClient('replica-2', new Date('2023-03-01T10:00:00Z'));
    const [a, b] = await Promise.all([new CaseRetentionJob(app, logger).runOnce(), new CaseRetentionJob(app, logger).runOnce()]);
    const reports = [...a.anonymised, ...b.anonymised];
    // Both clients, each by exactly one of the two (the other skipped it: locked, or already anonymised).
    expect(reports.map((r) => r.clientId).sort()).toEqual([e1.clientId, e2.clientId].sort());
    expect(reports.every((r) => !r.alreadyAnonymised)).toBe(true);
    for (const id of [e1.clientId, e2.clientId]) {
      const candidateIn = [a, b].filter((run) => run.expired.some((e) => e.clientId === id)).length;
      expect([...a.skipped, ...b.skipped].filter((skipped) => skipped === id)).toHaveLength(candidateIn - 1);
    }
  });

  it('lets only the retention worker change other organisations’ rows and plan revisions', async () => {
    const client = await cases.appClient();
    const run = async (organizationId: string, roles: string, sql: string) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [organizationId, roles]);
        return (await client.query(sql, [recent.caseId])).rowCount;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      const revisions = `UPDATE plan_revisions SET summary = 'x' WHERE case_id = $1`;
      // Append-only for the organisation's own staff; a worker scoped to another organisation finds nothing.
      expect(await run(DEMO_ORGANIZATIONS.ortenaukreis.id, 'lead,caseworker,auditor', revisions)).toBe(0);
      expect(await run(DEMO_ORGANIZATIONS.offenburg.id, 'retention-worker', revisions)).toBe(0);
      expect(await run(DEMO_ORGANIZATIONS.ortenaukreis.id, 'retention-worker', revisions)).toBe(5);
      expect(await run('', 'retention-worker', revisions)).toBe(5);
    } finally {
      await client.end();
    }
  });
});

describe('the retention timer', () => {
  it('runs rounds one interval apart, again at once after a full batch, never overlapping, and stops after the round in flight', async () => {
    const rounds: number[] = [];
    let running = 0;
    let overlap = false;
    const jobs = startRetentionTimer(
      logger,
      'test-retention',
      async () => {
        overlap ||= running > 0;
        running += 1;
        rounds.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        return { done: 1, full: rounds.length === 1 };
      },
      50,
    );
    await new Promise((resolve) => setTimeout(resolve, 180));
    await jobs.stop();
    const count = rounds.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(rounds[1] - rounds[0]).toBeLessThan(45); // the full first batch is followed at once
    expect(overlap).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(rounds.length).toBe(count);
    expect(startRetentionTimer(logger, 'off', async () => ({ done: 0, full: false }), 0)).toBeDefined();
  });
});
