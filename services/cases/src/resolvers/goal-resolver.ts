import { RequestContext } from '@integration-graph/common';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Goal } from '../entities/goal';
import { IntegrationPlan } from '../entities/integration-plan';
import { Measure } from '../entities/measure';
import { forgetPlan, measuresByGoal, planById } from '../loaders/plan-loaders';
import { addGoal, updateGoal } from '../plan/plan-changes';
import { AddGoalInput, UpdateGoalInput } from '../plan/plan-inputs';
import { planWork } from './plan-resolver';
import { refuseChangeIfRestricted } from '../rights/restriction';

@Resolver(() => Goal)
export class GoalResolver {
  @FieldResolver(() => [Measure], { description: 'The measures towards the goal, by due date (those without one last), then oldest first' })
  measures(@Root() goal: Goal, @Ctx() context: RequestContext): Promise<Measure[]> {
    return context.loaders.get(measuresByGoal).load(goal.id);
  }

  @FieldResolver(() => IntegrationPlan, { description: 'The plan the goal belongs to (its version counts up with every change of the goal)' })
  async plan(@Root() goal: Goal, @Ctx() context: RequestContext): Promise<IntegrationPlan> {
    const plan = await context.loaders.get(planById).load(goal.planId);
    if (!plan) throw new Error(`plan ${goal.planId} of goal ${goal.id} is not visible`);
    return plan;
  }

  @Mutation(() => Goal, {
    description:
      'Adds a goal (status OPEN, priority MEDIUM unless given) to the plan of an open case, as one revision. ' +
      'Guarded by the plan version (expectedPlanVersion), which counts up.',
  })
  async addGoal(@Arg('input', () => AddGoalInput) input: AddGoalInput, @Ctx() context: RequestContext): Promise<Goal> {
    const work = await planWork(context, 'change integration plans');
    await refuseChangeIfRestricted(context, 'IntegrationPlan', 'input.planId', input.planId);
    const goal = await addGoal(work, input);
    forgetPlan(context, { id: goal.planId, caseId: goal.caseId }, goal.id);
    return goal;
  }

  @Mutation(() => Goal, {
    description:
      'Changes a goal as one revision, guarded by the goal’s own version (expectedVersion); the plan version counts up as well. ' +
      'Closing statuses (ACHIEVED, PARTLY_ACHIEVED, NOT_ACHIEVED, DROPPED) set closedOn to today and are final until the goal is ' +
      'reopened explicitly with status OPEN or IN_PROGRESS. A change that changes nothing records nothing.',
  })
  async updateGoal(@Arg('input', () => UpdateGoalInput) input: UpdateGoalInput, @Ctx() context: RequestContext): Promise<Goal> {
    const work = await planWork(context, 'change integration plans');
    await refuseChangeIfRestricted(context, 'Goal', 'input.id', input.id);
    const goal = await updateGoal(work, input);
    forgetPlan(context, { id: goal.planId, caseId: goal.caseId }, goal.id);
    return goal;
  }
}
