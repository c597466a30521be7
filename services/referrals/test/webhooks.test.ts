import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DEMO_ORGANIZATIONS, DEMO_REFERRALS, demoUserToken, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { requireWebhookUrl } from '../src/resolvers/webhook-resolver';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifySignature } from '../src/outbox/signature';
import { referralsSubgraph } from '../src/subgraph';

// The subgraph's own background jobs deliver here (as under npm start), polling quickly.
process.env.OUTBOX_POLL_MS = '50';
process.env.WEBHOOK_TIMEOUT_MS = '1000';

const VHS = DEMO_ORGANIZATIONS.vhs.id;
const JOBCENTER = DEMO_ORGANIZATIONS.jobcenter.id;
const TO_VHS = DEMO_REFERRALS.find((r) => r.receiverOrganizationId === VHS && r.status === 'sent')!;

let referrals: TestSubgraph;
let server: http.Server;
let receiverUrl: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let answer = 204;

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph, { seed: true });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await referrals?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const SUBSCRIPTION = 'id url active createdAt';
const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { subscription { ${SUBSCRIPTION} } secret } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { subscription { ${SUBSCRIPTION} } secret } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivateWebhook(id: $id) { ${SUBSCRIPTION} } }`;
const MINE = `query($first: Int) { myWebhooks { ${SUBSCRIPTION} recentDeliveries(first: $first) { deliveryId attempt attemptedAt succeeded statusCode error durationMs } } }`;

type Subscription = { id: string; url: string; active: boolean; createdAt: string };
type Registration = { subscription: Subscription; secret: string };
type Delivery = { deliveryId: string; attempt: number; attemptedAt: string; succeeded: boolean; statusCode: number | null; error: string | null; durationMs: number | null };

const vhsAdmin = () => demoUserToken('vhs-admin');

async function register(token: string, url = receiverUrl): Promise<Registration> {
  const result = await referrals.graphql<{ registerWebhook: Registration }>(REGISTER, { input: { url } }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.registerWebhook;
}

async function mine(token: string, first?: number): Promise<(Subscription & { recentDeliveries: Delivery[] })[]> {
  const result = await referrals.graphql<{ myWebhooks: (Subscription & { recentDeliveries: Delivery[] })[] }>(MINE, { first }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.myWebhooks;
}

/** A notification for the organisation, as a transition writes it (inserted as the owner). */
async function notify(recipientOrganizationId: string): Promise<string> {
  const [event] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO referral_events (referral_id, sender_organization_id, receiver_organization_id, from_status, to_status, actor_user_id, actor_side)
     VALUES ($1, $2, $3, 'sent', 'sent', 'test', 'sender') RETURNING id`,
    [TO_VHS.id, TO_VHS.senderOrganizationId, TO_VHS.receiverOrganizationId],
  );
  const [row] = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO outbox (event_id, referral_id, recipient_organization_id, sender_organization_id, topic, payload) VALUES ($1, $2, $3, $4, 'referral.sent', '{}') RETURNING id`,
    [event.id, TO_VHS.id, recipientOrganizationId, TO_VHS.senderOrganizationId],
  );
  return String(row.id);
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const outboxStatus = async (id: string) => (await referrals.ownerQuery<{ status: string }>(`SELECT status FROM outbox WHERE id = $1`, [id]))[0].status;

describe('webhook subscriptions', () => {
  it('lets only an organisation’s org_admins and leads manage its webhooks (deny by default)', async () => {
    expect((await referrals.graphql(MINE, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await referrals.graphql(REGISTER, { input: { url: receiverUrl } })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const role of [Role.Partner, Role.Caseworker, Role.Coordinator, Role.Auditor]) {
      const token = await roleToken(VHS, role);
      expect((await referrals.graphql(MINE, {}, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await referrals.graphql(REGISTER, { input: { url: receiverUrl } }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await referrals.graphql(ROTATE, { id: TO_VHS.id }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await referrals.graphql(DEACTIVATE, { id: TO_VHS.id }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await referrals.ownerQuery(`SELECT id FROM webhook_subscriptions`)).toEqual([]);
  });

  it('checks the URL: absolute http(s), no credentials, https only in production (isHttpsUrl)', async () => {
    const token = await vhsAdmin();
    for (const [url, rule] of [
      ['ftp://partner.example/hooks', 'isHttpsUrl'],
      ['partner.example/hooks', 'isUrl'],
      ['https://user:secret@partner.example/hooks', 'isUrl'],
      ['   ', 'isNotEmpty'],
      [`https://partner.example/${'x'.repeat(2000)}`, 'maxLength'],
    ]) {
      const result = await referrals.graphql(REGISTER, { input: { url } }, token);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url', rule });
    }
    expect(() => requireWebhookUrl('input.url', 'http://partner.example/hooks', true)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ rule: 'isHttpsUrl' }) }));
    expect(requireWebhookUrl('input.url', ' https://partner.example/hooks#frag ', true)).toBe('https://partner.example/hooks');
    expect(requireWebhookUrl('input.url', 'http://127.0.0.1:8080/hooks', false)).toBe('http://127.0.0.1:8080/hooks');
    expect(await referrals.ownerQuery(`SELECT id FROM webhook_subscriptions`)).toEqual([]);
  });

  it('registers an endpoint with a secret shown once, replaces the active one, rotates and deactivates', async () => {
    const admin = await vhsAdmin();
    const first = await register(admin);
    expect(first.subscription).toMatchObject({ url: receiverUrl, active: true });
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    const [stored] = await referrals.ownerQuery<{ organization_id: string; secret: string; created_by: string }>(
      `SELECT organization_id, secret, created_by FROM webhook_subscriptions WHERE id = $1`,
      [first.subscription.id],
    );
    expect(stored).toMatchObject({ organization_id: VHS, secret: first.secret });

    // Never shown again: there is no field for it.
    const asked = await referrals.graphql(`{ myWebhooks { id secret } }`, {}, admin);
    expect(asked.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(await mine(admin))).not.toContain(first.secret);

    // A lead of the same organisation registers again: the first is deactivated in the same transaction.
    const second = await register(await roleToken(VHS, Role.Lead), `${receiverUrl}/v2`);
    expect(second.secret).not.toBe(first.secret);
    expect((await mine(admin)).map((s) => [s.id, s.active])).toEqual([
      [second.subscription.id, true],
      [first.subscription.id, false],
    ]);
    expect(await referrals.ownerQuery(`SELECT id FROM webhook_subscriptions WHERE organization_id = $1 AND active`, [VHS])).toEqual([{ id: second.subscription.id }]);

    // Rotation: a new secret for the active subscription; an inactive one cannot be rotated.
    const rotated = await referrals.graphql<{ rotateWebhookSecret: Registration }>(ROTATE, { id: second.subscription.id }, admin);
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data!.rotateWebhookSecret.subscription.id).toBe(second.subscription.id);
    expect(rotated.data!.rotateWebhookSecret.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.data!.rotateWebhookSecret.secret).not.toBe(second.secret);
    const [{ secret }] = await referrals.ownerQuery<{ secret: string }>(`SELECT secret FROM webhook_subscriptions WHERE id = $1`, [second.subscription.id]);
    expect(secret).toBe(rotated.data!.rotateWebhookSecret.secret);
    expect((await referrals.graphql(ROTATE, { id: first.subscription.id }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'isActive' });
    expect((await referrals.graphql(ROTATE, { id: 'nope' }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'isUuid' });

    // Deactivation, twice harmless.
    for (let i = 0; i < 2; i += 1) {
      const deactivated = await referrals.graphql<{ deactivateWebhook: Subscription }>(DEACTIVATE, { id: second.subscription.id }, admin);
      expect(deactivated.data!.deactivateWebhook).toMatchObject({ id: second.subscription.id, active: false });
    }
    expect(await referrals.ownerQuery(`SELECT id FROM webhook_subscriptions WHERE organization_id = $1 AND active`, [VHS])).toEqual([]);
  });

  it('keeps one active subscription per organisation when two registrations race', async () => {
    const token = await roleToken(DEMO_ORGANIZATIONS.mbe.id, Role.OrgAdmin);
    const [a, b] = await Promise.all([register(token, `${receiverUrl}/a`), register(token, `${receiverUrl}/b`)]);
    const active = await referrals.ownerQuery<{ id: string }>(`SELECT id FROM webhook_subscriptions WHERE organization_id = $1 AND active`, [DEMO_ORGANIZATIONS.mbe.id]);
    expect(active).toHaveLength(1);
    expect([a.subscription.id, b.subscription.id]).toContain(active[0].id);
  });

  it('keeps another organisation’s subscriptions out of reach (NOT_FOUND, not listed, not readable in PostgreSQL)', async () => {
    const vhs = await register(await vhsAdmin());
    const jobcenterAdmin = await roleToken(JOBCENTER, Role.OrgAdmin);
    expect(await mine(jobcenterAdmin)).toEqual([]);
    for (const mutation of [ROTATE, DEACTIVATE]) {
      expect((await referrals.graphql(mutation, { id: vhs.subscription.id }, jobcenterAdmin)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const own = await register(jobcenterAdmin);
    expect((await mine(jobcenterAdmin)).map((s) => s.id)).toEqual([own.subscription.id]);
    expect((await mine(await vhsAdmin())).map((s) => s.id)).not.toContain(own.subscription.id);
    expect(await referrals.ownerQuery(`SELECT active FROM webhook_subscriptions WHERE id = $1`, [vhs.subscription.id])).toEqual([{ active: true }]);

    const client = await referrals.appClient();
    const visible = async (orgId: string, roles: string) => {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
      const { rows } = await client.query(`SELECT id, secret FROM webhook_subscriptions WHERE active`);
      const updated = await client.query(`UPDATE webhook_subscriptions SET url = 'https://attacker.example/' WHERE id = $1`, [vhs.subscription.id]);
      await client.query('ROLLBACK');
      return { ids: rows.map((r) => r.id as string).sort(), updated: updated.rowCount };
    };
    try {
      expect((await client.query(`SELECT id FROM webhook_subscriptions`)).rows).toEqual([]);
      expect(await visible(JOBCENTER, 'org_admin,lead')).toEqual({ ids: [own.subscription.id], updated: 0 });
      expect(await visible(VHS, 'partner,caseworker,coordinator,auditor')).toEqual({ ids: [], updated: 0 });
      expect(await visible(VHS, 'org_admin')).toEqual({ ids: [vhs.subscription.id], updated: 1 });
      // The worker reads every subscription but changes none.
      const allActive = (await referrals.ownerQuery<{ id: string }>(`SELECT id FROM webhook_subscriptions WHERE active`)).map((r) => r.id).sort();
      expect(allActive).toEqual(expect.arrayContaining([own.subscription.id, vhs.subscription.id]));
      expect(await visible('', 'outbox-worker')).toEqual({ ids: allActive, updated: 0 });
    } finally {
      await client.end();
    }
  });

  it('delivers through the running subgraph’s background worker, signed with the current secret, and shows the attempts', async () => {
    const admin = await vhsAdmin();
    const registration = await register(admin);
    received.length = 0;

    // A failure first, then success: the partner sees both attempts.
    answer = 503;
    const firstId = await notify(VHS);
    await until('the first attempt to be recorded', async () => {
      const [row] = await referrals.ownerQuery<{ attempts: number; locked_until: Date | null }>(`SELECT attempts, locked_until FROM outbox WHERE id = $1`, [firstId]);
      return row.attempts === 1 && row.locked_until === null ? true : undefined;
    });
    answer = 204;
    await referrals.ownerQuery(`UPDATE outbox SET next_attempt_at = now() WHERE id = $1 AND status = 'pending'`, [firstId]);
    await until('the retry to succeed', async () => ((await outboxStatus(firstId)) === 'delivered' ? true : undefined));
    expect(received.map((r) => r.headers[DELIVERY_HEADER])).toEqual([firstId, firstId]);
    expect(received.every((r) => verifySignature(registration.secret, r.headers[SIGNATURE_HEADER], r.body))).toBe(true);

    const [subscription] = await mine(admin);
    expect(subscription.recentDeliveries.map((d) => [d.deliveryId, d.attempt, d.succeeded, d.statusCode, d.error])).toEqual([
      [firstId, 2, true, 204, null],
      [firstId, 1, false, 503, 'HTTP 503 Service Unavailable'],
    ]);
    expect((await mine(admin, 1))[0].recentDeliveries).toHaveLength(1);
    for (const first of [0, 101]) {
      expect((await referrals.graphql(MINE, { first }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
    // Nobody else sees them.
    expect((await mine(await roleToken(JOBCENTER, Role.OrgAdmin))).flatMap((s) => s.recentDeliveries)).toEqual([]);

    // After a rotation, deliveries are signed with the new secret only.
    const rotated = await referrals.graphql<{ rotateWebhookSecret: Registration }>(ROTATE, { id: registration.subscription.id }, admin);
    const newSecret = rotated.data!.rotateWebhookSecret.secret;
    const secondId = await notify(VHS);
    await until('the delivery after rotation', async () => ((await outboxStatus(secondId)) === 'delivered' ? true : undefined));
    const last = received[received.length - 1];
    expect(last.headers[DELIVERY_HEADER]).toBe(secondId);
    expect(verifySignature(newSecret, last.headers[SIGNATURE_HEADER], last.body)).toBe(true);
    expect(verifySignature(registration.secret, last.headers[SIGNATURE_HEADER], last.body)).toBe(false);

    // Deactivated: the next notification is not delivered.
    await referrals.graphql(DEACTIVATE, { id: registration.subscription.id }, admin);
    const count = received.length;
    const thirdId = await notify(VHS);
    await until('no_subscription', async () => ((await outboxStatus(thirdId)) === 'no_subscription' ? true : undefined));
    expect(received).toHaveLength(count);
  });

  it('costs one SELECT of delivery attempts for all subscriptions in a list', async () => {
    const admin = await vhsAdmin();
    await register(admin);
    await register(admin);
    referrals.statements.reset();
    const subscriptions = await mine(admin);
    expect(subscriptions.length).toBeGreaterThan(2);
    expect(referrals.statements.selectsFrom('webhook_deliveries')).toHaveLength(1);
  });
});
