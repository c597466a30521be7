import {
  selectsField,
  DistributionValue,
  distributionForView,
  LoaderFactory,
  MetricBreakdown,
  MetricValue,
  parsePeriod,
  RequestContext,
  requireGenuineDistrictGroups,
  requireOwnFigures,
  requireStatisticsView,
  requireUuid,
  StatisticsView,
} from '@integration-graph/common';
import { GraphQLResolveInfo } from 'graphql';
import { Ctx, Directive, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { DistrictStatistics, MunicipalityStatistics, ProviderStatistics } from './entities';
import { municipalityStatistics, providerStatistics, statisticsKey, withTrend } from './figures';
import { caseDistribution, caseMetricValues, GroupStatistics } from './metrics';

/**
 * Who may see the case figures of the cooperation: its coordinators and the providers' staff and directory admins
 * (STATISTICS_READERS), every group; a municipal app its own municipality's (and own organisation's) figures and the
 * district's distribution (common/statistics/access.ts). Only aggregates over all organisations' cases, with small
 * cells suppressed; never a case or a person.
 */
function requireStatisticsRole(context: RequestContext): StatisticsView {
  return requireStatisticsView(context.principal, 'see the statistics of the cooperation');
}

/** The loader key of a group and period, both checked (BAD_USER_INPUT naming the field otherwise). */
function keyOf(field: string, groupId: string, period: string): string {
  return statisticsKey(requireUuid(field, groupId).toLowerCase(), parsePeriod(period).label);
}

/** The key of figures with their trend periods when the caller selected `trend`, else of the period alone. */
function trendKey(info: GraphQLResolveInfo, key: string): string {
  return selectsField(info, 'trend') ? withTrend(key) : key;
}

async function loadAll(context: RequestContext, loader: LoaderFactory<string, GroupStatistics>, field: string, ids: readonly string[] | undefined, period: string) {
  parsePeriod(period);
  const keys = [...new Set((ids ?? []).map((id, i) => keyOf(`${field}.${i}`, id, period)))];
  const results = await context.loaders.get(loader).loadMany(keys);
  const failed = results.find((result): result is Error => result instanceof Error);
  if (failed) throw failed;
  return results as GroupStatistics[];
}

const METRICS_DESCRIPTION =
  'Case figures of the period (counted over the cases of all providers), each with its trend over the two previous periods. ' +
  'Small cells are suppressed (suppressed: true, value null), never shown as 0. Definitions: docs/cases.md, "Statistics".';
const BREAKDOWNS_DESCRIPTION =
  'Counts of the period: GOALS_BY_LIFE_AREA_SET (goals set), GOALS_BY_LIFE_AREA_ACHIEVED, _PARTLY_ACHIEVED, _NOT_ACHIEVED, _DROPPED ' +
  '(goals closed so), each by life area; CONSULTATIONS_BY_MODE; CLOSURES_BY_REASON. Small cells are suppressed, and a second cell ' +
  'of the same breakdown when one alone could be recomputed from the total.';

@Resolver(() => MunicipalityStatistics)
export class MunicipalityStatisticsResolver {
  @FieldResolver(() => [MetricValue], { description: `${METRICS_DESCRIPTION} Cases of the municipality (where the client lives).` })
  async caseMetrics(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo): Promise<MetricValue[]> {
    const view = requireStatisticsRole(context);
    const key = trendKey(info, keyOf('municipalityId', statistics.municipalityId, statistics.period));
    requireOwnFigures(view, 'municipality', statistics.municipalityId);
    const figures = await context.loaders.get(municipalityStatistics).load(key);
    return caseMetricValues(figures);
  }

  @FieldResolver(() => [MetricBreakdown], { description: `${BREAKDOWNS_DESCRIPTION} Cases of the municipality.` })
  async caseBreakdowns(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext): Promise<MetricBreakdown[]> {
    const view = requireStatisticsRole(context);
    const key = keyOf('municipalityId', statistics.municipalityId, statistics.period);
    requireOwnFigures(view, 'municipality', statistics.municipalityId);
    const figures = await context.loaders.get(municipalityStatistics).load(key);
    return figures.current.breakdowns;
  }
}

@Resolver(() => ProviderStatistics)
export class ProviderStatisticsResolver {
  @Directive('@requires(fields: "fullTimeEquivalents")')
  @FieldResolver(() => [MetricValue], {
    description:
      `${METRICS_DESCRIPTION} Cases the provider owns; with CASES_PER_FULL_TIME_POSITION = active cases / fullTimeEquivalents ` +
      '(null when the staffing is unknown or 0; suppressed with ACTIVE_CASES; no trend values, the staffing of earlier periods is not known here).',
  })
  async caseMetrics(@Root() statistics: ProviderStatistics, @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo): Promise<MetricValue[]> {
    const view = requireStatisticsRole(context);
    const key = trendKey(info, keyOf('providerId', statistics.providerId, statistics.period));
    requireOwnFigures(view, 'provider', statistics.providerId);
    const figures = await context.loaders.get(providerStatistics).load(key);
    return caseMetricValues(figures, { fullTimeEquivalents: statistics.fullTimeEquivalents });
  }

  @FieldResolver(() => [MetricBreakdown], { description: `${BREAKDOWNS_DESCRIPTION} Cases the provider owns.` })
  async caseBreakdowns(@Root() statistics: ProviderStatistics, @Ctx() context: RequestContext): Promise<MetricBreakdown[]> {
    const view = requireStatisticsRole(context);
    const key = keyOf('providerId', statistics.providerId, statistics.period);
    requireOwnFigures(view, 'provider', statistics.providerId);
    const figures = await context.loaders.get(providerStatistics).load(key);
    return figures.current.breakdowns;
  }
}

@Resolver(() => DistrictStatistics)
export class DistrictStatisticsResolver {
  @Directive('@requires(fields: "municipalityIds")')
  @FieldResolver(() => [DistributionValue], {
    description:
      'Median and quartiles of each case metric (but CASES_PER_FULL_TIME_POSITION) over the municipalities of the district in the period; ' +
      'suppressed and empty values do not count (see counted). For a municipal app, median and quartiles over fewer values than the minimum cell size are null.',
  })
  async caseDistribution(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): Promise<DistributionValue[]> {
    const view = requireStatisticsRole(context);
    await requireGenuineDistrictGroups(context, view, statistics, 'municipalityIds', statistics.municipalityIds);
    return distributionForView(view, caseDistribution(await loadAll(context, municipalityStatistics, 'municipalityIds', statistics.municipalityIds, statistics.period)));
  }

  @Directive('@requires(fields: "providerIds")')
  @FieldResolver(() => [DistributionValue], {
    description:
      'Median and quartiles of each case metric (but CASES_PER_FULL_TIME_POSITION, whose staffing is not known here) over the providers of ' +
      'the district in the period; suppressed and empty values do not count (see counted). For a municipal app, median and quartiles over fewer values than the minimum cell size are null.',
  })
  async caseProviderDistribution(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): Promise<DistributionValue[]> {
    const view = requireStatisticsRole(context);
    await requireGenuineDistrictGroups(context, view, statistics, 'providerIds', statistics.providerIds);
    return distributionForView(view, caseDistribution(await loadAll(context, providerStatistics, 'providerIds', statistics.providerIds, statistics.period)));
  }
}
