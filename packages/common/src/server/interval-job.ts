import { Logger } from '../logger';
import type { BackgroundJobs } from './subgraph';

/**
 * Runs `round` every `intervalMs` (0: never) in the background of a service process: the first round one interval
 * after the start, rounds never overlapping, at once again while a round reports a full batch that did something. A
 * failed round is logged and tried again at the next interval. `stop()` starts no new round and waits for the one in
 * flight.
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
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
