import { IsOptional, Length, Matches, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { NewClientInput } from '../clients/client-input';
import { CaseStatus } from '../entities/case-status';

@InputType({ description: 'Why a lead opens a case although an eligibility rule failed' })
export class EligibilityOverrideInput {
  @Field({ description: 'The justification, recorded with the case' })
  @Length(10, 1000)
  reason: string;
}

@InputType({ description: 'Opens a counselling case for your organisation, for an existing or a new client' })
export class OpenCaseInput {
  @Field(() => ID, { nullable: true, description: 'An existing client of your organisation (give this or client)' })
  clientId?: string;

  @Field(() => NewClientInput, { nullable: true, description: 'A new client (give this or clientId)' })
  client?: NewClientInput;

  @Field(() => ID, { nullable: true, description: 'The municipality the client lives in (partners Municipality id)' })
  municipalityId?: string;

  @Field(() => Date, { nullable: true, description: 'When counselling started; defaults to now; not in the future' })
  openedAt?: Date;

  @Field(() => [String], { nullable: true, description: 'User ids of the integration managers to assign; defaults to you' })
  assignedUserIds?: string[];

  @Field(() => EligibilityOverrideInput, { nullable: true, description: 'Leads only: open although an eligibility rule failed' })
  eligibilityOverride?: EligibilityOverrideInput;

  @Field({
    nullable: true,
    description: 'A key you choose per case you open (e.g. a UUID). Sending the same key again returns the case opened the first time instead of a duplicate.',
  })
  @IsOptional()
  @Length(8, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'idempotencyKey may contain letters, digits and . _ : - only' })
  idempotencyKey?: string;
}

@InputType({ description: 'Moves a case to another status (closing needs closeCase, with a reason)' })
export class ChangeCaseStatusInput {
  @Field(() => ID)
  id: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => Int, { description: 'The version you last read; the change is refused with CONFLICT if the case changed since' })
  @Min(1)
  expectedVersion: number;
}
