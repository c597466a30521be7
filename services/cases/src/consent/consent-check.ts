import { EntityManager } from 'typeorm';
import { Consent } from '../entities/consent';
import { ConsentKind } from '../entities/enums';

/**
 * A consent is valid on a day when it was given on or before that day, has not been revoked (revocation is
 * effective immediately, whatever the time of day) and has not passed its last day of validity.
 */
export function isConsentValid(consent: Pick<Consent, 'revokedAt' | 'givenOn' | 'validUntil'>, today: string): boolean {
  return consent.revokedAt === null && consent.givenOn <= today && (consent.validUntil === null || consent.validUntil >= today);
}

export interface DataSharingDecision {
  allowed: boolean;
  /** The valid data-sharing consent the decision rests on (also when the counselling consent is missing). */
  consent: Consent | null;
  /** The fields that may be shared now: the consent's scope when allowed, nothing otherwise. */
  scope: string[];
  /** Why sharing is not allowed; null when it is. */
  reason: string | null;
  /** The kinds of consent that are missing (not recorded, revoked or expired). */
  missing: ConsentKind[];
  checkedAt: Date;
}

export interface Recipient {
  organizationId: string;
  /** The recipient organisation's kind (partners' OrganizationKind, lower case), so that kind-wide consents count. */
  kind: string | null;
}

/** Why the latest consent of a kind does not count; `what` names it, e.g. "COUNSELLING consent". */
function whyNot(what: string, latest: Consent | undefined, today: string): string {
  if (!latest) return `no ${what} is recorded`;
  if (latest.revokedAt) return `the ${what} was revoked on ${latest.revokedAt.toISOString()}`;
  if (latest.validUntil !== null && latest.validUntil < today) return `the ${what} expired on ${latest.validUntil}`;
  return `the ${what} is not yet valid (given on ${latest.givenOn})`;
}

/**
 * May the case's data be shared with this recipient now? Allowed exactly when the case has a valid COUNSELLING
 * consent and a valid DATA_SHARING consent for the recipient organisation or for its kind.
 *
 * Designed so that a revocation cannot be missed:
 * - it reads the consents afresh, in the caller's request transaction, at the moment of the call: no DataLoader,
 *   no cache across or within requests;
 * - it takes a share lock on the consent rows (SELECT ... FOR SHARE): a revocation that is being written at the
 *   same moment is waited for and then seen, and a revocation cannot commit while the check's request is running;
 * - a revoked consent is never valid again (revoked_at is set once and never cleared).
 * Callers (the referrals subgraph) must call it in the same request that sends a referral, and again whenever they
 * show the data snapshot of a referral; never remember its answer.
 *
 * The caller must have made sure the case is visible to them (NOT_FOUND otherwise): row-level security hides the
 * consents of invisible cases, which would read as "no consent".
 */
export async function checkDataSharing(manager: EntityManager, caseId: string, recipient: Recipient, today: string): Promise<DataSharingDecision> {
  const rows = await manager
    .createQueryBuilder(Consent, 'co')
    .where('co.case_id = :caseId', { caseId })
    .andWhere(`(co.kind = :counselling OR (co.kind = :sharing AND (co.recipient_organization_id = :organizationId OR co.recipient_kind = :kind)))`, {
      counselling: ConsentKind.COUNSELLING,
      sharing: ConsentKind.DATA_SHARING,
      organizationId: recipient.organizationId,
      kind: recipient.kind ?? '',
    })
    .orderBy('co.given_on', 'DESC')
    .addOrderBy('co.created_at', 'DESC')
    .addOrderBy('co.id', 'ASC')
    .setLock('pessimistic_read')
    .getMany();
  const counselling = rows.filter((row) => row.kind === ConsentKind.COUNSELLING);
  // A consent for the one organisation is more specific than one for its kind: it wins when both are valid.
  const sharing = [
    ...rows.filter((row) => row.kind === ConsentKind.DATA_SHARING && row.recipientOrganizationId === recipient.organizationId),
    ...rows.filter((row) => row.kind === ConsentKind.DATA_SHARING && row.recipientOrganizationId !== recipient.organizationId),
  ];
  const validCounselling = counselling.find((row) => isConsentValid(row, today));
  const validSharing = sharing.find((row) => isConsentValid(row, today)) ?? null;
  const missing: ConsentKind[] = [];
  const reasons: string[] = [];
  if (!validCounselling) {
    missing.push(ConsentKind.COUNSELLING);
    reasons.push(whyNot('COUNSELLING consent', counselling[0], today));
  }
  if (!validSharing) {
    missing.push(ConsentKind.DATA_SHARING);
    reasons.push(whyNot('DATA_SHARING consent for this recipient', sharing[0], today));
  }
  const allowed = missing.length === 0;
  return {
    allowed,
    consent: validSharing,
    scope: allowed ? [...validSharing!.scope] : [],
    reason: allowed ? null : reasons.join('; '),
    missing,
    checkedAt: new Date(),
  };
}
