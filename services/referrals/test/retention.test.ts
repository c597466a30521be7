import { randomUUID } from 'node:crypto';
import { createDataSource, demoId, parsePeriod, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { ReferralRetentionJob } from '../src/outbox/retention';
import { referralsSubgraph } from '../src/subgraph';

// The subgraph's own background jobs stay idle here: the tests run the retention job themselves.
process.env.OUTBOX_POLL_MS = '3600000';
process.env.RETENTION_INTERVAL_MS = '0';

/*
 * Retention of referrals: closed longer than REFERRAL_RETENTION_MONTHS (default: CASE_RETENTION_MONTHS, 36), a
 * referral loses the client's snapshot and every free text, in itself, its history and its notifications; status,
 * dates and codes stay, and so do the referral figures of past periods.
 */

let referrals: TestSubgraph;
let app: DataSource;
const logs: Record<string, unknown>[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });

const M = demoId('test-municipality', 'retention');
const SENDER = demoId('test-provider', 'retention');
const RECEIVER = demoId('test-partner', 'retention-vhs');
const SECRET = 'Geheim';

interface Spec {
  status: string;
  sent: string;
  closed: string | null;
  level?: string;
  snapshot?: boolean;
}

/** A referral with its history and notifications, full of free text, inserted as the owner. */
async function referral(spec: Spec): Promise<string> {
  const completed = spec.status === 'completed';
  const outcome = completed ? { code: 'certificate', levelReached: spec.level ?? 'B1', certificate: `${SECRET}es Zertifikat DTZ`, note: `${SECRET}e Notiz zum Kurs` } : null;
  const sent = new Date(spec.sent);
  const responded = new Date(sent.getTime() + 2 * 86_400_000);
  const [row] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO referrals (case_id, sender_organization_id, receiver_organization_id, receiver_kind, status, municipality_id, life_area, reason,
                            idempotency_key, payload_hash, sent_at, response_due_at, first_response_at, started_at, closed_at, reason_code, reason_text,
                            outcome, consent_id, snapshot, snapshot_scope, snapshot_taken_at, created_at)
     VALUES ($1, $2, $3, 'language_course_provider', $4, $5, 'language', $6, $7, 'hash', $8, $8::timestamptz + interval '14 days', $9, $10, $11, $12, $13,
             $14, $15, $16, '{name}', $8, $8)
     RETURNING id`,
    [
      randomUUID(),
      SENDER,
      RECEIVER,
      spec.status,
      M,
      `${SECRET}er Grund: Integrationskurs für Frau Beispiel`,
      `key-${randomUUID()}`,
      sent,
      spec.status === 'expired' ? null : responded,
      completed ? new Date(sent.getTime() + 10 * 86_400_000) : null,
      spec.closed,
      spec.status === 'declined' ? 'no_capacity' : null,
      spec.status === 'declined' ? `${SECRET}e Absage: Frau Beispiel ist krank` : null,
      outcome,
      randomUUID(),
      spec.snapshot === false ? null : { name: { givenName: `${SECRET}name`, familyName: 'Beispiel' } },
    ],
  );
  const event = async (from: string | null, to: string, at: Date, details: Record<string, unknown> = {}) => {
    const [e] = await referrals.ownerQuery<{ id: string }>(
      `INSERT INTO referral_events (referral_id, sender_organization_id, receiver_organization_id, from_status, to_status, actor_user_id, actor_side, comment, details, occurred_at)
       VALUES ($1, $2, $3, $4, $5, 'someone', $6, $7, $8, $9) RETURNING id`,
      [row.id, SENDER, RECEIVER, from, to, to === 'sent' ? 'sender' : 'receiver', `${SECRET}er Kommentar zu ${to}`, details, at],
    );
    await referrals.ownerQuery(
      `INSERT INTO outbox (event_id, referral_id, recipient_organization_id, sender_organization_id, topic, payload, status) VALUES ($1, $2, $3, $4, $5, $6, 'delivered')`,
      [e.id, row.id, to === 'sent' ? RECEIVER : SENDER, SENDER, `referral.${to}`, { referralId: row.id, from, to, details }],
    );
  };
  await event(null, 'sent', sent, { lifeArea: 'language' });
  if (spec.closed) await event('sent', spec.status, new Date(spec.closed), completed ? { outcome } : spec.status === 'declined' ? { reason: 'no_capacity' } : {});
  return row.id;
}

let old: string[]; // closed in 2022: anonymised
let recent: string[]; // closed in 2026: kept
let open: string; // sent in 2022, still open: kept

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph);
  app = createDataSource({ url: referrals.database.appUrl, applicationName: 'test-referral-retention', entities: referralsSubgraph.entities, poolSize: 4 });
  await app.initialize();
  old = [];
  for (let i = 0; i < 6; i++) old.push(await referral({ status: 'completed', sent: `2022-03-0${i + 1}T10:00:00Z`, closed: '2022-05-10T10:00:00Z', level: i < 4 ? 'B1' : 'A2' }));
  for (let i = 0; i < 5; i++) old.push(await referral({ status: 'declined', sent: `2022-03-1${i}T10:00:00Z`, closed: '2022-04-01T10:00:00Z' }));
  for (let i = 0; i < 2; i++) old.push(await referral({ status: 'expired', sent: `2022-06-0${i + 1}T10:00:00Z`, closed: `2022-06-2${i}T10:00:00Z`, snapshot: false }));
  recent = [];
  for (let i = 0; i < 3; i++) recent.push(await referral({ status: 'completed', sent: `2026-05-0${i + 1}T10:00:00Z`, closed: '2026-06-01T10:00:00Z' }));
  open = await referral({ status: 'accepted', sent: '2022-03-20T10:00:00Z', closed: null });
});
afterAll(async () => {
  await app?.destroy();
  await referrals?.stop();
});

const rowsOf = async (ids: string[]) => ({
  referrals: await referrals.ownerQuery(`SELECT * FROM referrals WHERE id = ANY($1) ORDER BY id`, [ids]),
  events: await referrals.ownerQuery(`SELECT * FROM referral_events WHERE referral_id = ANY($1) ORDER BY id`, [ids]),
  outbox: await referrals.ownerQuery(`SELECT * FROM outbox WHERE referral_id = ANY($1) ORDER BY id`, [ids]),
});

const PERIODS = ['2022', '2022-T1', '2022-T2', '2026-T2', '2026'].map((label) => parsePeriod(label));

/** Every referral figure and breakdown of the municipality and the sender, unsuppressed, as the functions return them. */
async function rawFigures(): Promise<Record<string, unknown>[]> {
  const client = await referrals.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'coordinator', true)`, [randomUUID()]);
    const all: Record<string, unknown>[] = [];
    for (const fn of ['statistics_referral_figures', 'statistics_referral_breakdowns']) {
      const groups = PERIODS.flatMap(() => [
        ['municipality', M],
        ['provider', SENDER],
      ]);
      const { rows } = await client.query(`SELECT $1::text AS fn, f.* FROM ${fn}($2, $3, $4, $5, $6) f ORDER BY 2, 3, 4, 5, 6`, [
        fn,
        groups.map((g) => g[0]),
        groups.map((g) => g[1]),
        PERIODS.flatMap((p) => [p.label, p.label]),
        PERIODS.flatMap((p) => [p.start, p.start]),
        PERIODS.flatMap((p) => [p.end, p.end]),
      ]);
      all.push(...rows);
    }
    await client.query('ROLLBACK');
    return all;
  } finally {
    await client.end();
  }
}

/** What the cooperation meeting gets through the graph, suppressed, for the same groups and periods. */
async function publishedFigures(): Promise<unknown> {
  const fields = `referralMetrics { metric value numerator denominator suppressed trend { period value suppressed } } referralBreakdowns { breakdown key count suppressed }`;
  const result = await referrals.graphql(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on MunicipalityStatistics { ${fields} } ... on ProviderStatistics { ${fields} } } }`,
    {
      r: PERIODS.flatMap((p) => [
        { __typename: 'MunicipalityStatistics', municipalityId: M, period: p.label },
        { __typename: 'ProviderStatistics', providerId: SENDER, period: p.label },
      ]),
    },
    await roleToken(randomUUID(), Role.Coordinator),
  );
  expect(result.errors).toBeUndefined();
  return result.data;
}

describe('the referral retention job', () => {
  it('in a dry run names exactly the referrals closed longer than the period and changes nothing', async () => {
    const before = await rowsOf([...old, ...recent, open]);
    logs.length = 0;
    const job = new ReferralRetentionJob(app, logger);
    expect(job.retentionMonths).toBe(36);
    const result = await job.runOnce({ dryRun: true });
    expect([...result.expired].sort()).toEqual([...old].sort());
    expect(result).toMatchObject({ dryRun: true, anonymised: [], snapshotsDeleted: 0, events: 0, notifications: 0 });
    expect(await rowsOf([...old, ...recent, open])).toEqual(before);
    expect(logs).toEqual([expect.objectContaining({ msg: 'retention (dry run): referrals that would be anonymised', expired: 13, anonymised: 0 })]);
  });

  it('deletes the snapshot and every free text, keeps status, dates, codes and steps, and the figures stay exactly the same', async () => {
    const before = await rowsOf(old);
    const kept = await rowsOf([...recent, open]);
    const figures = await rawFigures();
    const published = await publishedFigures();
    expect(figures.some((row) => row.period === '2022' && row.figure === 'COMPLETION_RATE' && Number(row.n) === 6)).toBe(true);
    logs.length = 0;
    const result = await new ReferralRetentionJob(app, logger).runOnce();
    expect([...result.anonymised].sort()).toEqual([...old].sort());
    // 11 snapshots (the expired ones had none), 2 events and 2 notifications each.
    expect(result).toMatchObject({ dryRun: false, snapshotsDeleted: 11, events: 26, notifications: 26 });
    expect(logs).toEqual([
      expect.objectContaining({ msg: 'retention: referrals anonymised', retentionMonths: 36, expired: 13, anonymised: 13, snapshotsDeleted: 11, events: 26, notifications: 26 }),
    ]);
    expect(JSON.stringify(logs)).not.toContain(SECRET);

    const after = await rowsOf(old);
    expect(JSON.stringify(after)).not.toContain(SECRET);
    expect(JSON.stringify(after)).not.toContain('Beispiel');
    for (const row of after.referrals) {
      const was = before.referrals.find((r) => r.id === row.id)!;
      expect(row).toMatchObject({ snapshot: null, reason: null, reason_text: null, idempotency_key: null, payload_hash: null, version: (was.version as number) + 1 });
      expect(row.anonymised_at).not.toBeNull();
      expect(row.snapshot_withdrawn_at === null).toBe(was.snapshot === null);
      // What the figures and the loop read stays as it was.
      for (const column of ['status', 'sent_at', 'response_due_at', 'first_response_at', 'started_at', 'closed_at', 'municipality_id', 'sender_organization_id',
        'receiver_organization_id', 'receiver_kind', 'life_area', 'reason_code', 'snapshot_scope', 'created_at']) {
        expect({ column, value: row[column] }).toEqual({ column, value: was[column] });
      }
      if (was.outcome) {
        expect(row.outcome).toEqual({ code: 'certificate', levelReached: (was.outcome as { levelReached: string }).levelReached, certificate: null, note: null });
      }
    }
    for (const event of after.events) {
      const was = before.events.find((e) => e.id === event.id)!;
      expect(event).toEqual({ ...was, comment: null, details: was.details && (was.details as { outcome?: object }).outcome ? { outcome: { ...(was.details as { outcome: object }).outcome, certificate: null, note: null } } : was.details });
    }
    for (const row of after.outbox) {
      const was = before.outbox.find((o) => o.id === row.id)!;
      expect({ ...row, payload: null }).toEqual({ ...was, payload: null });
      expect(JSON.stringify(row.payload)).not.toContain(SECRET);
    }
    // The recent and the open referrals are untouched.
    expect(await rowsOf([...recent, open])).toEqual(kept);

    expect(await rawFigures()).toEqual(figures);
    expect(await publishedFigures()).toEqual(published);

    // One system entry per referral in the audit trail, for the sending organisation's auditors.
    const entries = await referrals.ownerQuery<{ entity_ids: string[]; action: string; actor_user_id: string; fields: string[] }>(
      `SELECT entity_ids, action, actor_user_id, fields FROM audit_entries WHERE operation = 'referralRetention'`,
    );
    expect(entries.map((e) => e.entity_ids[0]).sort()).toEqual([...old].sort());
    for (const entry of entries) expect(entry).toMatchObject({ action: 'system', actor_user_id: 'retention-worker', fields: expect.arrayContaining(['clientData', 'reasonText']) });
    expect(JSON.stringify(entries)).not.toContain(SECRET);
  });

  it('changes nothing in a second round', async () => {
    const before = await rowsOf([...old, ...recent, open]);
    logs.length = 0;
    expect(await new ReferralRetentionJob(app, logger).runOnce()).toMatchObject({ expired: [], anonymised: [], snapshotsDeleted: 0 });
    expect(await rowsOf([...old, ...recent, open])).toEqual(before);
    expect(logs).toEqual([]);
  });

  it('shows the partner and the sender a referral without client data, with status and history', async () => {
    const [completed] = old;
    const query = `query($id: ID!) { referral(id: $id) { status reason reasonText clientData clientDataScope clientDataWithdrawnAt anonymisedAt
      outcome { code levelReached certificate } history { fromStatus toStatus comment } } }`;
    for (const token of [await roleToken(RECEIVER, Role.Partner), await roleToken(SENDER, Role.Caseworker)]) {
      const result = await referrals.graphql<{ referral: Record<string, unknown> }>(query, { id: completed }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.referral).toMatchObject({
        status: 'COMPLETED',
        reason: null,
        reasonText: null,
        clientData: null,
        clientDataScope: [],
        outcome: { code: 'CERTIFICATE', levelReached: 'B1', certificate: null },
        history: [
          { fromStatus: null, toStatus: 'SENT', comment: null },
          { fromStatus: 'SENT', toStatus: 'COMPLETED', comment: null },
        ],
      });
      expect(result.data!.referral.anonymisedAt).not.toBeNull();
      expect(result.data!.referral.clientDataWithdrawnAt).not.toBeNull();
    }
  });

  it('takes each referral once when several replicas run at the same moment', async () => {
    const more: string[] = [];
    for (let i = 0; i < 6; i++) more.push(await referral({ status: 'declined', sent: `2021-0${i + 1}-01T10:00:00Z`, closed: `2021-0${i + 1}-05T10:00:00Z` }));
    const jobs = [new ReferralRetentionJob(app, logger, { batchSize: 2 }), new ReferralRetentionJob(app, logger, { batchSize: 2 })];
    const done: string[] = [];
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(jobs.map((job) => job.runOnce()));
      done.push(...results.flatMap((r) => r.anonymised));
    }
    expect([...done].sort()).toEqual([...more].sort());
  });

  it('lets only the retention worker change the history and the notifications', async () => {
    const client = await referrals.appClient();
    const run = async (organizationId: string, roles: string, sql: string) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [organizationId, roles]);
        return (await client.query(sql, [recent[0]])).rowCount;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      const events = `UPDATE referral_events SET comment = NULL WHERE referral_id = $1`;
      const outbox = `UPDATE outbox SET payload = '{}' WHERE referral_id = $1`;
      expect(await run(SENDER, 'caseworker,lead', events)).toBe(0);
      expect(await run(RECEIVER, 'partner', events)).toBe(0);
      expect(await run(SENDER, 'caseworker,lead', outbox)).toBe(0);
      expect(await run('', 'retention-worker', events)).toBe(2);
      expect(await run('', 'retention-worker', outbox)).toBe(2);
    } finally {
      await client.end();
    }
  });

  it('takes its period from REFERRAL_RETENTION_MONTHS, else CASE_RETENTION_MONTHS', async () => {
    const saved = { referral: process.env.REFERRAL_RETENTION_MONTHS, cases: process.env.CASE_RETENTION_MONTHS };
    try {
      process.env.CASE_RETENTION_MONTHS = '24';
      delete process.env.REFERRAL_RETENTION_MONTHS;
      expect(new ReferralRetentionJob(app, logger).retentionMonths).toBe(24);
      process.env.REFERRAL_RETENTION_MONTHS = '6';
      const job = new ReferralRetentionJob(app, logger, { now: () => new Date('2027-01-01T00:00:00Z') });
      expect(job.retentionMonths).toBe(6);
      // On 1 January 2027, six months after they closed on 1 June 2026: the recent referrals expire.
      expect([...(await job.runOnce({ dryRun: true })).expired].sort()).toEqual([...recent].sort());
    } finally {
      for (const [name, value] of [
        ['REFERRAL_RETENTION_MONTHS', saved.referral],
        ['CASE_RETENTION_MONTHS', saved.cases],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
