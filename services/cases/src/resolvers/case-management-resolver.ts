import { invalidInput, LocalDateScalar, RequestContext, requireRole, Role, updateWithVersion } from '@integration-graph/common';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { loadCaseForChange, requireCaseStaff } from '../auth/case-access';
import { Case } from '../entities/case';
import { CaseAssignment } from '../entities/case-assignment';
import { CaseStatus } from '../entities/case-status';
import { ClosureReason } from '../entities/enums';
import { CounsellingProgram } from '../entities/program';
import { addMonths, todayInGermany } from '../validation';

@InputType({ description: 'Who works on a case' })
export class AssignCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => [String], { description: 'User ids of the integration managers; replaces the current assignment' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  userIds: string[];
}

@InputType({ description: 'Restricts a case to its assigned integration managers (and the leads), or lifts the restriction' })
export class RestrictCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field()
  restricted: boolean;
}

@InputType({ description: 'Extends the counselling period in a justified case (up to the program’s maximum, four years)' })
export class ExtendPeriodInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDateScalar, { description: 'The new last day of counselling' })
  until: string;

  @Field({ description: 'Why the extension is justified; recorded with the case' })
  @Length(10, 1000)
  reason: string;
}

@InputType({ description: 'Ends counselling with a reason' })
export class CloseCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => ClosureReason)
  reason: ClosureReason;

  @Field({ nullable: true, description: 'Required for OTHER' })
  @IsOptional()
  @Length(1, 1000)
  note?: string;
}

@Resolver(() => Case)
export class CaseManagementResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Days until the counselling period ends (negative when it has ended); null for closed cases' })
  periodEndsInDays(@Root() theCase: Case): number | null {
    if (theCase.status === CaseStatus.CLOSED) return null;
    return Math.round((Date.parse(theCase.periodEndsOn) - Date.parse(todayInGermany())) / 86_400_000);
  }

  @Mutation(() => Case, { description: 'Assigns integration managers to a case, replacing the current ones (leads only)' })
  async assignCase(@Arg('input', () => AssignCaseInput) input: AssignCaseInput, @Ctx() context: RequestContext): Promise<Case> {
    const caller = requireRole(context.principal, [Role.Lead], 'assign cases');
    const current = await loadCaseForChange(context, 'input.caseId', input.caseId);
    const manager = await context.tx.manager();
    const updated = await updateWithVersion(manager, Case, 'Case', current.id, input.expectedVersion, { updatedAt: new Date() });
    await manager.delete(CaseAssignment, { caseId: current.id });
    for (const userId of [...new Set(input.userIds.map((id) => id.trim()))]) {
      if (!userId) throw invalidInput('input.userIds', 'isNotEmpty', 'user ids must not be empty');
      await manager.insert(CaseAssignment, { caseId: current.id, userId, ownerOrganizationId: current.ownerOrganizationId, assignedAt: new Date(), assignedBy: caller.userId });
    }
    return updated;
  }

  @Mutation(() => Case, { description: 'Restricts a case to its assigned integration managers and the leads, or lifts that (leads only)' })
  async restrictCase(@Arg('input', () => RestrictCaseInput) input: RestrictCaseInput, @Ctx() context: RequestContext): Promise<Case> {
    requireRole(context.principal, [Role.Lead], 'restrict cases');
    const current = await loadCaseForChange(context, 'input.caseId', input.caseId);
    return updateWithVersion(await context.tx.manager(), Case, 'Case', current.id, input.expectedVersion, { restrictedToAssigned: input.restricted });
  }

  @Mutation(() => Case, { description: 'Extends the counselling period with a recorded reason, up to the program’s maximum' })
  async extendCounsellingPeriod(@Arg('input', () => ExtendPeriodInput) input: ExtendPeriodInput, @Ctx() context: RequestContext): Promise<Case> {
    requireCaseStaff(context, 'extend counselling periods');
    const current = await loadCaseForChange(context, 'input.caseId', input.caseId, { open: true });
    const manager = await context.tx.manager();
    const program = await manager.findOneByOrFail(CounsellingProgram, { id: current.programId });
    const openedOn = todayInGermany(current.openedAt);
    const limit = addMonths(openedOn, program.maximumMonths);
    if (input.until <= current.periodEndsOn) {
      throw invalidInput('input.until', 'afterCurrentEnd', `the period already runs until ${current.periodEndsOn}`);
    }
    if (input.until > limit) {
      throw invalidInput('input.until', 'withinMaximum', `at most ${program.maximumMonths / 12} years after opening: ${limit} (${program.name})`);
    }
    return updateWithVersion(manager, Case, 'Case', current.id, input.expectedVersion, { periodEndsOn: input.until, extensionReason: input.reason.trim() });
  }

  @Mutation(() => Case, { description: 'Closes a case with a reason (OTHER needs a note); a closed case stays closed' })
  async closeCase(@Arg('input', () => CloseCaseInput) input: CloseCaseInput, @Ctx() context: RequestContext): Promise<Case> {
    requireCaseStaff(context, 'close cases');
    const current = await loadCaseForChange(context, 'input.caseId', input.caseId, { open: true });
    if (input.reason === ClosureReason.OTHER && !input.note?.trim()) throw invalidInput('input.note', 'requiredForOther', 'say why when the reason is OTHER');
    return updateWithVersion(await context.tx.manager(), Case, 'Case', current.id, input.expectedVersion, {
      status: CaseStatus.CLOSED,
      closedAt: new Date(),
      closureReason: input.reason,
      closureNote: input.note?.trim() ?? null,
    });
  }
}
