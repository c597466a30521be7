import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The municipal app (issue 7, role `municipal_app`): a municipality's app with a token whose organisation is the
 * municipality. Until now every caller with an organisation counted as "authenticated" (app_authenticated()):
 * internal contact points, accommodation sites, every district's cooperation meetings and standards. From here on
 * that means the people who work in the cooperation, listed by role (deny by default: a role added later is not in
 * it), and a municipal app reads the meetings, participants and standards of its own district only — the district
 * its municipality belongs to, looked up in the directory, never taken from the request.
 */
export class MunicipalApp1764400000000 implements MigrationInterface {
  name = 'MunicipalApp1764400000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`
      CREATE OR REPLACE FUNCTION app_authenticated() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_current_org() IS NOT NULL AND (app_has_role('caseworker') OR app_has_role('lead') OR app_has_role('partner')
          OR app_has_role('coordinator') OR app_has_role('auditor') OR app_has_role('org_admin'))
      $$`);
    await q(`COMMENT ON FUNCTION app_authenticated() IS 'The caller works in the cooperation (COOPERATION_ROLES); not the public, not a municipal app'`);
    // organizations is readable by everyone (organizations_read), so the lookup works under row-level security.
    await q(`
      CREATE FUNCTION app_is_municipal_app_of_district(district uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('municipal_app') AND EXISTS (
          SELECT 1 FROM organizations o WHERE o.id = app_current_org() AND o.kind = 'municipality' AND o.parent_id = district)
      $$`);
    for (const table of ['cooperation_meetings', 'standards']) {
      await q(`DROP POLICY ${table}_read ON ${table}`);
      await q(`CREATE POLICY ${table}_read ON ${table} FOR SELECT USING (app_authenticated() OR app_is_municipal_app_of_district(district_id))`);
    }
    await q(`DROP POLICY cooperation_meeting_participants_read ON cooperation_meeting_participants`);
    // The subquery sees only the meetings the caller may see (their own policies apply), so participants follow them.
    await q(`CREATE POLICY cooperation_meeting_participants_read ON cooperation_meeting_participants FOR SELECT
      USING (EXISTS (SELECT 1 FROM cooperation_meetings m WHERE m.id = meeting_id))`);
  }

  async down(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`DROP POLICY cooperation_meeting_participants_read ON cooperation_meeting_participants`);
    await q(`CREATE POLICY cooperation_meeting_participants_read ON cooperation_meeting_participants FOR SELECT
      USING (app_authenticated() AND EXISTS (SELECT 1 FROM cooperation_meetings m WHERE m.id = meeting_id))`);
    for (const table of ['cooperation_meetings', 'standards']) {
      await q(`DROP POLICY ${table}_read ON ${table}`);
      await q(`CREATE POLICY ${table}_read ON ${table} FOR SELECT USING (app_authenticated())`);
    }
    await q(`DROP FUNCTION app_is_municipal_app_of_district(uuid)`);
    await q(`CREATE OR REPLACE FUNCTION app_authenticated() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT app_current_org() IS NOT NULL $$`);
  }
}
