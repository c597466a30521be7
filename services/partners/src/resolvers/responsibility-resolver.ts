import { conflict, invalidInput, LocalDateScalar, notFound, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import { IsOptional, Length, Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Municipality } from '../entities/municipality';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { IntegrationManagementResponsibility, ProvisionMode } from '../entities/responsibility';
import { responsibilitiesByMunicipality } from '../loaders/internal-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { requireOrderedDates } from '../validation';
import {
  periodContains,
  refuseOverlap,
  requireMunicipalityOrganization,
  requireOrganization,
  RESPONSIBILITY_PERIODS,
  startPeriod,
  todayInGermany,
} from './internal-validation';
import { loadMunicipality } from './municipality-resolver';

@InputType({ description: 'Who provides integration management (Integrationsmanagement) for a municipality from a day on, and how' })
export class AssignIntegrationManagementInput {
  @Field(() => ID, { description: 'The municipality (Stadt or Gemeinde)' })
  municipalityId: string;

  @Field(() => ID, {
    description:
      'Who provides it: the district (Landkreis) for DISTRICT, the municipality itself for SELF, the lead municipality of the association for INTERMUNICIPAL, a welfare organisation (Wohlfahrtsverband) for DELEGATED',
  })
  providerOrganizationId: string;

  @Field(() => ProvisionMode)
  mode: ProvisionMode;

  @Field(() => String, { nullable: true, description: 'Name of the intermunicipal association (Verwaltungsgemeinschaft, Zweckverband); required for INTERMUNICIPAL only' })
  @IsOptional()
  @Length(1, 200)
  associationName?: string | null;

  @Field(() => LocalDateScalar, { description: 'First day; an open-ended period of the municipality that began earlier ends the day before' })
  validFrom: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive); open-ended when omitted' })
  validUntil?: string | null;
}

@InputType({ description: 'Ends a period of responsibility for integration management' })
export class EndIntegrationManagementInput {
  @Field(() => ID)
  id: string;

  @Field(() => LocalDateScalar, { description: 'Last day (inclusive) of the responsibility' })
  validUntil: string;

  @Field(() => Int, { description: 'The version you last read; the change is refused with CONFLICT if the period changed since' })
  @Min(1)
  expectedVersion: number;
}

/**
 * Checks that the provider fits the mode: DISTRICT = the municipality's own district, SELF = the municipality,
 * INTERMUNICIPAL = a municipality (the association's lead) and an association name, DELEGATED = a welfare organisation.
 */
function requireProviderFitsMode(input: AssignIntegrationManagementInput, municipality: Organization, provider: Organization): void {
  const field = 'input.providerOrganizationId';
  switch (input.mode) {
    case ProvisionMode.DISTRICT:
      if (provider.id !== municipality.parentId) {
        throw invalidInput(field, 'isParentDistrict', `mode DISTRICT needs the district (Landkreis) of ${municipality.name} as provider, not ${provider.name}`);
      }
      break;
    case ProvisionMode.SELF:
      if (provider.id !== municipality.id) {
        throw invalidInput(field, 'isMunicipalityItself', `mode SELF needs ${municipality.name} itself as provider, not ${provider.name}`);
      }
      break;
    case ProvisionMode.INTERMUNICIPAL:
      if (provider.kind !== OrganizationKind.MUNICIPALITY) {
        throw invalidInput(field, 'isMunicipality', `mode INTERMUNICIPAL needs the association's lead municipality as provider; ${provider.name} is a ${provider.kind}`);
      }
      break;
    case ProvisionMode.DELEGATED:
      if (provider.kind !== OrganizationKind.WELFARE_ORGANIZATION) {
        throw invalidInput(field, 'isWelfareOrganization', `mode DELEGATED needs a welfare organisation (Wohlfahrtsverband) as provider; ${provider.name} is a ${provider.kind}`);
      }
      break;
  }
  const named = !!input.associationName?.trim();
  if (input.mode === ProvisionMode.INTERMUNICIPAL && !named) {
    throw invalidInput('input.associationName', 'required', 'mode INTERMUNICIPAL needs the name of the intermunicipal association');
  }
  if (input.mode !== ProvisionMode.INTERMUNICIPAL && input.associationName != null) {
    throw invalidInput('input.associationName', 'onlyForIntermunicipal', 'an association name belongs to mode INTERMUNICIPAL only');
  }
}

/** Who provides integration management for a municipality: public information. */
@Resolver(() => Municipality)
export class MunicipalityResponsibilityResolver {
  @FieldResolver(() => IntegrationManagementResponsibility, {
    nullable: true,
    description: 'Who provides integration management (Integrationsmanagement) on the given day; null when nobody is recorded for it',
  })
  async integrationManagementProvider(
    @Root() municipality: Municipality,
    @Arg('at', () => LocalDateScalar, { nullable: true, description: 'The day to ask about; defaults to today (in Germany)' }) at: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<IntegrationManagementResponsibility | null> {
    const day = at ?? todayInGermany();
    const periods = await context.loaders.get(responsibilitiesByMunicipality).load(municipality.id);
    return periods.find((period) => periodContains(period, day)) ?? null;
  }

  @FieldResolver(() => [IntegrationManagementResponsibility], { description: 'Every recorded period of responsibility for integration management, oldest first' })
  integrationManagementHistory(@Root() municipality: Municipality, @Ctx() context: RequestContext): Promise<IntegrationManagementResponsibility[]> {
    return context.loaders.get(responsibilitiesByMunicipality).load(municipality.id);
  }
}

@Resolver(() => IntegrationManagementResponsibility)
export class IntegrationManagementResponsibilityResolver {
  @FieldResolver(() => Organization, { description: 'Who provides integration management: district, municipality, lead municipality of an association or welfare organisation' })
  async provider(@Root() responsibility: IntegrationManagementResponsibility, @Ctx() context: RequestContext): Promise<Organization> {
    const provider = await context.loaders.get(organizationById).load(responsibility.providerOrganizationId);
    if (!provider) throw new Error(`provider ${responsibility.providerOrganizationId} of responsibility ${responsibility.id} not found`);
    return provider;
  }

  @FieldResolver(() => Municipality, { description: 'The municipality served' })
  async municipality(@Root() responsibility: IntegrationManagementResponsibility, @Ctx() context: RequestContext): Promise<Municipality> {
    const municipality = await loadMunicipality(context, { id: responsibility.municipalityId });
    if (!municipality) throw new Error(`municipality ${responsibility.municipalityId} of responsibility ${responsibility.id} not found`);
    return municipality;
  }

  @Mutation(() => IntegrationManagementResponsibility, {
    description:
      'Records who provides integration management for a municipality from validFrom on (coordinators only). The open-ended current period, if it began earlier, ends the day before; any other overlap is refused (rule noOverlap).',
  })
  async assignIntegrationManagement(
    @Arg('input', () => AssignIntegrationManagementInput) input: AssignIntegrationManagementInput,
    @Ctx() context: RequestContext,
  ): Promise<IntegrationManagementResponsibility> {
    requireRole(context.principal, [Role.Coordinator], 'assign integration management');
    const municipality = await requireMunicipalityOrganization(context, 'input.municipalityId', input.municipalityId);
    const provider = await requireOrganization(context, 'input.providerOrganizationId', input.providerOrganizationId);
    requireProviderFitsMode(input, municipality, provider);
    requireOrderedDates('input.validUntil', input.validFrom, input.validUntil);
    const manager = await context.tx.manager();
    return startPeriod(
      manager,
      RESPONSIBILITY_PERIODS,
      municipality.id,
      manager.create(IntegrationManagementResponsibility, {
        municipalityId: municipality.id,
        providerOrganizationId: provider.id,
        mode: input.mode,
        associationName: input.associationName?.trim() ?? null,
        validFrom: input.validFrom,
        validUntil: input.validUntil ?? null,
      }),
    );
  }

  @Mutation(() => IntegrationManagementResponsibility, { description: 'Sets the last day of a period of responsibility (coordinators only), guarded by expectedVersion' })
  async endIntegrationManagement(
    @Arg('input', () => EndIntegrationManagementInput) input: EndIntegrationManagementInput,
    @Ctx() context: RequestContext,
  ): Promise<IntegrationManagementResponsibility> {
    requireRole(context.principal, [Role.Coordinator], 'end integration management');
    const id = requireUuid('input.id', input.id);
    const manager = await context.tx.manager();
    const current = await manager.findOne(IntegrationManagementResponsibility, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!current) throw notFound('IntegrationManagementResponsibility', id);
    if (current.version !== input.expectedVersion) throw conflict('IntegrationManagementResponsibility', id, input.expectedVersion, current.version);
    requireOrderedDates('input.validUntil', current.validFrom, input.validUntil);
    current.validUntil = input.validUntil;
    return manager.save(current).catch((error: unknown) => refuseOverlap(error, RESPONSIBILITY_PERIODS, 'input.validUntil'));
  }
}
