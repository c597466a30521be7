import { randomBytes } from 'node:crypto';
import { env } from '../config';
import { appUrl, DatabasePlan, databasePlan, dropDatabase, ownerUrl, provisionDatabase } from '../db/provision';

export interface TestDatabase {
  plan: DatabasePlan;
  adminUrl: string;
  ownerUrl: string;
  appUrl: string;
  drop(): Promise<void>;
}

export function testAdminUrl(): string {
  const url = env('TEST_ADMIN_DATABASE_URL');
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests with npm test (jest global setup)');
  return url;
}

/** A fresh database with its own owner and application roles, for one test file. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  const plan = databasePlan(`t_${prefix}_${randomBytes(4).toString('hex')}`);
  await provisionDatabase(adminUrl, plan);
  return {
    plan,
    adminUrl,
    ownerUrl: ownerUrl(adminUrl, plan),
    appUrl: appUrl(adminUrl, plan),
    drop: () => dropDatabase(adminUrl, plan),
  };
}
