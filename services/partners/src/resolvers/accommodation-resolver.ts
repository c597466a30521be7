import { conflict, LocalDateScalar, notFound, RequestContext, requireCooperationMember, requireUuid } from '@integration-graph/common';
import { IsOptional, Length, Matches, MaxLength, Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { requireEditor } from '../auth/directory-access';
import { AccommodationSite } from '../entities/accommodation-site';
import { Municipality } from '../entities/municipality';
import { accommodationSitesByMunicipality } from '../loaders/internal-loaders';
import { requireOrderedDates } from '../validation';
import { requireMunicipalityOrganization } from './internal-validation';
import { loadMunicipality } from './municipality-resolver';

const WHAT = 'the follow-up accommodation sites (Anschlussunterbringung) of a municipality';

@InputType({ description: 'A follow-up accommodation site (Anschlussunterbringung) of a municipality; no personal data' })
export class RecordAccommodationSiteInput {
  @Field(() => ID)
  municipalityId: string;

  @Field({ description: 'Name of the site, e.g. "Gemeinschaftsunterkunft Weststadt"' })
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Street and house number' })
  @IsOptional()
  @MaxLength(200)
  street?: string | null;

  @Field(() => String, { nullable: true, description: 'Postleitzahl, 5 digits' })
  @IsOptional()
  @Matches(/^[0-9]{5}$/, { message: 'postalCode must be 5 digits (Postleitzahl)' })
  postalCode?: string | null;

  @Field(() => Int, { description: 'Number of places, never negative' })
  @Min(0)
  capacity: number;

  @Field(() => LocalDateScalar, { nullable: true })
  openedOn?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Not before openedOn' })
  closedOn?: string | null;
}

@InputType({ description: 'Changes a follow-up accommodation site; omitted fields stay as they are' })
export class UpdateAccommodationSiteInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; the change is refused with CONFLICT if the site changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of places, never negative' })
  @IsOptional()
  @Min(0)
  capacity?: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Day the site closed, not before openedOn; null reopens it' })
  closedOn?: string | null;
}

/** Follow-up accommodation sites: no personal data, but where refugees live, so people who work in the cooperation only. */
@Resolver(() => Municipality)
export class MunicipalityAccommodationResolver {
  @FieldResolver(() => [AccommodationSite], {
    nullable: true,
    description:
      'Follow-up accommodation sites (Anschlussunterbringung) by name. People who work in the cooperation only; public callers get UNAUTHENTICATED on this field and null, municipal apps FORBIDDEN.',
  })
  accommodationSites(@Root() municipality: Municipality, @Ctx() context: RequestContext): Promise<AccommodationSite[]> {
    requireCooperationMember(context.principal, 'Municipality.accommodationSites');
    return context.loaders.get(accommodationSitesByMunicipality).load(municipality.id);
  }
}

@Resolver(() => AccommodationSite)
export class AccommodationSiteResolver {
  @FieldResolver(() => Municipality)
  async municipality(@Root() site: AccommodationSite, @Ctx() context: RequestContext): Promise<Municipality> {
    const municipality = await loadMunicipality(context, { id: site.municipalityId });
    if (!municipality) throw new Error(`municipality ${site.municipalityId} of accommodation site ${site.id} not found`);
    return municipality;
  }

  @Mutation(() => AccommodationSite, { description: 'Records a follow-up accommodation site (the municipality’s administrators and leads, or a coordinator)' })
  async recordAccommodationSite(
    @Arg('input', () => RecordAccommodationSiteInput) input: RecordAccommodationSiteInput,
    @Ctx() context: RequestContext,
  ): Promise<AccommodationSite> {
    requireEditor(context, requireUuid('input.municipalityId', input.municipalityId), WHAT);
    const municipality = await requireMunicipalityOrganization(context, 'input.municipalityId', input.municipalityId);
    requireOrderedDates('input.closedOn', input.openedOn, input.closedOn);
    const manager = await context.tx.manager();
    return manager.save(
      manager.create(AccommodationSite, {
        municipalityId: municipality.id,
        name: input.name.trim(),
        street: input.street ?? null,
        postalCode: input.postalCode ?? null,
        capacity: input.capacity,
        openedOn: input.openedOn ?? null,
        closedOn: input.closedOn ?? null,
      }),
    );
  }

  @Mutation(() => AccommodationSite, { description: 'Changes name, capacity or closing day of a follow-up accommodation site, guarded by expectedVersion' })
  async updateAccommodationSite(
    @Arg('input', () => UpdateAccommodationSiteInput) input: UpdateAccommodationSiteInput,
    @Ctx() context: RequestContext,
  ): Promise<AccommodationSite> {
    requireCooperationMember(context.principal, `changing ${WHAT}`);
    const id = requireUuid('input.id', input.id);
    const manager = await context.tx.manager();
    const visible = await manager.findOneBy(AccommodationSite, { id });
    if (!visible) throw notFound('AccommodationSite', id);
    requireEditor(context, visible.municipalityId, WHAT);
    const site = await manager.findOneOrFail(AccommodationSite, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (site.version !== input.expectedVersion) throw conflict('AccommodationSite', id, input.expectedVersion, site.version);
    if (input.name != null) site.name = input.name.trim();
    if (input.capacity != null) site.capacity = input.capacity;
    if (input.closedOn !== undefined) site.closedOn = input.closedOn;
    requireOrderedDates('input.closedOn', site.openedOn, site.closedOn);
    return manager.save(site);
  }
}
