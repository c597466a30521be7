import { IsOptional, Length, Matches, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { CaseStatus } from '../entities/case-status';

@InputType({ description: 'Filters for the caseload; all given filters must match' })
export class CaseFilter {
  @Field(() => [CaseStatus], { nullable: true, description: 'Only cases in these statuses' })
  statuses?: CaseStatus[];
}

@InputType({ description: 'Opens a counselling case for your organisation' })
export class OpenCaseInput {
  @Field(() => Date, { nullable: true, description: 'When counselling started; defaults to now; not in the future' })
  openedAt?: Date;

  @Field({
    nullable: true,
    description: 'A key you choose per case you open (e.g. a UUID). Sending the same key again returns the case opened the first time instead of a duplicate.',
  })
  @IsOptional()
  @Length(8, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'idempotencyKey may contain letters, digits and . _ : - only' })
  idempotencyKey?: string;
}

@InputType({ description: 'Moves a case to another status' })
export class ChangeCaseStatusInput {
  @Field(() => ID)
  id: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => Int, { description: 'The version you last read; the change is refused with CONFLICT if the case changed since' })
  @Min(1)
  expectedVersion: number;
}
