import { BackgroundJobs, envInt, Logger } from '@integration-graph/common';
import { DataSource } from 'typeorm';
import { DeadlineJob, DeadlineJobOptions } from './deadlines';
import { ReferralRetentionJob, ReferralRetentionOptions } from './retention';
import { OutboxWorker, OutboxWorkerOptions } from './worker';

/** The deadline job looks at most this often (the response deadline counts in days). */
export const DEADLINE_INTERVAL_MS = 60_000;

/** The retention job looks this often by default (RETENTION_INTERVAL_MS; retention counts in months). */
export const DEFAULT_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export interface ReferralJobsOptions {
  /** Pause between rounds (default OUTBOX_POLL_MS, 1000). */
  pollMs?: number;
  worker?: OutboxWorkerOptions;
  deadlines?: DeadlineJobOptions;
  retention?: ReferralRetentionOptions;
  /** Pause between retention rounds (default RETENTION_INTERVAL_MS, one hour; 0: no retention job). */
  retentionIntervalMs?: number;
}

/**
 * The referrals subgraph's background work, on one timer: every poll the delivery worker delivers what is due
 * (rounds follow each other while full batches come back), and about every minute the deadline job expires
 * referrals nobody answered. Rounds never overlap; the first delivery round runs one poll after the start, the
 * first deadline round a minute after it; every RETENTION_INTERVAL_MS (an hour, the first one after the start) the
 * retention job deletes the client data and free text of referrals closed longer than REFERRAL_RETENTION_MONTHS.
 * `stop()` lets the round in flight finish (deliveries included, each bounded by its timeout) and starts no new one.
 */
export function startBackgroundJobs(dataSource: DataSource, logger: Logger, options: ReferralJobsOptions = {}): BackgroundJobs {
  const pollMs = Math.max(10, options.pollMs ?? envInt('OUTBOX_POLL_MS', 1_000));
  const worker = new OutboxWorker(dataSource, logger.child({ job: 'outbox' }), options.worker);
  const deadlines = new DeadlineJob(dataSource, logger.child({ job: 'deadlines' }), options.deadlines);
  const retention = new ReferralRetentionJob(dataSource, logger.child({ job: 'retention' }), options.retention);
  const retentionIntervalMs = options.retentionIntervalMs ?? envInt('RETENTION_INTERVAL_MS', DEFAULT_RETENTION_INTERVAL_MS);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  // The first deadline round comes one interval after the start, not with the first poll.
  let lastDeadlineRun = Date.now();
  let lastRetentionRun = Date.now();

  const round = async () => {
    try {
      let result;
      do {
        result = await worker.runOnce();
      } while (!stopped && result.claimed === worker.batchSize);
    } catch (error) {
      logger.error({ err: error, job: 'outbox' }, 'outbox: round failed, trying again at the next poll');
    }
    if (!stopped && Date.now() - lastDeadlineRun >= DEADLINE_INTERVAL_MS) {
      lastDeadlineRun = Date.now();
      try {
        await deadlines.runOnce();
      } catch (error) {
        logger.error({ err: error, job: 'deadlines' }, 'deadlines: round failed, trying again later');
      }
    }
    if (!stopped && retentionIntervalMs > 0 && Date.now() - lastRetentionRun >= retentionIntervalMs) {
      lastRetentionRun = Date.now();
      try {
        let result;
        do {
          result = await retention.runOnce();
        } while (!stopped && result.anonymised.length === retention.batchSize);
      } catch (error) {
        logger.error({ err: error, job: 'retention' }, 'retention: round failed, trying again later');
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = round().finally(() => {
        inFlight = undefined;
        schedule();
      });
    }, pollMs);
    timer.unref();
  };
  schedule();
  logger.info(
    { pollMs, timeoutMs: worker.timeoutMs, maxAttempts: worker.maxAttempts, retentionIntervalMs, retentionMonths: retention.retentionMonths },
    `background jobs started (webhook delivery, response deadlines${retentionIntervalMs > 0 ? ', retention' : ''})`,
  );

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
