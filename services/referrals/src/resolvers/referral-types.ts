import { LanguageLevel } from '@integration-graph/common';
import { IsOptional, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '@integration-graph/common';
import { CancellationReason, DeclineReason, FailureReason, LifeArea, OutcomeCode, Urgency } from '../entities/enums';

@ObjectType({ description: 'What came of a completed referral (the loop is closed only with an outcome)' })
export class ReferralOutcome {
  @Field(() => OutcomeCode)
  code: OutcomeCode;

  @Field(() => LanguageLevel, { nullable: true })
  levelReached?: LanguageLevel | null;

  @Field(() => String, { nullable: true })
  certificate?: string | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType({ description: 'Sends a referral of a case to a partner organisation' })
export class SendReferralInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => ID, { description: 'The receiving partner organisation' })
  partnerOrganizationId: string;

  @Field(() => ID, { nullable: true, description: 'A specific offering of the partner, e.g. a language course' })
  offeringId?: string;

  @Field(() => LifeArea)
  lifeArea: LifeArea;

  @Field(() => ID, { nullable: true, description: 'The goal of the integration plan the referral serves' })
  goalId?: string;

  @Field({ description: 'Why the client is referred' })
  @Length(3, 2000)
  reason: string;

  @Field(() => Urgency, { nullable: true, description: 'Default ROUTINE' })
  urgency?: Urgency;

  @Field(() => LocalDateScalar, { nullable: true })
  requestedStart?: string;

  @Field({ description: 'A key you choose per referral; retrying with it returns the referral sent the first time (same payload) or an error (different payload)' })
  @Length(8, 100)
  idempotencyKey: string;
}

@InputType({ description: 'A lifecycle step: the referral, the version you last read, and a comment for the history' })
export class ReferralStepInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 2000)
  comment?: string;
}

@InputType()
export class DeclineReferralInput extends ReferralStepInput {
  @Field(() => DeclineReason)
  reason: DeclineReason;
}

@InputType()
export class FailReferralInput extends ReferralStepInput {
  @Field(() => FailureReason)
  reason: FailureReason;
}

@InputType()
export class CancelReferralInput extends ReferralStepInput {
  @Field(() => CancellationReason)
  reason: CancellationReason;
}

@InputType()
export class WaitlistReferralInput extends ReferralStepInput {
  @Field(() => Int, { description: 'Position on the waiting list' })
  @Min(1)
  @Max(10000)
  position: number;

  @Field(() => LocalDateScalar, { nullable: true })
  expectedStart?: string;
}

@InputType()
export class ScheduleReferralInput extends ReferralStepInput {
  @Field(() => LocalDateScalar, { description: 'When the client starts' })
  start: string;
}

@InputType({ description: 'The outcome that closes the loop' })
export class OutcomeInput {
  @Field(() => OutcomeCode)
  code: OutcomeCode;

  @Field(() => LanguageLevel, { nullable: true, description: 'Required for LEVEL_REACHED and CERTIFICATE' })
  levelReached?: LanguageLevel;

  @Field({ nullable: true, description: 'Required for CERTIFICATE, e.g. "DTZ B1"' })
  @IsOptional()
  @Length(1, 200)
  certificate?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 2000)
  note?: string;
}

@InputType()
export class CompleteReferralInput extends ReferralStepInput {
  @Field(() => OutcomeInput)
  outcome: OutcomeInput;
}
