import { ConnectionArgs, paginate, RequestContext, requireUuid } from '@integration-graph/common';
import { MaxLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { organizationById } from '../loaders/organization-loaders';
import { requireLanguageCodes } from '../validation';
import { OrganizationConnection } from './connections';

@InputType({ description: 'Filters for the organisation directory; all given filters must match' })
export class OrganizationFilter {
  @Field(() => [OrganizationKind], { nullable: true, description: 'Only these kinds' })
  kinds?: OrganizationKind[];

  @Field(() => ID, { nullable: true, description: 'Only organisations serving this municipality (service area or a location there)' })
  servesMunicipality?: string;

  @Field({ nullable: true, description: 'Only organisations whose staff speak this language (ISO 639 code, e.g. "uk")' })
  language?: string;

  @Field(() => ID, { nullable: true, description: 'Only organisations with current offerings in this life area (taxonomy id, e.g. "language")' })
  lifeArea?: string;

  @Field({ nullable: true, description: 'Words in the name or description, case-insensitive' })
  @MaxLength(100)
  text?: string;

  @Field(() => ID, { nullable: true, description: 'Only organisations belonging to this one (e.g. municipalities of a district)' })
  parentId?: string;
}

/** LIKE pattern for a user's text, with wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The organisation directory is public: no token needed. */
@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { nullable: true, description: 'One organisation by id' })
  organization(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(requireUuid('id', id));
  }

  @Query(() => OrganizationConnection, { description: 'Organisations of the directory, ordered by name' })
  async organizations(
    @Arg('filter', () => OrganizationFilter, { nullable: true }) filter: OrganizationFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Organization, 'o');
    if (filter?.kinds?.length) query.andWhere('o.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter?.parentId) query.andWhere('o.parent_id = :parentId', { parentId: requireUuid('filter.parentId', filter.parentId) });
    if (filter?.servesMunicipality) {
      query.andWhere(
        `(EXISTS (SELECT 1 FROM organization_service_areas sa WHERE sa.organization_id = o.id AND sa.municipality_id = :served)
          OR EXISTS (SELECT 1 FROM locations l WHERE l.organization_id = o.id AND l.municipality_id = :served))`,
        { served: requireUuid('filter.servesMunicipality', filter.servesMunicipality) },
      );
    }
    if (filter?.language) {
      query.andWhere(':language = ANY(o.languages_spoken)', { language: requireLanguageCodes('filter.language', [filter.language])[0] });
    }
    if (filter?.lifeArea) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM offerings f JOIN offering_life_areas a ON a.offering_id = f.id
                  WHERE f.organization_id = o.id AND a.life_area_id = :lifeArea AND f.status <> 'ended')`,
        { lifeArea: filter.lifeArea },
      );
    }
    if (filter?.text) {
      query.andWhere(
        `(o.name ILIKE :pattern ESCAPE '\\' OR EXISTS (SELECT 1 FROM translations t WHERE t.entity_type = 'organization'
           AND t.entity_id = o.id::text AND t.field = 'description' AND t.text ILIKE :pattern ESCAPE '\\'))`,
        { pattern: containsPattern(filter.text) },
      );
    }
    return paginate(query, page, { sortExpression: 'o.name', direction: 'ASC', sortValue: (o) => o.name, idColumn: 'o.id', idOf: (o) => o.id });
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organisation this one belongs to (a municipality belongs to its district)' })
  parent(@Root() organization: Organization, @Ctx() context: RequestContext): Promise<Organization | null> | null {
    return organization.parentId ? context.loaders.get(organizationById).load(organization.parentId) : null;
  }
}
