import { DecimalScalar, invalidInput, LocalDateScalar, RequestContext, requireRole, Role } from '@integration-graph/common';
import { IsOptional, MaxLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireInternalReader } from '../auth/directory-access';
import { Municipality } from '../entities/municipality';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { StaffingPosition } from '../entities/staffing-position';
import { staffingByProvider } from '../loaders/internal-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { requireOrderedDates } from '../validation';
import { requireOrganization, STAFFING_PERIODS, startPeriod, todayInGermany } from './internal-validation';
import { requireExactDecimal } from '../validation';

/** Kinds of organisation that provide integration management and therefore have staffing. */
const PROVIDER_KINDS: readonly OrganizationKind[] = [OrganizationKind.DISTRICT, OrganizationKind.MUNICIPALITY, OrganizationKind.WELFARE_ORGANIZATION];

/** numeric(7, 2): at most 5 digits before the decimal point. */
const FTE_INTEGER_DIGITS = 5;

@InputType({ description: 'Staffing (Stellenumfang) of a provider of integration management from a day on' })
export class RecordStaffingInput {
  @Field(() => ID, { description: 'The provider: a district, a municipality or a welfare organisation' })
  providerOrganizationId: string;

  @Field(() => LocalDateScalar, { description: 'First day; an open-ended staffing figure of the provider that began earlier ends the day before' })
  validFrom: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive); open-ended when omitted' })
  validUntil?: string | null;

  @Field(() => DecimalScalar, { description: 'Full-time equivalents (Vollzeitäquivalente), not negative, at most two decimal places, e.g. "25.00"' })
  fullTimeEquivalents: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  note?: string | null;
}

@ObjectType({ description: 'One provider of integration management in a district on a day: whom it serves and with how many positions (internal)' })
export class StaffingOverviewEntry {
  @Field(() => Organization)
  provider: Organization;

  @Field(() => [Municipality], { description: 'Municipalities of the district the provider serves on that day, by name' })
  municipalities: Municipality[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Full-time equivalents of the provider on that day; null when none are recorded' })
  fullTimeEquivalents: string | null;
}

/** Staffing of providers of integration management: internal figures. */
@Resolver(() => Organization)
export class OrganizationStaffingResolver {
  @FieldResolver(() => [StaffingPosition], {
    nullable: true,
    description:
      'Staffing for integration management in full-time equivalents, oldest period first. Internal: coordinators and the organisation’s own leads; anyone else gets an error on this field (UNAUTHENTICATED or FORBIDDEN) and null.',
  })
  staffing(@Root() organization: Organization, @Ctx() context: RequestContext): Promise<StaffingPosition[]> {
    requireInternalReader(context, [organization.id], 'Organization.staffing');
    return context.loaders.get(staffingByProvider).load(organization.id);
  }
}

@Resolver(() => StaffingPosition)
export class StaffingPositionResolver {
  @FieldResolver(() => Organization, { description: 'The provider whose staff this is' })
  async provider(@Root() position: StaffingPosition, @Ctx() context: RequestContext): Promise<Organization> {
    const provider = await context.loaders.get(organizationById).load(position.providerOrganizationId);
    if (!provider) throw new Error(`provider ${position.providerOrganizationId} of staffing position ${position.id} not found`);
    return provider;
  }

  @Query(() => [StaffingOverviewEntry], {
    description:
      'Who provides integration management for the municipalities of a district on a day, with their staffing, by provider name (coordinators only; for the cooperation meetings)',
  })
  async staffingOverview(
    @Arg('districtId', () => ID) districtId: string,
    @Arg('at', () => LocalDateScalar, { nullable: true, description: 'The day; defaults to today (in Germany)' }) at: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<StaffingOverviewEntry[]> {
    requireRole(context.principal, [Role.Coordinator], 'see the staffing overview');
    const district = await requireOrganization(context, 'districtId', districtId);
    if (district.kind !== OrganizationKind.DISTRICT) throw invalidInput('districtId', 'isDistrict', `${district.name} is not a district but a ${district.kind}`);
    const manager = await context.tx.manager();
    const rows: { provider_id: string; municipality_ids: string[]; fte: string | null }[] = await manager.query(
      `SELECT r.provider_organization_id AS provider_id, array_agg(r.municipality_id ORDER BY m.name, m.id) AS municipality_ids,
              (SELECT s.full_time_equivalents FROM staffing_positions s
                WHERE s.provider_organization_id = r.provider_organization_id AND daterange(s.valid_from, s.valid_until, '[]') @> $2::date) AS fte
         FROM integration_management_responsibilities r
         JOIN organizations m ON m.id = r.municipality_id
         JOIN organizations p ON p.id = r.provider_organization_id
        WHERE m.parent_id = $1 AND daterange(r.valid_from, r.valid_until, '[]') @> $2::date
        GROUP BY r.provider_organization_id, p.name
        ORDER BY p.name, r.provider_organization_id`,
      [district.id, at ?? todayInGermany()],
    );
    // Providers and municipalities exist (foreign keys) and the directory is readable by everyone: one SELECT for all.
    const loaded = await context.loaders.get(organizationById).loadMany([...new Set(rows.flatMap((row) => [row.provider_id, ...row.municipality_ids]))]);
    const byId = new Map(loaded.filter((o): o is Organization => o instanceof Organization).map((o) => [o.id, o]));
    return rows.map((row) => ({
      provider: byId.get(row.provider_id)!,
      municipalities: row.municipality_ids.map((id) => Municipality.from(byId.get(id)!)),
      fullTimeEquivalents: row.fte,
    }));
  }

  @Mutation(() => StaffingPosition, {
    description:
      'Records the staffing of a provider from validFrom on (coordinators only). The open-ended current figure, if it began earlier, ends the day before; any other overlap is refused (rule noOverlap).',
  })
  async recordStaffing(@Arg('input', () => RecordStaffingInput) input: RecordStaffingInput, @Ctx() context: RequestContext): Promise<StaffingPosition> {
    requireRole(context.principal, [Role.Coordinator], 'record staffing');
    const provider = await requireOrganization(context, 'input.providerOrganizationId', input.providerOrganizationId);
    if (!PROVIDER_KINDS.includes(provider.kind)) {
      throw invalidInput('input.providerOrganizationId', 'isProvider', `${provider.name} is a ${provider.kind}; integration management is provided by districts, municipalities and welfare organisations`);
    }
    requireOrderedDates('input.validUntil', input.validFrom, input.validUntil);
    const fullTimeEquivalents = requireExactDecimal('input.fullTimeEquivalents', input.fullTimeEquivalents, FTE_INTEGER_DIGITS);
    const manager = await context.tx.manager();
    return startPeriod(
      manager,
      STAFFING_PERIODS,
      provider.id,
      manager.create(StaffingPosition, {
        providerOrganizationId: provider.id,
        validFrom: input.validFrom,
        validUntil: input.validUntil ?? null,
        fullTimeEquivalents,
        note: input.note ?? null,
      }),
    );
  }
}
