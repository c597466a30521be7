import { DataSource } from 'typeorm';
import { envInt } from '../config';
import { Logger } from '../logger';

/** Entries chained per call at most; the chainer calls again at once while a call comes back full. */
const BATCH = 5_000;

/**
 * Chains the audit entries the requests wrote (audit_chain_pending, AUDIT_TRAIL_V2) every AUDIT_CHAIN_INTERVAL_MS
 * (default 1000; 0 turns it off). Every subgraph process runs one; with several replicas one chains at a time and
 * the others skip (FOR UPDATE SKIP LOCKED on the chain's head).
 */
export function startAuditChainer(dataSource: DataSource, logger: Logger, intervalMs = envInt('AUDIT_CHAIN_INTERVAL_MS', 1_000)): { stop(): Promise<void> } {
  if (intervalMs === 0) return { stop: async () => undefined };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      for (;;) {
        const [{ chained }]: { chained: number }[] = await dataSource.query(`SELECT audit_chain_pending($1) AS chained`, [BATCH]);
        if (chained < BATCH || stopped) break;
      }
    } catch (error) {
      logger.error({ err: error }, 'audit chainer: chaining failed; will try again');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      // What the last requests wrote is chained before the process goes.
      await round();
    },
  };
}
