import {
  selectsField,
  distribution,
  distributionForView,
  DistributionValue,
  MetricBreakdown,
  MetricValue,
  parsePeriod,
  previousPeriods,
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
import { GroupKind, referralBreakdownCounts, referralFigures, statisticsKey } from './loaders';
import { metricValue, REFERRAL_METRICS, referralBreakdowns, TREND_PERIODS } from './metrics';

/**
 * The referrals subgraph's figures for the cooperation meetings (issue 6): aggregates over the referrals of all
 * organisations (SECURITY DEFINER functions, migration 1764300000000), small cells suppressed here before they
 * leave. Every figure of a request goes through per-request DataLoaders: one statement for all metrics (with
 * their trends) of all municipalities and providers asked for, one for all breakdowns.
 */
function requireReader(context: RequestContext): StatisticsView {
  return requireStatisticsView(context.principal, 'read the statistics of the cooperation');
}

/** The figures of one municipality or provider: the cooperation all, a municipal app its own only (FORBIDDEN otherwise). */
function requireGroupReader(context: RequestContext, kind: GroupKind, id: string): void {
  requireOwnFigures(requireReader(context), kind, id);
}

function idOf(field: string, id: string): string {
  return requireUuid(field, id).toLowerCase();
}

/** Every referral metric of a group in a period, with the trend over the previous periods (nearest first). */
async function metricsOf(context: RequestContext, kind: GroupKind, id: string, label: string, withTrend: boolean): Promise<MetricValue[]> {
  const period = parsePeriod(label, 'period');
  // The trend's periods only when the caller selected `trend`: a comparison without trends costs one period.
  const earlier = withTrend ? previousPeriods(period.label, TREND_PERIODS) : [];
  const loader = context.loaders.get(referralFigures);
  const [current, ...trend] = await Promise.all([period, ...earlier].map((p) => loader.load(statisticsKey(kind, id, p.label))));
  return REFERRAL_METRICS.map((definition) => ({
    ...metricValue(definition, current.get(definition.metric)),
    trend: earlier.map((p, i) => {
      const { value, suppressed } = metricValue(definition, trend[i].get(definition.metric));
      return { period: p.label, value, suppressed };
    }),
  }));
}

async function breakdownsOf(context: RequestContext, kind: GroupKind, id: string, label: string): Promise<MetricBreakdown[]> {
  const period = parsePeriod(label, 'period');
  return referralBreakdowns(await context.loaders.get(referralBreakdownCounts).load(statisticsKey(kind, id, period.label)));
}

/** Median and quartiles of each metric over the groups' shown values (suppressed and empty values do not count). */
async function distributionOf(context: RequestContext, kind: GroupKind, ids: readonly string[] | undefined, label: string, field: string): Promise<DistributionValue[]> {
  const period = parsePeriod(label, 'period');
  const groups = [...new Set((ids ?? []).map((id) => idOf(field, id)))];
  const loader = context.loaders.get(referralFigures);
  const figures = await Promise.all(groups.map((id) => loader.load(statisticsKey(kind, id, period.label))));
  return REFERRAL_METRICS.map((definition) =>
    distribution(
      definition.metric,
      figures.map((raw) => metricValue(definition, raw.get(definition.metric)).value),
    ),
  );
}

const METRICS_DESCRIPTION =
  'Referral figures for the cooperation meeting (MetricKey names), each with its trend over the two previous periods; small cells are suppressed (value null, suppressed true), never shown as 0. Coordinators, leads, caseworkers and org admins; a municipal app its own municipality’s (and organisation’s) only.';
const BREAKDOWNS_DESCRIPTION =
  'Referrals sent by life area and by receiver kind, and language-course outcomes by level reached (SENT_BY_LIFE_AREA, SENT_BY_RECEIVER_KIND, LANGUAGE_OUTCOMES_BY_LEVEL), small cells suppressed together with what would let them be recomputed';

@Resolver(() => MunicipalityStatistics)
export class MunicipalityReferralStatisticsResolver {
  @FieldResolver(() => [MetricValue], { description: `${METRICS_DESCRIPTION} Over the referrals of clients living in the municipality when sent.` })
  referralMetrics(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo): Promise<MetricValue[]> {
    requireGroupReader(context, 'municipality', statistics.municipalityId);
    return metricsOf(context, 'municipality', idOf('municipalityId', statistics.municipalityId), statistics.period, selectsField(info, 'trend'));
  }

  @FieldResolver(() => [MetricBreakdown], { description: `${BREAKDOWNS_DESCRIPTION}. Over the referrals of clients living in the municipality when sent.` })
  referralBreakdowns(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext): Promise<MetricBreakdown[]> {
    requireGroupReader(context, 'municipality', statistics.municipalityId);
    return breakdownsOf(context, 'municipality', idOf('municipalityId', statistics.municipalityId), statistics.period);
  }
}

@Resolver(() => ProviderStatistics)
export class ProviderReferralStatisticsResolver {
  @FieldResolver(() => [MetricValue], { description: `${METRICS_DESCRIPTION} Over the referrals the provider sent.` })
  referralMetrics(@Root() statistics: ProviderStatistics, @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo): Promise<MetricValue[]> {
    requireGroupReader(context, 'provider', statistics.providerId);
    return metricsOf(context, 'provider', idOf('providerId', statistics.providerId), statistics.period, selectsField(info, 'trend'));
  }

  @FieldResolver(() => [MetricBreakdown], { description: `${BREAKDOWNS_DESCRIPTION}. Over the referrals the provider sent.` })
  referralBreakdowns(@Root() statistics: ProviderStatistics, @Ctx() context: RequestContext): Promise<MetricBreakdown[]> {
    requireGroupReader(context, 'provider', statistics.providerId);
    return breakdownsOf(context, 'provider', idOf('providerId', statistics.providerId), statistics.period);
  }
}

@Resolver(() => DistrictStatistics)
export class DistrictReferralStatisticsResolver {
  @Directive('@requires(fields: "municipalityIds")')
  @FieldResolver(() => [DistributionValue], {
    description:
      'Median and quartiles of each referral metric over the district’s municipalities; suppressed and empty values do not count (counted says how many did). For a municipal app, median and quartiles over fewer values than the minimum cell size are null.',
  })
  async referralDistribution(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): Promise<DistributionValue[]> {
    const view = requireReader(context);
    await requireGenuineDistrictGroups(context, view, statistics, 'municipalityIds', statistics.municipalityIds);
    return distributionForView(view, await distributionOf(context, 'municipality', statistics.municipalityIds, statistics.period, 'municipalityIds'));
  }

  @Directive('@requires(fields: "providerIds")')
  @FieldResolver(() => [DistributionValue], {
    description:
      'Median and quartiles of each referral metric over the providers of integration management of the district (their referrals sent); suppressed and empty values do not count. For a municipal app, median and quartiles over fewer values than the minimum cell size are null.',
  })
  async referralProviderDistribution(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): Promise<DistributionValue[]> {
    const view = requireReader(context);
    await requireGenuineDistrictGroups(context, view, statistics, 'providerIds', statistics.providerIds);
    return distributionForView(view, await distributionOf(context, 'provider', statistics.providerIds, statistics.period, 'providerIds'));
  }
}
