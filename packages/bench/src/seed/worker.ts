import { parentPort, workerData } from 'node:worker_threads';
import { generateDistrict, generateTaxonomyRows } from './generate';
import { DistrictBatch, generatorContext, GeneratorOptions, toBatch } from './batch';

/**
 * Generates districts in a worker thread, so that the next district is generated while the previous one is loaded
 * (seedScale). Same code and same inputs as generating in the main thread: the data does not depend on where it was
 * made.
 */
const ctx = generatorContext(workerData as GeneratorOptions);
parentPort!.on('message', (index: number) => {
  try {
    let taxonomy: ReturnType<typeof generateTaxonomyRows> | undefined;
    const district = generateDistrict(ctx, index, (rows) => {
      if (index === 0) taxonomy = generateTaxonomyRows(rows.partners);
    });
    const batch: DistrictBatch = toBatch(index, district, taxonomy);
    parentPort!.postMessage({ batch });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
