import {
  ConnectionArgs,
  connectionType,
  conflict,
  EntityReference,
  invalidInput,
  LocalDateScalar,
  notFound,
  paginate,
  RequestContext,
  requireUuid,
  updateWithVersion,
} from '@integration-graph/common';
import { ageOn } from '../eligibility';
import { IsEmail, IsOptional, Length, Matches, Min } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { requireCaseStaff } from '../auth/case-access';
import { NewClientInput, validateClientFields } from '../clients/client-input';
import { Case } from '../entities/case';
import { Client } from '../entities/client';
import { FollowUpAccommodation, Gender, ResidenceStatus } from '../entities/enums';
import { Household } from '../entities/household';
import { AccommodationSite } from '../entities/organization';
import { clientById } from '../loaders/case-loaders';
import { casesByClient, householdById } from '../loaders/client-loaders';
import { nullUnlessRestricted, refuseChangeIfRestricted, refuseIfAnonymised } from '../rights/restriction';
import { requireCountryCodes, requireLanguageCodes, todayInGermany } from '../validation';

export const ClientConnection = connectionType('Client', Client);

/** Rejects an explicit null for a field that cannot be empty (omitting a field keeps it; null clears optional ones). */
export function requireNotNull(input: object, prefix: string, fields: readonly string[]): void {
  for (const field of fields) {
    if ((input as Record<string, unknown>)[field] === null) {
      throw invalidInput(`${prefix}.${field}`, 'notNull', 'cannot be cleared; omit the field to keep its value');
    }
  }
}

/** Rejects names that are only white space (the database would refuse them with a less helpful error). */
export function requireNotBlank(field: string, value: string | null | undefined): void {
  if (typeof value === 'string' && !value.trim()) throw invalidInput(field, 'notBlank', 'must not be empty');
}

@InputType({
  description:
    'Changes a client’s master data. Omitted fields keep their value; null clears an optional one (arrivedOn, accommodationSiteId, privateFlatSince, phone, email). Household membership: joinHousehold / leaveHousehold.',
})
export class UpdateClientInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; refused with CONFLICT if the client changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  givenName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  familyName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  dateOfBirth?: string | null;

  @Field(() => Gender, { nullable: true })
  gender?: Gender | null;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. ["SY"]' })
  nationalities?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISO 639, e.g. ["ar", "ku"]' })
  languages?: string[] | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Arrival in Germany' })
  arrivedOn?: string | null;

  @Field(() => ResidenceStatus, { nullable: true })
  residenceStatus?: ResidenceStatus | null;

  @Field(() => FollowUpAccommodation, { nullable: true })
  followUpAccommodation?: FollowUpAccommodation | null;

  @Field(() => ID, { nullable: true, description: 'The follow-up accommodation site (partners); clear privateFlatSince when you set it' })
  accommodationSiteId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Lives in a private flat since; clear accommodationSiteId when you set it' })
  privateFlatSince?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 ()/-]{5,24}$/, { message: 'phone must be a phone number such as "+49 781 1234567"' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string | null;
}

/** Fields of UpdateClientInput that change the client, and those of them that cannot be cleared. */
const CLIENT_FIELDS = [
  'givenName',
  'familyName',
  'dateOfBirth',
  'gender',
  'nationalities',
  'languages',
  'arrivedOn',
  'residenceStatus',
  'followUpAccommodation',
  'accommodationSiteId',
  'privateFlatSince',
  'phone',
  'email',
] as const;
const REQUIRED_CLIENT_FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'gender', 'nationalities', 'languages', 'residenceStatus', 'followUpAccommodation'] as const;

/** The SQL expression the client list is sorted by (family name, given name; the id breaks ties). Never NULL. */
const CLIENT_SORT = `(cl.family_name || ' ' || cl.given_name)`;
const sortValueOf = (client: Client) => `${client.familyName} ${client.givenName}`;

/** Names compared loosely for the duplicate check: lower case, letters only ("Al-Masri" = "al masri"). */
const looseName = (sql: string) => `lower(regexp_replace(${sql}, '[^[:alpha:]]', '', 'g'))`;

@Resolver(() => Client)
export class ClientResolver {
  @Query(() => Client, { nullable: true, description: 'One client of your organisation; null if it does not exist or is not yours' })
  async client(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Client | null> {
    requireCaseStaff(context, 'read clients');
    // A restricted client is hidden from caseworkers (row-level security): FORBIDDEN with the reason.
    return nullUnlessRestricted(context, 'Client', id, await context.loaders.get(clientById).load(requireUuid('id', id)));
  }

  @Query(() => ClientConnection, { description: 'The clients of your organisation, by family name, then given name (and id)' })
  async clients(
    @Arg('search', () => String, { nullable: true, description: 'Words that must each occur in the given or family name (case-insensitive)' })
    search: string | null | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    requireCaseStaff(context, 'read clients');
    if (search && search.length > 200) throw invalidInput('search', 'maxLength', 'at most 200 characters');
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Client, 'cl');
    const words = (search ?? '').split(/\s+/).filter(Boolean).slice(0, 5);
    words.forEach((word, i) => {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(`(cl.given_name ILIKE :word${i} OR cl.family_name ILIKE :word${i})`, { [`word${i}`]: pattern });
    });
    return paginate(query, page, { sortExpression: CLIENT_SORT, direction: 'ASC', sortValue: sortValueOf, idColumn: 'cl.id', idOf: (c) => c.id });
  }

  @Query(() => [Client], {
    description:
      'Collect once: clients of your organisation who may be the person you are about to record (same names, also swapped, ignoring case, spaces and hyphens; or the same date of birth and one matching name). Check before opening a case for a new client; open it with clientId instead. Best matches first, at most 20.',
  })
  async possibleDuplicates(
    @Arg('givenName') givenName: string,
    @Arg('familyName') familyName: string,
    @Arg('dateOfBirth', () => LocalDateScalar, { nullable: true }) dateOfBirth: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<Client[]> {
    requireCaseStaff(context, 'read clients');
    requireNotBlank('givenName', givenName);
    requireNotBlank('familyName', familyName);
    if (givenName.length > 100) throw invalidInput('givenName', 'maxLength', 'at most 100 characters');
    if (familyName.length > 100) throw invalidInput('familyName', 'maxLength', 'at most 100 characters');
    const manager = await context.tx.manager();
    const [family, given, f, g] = [looseName('cl.family_name'), looseName('cl.given_name'), looseName(':familyName::text'), looseName(':givenName::text')];
    const sameNames = `((${family} = ${f} AND ${given} = ${g}) OR (${family} = ${g} AND ${given} = ${f}))`;
    const sameBirth = `cl.date_of_birth = :dateOfBirth::date`;
    const query = manager.createQueryBuilder(Client, 'cl').setParameters({ familyName, givenName, dateOfBirth: dateOfBirth ?? null });
    if (dateOfBirth) {
      query
        .where(`(${sameNames} OR (${sameBirth} AND (${family} IN (${f}, ${g}) OR ${given} IN (${f}, ${g}))))`)
        .orderBy(`CASE WHEN ${sameNames} AND ${sameBirth} THEN 0 WHEN ${sameNames} THEN 1 ELSE 2 END`, 'ASC');
    } else {
      query.where(sameNames);
    }
    return query.addOrderBy('cl.family_name', 'ASC').addOrderBy('cl.given_name', 'ASC').addOrderBy('cl.id', 'ASC').limit(20).getMany();
  }

  @FieldResolver(() => [Case], { description: 'The cases of this client you may see, newest first' })
  cases(@Root() client: Client, @Ctx() context: RequestContext): Promise<Case[]> {
    return context.loaders.get(casesByClient).load(client.id);
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household (family) the client belongs to' })
  household(@Root() client: Client, @Ctx() context: RequestContext): Promise<Household | null> | null {
    return client.householdId ? context.loaders.get(householdById).load(client.householdId) : null;
  }

  @FieldResolver(() => AccommodationSite, { nullable: true, description: 'The follow-up accommodation site the client lives in (resolved by the partners subgraph)' })
  accommodationSite(@Root() client: Client): EntityReference | null {
    return client.accommodationSiteId ? { id: client.accommodationSiteId } : null;
  }

  @FieldResolver(() => Int, { description: 'Age in completed years today (Europe/Berlin)' })
  age(@Root() client: Client): number {
    return ageOn(client.dateOfBirth, todayInGermany());
  }

  @Mutation(() => Client, { description: 'Changes a client’s master data, guarded by expectedVersion' })
  async updateClient(@Arg('input', () => UpdateClientInput) input: UpdateClientInput, @Ctx() context: RequestContext): Promise<Client> {
    requireCaseStaff(context, 'change clients');
    requireUuid('input.id', input.id);
    requireNotNull(input, 'input', REQUIRED_CLIENT_FIELDS);
    requireNotBlank('input.givenName', input.givenName);
    requireNotBlank('input.familyName', input.familyName);
    await refuseChangeIfRestricted(context, 'Client', 'input.id', input.id);
    const manager = await context.tx.manager();
    const current = await manager.findOneBy(Client, { id: input.id });
    if (!current) throw notFound('Client', input.id);
    refuseIfAnonymised('input.id', current);

    const changes: Record<string, unknown> = {};
    for (const field of CLIENT_FIELDS) if (input[field] !== undefined) changes[field] = input[field];
    if (input.givenName) changes.givenName = input.givenName.trim();
    if (input.familyName) changes.familyName = input.familyName.trim();
    if (input.nationalities) changes.nationalities = requireCountryCodes('input.nationalities', input.nationalities);
    if (input.languages) changes.languages = requireLanguageCodes('input.languages', input.languages);
    // Rules across fields (arrival after birth, one place to live) apply to the client as it will be.
    const after = { ...current, ...changes } as Client;
    const asInput = Object.fromEntries(
      Object.entries(after).map(([key, value]) => [key, value === null ? undefined : value]),
    ) as unknown as Partial<NewClientInput>;
    validateClientFields('input', { ...asInput, householdId: undefined });

    if (!Object.keys(changes).length) {
      if (current.version !== input.expectedVersion) throw conflict('Client', current.id, input.expectedVersion, current.version);
      return current;
    }
    return updateWithVersion(manager, Client, 'Client', current.id, input.expectedVersion, changes as QueryDeepPartialEntity<Client>);
  }
}
