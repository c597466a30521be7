import { conflict, invalidInput, notFound, PageArgs, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Case } from '../entities/case';
import { CASE_STATUS_TRANSITIONS, CaseStatus } from '../entities/case-status';
import { caseById } from '../loaders/case-loaders';
import { CaseFilter, ChangeCaseStatusInput, OpenCaseInput } from './case-inputs';

/** Who may work with cases at all; row-level security narrows it to the caller's own organisation. */
export const CASE_STAFF: readonly Role[] = [Role.Caseworker, Role.Lead];

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true, description: 'One case of your organisation; null if it does not exist or is not yours' })
  async case(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Case | null> {
    requireRole(context.principal, CASE_STAFF, 'read cases');
    return context.loaders.get(caseById).load(requireUuid('id', id));
  }

  @Query(() => [Case], { description: "Your organisation's caseload, newest first" })
  async cases(
    @Arg('filter', () => CaseFilter, { nullable: true }) filter: CaseFilter | undefined,
    @Args() page: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Case[]> {
    requireRole(context.principal, CASE_STAFF, 'read cases');
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Case, 'c').orderBy('c.opened_at', 'DESC').addOrderBy('c.id', 'ASC');
    if (filter?.statuses?.length) query.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    return query.take(page.limit).skip(page.offset).getMany();
  }

  @Mutation(() => Case, { description: 'Opens a case (status INTAKE) owned by your organisation. Safe to retry with the same idempotencyKey.' })
  async openCase(@Arg('input', () => OpenCaseInput) input: OpenCaseInput, @Ctx() context: RequestContext): Promise<Case> {
    const caller = requireRole(context.principal, CASE_STAFF, 'open cases');
    const openedAt = input.openedAt ?? new Date();
    if (openedAt.getTime() > Date.now() + 60_000) throw invalidInput('input.openedAt', 'notInFuture', 'a case cannot be opened in the future');
    const manager = await context.tx.manager();
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO cases (owner_organization_id, status, opened_at, idempotency_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (owner_organization_id, idempotency_key) DO NOTHING RETURNING id`,
      [caller.organizationId, CaseStatus.INTAKE, openedAt, input.idempotencyKey ?? null],
    );
    const found = inserted.length
      ? await manager.findOneByOrFail(Case, { id: inserted[0].id })
      : await manager.findOneByOrFail(Case, { ownerOrganizationId: caller.organizationId, idempotencyKey: input.idempotencyKey! });
    return found;
  }

  @Mutation(() => Case, { description: 'Changes the status of a case along the allowed transitions, guarded by expectedVersion' })
  async changeCaseStatus(@Arg('input', () => ChangeCaseStatusInput) input: ChangeCaseStatusInput, @Ctx() context: RequestContext): Promise<Case> {
    requireRole(context.principal, CASE_STAFF, 'change cases');
    const id = requireUuid('input.id', input.id);
    const manager = await context.tx.manager();
    const current = await manager.findOne(Case, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!current) throw notFound('Case', id);
    if (current.version !== input.expectedVersion) throw conflict('Case', id, input.expectedVersion, current.version);
    if (!CASE_STATUS_TRANSITIONS[current.status].includes(input.status)) {
      const allowed = CASE_STATUS_TRANSITIONS[current.status];
      throw invalidInput(
        'input.status',
        'allowedTransition',
        `a ${current.status.toUpperCase()} case cannot become ${input.status.toUpperCase()}; allowed: ${allowed.length ? allowed.join(', ').toUpperCase() : 'none (closed cases stay closed)'}`,
      );
    }
    current.status = input.status;
    return manager.save(current);
  }
}
