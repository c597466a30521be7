import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** One subgraph's database: owned by its owner role (migrations, seeds), used by its application role. */
export interface DatabasePlan {
  database: string;
  ownerRole: string;
  ownerPassword: string;
  appRole: string;
  appPassword: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function checkIdentifier(kind: string, name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid ${kind} name "${name}": use lower-case letters, digits and _`);
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** The plan for a service's database; role names derive from the database name. */
export function databasePlan(database: string, passwords?: { owner: string; app: string }): DatabasePlan {
  return {
    database,
    ownerRole: `${database}_owner`,
    ownerPassword: passwords?.owner ?? randomPassword(),
    appRole: `${database}_app`,
    appPassword: passwords?.app ?? randomPassword(),
  };
}

export function withCredentials(url: string, user: string, password: string, database: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function ownerUrl(adminUrl: string, plan: DatabasePlan): string {
  return withCredentials(adminUrl, plan.ownerRole, plan.ownerPassword, plan.database);
}

export function appUrl(adminUrl: string, plan: DatabasePlan): string {
  return withCredentials(adminUrl, plan.appRole, plan.appPassword, plan.database);
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function upsertRole(client: Client, role: string, password: string, attributes: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = rowCount ? 'ALTER' : 'CREATE';
  const { rows } = await client.query(`SELECT format('${verb} ROLE %I WITH ${attributes} PASSWORD %L', $1::text, $2::text) AS sql`, [
    role,
    password,
  ]);
  await client.query(rows[0].sql);
}

/**
 * Creates (or brings up to date) the database and its two roles, idempotently. The admin connection must be a
 * superuser (the owner role gets BYPASSRLS for migrations and seeds; the application role never does).
 */
export async function provisionDatabase(adminUrl: string, plan: DatabasePlan): Promise<void> {
  checkIdentifier('database', plan.database);
  checkIdentifier('role', plan.ownerRole);
  checkIdentifier('role', plan.appRole);
  await withClient(adminUrl, async (client) => {
    await upsertRole(client, plan.ownerRole, plan.ownerPassword, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS');
    await upsertRole(client, plan.appRole, plan.appPassword, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS');
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [plan.database]);
    if (!exists.rowCount) {
      await client.query(`CREATE DATABASE "${plan.database}" OWNER "${plan.ownerRole}" ENCODING 'UTF8' TEMPLATE template0`);
    }
    await client.query(`REVOKE ALL ON DATABASE "${plan.database}" FROM PUBLIC`);
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${plan.database}" TO "${plan.appRole}"`);
  });
  await withClient(withDatabase(adminUrl, plan.database), async (client) => {
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await client.query(`GRANT USAGE ON SCHEMA public TO "${plan.appRole}"`);
    await client.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE "${plan.ownerRole}" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${plan.appRole}"`,
    );
    await client.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE "${plan.ownerRole}" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "${plan.appRole}"`,
    );
  });
}

/** Drops the database and its roles (tests and resets). */
export async function dropDatabase(adminUrl: string, plan: DatabasePlan): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${plan.database}" WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS "${plan.appRole}"`);
    await client.query(`DROP ROLE IF EXISTS "${plan.ownerRole}"`);
  });
}
