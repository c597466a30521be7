import { EntityManager } from 'typeorm';
import { Referral } from '../entities/referral';

export interface OutboxEvent {
  eventId: string;
  topic: string;
  referral: Referral;
  recipientOrganizationId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes a notification for a partner system into the outbox, in the transaction of the change: it is delivered
 * after commit by the delivery worker (at least once), and never if the change is rolled back.
 */
export async function enqueue(manager: EntityManager, event: OutboxEvent): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (event_id, referral_id, recipient_organization_id, sender_organization_id, topic, payload) VALUES ($1, $2, $3, $4, $5, $6)`,
    [event.eventId, event.referral.id, event.recipientOrganizationId, event.referral.senderOrganizationId, event.topic, event.payload],
  );
}
