import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createDataSource, DEMO_ORGANIZATIONS, DEMO_REFERRALS, Role, startTestSubgraph, TestSubgraph, withScope } from '@integration-graph/common';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { Referral } from '../src/entities/referral';
import { ReferralStatus } from '../src/entities/referral-status';
import { applyTransition } from '../src/lifecycle/apply';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader, verifySignature } from '../src/outbox/signature';
import { startBackgroundJobs } from '../src/outbox/jobs';
import { OutboxWorker, OutboxWorkerOptions } from '../src/outbox/worker';
import { referralsSubgraph } from '../src/subgraph';

// The subgraph's own background worker stays idle here: these tests drive their own workers round by round.
process.env.OUTBOX_POLL_MS = '3600000';

const silent = pino({ level: 'silent' });
const SENT = DEMO_REFERRALS.find((r) => r.status === 'sent')!;
const OTHER_ORG = DEMO_ORGANIZATIONS.jobcenter.id;

let referrals: TestSubgraph;
let app: DataSource;
const dataSources: DataSource[] = [];
const receivers: Receiver[] = [];

/** A connection pool as the application role (row-level security applies), as another process would have. */
async function appDataSource(): Promise<DataSource> {
  const dataSource = createDataSource({ url: referrals.database.appUrl, applicationName: 'test-outbox', entities: referralsSubgraph.entities, poolSize: 4 });
  await dataSource.initialize();
  dataSources.push(dataSource);
  return dataSource;
}

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph, { seed: true });
  app = await appDataSource();
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(dataSources.map((d) => d.destroy()));
  await referrals?.stop();
});
beforeEach(async () => {
  await referrals.ownerQuery(`TRUNCATE webhook_deliveries, outbox`);
  await referrals.ownerQuery(`DELETE FROM webhook_subscriptions`);
});

/** A clock the test moves; starts a second ahead so rows written "now" by the database are due. */
function testClock() {
  let current = Date.now() + 1_000;
  return { now: () => new Date(current), advance: (ms: number) => (current += ms), set: (date: Date) => (current = date.getTime()) };
}

/** A worker on its own connection pool, as in another process. */
async function newWorker(options: OutboxWorkerOptions = {}): Promise<OutboxWorker> {
  return new OutboxWorker(await appDataSource(), silent, { timeoutMs: 2_000, ...options });
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  validSignature: boolean;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer the n-th request (1-based) with, or 'hang' to never answer; 204 by default. */
  respond: (n: number) => number | 'hang';
  delayMs: number;
  /** Delivery ids seen, for de-duplication the way a partner system would. */
  deliveryIds(): string[];
  close(): Promise<void>;
}

/** A partner system on 127.0.0.1 that checks every signature with the subscription's secret. */
async function startReceiver(secret: string, now: () => Date = () => new Date()): Promise<Receiver> {
  const receiver = { received: [] as Received[], respond: () => 204, delayMs: 0 } as unknown as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.received.push({ headers: req.headers, body, validSignature: verifySignature(secret, req.headers[SIGNATURE_HEADER], body, now()) });
      const answer = receiver.respond(receiver.received.length);
      if (answer === 'hang') return;
      setTimeout(() => {
        res.statusCode = answer;
        res.end();
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/integration-graph`;
  receiver.deliveryIds = () => receiver.received.map((r) => String(r.headers[DELIVERY_HEADER]));
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  receivers.push(receiver);
  return receiver;
}

async function subscribe(organizationId: string, url: string, secret = randomBytes(32).toString('hex')): Promise<{ id: string; secret: string }> {
  const [row] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO webhook_subscriptions (organization_id, url, secret, created_by) VALUES ($1, $2, $3, 'test') RETURNING id`,
    [organizationId, url, secret],
  );
  return { id: row.id, secret };
}

/** An event and its outbox row, as applyTransition writes them (inserted as the owner). */
async function enqueueEvent(recipientOrganizationId: string = SENT.receiverOrganizationId, topic = 'referral.sent'): Promise<string> {
  const [event] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO referral_events (referral_id, sender_organization_id, receiver_organization_id, from_status, to_status, actor_user_id, actor_organization_id, actor_side)
     VALUES ($1, $2, $3, 'draft', 'sent', 'test-caseworker', $2, 'sender') RETURNING id`,
    [SENT.id, SENT.senderOrganizationId, SENT.receiverOrganizationId],
  );
  const [row] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO outbox (event_id, referral_id, recipient_organization_id, sender_organization_id, topic, payload)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [event.id, SENT.id, recipientOrganizationId, SENT.senderOrganizationId, topic, { referralId: SENT.id, from: 'draft', to: 'sent', side: 'sender' }],
  );
  return String(row.id);
}

type OutboxRow = { id: string; status: string; attempts: number; next_attempt_at: Date; locked_until: Date | null; delivered_at: Date | null; last_status_code: number | null; last_error: string | null };
const outboxRow = async (id: string) => (await referrals.ownerQuery<OutboxRow>(`SELECT * FROM outbox WHERE id = $1`, [id]))[0];
type AttemptRow = { attempt: number; status_code: number | null; error: string | null; duration_ms: number; subscription_id: string; attempted_at: Date };
const attempts = (id: string) => referrals.ownerQuery<AttemptRow>(`SELECT * FROM webhook_deliveries WHERE outbox_id = $1 ORDER BY id`, [id]);

describe('signatures', () => {
  it('verifies t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> within 5 minutes, in constant time', () => {
    const secret = randomBytes(32).toString('hex');
    const body = JSON.stringify({ id: '1', topic: 'referral.sent' });
    const at = new Date('2026-11-23T10:00:00Z');
    const header = signatureHeader(secret, body, at);
    expect(header).toMatch(/^t=1795428000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, at)).toBe(true);
    expect(verifySignature(secret, header, body, new Date(at.getTime() + 299_000))).toBe(true);
    expect(verifySignature(secret, header, body, new Date(at.getTime() + 301_000))).toBe(false); // replayed later
    expect(verifySignature(secret, header, body, new Date(at.getTime() - 301_000))).toBe(false);
    expect(verifySignature(secret, header, body.replace('sent', 'SENT'), at)).toBe(false); // changed body
    expect(verifySignature(randomBytes(32).toString('hex'), header, body, at)).toBe(false); // other secret
    expect(verifySignature(secret, header.replace('t=1795428000', 't=1795428001'), body, at)).toBe(false); // changed time
    for (const malformed of [undefined, '', 'v1=abc', 't=1795428000', `t=x,${header.split(',')[1]}`, 'garbage']) {
      expect(verifySignature(secret, malformed, body, at)).toBe(false);
    }
    // Several v1 values (e.g. during a secret change): one valid is enough.
    expect(verifySignature(secret, `${header.split(',')[0]},v1=${'0'.repeat(64)},${header.split(',')[1]}`, body, at)).toBe(true);
  });
});

describe('delivery worker', () => {
  it('delivers a transition written by applyTransition once, signed, with the documented body and headers', async () => {
    const clock = testClock();
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://placeholder.invalid/');
    const receiver = await startReceiver(subscription.secret, clock.now);
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [subscription.id, receiver.url]);
    const worker = await newWorker({ now: clock.now });
    // The sender cancels: the event and the notification for the partner are written in the same transaction.
    const caseworker = { organizationId: SENT.senderOrganizationId, userId: 'test-caseworker', roles: [Role.Caseworker] };
    const [{ version }] = await referrals.ownerQuery<{ version: number }>(`SELECT version FROM referrals WHERE id = $1`, [SENT.id]);
    await withScope(app, caseworker, async (manager) => {
      const referral = await manager.findOneByOrFail(Referral, { id: SENT.id });
      await applyTransition(manager, {
        referral,
        to: ReferralStatus.CANCELLED,
        expectedVersion: version,
        actor: { userId: caseworker.userId, organizationId: caseworker.organizationId, side: 'sender' },
        comment: 'Client moved',
        changes: { reasonCode: 'client_withdrew' },
      });
    });
    const [queued] = await referrals.ownerQuery<{ id: string; event_id: string; created_at: Date }>(`SELECT id, event_id, created_at FROM outbox`);

    const round = await worker.runOnce();
    expect(round).toEqual({ claimed: 1, outcomes: { delivered: 1, retry: 0, undeliverable: 0, no_subscription: 0, lease_lost: 0 } });
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.validSignature).toBe(true);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers[EVENT_HEADER]).toBe('referral.cancelled');
    expect(delivery.headers[DELIVERY_HEADER]).toBe(String(queued.id));
    expect(JSON.parse(delivery.body)).toEqual({
      id: String(queued.id),
      eventId: queued.event_id,
      topic: 'referral.cancelled',
      referralId: SENT.id,
      payload: expect.objectContaining({ referralId: SENT.id, from: 'sent', to: 'cancelled', side: 'sender' }),
      createdAt: queued.created_at.toISOString(),
    });
    const row = await outboxRow(queued.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, locked_until: null, last_status_code: 204, last_error: null });
    expect(row.delivered_at).toEqual(clock.now());
    expect(await attempts(queued.id)).toEqual([expect.objectContaining({ attempt: 1, status_code: 204, error: null, subscription_id: subscription.id })]);

    // Delivered is done: later rounds do not post it again.
    clock.advance(24 * 3600_000);
    expect((await worker.runOnce()).claimed).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failing endpoint (500, then timeouts) with growing backoff and gives up after the maximum attempts', async () => {
    const clock = testClock();
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://placeholder.invalid/');
    const receiver = await startReceiver(subscription.secret, clock.now);
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [subscription.id, receiver.url]);
    receiver.respond = (n) => (n <= 2 ? 500 : 'hang');
    const worker = await newWorker({ now: clock.now, maxAttempts: 4, timeoutMs: 300 });
    const id = await enqueueEvent();

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const round = await worker.runOnce();
      expect(round.claimed).toBe(1);
      const row = await outboxRow(id);
      expect(row.attempts).toBe(attempt);
      expect(row.locked_until).toBeNull();
      if (attempt < 4) {
        expect(round.outcomes.retry).toBe(1);
        expect(row.status).toBe('pending');
        delays.push(row.next_attempt_at.getTime() - clock.now().getTime());
        // Not due before its time.
        clock.set(new Date(row.next_attempt_at.getTime() - 1));
        expect((await worker.runOnce()).claimed).toBe(0);
        clock.advance(1);
      } else {
        expect(round.outcomes.undeliverable).toBe(1);
        expect(row).toMatchObject({ status: 'undeliverable', last_status_code: null, last_error: 'timed out after 300 ms' });
      }
    }
    expect(delays[0]).toBeGreaterThanOrEqual(5_000);
    expect(delays[0]).toBeLessThanOrEqual(5_500);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(delays[2]).toBeGreaterThan(delays[1]);
    expect(delays[2]).toBeLessThanOrEqual(22_000);

    const recorded = await attempts(id);
    expect(recorded.map((a) => [a.attempt, a.status_code, a.error])).toEqual([
      [1, 500, 'HTTP 500 Internal Server Error'],
      [2, 500, 'HTTP 500 Internal Server Error'],
      [3, null, 'timed out after 300 ms'],
      [4, null, 'timed out after 300 ms'],
    ]);
    expect(recorded[3].duration_ms).toBeGreaterThanOrEqual(250);
    expect(receiver.received.every((r) => r.validSignature && r.headers[DELIVERY_HEADER] === id)).toBe(true);

    // Undeliverable is final.
    clock.advance(7 * 24 * 3600_000);
    expect((await worker.runOnce()).claimed).toBe(0);
    expect(receiver.received).toHaveLength(4);
  });

  it('records a network error (nothing listening) as a failed attempt and tries again later', async () => {
    const clock = testClock();
    const closed = await startReceiver('unused');
    const url = closed.url;
    await closed.close();
    await subscribe(SENT.receiverOrganizationId, url);
    const worker = await newWorker({ now: clock.now, backoffMs: () => 60_000 });
    const id = await enqueueEvent();
    expect((await worker.runOnce()).outcomes.retry).toBe(1);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(row.last_error).toMatch(/ECONNREFUSED/);
    expect(row.next_attempt_at).toEqual(new Date(clock.now().getTime() + 60_000));
    expect(await attempts(id)).toEqual([expect.objectContaining({ attempt: 1, status_code: null, error: row.last_error })]);
  });

  it('marks events for an organisation without an active subscription no_subscription (not an error, no attempt)', async () => {
    const clock = testClock();
    const worker = await newWorker({ now: clock.now });
    const none = await enqueueEvent(OTHER_ORG);
    const inactive = await subscribe(SENT.receiverOrganizationId, 'http://127.0.0.1:9/never');
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET active = false WHERE id = $1`, [inactive.id]);
    const deactivated = await enqueueEvent(SENT.receiverOrganizationId);
    const round = await worker.runOnce();
    expect(round).toEqual({ claimed: 2, outcomes: { delivered: 0, retry: 0, undeliverable: 0, no_subscription: 2, lease_lost: 0 } });
    for (const id of [none, deactivated]) {
      expect(await outboxRow(id)).toMatchObject({ status: 'no_subscription', attempts: 0, locked_until: null, last_error: null });
      expect(await attempts(id)).toEqual([]);
    }
    clock.advance(3600_000);
    expect((await worker.runOnce()).claimed).toBe(0);
  });

  it('delivers a row whose worker died after claiming it, once the lease has expired, exactly once', async () => {
    const clock = testClock();
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://placeholder.invalid/');
    const receiver = await startReceiver(subscription.secret, clock.now);
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [subscription.id, receiver.url]);
    const id = await enqueueEvent();
    const crashed = await newWorker({ now: clock.now, leaseMs: 60_000 });
    const survivor = await newWorker({ now: clock.now, leaseMs: 60_000 });

    // The first worker commits its claim and dies before posting.
    const [claimed] = await crashed.claim();
    expect(claimed.id).toBe(id);
    expect((await outboxRow(id)).locked_until).toEqual(claimed.lockedUntil);

    // While the lease holds, nobody else takes the row.
    expect((await survivor.runOnce()).claimed).toBe(0);
    clock.advance(59_000);
    expect((await survivor.runOnce()).claimed).toBe(0);
    expect(receiver.received).toEqual([]);

    // After the lease, the survivor delivers it.
    clock.advance(2_000);
    expect((await survivor.runOnce()).outcomes.delivered).toBe(1);
    expect(receiver.deliveryIds()).toEqual([id]);
    expect(receiver.received[0].validSignature).toBe(true);
    expect(await outboxRow(id)).toMatchObject({ status: 'delivered', attempts: 1, locked_until: null });

    clock.advance(3600_000);
    expect((await survivor.runOnce()).claimed).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('does not let a worker that comes back after its lease overwrite the newer result (at least once: receivers de-duplicate by delivery id)', async () => {
    const clock = testClock();
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://placeholder.invalid/');
    const receiver = await startReceiver(subscription.secret, clock.now);
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [subscription.id, receiver.url]);
    const id = await enqueueEvent();
    const slow = await newWorker({ now: clock.now, leaseMs: 60_000 });
    const other = await newWorker({ now: clock.now, leaseMs: 60_000 });
    const [claimed] = await slow.claim();
    clock.advance(61_000);
    expect((await other.runOnce()).outcomes.delivered).toBe(1);
    const delivered = await outboxRow(id);

    // The slow worker finally posts: the receiver sees the same delivery id again; the row stays as the other left it.
    receiver.respond = () => 500;
    expect(await slow.deliver(claimed)).toBe('lease_lost');
    expect(receiver.deliveryIds()).toEqual([id, id]);
    expect(new Set(receiver.deliveryIds()).size).toBe(1);
    expect(await outboxRow(id)).toEqual(delivered);
    expect((await attempts(id)).map((a) => a.status_code)).toEqual([204, 500]);
  });

  it('never delivers a row twice when several workers run at the same time', async () => {
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://placeholder.invalid/');
    const receiver = await startReceiver(subscription.secret);
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [subscription.id, receiver.url]);
    receiver.delayMs = 5;
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) ids.push(await enqueueEvent());
    const now = () => new Date(Date.now() + 1_000);
    const workers = await Promise.all([1, 2, 3].map(() => newWorker({ now, batchSize: 3, concurrency: 2 })));
    const claimedBy = await Promise.all(
      workers.map(async (worker) => {
        let total = 0;
        for (let round = await worker.runOnce(); round.claimed > 0; round = await worker.runOnce()) total += round.claimed;
        return total;
      }),
    );
    expect(claimedBy.reduce((a, b) => a + b, 0)).toBe(40);
    expect(claimedBy.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(receiver.deliveryIds().sort()).toEqual([...ids].sort());
    expect(receiver.received.every((r) => r.validSignature)).toBe(true);
    const statuses = await referrals.ownerQuery<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
    expect(statuses).toEqual([{ status: 'delivered', n: 40 }]);
    expect((await referrals.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n).toBe(40);
  });
});

describe('background jobs', () => {
  it('poll on their own and, when stopped, finish the delivery in flight before returning', async () => {
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://placeholder.invalid/');
    const receiver = await startReceiver(subscription.secret);
    await referrals.ownerQuery(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [subscription.id, receiver.url]);
    receiver.delayMs = 400;
    const jobs = startBackgroundJobs(app, silent, { pollMs: 20, worker: { timeoutMs: 2_000 } });
    const id = await enqueueEvent();
    const deadline = Date.now() + 5_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(receiver.received).toHaveLength(1);
    expect((await outboxRow(id)).status).toBe('pending'); // the endpoint has not answered yet
    await jobs.stop();
    expect(await outboxRow(id)).toMatchObject({ status: 'delivered', attempts: 1, locked_until: null });
    // Stopped: nothing new is picked up.
    const later = await enqueueEvent();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await outboxRow(later)).status).toBe('pending');
    expect(receiver.received).toHaveLength(1);
  });
});

describe('row-level security of the outbox', () => {
  it('shows outbox and delivery attempts to the worker role only; application callers see and change nothing', async () => {
    const subscription = await subscribe(SENT.receiverOrganizationId, 'http://127.0.0.1:9/never');
    const id = await enqueueEvent();
    await referrals.ownerQuery(`INSERT INTO webhook_deliveries (outbox_id, subscription_id, attempt, status_code) VALUES ($1, $2, 1, 500)`, [id, subscription.id]);
    const client = await referrals.appClient();
    const as = async <T>(orgId: string, roles: string, work: () => Promise<T>): Promise<T> => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
        return await work();
      } finally {
        await client.query('ROLLBACK');
      }
    };
    const count = async (table: string) => (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
    try {
      expect(await count('outbox')).toBe(0);
      for (const [org, roles] of [
        [SENT.receiverOrganizationId, 'partner'],
        [SENT.receiverOrganizationId, 'org_admin,lead'],
        [SENT.senderOrganizationId, 'caseworker,lead'],
        [SENT.senderOrganizationId, 'coordinator,auditor,org_admin'],
      ]) {
        await as(org, roles, async () => {
          expect(await count('outbox')).toBe(0);
          expect((await client.query(`UPDATE outbox SET status = 'delivered' WHERE id = $1`, [id])).rowCount).toBe(0);
        });
      }
      // Only the subscribing organisation's admins see their attempts; nobody but the worker writes them.
      await as(SENT.receiverOrganizationId, 'partner', async () => expect(await count('webhook_deliveries')).toBe(0));
      await as(SENT.senderOrganizationId, 'org_admin', async () => expect(await count('webhook_deliveries')).toBe(0));
      await as(SENT.receiverOrganizationId, 'org_admin', async () => {
        expect(await count('webhook_deliveries')).toBe(1);
        await expect(
          client.query(`INSERT INTO webhook_deliveries (outbox_id, subscription_id, attempt) VALUES ($1, $2, 2)`, [id, subscription.id]),
        ).rejects.toThrow(/row-level security/);
      });
      await as('', 'outbox-worker', async () => {
        expect(await count('outbox')).toBe(1);
        expect(await count('webhook_deliveries')).toBe(1);
      });
    } finally {
      await client.end();
    }
  });
});
