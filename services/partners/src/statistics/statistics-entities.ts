import { MetricValue } from '@integration-graph/common';
import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Standard } from '../entities/standard';

/**
 * The comparison of a cooperation meeting: shared entities keyed by municipality (or provider, or district) and
 * period. Partners owns them and says who is who; cases and referrals contribute their figures, computed where the
 * data lives (only aggregates, small cells suppressed); partners evaluates the adopted standards against them
 * (@requires), so one gateway request returns the whole comparison.
 */
const REQUIRED_METRICS = 'caseMetrics { metric value suppressed } referralMetrics { metric value suppressed }';

@ObjectType({ description: 'One adopted standard against one figure' })
export class StandardResult {
  @Field(() => Standard)
  standard: Standard;

  @Field({ description: 'The metric (MetricKey name)' })
  metric: string;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field({ description: 'The figure is suppressed (small cell): the standard cannot be judged' })
  suppressed: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Whether the standard is met; null when there is no figure (suppressed or nothing to measure)' })
  met: boolean | null;
}

@Directive('@key(fields: "municipalityId period")')
@ObjectType({ description: 'The figures of one municipality in one reporting period' })
export class MunicipalityStatistics {
  @Field(() => ID)
  municipalityId: string;

  @Field({ description: 'Reporting period: a tertial ("2026-T3") or a year ("2026")' })
  period: string;

  // Resolved by the cases and referrals subgraphs; declared here for @requires (described where they are resolved).
  @Directive('@external')
  @Field(() => [MetricValue])
  caseMetrics?: MetricValue[];

  @Directive('@external')
  @Field(() => [MetricValue])
  referralMetrics?: MetricValue[];

  /** The district, to find its standards (not in the key: set by districtComparison or looked up). */
  districtId?: string;
}

@Directive('@key(fields: "providerId period")')
@ObjectType({ description: 'The figures of one provider of integration management in one reporting period' })
export class ProviderStatistics {
  @Field(() => ID)
  providerId: string;

  @Field()
  period: string;

  @Directive('@external')
  @Field(() => [MetricValue])
  caseMetrics?: MetricValue[];

  @Directive('@external')
  @Field(() => [MetricValue])
  referralMetrics?: MetricValue[];
}

@Directive('@key(fields: "districtId period")')
@ObjectType({ description: 'The comparison of a district for a reporting period: every municipality and provider, with medians' })
export class DistrictStatistics {
  @Field(() => ID)
  districtId: string;

  @Field()
  period: string;

  @Field(() => [ID], { description: 'The district’s municipalities' })
  municipalityIds: string[];

  @Field(() => [ID], { description: 'The providers of integration management for them during the period' })
  providerIds: string[];
}

export { REQUIRED_METRICS };

@ObjectType({ description: 'The comparison of every district of the state for a reporting period (published aggregates only)' })
export class StateStatistics {
  @Field({ description: 'Reporting period: a tertial ("2026-T3") or a year ("2026")' })
  period: string;

  @Field(() => [DistrictStatistics], { description: 'Every district, by name, each with its municipalities, providers, standards and distributions' })
  districts: DistrictStatistics[];
}
