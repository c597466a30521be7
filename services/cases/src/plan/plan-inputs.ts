import { LocalDateScalar } from '@integration-graph/common';
import { Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GoalPriority, GoalStatus, LanguageLevel, LifeArea, MeasureResponsible, RecognitionStatus } from '../entities/enums';

/*
 * Inputs of the plan mutations. Conventions:
 * - Changing inputs: an omitted field stays as it is, null clears it (where it may be empty).
 * - Enum fields never have a GraphQL default (type-graphql would hand the enum's name to the resolver); the
 *   defaults are applied in code and documented on the field.
 */

@InputType({ description: 'German in one skill' })
export class SkillLevelInput {
  @Field(() => LanguageLevel)
  level: LanguageLevel;

  @Field(() => String, { nullable: true, description: 'The certificate, e.g. "telc Deutsch B1 (DTZ), 2025"; omit or null for an estimate' })
  @MaxLength(200)
  certificate?: string | null;
}

@InputType({ description: 'German per skill: an omitted skill stays as it is, null clears it' })
export class GermanSkillsInput {
  @Field(() => SkillLevelInput, { nullable: true })
  @ValidateNested()
  listening?: SkillLevelInput | null;

  @Field(() => SkillLevelInput, { nullable: true })
  @ValidateNested()
  reading?: SkillLevelInput | null;

  @Field(() => SkillLevelInput, { nullable: true })
  @ValidateNested()
  writing?: SkillLevelInput | null;

  @Field(() => SkillLevelInput, { nullable: true })
  @ValidateNested()
  speaking?: SkillLevelInput | null;
}

@InputType({
  description:
    'Changes the profile of an integration plan. Omitted fields stay as they are, null clears a field. ' +
    'Collect once: what the client record holds (name, nationalities, languages, arrival, residence, accommodation) is not asked again here.',
})
export class UpdatePlanProfileInput {
  @Field(() => ID)
  planId: string;

  @Field(() => Int, { description: 'The plan version you last read (IntegrationPlan.version); CONFLICT if the plan, a goal or a measure changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => Int, { nullable: true, description: 'Years of schooling, 0 to 30' })
  @Min(0)
  @Max(30)
  schoolingYears?: number | null;

  @Field(() => Int, { nullable: true, description: 'Highest level of schooling, ISCED 2011 level 0 to 8' })
  @Min(0)
  @Max(8)
  highestSchoolingIsced?: number | null;

  @Field(() => String, { nullable: true })
  @MaxLength(500)
  vocationalQualification?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(500)
  academicDegree?: string | null;

  @Field(() => RecognitionStatus, { nullable: true, description: 'Recognition of foreign qualifications (Anerkennung)' })
  recognitionStatus?: RecognitionStatus | null;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  workExperience?: string | null;

  @Field(() => GermanSkillsInput, { nullable: true, description: 'German per skill; null clears all four skills' })
  @ValidateNested()
  germanSkills?: GermanSkillsInput | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Languages besides German and besides those on the client record (Client.languages, e.g. the mother tongue), ISO 639; ' +
      'replaces the list, null clears it. German goes into germanSkills; a language the client record already holds is refused (rule "notOnClient").',
  })
  otherLanguages?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Driving licence classes, e.g. "B" or "B, C1" (or "foreign, not converted")' })
  @MaxLength(100)
  drivingLicence?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  strengths?: string | null;
}

@InputType({ description: 'Adds a goal (status OPEN) to an integration plan' })
export class AddGoalInput {
  @Field(() => ID)
  planId: string;

  @Field(() => Int, {
    description:
      'The plan version you last read (IntegrationPlan.version): the goal is added only if the plan has not changed since, otherwise CONFLICT. ' +
      'This also makes a retry safe: a repeated request conflicts instead of adding the goal twice.',
  })
  @Min(1)
  expectedPlanVersion: number;

  @Field(() => LifeArea)
  lifeArea: LifeArea;

  @Field({ description: 'What the client wants to reach, measurable, e.g. "B1 certificate (DTZ) by summer"' })
  @Length(1, 2000)
  description: string;

  @Field(() => GoalPriority, { nullable: true, description: 'Defaults to MEDIUM' })
  priority?: GoalPriority | null;

  @Field(() => LocalDateScalar, { nullable: true })
  targetDate?: string | null;
}

@InputType({
  description:
    'Changes a goal. Omitted fields stay as they are; targetDate may be cleared with null. Status: OPEN and IN_PROGRESS may change freely; ' +
    'ACHIEVED, PARTLY_ACHIEVED, NOT_ACHIEVED and DROPPED close the goal (closedOn = today) and are final: a closed goal changes only ' +
    'when it is reopened explicitly by setting status OPEN or IN_PROGRESS (which clears closedOn), in the same or an earlier request.',
})
export class UpdateGoalInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The goal version you last read (Goal.version); CONFLICT if the goal changed since. The plan version counts up as well.' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  @Length(1, 2000)
  description?: string | null;

  @Field(() => GoalPriority, { nullable: true })
  priority?: GoalPriority | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'null clears it' })
  targetDate?: string | null;

  @Field(() => GoalStatus, { nullable: true })
  status?: GoalStatus | null;
}

@InputType({ description: 'Adds a measure (Maßnahme) to an open goal' })
export class AddMeasureInput {
  @Field(() => ID)
  goalId: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Optional: the plan version you last read; when given, CONFLICT if the plan changed since (makes a retry safe). Omit to add regardless.',
  })
  @Min(1)
  expectedPlanVersion?: number | null;

  @Field()
  @Length(1, 2000)
  description: string;

  @Field(() => MeasureResponsible)
  responsible: MeasureResponsible;

  @Field(() => ID, { nullable: true, description: 'The partner organisation (partners subgraph) that carries it out: required for PARTNER, not allowed otherwise' })
  partnerOrganizationId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  dueOn?: string | null;
}

@InputType({
  description:
    'Changes a measure. Omitted fields stay as they are; partnerOrganizationId, dueOn and doneOn may be cleared with null. ' +
    'Measures of a closed goal cannot change until the goal is reopened.',
})
export class UpdateMeasureInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The measure version you last read (Measure.version); CONFLICT if it changed since. The plan version counts up as well.' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  @Length(1, 2000)
  description?: string | null;

  @Field(() => MeasureResponsible, { nullable: true })
  responsible?: MeasureResponsible | null;

  @Field(() => ID, { nullable: true, description: 'Required when responsible is PARTNER, not allowed otherwise' })
  partnerOrganizationId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  dueOn?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'When it was done (not in the future); null: not done (again)' })
  doneOn?: string | null;
}

@InputType({ description: 'Records a plan review (Überprüfung des Integrationsplans) as one revision' })
export class RecordPlanReviewInput {
  @Field(() => ID)
  planId: string;

  @Field(() => Int, { description: 'The plan version you last read; CONFLICT if the plan changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Day of the review; defaults to today; not in the future, not before the last review or the opening of the case' })
  reviewedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'What the review found, kept in the revision' })
  @MaxLength(2000)
  note?: string | null;
}
