import { createDataSource, DEMO_CASES, DEMO_ORGANIZATIONS, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { DeadlineJob, EXPIRY_COMMENT } from '../src/outbox/deadlines';
import { referralsSubgraph } from '../src/subgraph';

// The subgraph's own background jobs stay idle here: the tests run the deadline job themselves.
process.env.OUTBOX_POLL_MS = '3600000';

const SENDER = DEMO_ORGANIZATIONS.ortenaukreis.id;
const RECEIVER = DEMO_ORGANIZATIONS.vhs.id;
const DAY = 86_400_000;

let referrals: TestSubgraph;
let app: DataSource;
let job: DeadlineJob;

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph, { seed: true });
  app = createDataSource({ url: referrals.database.appUrl, applicationName: 'test-deadlines', entities: referralsSubgraph.entities, poolSize: 4 });
  await app.initialize();
  job = new DeadlineJob(app, pino({ level: 'silent' }));
});
afterAll(async () => {
  await app?.destroy();
  await referrals?.stop();
});

/** A referral in a status, due in `dueIn` ms (negative: overdue), inserted as the owner. */
async function referral(status: string, dueIn: number | null): Promise<string> {
  const [row] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO referrals (case_id, sender_organization_id, receiver_organization_id, status, sent_at, response_due_at, reason_code, outcome)
     VALUES ($1, $2, $3, $4, now() - interval '20 days', $5, $6, $7) RETURNING id`,
    [
      DEMO_CASES[0].id,
      SENDER,
      RECEIVER,
      status,
      dueIn === null ? null : new Date(Date.now() + dueIn),
      status === 'declined' ? 'no_capacity' : null,
      status === 'completed' ? { code: 'service_provided' } : null,
    ],
  );
  return row.id;
}

type ReferralRow = { id: string; status: string; version: number; closed_at: Date | null };
const row = async (id: string) => (await referrals.ownerQuery<ReferralRow>(`SELECT id, status, version, closed_at FROM referrals WHERE id = $1`, [id]))[0];
const events = (id: string) => referrals.ownerQuery(`SELECT * FROM referral_events WHERE referral_id = $1 ORDER BY occurred_at`, [id]);

describe('response deadline job', () => {
  it('expires SENT and RECEIVED referrals past their deadline with a system event and a notification to both sides, and leaves the others alone', async () => {
    const sent = await referral('sent', -DAY);
    const received = await referral('received', -60_000);
    const notYet = await referral('sent', DAY);
    const answered = await referral('accepted', -DAY);
    const declined = await referral('declined', -DAY);
    const draft = await referral('draft', null);
    const noDeadline = await referral('sent', null);
    const overdue = (
      await referrals.ownerQuery<{ id: string }>(`SELECT id FROM referrals WHERE status IN ('sent', 'received') AND response_due_at < now()`)
    ).map((r) => r.id);
    expect(overdue).toEqual(expect.arrayContaining([sent, received]));
    const before = { sent: await row(sent), received: await row(received) };

    const result = await job.runOnce();
    expect(result.expired.sort()).toEqual(overdue.sort());
    expect(result.skipped).toEqual([]);

    for (const [id, from] of [
      [sent, 'sent'],
      [received, 'received'],
    ] as const) {
      const after = await row(id);
      expect(after.status).toBe('expired');
      expect(after.version).toBe(before[from].version + 1);
      expect(after.closed_at).not.toBeNull();
      const last = (await events(id)).at(-1);
      expect(last).toMatchObject({
        from_status: from,
        to_status: 'expired',
        actor_user_id: 'system',
        actor_organization_id: null,
        actor_side: 'system',
        comment: EXPIRY_COMMENT,
      });
      const outbox = await referrals.ownerQuery<{ event_id: string; recipient_organization_id: string; topic: string; status: string }>(
        `SELECT event_id, recipient_organization_id, topic, status FROM outbox WHERE referral_id = $1 ORDER BY recipient_organization_id`,
        [id],
      );
      expect(outbox).toEqual(
        [SENDER, RECEIVER].sort().map((recipient) => ({ event_id: last!.id, recipient_organization_id: recipient, topic: 'referral.expired', status: 'pending' })),
      );
    }
    for (const [id, status] of [
      [notYet, 'sent'],
      [answered, 'accepted'],
      [declined, 'declined'],
      [draft, 'draft'],
      [noDeadline, 'sent'],
    ]) {
      expect(await row(id)).toMatchObject({ status, version: 1 });
      expect(await events(id)).toEqual([]);
    }

    // Nothing left to do.
    expect(await job.runOnce()).toEqual({ expired: [], skipped: [] });
  });

  it('uses its clock: a referral expires once its deadline has passed on it', async () => {
    const id = await referral('sent', 2 * DAY);
    let now = new Date();
    const clocked = new DeadlineJob(app, pino({ level: 'silent' }), { now: () => now });
    expect((await clocked.runOnce()).expired).not.toContain(id);
    now = new Date(Date.now() + 3 * DAY);
    expect((await clocked.runOnce()).expired).toContain(id);
    expect((await row(id)).status).toBe('expired');
  });

  it('skips a referral the partner answers at the same moment (the answer wins, no expiry event)', async () => {
    const id = await referral('sent', -DAY);
    const partner = await referrals.appClient();
    try {
      await partner.query('BEGIN');
      await partner.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'partner', true)`, [RECEIVER]);
      const answered = await partner.query(
        `UPDATE referrals SET status = 'accepted', version = version + 1, first_response_at = now() WHERE id = $1 AND version = 1`,
        [id],
      );
      expect(answered.rowCount).toBe(1);
      // The job reads the referral as still SENT and waits for the partner's row lock ...
      const running = job.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // ... which commits first.
      await partner.query('COMMIT');
      const result = await running;
      expect(result.skipped).toContain(id);
      expect(result.expired).not.toContain(id);
    } finally {
      await partner.end();
    }
    expect(await row(id)).toMatchObject({ status: 'accepted', version: 2, closed_at: null });
    expect(await events(id)).toEqual([]);
    expect(await referrals.ownerQuery(`SELECT id FROM outbox WHERE referral_id = $1`, [id])).toEqual([]);
  });
});
