import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The statistics entities of the cooperation meetings (issue 6) are owned by the partners subgraph, which says who
 * is who (a district's municipalities and providers); referrals contributes its figures to them. Declared here with
 * their keys only, and without descriptions (the owner describes them; differing descriptions would be a
 * composition hint). Reference resolvers return the representation as is (schema.ts).
 */
@Directive('@key(fields: "municipalityId period")')
@ObjectType('MunicipalityStatistics')
export class MunicipalityStatistics {
  @Field(() => ID)
  municipalityId: string;

  @Field(() => String)
  period: string;
}

@Directive('@key(fields: "providerId period")')
@ObjectType('ProviderStatistics')
export class ProviderStatistics {
  @Field(() => ID)
  providerId: string;

  @Field(() => String)
  period: string;
}

@Directive('@key(fields: "districtId period")')
@ObjectType('DistrictStatistics')
export class DistrictStatistics {
  @Field(() => ID)
  districtId: string;

  @Field(() => String)
  period: string;

  /** Resolved by partners; the gateway sends them along for the fields that @require them. */
  @Directive('@external')
  @Field(() => [ID])
  municipalityIds?: string[];

  @Directive('@external')
  @Field(() => [ID])
  providerIds?: string[];
}
