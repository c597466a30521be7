import { randomBytes } from 'node:crypto';
import { invalidInput, isProduction, LoaderFactory, notFound, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { EntityManager } from 'typeorm';

/**
 * Webhook subscriptions: an organisation's partner system receives a signed POST for every change of a referral
 * sent to or by the organisation (see outbox/signature.ts for the format and how to verify it). One active
 * subscription per organisation; managed by the organisation's org_admins and leads (row-level security on
 * webhook_subscriptions says the same).
 *
 * The secret is generated here, returned once and never again. It is stored in plain text in webhook_subscriptions
 * (the worker needs it to sign); encryption at rest is the database's job for now, and only the organisation's own
 * admins (never through GraphQL) and the delivery worker can read the row.
 */

export const WEBHOOK_ADMINS: readonly Role[] = [Role.OrgAdmin, Role.Lead];
export const MAX_WEBHOOK_URL_LENGTH = 2000;
export const DEFAULT_RECENT_DELIVERIES = 20;
export const MAX_RECENT_DELIVERIES = 100;
const ACTION = "manage your organisation's webhooks";

@ObjectType({ description: 'Where your organisation receives notifications about its referrals (signed POST requests)' })
export class WebhookSubscription {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The endpoint every notification is posted to' })
  url: string;

  @Field({ description: 'Only the active subscription receives notifications; registering a new one deactivates the old' })
  active: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { description: 'Last change: secret rotated or deactivated' })
  updatedAt: Date;
}

@ObjectType({ description: 'One attempt to deliver a notification to a webhook' })
export class WebhookDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { description: 'The notification, as in the x-integration-graph-delivery header and the body’s id; the same for every attempt' })
  deliveryId: string;

  @Field(() => Int, { description: '1 for the first attempt, 2 for the first retry, ...' })
  attempt: number;

  @Field(() => Date)
  attemptedAt: Date;

  @Field(() => Boolean, { description: 'True when the endpoint answered 2xx in time' })
  succeeded: boolean;

  @Field(() => Int, { nullable: true, description: 'HTTP status your endpoint answered; null when it did not answer (timeout, connection refused, ...)' })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong, e.g. "HTTP 500 Internal Server Error" or "timed out after 5000 ms"' })
  error: string | null;

  @Field(() => Int, { nullable: true })
  durationMs: number | null;
}

@ObjectType({ description: 'A subscription and its secret, which is shown only this once: store it in your partner system' })
export class WebhookRegistration {
  @Field(() => WebhookSubscription)
  subscription: WebhookSubscription;

  @Field({
    description:
      'Key of the HMAC-SHA256 signature in the x-integration-graph-signature header (t=<unix seconds>,v1=<hex of HMAC(secret, "<t>.<body>")>); not shown again',
  })
  secret: string;
}

@InputType({ description: 'Your partner system’s endpoint for notifications' })
export class RegisterWebhookInput {
  @Field({ description: 'https:// URL (http:// is accepted outside production only)' })
  url: string;
}

interface SubscriptionRow {
  id: string;
  url: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  outbox_id: string;
  subscription_id: string;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
}

const SUBSCRIPTION_COLUMNS = 'id, url, active, created_at, updated_at';

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return Object.assign(new WebhookSubscription(), { id: row.id, url: row.url, active: row.active, createdAt: row.created_at, updatedAt: row.updated_at });
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return Object.assign(new WebhookDelivery(), {
    id: String(row.id),
    deliveryId: String(row.outbox_id),
    attempt: row.attempt,
    attemptedAt: row.attempted_at,
    succeeded: row.error === null && row.status_code !== null && row.status_code >= 200 && row.status_code <= 299,
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
  });
}

/** The endpoint: an absolute http(s) URL without credentials; https only in production (rule isHttpsUrl). */
export function requireWebhookUrl(field: string, value: string, production = isProduction()): string {
  const trimmed = value.trim();
  if (!trimmed) throw invalidInput(field, 'isNotEmpty', 'must not be empty');
  if (trimmed.length > MAX_WEBHOOK_URL_LENGTH) throw invalidInput(field, 'maxLength', `at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalidInput(field, 'isUrl', 'is not an absolute web address (e.g. "https://partner.example/hooks/integration-graph")');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production)) {
    throw invalidInput(field, 'isHttpsUrl', production ? 'must start with https://' : 'must start with https:// (or http:// outside production)');
  }
  if (url.username || url.password) {
    throw invalidInput(field, 'isUrl', 'must not contain a user name or password (deliveries are authenticated by their signature)');
  }
  url.hash = '';
  return url.href;
}

/** 32 random bytes, hex: the HMAC key is this 64-character string (its UTF-8 bytes). */
function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** A row of the caller's organisation (row-level security hides others: NOT_FOUND), locked for the change. */
async function lockOwnSubscription(manager: EntityManager, organizationId: string, id: string): Promise<SubscriptionRow> {
  const [row]: SubscriptionRow[] = await manager.query(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
    [id, organizationId],
  );
  if (!row) throw notFound('WebhookSubscription', id);
  return row;
}

/** Recent delivery attempts of each subscription, newest first: N subscriptions cost one SELECT. Key: "<id>:<first>". */
const recentDeliveries: LoaderFactory<string, WebhookDelivery[]> = (context) =>
  new DataLoader(async (keys) => {
    const wanted = keys.map((key) => {
      const [id, first] = key.split(':');
      return { id, first: Number(first) };
    });
    const manager = await context.tx.manager();
    const rows: DeliveryRow[] = await manager.query(
      `SELECT id, outbox_id, subscription_id, attempt, attempted_at, status_code, error, duration_ms FROM (
         SELECT d.*, row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.attempted_at DESC, d.id DESC) AS position
           FROM webhook_deliveries d WHERE d.subscription_id = ANY($1)
       ) ranked WHERE position <= $2 ORDER BY attempted_at DESC, id DESC`,
      [[...new Set(wanted.map((w) => w.id))], Math.max(...wanted.map((w) => w.first))],
    );
    return wanted.map(({ id, first }) => rows.filter((row) => row.subscription_id === id).slice(0, first).map(toDelivery));
  });

@Resolver(() => WebhookSubscription)
export class WebhookResolver {
  @Query(() => [WebhookSubscription], { description: "Your organisation's webhook subscriptions, the active one first, then newest first (org_admin, lead)" })
  async myWebhooks(@Ctx() context: RequestContext): Promise<WebhookSubscription[]> {
    const caller = requireRole(context.principal, WEBHOOK_ADMINS, ACTION);
    const manager = await context.tx.manager();
    const rows: SubscriptionRow[] = await manager.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE organization_id = $1 ORDER BY active DESC, created_at DESC, id`,
      [caller.organizationId],
    );
    return rows.map(toSubscription);
  }

  @FieldResolver(() => [WebhookDelivery], { description: 'The latest delivery attempts, newest first, to see what went wrong' })
  recentDeliveries(
    @Root() subscription: WebhookSubscription,
    @Arg('first', () => Int, { defaultValue: DEFAULT_RECENT_DELIVERIES, description: `1 to ${MAX_RECENT_DELIVERIES}` }) first: number,
    @Ctx() context: RequestContext,
  ): Promise<WebhookDelivery[]> {
    requireRole(context.principal, WEBHOOK_ADMINS, ACTION);
    if (!Number.isInteger(first) || first < 1 || first > MAX_RECENT_DELIVERIES) {
      throw invalidInput('first', 'range', `must be between 1 and ${MAX_RECENT_DELIVERIES}`);
    }
    return context.loaders.get(recentDeliveries).load(`${subscription.id}:${first}`);
  }

  @Mutation(() => WebhookRegistration, {
    description:
      'Registers the endpoint of your partner system for notifications about your referrals, with a new secret shown only in this answer; replaces the active subscription (org_admin, lead)',
  })
  async registerWebhook(@Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput, @Ctx() context: RequestContext): Promise<WebhookRegistration> {
    const caller = requireRole(context.principal, WEBHOOK_ADMINS, ACTION);
    const url = requireWebhookUrl('input.url', input.url);
    const manager = await context.tx.manager();
    // Two registrations at once: the second waits, then replaces the first (one active subscription per organisation).
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`webhook_subscriptions:${caller.organizationId}`]);
    await manager.query(
      `UPDATE webhook_subscriptions SET active = false, updated_at = now(), version = version + 1 WHERE organization_id = $1 AND active`,
      [caller.organizationId],
    );
    const secret = newSecret();
    const [row]: SubscriptionRow[] = await manager.query(
      `INSERT INTO webhook_subscriptions (organization_id, url, secret, created_by) VALUES ($1, $2, $3, $4) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [caller.organizationId, url, secret, caller.userId],
    );
    context.logger.info({ subscriptionId: row.id, organizationId: caller.organizationId }, 'webhook registered');
    return Object.assign(new WebhookRegistration(), { subscription: toSubscription(row), secret });
  }

  @Mutation(() => WebhookRegistration, {
    description: 'Replaces the secret of an active subscription; the new one is shown only in this answer and signs every delivery from now on (org_admin, lead)',
  })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<WebhookRegistration> {
    const caller = requireRole(context.principal, WEBHOOK_ADMINS, ACTION);
    const manager = await context.tx.manager();
    const existing = await lockOwnSubscription(manager, caller.organizationId, requireUuid('id', id));
    if (!existing.active) throw invalidInput('id', 'isActive', 'the subscription is deactivated; register the endpoint again instead');
    const secret = newSecret();
    const [row]: SubscriptionRow[] = await manager.query(
      `WITH changed AS (
         UPDATE webhook_subscriptions SET secret = $2, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}
       ) SELECT * FROM changed`,
      [existing.id, secret],
    );
    context.logger.info({ subscriptionId: row.id, organizationId: caller.organizationId }, 'webhook secret rotated');
    return Object.assign(new WebhookRegistration(), { subscription: toSubscription(row), secret });
  }

  @Mutation(() => WebhookSubscription, {
    description: 'Stops notifications to this subscription (pending ones are then not delivered); deactivating twice is harmless (org_admin, lead)',
  })
  async deactivateWebhook(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<WebhookSubscription> {
    const caller = requireRole(context.principal, WEBHOOK_ADMINS, ACTION);
    const manager = await context.tx.manager();
    const existing = await lockOwnSubscription(manager, caller.organizationId, requireUuid('id', id));
    if (!existing.active) return toSubscription(existing);
    const [row]: SubscriptionRow[] = await manager.query(
      `WITH changed AS (
         UPDATE webhook_subscriptions SET active = false, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}
       ) SELECT * FROM changed`,
      [existing.id],
    );
    context.logger.info({ subscriptionId: row.id, organizationId: caller.organizationId }, 'webhook deactivated');
    return toSubscription(row);
  }
}
