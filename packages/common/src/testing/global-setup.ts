import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevKeys } from '../auth/keys';
import { startEmbeddedPostgres, RunningPostgres } from '../db/embedded';
import { freePort } from './ports';

/**
 * Jest global setup: one real PostgreSQL for the whole run. An embedded server on a free port, unless
 * TEST_ADMIN_DATABASE_URL names an external server (a superuser connection). Test files create their own
 * databases and roles in it (see createTestDatabase). Development signing keys go to a temporary folder.
 */
export default async function globalSetup(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-test-'));
  fs.chmodSync(workDir, 0o755); // the embedded server may run as the system user "postgres" (when we are root)
  process.env.NODE_ENV = 'test';
  process.env.AUTH_DEV_KEYS_DIR = path.join(workDir, 'keys');
  // No statistics publication in the background of every test's subgraphs (its statements would mix with the
  // requests' and its first round comes seconds after the start); the tests of the publication run it themselves.
  process.env.STATISTICS_PUBLISH_INTERVAL_MS ??= '0';
  await ensureDevKeys(process.env.AUTH_DEV_KEYS_DIR);
  let postgres: RunningPostgres | undefined;
  if (!process.env.TEST_ADMIN_DATABASE_URL) {
    const port = await freePort();
    process.stdout.write(`\nStarting embedded PostgreSQL for the tests on port ${port}...\n`);
    postgres = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'postgres'), port, persistent: false });
    process.env.TEST_ADMIN_DATABASE_URL = postgres.adminUrl;
  }
  (globalThis as Record<string, unknown>).__integrationGraphTest = { workDir, postgres };
}
