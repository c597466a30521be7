import { LocalDateScalar } from '@integration-graph/common';
import { IsEmail, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { EntityManager } from 'typeorm';
import { Client } from '../entities/client';
import { Household } from '../entities/household';
import { FollowUpAccommodation, Gender, ResidenceStatus } from '../entities/enums';
import { requireCountryCodes, requireLanguageCodes, requireNotInFuture } from '../validation';
import { invalidInput, notFound, requireUuid } from '@integration-graph/common';

/** The client's master data, collected once and reused ("collect once"). */
@InputType({ description: 'A new client (Klient:in)' })
export class NewClientInput {
  @Field()
  @Length(1, 100)
  givenName: string;

  @Field()
  @Length(1, 100)
  familyName: string;

  @Field(() => LocalDateScalar)
  dateOfBirth: string;

  @Field(() => Gender)
  gender: Gender;

  @Field(() => [String], { description: 'ISO 3166-1 alpha-2, e.g. ["SY"]' })
  nationalities: string[];

  @Field(() => [String], { description: 'ISO 639, e.g. ["ar", "ku"]' })
  languages: string[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'Arrival in Germany' })
  arrivedOn?: string;

  @Field(() => ResidenceStatus)
  residenceStatus: ResidenceStatus;

  @Field(() => FollowUpAccommodation)
  followUpAccommodation: FollowUpAccommodation;

  @Field(() => ID, { nullable: true, description: 'The follow-up accommodation site (partners) the client lives in' })
  accommodationSiteId?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Lives in a private flat since' })
  privateFlatSince?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 ()/-]{5,24}$/, { message: 'phone must be a phone number such as "+49 781 1234567"' })
  phone?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string;

  @Field(() => ID, { nullable: true, description: 'The household (family) the client belongs to' })
  householdId?: string;
}

/** Checks the fields the database cannot: codes, dates, where the client lives. `prefix` is the input path. */
export function validateClientFields(prefix: string, input: Partial<NewClientInput>): void {
  if (input.nationalities) requireCountryCodes(`${prefix}.nationalities`, input.nationalities);
  if (input.languages) requireLanguageCodes(`${prefix}.languages`, input.languages);
  requireNotInFuture(`${prefix}.dateOfBirth`, input.dateOfBirth);
  requireNotInFuture(`${prefix}.arrivedOn`, input.arrivedOn);
  requireNotInFuture(`${prefix}.privateFlatSince`, input.privateFlatSince);
  if (input.dateOfBirth && input.arrivedOn && input.arrivedOn < input.dateOfBirth) {
    throw invalidInput(`${prefix}.arrivedOn`, 'afterBirth', 'arrival before the date of birth');
  }
  if (input.accommodationSiteId) requireUuid(`${prefix}.accommodationSiteId`, input.accommodationSiteId);
  if (input.householdId) requireUuid(`${prefix}.householdId`, input.householdId);
  if (input.accommodationSiteId && input.privateFlatSince) {
    throw invalidInput(`${prefix}.privateFlatSince`, 'oneAccommodation', 'a client lives either at an accommodation site or in a private flat');
  }
}

/** Inserts a new client of the organisation (after validateClientFields). */
export async function insertClient(manager: EntityManager, organizationId: string, input: NewClientInput): Promise<Client> {
  // The foreign key ignores row-level security: check that the household is one the caller may see.
  if (input.householdId && !(await manager.findOneBy(Household, { id: input.householdId }))) throw notFound('Household', input.householdId);
  return manager.save(
    manager.create(Client, {
      ownerOrganizationId: organizationId,
      householdId: input.householdId ?? null,
      givenName: input.givenName.trim(),
      familyName: input.familyName.trim(),
      dateOfBirth: input.dateOfBirth,
      gender: input.gender,
      nationalities: requireCountryCodes('nationalities', input.nationalities),
      languages: requireLanguageCodes('languages', input.languages),
      arrivedOn: input.arrivedOn ?? null,
      residenceStatus: input.residenceStatus,
      followUpAccommodation: input.followUpAccommodation,
      accommodationSiteId: input.accommodationSiteId ?? null,
      privateFlatSince: input.privateFlatSince ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
    }),
  );
}
