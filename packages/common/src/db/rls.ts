/**
 * Row-level security, version 1. Every service's first migration installs these functions; policies call them.
 * The request transaction sets the settings with set_config(..., true) (transaction-local, so nothing leaks
 * between pooled connections). A missing or empty setting means "nobody": app_current_org() is then NULL and
 * no policy comparing with it matches.
 *
 * Frozen: migrations that ran must keep meaning the same. Change behaviour with a new version and a new migration.
 */
export const RLS_FUNCTIONS_V1: readonly string[] = [
  `CREATE OR REPLACE FUNCTION app_current_org() RETURNS uuid LANGUAGE sql STABLE AS $$
     SELECT NULLIF(current_setting('app.org_id', true), '')::uuid
   $$`,
  `CREATE OR REPLACE FUNCTION app_current_user() RETURNS text LANGUAGE sql STABLE AS $$
     SELECT NULLIF(current_setting('app.user_id', true), '')
   $$`,
  `CREATE OR REPLACE FUNCTION app_has_role(required text) RETURNS boolean LANGUAGE sql STABLE AS $$
     SELECT COALESCE(required = ANY (string_to_array(NULLIF(current_setting('app.roles', true), ''), ',')), false)
   $$`,
];

/** Statements that turn row-level security on for a table, for its owner too (FORCE). */
export function forceRowLevelSecurity(table: string): string[] {
  return [`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`, `ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`];
}

/**
 * Statements that let only the application role(s) call a function: EXECUTE is revoked from PUBLIC and granted to
 * every role that was granted the given table (the project's default privileges cover tables, not functions).
 * `fn` is the full signature, e.g. "consent_still_valid(uuid, text)". Frozen like RLS_FUNCTIONS_V1.
 */
export function grantExecuteLikeTable(fn: string, table: string): string[] {
  return [
    `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`,
    `DO $$
     DECLARE grantee text;
     BEGIN
       FOR grantee IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                       WHERE g.table_schema = 'public' AND g.table_name = '${table}' AND g.grantee <> current_user LOOP
         EXECUTE format('GRANT EXECUTE ON FUNCTION ${fn} TO %I', grantee);
       END LOOP;
     END $$`,
  ];
}
