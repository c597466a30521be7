import { DecimalScalar, LocalDateScalar } from '@integration-graph/common';
import { ArrayMaxSize, IsOptional, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { LanguageLevel, OfferingStatus } from '../entities/offering';
import { TextInput } from '../i18n/text-input';

export enum OfferingOrder {
  START_DATE = 'start_date',
  FREE_SEATS = 'free_seats',
}
registerEnumType(OfferingOrder, {
  name: 'OfferingOrder',
  valuesConfig: {
    START_DATE: { description: 'Earliest start first; offerings without a start date last' },
    FREE_SEATS: { description: 'Most free seats first' },
  },
});

@InputType({ description: 'Filters for offerings; all given filters must match' })
export class OfferingFilter {
  @Field(() => [ID], { nullable: true, description: 'Offering types (taxonomy ids); a type includes its sub-types, e.g. "integration-course"' })
  types?: string[];

  @Field(() => [ID], { nullable: true, description: 'Life areas served (taxonomy ids, e.g. "language")' })
  lifeAreas?: string[];

  @Field(() => ID, { nullable: true, description: 'Reachable from this municipality: it serves it, or takes place there' })
  reachableFrom?: string;

  @Field({ nullable: true, description: 'Reachable from the municipality with this AGS' })
  reachableFromAgs?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only offerings starting on or after this date' })
  startsAfter?: string;

  @Field({ nullable: true, description: 'true: only offerings with free seats; false: only those without' })
  hasFreeSeats?: boolean;

  @Field({ nullable: true, description: 'Taught or supported in this language (ISO 639 code, e.g. "uk")' })
  language?: string;

  @Field(() => [LanguageLevel], { nullable: true, description: 'Target language levels' })
  targetLevels?: LanguageLevel[];

  @Field(() => [OfferingStatus], { nullable: true, description: 'Statuses; by default all but ENDED' })
  statuses?: OfferingStatus[];

  @Field(() => ID, { nullable: true, description: 'Only offerings of this organisation' })
  organizationId?: string;
}

@InputType({ description: 'The fields of an offering; texts are written per language' })
export class OfferingFieldsInput {
  @Field(() => ID, { nullable: true, description: 'Offering type (taxonomy id of scheme OFFERING_TYPE)' })
  typeId?: string;

  @Field(() => [ID], { nullable: true, description: 'Life areas (taxonomy ids of scheme LIFE_AREA)' })
  @IsOptional()
  @ArrayMaxSize(10)
  lifeAreaIds?: string[];

  @Field(() => ID, { nullable: true, description: 'A location of the offering organisation' })
  locationId?: string;

  @Field(() => [ID], { nullable: true, description: 'Municipalities served besides the one of the location' })
  @IsOptional()
  @ArrayMaxSize(200)
  serviceAreaMunicipalityIds?: string[];

  @Field(() => LanguageLevel, { nullable: true })
  targetLevel?: LanguageLevel;

  @Field(() => LocalDateScalar, { nullable: true })
  startsOn?: string;

  @Field(() => LocalDateScalar, { nullable: true })
  endsOn?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(1000)
  sessions?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(5000)
  teachingUnits?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(10000)
  seatsTotal?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(10000)
  seatsFree?: number;

  @Field(() => [String], { nullable: true, description: 'ISO 639 codes' })
  instructionLanguages?: string[];

  @Field(() => [String], { nullable: true, description: 'ISO 639 codes' })
  supportLanguages?: string[];

  @Field({ nullable: true })
  childcare?: boolean;

  @Field(() => DecimalScalar, { nullable: true, description: 'Cost for participants in euro; "0.00" is free' })
  costEur?: string;

  @Field(() => OfferingStatus, { nullable: true })
  status?: OfferingStatus;

  @Field(() => [TextInput], { nullable: true, description: 'Title per language' })
  title?: TextInput[];

  @Field(() => [TextInput], { nullable: true, description: 'Description per language' })
  description?: TextInput[];

  @Field(() => [TextInput], { nullable: true, description: 'Who may take part (Teilnahmevoraussetzungen) per language' })
  eligibility?: TextInput[];

  @Field(() => [TextInput], { nullable: true, description: 'Days and times in words, per language' })
  scheduleNote?: TextInput[];
}

@InputType({ description: 'A new offering of your organisation' })
export class CreateOfferingInput extends OfferingFieldsInput {
  @Field(() => ID, { description: 'The providing organisation' })
  organizationId: string;
}

@InputType({ description: 'Changes to an offering; omitted fields stay as they are' })
export class UpdateOfferingInput extends OfferingFieldsInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; CONFLICT if the offering changed since' })
  @Min(1)
  expectedVersion: number;
}
