import { registerEnumType } from 'type-graphql';

/**
 * Lifecycle of a referral, in the spirit of HL7 FHIR Task and closed-loop referral systems. The transitions and
 * who may make them arrive with the referral lifecycle; the states are fixed here so stored data never changes
 * meaning.
 */
export enum ReferralStatus {
  DRAFT = 'draft',
  SENT = 'sent',
  RECEIVED = 'received',
  ACCEPTED = 'accepted',
  DECLINED = 'declined',
  WAITLISTED = 'waitlisted',
  SCHEDULED = 'scheduled',
  IN_PROGRESS = 'in_progress',
  ON_HOLD = 'on_hold',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  NO_SHOW = 'no_show',
  EXPIRED = 'expired',
}

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'Where a referral (Vermittlung) stands in its closed loop',
  valuesConfig: {
    DRAFT: { description: 'Being prepared by the sender; not visible to the receiver' },
    SENT: { description: 'Sent to the receiving organisation' },
    RECEIVED: { description: 'Opened by the receiving organisation' },
    ACCEPTED: { description: 'Accepted by the receiver' },
    DECLINED: { description: 'Declined by the receiver, with a reason' },
    WAITLISTED: { description: 'On the receiver’s waiting list' },
    SCHEDULED: { description: 'A start date is set' },
    IN_PROGRESS: { description: 'The service (course, measure, counselling) is under way' },
    ON_HOLD: { description: 'Interrupted for now' },
    COMPLETED: { description: 'Finished, with an outcome' },
    FAILED: { description: 'Ended without success, with a reason' },
    CANCELLED: { description: 'Withdrawn by the sender, with a reason' },
    NO_SHOW: { description: 'The client did not appear' },
    EXPIRED: { description: 'No answer within the response deadline' },
  },
});
