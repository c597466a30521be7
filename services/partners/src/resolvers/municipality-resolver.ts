import { ConnectionArgs, invalidInput, notFound, paginate, RequestContext, requireUuid } from '@integration-graph/common';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Municipality } from '../entities/municipality';
import { MunicipalityConnection } from './connections';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { municipalityByAgs } from '../loaders/directory-loaders';
import { organizationById } from '../loaders/organization-loaders';

const AGS = /^[0-9]{8}$/;

export function requireAgs(field: string, ags: string): string {
  if (!AGS.test(ags)) throw invalidInput(field, 'isAgs', `"${ags}" is not an official municipality key (AGS, 8 digits, e.g. "08317096")`);
  return ags;
}

/** Loads a municipality by id or AGS; null if there is none. */
export async function loadMunicipality(context: RequestContext, ref: { id?: string | null; ags?: string | null }): Promise<Municipality | null> {
  const organization = ref.id
    ? await context.loaders.get(organizationById).load(ref.id)
    : ref.ags
      ? await context.loaders.get(municipalityByAgs).load(ref.ags)
      : null;
  return organization?.kind === OrganizationKind.MUNICIPALITY ? Municipality.from(organization) : null;
}

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @Query(() => Municipality, { nullable: true, description: 'A municipality by its official municipality key (AGS) or id' })
  async municipality(
    @Arg('ags', () => String, { nullable: true }) ags: string | undefined,
    @Arg('id', () => ID, { nullable: true }) id: string | undefined,
    @Ctx() context: RequestContext,
  ): Promise<Municipality | null> {
    if (!ags === !id) throw invalidInput('ags', 'exactlyOne', 'give either ags or id');
    return loadMunicipality(context, { ags: ags && requireAgs('ags', ags), id: id && requireUuid('id', id) });
  }

  @Query(() => MunicipalityConnection, { description: 'Municipalities, optionally of one district, ordered by name' })
  async municipalities(
    @Arg('districtId', () => ID, { nullable: true }) districtId: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Organization, 'o').where('o.kind = :kind', { kind: OrganizationKind.MUNICIPALITY });
    if (districtId) {
      const district = await context.loaders.get(organizationById).load(requireUuid('districtId', districtId));
      if (!district || district.kind !== OrganizationKind.DISTRICT) throw notFound('District', districtId);
      query.andWhere('o.parent_id = :districtId', { districtId });
    }
    const result = await paginate(query, page, { sortExpression: 'o.name', direction: 'ASC', sortValue: (o) => o.name, idColumn: 'o.id', idOf: (o) => o.id });
    return { ...result, edges: result.edges.map((edge) => ({ ...edge, node: Municipality.from(edge.node) })) };
  }

  @FieldResolver(() => Organization, { description: 'The district (Landkreis or Stadtkreis) the municipality belongs to' })
  district(@Root() municipality: Municipality, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(municipality.parentId!);
  }

  @FieldResolver(() => Organization, { description: 'The municipality as an organisation of the directory (contacts, locations, ...)' })
  organization(@Root() municipality: Municipality, @Ctx() context: RequestContext): Promise<Organization | null> {
    return context.loaders.get(organizationById).load(municipality.id);
  }
}
