import {
  conflict,
  ConnectionArgs,
  invalidInput,
  notFound,
  paginate,
  RequestContext,
  requireUuid,
} from '@integration-graph/common';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { EntityManager, In } from 'typeorm';
import { mayEdit, requireEditor } from '../auth/directory-access';
import { Location } from '../entities/location';
import { Municipality } from '../entities/municipality';
import { Offering, OfferingStatus } from '../entities/offering';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { TaxonomyScheme, TaxonomyTerm } from '../entities/taxonomy-term';
import { isStale } from '../freshness';
import { FALLBACK_DOCUMENTATION, Language, LocalizedText, TranslationState } from '../i18n/language';
import { stateOf, TextInput } from '../i18n/text-input';
import { writeText } from '../i18n/texts';
import { lifeAreaIdsByOfferingId, locationById, offeringById, serviceAreaByOfferingId, taxonomyTermById } from '../loaders/directory-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { localize } from '../loaders/translation-loaders';
import { requireExactDecimal, requireLanguageCodes, requireOrderedDates } from '../validation';
import { OfferingConnection } from './connections';
import { requireAgs } from './municipality-resolver';
import { CreateOfferingInput, OfferingFieldsInput, OfferingFilter, OfferingOrder, UpdateOfferingInput } from './offering-inputs';

const TEXT_FIELDS = ['title', 'description', 'eligibility', 'scheduleNote'] as const;
const FAR_FUTURE = '9999-12-31';

async function requireTerms(manager: EntityManager, field: string, ids: string[], scheme: TaxonomyScheme): Promise<void> {
  const found = await manager.find(TaxonomyTerm, { where: { id: In(ids), scheme } });
  const missing = ids.filter((id) => !found.some((term) => term.id === id));
  if (missing.length) {
    throw invalidInput(field, scheme === TaxonomyScheme.OFFERING_TYPE ? 'isOfferingType' : 'isLifeArea', `unknown ${scheme.replace('_', ' ')}: ${missing.join(', ')} (see the taxonomy query)`);
  }
}

async function requireMunicipalities(manager: EntityManager, field: string, ids: string[]): Promise<void> {
  ids.forEach((id) => requireUuid(field, id));
  const count = await manager.count(Organization, { where: { id: In(ids), kind: OrganizationKind.MUNICIPALITY } });
  if (count !== new Set(ids).size) throw invalidInput(field, 'isMunicipality', 'every id must be a municipality of the directory');
}

/** Validates the given fields and copies them onto the offering; texts and relations are written after saving. */
async function applyFields(manager: EntityManager, offering: Offering, input: OfferingFieldsInput): Promise<void> {
  if (input.typeId !== undefined) {
    await requireTerms(manager, 'input.typeId', [input.typeId], TaxonomyScheme.OFFERING_TYPE);
    offering.typeId = input.typeId;
  }
  if (input.lifeAreaIds) await requireTerms(manager, 'input.lifeAreaIds', input.lifeAreaIds, TaxonomyScheme.LIFE_AREA);
  if (input.serviceAreaMunicipalityIds) await requireMunicipalities(manager, 'input.serviceAreaMunicipalityIds', input.serviceAreaMunicipalityIds);
  if (input.locationId !== undefined) {
    const location = await manager.findOneBy(Location, { id: requireUuid('input.locationId', input.locationId) });
    if (!location || location.organizationId !== offering.organizationId) {
      throw invalidInput('input.locationId', 'isOwnLocation', 'must be a location of the offering organisation');
    }
    offering.locationId = location.id;
  }
  if (input.instructionLanguages) offering.instructionLanguages = requireLanguageCodes('input.instructionLanguages', input.instructionLanguages);
  if (input.supportLanguages) offering.supportLanguages = requireLanguageCodes('input.supportLanguages', input.supportLanguages);
  if (input.costEur !== undefined) {
    offering.costEur = requireExactDecimal('input.costEur', input.costEur, 8);
  }
  for (const key of ['targetLevel', 'startsOn', 'endsOn', 'sessions', 'teachingUnits', 'seatsTotal', 'seatsFree', 'childcare', 'status'] as const) {
    if (input[key] !== undefined) (offering as unknown as Record<string, unknown>)[key] = input[key];
  }
  requireOrderedDates('input.endsOn', offering.startsOn, offering.endsOn);
  if (offering.seatsFree !== null && offering.seatsTotal !== null && offering.seatsFree > offering.seatsTotal) {
    throw invalidInput('input.seatsFree', 'seatsFreeWithinTotal', `${offering.seatsFree} free seats are more than the ${offering.seatsTotal} seats in total`);
  }
}

async function writeRelationsAndTexts(manager: EntityManager, offering: Offering, input: OfferingFieldsInput, userId: string): Promise<void> {
  if (input.lifeAreaIds) {
    await manager.query(`DELETE FROM offering_life_areas WHERE offering_id = $1`, [offering.id]);
    await manager.query(`INSERT INTO offering_life_areas (offering_id, life_area_id) SELECT $1, unnest($2::text[])`, [offering.id, [...new Set(input.lifeAreaIds)]]);
  }
  if (input.serviceAreaMunicipalityIds) {
    await manager.query(`DELETE FROM offering_service_areas WHERE offering_id = $1`, [offering.id]);
    await manager.query(`INSERT INTO offering_service_areas (offering_id, municipality_id) SELECT $1, unnest($2::uuid[])`, [
      offering.id,
      [...new Set(input.serviceAreaMunicipalityIds)],
    ]);
  }
  for (const field of TEXT_FIELDS) {
    // Originals first: a changed original outdates the translations already stored, not those sent with it.
    const texts = [...(input[field] ?? [])].sort((a, b) => Number(stateOf(b) === TranslationState.ORIGINAL) - Number(stateOf(a) === TranslationState.ORIGINAL));
    for (const text of texts) {
      await writeText(manager, { entityType: 'offering', entityId: offering.id, ownerOrganizationId: offering.organizationId, field, ...text, userId });
    }
  }
}

function requireOriginal(field: string, texts: TextInput[] | undefined): void {
  if (!texts?.some((text) => stateOf(text) === TranslationState.ORIGINAL)) {
    throw invalidInput(field, 'hasOriginal', 'give the text at least in its original language (state ORIGINAL)');
  }
}

@Resolver(() => Offering)
export class OfferingResolver {
  @Query(() => Offering, { nullable: true, description: 'One offering by id' })
  offering(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Offering | null> {
    return context.loaders.get(offeringById).load(requireUuid('id', id));
  }

  @Query(() => OfferingConnection, { description: 'Offerings of the directory (public). Ended offerings are left out unless asked for.' })
  async offerings(
    @Arg('filter', () => OfferingFilter, { nullable: true }) filter: OfferingFilter | undefined,
    @Arg('orderBy', () => OfferingOrder, { nullable: true, description: 'Default START_DATE' }) orderBy: OfferingOrder | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Offering, 'f');
    const statuses = filter?.statuses?.length ? filter.statuses : Object.values(OfferingStatus).filter((s) => s !== OfferingStatus.ENDED);
    query.where('f.status IN (:...statuses)', { statuses });
    if (filter?.types?.length) {
      query.andWhere(`f.type_id IN (SELECT id FROM taxonomy_terms WHERE id = ANY(:types) OR parent_id = ANY(:types))`, { types: filter.types });
    }
    if (filter?.lifeAreas?.length) {
      query.andWhere(`EXISTS (SELECT 1 FROM offering_life_areas a WHERE a.offering_id = f.id AND a.life_area_id = ANY(:lifeAreas))`, { lifeAreas: filter.lifeAreas });
    }
    let reachableFrom = filter?.reachableFrom ? requireUuid('filter.reachableFrom', filter.reachableFrom) : undefined;
    if (filter?.reachableFromAgs) {
      const ags = requireAgs('filter.reachableFromAgs', filter.reachableFromAgs);
      const municipality = await manager.findOneBy(Organization, { officialMunicipalityKey: ags, kind: OrganizationKind.MUNICIPALITY });
      if (!municipality) throw notFound('Municipality with AGS', ags);
      reachableFrom = municipality.id;
    }
    if (reachableFrom) {
      query.andWhere(
        `(EXISTS (SELECT 1 FROM offering_service_areas sa WHERE sa.offering_id = f.id AND sa.municipality_id = :reachableFrom)
          OR EXISTS (SELECT 1 FROM locations l WHERE l.id = f.location_id AND l.municipality_id = :reachableFrom))`,
        { reachableFrom },
      );
    }
    if (filter?.startsAfter) query.andWhere('f.starts_on >= :startsAfter', { startsAfter: filter.startsAfter });
    if (filter?.hasFreeSeats === true) query.andWhere(`f.seats_free > 0 AND f.status <> 'full'`);
    if (filter?.hasFreeSeats === false) query.andWhere(`(f.seats_free = 0 OR f.status = 'full')`);
    if (filter?.language) {
      const [language] = requireLanguageCodes('filter.language', [filter.language]);
      query.andWhere('(:language = ANY(f.instruction_languages) OR :language = ANY(f.support_languages))', { language });
    }
    if (filter?.targetLevels?.length) query.andWhere('f.target_level IN (:...levels)', { levels: filter.targetLevels });
    if (filter?.organizationId) query.andWhere('f.organization_id = :organizationId', { organizationId: requireUuid('filter.organizationId', filter.organizationId) });
    return orderBy === OfferingOrder.FREE_SEATS
      ? paginate(query, page, { sortExpression: 'COALESCE(f.seats_free, -1)', direction: 'DESC', sortValue: (f) => f.seatsFree ?? -1, idColumn: 'f.id', idOf: (f) => f.id })
      : paginate(query, page, { sortExpression: `COALESCE(f.starts_on, '${FAR_FUTURE}'::date)`, direction: 'ASC', sortValue: (f) => f.startsOn ?? FAR_FUTURE, idColumn: 'f.id', idOf: (f) => f.id });
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Title. ${FALLBACK_DOCUMENTATION}` })
  title(@Root() offering: Offering, @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language, @Ctx() context: RequestContext) {
    return localize(context, 'offering', offering.id, 'title', lang);
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Description. ${FALLBACK_DOCUMENTATION}` })
  description(@Root() offering: Offering, @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language, @Ctx() context: RequestContext) {
    return localize(context, 'offering', offering.id, 'description', lang);
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Who may take part. ${FALLBACK_DOCUMENTATION}` })
  eligibility(@Root() offering: Offering, @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language, @Ctx() context: RequestContext) {
    return localize(context, 'offering', offering.id, 'eligibility', lang);
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Days and times in words. ${FALLBACK_DOCUMENTATION}` })
  scheduleNote(@Root() offering: Offering, @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language, @Ctx() context: RequestContext) {
    return localize(context, 'offering', offering.id, 'scheduleNote', lang);
  }

  @FieldResolver(() => TaxonomyTerm, { description: 'What kind of offering this is' })
  type(@Root() offering: Offering, @Ctx() context: RequestContext): Promise<TaxonomyTerm | null> {
    return context.loaders.get(taxonomyTermById).load(offering.typeId);
  }

  @FieldResolver(() => [TaxonomyTerm], { description: 'Life areas the offering serves' })
  async lifeAreas(@Root() offering: Offering, @Ctx() context: RequestContext): Promise<TaxonomyTerm[]> {
    const ids = await context.loaders.get(lifeAreaIdsByOfferingId).load(offering.id);
    const terms = await context.loaders.get(taxonomyTermById).loadMany(ids);
    return terms.filter((term): term is TaxonomyTerm => term instanceof TaxonomyTerm);
  }

  @FieldResolver(() => Organization, { description: 'The providing organisation' })
  organization(@Root() offering: Offering, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(offering.organizationId);
  }

  @FieldResolver(() => Location, { nullable: true, description: 'Where it takes place' })
  location(@Root() offering: Offering, @Ctx() context: RequestContext): Promise<Location | null> | null {
    return offering.locationId ? context.loaders.get(locationById).load(offering.locationId) : null;
  }

  @FieldResolver(() => [Municipality], { description: 'Municipalities the offering explicitly serves (besides the one it takes place in)' })
  async serviceArea(@Root() offering: Offering, @Ctx() context: RequestContext): Promise<Municipality[]> {
    const ids = await context.loaders.get(serviceAreaByOfferingId).load(offering.id);
    const organizations = await context.loaders.get(organizationById).loadMany(ids);
    return organizations
      .filter((org): org is Organization => org instanceof Organization)
      .map((org) => Municipality.from(org))
      .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  }

  @FieldResolver(() => Boolean, { description: 'Not verified by the provider within the configured time (DIRECTORY_STALE_AFTER_DAYS)' })
  isStale(@Root() offering: Offering): boolean {
    return isStale(offering.lastVerifiedAt);
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may change this offering' })
  canEdit(@Root() offering: Offering, @Ctx() context: RequestContext): boolean {
    return mayEdit(context.principal, offering.organizationId);
  }

  @Mutation(() => Offering, { description: 'Adds an offering of your organisation to the directory (org_admin, lead, coordinator)' })
  async createOffering(@Arg('input', () => CreateOfferingInput) input: CreateOfferingInput, @Ctx() context: RequestContext): Promise<Offering> {
    const organizationId = requireUuid('input.organizationId', input.organizationId);
    const caller = requireEditor(context, organizationId, 'the offerings of this organisation');
    if (input.typeId === undefined) throw invalidInput('input.typeId', 'isNotEmpty', 'every offering needs a type');
    requireOriginal('input.title', input.title);
    const manager = await context.tx.manager();
    if (!(await context.loaders.get(organizationById).load(organizationId))) throw notFound('Organization', organizationId);
    const offering = manager.create(Offering, {
      organizationId,
      status: OfferingStatus.PLANNED,
      instructionLanguages: ['de'],
      supportLanguages: [],
      childcare: false,
      targetLevel: null,
      startsOn: null,
      endsOn: null,
      seatsTotal: null,
      seatsFree: null,
      lastVerifiedAt: new Date(),
      lastVerifiedBy: caller.userId,
    });
    await applyFields(manager, offering, input);
    const saved = await manager.save(offering);
    await writeRelationsAndTexts(manager, saved, input, caller.userId);
    return saved;
  }

  @Mutation(() => Offering, { description: 'Changes an offering, guarded by expectedVersion; omitted fields stay as they are' })
  async updateOffering(@Arg('input', () => UpdateOfferingInput) input: UpdateOfferingInput, @Ctx() context: RequestContext): Promise<Offering> {
    const id = requireUuid('input.id', input.id);
    const manager = await context.tx.manager();
    // Read first, then check the caller, then lock: row-level security lets only editors lock a row, and everyone
    // else should hear FORBIDDEN (or UNAUTHENTICATED) about an offering the public directory shows them.
    const visible = await context.loaders.get(offeringById).load(id);
    if (!visible) throw notFound('Offering', id);
    const caller = requireEditor(context, visible.organizationId, 'this offering');
    const offering = await manager.findOne(Offering, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!offering) throw notFound('Offering', id);
    if (offering.version !== input.expectedVersion) throw conflict('Offering', id, input.expectedVersion, offering.version);
    await applyFields(manager, offering, input);
    offering.updatedAt = new Date(); // texts alone change no column: the version must still move
    const saved = await manager.save(offering);
    await writeRelationsAndTexts(manager, saved, input, caller.userId);
    return saved;
  }

  @Mutation(() => Offering, { description: 'Confirms that the offering is correct as it stands (sets lastVerifiedAt, not updatedAt)' })
  async verifyOffering(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Offering> {
    const manager = await context.tx.manager();
    const offering = await manager.findOneBy(Offering, { id: requireUuid('id', id) });
    if (!offering) throw notFound('Offering', id);
    const caller = requireEditor(context, offering.organizationId, 'this offering');
    await manager.query(`UPDATE offerings SET last_verified_at = now(), last_verified_by = $2 WHERE id = $1`, [id, caller.userId]);
    return manager.findOneByOrFail(Offering, { id });
  }
}
