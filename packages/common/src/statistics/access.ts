import DataLoader from 'dataloader';
import { requireRole } from '../auth/guards';
import { hasAnyRole, Principal, Role } from '../auth/principal';
import { env } from '../config';
import { LoaderFactory, RequestContext } from '../context';
import { forbidden } from '../errors';
import { callSubgraph } from '../server/subgraph-client';
import { minCellSize } from './suppression';
import { DistributionValue } from './types';

/**
 * Who sees the comparison of a cooperation meeting, and how much of it (issue 6, issue 7).
 *
 * - The cooperation (coordinators, and the providers' leads, caseworkers and org_admins): every municipality and
 *   provider of a district, with names.
 * - A municipal app (Role.MunicipalApp and none of the above): its own municipality's figures (and, when the
 *   municipality provides integration management itself, its own organisation's as a provider), and the district's
 *   distribution (median, quartiles) — never another municipality's or provider's figures. A distribution over
 *   fewer than STATS_MIN_CELL_SIZE shown values is withheld (median and quartiles null), since the app could
 *   otherwise solve it for the others' values; and it is computed only over the genuine municipalities (providers)
 *   of the app's own district, as the partners subgraph lists them, never over a list the request brings.
 * - Everyone else: FORBIDDEN (UNAUTHENTICATED without a token).
 */
export const STATISTICS_READERS: readonly Role[] = [Role.Coordinator, Role.Lead, Role.Caseworker, Role.OrgAdmin];

export type StatisticsView = { scope: 'cooperation' } | { scope: 'municipality'; organizationId: string };

/** How much of the comparison the caller sees; null when nothing. */
export function statisticsView(principal: Principal | null | undefined): StatisticsView | null {
  if (hasAnyRole(principal, STATISTICS_READERS)) return { scope: 'cooperation' };
  if (principal && principal.roles.includes(Role.MunicipalApp)) return { scope: 'municipality', organizationId: principal.organizationId.toLowerCase() };
  return null;
}

/** UNAUTHENTICATED without a token, FORBIDDEN for roles that see no figures; otherwise how much the caller sees. */
export function requireStatisticsView(principal: Principal | null, action: string): StatisticsView {
  requireRole(principal, [...STATISTICS_READERS, Role.MunicipalApp], action);
  return statisticsView(principal)!;
}

/** FORBIDDEN for a municipal app asking for the figures of another municipality or provider than its own. */
export function requireOwnFigures(view: StatisticsView, kind: 'municipality' | 'provider', groupId: string): void {
  if (view.scope === 'municipality' && groupId.toLowerCase() !== view.organizationId) {
    throw forbidden(`A municipal app sees the figures of its own municipality (and organisation) only, not those of ${kind} ${groupId}`);
  }
}

/** Whether the view shows this group's figures (a municipal app: its own only). */
export function showsFigures(view: StatisticsView | null, groupId: string): boolean {
  return !!view && (view.scope === 'cooperation' || groupId.toLowerCase() === view.organizationId);
}

/** For a municipal app, median and quartiles over fewer shown values than the minimum cell size are withheld. */
export function distributionForView(view: StatisticsView, values: DistributionValue[]): DistributionValue[] {
  if (view.scope === 'cooperation') return values;
  return values.map((value) => (value.counted >= minCellSize() ? value : { ...value, median: null, lowerQuartile: null, upperQuartile: null }));
}

interface DistrictGroups {
  municipalityIds: string[];
  providerIds: string[];
}

/**
 * The district's municipalities and providers in a period, as the partners subgraph (which owns them) says, asked
 * with the caller's token: partners answers a municipal app for its own district only. Keyed "districtId|period";
 * one call per district and period and request.
 */
const districtGroups: LoaderFactory<string, DistrictGroups> = (context) =>
  new DataLoader(
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          const [districtId, period] = key.split('|');
          const { districtComparison } = await callSubgraph<{ districtComparison: DistrictGroups }>(
            'partners',
            env('PARTNERS_URL', 'http://127.0.0.1:4001/graphql')!,
            context,
            `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) { municipalityIds providerIds } }`,
            { d: districtId, p: period },
          );
          return districtComparison;
        }),
      ),
    { cache: true },
  );

/**
 * A distribution for a municipal app is computed over the municipalities (or providers) of its own district, as
 * the partners subgraph lists them — not over the list in the representation, which a caller who sends `_entities`
 * to the subgraph itself could choose (a "district" of one municipality would be that municipality's figures).
 * FORBIDDEN when the lists differ; nothing to check for the cooperation.
 */
export async function requireGenuineDistrictGroups(
  context: RequestContext,
  view: StatisticsView,
  statistics: { districtId: string; period: string },
  field: keyof DistrictGroups,
  ids: readonly string[] | undefined,
): Promise<void> {
  if (view.scope === 'cooperation') return;
  const genuine = await context.loaders.get(districtGroups).load(`${statistics.districtId}|${statistics.period}`);
  const normalise = (list: readonly string[]) => [...new Set(list.map((id) => id.toLowerCase()))].sort();
  if (JSON.stringify(normalise(ids ?? [])) !== JSON.stringify(normalise(genuine[field]))) {
    throw forbidden(`For a municipal app the distribution is computed over the ${field} of its own district as the directory lists them, not over others`);
  }
}
