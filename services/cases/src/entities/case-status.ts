import { registerEnumType } from 'type-graphql';

/** Status of a counselling case (Beratungsfall). */
export enum CaseStatus {
  INTAKE = 'intake',
  ACTIVE = 'active',
  PAUSED = 'paused',
  CLOSED = 'closed',
}

registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Status of a counselling case (Beratungsfall)',
  valuesConfig: {
    INTAKE: { description: 'Erstgespräch: first contact, eligibility and consent being clarified' },
    ACTIVE: { description: 'Counselling under way' },
    PAUSED: { description: 'Counselling paused, e.g. at the client’s request' },
    CLOSED: { description: 'Counselling ended' },
  },
});

/** Allowed status changes; anything else is refused with rule "allowedTransition". */
export const CASE_STATUS_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  [CaseStatus.INTAKE]: [CaseStatus.ACTIVE, CaseStatus.CLOSED],
  [CaseStatus.ACTIVE]: [CaseStatus.PAUSED, CaseStatus.CLOSED],
  [CaseStatus.PAUSED]: [CaseStatus.ACTIVE, CaseStatus.CLOSED],
  [CaseStatus.CLOSED]: [],
};
