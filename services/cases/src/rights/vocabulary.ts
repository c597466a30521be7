import { registerEnumType } from 'type-graphql';

/** Why the processing of a client's data is restricted: the cases of Art. 18 (1) GDPR. Stored in lower case. */
export enum ProcessingRestrictionReason {
  ACCURACY_CONTESTED = 'accuracy_contested',
  UNLAWFUL_PROCESSING = 'unlawful_processing',
  LEGAL_CLAIMS = 'legal_claims',
  OBJECTION_PENDING = 'objection_pending',
}
registerEnumType(ProcessingRestrictionReason, {
  name: 'ProcessingRestrictionReason',
  description: 'Why the processing of a client’s data is restricted (Art. 18 (1) GDPR)',
  valuesConfig: {
    ACCURACY_CONTESTED: { description: '(a) the client contests the accuracy of the data, while it is being verified' },
    UNLAWFUL_PROCESSING: { description: '(b) the processing is unlawful and the client asks for restriction instead of erasure' },
    LEGAL_CLAIMS: { description: '(c) the data is no longer needed, but the client needs it for legal claims' },
    OBJECTION_PENDING: { description: '(d) the client objected (Art. 21 (1)), while it is being verified whose grounds prevail' },
  },
});

/** Why a client's data is erased on request: the grounds of Art. 17 (1) GDPR. Never free text (the report goes to the audit trail). */
export enum ErasureGround {
  NO_LONGER_NECESSARY = 'no_longer_necessary',
  CONSENT_WITHDRAWN = 'consent_withdrawn',
  OBJECTION = 'objection',
  UNLAWFULLY_PROCESSED = 'unlawfully_processed',
  LEGAL_OBLIGATION = 'legal_obligation',
}
registerEnumType(ErasureGround, {
  name: 'ErasureGround',
  description: 'The ground of an erasure request (Art. 17 (1) GDPR)',
  valuesConfig: {
    NO_LONGER_NECESSARY: { description: '(a) no longer necessary for the purposes of counselling' },
    CONSENT_WITHDRAWN: { description: '(b) the client withdrew the consent the processing rested on' },
    OBJECTION: { description: '(c) the client objected and no overriding legitimate grounds remain' },
    UNLAWFULLY_PROCESSED: { description: '(d) the data was processed unlawfully' },
    LEGAL_OBLIGATION: { description: '(e) erasure is required by a legal obligation' },
  },
});

/** What anonymised a client: the retention job, or an erasure request of the client carried out by a lead. */
export enum AnonymisationReason {
  RETENTION = 'retention',
  ERASURE_REQUEST = 'erasure_request',
}
registerEnumType(AnonymisationReason, {
  name: 'AnonymisationReason',
  valuesConfig: {
    RETENTION: { description: 'The retention period after the last closed case ended (CASE_RETENTION_MONTHS)' },
    ERASURE_REQUEST: { description: 'The client asked for erasure (Art. 17 GDPR); a lead carried it out' },
  },
});

/** What replaces names and free text that must not be empty. */
export const ANONYMISED_TEXT = 'anonymisiert';
