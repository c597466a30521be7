import { DbScope, envInt, insertAuditEntries, jobActor, Logger, RETENTION_WORKER_SCOPE, withScope } from '@integration-graph/common';
import { DataSource } from 'typeorm';

/**
 * Who the retention job is in the database: no organisation, only the role `retention-worker`, which the policies of
 * migration 1764600000000 admit to read and anonymise referrals, their events and notifications. Set by the service
 * itself through withScope; no token carries this role.
 */
export const RETENTION_SCOPE: DbScope = RETENTION_WORKER_SCOPE;

/** Like the cases' retention (CASE_RETENTION_MONTHS, three years after the last closed case; docs/referrals.md). */
export const DEFAULT_REFERRAL_RETENTION_MONTHS = 36;

/** REFERRAL_RETENTION_MONTHS, else CASE_RETENTION_MONTHS, else 36: one setting serves both unless told apart. */
export function referralRetentionMonths(): number {
  return envInt('REFERRAL_RETENTION_MONTHS', envInt('CASE_RETENTION_MONTHS', DEFAULT_REFERRAL_RETENTION_MONTHS));
}

export interface ReferralRetentionOptions {
  /** Months after closing (default REFERRAL_RETENTION_MONTHS). */
  retentionMonths?: number;
  /** Referrals per round (default 500). */
  batchSize?: number;
  /** The clock (tests move it forward). */
  now?: () => Date;
}

export interface ReferralRetentionResult {
  dryRun: boolean;
  cutoff: Date;
  /** The referrals whose retention ended (with a dry run: that would be anonymised), oldest closure first. */
  expired: string[];
  anonymised: string[];
  /** Snapshots of client data deleted now (the others had been withdrawn before, or never existed). */
  snapshotsDeleted: number;
  events: number;
  notifications: number;
}

/** The free text of an outcome ({ code, levelReached, certificate, note }): the code and level stay for the figures. */
const withoutOutcomeText = (json: string) =>
  `CASE WHEN jsonb_typeof(${json}) = 'object' THEN ${json} || '{"certificate": null, "note": null}'::jsonb ELSE ${json} END`;

/**
 * Deletes what identifies the client from referrals closed longer than the retention period: the snapshot of client
 * data (`clientDataWithdrawnAt` is set, like after a revoked consent), the reason for the referral and the reason
 * texts, the outcome's certificate and note, the comments of the history and the same in the notifications. Status,
 * dates, codes (life area, receiver kind, reason code, outcome code and level) and the history's steps stay, so the
 * referral figures of past periods are unchanged (tested). One batch per transaction, taken with FOR UPDATE SKIP
 * LOCKED (several replicas share the work, none does it twice); idempotent (`anonymised_at`). Logs ids and counts.
 */
export class ReferralRetentionJob {
  readonly retentionMonths: number;
  readonly batchSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: ReferralRetentionOptions = {},
  ) {
    this.retentionMonths = options.retentionMonths ?? referralRetentionMonths();
    this.batchSize = options.batchSize ?? 500;
    this.now = options.now ?? (() => new Date());
  }

  async runOnce(options: { dryRun?: boolean } = {}): Promise<ReferralRetentionResult> {
    const dryRun = options.dryRun ?? false;
    const result = await withScope(this.dataSource, RETENTION_SCOPE, async (manager): Promise<ReferralRetentionResult> => {
      const [{ cutoff }]: { cutoff: Date }[] = await manager.query(`SELECT $1::timestamptz - make_interval(months => $2::int) AS cutoff`, [this.now(), this.retentionMonths]);
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM referrals WHERE anonymised_at IS NULL AND closed_at < $1 ORDER BY closed_at, id LIMIT $2 ${dryRun ? '' : 'FOR UPDATE SKIP LOCKED'}`,
        [cutoff, this.batchSize],
      );
      const ids = rows.map((row) => row.id);
      const empty = { dryRun, cutoff, expired: ids, anonymised: [], snapshotsDeleted: 0, events: 0, notifications: 0 };
      if (dryRun || !ids.length) return empty;
      const subjects: { id: string; case_id: string; sender_organization_id: string }[] = await manager.query(
        `SELECT id, case_id, sender_organization_id FROM referrals WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [ids],
      );
      const [referrals]: { snapshots: number }[] = await manager.query(
        `WITH changed AS (
           UPDATE referrals r SET snapshot = NULL,
                  snapshot_withdrawn_at = CASE WHEN r.snapshot IS NOT NULL THEN now() ELSE r.snapshot_withdrawn_at END,
                  reason = NULL, reason_text = NULL, outcome = ${withoutOutcomeText('r.outcome')},
                  idempotency_key = NULL, payload_hash = NULL, anonymised_at = now(), version = r.version + 1, updated_at = now()
             FROM (SELECT id, snapshot IS NOT NULL AS had_snapshot FROM referrals WHERE id = ANY($1::uuid[])) b
            WHERE r.id = b.id RETURNING b.had_snapshot)
         SELECT count(*)::int AS n, count(*) FILTER (WHERE had_snapshot)::int AS snapshots FROM changed`,
        [ids],
      );
      const [events]: { n: number }[] = await manager.query(
        `WITH changed AS (
           UPDATE referral_events SET comment = NULL,
                  details = CASE WHEN details ? 'outcome' THEN jsonb_set(details, '{outcome}', ${withoutOutcomeText(`(details -> 'outcome')`)}) ELSE details END
            WHERE referral_id = ANY($1::uuid[]) RETURNING 1)
         SELECT count(*)::int AS n FROM changed`,
        [ids],
      );
      const [notifications]: { n: number }[] = await manager.query(
        `WITH changed AS (
           UPDATE outbox SET payload = CASE WHEN payload -> 'details' ? 'outcome'
                  THEN jsonb_set(payload, '{details,outcome}', ${withoutOutcomeText(`(payload -> 'details' -> 'outcome')`)}) ELSE payload END
            WHERE referral_id = ANY($1::uuid[]) RETURNING 1)
         SELECT count(*)::int AS n FROM changed`,
        [ids],
      );
      // What the job did, in the audit trail: one entry per referral, in this transaction (ids and field names only).
      await insertAuditEntries(
        manager,
        jobActor('referrals', RETENTION_SCOPE, { purpose: `Löschung nach Aufbewahrungsfrist (${this.retentionMonths} Monate, Art. 5 (1) (e) DSGVO)` }),
        subjects.map((referral) => ({
          action: 'system',
          operation: 'referralRetention',
          entityType: 'Referral',
          entityIds: [referral.id],
          fields: ['clientData', 'history.comment', 'outcome.certificate', 'outcome.note', 'reason', 'reasonText'],
          dataOwnerOrganizationId: referral.sender_organization_id,
          subjectClientIds: [],
          subjectCaseIds: [referral.case_id],
        })),
      );
      return { ...empty, anonymised: ids, snapshotsDeleted: referrals.snapshots, events: events.n, notifications: notifications.n };
    });
    if (result.expired.length) {
      this.logger.info(
        {
          dryRun,
          retentionMonths: this.retentionMonths,
          expired: result.expired.length,
          anonymised: result.anonymised.length,
          referralIds: dryRun ? result.expired : result.anonymised,
          snapshotsDeleted: result.snapshotsDeleted,
          events: result.events,
          notifications: result.notifications,
        },
        dryRun ? 'retention (dry run): referrals that would be anonymised' : 'retention: referrals anonymised',
      );
    }
    return result;
  }
}
