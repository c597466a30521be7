import { LocalDateScalar } from '@integration-graph/common';
import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { StandardDirection } from '../standards/evaluate';
import { MetricKey } from '../standards/metrics';

const NOT_BLANK = /\S/;
const MAX_PARTICIPANTS = 200;
const MAX_DECISIONS = 100;

@InputType({ description: 'A cooperation meeting (Kooperationstreffen) of a district' })
export class RecordCooperationMeetingInput {
  @Field(() => ID, { description: 'The district (Landkreis) whose cooperation met; you must be one of its coordinators' })
  districtId: string;

  @Field(() => LocalDateScalar, { description: 'The day of the meeting (past, or planned at most one year ahead)' })
  heldOn: string;

  @Field({ description: 'e.g. "Kooperationstreffen Integrationsmanagement, Frühjahr 2026"' })
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title: string;

  @Field(() => String, { nullable: true, description: 'Where it takes place' })
  @IsOptional()
  @MaxLength(200)
  location?: string | null;

  @Field(() => [ID], { nullable: true, description: `Organisations that took part (at most ${MAX_PARTICIPANTS}); none when omitted` })
  @IsOptional()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  participantIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Minutes (Protokoll), plain text; no personal data of clients' })
  @IsOptional()
  @MaxLength(50_000)
  minutes?: string | null;

  @Field(() => [String], { nullable: true, description: `Decisions taken (Beschlüsse), in order (at most ${MAX_DECISIONS}); none when omitted` })
  @IsOptional()
  @ArrayMaxSize(MAX_DECISIONS)
  @MaxLength(2000, { each: true })
  @Matches(NOT_BLANK, { each: true, message: 'a decision must not be blank' })
  decisions?: string[] | null;
}

@InputType({ description: 'Changes a cooperation meeting, guarded by expectedVersion; omitted (or null) fields stay as they are unless said otherwise' })
export class UpdateCooperationMeetingInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; the change is refused with CONFLICT if the meeting changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'At most one year ahead, and not after the first day of a standard adopted at the meeting' })
  heldOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'null removes the location' })
  @IsOptional()
  @MaxLength(200)
  location?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the participants' })
  @IsOptional()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  participantIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Replaces the minutes; null removes them' })
  @IsOptional()
  @MaxLength(50_000)
  minutes?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the decisions' })
  @IsOptional()
  @ArrayMaxSize(MAX_DECISIONS)
  @MaxLength(2000, { each: true })
  @Matches(NOT_BLANK, { each: true, message: 'a decision must not be blank' })
  decisions?: string[] | null;
}

@InputType({ description: 'A standard adopted at a cooperation meeting' })
export class AdoptStandardInput {
  @Field(() => ID, { description: 'The district; you must be one of its coordinators' })
  districtId: string;

  @Field(() => ID, { description: 'The meeting of this district that adopted the standard, held on or before validFrom' })
  meetingId: string;

  @Field()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title: string;

  @Field({ description: 'What the standard means in practice' })
  @Length(1, 5000)
  @Matches(NOT_BLANK, { message: 'description must not be blank' })
  description: string;

  @Field(() => MetricKey)
  metric: MetricKey;

  @Field(() => Float, {
    description: 'Target value, at most 4 decimal places: between 0 and 1 for shares and rates (0.9 = 90 %), not negative for counts, days and ratios',
  })
  target: number;

  @Field(() => StandardDirection)
  direction: StandardDirection;

  @Field(() => LocalDateScalar, {
    description: 'First day; an open-ended standard of the district for the same metric that began earlier ends the day before',
  })
  validFrom: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive); open-ended when omitted' })
  validUntil?: string | null;
}

@InputType({ description: 'Ends a standard: sets its last day' })
export class RetireStandardInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; the change is refused with CONFLICT if the standard changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDateScalar, { description: 'Last day (inclusive) the standard applies; not before its first day' })
  validUntil: string;
}
