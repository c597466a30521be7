import { Logger } from '../logger';
import type { BackgroundJobs } from './subgraph';

/**
 * Waits for `work`, but not past `deadline` (a Date.now() value; none: as long as it takes). True when it finished.
 */
export async function waitUntil(work: Promise<unknown> | undefined, deadline?: number): Promise<boolean> {
  if (!work) return true;
  const settled = work.then(() => true, () => true);
  if (deadline === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `round` every `intervalMs` (0: never) in the background of a service process: the first round one interval
 * after the start, rounds never overlapping, at once again while a round reports a full batch that did something. A
 * failed round is logged and tried again at the next interval. `stop(deadline)` starts no new round (nor another
 * batch of the round in flight) and waits for the one in flight, until the deadline at most: a round still running
 * then is cut off when the process closes its pool, and its transaction rolls back (a round is all or nothing).
 */
export function startIntervalJob(
  logger: Logger,
  name: string,
  intervalMs: number,
  round: () => Promise<{ done: number; full: boolean }>,
  options: { offMessage?: string } = {},
): BackgroundJobs {
  if (intervalMs === 0) {
    logger.info({ job: name }, options.offMessage ?? `${name}: off`);
    return { stop: async () => undefined };
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const run = async () => {
    try {
      let outcome;
      do {
        outcome = await round();
      } while (!stopped && outcome.full && outcome.done > 0);
    } catch (error) {
      logger.error({ err: error, job: name }, `${name}: round failed, trying again at the next interval`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = run().finally(() => {
        inFlight = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  logger.info({ job: name, intervalMs }, `${name}: started`);
  return {
    async stop(deadline?: number) {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (!(await waitUntil(inFlight, deadline))) logger.warn({ job: name }, `${name}: the round in flight did not finish before the stop deadline`);
    },
  };
}
