import { EntityReference, PageArgs, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { Case } from '../entities/references';
import { Referral } from '../entities/referral';
import { ReferralStatus } from '../entities/referral-status';
import { referralById, referralsByCaseId } from '../loaders/referral-loaders';

/** Sender side (case staff) and receiver side (partner staff); row-level security decides which rows. */
export const REFERRAL_READERS: readonly Role[] = [Role.Caseworker, Role.Lead, Role.Partner];

export enum ReferralDirection {
  SENT = 'sent',
  RECEIVED = 'received',
}
registerEnumType(ReferralDirection, {
  name: 'ReferralDirection',
  description: 'Referrals your organisation sent, or received as a partner',
});

@InputType({ description: 'Filters for referrals; all given filters must match' })
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true, description: 'Only referrals in these statuses' })
  statuses?: ReferralStatus[];

  @Field(() => ReferralDirection, { nullable: true, description: 'Only those sent by, or only those received by your organisation' })
  direction?: ReferralDirection;
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => Referral, { nullable: true, description: 'One referral your organisation sent or received; null otherwise' })
  async referral(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Referral | null> {
    requireRole(context.principal, REFERRAL_READERS, 'read referrals');
    return context.loaders.get(referralById).load(requireUuid('id', id));
  }

  @Query(() => [Referral], { description: 'Referrals your organisation sent (as case staff) or received (as partner staff), newest first' })
  async referrals(
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter: ReferralFilter | undefined,
    @Args() page: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Referral[]> {
    const caller = requireRole(context.principal, REFERRAL_READERS, 'read referrals');
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Referral, 'r').orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'ASC');
    if (filter?.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter?.direction === ReferralDirection.SENT) query.andWhere('r.sender_organization_id = :org', { org: caller.organizationId });
    if (filter?.direction === ReferralDirection.RECEIVED) query.andWhere('r.receiver_organization_id = :org', { org: caller.organizationId });
    return query.take(page.limit).skip(page.offset).getMany();
  }

  @FieldResolver(() => Case, {
    nullable: true,
    description: 'The referred case; null unless you belong to the sending organisation (partners see only what the referral shares)',
  })
  case(@Root() referral: Referral, @Ctx() context: RequestContext): EntityReference | null {
    return context.principal?.organizationId === referral.senderOrganizationId ? { id: referral.caseId } : null;
  }
}

/** Contributes Case.referrals to the cases subgraph's Case. */
@Resolver(() => Case)
export class CaseReferralsResolver {
  @FieldResolver(() => [Referral], { description: 'Referrals of this case that you may see, newest first' })
  referrals(@Root() theCase: EntityReference, @Ctx() context: RequestContext): Promise<Referral[]> {
    requireRole(context.principal, REFERRAL_READERS, 'read referrals');
    return context.loaders.get(referralsByCaseId).load(theCase.id);
  }
}
