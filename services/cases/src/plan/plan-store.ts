import { notFound, requireUuid, updateWithVersion } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { Case } from '../entities/case';
import { IntegrationPlan } from '../entities/integration-plan';
import { PlanChange, PlanRevision } from '../entities/plan-revision';
import { CounsellingProgram } from '../entities/program';
import { addMonths } from '../validation';

/**
 * Appends the next revision of a plan. Call it while holding the plan row locked (SELECT ... FOR UPDATE, or after
 * an UPDATE of the plan in the same transaction), so that revision numbers have no gaps and no duplicates.
 */
export async function appendRevision(
  manager: EntityManager,
  plan: Pick<IntegrationPlan, 'id' | 'caseId' | 'ownerOrganizationId'>,
  authorUserId: string,
  summary: string,
  changes: PlanChange[],
): Promise<PlanRevision> {
  const [{ next }] = await manager.query(`SELECT COALESCE(MAX(revision), 0) + 1 AS next FROM plan_revisions WHERE plan_id = $1`, [plan.id]);
  return manager.save(
    manager.create(PlanRevision, {
      ownerOrganizationId: plan.ownerOrganizationId,
      planId: plan.id,
      caseId: plan.caseId,
      revision: Number(next),
      authorUserId,
      summary,
      changes,
    }),
  );
}

/**
 * Locks a plan row for the rest of the transaction (SELECT ... FOR UPDATE) and returns it as it is now. Every change
 * of a plan, its goals or measures takes this lock first, so changes of one plan run one after the other and their
 * revision numbers have no gaps. NOT_FOUND (naming nothing more) when the plan is not visible to the caller.
 */
export async function lockPlan(manager: EntityManager, field: string, planId: string): Promise<IntegrationPlan> {
  const plan = await manager
    .createQueryBuilder(IntegrationPlan, 'p')
    .setLock('pessimistic_write')
    .where('p.id = :id', { id: requireUuid(field, planId) })
    .getOne();
  if (!plan) throw notFound('IntegrationPlan', planId);
  return plan;
}

/** Counts the plan's version up after a change of a goal or measure (the caller holds the plan lock). */
export async function bumpPlanVersion(manager: EntityManager, plan: IntegrationPlan): Promise<IntegrationPlan> {
  return updateWithVersion(manager, IntegrationPlan, 'IntegrationPlan', plan.id, plan.version, { updatedAt: () => 'now()' });
}

/** The empty plan of a newly opened case, with its first revision; the first review is due after the interval. */
export async function createPlan(manager: EntityManager, theCase: Case, program: CounsellingProgram, authorUserId: string, openedOn: string): Promise<IntegrationPlan> {
  const plan = await manager.save(
    manager.create(IntegrationPlan, {
      ownerOrganizationId: theCase.ownerOrganizationId,
      caseId: theCase.id,
      germanSkills: {},
      otherLanguages: [],
      nextReviewDue: addMonths(openedOn, program.reviewIntervalMonths),
    }),
  );
  await appendRevision(manager, plan, authorUserId, 'Plan created', [{ entity: 'plan', id: plan.id, field: 'created', before: null, after: openedOn }]);
  return plan;
}
