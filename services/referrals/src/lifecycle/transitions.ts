import { ReferralStatus as S } from '../entities/referral-status';

export type Side = 'sender' | 'receiver' | 'system';

/** What a transition needs besides the allowed start states. */
export interface TransitionRule {
  from: readonly S[];
  side: Side;
  /** The GraphQL mutation that makes it (for error messages). */
  mutation: string;
}

/**
 * The referral state machine (in the spirit of FHIR Task and closed-loop referral systems). Every change goes
 * through here: only these transitions, each only by its side; closed states have no way out.
 */
export const TRANSITIONS: Partial<Record<S, TransitionRule>> = {
  [S.SENT]: { from: [S.DRAFT], side: 'sender', mutation: 'sendReferral' },
  [S.RECEIVED]: { from: [S.SENT], side: 'receiver', mutation: 'openReferral' },
  [S.ACCEPTED]: { from: [S.SENT, S.RECEIVED, S.WAITLISTED], side: 'receiver', mutation: 'acceptReferral' },
  [S.DECLINED]: { from: [S.SENT, S.RECEIVED, S.WAITLISTED], side: 'receiver', mutation: 'declineReferral' },
  [S.WAITLISTED]: { from: [S.SENT, S.RECEIVED, S.ACCEPTED, S.WAITLISTED], side: 'receiver', mutation: 'waitlistReferral' },
  [S.SCHEDULED]: { from: [S.ACCEPTED, S.WAITLISTED, S.SCHEDULED], side: 'receiver', mutation: 'scheduleReferral' },
  [S.IN_PROGRESS]: { from: [S.ACCEPTED, S.SCHEDULED, S.ON_HOLD], side: 'receiver', mutation: 'startReferral' },
  [S.ON_HOLD]: { from: [S.IN_PROGRESS], side: 'receiver', mutation: 'holdReferral' },
  [S.COMPLETED]: { from: [S.IN_PROGRESS, S.ON_HOLD, S.SCHEDULED], side: 'receiver', mutation: 'completeReferral' },
  [S.FAILED]: { from: [S.ACCEPTED, S.SCHEDULED, S.IN_PROGRESS, S.ON_HOLD], side: 'receiver', mutation: 'failReferral' },
  [S.NO_SHOW]: { from: [S.SCHEDULED], side: 'receiver', mutation: 'markReferralNoShow' },
  [S.CANCELLED]: {
    from: [S.DRAFT, S.SENT, S.RECEIVED, S.ACCEPTED, S.WAITLISTED, S.SCHEDULED, S.IN_PROGRESS, S.ON_HOLD],
    side: 'sender',
    mutation: 'cancelReferral',
  },
  [S.EXPIRED]: { from: [S.SENT, S.RECEIVED], side: 'system', mutation: '(deadline job)' },
};

/** States that close the loop: the sender knows what happened (an outcome or a reason code is recorded). */
export const CLOSED_STATES: readonly S[] = [S.DECLINED, S.COMPLETED, S.FAILED, S.CANCELLED, S.NO_SHOW, S.EXPIRED];

/** States that count as the partner's first answer (for the time to first response). */
export const RESPONSE_STATES: readonly S[] = [S.RECEIVED, S.ACCEPTED, S.DECLINED, S.WAITLISTED, S.SCHEDULED];

/** Where a referral may go from a state, by side (for clients that show the allowed actions). */
export function allowedNext(from: S, side: Side): S[] {
  return (Object.entries(TRANSITIONS) as [S, TransitionRule][]).filter(([, rule]) => rule.side === side && rule.from.includes(from)).map(([to]) => to);
}
