import { LanguageLevel } from '@integration-graph/common';
import { registerEnumType } from 'type-graphql';

export { LifeArea } from '@integration-graph/common';

export enum Urgency {
  ROUTINE = 'routine',
  URGENT = 'urgent',
  ASAP = 'asap',
}
registerEnumType(Urgency, { name: 'Urgency', description: 'How soon the client needs the service (FHIR: routine, urgent, asap)' });

export enum DeclineReason {
  NO_CAPACITY = 'no_capacity',
  NOT_ELIGIBLE = 'not_eligible',
  NOT_RESPONSIBLE = 'not_responsible',
  CLIENT_UNREACHABLE = 'client_unreachable',
  DUPLICATE = 'duplicate',
  OTHER = 'other',
}
registerEnumType(DeclineReason, { name: 'DeclineReason', description: 'Why a partner declines a referral' });

export enum FailureReason {
  DROPPED_OUT = 'dropped_out',
  MOVED_AWAY = 'moved_away',
  HEALTH = 'health',
  SERVICE_ENDED = 'service_ended',
  OTHER = 'other',
}
registerEnumType(FailureReason, { name: 'FailureReason', description: 'Why a started referral ended without success' });

export enum CancellationReason {
  CLIENT_WITHDREW = 'client_withdrew',
  REFERRED_ELSEWHERE = 'referred_elsewhere',
  NO_LONGER_NEEDED = 'no_longer_needed',
  SENT_IN_ERROR = 'sent_in_error',
  CONSENT_REVOKED = 'consent_revoked',
  OTHER = 'other',
}
registerEnumType(CancellationReason, { name: 'CancellationReason', description: 'Why the sender cancels a referral' });

export enum OutcomeCode {
  LEVEL_REACHED = 'level_reached',
  CERTIFICATE = 'certificate',
  PLACED_IN_WORK = 'placed_in_work',
  PLACED_IN_TRAINING = 'placed_in_training',
  PLACED_IN_MEASURE = 'placed_in_measure',
  SERVICE_PROVIDED = 'service_provided',
  NOT_RECORDED = 'not_recorded',
}
registerEnumType(OutcomeCode, {
  name: 'OutcomeCode',
  description: 'What came of a completed referral',
  valuesConfig: {
    LEVEL_REACHED: { description: 'Language course: the level reached (give levelReached)' },
    CERTIFICATE: { description: 'Language course: a certificate at a level (give levelReached and certificate, e.g. "DTZ B1")' },
    PLACED_IN_WORK: { description: 'Jobcenter, employment agency: placement into work' },
    PLACED_IN_TRAINING: { description: 'Placement into vocational training' },
    PLACED_IN_MEASURE: { description: 'Placement into a measure (Maßnahme)' },
    SERVICE_PROVIDED: { description: 'The service was provided (counselling, workshop, ...)' },
    NOT_RECORDED: { description: 'Closed before outcomes were recorded (old data only)' },
  },
});

/** The outcome as stored (jsonb). */
export interface ReferralOutcomeValue {
  code: OutcomeCode;
  levelReached?: LanguageLevel | null;
  certificate?: string | null;
  note?: string | null;
}
