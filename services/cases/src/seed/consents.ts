import { DEMO_ORGANIZATIONS, DEMO_REFERRALS, DEMO_USERS, demoId, findDemoOrganization, Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { ShareableField } from '../consent/vocabulary';
import { seedCases } from './cases';

const TEXT_VERSION = 'IM-BW-Einwilligung-2023-2';
const SHARING_TEXT_VERSION = 'IM-BW-Datenweitergabe-2023-1';

/** Cases without a counselling consent (still in intake): negative examples for the referral consent check. */
export const CASES_WITHOUT_COUNSELLING_CONSENT = [demoId('case', 'ortenau-3'), demoId('case', 'extra-4')];

/** What each demo referral's receiver may get, by receiver alias. */
const SCOPES: Record<string, ShareableField[]> = {
  jobcenter: ['name', 'dateOfBirth', 'phone', 'email', 'residenceStatus', 'germanLevel', 'qualifications', 'schooling'],
  vhs: ['name', 'dateOfBirth', 'phone', 'languages', 'germanLevel', 'schooling'],
  mbe: ['name', 'phone', 'languages', 'residenceStatus'],
};

export interface SeedConsent {
  id: string;
  caseId: string;
  kind: 'counselling' | 'data_sharing';
  recipientOrganizationId: string | null;
  recipientKind: string | null;
  scope: string[];
  purposes: string[];
  textVersion: string;
  givenOn: string;
  validUntil: string | null;
  revokedAt: string | null;
  revocationNote: string | null;
}

const aliasOf = (organizationId: string) => findDemoOrganization(organizationId)?.alias ?? 'other';

/**
 * The seeded consents:
 * - COUNSELLING for every seeded case except CASES_WITHOUT_COUNSELLING_CONSENT, given on the day the case opened;
 * - DATA_SHARING for the receiver of every demo referral (DEMO_REFERRALS), given the day the referral was created;
 *   offenburg-1's consent names the kind "jobcenter" instead of one organisation;
 * - ortenau-2's consent for the migration counselling (its referral is still a draft) was revoked: the draft must
 *   not be sent;
 * - offenburg-2 has an expired data-sharing consent for the Volkshochschule.
 */
export function seedConsents(): SeedConsent[] {
  const consents: SeedConsent[] = [];
  for (const seed of seedCases()) {
    if (CASES_WITHOUT_COUNSELLING_CONSENT.includes(seed.id)) continue;
    consents.push({
      id: demoId('consent', `counselling:${seed.id}`),
      caseId: seed.id,
      kind: 'counselling',
      recipientOrganizationId: null,
      recipientKind: null,
      scope: [],
      purposes: ['Beratung im Integrationsmanagement', 'Integrationsplan', 'Anonymisierte Statistik für das Land'],
      textVersion: TEXT_VERSION,
      givenOn: seed.openedAt.slice(0, 10),
      validUntil: null,
      revokedAt: null,
      revocationNote: null,
    });
  }
  for (const referral of DEMO_REFERRALS) {
    const alias = aliasOf(referral.receiverOrganizationId);
    const byKind = referral.caseId === demoId('case', 'offenburg-1');
    const revoked = referral.caseId === demoId('case', 'ortenau-2') && alias === 'mbe';
    consents.push({
      id: demoId('consent', `sharing:${referral.id}`),
      caseId: referral.caseId,
      kind: 'data_sharing',
      recipientOrganizationId: byKind ? null : referral.receiverOrganizationId,
      recipientKind: byKind ? 'jobcenter' : null,
      scope: SCOPES[alias] ?? ['name', 'phone'],
      purposes: [`Vermittlung an ${findDemoOrganization(referral.receiverOrganizationId)?.name ?? 'eine Partnerorganisation'}`],
      textVersion: SHARING_TEXT_VERSION,
      givenOn: referral.createdAt.slice(0, 10),
      validUntil: null,
      revokedAt: revoked ? '2026-11-20T15:30:00Z' : null,
      revocationNote: revoked ? 'Client revoked the consent by phone' : null,
    });
  }
  consents.push({
    id: demoId('consent', 'sharing:offenburg-2-vhs-expired'),
    caseId: demoId('case', 'offenburg-2'),
    kind: 'data_sharing',
    recipientOrganizationId: DEMO_ORGANIZATIONS.vhs.id,
    recipientKind: null,
    scope: SCOPES.vhs,
    purposes: ['Anmeldung zum Integrationskurs'],
    textVersion: SHARING_TEXT_VERSION,
    givenOn: '2023-11-15',
    validUntil: '2024-11-14',
    revokedAt: null,
    revocationNote: null,
  });
  return consents;
}

/** Idempotent: inserts the consents that are missing, never overwrites (a revocation made by a user stays). */
export async function seedConsentData(manager: EntityManager, logger: Logger): Promise<void> {
  const languages = new Map<string, string>(
    (await manager.query(`SELECT c.id, cl.languages[1] AS language FROM cases c JOIN clients cl ON cl.id = c.client_id`)).map(
      (row: { id: string; language: string | null }) => [row.id, row.language ?? 'de'],
    ),
  );
  const owners = new Map(seedCases().map((seed) => [seed.id, seed.ownerOrganizationId]));
  let inserted = 0;
  for (const consent of seedConsents()) {
    const owner = owners.get(consent.caseId)!;
    const recorder = DEMO_USERS.find((u) => u.organizationId === owner && u.handle.endsWith('-caseworker'))?.id ?? 'seed';
    const rows = await manager.query(
      `INSERT INTO consents (id, owner_organization_id, case_id, kind, recipient_organization_id, recipient_kind, scope, purposes, text_version,
                             explained_in, given_on, valid_until, recorded_by, revoked_at, revocation_note, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        consent.id,
        owner,
        consent.caseId,
        consent.kind,
        consent.recipientOrganizationId,
        consent.recipientKind,
        consent.scope,
        consent.purposes,
        consent.textVersion,
        languages.get(consent.caseId) ?? 'de',
        consent.givenOn,
        consent.validUntil,
        recorder,
        consent.revokedAt,
        consent.revocationNote,
        consent.revokedAt ? 2 : 1,
      ],
    );
    inserted += rows.length;
  }
  logger.info({ inserted, total: seedConsents().length }, 'consents demo data');
}
