import { envInt, forbidden, hasAnyRole, invalidInput, Principal, RequestContext, Role, updateWithVersion } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Referral } from '../entities/referral';
import { ReferralStatus } from '../entities/referral-status';
import { enqueue } from '../outbox/enqueue';
import { CLOSED_STATES, RESPONSE_STATES, Side, TRANSITIONS } from './transitions';

export function responseDeadlineDays(): number {
  return envInt('REFERRAL_RESPONSE_DEADLINE_DAYS', 14);
}

/** Which side of the referral the caller is on; FORBIDDEN when on neither (row-level security hides it anyway). */
export function sideOf(principal: Principal, referral: Referral): Side {
  if (principal.organizationId === referral.senderOrganizationId && hasAnyRole(principal, [Role.Caseworker, Role.Lead])) return 'sender';
  if (principal.organizationId === referral.receiverOrganizationId && hasAnyRole(principal, [Role.Partner])) return 'receiver';
  throw forbidden('You are neither on the sending nor on the receiving side of this referral');
}

export interface TransitionRequest {
  referral: Referral;
  to: ReferralStatus;
  expectedVersion: number;
  actor: { userId: string; organizationId: string | null; side: Side };
  comment?: string | null;
  /** Column changes that come with the transition (reason, outcome, dates, ...). */
  changes?: QueryDeepPartialEntity<Referral>;
  /** Extra facts for the event and the notification (e.g. the waitlist position). */
  details?: Record<string, unknown>;
}

/**
 * The one way a referral changes status: checks the state machine and the side, writes the change with the
 * expected version in the WHERE clause (CONFLICT otherwise), records the event (actor, time, comment) and writes a
 * notification for the other side into the outbox, all in the caller's transaction.
 */
export async function applyTransition(manager: EntityManager, request: TransitionRequest): Promise<Referral> {
  const { referral, to, actor } = request;
  const rule = TRANSITIONS[to];
  if (!rule) throw invalidInput('status', 'allowedTransition', `nothing leads to ${to.toUpperCase()}`);
  if (rule.side !== actor.side) {
    throw forbidden(`Only the ${rule.side} side may move a referral to ${to.toUpperCase()} (${rule.mutation}); you are the ${actor.side}`);
  }
  if (!rule.from.includes(referral.status)) {
    const closed = CLOSED_STATES.includes(referral.status);
    throw invalidInput(
      'status',
      'allowedTransition',
      `a ${referral.status.toUpperCase()} referral cannot become ${to.toUpperCase()}${closed ? ' (the loop is closed)' : `; ${rule.mutation} works from ${rule.from.join(', ').toUpperCase()}`}`,
    );
  }
  const now = new Date();
  const changes: QueryDeepPartialEntity<Referral> = { ...request.changes, status: to };
  if (actor.side === 'receiver' && !referral.firstResponseAt && RESPONSE_STATES.includes(to)) changes.firstResponseAt = now;
  if (to === ReferralStatus.IN_PROGRESS && !referral.startedAt) changes.startedAt = now;
  if (CLOSED_STATES.includes(to)) changes.closedAt = now;
  const updated = await updateWithVersion(manager, Referral, 'Referral', referral.id, request.expectedVersion, changes);
  const [event]: { id: string }[] = await manager.query(
    `INSERT INTO referral_events (referral_id, sender_organization_id, receiver_organization_id, from_status, to_status, actor_user_id,
                                  actor_organization_id, actor_side, comment, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      referral.id,
      referral.senderOrganizationId,
      referral.receiverOrganizationId,
      referral.status,
      to,
      actor.userId,
      actor.organizationId,
      actor.side,
      request.comment?.trim() || null,
      request.details ?? {},
    ],
  );
  // The other side hears about it; a system change (expiry) goes to both.
  const recipients =
    actor.side === 'sender' ? [referral.receiverOrganizationId] : actor.side === 'receiver' ? [referral.senderOrganizationId] : [referral.senderOrganizationId, referral.receiverOrganizationId];
  for (const recipientOrganizationId of recipients) {
    await enqueue(manager, {
      eventId: event.id,
      topic: `referral.${to}`,
      referral: updated,
      recipientOrganizationId,
      payload: { referralId: referral.id, from: referral.status, to, at: now.toISOString(), side: actor.side, details: request.details ?? {} },
    });
  }
  return updated;
}

/** The request's actor on the caller's side. */
export function actorOf(context: RequestContext, principal: Principal, referral: Referral) {
  return { userId: principal.userId, organizationId: principal.organizationId, side: sideOf(principal, referral) };
}
