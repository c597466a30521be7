import { registerEnumType } from 'type-graphql';

/**
 * The metrics a standard of the cooperation can be measured by (issue 6). The cases and referrals subgraphs compute
 * them over their own data; the partners subgraph keeps the standards. Stored lower-case (`standards.metric`, with a
 * CHECK constraint listing the same keys in migration 1764200000000).
 */
export enum MetricKey {
  ACTIVE_CASES = 'active_cases',
  CASES_PER_FULL_TIME_POSITION = 'cases_per_full_time_position',
  SHARE_ACTIVE_CASES_WITH_PLAN = 'share_active_cases_with_plan',
  MEDIAN_DAYS_TO_FIRST_PLAN = 'median_days_to_first_plan',
  SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS = 'share_plans_reviewed_within_six_months',
  SHARE_GOALS_ACHIEVED = 'share_goals_achieved',
  SHARE_HOME_VISITS = 'share_home_visits',
  SHARE_CASES_REACHING_LIMIT = 'share_cases_reaching_limit',
  REFERRALS_SENT = 'referrals_sent',
  SHARE_REFERRALS_ANSWERED_IN_TIME = 'share_referrals_answered_in_time',
  MEDIAN_DAYS_TO_FIRST_RESPONSE = 'median_days_to_first_response',
  MEDIAN_DAYS_TO_START = 'median_days_to_start',
  ACCEPTANCE_RATE = 'acceptance_rate',
  COMPLETION_RATE = 'completion_rate',
  NO_SHOW_RATE = 'no_show_rate',
  EXPIRY_RATE = 'expiry_rate',
  SHARE_LANGUAGE_COURSES_B1_OR_HIGHER = 'share_language_courses_b1_or_higher',
}

/**
 * What a value of the metric is, and so which targets make sense:
 * - `share`: a proportion between 0 and 1 (0.9 = 90 %), rates included;
 * - `count`: a number of cases or referrals, not negative;
 * - `days`: a number of days (medians may be fractional), not negative;
 * - `ratio`: a quotient of two different quantities (cases per full-time position), not negative.
 */
export type MetricKind = 'share' | 'count' | 'days' | 'ratio';

/** The subgraph that computes the metric over its own data. */
export type MetricSubgraph = 'cases' | 'referrals';

export interface MetricDefinition {
  kind: MetricKind;
  subgraph: MetricSubgraph;
  /** German description (Kooperationstreffen, Handout). */
  de: string;
  /** English description. */
  en: string;
}

/** Every metric with its kind, owning subgraph and descriptions; the GraphQL enum's descriptions come from here. */
export const METRICS: Readonly<Record<MetricKey, MetricDefinition>> = {
  [MetricKey.ACTIVE_CASES]: {
    kind: 'count',
    subgraph: 'cases',
    de: 'Aktive Fälle im Zeitraum',
    en: 'Cases active during the period',
  },
  [MetricKey.CASES_PER_FULL_TIME_POSITION]: {
    kind: 'ratio',
    subgraph: 'cases',
    de: 'Aktive Fälle je Vollzeitstelle des Trägers (Stellenumfang aus dem Partnerverzeichnis)',
    en: 'Active cases per full-time position of the provider (staffing from the partners subgraph)',
  },
  [MetricKey.SHARE_ACTIVE_CASES_WITH_PLAN]: {
    kind: 'share',
    subgraph: 'cases',
    de: 'Anteil der aktiven Fälle mit Integrationsplan',
    en: 'Share of active cases that have an integration plan',
  },
  [MetricKey.MEDIAN_DAYS_TO_FIRST_PLAN]: {
    kind: 'days',
    subgraph: 'cases',
    de: 'Median der Tage von der Fallaufnahme bis zum ersten Integrationsplan',
    en: 'Median days from opening a case to its first integration plan',
  },
  [MetricKey.SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS]: {
    kind: 'share',
    subgraph: 'cases',
    de: 'Anteil der Integrationspläne, die in den letzten sechs Monaten fortgeschrieben wurden',
    en: 'Share of integration plans reviewed within the last six months',
  },
  [MetricKey.SHARE_GOALS_ACHIEVED]: {
    kind: 'share',
    subgraph: 'cases',
    de: 'Anteil der erreichten Ziele an den abgeschlossenen Zielen des Integrationsplans',
    en: 'Share of the integration plan’s concluded goals that were achieved',
  },
  [MetricKey.SHARE_HOME_VISITS]: {
    kind: 'share',
    subgraph: 'cases',
    de: 'Anteil der Beratungen, die als Hausbesuch stattfanden',
    en: 'Share of consultations held as home visits',
  },
  [MetricKey.SHARE_CASES_REACHING_LIMIT]: {
    kind: 'share',
    subgraph: 'cases',
    de: 'Anteil der Fälle, die die Höchstdauer von drei Jahren erreichen',
    en: 'Share of cases that reach the three-year limit of counselling',
  },
  [MetricKey.REFERRALS_SENT]: {
    kind: 'count',
    subgraph: 'referrals',
    de: 'Versendete Vermittlungen an Partner',
    en: 'Referrals sent to partners',
  },
  [MetricKey.SHARE_REFERRALS_ANSWERED_IN_TIME]: {
    kind: 'share',
    subgraph: 'referrals',
    de: 'Anteil der Vermittlungen, die der Partner innerhalb der Antwortfrist beantwortet hat',
    en: 'Share of referrals the partner answered within the response deadline',
  },
  [MetricKey.MEDIAN_DAYS_TO_FIRST_RESPONSE]: {
    kind: 'days',
    subgraph: 'referrals',
    de: 'Median der Tage vom Versand einer Vermittlung bis zur ersten Antwort des Partners',
    en: 'Median days from sending a referral to the partner’s first response',
  },
  [MetricKey.MEDIAN_DAYS_TO_START]: {
    kind: 'days',
    subgraph: 'referrals',
    de: 'Median der Tage vom Versand einer Vermittlung bis zum Beginn der Maßnahme',
    en: 'Median days from sending a referral to the start of the measure',
  },
  [MetricKey.ACCEPTANCE_RATE]: {
    kind: 'share',
    subgraph: 'referrals',
    de: 'Annahmequote: Anteil der angenommenen an den beantworteten Vermittlungen',
    en: 'Acceptance rate: share of answered referrals that were accepted',
  },
  [MetricKey.COMPLETION_RATE]: {
    kind: 'share',
    subgraph: 'referrals',
    de: 'Abschlussquote: Anteil der abgeschlossenen an den begonnenen Vermittlungen',
    en: 'Completion rate: share of started referrals that were completed',
  },
  [MetricKey.NO_SHOW_RATE]: {
    kind: 'share',
    subgraph: 'referrals',
    de: 'Nichterscheinensquote: Anteil der angenommenen Vermittlungen, zu denen die Person nicht erschienen ist',
    en: 'No-show rate: share of accepted referrals where the client did not appear',
  },
  [MetricKey.EXPIRY_RATE]: {
    kind: 'share',
    subgraph: 'referrals',
    de: 'Verfallsquote: Anteil der versendeten Vermittlungen, die unbeantwortet verfallen sind',
    en: 'Expiry rate: share of sent referrals that expired unanswered',
  },
  [MetricKey.SHARE_LANGUAGE_COURSES_B1_OR_HIGHER]: {
    kind: 'share',
    subgraph: 'referrals',
    de: 'Anteil der abgeschlossenen Sprachkurs-Vermittlungen mit erreichtem Niveau B1 oder höher',
    en: 'Share of completed language-course referrals that reached level B1 or higher',
  },
};

/** The metric keys in the table's order (cases first, then referrals): the order of lists of standards. */
export const METRIC_KEYS: readonly MetricKey[] = Object.values(MetricKey);

export function metricDefinition(metric: MetricKey): MetricDefinition {
  return METRICS[metric];
}

registerEnumType(MetricKey, {
  name: 'MetricKey',
  description:
    'A metric a standard of the cooperation is measured by, computed by the cases or the referrals subgraph. Shares and rates are proportions between 0 and 1.',
  valuesConfig: Object.fromEntries(
    (Object.keys(MetricKey) as (keyof typeof MetricKey)[]).map((name) => {
      const { kind, subgraph, en, de } = METRICS[MetricKey[name]];
      return [name, { description: `${en}. — ${de}. (${kind}, computed by ${subgraph})` }];
    }),
  ),
});
