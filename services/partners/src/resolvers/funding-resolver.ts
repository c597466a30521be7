import { DecimalScalar, LocalDateScalar, RequestContext, requirePrincipal, requireRole, Role } from '@integration-graph/common';
import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import { maySeeInternal, requireInternalReader } from '../auth/directory-access';
import { FundingAllocation } from '../entities/funding-allocation';
import { Municipality } from '../entities/municipality';
import { Organization } from '../entities/organization';
import { fundingByMunicipality } from '../loaders/internal-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { requireOrderedDates } from '../validation';
import { requireMunicipalityOrganization, requireOrganization } from './internal-validation';
import { requireExactDecimal } from '../validation';
import { loadMunicipality } from './municipality-resolver';

/** numeric(14, 2): at most 12 digits before the decimal point. */
const EURO_INTEGER_DIGITS = 12;

@InputType({ description: 'Funding (Förderung) allocated to a municipality for integration management in a program period' })
export class RecordFundingAllocationInput {
  @Field(() => ID, { description: 'The municipality the money is allocated for' })
  municipalityId: string;

  @Field(() => ID, { nullable: true, description: 'Who receives it (the municipality, its district or a welfare organisation); unknown when omitted' })
  recipientOrganizationId?: string | null;

  @Field({ description: 'Funding program, e.g. "Pakt für Integration"' })
  @Length(1, 200)
  @Matches(/\S/, { message: 'program must not be blank' })
  program: string;

  @Field(() => LocalDateScalar, { description: 'First day of the program period' })
  periodStart: string;

  @Field(() => LocalDateScalar, { description: 'Last day (inclusive) of the program period, not before periodStart' })
  periodEnd: string;

  @Field(() => DecimalScalar, { description: 'Amount in euro as an exact decimal string, not negative, at most two decimal places, e.g. "213349.00"' })
  amountEur: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  note?: string | null;
}

/** Funding of integration management per municipality: internal figures. */
@Resolver(() => Municipality)
export class MunicipalityFundingResolver {
  @FieldResolver(() => [FundingAllocation], {
    nullable: true,
    description:
      'Funding allocations for integration management by period. Internal: coordinators and the municipality’s leads see all, the leads of a recipient organisation what it receives; anyone else gets an error on this field (UNAUTHENTICATED or FORBIDDEN) and null.',
  })
  async fundingAllocations(@Root() municipality: Municipality, @Ctx() context: RequestContext): Promise<FundingAllocation[]> {
    const caller = requirePrincipal(context.principal, 'Municipality.fundingAllocations');
    // Row-level security already narrows the rows to what the caller may see; the checks below say so explicitly.
    const allocations = await context.loaders.get(fundingByMunicipality).load(municipality.id);
    requireInternalReader(context, [municipality.id, ...allocations.map((a) => a.recipientOrganizationId)], 'Municipality.fundingAllocations');
    return maySeeInternal(caller, [municipality.id]) ? allocations : allocations.filter((a) => maySeeInternal(caller, [a.recipientOrganizationId]));
  }
}

@Resolver(() => FundingAllocation)
export class FundingAllocationResolver {
  @FieldResolver(() => Municipality, { description: 'The municipality the money is allocated for' })
  async municipality(@Root() allocation: FundingAllocation, @Ctx() context: RequestContext): Promise<Municipality> {
    const municipality = await loadMunicipality(context, { id: allocation.municipalityId });
    if (!municipality) throw new Error(`municipality ${allocation.municipalityId} of funding allocation ${allocation.id} not found`);
    return municipality;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'Who receives the money; null when not recorded' })
  recipient(@Root() allocation: FundingAllocation, @Ctx() context: RequestContext): Promise<Organization | null> | null {
    return allocation.recipientOrganizationId ? context.loaders.get(organizationById).load(allocation.recipientOrganizationId) : null;
  }

  @Mutation(() => FundingAllocation, { description: 'Records a funding allocation for a municipality (coordinators only); amounts are exact decimals, never floats' })
  async recordFundingAllocation(
    @Arg('input', () => RecordFundingAllocationInput) input: RecordFundingAllocationInput,
    @Ctx() context: RequestContext,
  ): Promise<FundingAllocation> {
    requireRole(context.principal, [Role.Coordinator], 'record funding allocations');
    const municipality = await requireMunicipalityOrganization(context, 'input.municipalityId', input.municipalityId);
    const recipient = input.recipientOrganizationId ? await requireOrganization(context, 'input.recipientOrganizationId', input.recipientOrganizationId) : null;
    requireOrderedDates('input.periodEnd', input.periodStart, input.periodEnd);
    const amountEur = requireExactDecimal('input.amountEur', input.amountEur, EURO_INTEGER_DIGITS);
    const manager = await context.tx.manager();
    return manager.save(
      manager.create(FundingAllocation, {
        municipalityId: municipality.id,
        recipientOrganizationId: recipient?.id ?? null,
        program: input.program.trim(),
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        amountEur,
        note: input.note ?? null,
      }),
    );
  }
}
