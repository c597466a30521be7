/**
 * The operations of issue 8, as the benchmark sends them and as test/query-counts.test.ts guards them: one document
 * each, with the page size as a variable (the statement count must not grow with it).
 */

/** 1. A partner's inbox: incoming referrals with the consented snapshot, the offering and the sending organisation. */
export const PARTNER_INBOX = `query PartnerInbox($first: Int!) {
  incomingReferrals(first: $first) {
    totalCount
    edges { node {
      id status urgency sentAt responseDueAt isOverdue lifeArea reason
      clientData clientDataScope clientDataWithdrawnAt
      offering { id title { text } startsOn seatsFree }
      sender { id name }
      history { toStatus occurredAt }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** 2. A caseload page: cases with client name, open goals per life area, next review, referrals' status, owner. */
export const CASELOAD_PAGE = `query CaseloadPage($first: Int!) {
  cases(first: $first) {
    totalCount
    edges { node {
      id status openedAt periodEndsOn
      client { id givenName familyName }
      plan { nextReviewDue openGoalsByLifeArea { lifeArea count } }
      referrals { id status sentAt }
      ownerOrganization { id name }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** 3. The public directory: language courses with free seats reachable from a municipality, in a language. */
export const PUBLIC_DIRECTORY = `query PublicDirectory($first: Int!, $ags: String!, $lang: Language!) {
  offerings(first: $first, filter: { types: ["integration-course"], reachableFromAgs: $ags, hasFreeSeats: true }) {
    totalCount
    edges { node {
      id title(lang: $lang) { text language } startsOn endsOn seatsFree targetLevel
      organization { id name }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** What operations 4 and 4b ask of each district: its standards, every municipality's figures and verdicts, medians. */
const DISTRICT_FIGURES = `standards { metric target direction }
    municipalities {
      municipality { id name }
      caseMetrics { metric value suppressed }
      referralMetrics { metric value suppressed }
      standardResults { metric met suppressed }
    }
    caseDistribution { metric median lowerQuartile upperQuartile }
    referralDistribution { metric median lowerQuartile upperQuartile }`;

/** 4. The standards comparison of a district for one period. */
export const STANDARDS_COMPARISON = `query StandardsComparison($districtId: ID!, $period: String!) {
  districtComparison(districtId: $districtId, period: $period) {
    period
    ${DISTRICT_FIGURES}
  }
}`;

/** 4b. The standards comparison of the whole state (every district, as 4. for each) for one period. */
export const STATE_COMPARISON = `query StateComparison($period: String!) {
  stateComparison(period: $period) {
    period
    districts {
      district { id name }
      ${DISTRICT_FIGURES}
    }
  }
}`;

/** 5a. Recording a consultation. */
export const RECORD_CONSULTATION = `mutation RecordConsultation($input: RecordConsultationInput!) {
  recordConsultation(input: $input) { id occurredAt }
}`;

/** 5b. Sending a referral (checks consent, takes the snapshot in the cases subgraph, the receiver in partners). */
export const SEND_REFERRAL = `mutation SendReferral($input: SendReferralInput!) {
  sendReferral(input: $input) { id status clientDataScope }
}`;
