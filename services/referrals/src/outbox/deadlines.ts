import { ErrorCode, Logger, withScope } from '@integration-graph/common';
import { DataSource } from 'typeorm';
import { Referral } from '../entities/referral';
import { ReferralStatus } from '../entities/referral-status';
import { applyTransition } from '../lifecycle/apply';
import { WORKER_SCOPE } from './worker';

export const EXPIRY_COMMENT = 'No answer within the response deadline';
export const SYSTEM_ACTOR = { userId: 'system', organizationId: null, side: 'system' as const };

/** Statuses in which a referral waits for the partner's answer and can expire. */
const WAITING: readonly ReferralStatus[] = [ReferralStatus.SENT, ReferralStatus.RECEIVED];

export interface DeadlineJobOptions {
  /** Referrals looked at per round (default 100). */
  batchSize?: number;
  /** The clock (tests move it forward). */
  now?: () => Date;
}

export interface DeadlineRoundResult {
  expired: string[];
  skipped: string[];
}

/**
 * Expires referrals that nobody answered: SENT or RECEIVED with `response_due_at` in the past move to EXPIRED
 * through the state machine (system actor, an event, a notification to both sides). One referral per
 * transaction, with the version just read as the expected one: when the partner answers at the same moment,
 * whichever commits first wins and the other is skipped (the referral is no longer overdue, or a CONFLICT).
 */
export class DeadlineJob {
  private readonly batchSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: DeadlineJobOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.now = options.now ?? (() => new Date());
  }

  async runOnce(): Promise<DeadlineRoundResult> {
    const now = this.now();
    const due: { id: string }[] = await withScope(this.dataSource, WORKER_SCOPE, (manager) =>
      manager.query(
        `SELECT id FROM referrals WHERE status = ANY($1) AND response_due_at < $2 ORDER BY response_due_at, id LIMIT $3`,
        [WAITING, now, this.batchSize],
      ),
    );
    const result: DeadlineRoundResult = { expired: [], skipped: [] };
    for (const { id } of due) {
      try {
        const expired = await withScope(this.dataSource, WORKER_SCOPE, async (manager) => {
          const referral = await manager.findOne(Referral, { where: { id } });
          // Answered (or changed) since the list was read: nothing to do.
          if (!referral || !WAITING.includes(referral.status) || !referral.responseDueAt || referral.responseDueAt >= now) return false;
          await applyTransition(manager, {
            referral,
            to: ReferralStatus.EXPIRED,
            expectedVersion: referral.version,
            actor: SYSTEM_ACTOR,
            comment: EXPIRY_COMMENT,
            details: { responseDueAt: referral.responseDueAt.toISOString() },
          });
          return true;
        });
        (expired ? result.expired : result.skipped).push(id);
        if (expired) this.logger.info({ referralId: id }, 'deadline: referral expired, no answer within the response deadline');
      } catch (error) {
        result.skipped.push(id);
        if ((error as { extensions?: { code?: unknown } }).extensions?.code === ErrorCode.Conflict) {
          this.logger.info({ referralId: id }, 'deadline: referral changed concurrently, not expired');
        } else {
          this.logger.error({ err: error, referralId: id }, 'deadline: could not expire referral');
        }
      }
    }
    return result;
  }
}
