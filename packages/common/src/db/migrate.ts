import { DataSource } from 'typeorm';
import { Logger } from '../logger';

/**
 * Applies pending migrations as the owner role, then makes sure the application role can read but never write
 * the migrations table (it may need to read it for the readiness check).
 */
export async function migrate(dataSource: DataSource, logger: Logger): Promise<void> {
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
    await dataSource.query('SELECT 1');
    if (await dataSource.showMigrations()) return { ready: false, reason: 'migrations pending' };
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: `database unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}
