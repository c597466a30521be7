import { RequestContext } from '../context';

/**
 * Figures computed once per gateway request, however many subgraph requests of it ask for them.
 *
 * The gateway's plan of a comparison fetches the same figures twice from one subgraph, in parallel: the
 * municipalities' metrics (`MunicipalityStatistics.caseMetrics`) and the district's distribution
 * (`DistrictStatistics.caseDistribution`, which needs every municipality's metrics) are two `_entities` requests,
 * each with its own transaction and DataLoaders. Both carry the gateway request's id (X-Request-Id), so the figures
 * being computed for one of them are shared with the other: keyed by request id, caller and figure, held only while
 * the computation runs (nothing is cached: a later request computes afresh). Requests of other users, or another
 * request of the same user, never share.
 *
 * The figures are aggregates that every caller allowed to ask for them gets alike (the SQL functions answer all
 * statistics roles the same; what a caller may see is filtered afterwards). When the computation a request borrowed
 * fails (its own request failed), the borrowing request computes those figures itself.
 */
export class SharedFigures<V> {
  private readonly running = new Map<string, Promise<V>>();

  /** Figures computed right now (for tests: empty once every request finished). */
  get size(): number {
    return this.running.size;
  }

  /**
   * The value of every key, computing those no other subgraph request of the same gateway request is computing
   * already with `compute` (which returns the values of the keys it was given, by key).
   */
  async load(context: RequestContext, keys: readonly string[], compute: (keys: string[]) => Promise<Map<string, V>>): Promise<V[]> {
    const scope = `${context.requestId}|${context.principal?.userId ?? '-'}|`;
    const borrowed = new Map<string, Promise<V>>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const running = this.running.get(scope + key);
      if (running) borrowed.set(key, running);
      else missing.push(key);
    }
    const values = new Map<string, V>();
    if (missing.length) {
      const computing = compute(missing);
      const own = missing.map((key) => {
        const value = computing.then((found) => valueOf(found, key));
        // Borrowers handle a failure themselves; this branch only keeps it from counting as unhandled.
        value.catch(() => undefined);
        this.running.set(scope + key, value);
        return value;
      });
      try {
        const settled = await computing;
        for (const key of missing) values.set(key, valueOf(settled, key));
      } finally {
        missing.forEach((key, i) => {
          if (this.running.get(scope + key) === own[i]) this.running.delete(scope + key);
        });
      }
    }
    const failed: string[] = [];
    await Promise.all(
      [...borrowed].map(([key, value]) =>
        value.then(
          (v) => void values.set(key, v),
          () => void failed.push(key),
        ),
      ),
    );
    if (failed.length) {
      const recomputed = await compute(failed);
      for (const key of failed) values.set(key, valueOf(recomputed, key));
    }
    return keys.map((key) => values.get(key)!);
  }
}

function valueOf<V>(found: Map<string, V>, key: string): V {
  if (!found.has(key)) throw new Error(`SharedFigures: the computation returned no value for ${key}`);
  return found.get(key)!;
}
