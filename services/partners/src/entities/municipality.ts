import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Organization } from './organization';

/**
 * A municipality (Stadt or Gemeinde) as other subgraphs and apps address it: by id or by its official municipality
 * key (AGS). Backed by the organisation row of kind MUNICIPALITY with the same id.
 */
@Directive('@key(fields: "id")')
@Directive('@key(fields: "ags")')
@ObjectType({ description: 'A municipality (Stadt or Gemeinde), addressed by id or official municipality key (AGS)' })
export class Municipality {
  @Field(() => ID, { description: 'Same id as the municipality’s Organization' })
  id: string;

  @Field({ description: 'Amtlicher Gemeindeschlüssel, 8 digits' })
  ags: string;

  @Field()
  name: string;

  parentId: string | null;

  static from(organization: Organization): Municipality {
    return Object.assign(new Municipality(), {
      id: organization.id,
      ags: organization.officialMunicipalityKey!,
      name: organization.name,
      parentId: organization.parentId,
    });
  }
}
