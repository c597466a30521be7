import {
  forbidden,
  LoaderFactory,
  MetricValue,
  parsePeriod,
  RequestContext,
  requireOwnFigures,
  requireStatisticsView,
  showsFigures,
  StatisticsView,
  statisticsView,
} from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Arg, Ctx, Directive, FieldResolver, Float, ID, Query, Resolver, Root } from 'type-graphql';
import { Municipality } from '../entities/municipality';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { IntegrationManagementResponsibility } from '../entities/responsibility';
import { Standard } from '../entities/standard';
import { municipalAppDistrict } from '../auth/cooperation-access';
import { maySeeInternal } from '../auth/directory-access';
import { organizationById } from '../loaders/organization-loaders';
import { requireDistrict } from '../resolvers/cooperation-validation';
import { evaluateStandard } from '../standards/evaluate';
import { DistrictStatistics, MunicipalityStatistics, ProviderStatistics, REQUIRED_METRICS, StandardResult, StateStatistics } from './statistics-entities';

const ACTION = 'read the comparison';

/**
 * The cooperation's members see the comparison with names: coordinators and the providers' staff (STATISTICS_READERS
 * in common). A municipal app sees the comparison of its own district only, with its own municipality's row (and its
 * own organisation's, if it provides integration management itself) and the district's distribution: the other
 * municipalities' and providers' rows are omitted (common/statistics/access.ts).
 */
function requireView(context: RequestContext): StatisticsView {
  return requireStatisticsView(context.principal, ACTION);
}

function previousDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The standards of each (district, period) asked for in a request, keyed "districtId|period": read once however many
 * municipalities ask, and for the districts of one period in one statement (the state's comparison asks for all).
 */
const standardsOfDistrict: LoaderFactory<string, Map<string, Standard>> = (context) =>
  new DataLoader(async (keys) => {
    const byPeriod = new Map<string, string[]>();
    for (const key of keys) {
      const [districtId, period] = key.split('|');
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), districtId]);
    }
    const found = new Map<string, Map<string, Standard>>();
    const manager = await context.tx.manager();
    for (const [period, districtIds] of byPeriod) {
      const { start, end } = parsePeriod(period);
      const rows = await manager
        .createQueryBuilder(Standard, 's')
        .where('s.district_id IN (:...districtIds)', { districtIds })
        .andWhere(`daterange(s.valid_from, s.valid_until, '[]') && daterange(:start::date, :end::date, '[)')`, { start, end })
        .orderBy('s.valid_from', 'ASC')
        .addOrderBy('s.id', 'ASC')
        .getMany();
      for (const districtId of districtIds) found.set(`${districtId}|${period}`, new Map());
      // The latest standard per metric wins (ordered by valid_from).
      for (const standard of rows) found.get(`${standard.districtId}|${period}`)!.set(String(standard.metric).toUpperCase(), standard);
    }
    return keys.map((key) => found.get(key)!);
  });

/** Standards of a district valid at any time in the period, by metric name (the latest per metric wins). */
function standardsFor(context: RequestContext, districtId: string, period: string): Promise<Map<string, Standard>> {
  return context.loaders.get(standardsOfDistrict).load(`${districtId}|${period}`);
}

function evaluate(standards: Map<string, Standard>, metrics: MetricValue[]): StandardResult[] {
  return [...standards.entries()].map(([metric, standard]) => {
    const figure = metrics.find((m) => m.metric === metric);
    const value = figure?.value ?? null;
    return { standard, metric, value, suppressed: figure?.suppressed ?? false, met: value === null ? null : evaluateStandard(standard, value) };
  });
}

async function districtOfMunicipality(context: RequestContext, municipalityId: string): Promise<string | null> {
  return (await context.loaders.get(organizationById).load(municipalityId))?.parentId ?? null;
}

/**
 * The district's municipalities (by name) and the providers that served them during the period: for districtComparison
 * and for `_entities` alike, so the same rule holds on both paths (a municipal app: its own district only).
 */
export async function loadDistrictStatistics(context: RequestContext, districtId: string, period: string): Promise<DistrictStatistics> {
  const view = requireView(context);
  const district = await requireDistrict(context, 'districtId', districtId);
  if (view.scope === 'municipality' && (await municipalAppDistrict(context)) !== district.id) {
    throw forbidden('A municipal app reads the comparison of its own district only');
  }
  const { start, end } = parsePeriod(period, 'period');
  const manager = await context.tx.manager();
  const municipalities = await manager.find(Organization, { where: { parentId: district.id, kind: OrganizationKind.MUNICIPALITY }, order: { name: 'ASC', id: 'ASC' } });
  const providers: { provider_organization_id: string }[] = await manager.query(
    `SELECT DISTINCT r.provider_organization_id FROM integration_management_responsibilities r
      WHERE r.municipality_id = ANY($1::uuid[]) AND daterange(r.valid_from, r.valid_until, '[]') && daterange($2::date, $3::date, '[)')
      ORDER BY 1`,
    [municipalities.map((m) => m.id), start, end],
  );
  return { districtId: district.id, period, municipalityIds: municipalities.map((m) => m.id), providerIds: providers.map((p) => p.provider_organization_id) };
}

/**
 * Every district of the state with its municipalities (by name) and the providers that served them during the period,
 * in three statements whatever the number of districts: for stateComparison. The cooperation's members only (the
 * figures are published aggregates with small cells suppressed, as in districtComparison); a municipal app reads its
 * own district's comparison, never the state's.
 */
export async function loadStateStatistics(context: RequestContext, period: string): Promise<StateStatistics> {
  const view = requireView(context);
  if (view.scope === 'municipality') throw forbidden('A municipal app reads the comparison of its own district only (districtComparison), not the state’s');
  const { start, end } = parsePeriod(period, 'period');
  const manager = await context.tx.manager();
  const districts = await manager.find(Organization, { where: { kind: OrganizationKind.DISTRICT }, order: { name: 'ASC', id: 'ASC' } });
  const municipalities = districts.length
    ? await manager.find(Organization, {
        where: { parentId: In(districts.map((d) => d.id)), kind: OrganizationKind.MUNICIPALITY },
        order: { name: 'ASC', id: 'ASC' },
      })
    : [];
  const responsibilities: { municipality_id: string; provider_organization_id: string }[] = municipalities.length
    ? await manager.query(
        `SELECT DISTINCT r.municipality_id, r.provider_organization_id FROM integration_management_responsibilities r
          WHERE r.municipality_id = ANY($1::uuid[]) AND daterange(r.valid_from, r.valid_until, '[]') && daterange($2::date, $3::date, '[)')
          ORDER BY 2`,
        [municipalities.map((m) => m.id), start, end],
      )
    : [];
  const districtOf = new Map(municipalities.map((m) => [m.id, m.parentId!]));
  const statistics = new Map(districts.map((d) => [d.id, { districtId: d.id, period, municipalityIds: [] as string[], providerIds: [] as string[] }]));
  for (const municipality of municipalities) statistics.get(municipality.parentId!)!.municipalityIds.push(municipality.id);
  for (const row of responsibilities) {
    const providers = statistics.get(districtOf.get(row.municipality_id)!)!.providerIds;
    if (!providers.includes(row.provider_organization_id)) providers.push(row.provider_organization_id);
  }
  return { period, districts: [...statistics.values()] };
}

@Resolver(() => StateStatistics)
export class StateStatisticsResolver {
  @Query(() => StateStatistics, {
    description:
      'The comparison of the whole state: every district with its municipalities and providers in a period, with their figures, medians and standards (as districtComparison for each). The figures of cases and referrals are the published ones: computed for every municipality and provider by a background job, refreshed every 15 minutes by default (STATISTICS_PUBLISH_INTERVAL_MS), so they can be up to that old; computed live when no fresh publication exists. A district’s comparison (districtComparison) is always live. Members of the cooperation (coordinators, leads, caseworkers, org_admins); not for municipal apps (FORBIDDEN: they read their own district with districtComparison).',
  })
  async stateComparison(
    @Arg('period', { description: 'A tertial ("2026-T3") or a year ("2026")' }) period: string,
    @Ctx() context: RequestContext,
  ): Promise<StateStatistics> {
    return loadStateStatistics(context, period);
  }
}

@Resolver(() => DistrictStatistics)
export class DistrictStatisticsResolver {
  @Query(() => DistrictStatistics, {
    description:
      'The comparison for a cooperation meeting: every municipality and provider of a district in a period, with the figures of cases and referrals, medians and quartiles, and the adopted standards met or not. Members of the cooperation (coordinators, leads, caseworkers, org_admins); a municipal app gets its own district with its own municipality’s row (and its own organisation’s as a provider) and the district’s distribution only.',
  })
  async districtComparison(
    @Arg('districtId', () => ID) districtId: string,
    @Arg('period', { description: 'A tertial ("2026-T3") or a year ("2026")' }) period: string,
    @Ctx() context: RequestContext,
  ): Promise<DistrictStatistics> {
    return loadDistrictStatistics(context, districtId, period);
  }

  @FieldResolver(() => Organization)
  async district(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(statistics.districtId);
  }

  @FieldResolver(() => [MunicipalityStatistics], { description: 'Every municipality of the district, by name (a municipal app: its own only)' })
  municipalities(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): MunicipalityStatistics[] {
    const view = statisticsView(context.principal);
    return statistics.municipalityIds
      .filter((municipalityId) => showsFigures(view, municipalityId))
      .map((municipalityId) => ({ municipalityId, period: statistics.period, districtId: statistics.districtId }));
  }

  @FieldResolver(() => [ProviderStatistics], {
    description: 'Every provider of integration management for the district’s municipalities in the period (a municipal app: its own organisation only, if it is one)',
  })
  providers(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): ProviderStatistics[] {
    const view = statisticsView(context.principal);
    return statistics.providerIds.filter((providerId) => showsFigures(view, providerId)).map((providerId) => ({ providerId, period: statistics.period }));
  }

  @FieldResolver(() => [Standard], { description: 'The standards of the district valid in the period' })
  async standards(@Root() statistics: DistrictStatistics, @Ctx() context: RequestContext): Promise<Standard[]> {
    return [...(await standardsFor(context, statistics.districtId, statistics.period)).values()];
  }
}

@Resolver(() => MunicipalityStatistics)
export class MunicipalityStatisticsResolver {
  @FieldResolver(() => Municipality)
  async municipality(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext): Promise<Municipality | null> {
    const organization = await context.loaders.get(organizationById).load(statistics.municipalityId);
    return organization ? Municipality.from(organization) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'Who provided integration management for the municipality at the end of the period' })
  async provider(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext): Promise<Organization | null> {
    const lastDay = previousDay(parsePeriod(statistics.period).end);
    const manager = await context.tx.manager();
    const responsibility = await manager
      .createQueryBuilder(IntegrationManagementResponsibility, 'r')
      .where('r.municipality_id = :id', { id: statistics.municipalityId })
      .andWhere(`daterange(r.valid_from, r.valid_until, '[]') @> :day::date`, { day: lastDay })
      .getOne();
    return responsibility ? context.loaders.get(organizationById).load(responsibility.providerOrganizationId) : null;
  }

  @Directive(`@requires(fields: "${REQUIRED_METRICS}")`)
  @FieldResolver(() => [StandardResult], { description: 'The district’s standards for the period against this municipality’s figures' })
  async standardResults(@Root() statistics: MunicipalityStatistics, @Ctx() context: RequestContext): Promise<StandardResult[]> {
    const view = requireView(context);
    requireOwnFigures(view, 'municipality', statistics.municipalityId);
    // The district set by districtComparison; looked up for a municipal app, whatever a representation brings along.
    const districtId = (view.scope === 'cooperation' ? statistics.districtId : undefined) ?? (await districtOfMunicipality(context, statistics.municipalityId));
    if (!districtId) return [];
    return evaluate(await standardsFor(context, districtId, statistics.period), [...(statistics.caseMetrics ?? []), ...(statistics.referralMetrics ?? [])]);
  }
}

@Resolver(() => ProviderStatistics)
export class ProviderStatisticsResolver {
  @FieldResolver(() => Organization)
  provider(@Root() statistics: ProviderStatistics, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(statistics.providerId);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Positions for integration management of the provider at the end of the period (coordinators and the provider’s leads; null for others)',
  })
  async fullTimeEquivalents(@Root() statistics: ProviderStatistics, @Ctx() context: RequestContext): Promise<number | null> {
    if (!maySeeInternal(context.principal, [statistics.providerId])) return null;
    const lastDay = previousDay(parsePeriod(statistics.period).end);
    const manager = await context.tx.manager();
    const [row] = await manager.query(
      `SELECT full_time_equivalents FROM staffing_positions WHERE provider_organization_id = $1 AND daterange(valid_from, valid_until, '[]') @> $2::date`,
      [statistics.providerId, lastDay],
    );
    return row ? Number(row.full_time_equivalents) : null;
  }

  @Directive(`@requires(fields: "${REQUIRED_METRICS}")`)
  @FieldResolver(() => [StandardResult], { description: 'The standards of a district for the period against this provider’s figures (a provider may work in several districts)' })
  async standardResults(
    @Root() statistics: ProviderStatistics,
    @Arg('districtId', () => ID) districtId: string,
    @Ctx() context: RequestContext,
  ): Promise<StandardResult[]> {
    const view = requireView(context);
    requireOwnFigures(view, 'provider', statistics.providerId);
    const district = await requireDistrict(context, 'districtId', districtId);
    if (view.scope === 'municipality' && (await municipalAppDistrict(context)) !== district.id) {
      throw forbidden('A municipal app reads the standards of its own district only');
    }
    return evaluate(await standardsFor(context, district.id, statistics.period), [...(statistics.caseMetrics ?? []), ...(statistics.referralMetrics ?? [])]);
  }
}
