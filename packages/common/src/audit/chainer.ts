import { DataSource } from 'typeorm';
import { envInt } from '../config';
import { Logger } from '../logger';
import { startIntervalJob, waitUntil } from '../server/interval-job';
import type { BackgroundJobs } from '../server/subgraph';

/** Entries chained per call at most; the chainer calls again at once while a call comes back full. */
const BATCH = 5_000;

/**
 * Chains the audit entries the requests wrote (audit_chain_pending, AUDIT_TRAIL_V2) every AUDIT_CHAIN_INTERVAL_MS
 * (default 1000; 0 turns it off). Every subgraph process runs one; with several replicas one chains at a time and
 * the others skip (FOR UPDATE SKIP LOCKED on the chain's head).
 *
 * `stop(deadline)` chains what the last requests wrote before the process goes, batch after batch, but starts no
 * batch after the deadline and stops waiting at it: a batch is one statement, so a batch cut off when the process
 * closes its pool rolls back whole, and what is left is chained by the next process to start (nothing is lost,
 * nothing half chained).
 */
export function startAuditChainer(dataSource: DataSource, logger: Logger, intervalMs = envInt('AUDIT_CHAIN_INTERVAL_MS', 1_000)): BackgroundJobs {
  const round = async () => {
    const [{ chained }]: { chained: number }[] = await dataSource.query(`SELECT audit_chain_pending($1) AS chained`, [BATCH]);
    return { done: chained, full: chained === BATCH };
  };
  const job = startIntervalJob(logger, 'audit-chainer', intervalMs, round, { offMessage: 'audit-chainer: off (AUDIT_CHAIN_INTERVAL_MS=0)' });
  return {
    async stop(deadline?: number) {
      await job.stop(deadline);
      if (intervalMs === 0) return;
      // What the last requests wrote is chained before the process goes, within the deadline.
      const last = (async () => {
        while ((deadline === undefined || Date.now() < deadline) && (await round()).full);
      })();
      last.catch(() => undefined); // cut off at the deadline, it fails when the pool closes: not an unhandled rejection
      const finished = await waitUntil(last, deadline);
      try {
        if (finished) await last;
        else logger.warn('audit-chainer: the last round did not finish before the stop deadline; the rest is chained at the next start');
      } catch (error) {
        logger.error({ err: error }, 'audit-chainer: the last round failed; the entries are chained at the next start');
      }
    },
  };
}
