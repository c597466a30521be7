import {
  invalidInput,
  LocalDateScalar,
  notFound,
  parsePeriod,
  RequestContext,
  requireCooperationMember,
  requireUuid,
  updateWithVersion,
} from '@integration-graph/common';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireCooperationReader, requireDistrictCooperationReader, requireDistrictCoordinator } from '../auth/cooperation-access';
import { CooperationMeeting } from '../entities/cooperation-meeting';
import { Organization } from '../entities/organization';
import { Standard } from '../entities/standard';
import { meetingById } from '../loaders/cooperation-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { METRIC_KEYS } from '../standards/metrics';
import { requireOrderedDates } from '../validation';
import { AdoptStandardInput, RetireStandardInput } from './cooperation-inputs';
import { addDays, requireAdoptingMeeting, requireDistrict, requireTarget, STANDARD_PERIODS } from './cooperation-validation';
import { periodContains, refuseOverlap, todayInGermany } from './internal-validation';

/** Standards of the cooperation: the cooperation (and a municipal app its district's) reads, the district's coordinators adopt and retire them. */
@Resolver(() => Standard)
export class StandardResolver {
  @Query(() => [Standard], {
    description:
      'Standards of a district valid on a day (`at`, default today in Germany) or at any time in a reporting period (`period`, "2026-T1" or "2026"; not together with `at`), in the order of the metrics (MetricKey), then by validFrom. Everyone in the cooperation; a municipal app those of its own district (FORBIDDEN for others); public callers get UNAUTHENTICATED.',
  })
  async standards(
    @Arg('districtId', () => ID) districtId: string,
    @Arg('at', () => LocalDateScalar, { nullable: true, description: 'The day; defaults to today (in Germany)' }) at: string | null | undefined,
    @Arg('period', () => String, { nullable: true, description: 'A tertial ("2026-T3") or a year ("2026"): standards valid on any day of it' })
    period: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<Standard[]> {
    requireCooperationReader(context, 'standards');
    const district = await requireDistrict(context, 'districtId', districtId);
    await requireDistrictCooperationReader(context, district.id, 'standards');
    if (at != null && period != null) throw invalidInput('period', 'notTogetherWithAt', 'ask for a day (at) or a period, not both');
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Standard, 's').where('s.district_id = :districtId', { districtId: district.id });
    if (period != null) {
      const { start, end } = parsePeriod(period, 'period');
      query.andWhere(`daterange(s.valid_from, s.valid_until, '[]') && daterange(:start::date, :end::date, '[)')`, { start, end });
    } else {
      query.andWhere(`daterange(s.valid_from, s.valid_until, '[]') @> :at::date`, { at: at ?? todayInGermany() });
    }
    return query
      .orderBy('array_position(:metrics::text[], s.metric)')
      .addOrderBy('s.valid_from')
      .addOrderBy('s.id')
      .setParameter('metrics', [...METRIC_KEYS])
      .getMany();
  }

  @FieldResolver(() => Organization, { description: 'The district whose cooperation adopted the standard' })
  async district(@Root() standard: Standard, @Ctx() context: RequestContext): Promise<Organization> {
    const district = await context.loaders.get(organizationById).load(standard.districtId);
    if (!district) throw new Error(`district ${standard.districtId} of standard ${standard.id} not found`);
    return district;
  }

  @FieldResolver(() => CooperationMeeting, { nullable: true, description: 'The cooperation meeting that adopted it' })
  adoptedAt(@Root() standard: Standard, @Ctx() context: RequestContext): Promise<CooperationMeeting | null> | null {
    return standard.adoptedAtMeetingId ? context.loaders.get(meetingById).load(standard.adoptedAtMeetingId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the standard applies on the day (validFrom to validUntil, both inclusive)' })
  isValidOn(
    @Root() standard: Standard,
    @Arg('day', () => LocalDateScalar, { nullable: true, description: 'The day; defaults to today (in Germany)' }) day: string | null | undefined,
  ): boolean {
    return periodContains(standard, day ?? todayInGermany());
  }

  @Mutation(() => Standard, {
    description:
      'Records a standard adopted at a cooperation meeting (coordinators of the district only). An open-ended standard of the district for the same metric that began earlier ends the day before validFrom; any other overlap is refused (rule noOverlap).',
  })
  async adoptStandard(@Arg('input', () => AdoptStandardInput) input: AdoptStandardInput, @Ctx() context: RequestContext): Promise<Standard> {
    requireCooperationMember(context.principal, 'adopting a standard');
    requireDistrictCoordinator(context, requireUuid('input.districtId', input.districtId), 'adopt standards of this district');
    const district = await requireDistrict(context, 'input.districtId', input.districtId);
    const meetingId = requireUuid('input.meetingId', input.meetingId);
    requireAdoptingMeeting(await context.loaders.get(meetingById).load(meetingId), district.id, input.validFrom, meetingId);
    requireOrderedDates('input.validUntil', input.validFrom, input.validUntil);
    const target = requireTarget('input.target', input.metric, input.target);

    const manager = await context.tx.manager();
    // The standard in force until now, if open-ended and begun earlier, ends the day before (superseded).
    await manager.query(
      `UPDATE standards SET valid_until = $3::date, version = version + 1, updated_at = now()
        WHERE district_id = $1 AND metric = $2 AND valid_until IS NULL AND valid_from < $4::date`,
      [district.id, input.metric, addDays(input.validFrom, -1), input.validFrom],
    );
    return manager
      .save(
        manager.create(Standard, {
          districtId: district.id,
          title: input.title.trim(),
          description: input.description.trim(),
          metric: input.metric,
          target,
          direction: input.direction,
          adoptedAtMeetingId: meetingId,
          validFrom: input.validFrom,
          validUntil: input.validUntil ?? null,
        }),
      )
      .catch((error: unknown) => refuseOverlap(error, STANDARD_PERIODS, 'input.validFrom'));
  }

  @Mutation(() => Standard, { description: 'Sets the last day of a standard (coordinators of its district only), guarded by expectedVersion' })
  async retireStandard(@Arg('input', () => RetireStandardInput) input: RetireStandardInput, @Ctx() context: RequestContext): Promise<Standard> {
    requireCooperationMember(context.principal, 'retiring a standard');
    const id = requireUuid('input.id', input.id);
    const manager = await context.tx.manager();
    const standard = await manager.findOneBy(Standard, { id });
    if (!standard) throw notFound('Standard', id);
    requireDistrictCoordinator(context, standard.districtId, 'retire standards of this district');
    requireOrderedDates('input.validUntil', standard.validFrom, input.validUntil);
    return updateWithVersion(manager, Standard, 'Standard', id, input.expectedVersion, { validUntil: input.validUntil, updatedAt: () => 'now()' }).catch(
      (error: unknown) => refuseOverlap(error, STANDARD_PERIODS, 'input.validUntil'),
    );
  }
}
