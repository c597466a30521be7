import { grantExecuteLikeTable } from '../db/rls';

/**
 * The audit trail's tables, version 1: the same in every subgraph database (each subgraph records what happens to
 * its own data in its own database). Frozen like RLS_FUNCTIONS_V1: a migration that ran must keep meaning the same;
 * change it with a new version and a new migration.
 *
 * - `audit_entries` is append-only: the application role may INSERT and (as an auditor or lead, under row-level
 *   security) SELECT, never UPDATE, DELETE or TRUNCATE; triggers refuse those for every role, the owner included.
 * - Every entry is hash-chained: a BEFORE INSERT trigger (SECURITY DEFINER) locks the one row of
 *   `audit_chain_head`, numbers the entry (`seq`, gapless in commit order), stores the previous entry's hash and
 *   computes `hash = sha256(canonical entry incl. prev_hash)` with `audit_entry_digest`. Changing, deleting or
 *   inserting an entry anywhere but at the end breaks the chain; `npm run audit:verify` finds it. Cutting entries
 *   off the end is found by comparing the head with one recorded earlier (the command prints it).
 * - The head lock is held from the entry's insert to the commit: requests write their entries as their last
 *   statement, so the lock is held only for the commit.
 * - Entries hold ids, field names and roles, never values of personal data.
 */
export const AUDIT_TRAIL_V1: readonly string[] = [
  `CREATE TABLE audit_entries (
     seq bigint PRIMARY KEY,
     recorded_at timestamptz NOT NULL,
     service text NOT NULL,
     action text NOT NULL CHECK (action IN ('read', 'write', 'system')),
     request_id text,
     operation_name text,
     operation text NOT NULL,
     actor_user_id text,
     actor_organization_id uuid,
     actor_roles text[] NOT NULL DEFAULT '{}',
     purpose text,
     entity_type text NOT NULL,
     entity_ids text[] NOT NULL DEFAULT '{}',
     fields text[] NOT NULL DEFAULT '{}',
     data_owner_organization_id uuid,
     subject_client_ids uuid[] NOT NULL DEFAULT '{}',
     subject_case_ids uuid[] NOT NULL DEFAULT '{}',
     prev_hash text NOT NULL,
     hash text NOT NULL
   )`,
  `CREATE INDEX audit_entries_actor ON audit_entries (actor_user_id, seq)`,
  `CREATE INDEX audit_entries_clients ON audit_entries USING gin (subject_client_ids)`,
  `CREATE INDEX audit_entries_cases ON audit_entries USING gin (subject_case_ids)`,
  `CREATE TABLE audit_chain_head (
     singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
     seq bigint NOT NULL,
     hash text NOT NULL
   )`,
  `INSERT INTO audit_chain_head (singleton, seq, hash) VALUES (true, 0, repeat('0', 64))`,
  // The canonical form of an entry: a JSON array of every column but the hash, times in UTC with microseconds.
  `CREATE FUNCTION audit_entry_digest(e audit_entries) RETURNS text LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
     SELECT encode(sha256(convert_to(jsonb_build_array(
       e.seq, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.service, e.action,
       e.request_id, e.operation_name, e.operation, e.actor_user_id, e.actor_organization_id, e.actor_roles,
       e.purpose, e.entity_type, e.entity_ids, e.fields, e.data_owner_organization_id, e.subject_client_ids,
       e.subject_case_ids, e.prev_hash
     )::text, 'UTF8')), 'hex')
   $$`,
  `CREATE FUNCTION audit_entries_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
   DECLARE
     head audit_chain_head;
   BEGIN
     SELECT * INTO STRICT head FROM audit_chain_head FOR UPDATE;
     NEW.seq := head.seq + 1;
     NEW.recorded_at := date_trunc('milliseconds', clock_timestamp());
     NEW.prev_hash := head.hash;
     NEW.hash := audit_entry_digest(NEW);
     UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_chain()`,
  `CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`,
  `CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`,
  // Row-level security: an entry is written in the caller's own name only (no forged actors); auditors read the
  // entries of their organisation's staff and about their organisation's data, leads those about their data (for a
  // data subject's access request).
  `ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY`,
  `CREATE POLICY audit_entries_append ON audit_entries FOR INSERT
     WITH CHECK (actor_user_id IS NOT DISTINCT FROM app_current_user() AND actor_organization_id IS NOT DISTINCT FROM app_current_org())`,
  `CREATE POLICY audit_entries_auditor ON audit_entries FOR SELECT
     USING (app_has_role('auditor') AND (actor_organization_id = app_current_org() OR data_owner_organization_id = app_current_org()))`,
  `CREATE POLICY audit_entries_lead ON audit_entries FOR SELECT
     USING (app_has_role('lead') AND data_owner_organization_id = app_current_org())`,
  `ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE audit_chain_head FORCE ROW LEVEL SECURITY`,
  // The default privileges gave the application role SELECT, INSERT, UPDATE, DELETE: take back what append-only
  // forbids, and everything on the head (only the trigger, as the owner, touches it).
  `DO $$
   DECLARE grantee text;
   BEGIN
     FOR grantee IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                     WHERE g.table_schema = 'public' AND g.table_name = 'audit_entries' AND g.grantee <> current_user LOOP
       EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entries FROM %I', grantee);
       EXECUTE format('REVOKE ALL ON audit_chain_head FROM %I', grantee);
     END LOOP;
   END $$`,
  `REVOKE ALL ON FUNCTION audit_entries_chain() FROM PUBLIC`,
];

export const AUDIT_TRAIL_V1_DOWN: readonly string[] = [
  `DROP FUNCTION audit_entry_digest(audit_entries)`,
  `DROP TABLE audit_entries`,
  `DROP TABLE audit_chain_head`,
  `DROP FUNCTION audit_entries_chain()`,
  `DROP FUNCTION audit_entries_append_only()`,
];

/**
 * The audit trail, version 2: entries are chained shortly after they are written instead of in the writing request
 * (issue 8). Version 1 locked the chain's head in every request that recorded something and held the lock until the
 * commit, so the requests of a subgraph committed one after another (the commit's WAL flush included): the audit
 * insert was the slowest statement of every read. Now:
 *
 * - A request inserts its entries unchained (`entry_id` from an identity, `seq`, `prev_hash` and `hash` NULL; the
 *   BEFORE INSERT trigger forces that and the time, so nobody writes chain values).
 * - `audit_chain_pending(max)` (SECURITY DEFINER) takes the chain's head with FOR UPDATE SKIP LOCKED (one chainer at
 *   a time, others return at once), numbers the committed unchained entries in `entry_id` order, and stores
 *   `prev_hash` and `hash` as before. Every subgraph process runs it every AUDIT_CHAIN_INTERVAL_MS (default 1 s); the
 *   verify command runs it first.
 * - Entries stay append-only: the only UPDATE allowed sets the chain columns of an unchained entry, inside
 *   audit_chain_pending (it sets `audit.chaining` for its transaction); everything else is refused as before.
 * - Until it is chained (about a second), an entry can be changed by the owner role without the chain noticing: the
 *   application role still cannot (no UPDATE or DELETE privilege).
 */
export const AUDIT_TRAIL_V2: readonly string[] = [
  `DROP TRIGGER audit_entries_chain ON audit_entries`,
  `DROP FUNCTION audit_entries_chain()`,
  `ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_pkey`,
  `ALTER TABLE audit_entries ADD COLUMN entry_id bigint GENERATED ALWAYS AS IDENTITY`,
  `ALTER TABLE audit_entries ADD PRIMARY KEY (entry_id)`,
  `ALTER TABLE audit_entries ALTER COLUMN seq DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`,
  `ALTER TABLE audit_entries ALTER COLUMN recorded_at SET DEFAULT now()`,
  `CREATE UNIQUE INDEX audit_entries_seq ON audit_entries (seq)`,
  `CREATE INDEX audit_entries_unchained ON audit_entries (entry_id) WHERE seq IS NULL`,
  `CREATE FUNCTION audit_entries_unchained() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     NEW.seq := NULL;
     NEW.prev_hash := NULL;
     NEW.hash := NULL;
     NEW.recorded_at := date_trunc('milliseconds', clock_timestamp());
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER audit_entries_unchained BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_unchained()`,
  `CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND current_setting('audit.chaining', true) = 'on' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
        AND (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']) = (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash']) THEN
       RETURN NEW;
     END IF;
     RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE FUNCTION audit_chain_pending(max_entries integer) RETURNS integer
     LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
   DECLARE
     head audit_chain_head;
     entry audit_entries;
     chained integer := 0;
   BEGIN
     SELECT * INTO head FROM audit_chain_head FOR UPDATE SKIP LOCKED;
     IF NOT FOUND THEN
       RETURN 0; -- another chainer is at work
     END IF;
     PERFORM set_config('audit.chaining', 'on', true);
     FOR entry IN SELECT * FROM audit_entries WHERE seq IS NULL ORDER BY entry_id LIMIT max_entries LOOP
       entry.seq := head.seq + 1;
       entry.prev_hash := head.hash;
       entry.hash := audit_entry_digest(entry);
       UPDATE audit_entries SET seq = entry.seq, prev_hash = entry.prev_hash, hash = entry.hash WHERE entry_id = entry.entry_id;
       head.seq := entry.seq;
       head.hash := entry.hash;
       chained := chained + 1;
     END LOOP;
     IF chained > 0 THEN
       UPDATE audit_chain_head SET seq = head.seq, hash = head.hash;
     END IF;
     PERFORM set_config('audit.chaining', 'off', true);
     RETURN chained;
   END $$`,
  // Only the application role may call it (like every SECURITY DEFINER function of this project).
  ...grantExecuteLikeTable('audit_chain_pending(integer)', 'audit_entries'),
];

export const AUDIT_TRAIL_V2_DOWN: readonly string[] = [
  `DROP FUNCTION audit_chain_pending(integer)`,
  `DROP TRIGGER audit_entries_unchained ON audit_entries`,
  `DROP FUNCTION audit_entries_unchained()`,
];
