import { BackgroundJobs, DbScope, envInt, ErrorCode, insertAuditEntries, jobActor, Logger, RETENTION_WORKER_SCOPE, startIntervalJob, withScope } from '@integration-graph/common';
import { DataSource, EntityManager } from 'typeorm';
import { anonymiseClient, AnonymisationReport, RETENTION_JOB_ACTOR } from './anonymise';
import { AnonymisationReason } from './vocabulary';

/** The retention job in the database: every organisation's clients, as the retention worker (never from a token). */
export const RETENTION_SCOPE: DbScope = RETENTION_WORKER_SCOPE;

/**
 * Default retention after the last closed case: three years. The regular limitation period for claims arising from
 * the counselling is three years (§ 195 BGB, from the end of the year), and a client who comes back within it is
 * counselled with their history; after it, nothing justifies keeping the person identifiable (Art. 5 (1) (e) GDPR,
 * § 84 SGB X). The statistics do not need the person: anonymised cases count as before. Organisations set their own
 * period from their deletion concept with CASE_RETENTION_MONTHS.
 */
export const DEFAULT_CASE_RETENTION_MONTHS = 36;

/** The job looks at most this often (retention counts in months). */
export const DEFAULT_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export function caseRetentionMonths(): number {
  return envInt('CASE_RETENTION_MONTHS', DEFAULT_CASE_RETENTION_MONTHS);
}

export interface RetentionJobOptions {
  /** Months after the last closure (default CASE_RETENTION_MONTHS, 36). */
  retentionMonths?: number;
  /** Clients looked at per round (default 100). */
  batchSize?: number;
  /** The clock (tests move it forward). */
  now?: () => Date;
}

/** The job's work in the audit trail, in its transaction: one entry per client (ids, field names, no values). */
async function recordAnonymisation(manager: EntityManager, report: AnonymisationReport, retentionMonths: number): Promise<void> {
  await insertAuditEntries(manager, jobActor('cases', RETENTION_SCOPE, { purpose: `Löschung nach Aufbewahrungsfrist (${retentionMonths} Monate, Art. 5 (1) (e) DSGVO)` }), [
    {
      action: 'system',
      operation: 'caseRetention',
      entityType: 'Client',
      entityIds: [report.clientId, ...report.caseIds, ...(report.householdId ? [report.householdId] : [])],
      fields: report.cleared.flatMap((cleared) => cleared.fields.map((field) => `${cleared.entityType}.${field}`)).sort(),
      dataOwnerOrganizationId: report.ownerOrganizationId,
      subjectClientIds: [report.clientId],
      subjectCaseIds: report.caseIds,
    },
  ]);
}

/** A client whose retention period has ended: all cases closed, the last closure before the cutoff. */
export interface ExpiredClient {
  clientId: string;
  caseIds: string[];
  lastClosedAt: Date;
}

export interface RetentionRoundResult {
  dryRun: boolean;
  cutoff: Date;
  /** Clients whose retention period has ended (with a dry run: what would be anonymised). */
  expired: ExpiredClient[];
  anonymised: AnonymisationReport[];
  /** Clients left for another round: taken by another replica or a request at the same moment, or refused. */
  skipped: string[];
}

/**
 * Clients whose cases are all closed, the last one before the cutoff ($1 minus $2 months), not anonymised yet.
 * Restricted clients are invisible to the retention worker (row-level security): a restriction stops retention too.
 */
const EXPIRED = `
  SELECT cl.id AS client_id, array_agg(k.id ORDER BY k.opened_at, k.id) AS case_ids, max(k.closed_at) AS last_closed_at
    FROM clients cl JOIN cases k ON k.client_id = cl.id
   WHERE cl.anonymised_at IS NULL AND cl.processing_restricted_since IS NULL AND ($4::uuid IS NULL OR cl.id = $4)
   GROUP BY cl.id
  HAVING bool_and(k.status = 'closed') AND max(k.closed_at) < $1::timestamptz - make_interval(months => $2::int)
   ORDER BY max(k.closed_at), cl.id
   LIMIT $3`;

/**
 * The retention job of the cases subgraph: anonymises every client whose cases are all closed and whose last
 * closure lies more than the retention period back, through anonymiseClient (the same code as a lead's erasure
 * request). One client per transaction, as the retention worker. Safe with several replicas and with requests at
 * the same moment: the client row is taken with FOR UPDATE SKIP LOCKED and the expiry checked again under the lock,
 * so a client is anonymised once, and a client someone is opening a case for (openCase holds it FOR SHARE) is left
 * for the next round. Idempotent: an anonymised client is never a candidate again. Logs counts and ids only.
 */
export class CaseRetentionJob {
  readonly retentionMonths: number;
  readonly batchSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: RetentionJobOptions = {},
  ) {
    this.retentionMonths = options.retentionMonths ?? caseRetentionMonths();
    this.batchSize = options.batchSize ?? 100;
    this.now = options.now ?? (() => new Date());
  }

  async runOnce(options: { dryRun?: boolean } = {}): Promise<RetentionRoundResult> {
    const dryRun = options.dryRun ?? false;
    const now = this.now();
    const { cutoff, rows } = await withScope(this.dataSource, RETENTION_SCOPE, async (manager) => {
      const [{ cutoff }]: { cutoff: Date }[] = await manager.query(`SELECT $1::timestamptz - make_interval(months => $2::int) AS cutoff`, [now, this.retentionMonths]);
      const rows: { client_id: string; case_ids: string[]; last_closed_at: Date }[] = await manager.query(EXPIRED, [now, this.retentionMonths, this.batchSize, null]);
      return { cutoff, rows };
    });
    const result: RetentionRoundResult = {
      dryRun,
      cutoff,
      expired: rows.map((row) => ({ clientId: row.client_id, caseIds: row.case_ids, lastClosedAt: row.last_closed_at })),
      anonymised: [],
      skipped: [],
    };
    if (dryRun) {
      this.logger.info(
        { dryRun, retentionMonths: this.retentionMonths, expired: result.expired.length, clientIds: result.expired.map((e) => e.clientId) },
        'retention (dry run): clients that would be anonymised',
      );
      return result;
    }
    for (const { clientId } of result.expired) {
      try {
        const report = await withScope(this.dataSource, RETENTION_SCOPE, async (manager) => {
          const [free] = await manager.query(`SELECT id FROM clients WHERE id = $1 AND anonymised_at IS NULL FOR UPDATE SKIP LOCKED`, [clientId]);
          if (!free) return null;
          const [still] = await manager.query(EXPIRED, [now, this.retentionMonths, 1, clientId]);
          if (!still) return null;
          const done = await anonymiseClient(manager, clientId, AnonymisationReason.RETENTION, RETENTION_JOB_ACTOR);
          if (!done.alreadyAnonymised) await recordAnonymisation(manager, done, this.retentionMonths);
          return done;
        });
        if (!report) {
          result.skipped.push(clientId);
          continue;
        }
        result.anonymised.push(report);
        this.logger.info(
          {
            clientId,
            ownerOrganizationId: report.ownerOrganizationId,
            caseIds: report.caseIds,
            consentsRevoked: report.consentsRevoked,
            householdAnonymised: report.householdAnonymised,
            cleared: Object.fromEntries(report.cleared.map((c) => [c.entityType, c.count])),
          },
          'retention: client anonymised',
        );
      } catch (error) {
        result.skipped.push(clientId);
        const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
        if (code === ErrorCode.BadUserInput || code === ErrorCode.NotFound) {
          this.logger.info({ clientId, code }, 'retention: client changed concurrently, not anonymised');
        } else {
          this.logger.error({ err: error, clientId }, 'retention: could not anonymise client');
        }
      }
    }
    if (result.expired.length) {
      this.logger.info(
        {
          retentionMonths: this.retentionMonths,
          expired: result.expired.length,
          anonymised: result.anonymised.length,
          skipped: result.skipped.length,
          clientIds: result.anonymised.map((r) => r.clientId),
          cases: result.anonymised.reduce((sum, r) => sum + r.caseIds.length, 0),
        },
        'retention: round done',
      );
    }
    return result;
  }
}

/**
 * Runs a job's rounds on a timer every `intervalMs` (RETENTION_INTERVAL_MS, default one hour; 0: off), the first
 * one interval after the start; rounds follow each other at once while a full batch was done. Rounds never overlap;
 * `stop()` lets the round in flight finish.
 */
export function startRetentionTimer(
  logger: Logger,
  name: string,
  round: () => Promise<{ done: number; full: boolean }>,
  intervalMs = envInt('RETENTION_INTERVAL_MS', DEFAULT_RETENTION_INTERVAL_MS),
): BackgroundJobs {
  return startIntervalJob(logger, name, intervalMs, round, { offMessage: `${name}: off (RETENTION_INTERVAL_MS=0)` });
}

/** The cases subgraph's background work: the retention job. */
export function startCaseRetention(dataSource: DataSource, logger: Logger): BackgroundJobs {
  const job = new CaseRetentionJob(dataSource, logger.child({ job: 'retention' }));
  return startRetentionTimer(logger.child({ job: 'retention' }), 'retention', async () => {
    const result = await job.runOnce();
    return { done: result.anonymised.length, full: result.expired.length === job.batchSize };
  });
}
