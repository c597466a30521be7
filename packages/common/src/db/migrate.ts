import { DataSource } from 'typeorm';
import { Logger } from '../logger';
import { databaseFailure } from './availability';

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

/**
 * Readiness: the database answers and no migration is pending. Answers within `timeoutMs` (a load balancer's or the
 * gateway's check must not hang on a database that does not answer): later, the database counts as not answering.
 */
export async function checkReady(dataSource: DataSource, timeoutMs = 1_800): Promise<{ ready: boolean; reason?: string }> {
  if (!dataSource.isInitialized) return { ready: false, reason: 'database not connected' };
  const check = (async () => {
    const [{ table }] = await dataSource.query(`SELECT to_regclass('migrations') AS table`);
    // The application role may not create the migrations table (showMigrations would try): none applied yet.
    if (table === null || (await dataSource.showMigrations())) return { ready: false, reason: 'migrations pending' };
    return { ready: true };
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ ready: boolean; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `database timeout (no answer within ${timeoutMs} ms)` }), timeoutMs);
  });
  try {
    return await Promise.race([check, late]);
  } catch (error) {
    // The kind of failure and the error's code, never its message (which may name the database host).
    const failure = databaseFailure(error);
    const code = (error as { code?: unknown })?.code;
    const detail = typeof code === 'string' && /^[A-Z0-9_]{2,20}$/.test(code) ? ` (${code})` : '';
    return { ready: false, reason: failure === 'timeout' ? `database timeout${detail}` : `database unreachable${detail}` };
  } finally {
    clearTimeout(timer);
    check.catch(() => undefined);
  }
}
