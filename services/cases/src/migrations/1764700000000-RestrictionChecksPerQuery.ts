import { grantExecuteLikeTable } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows belong to a case (as in 1764600000000-DataSubjectRights). */
const CASE_TABLES = ['consents', 'integration_plans', 'goals', 'measures', 'consultations', 'plan_revisions', 'case_assignments'] as const;

/**
 * The read policies of a restriction (1764600000000-DataSubjectRights), made cheap (issue 8). They asked a SECURITY
 * DEFINER function per row (`app_case_restricted(case_id)`): a caseload page with its count, or a statistics query,
 * ran one extra query for every row it looked at. Now each statement asks once for the ids of the restricted
 * clients, cases and households — `(SELECT app_restricted_case_ids())` is an uncorrelated subquery, evaluated once per
 * statement as an InitPlan — and compares every row with that (usually empty) array. Same rule, same roles: the ids
 * are those of the caller's organisation (all organisations for the retention worker, which has none), and the
 * SECURITY DEFINER functions read them whatever the caller may see, so the policies neither recurse nor depend on
 * each other. The write policies keep the per-row functions (writes touch few rows).
 */
export class RestrictionChecksPerQuery1764700000000 implements MigrationInterface {
  name = 'RestrictionChecksPerQuery1764700000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    const definer = `LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp`;
    const restricted = `cl.processing_restricted_since IS NOT NULL AND (app_current_org() IS NULL OR cl.owner_organization_id = app_current_org())`;
    await q(`CREATE FUNCTION app_restricted_client_ids() RETURNS uuid[] ${definer} AS $$
      SELECT COALESCE(array_agg(cl.id), '{}') FROM clients cl WHERE ${restricted}
    $$`);
    await q(`CREATE FUNCTION app_restricted_case_ids() RETURNS uuid[] ${definer} AS $$
      SELECT COALESCE(array_agg(k.id), '{}') FROM clients cl JOIN cases k ON k.client_id = cl.id WHERE ${restricted}
    $$`);
    await q(`CREATE FUNCTION app_restricted_household_ids() RETURNS uuid[] ${definer} AS $$
      SELECT COALESCE(array_agg(DISTINCT cl.household_id), '{}') FROM clients cl WHERE ${restricted} AND cl.household_id IS NOT NULL
    $$`);
    for (const fn of ['app_restricted_client_ids()', 'app_restricted_case_ids()', 'app_restricted_household_ids()']) {
      for (const statement of grantExecuteLikeTable(fn, 'clients')) await q(statement);
    }

    // COALESCE: a row without a client or household (NULL) is never a restricted one.
    const locked = (column: string, ids: string) => `COALESCE(${column} = ANY ((SELECT ${ids}())::uuid[]), false)`;
    const auditor = `owner_organization_id = app_current_org() AND app_has_role('auditor')`;
    const policies: [table: string, lockedIf: string][] = [
      ['cases', locked('client_id', 'app_restricted_client_ids')],
      ['households', locked('id', 'app_restricted_household_ids')],
      ['household_children', locked('household_id', 'app_restricted_household_ids')],
      ...CASE_TABLES.map((table): [string, string] => [table, locked('case_id', 'app_restricted_case_ids')]),
    ];
    for (const [table, lockedIf] of policies) {
      await q(`ALTER POLICY ${table}_restricted_read ON ${table} USING (NOT ${lockedIf} OR app_may_read_restricted())`);
      await q(`ALTER POLICY ${table}_auditor_read ON ${table} USING (${auditor} AND ${lockedIf})`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    const readable = (lockedIf: string) => `NOT ${lockedIf} OR app_may_read_restricted()`;
    const auditor = `owner_organization_id = app_current_org() AND app_has_role('auditor')`;
    const policies: [table: string, lockedIf: string][] = [
      ['cases', 'app_client_restricted(client_id)'],
      ['households', 'app_household_restricted(id)'],
      ['household_children', 'app_household_restricted(household_id)'],
      ...CASE_TABLES.map((table): [string, string] => [table, 'app_case_restricted(case_id)']),
    ];
    for (const [table, lockedIf] of policies) {
      await q(`ALTER POLICY ${table}_restricted_read ON ${table} USING (${readable(lockedIf)})`);
      await q(`ALTER POLICY ${table}_auditor_read ON ${table} USING (${auditor} AND ${lockedIf})`);
    }
    for (const fn of ['app_restricted_client_ids()', 'app_restricted_case_ids()', 'app_restricted_household_ids()']) await q(`DROP FUNCTION ${fn}`);
  }
}
