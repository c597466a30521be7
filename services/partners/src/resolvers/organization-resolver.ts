import { PageArgs, RequestContext, requireUuid } from '@integration-graph/common';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { organizationById } from '../loaders/organization-loaders';

@InputType({ description: 'Filters for the organisation directory; all given filters must match' })
export class OrganizationFilter {
  @Field(() => [OrganizationKind], { nullable: true, description: 'Only these kinds' })
  kinds?: OrganizationKind[];

  @Field({ nullable: true, description: 'Part of the name, case-insensitive' })
  @MaxLength(100)
  nameContains?: string;

  @Field(() => ID, { nullable: true, description: 'Only organisations belonging to this one (e.g. municipalities of a district)' })
  parentId?: string;
}

/** The organisation directory is public: no token needed. */
@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { nullable: true, description: 'One organisation by id' })
  organization(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(requireUuid('id', id));
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organisation this one belongs to (a municipality belongs to its district)' })
  parent(@Root() organization: Organization, @Ctx() context: RequestContext): Promise<Organization | null> | null {
    return organization.parentId ? context.loaders.get(organizationById).load(organization.parentId) : null;
  }

  @Query(() => [Organization], { description: 'Organisations of the directory, ordered by name' })
  async organizations(
    @Arg('filter', () => OrganizationFilter, { nullable: true }) filter: OrganizationFilter | undefined,
    @Args() page: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Organization[]> {
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Organization, 'o').orderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC');
    if (filter?.kinds?.length) query.andWhere('o.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter?.nameContains) {
      query.andWhere(`o.name ILIKE :pattern ESCAPE '\\'`, { pattern: `%${filter.nameContains.replace(/[\\%_]/g, '\\$&')}%` });
    }
    if (filter?.parentId) query.andWhere('o.parent_id = :parentId', { parentId: requireUuid('filter.parentId', filter.parentId) });
    return query.take(page.limit).skip(page.offset).getMany();
  }
}
