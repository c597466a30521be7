import { performance } from 'node:perf_hooks';
import { DbScope, envInt, Logger, withScope } from '@integration-graph/common';
import { DataSource } from 'typeorm';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';

/**
 * Who the background jobs are in the database: no organisation, no user, only the role `outbox-worker`, which the
 * policies of outbox, webhook_deliveries, webhook_subscriptions (read) and referrals (deadline job) admit. Set by
 * the service itself through withScope; no token carries this role.
 */
export const WORKER_SCOPE: DbScope = { organizationId: null, userId: 'outbox-worker', roles: ['outbox-worker'] };

export const MAX_BACKOFF_MS = 60 * 60 * 1000;
const BASE_BACKOFF_MS = 5_000;
const MAX_ERROR_LENGTH = 500;

/** min(2^(attempts-1) * 5 s, 1 h) plus up to 10 % jitter: 5 s, 10 s, 20 s, ... 1 h (attempts >= 1). */
export function defaultBackoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(base * (1 + 0.1 * random()));
}

export interface OutboxWorkerOptions {
  /** Rows claimed per round (default 10). */
  batchSize?: number;
  /** Deliveries in parallel within a round (default 5). */
  concurrency?: number;
  /** Timeout of one delivery (default WEBHOOK_TIMEOUT_MS, 5000). */
  timeoutMs?: number;
  /** Attempts before a row is undeliverable (default WEBHOOK_MAX_ATTEMPTS, 10). */
  maxAttempts?: number;
  /** How long a claim holds a row; after it, another worker takes the row over (default: enough for the round plus 30 s). */
  leaseMs?: number;
  /** The clock for claims, backoff, attempt times and signatures (tests move it forward). */
  now?: () => Date;
  /** Delay before the next attempt after `attempts` failed ones. */
  backoffMs?: (attempts: number) => number;
}

/** An outbox row this worker holds until `lockedUntil`, with the recipient's active subscription if there is one. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  topic: string;
  referralId: string;
  recipientOrganizationId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  attempts: number;
  lockedUntil: Date;
  subscription: { id: string; url: string; secret: string } | null;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'undeliverable' | 'no_subscription' | 'lease_lost';

export interface RoundResult {
  claimed: number;
  outcomes: Record<DeliveryOutcome, number>;
}

interface ClaimRow {
  id: string;
  event_id: string;
  topic: string;
  referral_id: string;
  recipient_organization_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
  attempts: number;
  subscription_id: string | null;
  url: string | null;
  secret: string | null;
}

/**
 * Delivers the outbox to partners' webhooks, at least once.
 *
 * A round claims due rows (`FOR UPDATE SKIP LOCKED`, in a short transaction that sets `locked_until` = now + lease,
 * so concurrent workers and processes never hold the same row), then posts each one outside any transaction and
 * records the attempt. A worker that dies after the claim leaves the row locked until the lease ends; then another
 * worker takes it over. The result of an attempt is written only while the claim still holds (`locked_until` is
 * the claim's token), so a worker that comes back late cannot overwrite the newer claim's result. Receivers
 * de-duplicate by the delivery id (the outbox id): a crash after the POST and before recording it repeats the POST.
 */
export class OutboxWorker {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly backoffMs: (attempts: number) => number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: OutboxWorkerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 10;
    this.concurrency = Math.max(1, options.concurrency ?? 5);
    this.timeoutMs = options.timeoutMs ?? envInt('WEBHOOK_TIMEOUT_MS', 5_000);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? envInt('WEBHOOK_MAX_ATTEMPTS', 10));
    this.leaseMs = options.leaseMs ?? this.timeoutMs * Math.ceil(this.batchSize / this.concurrency) + 30_000;
    this.now = options.now ?? (() => new Date());
    this.backoffMs = options.backoffMs ?? ((attempts) => defaultBackoffMs(attempts));
  }

  /** One round: claim up to batchSize due rows and deliver them. Never throws for a failed delivery. */
  async runOnce(): Promise<RoundResult> {
    const claimed = await this.claim();
    const outcomes: Record<DeliveryOutcome, number> = { delivered: 0, retry: 0, undeliverable: 0, no_subscription: 0, lease_lost: 0 };
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const row = claimed[next++];
        outcomes[await this.deliver(row)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, lane));
    return { claimed: claimed.length, outcomes };
  }

  /** Claims due rows for the lease (own short transaction); public so tests can simulate a worker that dies here. */
  async claim(limit = this.batchSize): Promise<ClaimedDelivery[]> {
    const now = this.now();
    const lockedUntil = new Date(now.getTime() + this.leaseMs);
    const rows: ClaimRow[] = await withScope(this.dataSource, WORKER_SCOPE, (manager) =>
      manager.query(
        `WITH due AS (
           SELECT id FROM outbox
            WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
            ORDER BY next_attempt_at, id
            LIMIT $3
            FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE outbox o SET locked_until = $2 FROM due WHERE o.id = due.id
           RETURNING o.id, o.event_id, o.topic, o.referral_id, o.recipient_organization_id, o.payload, o.created_at, o.attempts, o.next_attempt_at
         )
         SELECT c.id, c.event_id, c.topic, c.referral_id, c.recipient_organization_id, c.payload, c.created_at, c.attempts,
                s.id AS subscription_id, s.url, s.secret
           FROM claimed c
           LEFT JOIN webhook_subscriptions s ON s.organization_id = c.recipient_organization_id AND s.active
          ORDER BY c.next_attempt_at, c.id`,
        [now, lockedUntil, limit],
      ),
    );
    return rows.map((row) => ({
      id: String(row.id),
      eventId: row.event_id,
      topic: row.topic,
      referralId: row.referral_id,
      recipientOrganizationId: row.recipient_organization_id,
      payload: row.payload,
      createdAt: row.created_at,
      attempts: row.attempts,
      lockedUntil,
      subscription: row.subscription_id ? { id: row.subscription_id, url: row.url!, secret: row.secret! } : null,
    }));
  }

  /** Posts one claimed row to the recipient's webhook and records the attempt. */
  async deliver(row: ClaimedDelivery): Promise<DeliveryOutcome> {
    const log = { outboxId: row.id, topic: row.topic, referralId: row.referralId, recipientOrganizationId: row.recipientOrganizationId };
    if (!row.subscription) {
      const held = await this.finish(row, `status = 'no_subscription'`, []);
      this.logger.info({ ...log, outcome: held ? 'no_subscription' : 'lease_lost' }, 'outbox: recipient has no active webhook subscription');
      return held ? 'no_subscription' : 'lease_lost';
    }
    const subscription = row.subscription;
    const attempt = row.attempts + 1;
    const body = JSON.stringify({
      id: row.id,
      eventId: row.eventId,
      topic: row.topic,
      referralId: row.referralId,
      payload: row.payload,
      createdAt: row.createdAt.toISOString(),
    });
    const attemptedAt = this.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [EVENT_HEADER]: row.topic,
          [DELIVERY_HEADER]: row.id,
          [SIGNATURE_HEADER]: signatureHeader(subscription.secret, body, attemptedAt),
        },
        body,
        // A redirect is not followed (it could point anywhere) and counts as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode > 299) {
        error = `HTTP ${statusCode}${response.statusText ? ` ${response.statusText}` : ''}${statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed: register the final URL)' : ''}`;
      }
    } catch (caught) {
      error = describeError(caught, this.timeoutMs);
    }
    const durationMs = Math.round(performance.now() - started);
    const finishedAt = this.now();
    error = error === null ? null : error.slice(0, MAX_ERROR_LENGTH);
    const context = { ...log, attempt, statusCode, durationMs, subscriptionId: subscription.id };

    let outcome: DeliveryOutcome;
    let held: boolean;
    if (error === null) {
      outcome = 'delivered';
      held = await this.finish(
        row,
        `status = 'delivered', delivered_at = $3, attempts = $4, last_status_code = $5, last_error = NULL`,
        [finishedAt, attempt, statusCode],
        { attempt, attemptedAt, statusCode, error, durationMs, subscriptionId: subscription.id },
      );
    } else if (attempt >= this.maxAttempts) {
      outcome = 'undeliverable';
      held = await this.finish(
        row,
        `status = 'undeliverable', attempts = $3, last_status_code = $4, last_error = $5`,
        [attempt, statusCode, error],
        { attempt, attemptedAt, statusCode, error, durationMs, subscriptionId: subscription.id },
      );
    } else {
      outcome = 'retry';
      const nextAttemptAt = new Date(finishedAt.getTime() + this.backoffMs(attempt));
      held = await this.finish(
        row,
        `attempts = $3, last_status_code = $4, last_error = $5, next_attempt_at = $6`,
        [attempt, statusCode, error, nextAttemptAt],
        { attempt, attemptedAt, statusCode, error, durationMs, subscriptionId: subscription.id },
      );
      if (held) Object.assign(context, { nextAttemptAt: nextAttemptAt.toISOString() });
    }
    if (!held) {
      this.logger.warn({ ...context, outcome, error }, 'outbox: the claim expired during the delivery; another worker owns the row now');
      return 'lease_lost';
    }
    if (outcome === 'delivered') this.logger.info({ ...context, outcome }, 'outbox: delivered');
    // A partner's endpoint failing is the partner's to fix (they see the attempts in recentDeliveries): info while
    // retrying, a warning when we give up.
    else if (outcome === 'retry') this.logger.info({ ...context, outcome, error }, 'outbox: delivery failed, will retry');
    else this.logger.warn({ ...context, outcome, error, maxAttempts: this.maxAttempts }, 'outbox: delivery failed for the last time, undeliverable');
    return outcome;
  }

  /**
   * Records an attempt (if any) and updates the row, releasing the claim, in one short transaction. The row is
   * updated only while this claim holds it; false otherwise (the attempt is recorded all the same).
   */
  private async finish(
    row: ClaimedDelivery,
    set: string,
    params: unknown[],
    attempt?: { attempt: number; attemptedAt: Date; statusCode: number | null; error: string | null; durationMs: number; subscriptionId: string },
  ): Promise<boolean> {
    return withScope(this.dataSource, WORKER_SCOPE, async (manager) => {
      if (attempt) {
        await manager.query(
          `INSERT INTO webhook_deliveries (outbox_id, subscription_id, attempt, attempted_at, status_code, error, duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [row.id, attempt.subscriptionId, attempt.attempt, attempt.attemptedAt, attempt.statusCode, attempt.error, attempt.durationMs],
        );
      }
      const updated: unknown[] = await manager.query(
        // (As a SELECT: TypeORM returns [rows, count] for a bare UPDATE.)
        `WITH updated AS (UPDATE outbox SET ${set}, locked_until = NULL WHERE id = $1 AND status = 'pending' AND locked_until = $2 RETURNING id)
         SELECT id FROM updated`,
        [row.id, row.lockedUntil, ...params],
      );
      return updated.length === 1;
    });
  }
}

/** A short, log- and partner-friendly reason for a failed request (no stack, no headers). */
function describeError(error: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors may come from another realm (instanceof Error is not reliable there).
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
    if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
    if (cause && typeof cause.code === 'string') return `${String(message)}: ${cause.code}`;
    if (cause && typeof cause.message === 'string') return `${String(message)}: ${cause.message}`;
    return String(message);
  }
  return String(error);
}
