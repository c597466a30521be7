import { ownerUrl } from '@integration-graph/common';
import { RunningPlatform, SERVICES } from '@integration-graph/platform';
import { describeProgress, SeedBenchSubjects, seedScale } from '../seed';
import { BenchSubjects, DEFAULT_PAGE_SIZES } from './subjects';

/** The generator's subjects with the harness's defaults (page sizes of issue 8). */
export function subjectsFromSeed(given: SeedBenchSubjects): BenchSubjects {
  return { pageSizes: DEFAULT_PAGE_SIZES, ...given } as BenchSubjects;
}

/**
 * Loads scale N with the state-scale generator (packages/bench/src/seed, `npm run seed:scale`) into the freshly
 * migrated databases of the running platform, as their owner roles (the subgraphs applied their migrations at start
 * and serve no requests meanwhile; the generator empties the data tables first, loads with COPY and runs VACUUM
 * ANALYZE), and returns whom the bench acts as: the generator's benchSubjects (the fullest inbox, the largest caseload,
 * the first district's coordinator, its current period, consented cases for the referrals).
 */
export async function loadScaleData(scale: number, platform: RunningPlatform, progress: (message: string) => void): Promise<BenchSubjects> {
  const databases = Object.fromEntries(SERVICES.map((name) => [name, ownerUrl(platform.adminUrl, platform.databases[name])])) as Record<
    (typeof SERVICES)[number],
    string
  >;
  const started = Date.now();
  let lastLine = 0;
  let lastPhase = '';
  progress(`loading scale ${scale} with the generator (COPY)`);
  const result = await seedScale({
    scale,
    databases,
    replace: true,
    onProgress: (event) => {
      // Events come per chunk and per index: a line when the phase changes, else one every two seconds.
      if (event.phase === lastPhase && event.phase !== 'done' && Date.now() - lastLine < 2_000) return;
      lastPhase = event.phase;
      lastLine = Date.now();
      progress(`seed: ${describeProgress(event)}`);
    },
  });
  const counts = Object.entries(result.counts)
    .map(([service, tables]) => `${service} ${Object.values(tables).reduce((a, b) => a + b, 0).toLocaleString('en')} rows`)
    .join(', ');
  progress(`scale ${scale} loaded in ${((Date.now() - started) / 1000).toFixed(1)}s (${counts})`);
  return subjectsFromSeed(result.benchSubjects);
}
