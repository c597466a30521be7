import { freshPublications, LoaderFactory, parsePeriod, RequestContext, SharedFigures } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { RawFigure } from './metrics';

/** A municipality (referrals.municipality_id) or a provider (the sending organisation). */
export type GroupKind = 'municipality' | 'provider';

/** Loader key of one group in one period: "kind|id|period" (id lower case, period a valid label). */
export function statisticsKey(kind: GroupKind, id: string, period: string): string {
  return `${kind}|${id.toLowerCase()}|${period}`;
}

interface FigureRow {
  group_kind: GroupKind;
  group_id: string;
  period: string;
  figure: string;
  category: string | null;
  n: string;
  base: string | null;
  median: number | null;
}

/**
 * Calls one of the SQL functions of migration 1764300000000 for every key of the batch at once: one statement
 * for all municipalities, providers and periods of a request, whatever their number. A (group kind, period) asked
 * for at least STATISTICS_PUBLISHED_MIN_GROUPS groups (a comparison of the whole state, not of a district) reads
 * the published rows of the function instead when their publication is fresh (STATISTICS_PUBLISHED_MAX_AGE_MS,
 * migration 1765000000000): one statement to check, one to read.
 */
async function computeFigures(context: RequestContext, fn: string, keys: string[]): Promise<Map<string, FigureRow[]>> {
  const triples = keys.map((key) => {
    const [kind, id, label] = key.split('|') as [GroupKind, string, string];
    return { kind, id, period: parsePeriod(label) };
  });
  const manager = await context.tx.manager();
  const groups = new Map<string, number>();
  for (const { kind, period } of triples) groups.set(`${kind}|${period.label}`, (groups.get(`${kind}|${period.label}`) ?? 0) + 1);
  const fresh = await freshPublications(
    manager,
    [...groups].map(([batch, count]) => {
      const [kind, period] = batch.split('|');
      return { kind, period, groups: count };
    }),
  );
  const published = triples.filter(({ kind, period }) => fresh.has(`${kind}|${period.label}`));
  const live = triples.filter(({ kind, period }) => !fresh.has(`${kind}|${period.label}`));
  const rows: FigureRow[] = [];
  if (live.length) {
    rows.push(
      ...(await manager.query(`SELECT * FROM ${fn}($1::text[], $2::uuid[], $3::text[], $4::date[], $5::date[])`, [
        live.map(({ kind }) => kind),
        live.map(({ id }) => id),
        live.map(({ period }) => period.label),
        live.map(({ period }) => period.start),
        live.map(({ period }) => period.end),
      ])),
    );
  }
  if (published.length) {
    rows.push(
      ...(await manager.query(`SELECT * FROM statistics_published_figures($1, $2::text[], $3::uuid[], $4::text[])`, [
        fn,
        published.map(({ kind }) => kind),
        published.map(({ id }) => id),
        published.map(({ period }) => period.label),
      ])),
    );
  }
  const byKey = new Map<string, FigureRow[]>(keys.map((key) => [key, []]));
  for (const row of rows) byKey.get(statisticsKey(row.group_kind, row.group_id, row.period))?.push(row);
  return byKey;
}

/** The rows being computed for a gateway request, shared by its subgraph requests (see SharedFigures). */
const sharedFigures = new Map<string, SharedFigures<FigureRow[]>>();

/**
 * The rows of each key: computed once per gateway request, however many of its subgraph requests ask (a
 * comparison's municipality metrics and its distribution are two fetches of the same figures).
 */
async function figuresOf(context: RequestContext, fn: string, keys: readonly string[]): Promise<Map<string, FigureRow[]>> {
  let shared = sharedFigures.get(fn);
  if (!shared) sharedFigures.set(fn, (shared = new SharedFigures<FigureRow[]>()));
  const unique = [...new Set(keys)];
  const rows = await shared.load(context, unique, (missing) => computeFigures(context, fn, missing));
  return new Map(unique.map((key, i) => [key, rows[i]]));
}

/** The raw (unsuppressed) referral metrics of each group and period, by metric name. Never leaves the subgraph as is. */
export const referralFigures: LoaderFactory<string, Map<string, RawFigure>> = (context) =>
  new DataLoader(async (keys) => {
    const byKey = await figuresOf(context, 'statistics_referral_figures', keys);
    return keys.map(
      (key) =>
        new Map((byKey.get(key) ?? []).map((row) => [row.figure, { n: Number(row.n), base: row.base === null ? null : Number(row.base), median: row.median }])),
    );
  });

/** The raw (unsuppressed) category counts of each group and period: breakdown → stored category (null: not recorded) → count. */
export const referralBreakdownCounts: LoaderFactory<string, Map<string, Map<string | null, number>>> = (context) =>
  new DataLoader(async (keys) => {
    const byKey = await figuresOf(context, 'statistics_referral_breakdowns', keys);
    return keys.map((key) => {
      const breakdowns = new Map<string, Map<string | null, number>>();
      for (const row of byKey.get(key) ?? []) {
        const categories = breakdowns.get(row.figure) ?? new Map<string | null, number>();
        categories.set(row.category, Number(row.n));
        breakdowns.set(row.figure, categories);
      }
      return breakdowns;
    });
  });
