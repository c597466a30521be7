import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';

/*
 * The statistics entities of the cooperation meetings (issue 6) are owned by the partners subgraph; the cases
 * subgraph contributes the case figures to them (src/statistics/resolvers.ts). Declared here with their keys and the
 * partners fields the figures need (@external, asked for with @requires). No descriptions: the owner's apply.
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

  @Directive('@external')
  @Field(() => Float, { nullable: true })
  fullTimeEquivalents?: number | null;
}

@Directive('@key(fields: "districtId period")')
@ObjectType('DistrictStatistics')
export class DistrictStatistics {
  @Field(() => ID)
  districtId: string;

  @Field(() => String)
  period: string;

  @Directive('@external')
  @Field(() => [ID])
  municipalityIds?: string[];

  @Directive('@external')
  @Field(() => [ID])
  providerIds?: string[];
}
