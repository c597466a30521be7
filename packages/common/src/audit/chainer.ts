import { DataSource } from 'typeorm';
import { envInt } from '../config';
import { Logger } from '../logger';
import { startIntervalJob } from '../server/interval-job';
import type { BackgroundJobs } from '../server/subgraph';

/** Entries chained per call at most; the chainer calls again at once while a call comes back full. */
const BATCH = 5_000;

/**
 * Chains the audit entries the requests wrote (audit_chain_pending, AUDIT_TRAIL_V2) every AUDIT_CHAIN_INTERVAL_MS
 * (default 1000; 0 turns it off). Every subgraph process runs one; with several replicas one chains at a time and
 * the others skip (FOR UPDATE SKIP LOCKED on the chain's head).
 */
export function startAuditChainer(dataSource: DataSource, logger: Logger, intervalMs = envInt('AUDIT_CHAIN_INTERVAL_MS', 1_000)): BackgroundJobs {
  const round = async () => {
    const [{ chained }]: { chained: number }[] = await dataSource.query(`SELECT audit_chain_pending($1) AS chained`, [BATCH]);
    return { done: chained, full: chained === BATCH };
  };
  const job = startIntervalJob(logger, 'audit-chainer', intervalMs, round, { offMessage: 'audit-chainer: off (AUDIT_CHAIN_INTERVAL_MS=0)' });
  return {
    async stop() {
      await job.stop();
      if (intervalMs === 0) return;
      // What the last requests wrote is chained before the process goes.
      try {
        while ((await round()).full);
      } catch (error) {
        logger.error({ err: error }, 'audit-chainer: the last round failed; the entries are chained at the next start');
      }
    },
  };
}
