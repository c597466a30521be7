import { ConnectionArgs, isCooperationMember, paginate, RequestContext, requirePrincipal, requireRole, Role } from '@integration-graph/common';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Organization } from '../entities/organization';
import { isStale, staleAfterDays } from '../freshness';
import { organizationById } from '../loaders/organization-loaders';
import { OrganizationConnection } from './connections';
import { requireOrganizationForEdit } from './directory-editing';

const STALE_DESCRIPTION = 'not verified for more than DIRECTORY_STALE_AFTER_DAYS days (default 180), or never';

/**
 * Freshness (Aktualität) of directory entries: when an organisation last confirmed its entry and who did, separate
 * from when it last changed (updatedAt).
 */
@Resolver(() => Organization)
export class OrganizationFreshnessResolver {
  @FieldResolver(() => Boolean, { description: `True when the entry is stale: ${STALE_DESCRIPTION}` })
  isStale(@Root() organization: Organization): boolean {
    return isStale(organization.lastVerifiedAt);
  }

  @FieldResolver(() => String, { nullable: true, description: 'User id of whoever last verified the entry (people who work in the cooperation only; null for others)' })
  lastVerifiedBy(@Root() organization: Organization, @Ctx() context: RequestContext): string | null {
    return isCooperationMember(context.principal) ? organization.lastVerifiedBy : null;
  }

  @Mutation(() => Organization, {
    description: "Confirms that an organisation's entry is correct: sets lastVerifiedAt to now and lastVerifiedBy to you (its org_admins and leads, or a coordinator). Does not change updatedAt or version.",
  })
  async verifyOrganization(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Organization> {
    const organization = await requireOrganizationForEdit(context, 'id', id, "this organisation's entry");
    const manager = await context.tx.manager();
    // Plain SQL on purpose: TypeORM's update would also count up version and updated_at.
    await manager.query(`UPDATE organizations SET last_verified_at = now(), last_verified_by = $2 WHERE id = $1`, [
      organization.id,
      requirePrincipal(context.principal).userId,
    ]);
    const verified = await manager.findOneByOrFail(Organization, { id: organization.id });
    context.loaders.get(organizationById).clear(verified.id).prime(verified.id, verified);
    return verified;
  }

  @Query(() => OrganizationConnection, {
    description: `Directory entries that need verifying (${STALE_DESCRIPTION}), longest unverified first: a coordinator sees all, an org_admin or lead those of their own organisation.`,
  })
  async staleOrganizations(@Args() page: ConnectionArgs, @Ctx() context: RequestContext) {
    const caller = requireRole(context.principal, [Role.Coordinator, Role.OrgAdmin, Role.Lead], 'list stale directory entries');
    const manager = await context.tx.manager();
    const query = manager
      .createQueryBuilder(Organization, 'o')
      .where(`(o.last_verified_at IS NULL OR o.last_verified_at < now() - make_interval(days => :days))`, { days: staleAfterDays() });
    if (!caller.roles.includes(Role.Coordinator)) query.andWhere('o.id = :own', { own: caller.organizationId });
    // Milliseconds, so that the cursor (a JavaScript date) compares exactly with the stored timestamp.
    return paginate(query, page, {
      sortExpression: `COALESCE(date_trunc('milliseconds', o.last_verified_at), '-infinity'::timestamptz)`,
      direction: 'ASC',
      sortValue: (o) => o.lastVerifiedAt?.toISOString() ?? '-infinity',
      idColumn: 'o.id',
      idOf: (o) => o.id,
    });
  }
}
