import { byKeys, ConnectionResult, groupByKeys, invalidInput, isUuid, LoaderFactory, RequestContext } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { LifeArea } from '../entities/enums';
import { Goal } from '../entities/goal';
import { IntegrationPlan } from '../entities/integration-plan';
import { Measure } from '../entities/measure';
import { PlanRevision } from '../entities/plan-revision';

/*
 * Per-request DataLoaders of the integration plan: a page of N cases with their plans, goals and measures costs
 * one SELECT per table whatever N is. Row-level security decides what the caller sees.
 */

/** The plan of each case. */
export const planByCase: LoaderFactory<string, IntegrationPlan | null> = (context) =>
  new DataLoader(async (caseIds) => {
    const manager = await context.tx.manager();
    return byKeys(caseIds, await manager.find(IntegrationPlan, { where: { caseId: In(caseIds.filter(isUuid)) } }), (row) => row.caseId);
  });

export const planById: LoaderFactory<string, IntegrationPlan | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(IntegrationPlan, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

const LIFE_AREA_ORDER = new Map(Object.values(LifeArea).map((area, index) => [area, index]));

/** Goals of each plan in life-area order (as LifeArea lists them), then oldest first. */
export const goalsByPlan: LoaderFactory<string, Goal[]> = (context) =>
  new DataLoader(async (planIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Goal, { where: { planId: In(planIds.filter(isUuid)) }, order: { createdAt: 'ASC', id: 'ASC' } });
    rows.sort((a, b) => (LIFE_AREA_ORDER.get(a.lifeArea) ?? 99) - (LIFE_AREA_ORDER.get(b.lifeArea) ?? 99)); // stable: keeps created order
    return groupByKeys(planIds, rows, (row) => row.planId);
  });

export const goalById: LoaderFactory<string, Goal | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(Goal, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

/** Measures of each goal: by due date (those without one last), then oldest first. */
export const measuresByGoal: LoaderFactory<string, Measure[]> = (context) =>
  new DataLoader(async (goalIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Measure, {
      where: { goalId: In(goalIds.filter(isUuid)) },
      order: { dueOn: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC', id: 'ASC' },
    });
    return groupByKeys(goalIds, rows, (row) => row.goalId);
  });

// ------------------------------------------------------------------------------------------- revision history

/** A page of one plan's revisions: `first` revisions numbered below `beforeRevision` (null: from the newest). */
export interface RevisionPageKey {
  planId: string;
  first: number;
  beforeRevision: number | null;
}

function encodeRevisionCursor(revision: PlanRevision): string {
  return Buffer.from(JSON.stringify([revision.revision, revision.id])).toString('base64url');
}

/** The revision number in a cursor of IntegrationPlan.revisions (same shape as the other connections' cursors). */
export function decodeRevisionCursor(cursor: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && Number.isInteger(decoded[0]) && decoded[0] > 0 && typeof decoded[1] === 'string') return decoded[0];
  } catch {
    // fall through
  }
  throw invalidInput('after', 'validCursor', 'not a cursor returned by this list; use pageInfo.endCursor of the previous page');
}

interface RevisionRow {
  ord: number;
  total: number;
  id: string | null;
  owner_organization_id: string;
  plan_id: string;
  case_id: string;
  revision: number;
  author_user_id: string;
  created_at: Date;
  summary: string;
  changes: PlanRevision['changes'];
}

/**
 * Pages of the history of many plans (newest first) in one statement, each with its own page size and cursor:
 * the revisions are numbered 1, 2, 3, ... per plan, so the revision number is the keyset.
 */
export const revisionPages: LoaderFactory<RevisionPageKey, ConnectionResult<PlanRevision>> = (context) =>
  new DataLoader(
    async (keys) => {
      const manager = await context.tx.manager();
      const rows: RevisionRow[] = await manager.query(
        `SELECT k.ord::int AS ord, t.total::int AS total, r.*
           FROM unnest($1::uuid[], $2::int[], $3::int[]) WITH ORDINALITY AS k(plan_id, before_revision, take, ord)
           CROSS JOIN LATERAL (SELECT count(*) AS total FROM plan_revisions c WHERE c.plan_id = k.plan_id) t
           LEFT JOIN LATERAL (SELECT pr.* FROM plan_revisions pr
                               WHERE pr.plan_id = k.plan_id AND pr.revision < k.before_revision
                               ORDER BY pr.revision DESC LIMIT k.take) r ON true
          ORDER BY k.ord, r.revision DESC`,
        [keys.map((k) => k.planId), keys.map((k) => k.beforeRevision ?? 2_147_483_647), keys.map((k) => k.first + 1)],
      );
      return keys.map((key, index) => {
        const own = rows.filter((row) => row.ord === index + 1);
        const revisions = own
          .filter((row) => row.id !== null)
          .map((row) =>
            Object.assign(new PlanRevision(), {
              id: row.id!,
              ownerOrganizationId: row.owner_organization_id,
              planId: row.plan_id,
              caseId: row.case_id,
              revision: row.revision,
              authorUserId: row.author_user_id,
              createdAt: row.created_at,
              summary: row.summary,
              changes: row.changes,
            }),
          );
        const page = revisions.slice(0, key.first);
        const edges = page.map((node) => ({ node, cursor: encodeRevisionCursor(node) }));
        return {
          edges,
          totalCount: own[0]?.total ?? 0,
          pageInfo: { hasNextPage: revisions.length > key.first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
        };
      });
    },
    { cacheKeyFn: (key) => `${key.planId}:${key.first}:${key.beforeRevision ?? ''}` },
  );

/** After a change: forget what this request's loaders remember about the plan, so later fields read it anew. */
export function forgetPlan(context: RequestContext, plan: { id: string; caseId: string }, goalId?: string): void {
  context.loaders.get(planById).clear(plan.id);
  context.loaders.get(planByCase).clear(plan.caseId);
  context.loaders.get(goalsByPlan).clear(plan.id);
  context.loaders.get(revisionPages).clearAll();
  if (goalId) {
    context.loaders.get(goalById).clear(goalId);
    context.loaders.get(measuresByGoal).clear(goalId);
  }
}
