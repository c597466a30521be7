import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';

/**
 * The statistics entities of the cooperation meetings, as the contributing subgraphs (cases, referrals) declare
 * them: owned by partners, which says who is who; here only their keys and the partners fields a contributor
 * @requires (@external). No descriptions: the owner's apply (differing ones would be composition hints).
 * Call it in the subgraph that contributes (type-graphql metadata is global to the process).
 */
export function statisticsEntityReferences(options: { providerFullTimeEquivalents?: boolean } = {}) {
  @Directive('@key(fields: "municipalityId period")')
  @ObjectType('MunicipalityStatistics')
  class MunicipalityStatistics {
    @Field(() => ID)
    municipalityId: string;

    @Field(() => String)
    period: string;
  }

  @Directive('@key(fields: "providerId period")')
  @ObjectType('ProviderStatistics')
  class ProviderStatistics {
    @Field(() => ID)
    providerId: string;

    @Field(() => String)
    period: string;

    fullTimeEquivalents?: number | null;
  }
  if (options.providerFullTimeEquivalents) {
    // Staffing lives in partners; cases needs it for cases per full-time position.
    Directive('@external')(ProviderStatistics.prototype, 'fullTimeEquivalents');
    Field(() => Float, { nullable: true })(ProviderStatistics.prototype, 'fullTimeEquivalents');
  }

  @Directive('@key(fields: "districtId period")')
  @ObjectType('DistrictStatistics')
  class DistrictStatistics {
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

  return { MunicipalityStatistics, ProviderStatistics, DistrictStatistics };
}
