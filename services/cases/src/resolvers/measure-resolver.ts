import { EntityReference, RequestContext } from '@integration-graph/common';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Goal } from '../entities/goal';
import { Measure } from '../entities/measure';
import { Organization } from '../entities/organization';
import { forgetPlan, goalById } from '../loaders/plan-loaders';
import { addMeasure, updateMeasure } from '../plan/plan-changes';
import { AddMeasureInput, UpdateMeasureInput } from '../plan/plan-inputs';
import { todayInGermany } from '../validation';
import { planWork } from './plan-resolver';
import { refuseChangeIfRestricted } from '../rights/restriction';

@Resolver(() => Measure)
export class MeasureResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The partner organisation that carries out the measure (responsible PARTNER)' })
  partnerOrganization(@Root() measure: Measure): EntityReference | null {
    return measure.partnerOrganizationId ? { id: measure.partnerOrganizationId } : null;
  }

  @FieldResolver(() => Goal, { description: 'The goal the measure works towards' })
  async goal(@Root() measure: Measure, @Ctx() context: RequestContext): Promise<Goal> {
    const goal = await context.loaders.get(goalById).load(measure.goalId);
    if (!goal) throw new Error(`goal ${measure.goalId} of measure ${measure.id} is not visible`);
    return goal;
  }

  @FieldResolver(() => Boolean, { description: 'Not done and the due date was before today (in Germany)' })
  isOverdue(@Root() measure: Measure): boolean {
    return !measure.doneOn && !!measure.dueOn && measure.dueOn < todayInGermany();
  }

  @Mutation(() => Measure, {
    description:
      'Adds a measure to an open goal as one revision. PARTNER measures name the partner organisation, the others none. ' +
      'The plan version counts up; give expectedPlanVersion to have the addition refused with CONFLICT if the plan changed since.',
  })
  async addMeasure(@Arg('input', () => AddMeasureInput) input: AddMeasureInput, @Ctx() context: RequestContext): Promise<Measure> {
    const work = await planWork(context, 'change integration plans');
    await refuseChangeIfRestricted(context, 'Goal', 'input.goalId', input.goalId);
    const measure = await addMeasure(work, input);
    const goal = await context.loaders.get(goalById).load(measure.goalId);
    if (goal) forgetPlan(context, { id: goal.planId, caseId: goal.caseId }, goal.id);
    return measure;
  }

  @Mutation(() => Measure, {
    description:
      'Changes a measure (e.g. marks it done with doneOn) as one revision, guarded by the measure’s own version (expectedVersion); ' +
      'the plan version counts up as well. Measures of a closed goal cannot change. A change that changes nothing records nothing.',
  })
  async updateMeasure(@Arg('input', () => UpdateMeasureInput) input: UpdateMeasureInput, @Ctx() context: RequestContext): Promise<Measure> {
    const work = await planWork(context, 'change integration plans');
    await refuseChangeIfRestricted(context, 'Measure', 'input.id', input.id);
    const measure = await updateMeasure(work, input);
    const goal = await context.loaders.get(goalById).load(measure.goalId);
    if (goal) forgetPlan(context, { id: goal.planId, caseId: goal.caseId }, goal.id);
    return measure;
  }
}
