import { ConnectionArgs, EntityReference, hasAnyRole, PageArgs, paginate, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { Case, Municipality, Offering, Organization } from '../entities/references';
import { Referral } from '../entities/referral';
import { ReferralEvent } from '../entities/referral-event';
import { ReferralStatus } from '../entities/referral-status';
import { sideOf } from '../lifecycle/apply';
import { allowedNext, CLOSED_STATES, Side } from '../lifecycle/transitions';
import { consentStillValid, eventsByReferralId, referralById, referralsByCaseId } from '../loaders/referral-loaders';
import { ReferralConnection } from './connections';
import { ReferralOutcome } from './referral-types';

/** Sender side (case staff) and receiver side (partner staff); row-level security decides which rows. */
export const REFERRAL_READERS: readonly Role[] = [Role.Caseworker, Role.Lead, Role.Partner];
const SENDER_ROLES: readonly Role[] = [Role.Caseworker, Role.Lead];

/** The caller's side of the referral: the sending organisation's case staff, the receiving one's partner staff, or none. */
function sideOfCaller(context: RequestContext, referral: Referral): Side | null {
  if (!context.principal) return null;
  try {
    return sideOf(context.principal, referral);
  } catch {
    return null;
  }
}

export enum ReferralDirection {
  SENT = 'sent',
  RECEIVED = 'received',
}
registerEnumType(ReferralDirection, { name: 'ReferralDirection', description: 'Referrals your organisation sent, or received as a partner' });

@InputType({ description: 'Filters for referrals; all given filters must match' })
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true, description: 'Only referrals in these statuses' })
  statuses?: ReferralStatus[];

  @Field(() => ReferralDirection, { nullable: true, description: 'Only those sent by, or only those received by your organisation' })
  direction?: ReferralDirection;

  @Field(() => ID, { nullable: true, description: 'Only referrals to this offering' })
  offeringId?: string;

  @Field(() => ID, { nullable: true, description: 'Only referrals of this case' })
  caseId?: string;

  @Field(() => Date, { nullable: true, description: 'Only referrals sent since' })
  since?: Date;

  @Field({ nullable: true, description: 'true: only referrals past their response deadline without an answer' })
  overdue?: boolean;
}

const OVERDUE = `(r.status = 'sent' AND r.response_due_at < now())`;

function applyFilter(query: SelectQueryBuilder<Referral>, filter: ReferralFilter | undefined, organizationId: string) {
  if (filter?.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
  if (filter?.direction === ReferralDirection.SENT) query.andWhere('r.sender_organization_id = :org', { org: organizationId });
  if (filter?.direction === ReferralDirection.RECEIVED) query.andWhere('r.receiver_organization_id = :org', { org: organizationId });
  if (filter?.offeringId) query.andWhere('r.offering_id = :offeringId', { offeringId: requireUuid('filter.offeringId', filter.offeringId) });
  if (filter?.caseId) query.andWhere('r.case_id = :caseId', { caseId: requireUuid('filter.caseId', filter.caseId) });
  if (filter?.since) query.andWhere('r.sent_at >= :since', { since: filter.since });
  if (filter?.overdue !== undefined) query.andWhere(filter.overdue ? OVERDUE : `NOT ${OVERDUE}`);
  return query;
}

async function connection(context: RequestContext, filter: ReferralFilter | undefined, page: ConnectionArgs, direction: ReferralDirection) {
  const caller = requireRole(context.principal, direction === ReferralDirection.RECEIVED ? [Role.Partner] : [Role.Caseworker, Role.Lead], 'read these referrals');
  const manager = await context.tx.manager();
  const query = applyFilter(manager.createQueryBuilder(Referral, 'r'), { ...filter, direction }, caller.organizationId);
  return paginate(query, page, {
    // The column itself, so that (receiver_organization_id | sender_organization_id, created_at DESC, id) serves the page.
    sortExpression: 'r.created_at',
    direction: 'DESC',
    sortValue: (r) => r.createdAt.toISOString(),
    exactSortValue: true,
    idColumn: 'r.id',
    idOf: (r) => r.id,
  });
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => Referral, { nullable: true, description: 'One referral your organisation sent or received; null otherwise' })
  async referral(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Referral | null> {
    requireRole(context.principal, REFERRAL_READERS, 'read referrals');
    return context.loaders.get(referralById).load(requireUuid('id', id));
  }

  @Query(() => [Referral], { description: 'Referrals your organisation sent (as case staff) or received (as partner staff), newest first' })
  async referrals(@Arg('filter', () => ReferralFilter, { nullable: true }) filter: ReferralFilter | undefined, @Args() page: PageArgs, @Ctx() context: RequestContext): Promise<Referral[]> {
    const caller = requireRole(context.principal, REFERRAL_READERS, 'read referrals');
    const manager = await context.tx.manager();
    const query = applyFilter(manager.createQueryBuilder(Referral, 'r'), filter, caller.organizationId).orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'ASC');
    return query.take(page.limit).skip(page.offset).getMany();
  }

  @Query(() => ReferralConnection, { description: 'The referral inbox of your partner organisation, newest first (partner staff)' })
  incomingReferrals(@Arg('filter', () => ReferralFilter, { nullable: true }) filter: ReferralFilter | undefined, @Args() page: ConnectionArgs, @Ctx() context: RequestContext) {
    return connection(context, filter, page, ReferralDirection.RECEIVED);
  }

  @Query(() => ReferralConnection, { description: 'Referrals your organisation sent, newest first (case staff)' })
  outgoingReferrals(@Arg('filter', () => ReferralFilter, { nullable: true }) filter: ReferralFilter | undefined, @Args() page: ConnectionArgs, @Ctx() context: RequestContext) {
    return connection(context, filter, page, ReferralDirection.SENT);
  }

  @FieldResolver(() => Case, {
    nullable: true,
    description: 'The referred case; null unless you are case staff (caseworker, lead) of the sending organisation (partners see only what the referral shares)',
  })
  case(@Root() referral: Referral, @Ctx() context: RequestContext): EntityReference | null {
    return sideOfCaller(context, referral) === 'sender' ? { id: referral.caseId } : null;
  }

  @FieldResolver(() => Offering, { nullable: true, description: 'The offering the client is referred to, if any' })
  offering(@Root() referral: Referral): EntityReference | null {
    return referral.offeringId ? { id: referral.offeringId } : null;
  }

  @FieldResolver(() => Municipality, { nullable: true, description: 'Where the client lived when the referral was sent' })
  municipality(@Root() referral: Referral): EntityReference | null {
    return referral.municipalityId ? { id: referral.municipalityId } : null;
  }

  @FieldResolver(() => ReferralOutcome, { nullable: true })
  outcome(@Root() referral: Referral): ReferralOutcome | null {
    return referral.outcome;
  }

  @FieldResolver(() => [ReferralEvent], { description: 'Every step of the referral, oldest first: who, when, from where to where' })
  history(@Root() referral: Referral, @Ctx() context: RequestContext): Promise<ReferralEvent[]> {
    return context.loaders.get(eventsByReferralId).load(referral.id);
  }

  @FieldResolver(() => Boolean, { description: 'Sent, not answered, and past its response deadline' })
  isOverdue(@Root() referral: Referral): boolean {
    return referral.status === ReferralStatus.SENT && !!referral.responseDueAt && referral.responseDueAt.getTime() < Date.now();
  }

  @FieldResolver(() => Boolean, { description: 'The loop is closed: completed with an outcome, or ended with a reason' })
  isClosed(@Root() referral: Referral): boolean {
    return CLOSED_STATES.includes(referral.status);
  }

  @FieldResolver(() => [ReferralStatus], { description: 'The statuses you may move this referral to' })
  allowedNextStatuses(@Root() referral: Referral, @Ctx() context: RequestContext): ReferralStatus[] {
    if (!context.principal) return [];
    try {
      return allowedNext(referral.status, sideOf(context.principal, referral));
    } catch {
      return [];
    }
  }

  @FieldResolver(() => [String], { description: 'The client fields the consent allowed to share with the partner' })
  clientDataScope(@Root() referral: Referral): string[] {
    return referral.snapshotWithdrawnAt ? [] : referral.snapshotScope;
  }

  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description:
      'The consented client data, taken when the referral was sent. For the partner it is re-checked against the consent on every read: once consent is revoked, it is withdrawn for good (null) while the referral and its status stay.',
  })
  async clientData(@Root() referral: Referral, @Ctx() context: RequestContext): Promise<Record<string, unknown> | null> {
    // The sender's case staff, and the receiver's partner staff while the consent holds; nobody else, whatever
    // path led here (row-level security would not have loaded the referral for them either).
    const side = sideOfCaller(context, referral);
    if (!side || !referral.snapshot || referral.snapshotWithdrawnAt) return null;
    if (side === 'receiver' && (await withdrawnNow(referral, context))) return null;
    return referral.snapshot;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the client data was withdrawn because consent was revoked' })
  async clientDataWithdrawnAt(@Root() referral: Referral, @Ctx() context: RequestContext): Promise<Date | null> {
    if (!referral.snapshotWithdrawnAt && referral.snapshot && sideOfCaller(context, referral) === 'receiver') await withdrawnNow(referral, context);
    return referral.snapshotWithdrawnAt;
  }
}

const withdrawals = new WeakMap<Referral, Promise<boolean>>();

/**
 * For the receiving partner: re-checks the consent behind the snapshot (batched for the whole inbox, never cached
 * across requests) and, once it no longer holds, deletes the snapshot for good. Once per referral and request, so
 * that clientData and clientDataWithdrawnAt agree within one answer.
 */
function withdrawnNow(referral: Referral, context: RequestContext): Promise<boolean> {
  let withdrawal = withdrawals.get(referral);
  if (!withdrawal) {
    withdrawal = (async () => {
      const valid = referral.consentId ? await context.loaders.get(consentStillValid).load(referral.consentId) : false;
      if (valid) return false;
      const manager = await context.tx.manager();
      const [row]: { withdrawn_at: Date }[] = await manager.query(
        `UPDATE referrals SET snapshot = NULL, snapshot_withdrawn_at = COALESCE(snapshot_withdrawn_at, now()) WHERE id = $1 RETURNING snapshot_withdrawn_at AS withdrawn_at`,
        [referral.id],
      );
      referral.snapshotWithdrawnAt = row?.withdrawn_at ?? new Date();
      return true;
    })();
    withdrawals.set(referral, withdrawal);
  }
  return withdrawal;
}

/** Contributes Case.referrals to the cases subgraph's Case: for the case's own staff; partners never see the case. */
@Resolver(() => Case)
export class CaseReferralsResolver {
  @FieldResolver(() => [Referral], { description: 'Referrals of this case that you may see, newest first (case staff: caseworkers and leads)' })
  referrals(@Root() theCase: EntityReference, @Ctx() context: RequestContext): Promise<Referral[]> {
    requireRole(context.principal, SENDER_ROLES, 'read the referrals of a case');
    return context.loaders.get(referralsByCaseId).load(theCase.id);
  }
}

/** Contributes figures to the partner directory, for the organisations concerned only. */
@Resolver(() => Organization)
export class OrganizationReferralsResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Referrals this organisation received, optionally in one status; only for the organisation’s own partner staff (null otherwise)',
  })
  async incomingReferralCount(
    @Root() organization: EntityReference,
    @Arg('status', () => ReferralStatus, { nullable: true }) status: ReferralStatus | undefined,
    @Ctx() context: RequestContext,
  ): Promise<number | null> {
    if (!hasAnyRole(context.principal, [Role.Partner]) || context.principal!.organizationId !== organization.id) return null;
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Referral, 'r').where('r.receiver_organization_id = :id', { id: organization.id });
    if (status) query.andWhere('r.status = :status', { status });
    return query.getCount();
  }
}

@Resolver(() => Offering)
export class OfferingReferralsResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Clients on the waiting list of this offering, counted over the referrals your partner organisation received (null for anyone but partner staff)',
  })
  async waitlistLength(@Root() offering: EntityReference, @Ctx() context: RequestContext): Promise<number | null> {
    if (!hasAnyRole(context.principal, [Role.Partner])) return null;
    const manager = await context.tx.manager();
    // Row-level security limits the count to referrals the caller's organisation received.
    return manager.createQueryBuilder(Referral, 'r').where(`r.offering_id = :id AND r.status = 'waitlisted'`, { id: offering.id }).getCount();
  }
}
