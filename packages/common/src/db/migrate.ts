import { DataSource } from 'typeorm';
import { Logger } from '../logger';

/**
 * Applies pending migrations as the owner role, then makes sure the application role can read but never write
 * the migrations table (it may need to read it for the readiness check). Replicas starting at once take turns:
 * a session advisory lock (the owner data source has a single connection) serialises them.
 */
export async function migrate(dataSource: DataSource, logger: Logger): Promise<void> {
  await dataSource.query(`SELECT pg_advisory_lock(hashtext('integration-graph:migrations'))`);
  try {
    await applyMigrations(dataSource, logger);
  } finally {
    await dataSource.query(`SELECT pg_advisory_unlock(hashtext('integration-graph:migrations'))`);
  }
}

async function applyMigrations(dataSource: DataSource, logger: Logger): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const migration of applied) logger.info({ migration: migration.name }, 'migration applied');
  const grantees: { grantee: string }[] = await dataSource.query(
    `SELECT DISTINCT grantee FROM information_schema.role_table_grants
      WHERE table_schema = 'public' AND table_name = 'migrations' AND grantee <> current_user AND privilege_type IN ('INSERT','UPDATE','DELETE','TRUNCATE')`,
  );
  for (const { grantee } of grantees) {
    await dataSource.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE migrations FROM "${grantee}"`);
  }
}

/** Readiness: the database answers and no migration is pending. */
export async function checkReady(dataSource: DataSource): Promise<{ ready: boolean; reason?: string }> {
  try {
    if (!dataSource.isInitialized) return { ready: false, reason: 'database not connected' };
    const [{ table }] = await dataSource.query(`SELECT to_regclass('migrations') AS table`);
    // The application role may not create the migrations table (showMigrations would try): none applied yet.
    if (table === null || (await dataSource.showMigrations())) return { ready: false, reason: 'migrations pending' };
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: `database unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}
