import { invalidInput, RequestContext, requireUuid } from '@integration-graph/common';
import { Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import {
  MAX_ADDRESS_PART_LENGTH,
  optionalText,
  requireCoordinates,
  requireOpeningHours,
  requirePostalCode,
  requireText,
  requireUniqueIds,
} from '../contact-validation';
import { Location } from '../entities/location';
import { Municipality } from '../entities/municipality';
import { OpeningHours } from '../entities/opening-hours';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { FALLBACK_DOCUMENTATION, Language, LocalizedText } from '../i18n/language';
import { TextInput } from '../i18n/text-input';
import { locationsByOrganization, openingHoursByLocation, serviceAreaByOrganization } from '../loaders/contact-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { localize, translationsByEntity } from '../loaders/translation-loaders';
import { findOwnedRowForEdit, lockForEdit, requireOrganizationForEdit, saveNewVersion, writeTexts } from './directory-editing';
import { loadMunicipality } from './municipality-resolver';

@InputType({ description: 'One opening time span on one weekday' })
export class OpeningHoursInput {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday ... 7 = Sunday' })
  weekday: number;

  @Field({ description: 'Local time "HH:MM", e.g. "09:00"' })
  opens: string;

  @Field({ description: 'Local time "HH:MM", after opens, e.g. "12:30"' })
  closes: string;
}

/** Fields of a location that may be given when adding it and changed later. */
@InputType({ description: 'Fields of a location (see AddLocationInput and UpdateLocationInput)' })
class LocationFieldsInput {
  @Field(() => ID, { nullable: true, description: 'The municipality (Stadt or Gemeinde) the location lies in' })
  municipalityId?: string | null;

  @Field(() => String, { nullable: true, description: 'Street and house number' })
  street?: string | null;

  @Field(() => String, { nullable: true, description: 'Postleitzahl, 5 digits' })
  postalCode?: string | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude, -90 to 90 (with longitude)' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude, -180 to 180 (with latitude)' })
  longitude?: number | null;

  @Field(() => [TextInput], { nullable: true, description: 'Name of the place per language, e.g. "Beratungsstelle Lahr"' })
  name?: TextInput[] | null;

  @Field(() => [TextInput], { nullable: true, description: 'Accessibility (Barrierefreiheit) per language: step-free access, lift, ...' })
  accessibilityNote?: TextInput[] | null;
}

@InputType({ description: 'A new location of an organisation' })
export class AddLocationInput extends LocationFieldsInput {
  @Field(() => ID)
  organizationId: string;

  @Field()
  city: string;

  @Field(() => [OpeningHoursInput], { nullable: true, description: 'Opening hours (Öffnungszeiten)' })
  openingHours?: OpeningHoursInput[] | null;
}

@InputType({ description: 'Changes to a location; omitted fields stay as they are, null removes optional ones' })
export class UpdateLocationInput extends LocationFieldsInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; CONFLICT if the location changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => [OpeningHoursInput], { nullable: true, description: 'Replaces all opening hours of the location; [] removes them' })
  openingHours?: OpeningHoursInput[] | null;
}

@InputType({ description: 'The municipalities an organisation serves (Einzugsgebiet)' })
export class SetServiceAreaInput {
  @Field(() => ID)
  organizationId: string;

  @Field(() => [ID], { description: 'Replaces the list; [] removes it' })
  municipalityIds: string[];
}

type LocationColumns = Partial<Pick<Location, 'municipalityId' | 'street' | 'postalCode' | 'city' | 'latitude' | 'longitude'>>;

/** A municipality id of the directory, or an error naming the field. */
async function requireMunicipalityId(context: RequestContext, field: string, id: string): Promise<string> {
  const municipality = await loadMunicipality(context, { id: requireUuid(field, id) });
  if (!municipality) throw invalidInput(field, 'isMunicipality', `${id} is not a municipality of the directory`);
  return id;
}

/** Validates the given fields (against the current location when changing one) and returns the columns to write. */
async function locationColumns(context: RequestContext, input: LocationFieldsInput & { city?: string | null }, current?: Location): Promise<LocationColumns> {
  const columns: LocationColumns = {};
  if (input.municipalityId !== undefined) {
    columns.municipalityId = input.municipalityId === null ? null : await requireMunicipalityId(context, 'input.municipalityId', input.municipalityId);
  }
  if (input.street !== undefined) columns.street = optionalText('input.street', input.street, MAX_ADDRESS_PART_LENGTH) ?? null;
  if (input.postalCode !== undefined) columns.postalCode = input.postalCode === null ? null : requirePostalCode('input.postalCode', input.postalCode);
  if (input.city !== undefined) columns.city = requireText('input.city', input.city ?? '', MAX_ADDRESS_PART_LENGTH);
  if (input.latitude !== undefined || input.longitude !== undefined) {
    const latitude = input.latitude !== undefined ? input.latitude : (current?.latitude ?? null);
    const longitude = input.longitude !== undefined ? input.longitude : (current?.longitude ?? null);
    requireCoordinates('input', latitude, longitude);
    Object.assign(columns, { latitude, longitude });
  }
  return columns;
}

/** Replaces the opening hours of a location. */
async function replaceOpeningHours(context: RequestContext, locationId: string, spans: OpeningHoursInput[]): Promise<void> {
  const manager = await context.tx.manager();
  await manager.delete(OpeningHours, { locationId });
  if (spans.length) await manager.insert(OpeningHours, spans.map((span) => ({ locationId, ...span })));
  context.loaders.get(openingHoursByLocation).clear(locationId);
}

async function writeLocationTexts(context: RequestContext, location: Location, input: LocationFieldsInput): Promise<void> {
  const owner = { entityType: 'location' as const, entityId: location.id, ownerOrganizationId: location.organizationId };
  await writeTexts(context, owner, 'name', 'input.name', input.name);
  await writeTexts(context, owner, 'accessibilityNote', 'input.accessibilityNote', input.accessibilityNote);
}

const WHAT = "the organisation's locations and service area";

/** Where an organisation receives people (HSDS: location) and which municipalities it serves (HSDS: service area). */
@Resolver(() => Organization)
export class OrganizationLocationResolver {
  @FieldResolver(() => [Location], { description: 'Places where the organisation receives people, by city and street' })
  locations(@Root() organization: Organization, @Ctx() context: RequestContext): Promise<Location[]> {
    return context.loaders.get(locationsByOrganization).load(organization.id);
  }

  @FieldResolver(() => [Municipality], { description: 'Municipalities the organisation serves (Einzugsgebiet), by name' })
  async serviceArea(@Root() organization: Organization, @Ctx() context: RequestContext): Promise<Municipality[]> {
    const ids = await context.loaders.get(serviceAreaByOrganization).load(organization.id);
    const organizations = await context.loaders.get(organizationById).loadMany(ids);
    return organizations
      .filter((served): served is Organization => served instanceof Organization && served.kind === OrganizationKind.MUNICIPALITY)
      .map((served) => Municipality.from(served))
      .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  }

  @Mutation(() => Location, { description: "Adds a location with its opening hours (the organisation's org_admins and leads, or a coordinator)" })
  async addLocation(@Arg('input', () => AddLocationInput) input: AddLocationInput, @Ctx() context: RequestContext): Promise<Location> {
    const organization = await requireOrganizationForEdit(context, 'input.organizationId', input.organizationId, WHAT);
    const columns = await locationColumns(context, input);
    const openingHours = requireOpeningHours('input.openingHours', input.openingHours ?? []);
    const manager = await context.tx.manager();
    const location = await manager.save(manager.create(Location, { ...columns, organizationId: organization.id }));
    await replaceOpeningHours(context, location.id, openingHours);
    await writeLocationTexts(context, location, input);
    context.loaders.get(locationsByOrganization).clear(organization.id);
    return location;
  }

  @Mutation(() => Location, { description: 'Changes a location, its opening hours or texts, guarded by expectedVersion' })
  async updateLocation(@Arg('input', () => UpdateLocationInput) input: UpdateLocationInput, @Ctx() context: RequestContext): Promise<Location> {
    const existing = await findOwnedRowForEdit(context, Location, 'Location', 'input.id', input.id, WHAT);
    const columns = await locationColumns(context, input, existing);
    const openingHours = input.openingHours ? requireOpeningHours('input.openingHours', input.openingHours) : undefined;
    const manager = await context.tx.manager();
    await lockForEdit(manager, Location, 'Location', existing.id, input.expectedVersion);
    if (openingHours) await replaceOpeningHours(context, existing.id, openingHours);
    await writeLocationTexts(context, existing, input);
    const saved = await saveNewVersion(manager, Location, existing.id, columns);
    context.loaders.get(locationsByOrganization).clear(existing.organizationId);
    return saved;
  }

  @Mutation(() => ID, { description: 'Removes a location with its opening hours and texts; returns its id. Offerings there must be moved first.' })
  async removeLocation(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<string> {
    const existing = await findOwnedRowForEdit(context, Location, 'Location', 'id', id, WHAT);
    const manager = await context.tx.manager();
    const [{ offerings }]: { offerings: number }[] = await manager.query(`SELECT count(*)::int AS offerings FROM offerings WHERE location_id = $1`, [existing.id]);
    if (offerings > 0) {
      throw invalidInput('id', 'notInUse', `${offerings} offering(s) take place at this location; give them another location first`);
    }
    await manager.query(`DELETE FROM translations WHERE entity_type = 'location' AND entity_id = $1`, [existing.id]);
    await manager.delete(Location, { id: existing.id });
    context.loaders.get(translationsByEntity).clear(`location:${existing.id}`);
    context.loaders.get(locationsByOrganization).clear(existing.organizationId);
    return existing.id;
  }

  @Mutation(() => Organization, { description: 'Sets the municipalities an organisation serves, replacing the list' })
  async setServiceArea(@Arg('input', () => SetServiceAreaInput) input: SetServiceAreaInput, @Ctx() context: RequestContext): Promise<Organization> {
    const organization = await requireOrganizationForEdit(context, 'input.organizationId', input.organizationId, WHAT);
    const ids = requireUniqueIds('input.municipalityIds', input.municipalityIds);
    await Promise.all(ids.map((id, index) => requireMunicipalityId(context, `input.municipalityIds.${index}`, id)));
    const manager = await context.tx.manager();
    await manager.query(`DELETE FROM organization_service_areas WHERE organization_id = $1`, [organization.id]);
    await manager.query(
      `INSERT INTO organization_service_areas (organization_id, municipality_id) SELECT $1, unnest($2::uuid[])`,
      [organization.id, ids],
    );
    context.loaders.get(serviceAreaByOrganization).clear(organization.id);
    return organization;
  }
}

/** Opening hours, municipality and texts of a location. */
@Resolver(() => Location)
export class LocationResolver {
  @FieldResolver(() => [OpeningHours], { description: 'Opening hours (Öffnungszeiten), Monday first' })
  openingHours(@Root() location: Location, @Ctx() context: RequestContext): Promise<OpeningHours[]> {
    return context.loaders.get(openingHoursByLocation).load(location.id);
  }

  @FieldResolver(() => Municipality, { nullable: true, description: 'The municipality the location lies in' })
  municipality(@Root() location: Location, @Ctx() context: RequestContext): Promise<Municipality | null> | null {
    return location.municipalityId ? loadMunicipality(context, { id: location.municipalityId }) : null;
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Name of the place, e.g. "Beratungsstelle Lahr". ${FALLBACK_DOCUMENTATION}` })
  name(
    @Root() location: Location,
    @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language,
    @Ctx() context: RequestContext,
  ): Promise<LocalizedText | null> {
    return localize(context, 'location', location.id, 'name', lang);
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Accessibility of the place (Barrierefreiheit). ${FALLBACK_DOCUMENTATION}` })
  accessibilityNote(
    @Root() location: Location,
    @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language,
    @Ctx() context: RequestContext,
  ): Promise<LocalizedText | null> {
    return localize(context, 'location', location.id, 'accessibilityNote', lang);
  }
}
