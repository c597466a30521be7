import {
  ConnectionArgs,
  EntityReference,
  invalidInput,
  notFound,
  paginate,
  RequestContext,
  requireUuid,
  Role,
  updateWithVersion,
} from '@integration-graph/common';
import { Min } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { EntityManager } from 'typeorm';
import { CASE_STAFF, loadCaseForChange, requireCaseStaff } from '../auth/case-access';
import { insertClient, validateClientFields } from '../clients/client-input';
import { checkEligibility } from '../eligibility';
import { Case } from '../entities/case';
import { CaseAssignment } from '../entities/case-assignment';
import { CASE_STATUS_TRANSITIONS, CaseStatus } from '../entities/case-status';
import { Client } from '../entities/client';
import { LifeArea } from '../entities/enums';
import { Municipality } from '../entities/organization';
import { CounsellingProgram } from '../entities/program';
import { assignmentsByCase, caseById, clientById, programById } from '../loaders/case-loaders';
import { createPlan } from '../plan/plan-store';
import { nullUnlessRestricted, refuseChangeIfRestricted, refuseIfAnonymised } from '../rights/restriction';
import { todayInGermany } from '../validation';
import { ChangeCaseStatusInput, OpenCaseInput } from './case-inputs';
import { CaseConnection } from './connections';

export { CASE_STAFF };

export const DEFAULT_PROGRAM = 'bw-im-2023';

@InputType({ description: 'Filters for the caseload; all given filters must match' })
export class CaseFilter {
  @Field(() => [CaseStatus], { nullable: true, description: 'Only cases in these statuses' })
  statuses?: CaseStatus[];

  @Field(() => ID, { nullable: true, description: 'Only cases of clients living in this municipality' })
  municipalityId?: string;

  @Field({ nullable: true, description: 'Only cases this integration manager (user id) is assigned to' })
  assignedTo?: string;

  @Field(() => LifeArea, { nullable: true, description: 'Only cases with open goals (OPEN or IN_PROGRESS) in this life area' })
  openGoalsIn?: LifeArea;

  @Field(() => Int, { nullable: true, description: 'Only open cases whose counselling period ends within this many days' })
  @Min(0)
  periodEndingWithinDays?: number;

  @Field({ nullable: true, description: 'true: only cases whose plan review is overdue' })
  reviewOverdue?: boolean;
}

/** Applies the caseload filters; every filter is one SQL condition, so a page costs the same whatever it holds. */
async function caseloadPage(context: RequestContext, filter: CaseFilter | undefined, page: ConnectionArgs, assignedTo?: string) {
  const manager = await context.tx.manager();
  // Row-level security limits the rows to the caller's organisation anyway; saying so lets the planner use the
  // index (owner_organization_id, opened_at DESC, id) for the page and the count instead of scanning every case.
  const query = manager.createQueryBuilder(Case, 'c').where('c.owner_organization_id = :owner', { owner: context.principal!.organizationId });
  if (filter?.statuses?.length) query.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
  if (filter?.municipalityId) query.andWhere('c.municipality_id = :municipalityId', { municipalityId: requireUuid('filter.municipalityId', filter.municipalityId) });
  const assignee = assignedTo ?? filter?.assignedTo;
  if (assignee) query.andWhere('EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = :assignee)', { assignee });
  if (filter?.openGoalsIn) {
    query.andWhere(`EXISTS (SELECT 1 FROM goals g WHERE g.case_id = c.id AND g.life_area = :lifeArea AND g.status IN ('open', 'in_progress'))`, {
      lifeArea: filter.openGoalsIn,
    });
  }
  if (filter?.periodEndingWithinDays !== undefined) {
    query.andWhere(`c.status <> 'closed' AND c.period_ends_on <= (:today::date + :days::int)`, { today: todayInGermany(), days: filter.periodEndingWithinDays });
  }
  if (filter?.reviewOverdue !== undefined) {
    query.andWhere(`${filter.reviewOverdue ? '' : 'NOT '}EXISTS (SELECT 1 FROM integration_plans p WHERE p.case_id = c.id AND p.next_review_due < :today::date AND c.status <> 'closed')`, {
      today: todayInGermany(),
    });
  }
  return paginate(query, page, {
    sortExpression: 'c.opened_at',
    direction: 'DESC',
    sortValue: (c) => c.openedAt.toISOString(),
    exactSortValue: true,
    idColumn: 'c.id',
    idOf: (c) => c.id,
  });
}

async function loadProgram(manager: EntityManager, id: string): Promise<CounsellingProgram> {
  return manager.findOneByOrFail(CounsellingProgram, { id });
}

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true, description: 'One case of your organisation; null if it does not exist or is not yours' })
  async case(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Case | null> {
    requireCaseStaff(context, 'read cases');
    // A case of a restricted client is hidden from caseworkers (row-level security): FORBIDDEN with the reason.
    return nullUnlessRestricted(context, 'Case', id, await context.loaders.get(caseById).load(requireUuid('id', id)));
  }

  @Query(() => CaseConnection, { description: "Your organisation's caseload, newest first" })
  async cases(@Arg('filter', () => CaseFilter, { nullable: true }) filter: CaseFilter | undefined, @Args() page: ConnectionArgs, @Ctx() context: RequestContext) {
    requireCaseStaff(context, 'read cases');
    return caseloadPage(context, filter, page);
  }

  @Query(() => CaseConnection, { description: 'The cases you are assigned to, newest first (Fallbestand)' })
  async myCaseload(@Arg('filter', () => CaseFilter, { nullable: true }) filter: CaseFilter | undefined, @Args() page: ConnectionArgs, @Ctx() context: RequestContext) {
    const caller = requireCaseStaff(context, 'read cases');
    return caseloadPage(context, filter, page, caller.userId);
  }

  @FieldResolver(() => Client, { nullable: true, description: 'The client counselled in this case' })
  client(@Root() theCase: Case, @Ctx() context: RequestContext): Promise<Client | null> | null {
    return theCase.clientId ? context.loaders.get(clientById).load(theCase.clientId) : null;
  }

  @FieldResolver(() => Municipality, { nullable: true, description: 'Where the client lives (resolved by the partners subgraph)' })
  municipality(@Root() theCase: Case): EntityReference | null {
    return theCase.municipalityId ? { id: theCase.municipalityId } : null;
  }

  @FieldResolver(() => CounsellingProgram, { description: 'The program whose rules apply (counselling period, reviews)' })
  program(@Root() theCase: Case, @Ctx() context: RequestContext): Promise<CounsellingProgram | null> {
    return context.loaders.get(programById).load(theCase.programId);
  }

  @FieldResolver(() => [CaseAssignment], { description: 'The assigned integration managers' })
  assignments(@Root() theCase: Case, @Ctx() context: RequestContext): Promise<CaseAssignment[]> {
    return context.loaders.get(assignmentsByCase).load(theCase.id);
  }

  @Mutation(() => Case, {
    description:
      'Opens a case (status INTAKE) for an eligible client, owned by your organisation, with an empty integration plan. Safe to retry with the same idempotencyKey.',
  })
  async openCase(@Arg('input', () => OpenCaseInput) input: OpenCaseInput, @Ctx() context: RequestContext): Promise<Case> {
    const caller = requireCaseStaff(context, 'open cases');
    const manager = await context.tx.manager();
    if (input.idempotencyKey) {
      // Retries with the same key wait here for the first request to finish, then get its case: no duplicate, no orphan client.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`open-case:${caller.organizationId}:${input.idempotencyKey}`]);
      const earlier = await manager.findOneBy(Case, { ownerOrganizationId: caller.organizationId, idempotencyKey: input.idempotencyKey });
      if (earlier) return earlier;
    }
    const openedAt = input.openedAt ?? new Date();
    if (openedAt.getTime() > Date.now() + 60_000) throw invalidInput('input.openedAt', 'notInFuture', 'a case cannot be opened in the future');
    const openedOn = todayInGermany(openedAt);
    if (!input.clientId === !input.client) throw invalidInput('input.client', 'exactlyOne', 'give either clientId (an existing client) or client (a new one)');
    if (input.municipalityId) requireUuid('input.municipalityId', input.municipalityId);
    if (input.eligibilityOverride && !caller.roles.includes(Role.Lead)) {
      throw invalidInput('input.eligibilityOverride', 'leadOnly', 'only a lead may open a case although an eligibility rule failed');
    }
    let client: Client;
    if (input.client) {
      validateClientFields('input.client', input.client);
      // A new member of a restricted client's household would change the household: refused.
      await refuseChangeIfRestricted(context, 'Household', 'input.client.householdId', input.client.householdId);
      client = await insertClient(manager, caller.organizationId, input.client);
    } else {
      await refuseChangeIfRestricted(context, 'Client', 'input.clientId', requireUuid('input.clientId', input.clientId!));
      // Held (FOR SHARE) until the case is committed: the retention job skips a client being worked on, and a client
      // it anonymised in the meantime is seen here.
      const found = await manager.findOne(Client, { where: { id: input.clientId! }, lock: { mode: 'pessimistic_read' } });
      if (!found) throw notFound('Client', input.clientId!);
      refuseIfAnonymised('input.clientId', found);
      client = found;
    }
    const program = await loadProgram(manager, DEFAULT_PROGRAM);
    const failures = checkEligibility(client, program, openedOn);
    if (failures.length && !input.eligibilityOverride) {
      const prefix = input.client ? 'input.client' : 'client';
      throw invalidInput(
        `${prefix}.${failures[0].field}`,
        failures[0].rule,
        `not in the target group of integration management: ${failures.map((f) => `${f.rule}: ${f.message}`).join('; ')}. A lead may open the case anyway with eligibilityOverride.`,
      );
    }
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO cases (owner_organization_id, status, opened_at, idempotency_key, client_id, municipality_id, program_id, period_ends_on,
                          eligibility_override_reason, eligibility_overridden_by)
       VALUES ($1, 'intake', $2, $3, $4, $5, $6, ($7::date + make_interval(months => $8)), $9, $10)
       RETURNING id`,
      [
        caller.organizationId,
        openedAt,
        input.idempotencyKey ?? null,
        client.id,
        input.municipalityId ?? null,
        program.id,
        openedOn,
        program.standardMonths,
        failures.length ? input.eligibilityOverride!.reason.trim() : null,
        failures.length ? caller.userId : null,
      ],
    );
    const created = await manager.findOneByOrFail(Case, { id: inserted[0].id });
    const assignees = [...new Set(input.assignedUserIds?.length ? input.assignedUserIds : [caller.userId])];
    for (const userId of assignees) {
      await manager.insert(CaseAssignment, { caseId: created.id, userId, ownerOrganizationId: caller.organizationId, assignedAt: new Date(), assignedBy: caller.userId });
    }
    await createPlan(manager, created, program, caller.userId, openedOn);
    return created;
  }

  @Mutation(() => Case, { description: 'Changes the status of a case (INTAKE → ACTIVE ⇄ PAUSED), guarded by expectedVersion; close with closeCase' })
  async changeCaseStatus(@Arg('input', () => ChangeCaseStatusInput) input: ChangeCaseStatusInput, @Ctx() context: RequestContext): Promise<Case> {
    requireCaseStaff(context, 'change cases');
    const current = await loadCaseForChange(context, 'input.id', input.id);
    const allowed = CASE_STATUS_TRANSITIONS[current.status];
    if (!allowed.includes(input.status)) {
      throw invalidInput(
        'input.status',
        'allowedTransition',
        `a ${current.status.toUpperCase()} case cannot become ${input.status.toUpperCase()}; allowed: ${allowed.length ? allowed.join(', ').toUpperCase() : 'none (closed cases stay closed)'}${input.status === CaseStatus.CLOSED ? '; close a case with closeCase' : ''}`,
      );
    }
    return updateWithVersion(await context.tx.manager(), Case, 'Case', current.id, input.expectedVersion, { status: input.status });
  }
}
