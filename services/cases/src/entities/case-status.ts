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

/**
 * Status changes of changeCaseStatus; anything else is refused with rule "allowedTransition". Closing is
 * closeCase (it needs a reason); a closed case stays closed.
 */
export const CASE_STATUS_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  [CaseStatus.INTAKE]: [CaseStatus.ACTIVE],
  [CaseStatus.ACTIVE]: [CaseStatus.PAUSED],
  [CaseStatus.PAUSED]: [CaseStatus.ACTIVE],
  [CaseStatus.CLOSED]: [],
};
