import { ConnectionArgs, ConnectionResult, invalidInput, RequestContext } from '@integration-graph/common';
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { loadCaseForChange, requireCaseStaff } from '../auth/case-access';
import { Case } from '../entities/case';
import { CaseStatus } from '../entities/case-status';
import { GoalStatus, LifeArea } from '../entities/enums';
import { Goal } from '../entities/goal';
import { IntegrationPlan } from '../entities/integration-plan';
import { PlanChange, PlanRevision } from '../entities/plan-revision';
import { caseById, clientById } from '../loaders/case-loaders';
import { decodeRevisionCursor, forgetPlan, goalsByPlan, planByCase, revisionPages } from '../loaders/plan-loaders';
import { PlanWork, recordPlanReview, updatePlanProfile } from '../plan/plan-changes';
import { RecordPlanReviewInput, UpdatePlanProfileInput } from '../plan/plan-inputs';
import { GermanSkillsType, LifeAreaCount, PlanFieldChange, PlanRevisionConnection } from '../plan/plan-types';
import { todayInGermany } from '../validation';
import { refuseChangeIfRestricted } from '../rights/restriction';

/** What a plan mutation works with: case staff only; the case must be visible (RLS) and open. */
export async function planWork(context: RequestContext, action: string): Promise<PlanWork> {
  const caller = requireCaseStaff(context, action);
  const manager = await context.tx.manager();
  return {
    manager,
    userId: caller.userId,
    today: todayInGermany(),
    async openCase(field, caseId) {
      const theCase = await loadCaseForChange(context, field, caseId, { open: true });
      // Hold the case row (FOR SHARE) until the change commits: a concurrent closeCase waits for it, and one that
      // committed in the meantime is seen here, so no goal of a closed case changes.
      const [row] = await manager.query(`SELECT status FROM cases WHERE id = $1 FOR SHARE`, [theCase.id]);
      if (!row || row.status === CaseStatus.CLOSED) {
        throw invalidInput(field, 'caseOpen', 'the case is closed; reopen it as a new case if counselling starts again');
      }
      return theCase;
    },
  };
}

const OPEN_GOAL_STATUSES: readonly GoalStatus[] = [GoalStatus.OPEN, GoalStatus.IN_PROGRESS];

@Resolver(() => Case)
export class CasePlanResolver {
  @FieldResolver(() => IntegrationPlan, { nullable: true, description: 'The living integration plan of the case (every case opened here has one)' })
  plan(@Root() theCase: Case, @Ctx() context: RequestContext): Promise<IntegrationPlan | null> {
    // The plan's fields that need the case (reviewOverdue, clientLanguages) find it without another SELECT.
    context.loaders.get(caseById).prime(theCase.id, theCase);
    return context.loaders.get(planByCase).load(theCase.id);
  }
}

@Resolver(() => IntegrationPlan)
export class IntegrationPlanResolver {
  @FieldResolver(() => Case, { description: 'The case this plan belongs to' })
  async case(@Root() plan: IntegrationPlan, @Ctx() context: RequestContext): Promise<Case> {
    const theCase = await context.loaders.get(caseById).load(plan.caseId);
    if (!theCase) throw new Error(`case ${plan.caseId} of plan ${plan.id} is not visible`);
    return theCase;
  }

  @FieldResolver(() => GermanSkillsType, { description: 'German per skill (CEFR), with certificates' })
  germanSkills(@Root() plan: IntegrationPlan): GermanSkillsType {
    return plan.germanSkills ?? {};
  }

  @FieldResolver(() => [String], {
    description:
      'The languages on the client record (Client.languages, ISO 639), collected once there and not asked again in the plan; otherLanguages lists further ones',
  })
  async clientLanguages(@Root() plan: IntegrationPlan, @Ctx() context: RequestContext): Promise<string[]> {
    const theCase = await context.loaders.get(caseById).load(plan.caseId);
    const client = theCase?.clientId ? await context.loaders.get(clientById).load(theCase.clientId) : null;
    return client?.languages ?? [];
  }

  @FieldResolver(() => Boolean, { description: 'The case is not closed and the next review was due before today (in Germany)' })
  async reviewOverdue(@Root() plan: IntegrationPlan, @Ctx() context: RequestContext): Promise<boolean> {
    const theCase = await context.loaders.get(caseById).load(plan.caseId);
    return theCase?.status !== CaseStatus.CLOSED && plan.nextReviewDue < todayInGermany();
  }

  @FieldResolver(() => [Goal], { description: 'The goals, by life area (in the order of LifeArea), then oldest first' })
  async goals(
    @Root() plan: IntegrationPlan,
    @Arg('status', () => [GoalStatus], { nullable: true, description: 'Only goals in these statuses' }) status: GoalStatus[] | undefined,
    @Arg('lifeArea', () => LifeArea, { nullable: true, description: 'Only goals in this life area' }) lifeArea: LifeArea | undefined,
    @Ctx() context: RequestContext,
  ): Promise<Goal[]> {
    const goals = await context.loaders.get(goalsByPlan).load(plan.id);
    return goals.filter((goal) => (!status?.length || status.includes(goal.status)) && (!lifeArea || goal.lifeArea === lifeArea));
  }

  @FieldResolver(() => [LifeAreaCount], { description: 'Open goals (OPEN or IN_PROGRESS) per life area, only areas that have some, in the order of LifeArea' })
  async openGoalsByLifeArea(@Root() plan: IntegrationPlan, @Ctx() context: RequestContext): Promise<LifeAreaCount[]> {
    const counts = new Map<LifeArea, number>();
    for (const goal of await context.loaders.get(goalsByPlan).load(plan.id)) {
      if (OPEN_GOAL_STATUSES.includes(goal.status)) counts.set(goal.lifeArea, (counts.get(goal.lifeArea) ?? 0) + 1);
    }
    return Object.values(LifeArea)
      .filter((area) => counts.has(area))
      .map((area) => ({ lifeArea: area, count: counts.get(area)! }));
  }

  @FieldResolver(() => PlanRevisionConnection, { description: 'The history of the plan (Fortschreibungen), newest first: who changed what, when' })
  revisions(@Root() plan: IntegrationPlan, @Args() page: ConnectionArgs, @Ctx() context: RequestContext): Promise<ConnectionResult<PlanRevision>> {
    const beforeRevision = page.after ? decodeRevisionCursor(page.after) : null;
    return context.loaders.get(revisionPages).load({ planId: plan.id, first: page.first, beforeRevision });
  }

  @Mutation(() => IntegrationPlan, {
    description:
      'Changes the profile of an integration plan (omitted fields stay, null clears) as one revision listing the changed fields. ' +
      'Guarded by the plan version (expectedVersion); a change that changes nothing records nothing and keeps the version.',
  })
  async updatePlanProfile(@Arg('input', () => UpdatePlanProfileInput) input: UpdatePlanProfileInput, @Ctx() context: RequestContext): Promise<IntegrationPlan> {
    const work = await planWork(context, 'change integration plans');
    await refuseChangeIfRestricted(context, 'IntegrationPlan', 'input.planId', input.planId);
    const plan = await updatePlanProfile(work, input);
    forgetPlan(context, plan);
    return plan;
  }

  @Mutation(() => IntegrationPlan, {
    description:
      'Records a plan review as one revision: lastReviewedOn = reviewedOn, nextReviewDue = reviewedOn + the program’s review interval ' +
      '(CounsellingProgram.reviewIntervalMonths, six months). Guarded by the plan version (expectedVersion).',
  })
  async recordPlanReview(@Arg('input', () => RecordPlanReviewInput) input: RecordPlanReviewInput, @Ctx() context: RequestContext): Promise<IntegrationPlan> {
    const work = await planWork(context, 'review integration plans');
    await refuseChangeIfRestricted(context, 'IntegrationPlan', 'input.planId', input.planId);
    const plan = await recordPlanReview(work, input);
    forgetPlan(context, plan);
    return plan;
  }
}

@Resolver(() => PlanRevision)
export class PlanRevisionResolver {
  @FieldResolver(() => [PlanFieldChange], { description: 'The changed fields with their values before and after (the same as changes, typed)' })
  changedFields(@Root() revision: PlanRevision): PlanChange[] {
    return revision.changes ?? [];
  }
}
