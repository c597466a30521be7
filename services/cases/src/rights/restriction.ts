import { forbidden, invalidInput, isUuid, RequestContext } from '@integration-graph/common';
import { GraphQLError } from 'graphql';

/** The records whose client's restriction processing_restriction_of() can tell (migration 1764600000000). */
export type RestrictableEntity = 'Client' | 'Household' | 'HouseholdChild' | 'Case' | 'Consent' | 'IntegrationPlan' | 'Goal' | 'Measure' | 'Consultation';

export interface ProcessingRestriction {
  clientId: string;
  since: Date;
}

export const PROCESSING_RESTRICTED = 'processingRestricted';

/**
 * Whether the record belongs to a client of the caller's organisation whose processing is restricted (Art. 18
 * GDPR). Asked of a SECURITY DEFINER function, so it also answers for records row-level security hides from the
 * caller (a caseworker does not see a restricted client's case); it answers only the organisation's case staff and
 * auditors, and only about their own organisation's records: anyone else learns nothing (null).
 */
export async function processingRestrictionOf(context: RequestContext, entity: RestrictableEntity, id: string): Promise<ProcessingRestriction | null> {
  if (!isUuid(id)) return null;
  const manager = await context.tx.manager();
  const rows: { client_id: string; restricted_since: Date }[] = await manager.query(
    `SELECT client_id, restricted_since FROM processing_restriction_of($1, $2)`,
    [entity, id],
  );
  return rows.length ? { clientId: rows[0].client_id, since: rows[0].restricted_since } : null;
}

/** FORBIDDEN, rule processingRestricted: what the restriction forbids, and that a lead can lift it. */
export function processingRestrictedError(restriction: ProcessingRestriction, what: 'read' | 'change' | 'share', field?: string): GraphQLError {
  const forbids = {
    read: 'only the organisation’s leads and auditors may read the client’s data',
    change: 'nobody may change the client’s data',
    share: 'nothing of the client’s data may be shared',
  }[what];
  return forbidden(
    `The processing of this client’s data is restricted (Art. 18 GDPR) since ${restriction.since.toISOString()}: ${forbids} until a lead lifts the restriction (liftClientProcessingRestriction)`,
    { ...(field ? { field } : {}), rule: PROCESSING_RESTRICTED, clientId: restriction.clientId },
  );
}

/**
 * Refuses a change of a record of a restricted client, whoever asks (leads included: only lifting the restriction
 * changes anything), before anything is read or written. `field` names the input field that carried the id.
 * Row-level security refuses the same writes again in the database.
 */
export async function refuseChangeIfRestricted(context: RequestContext, entity: RestrictableEntity, field: string, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const restriction = await processingRestrictionOf(context, entity, id);
  if (restriction) throw processingRestrictedError(restriction, 'change', field);
}

/** Refuses sharing (referral snapshots, the consent check for sending) from a restricted client's case. */
export async function refuseSharingIfRestricted(context: RequestContext, field: string, caseId: string): Promise<void> {
  const restriction = await processingRestrictionOf(context, 'Case', caseId);
  if (restriction) throw processingRestrictedError(restriction, 'share', field);
}

/**
 * For a root query that found nothing: a record hidden because its client is restricted is FORBIDDEN with a clear
 * message (the caller is a caseworker of the owning organisation); otherwise the caller gets the usual null.
 */
export async function nullUnlessRestricted<T>(context: RequestContext, entity: RestrictableEntity, id: string, found: T | null): Promise<T | null> {
  if (found) return found;
  const restriction = await processingRestrictionOf(context, entity, id);
  if (restriction) throw processingRestrictedError(restriction, 'read');
  return null;
}

/** An anonymised client never changes again (nor gets a new case): BAD_USER_INPUT, rule notAnonymised. */
export function refuseIfAnonymised(field: string, client: { anonymisedAt: Date | null }): void {
  if (client.anonymisedAt) {
    throw invalidInput(
      field,
      'notAnonymised',
      `the client was anonymised on ${client.anonymisedAt.toISOString()}; nothing identifies the person any more, and nothing about them changes. Record a new client if the person comes back.`,
    );
  }
}
