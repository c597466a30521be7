import { invalidInput, notFound, Principal, RETENTION_WORKER_ROLE } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { ANONYMISED_TEXT, AnonymisationReason, ErasureGround } from './vocabulary';

/** Who anonymised: a lead's erasure request (user and organisation) or the retention job (system, no organisation). */
export interface AnonymisationActor {
  userId: string;
  organizationId: string | null;
}

export const RETENTION_JOB_ACTOR: AnonymisationActor = { userId: RETENTION_WORKER_ROLE, organizationId: null };

/** What was cleared in one kind of record: how many records, which fields (names, never values). */
export interface ClearedData {
  entityType: string;
  count: number;
  fields: string[];
}

/**
 * What anonymiseClient did, for the caller, the job's log and the audit trail: ids, names of fields and counts only,
 * never a value of the person (the report is written to logs and, later, to the audit trail).
 */
export interface AnonymisationReport {
  clientId: string;
  ownerOrganizationId: string;
  reason: AnonymisationReason;
  /** The ground of an erasure request (Art. 17 (1)); null for retention. */
  ground: ErasureGround | null;
  actor: AnonymisationActor;
  anonymisedAt: Date;
  /** The client had been anonymised before (a retried request, or the job came first): nothing was changed now. */
  alreadyAnonymised: boolean;
  caseIds: string[];
  /** The household the client left; anonymised too when no other client belongs to it any more. */
  householdId: string | null;
  householdAnonymised: boolean;
  /** Consents that were still in force and are revoked now (the referrals' snapshots are withdrawn on their next read). */
  consentsRevoked: number;
  cleared: ClearedData[];
}

/**
 * What anonymisation clears, per kind of record, as the SQL of anonymiseClient does it. Kept: everything the
 * statistics read (cases: organisation, municipality, program, status, opening, closure and its reason; plans: the
 * last review; goals: life area, priority, status, creation and closing dates; measures: who is responsible and
 * the dates; consultations: time, duration, mode, life areas, interpreter), the categories of the client (gender,
 * nationalities, languages, residence status, relation to follow-up accommodation) and the year of birth and of arrival.
 */
export const ANONYMISED_FIELDS = {
  Client: ['givenName', 'familyName', 'dateOfBirth', 'arrivedOn', 'phone', 'email', 'accommodationSite', 'privateFlatSince', 'household', 'processingRestrictionLiftNote'],
  Case: ['closureNote', 'extensionReason', 'eligibilityOverrideReason', 'idempotencyKey'],
  Consent: ['revokedAt', 'revocationNote', 'purposes'],
  IntegrationPlan: ['vocationalQualification', 'academicDegree', 'workExperience', 'strengths', 'drivingLicence', 'germanSkills.certificate'],
  Goal: ['description'],
  Measure: ['description'],
  Consultation: ['note', 'idempotencyKey'],
  PlanRevision: ['summary', 'changes.before', 'changes.after'],
  Household: ['name'],
  HouseholdChild: ['givenName', 'dateOfBirth'],
} as const;

interface ClientRow {
  id: string;
  owner_organization_id: string;
  household_id: string | null;
  anonymised_at: Date | null;
  anonymisation_reason: AnonymisationReason | null;
}

/** One UPDATE of anonymiseClient; returns how many rows it changed. */
async function count(manager: EntityManager, update: string, params: unknown[]): Promise<number> {
  const [row]: { n: number }[] = await manager.query(`WITH changed AS (${update} RETURNING 1) SELECT count(*)::int AS n FROM changed`, params);
  return row.n;
}

/**
 * Anonymises a client and everything of their cases, in the caller's transaction: the one way a person's data is
 * erased, used by the retention job (reason `retention`) and by a lead's erasure request (`eraseClient`, reason
 * `erasure_request`). Replaces names with "anonymisiert", keeps the year of the dates of birth and arrival, removes
 * contact data, the place of living, household membership and every free text (notes, descriptions, the values in
 * the plan's revisions, consent purposes), revokes the consents still in force and sets `anonymised_at`; the
 * household is anonymised with its children when no other client belongs to it. Structural columns stay, so the
 * statistics of past periods come out exactly the same (tested).
 *
 * The transaction must run as the retention worker (role `retention-worker`; the job's scope, or eraseClient's for
 * this step): only it may change other organisations' clients and the append-only plan revisions. The client row is
 * locked first (FOR UPDATE); a client with a case that is not closed is refused (`noOpenCase`, naming `field`), one
 * that is restricted is not visible to the worker (NOT_FOUND), and one that was anonymised before is reported as such
 * and left alone (idempotent).
 */
export async function anonymiseClient(
  manager: EntityManager,
  clientId: string,
  reason: AnonymisationReason,
  actor: AnonymisationActor,
  options: { ground?: ErasureGround | null; field?: string } = {},
): Promise<AnonymisationReport> {
  const [{ worker }]: { worker: boolean }[] = await manager.query(`SELECT app_has_role($1) AS worker`, [RETENTION_WORKER_ROLE]);
  if (!worker) throw new Error('anonymiseClient needs the retention worker scope (see asRetentionWorker)');
  const [client]: ClientRow[] = await manager.query(
    `SELECT id, owner_organization_id, household_id, anonymised_at, anonymisation_reason FROM clients WHERE id = $1 FOR UPDATE`,
    [clientId],
  );
  if (!client) throw notFound('Client', clientId);
  const cases: { id: string; status: string }[] = await manager.query(`SELECT id, status FROM cases WHERE client_id = $1 ORDER BY opened_at, id FOR UPDATE`, [clientId]);
  const caseIds = cases.map((c) => c.id);
  const report: AnonymisationReport = {
    clientId,
    ownerOrganizationId: client.owner_organization_id,
    reason,
    ground: options.ground ?? null,
    actor,
    anonymisedAt: client.anonymised_at ?? new Date(),
    alreadyAnonymised: !!client.anonymised_at,
    caseIds,
    householdId: client.household_id,
    householdAnonymised: false,
    consentsRevoked: 0,
    cleared: [],
  };
  if (client.anonymised_at) return { ...report, reason: client.anonymisation_reason ?? reason };
  const open = cases.filter((c) => c.status !== 'closed');
  if (open.length) {
    throw invalidInput(
      options.field ?? 'clientId',
      'noOpenCase',
      `the client has ${open.length === 1 ? 'an open case' : `${open.length} open cases`} (${open.map((c) => c.id).join(', ')}): close ${open.length === 1 ? 'it' : 'them'} first (closeCase)`,
    );
  }

  const cleared = (entityType: keyof typeof ANONYMISED_FIELDS, n: number) => {
    report.cleared.push({ entityType, count: n, fields: [...ANONYMISED_FIELDS[entityType]] });
  };
  const [stamp]: { anonymised_at: Date }[] = await manager.query(
    `WITH changed AS (
       UPDATE clients SET given_name = $2, family_name = $2,
              date_of_birth = make_date(extract(year FROM date_of_birth)::int, 1, 1), arrived_on = make_date(extract(year FROM arrived_on)::int, 1, 1),
              phone = NULL, email = NULL, accommodation_site_id = NULL, private_flat_since = NULL, household_id = NULL,
              processing_restriction_lift_note = NULL,
              anonymised_at = now(), anonymisation_reason = $3, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING anonymised_at)
     SELECT anonymised_at FROM changed`,
    [clientId, ANONYMISED_TEXT, reason],
  );
  if (!stamp) throw notFound('Client', clientId);
  report.anonymisedAt = stamp.anonymised_at;
  cleared('Client', 1);
  cleared(
    'Case',
    await count(
      manager,
      `UPDATE cases SET closure_note = NULL, extension_reason = NULL, eligibility_override_reason = NULL, idempotency_key = NULL,
              version = version + 1, updated_at = now() WHERE client_id = $1`,
      [clientId],
    ),
  );
  const [consents]: { n: number; revoked: number }[] = await manager.query(
    `WITH before AS (SELECT id, revoked_at IS NULL AS in_force FROM consents WHERE case_id = ANY($1::uuid[])),
          changed AS (
            UPDATE consents c SET revoked_at = COALESCE(c.revoked_at, now()), revocation_note = NULL, purposes = '{}',
                   version = c.version + 1, updated_at = now()
              FROM before b WHERE c.id = b.id RETURNING b.in_force)
     SELECT count(*)::int AS n, count(*) FILTER (WHERE in_force)::int AS revoked FROM changed`,
    [caseIds],
  );
  report.consentsRevoked = consents.revoked;
  cleared('Consent', consents.n);
  cleared(
    'IntegrationPlan',
    await count(
      manager,
      `UPDATE integration_plans SET vocational_qualification = NULL, academic_degree = NULL, work_experience = NULL, strengths = NULL,
              driving_licence = NULL,
              german_skills = (SELECT COALESCE(jsonb_object_agg(k, CASE WHEN jsonb_typeof(v) = 'object' THEN v - 'certificate' ELSE v END), '{}'::jsonb)
                                 FROM jsonb_each(german_skills) AS s(k, v)),
              version = version + 1, updated_at = now()
        WHERE case_id = ANY($1::uuid[])`,
      [caseIds],
    ),
  );
  for (const [entityType, table] of [
    ['Goal', 'goals'],
    ['Measure', 'measures'],
  ] as const) {
    cleared(entityType, await count(manager, `UPDATE ${table} SET description = $2, version = version + 1, updated_at = now() WHERE case_id = ANY($1::uuid[])`, [caseIds, ANONYMISED_TEXT]));
  }
  cleared(
    'Consultation',
    await count(manager, `UPDATE consultations SET note = NULL, idempotency_key = NULL, version = version + 1, updated_at = now() WHERE case_id = ANY($1::uuid[])`, [
      caseIds,
    ]),
  );
  // The history keeps which fields of which record changed when, and by whom; not what they said.
  cleared(
    'PlanRevision',
    await count(
      manager,
      `UPDATE plan_revisions SET summary = $2,
              changes = (SELECT COALESCE(jsonb_agg(jsonb_build_object('entity', e -> 'entity', 'id', e -> 'id', 'field', e -> 'field', 'before', NULL, 'after', NULL) ORDER BY n), '[]'::jsonb)
                           FROM jsonb_array_elements(changes) WITH ORDINALITY AS t(e, n))
        WHERE case_id = ANY($1::uuid[])`,
      [caseIds, ANONYMISED_TEXT],
    ),
  );
  if (client.household_id) {
    // The household is the family's: anonymised when its last client leaves, kept for the others otherwise (a
    // household with a restricted member is not visible to the worker and not changed).
    const [{ others }]: { others: number }[] = await manager.query(`SELECT count(*)::int AS others FROM clients WHERE household_id = $1`, [client.household_id]);
    if (others === 0) {
      const households = await count(manager, `UPDATE households SET name = $2, version = version + 1, updated_at = now() WHERE id = $1`, [client.household_id, ANONYMISED_TEXT]);
      report.householdAnonymised = households === 1;
      if (report.householdAnonymised) {
        cleared('Household', households);
        cleared(
          'HouseholdChild',
          await count(
            manager,
            `UPDATE household_children SET given_name = $2, date_of_birth = make_date(extract(year FROM date_of_birth)::int, 1, 1), version = version + 1, updated_at = now()
              WHERE household_id = $1`,
            [client.household_id, ANONYMISED_TEXT],
          ),
        );
      }
    }
  }
  return report;
}

/** The settings of a request transaction (as packages/common/src/db/request-transaction.ts writes them). */
async function setScope(manager: EntityManager, organizationId: string | null, userId: string, roles: readonly string[]): Promise<void> {
  await manager.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.roles', $3, true)`, [
    organizationId ?? '',
    userId,
    roles.join(','),
  ]);
}

/**
 * Runs `work` in the caller's request transaction as the retention worker of the caller's organisation, then
 * returns to the caller's own settings: a lead's erasure request goes through exactly the job's code (and its row-level
 * security), atomically with the request, after the resolver has checked the lead's rights. Only for that.
 */
export async function asRetentionWorker<T>(manager: EntityManager, caller: Principal, work: () => Promise<T>): Promise<T> {
  await setScope(manager, caller.organizationId, caller.userId, [RETENTION_WORKER_ROLE]);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // The request fails and rolls back; restoring may itself fail when the error aborted the transaction.
    await setScope(manager, caller.organizationId, caller.userId, caller.roles).catch(() => undefined);
    throw error;
  }
  await setScope(manager, caller.organizationId, caller.userId, caller.roles);
  return result;
}
