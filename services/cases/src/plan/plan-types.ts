import { connectionType } from '@integration-graph/common';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LanguageLevel, LifeArea } from '../entities/enums';
import { PlanRevision } from '../entities/plan-revision';

/** German at one skill: CEFR level and the certificate that shows it, if any. */
@ObjectType('SkillLevel', { description: 'A CEFR level in one skill, with the certificate that shows it (if any)' })
export class SkillLevelType {
  @Field(() => LanguageLevel)
  level: LanguageLevel;

  @Field(() => String, { nullable: true, description: 'The certificate, e.g. "telc Deutsch B1 (DTZ), 2025"; null if the level is an estimate' })
  certificate?: string | null;
}

/** German per skill; a skill not yet assessed is null. Other languages are on the client (and IntegrationPlan.otherLanguages). */
@ObjectType('GermanSkills', { description: 'German per skill (CEFR A1 to C2); null where not assessed yet' })
export class GermanSkillsType {
  @Field(() => SkillLevelType, { nullable: true, description: 'Hören' })
  listening?: SkillLevelType | null;

  @Field(() => SkillLevelType, { nullable: true, description: 'Lesen' })
  reading?: SkillLevelType | null;

  @Field(() => SkillLevelType, { nullable: true, description: 'Schreiben' })
  writing?: SkillLevelType | null;

  @Field(() => SkillLevelType, { nullable: true, description: 'Sprechen' })
  speaking?: SkillLevelType | null;
}

@ObjectType({ description: 'How many open goals (OPEN or IN_PROGRESS) a plan has in one life area' })
export class LifeAreaCount {
  @Field(() => LifeArea)
  lifeArea: LifeArea;

  @Field(() => Int)
  count: number;
}

/** What a revision changed: the plan itself, one of its goals or one of their measures. */
export enum PlanChangeTarget {
  PLAN = 'plan',
  GOAL = 'goal',
  MEASURE = 'measure',
}
registerEnumType(PlanChangeTarget, { name: 'PlanChangeTarget', description: 'The part of the plan a change concerns' });

@ObjectType({ description: 'One changed field in a plan revision, with its value before and after' })
export class PlanFieldChange {
  @Field(() => PlanChangeTarget)
  entity: PlanChangeTarget;

  @Field(() => ID, { description: 'Id of the plan, goal or measure' })
  id: string;

  @Field({ description: 'The field that changed, named as in the mutation inputs, e.g. "status", "germanSkills.speaking", "partnerOrganizationId"; a review adds "reviewNote"' })
  field: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Value before (null: not set); enum values as in GraphQL, e.g. "IN_PROGRESS"' })
  before: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Value after (null: cleared)' })
  after: unknown;
}

/** The history of a plan, newest first. */
export const PlanRevisionConnection = connectionType('PlanRevision', PlanRevision);
