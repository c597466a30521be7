import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appUrl, dropDatabase, freePort, ownerUrl, postGraphQL, Role, testAdminUrl, testToken } from '@integration-graph/common';
import { launchPlatform, RunningPlatform, SERVICES } from '@integration-graph/platform';
import { Client } from 'pg';
import { checkConsistency, seedScale, SeedRefusedError, SeedScaleResult, tableChecksums } from '../src/seed';

type Databases = Record<(typeof SERVICES)[number], string>;

/**
 * The state-scale generator on real databases: a small scale (0.05: one district, 250 cases) into fresh databases
 * that the real subgraphs migrated, twice (the same data, byte for byte), consistent across the three databases,
 * visible under row-level security as the resolvers expect, and answered by the real platform through the gateway.
 */
describe('npm run seed:scale (data generator)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-seed-'));
  const prefix = `seed_${randomBytes(3).toString('hex')}_`;
  let platform: RunningPlatform | undefined;
  let owners: Databases;
  let apps: Databases;
  let result: SeedScaleResult;
  let first: Awaited<ReturnType<typeof tableChecksums>>;

  const launch = async () =>
    launchPlatform({
      dataDir,
      adminUrl: testAdminUrl(),
      databasePrefix: prefix,
      ports: { gateway: await freePort(), partners: await freePort(), cases: await freePort(), referrals: await freePort(), postgres: 0 },
      seedDemoData: false,
      devKeysDir: process.env.AUTH_DEV_KEYS_DIR!,
      env: { LOG_LEVEL: 'warn', NODE_ENV: 'test', RETENTION_INTERVAL_MS: '0' },
    });

  beforeAll(async () => {
    // The subgraphs migrate their databases on start, as with npm start; then they stop and the generator loads.
    const migrated = await launch();
    await migrated.stop();
    owners = Object.fromEntries(SERVICES.map((s) => [s, ownerUrl(migrated.adminUrl, migrated.databases[s])])) as Databases;
    apps = Object.fromEntries(SERVICES.map((s) => [s, appUrl(migrated.adminUrl, migrated.databases[s])])) as Databases;
    platform = migrated;
    result = await seedScale({ scale: 0.05, databases: owners });
    first = await tableChecksums(owners);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop().catch(() => undefined);
    if (platform) for (const plan of Object.values(platform.databases)) await dropDatabase(platform.adminUrl, plan);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('loads one shrunk district with the counts and ids the benchmark needs', () => {
    expect(result.districtCount).toBe(1);
    expect(result.counts.cases.cases).toBe(250);
    expect(result.counts.cases.clients).toBe(250);
    expect(result.counts.partners.organizations).toBeGreaterThan(51);
    // about 12 consultations and 4 referrals per case, as at scale 1
    expect(result.counts.cases.consultations).toBeGreaterThan(250 * 9);
    expect(result.counts.referrals.referrals).toBeGreaterThan(250 * 3);
    expect(result.counts.cases.plan_revisions).toBeGreaterThan(result.counts.cases.goals);
    expect(result.districts[0]).toMatchObject({ name: 'Ortenaukreis', ags: '08317', municipalities: 51 });
    expect(result.busiestInbox.incomingReferrals).toBeGreaterThan(0);
    expect(result.benchSubjects.consultationCaseIds.length).toBeGreaterThan(0);
    expect(result.benchSubjects.referral.caseIds.length).toBeGreaterThan(0);
    expect(result.benchSubjects.referral.partnerOrganizationId).not.toBe(result.benchSubjects.partner.organizationId);
    expect(result.directory.reachableCourses).toBeGreaterThan(0);
  });

  it('is deterministic: refuses to load over data without --replace, and loads the same bytes again with it', async () => {
    await expect(seedScale({ scale: 0.05, databases: owners })).rejects.toThrow(SeedRefusedError);
    const again = await seedScale({ scale: 0.05, databases: owners, replace: true, worker: false });
    expect(again.counts).toEqual(result.counts);
    expect(await tableChecksums(owners)).toEqual(first);
    expect(Object.values(first).every((table) => table.rows > 0)).toBe(true);
  }, 60_000);

  it('is consistent across the three databases', async () => {
    expect(await checkConsistency(owners)).toEqual([]);
  }, 30_000);

  /** Rows the application role sees with a request's settings (as the request transaction sets them). */
  async function visible(url: string, principal: { userId: string; organizationId: string; roles: string[] } | null, sql: string): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN');
      if (principal) {
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.roles', $3, true)`, [
          principal.organizationId,
          principal.userId,
          principal.roles.join(','),
        ]);
      }
      const { rows } = await client.query<{ n: string }>(sql);
      await client.query('ROLLBACK');
      return Number(rows[0].n);
    } finally {
      await client.end();
    }
  }

  async function ownerCount(url: string, sql: string, params: unknown[] = []): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query<{ n: string }>(sql, params)).rows[0].n);
    } finally {
      await client.end();
    }
  }

  it('carries its owning organisations: row-level security shows each organisation its own rows', async () => {
    const caseworker = result.benchSubjects.caseworker;
    const expected = await ownerCount(
      owners.cases,
      `SELECT count(*) AS n FROM cases c JOIN clients cl ON cl.id = c.client_id
        WHERE c.owner_organization_id = $1 AND cl.processing_restricted_since IS NULL
          AND (NOT c.restricted_to_assigned OR EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = $2))`,
      [caseworker.organizationId, caseworker.userId],
    );
    expect(expected).toBeGreaterThan(0);
    expect(await visible(apps.cases, caseworker, 'SELECT count(*) AS n FROM cases')).toBe(expected);
    expect(await visible(apps.cases, null, 'SELECT count(*) AS n FROM cases')).toBe(0);
    expect(await visible(apps.cases, caseworker, 'SELECT count(*) AS n FROM consultations')).toBe(
      await ownerCount(
        owners.cases,
        `SELECT count(*) AS n FROM consultations k JOIN cases c ON c.id = k.case_id JOIN clients cl ON cl.id = c.client_id
          WHERE k.owner_organization_id = $1 AND cl.processing_restricted_since IS NULL
            AND (NOT c.restricted_to_assigned OR EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = $2))`,
        [caseworker.organizationId, caseworker.userId],
      ),
    );
    const partner = result.benchSubjects.partner;
    const inbox = await visible(apps.referrals, partner, 'SELECT count(*) AS n FROM referrals');
    expect(inbox).toBe(result.busiestInbox.incomingReferrals);
    expect(await visible(apps.referrals, { ...partner, roles: ['caseworker'] }, 'SELECT count(*) AS n FROM referrals')).toBe(0);
    // Partners' snapshots rest on consents that still hold (consent_still_valid answers for the caller's organisation).
    const consents = await ownerCount(owners.referrals, `SELECT count(*) AS n FROM referrals WHERE receiver_organization_id = $1 AND snapshot IS NOT NULL`, [partner.organizationId]);
    expect(consents / inbox).toBeGreaterThan(0.9);
  });

  it('is what the real subgraphs answer through the gateway', async () => {
    platform = await launch();
    const query = async <T>(document: string, variables: Record<string, unknown>, principal?: { userId: string; organizationId: string; roles: string[] }) => {
      const token = principal ? await testToken({ userId: principal.userId, organizationId: principal.organizationId, roles: principal.roles as Role[] }) : undefined;
      const response = await postGraphQL<T>(platform!.gatewayUrl, document, variables, token, {}, { gatewaySecret: null });
      expect(response.errors).toBeUndefined();
      return response.data!;
    };
    const subjects = result.benchSubjects;
    const inbox = await query<{ incomingReferrals: { totalCount: number; edges: { node: { status: string; clientData: unknown } }[] } }>(
      `{ incomingReferrals(first: 50) { totalCount edges { node { status clientData sender { name } } } } }`,
      {},
      subjects.partner,
    );
    expect(inbox.incomingReferrals.totalCount).toBe(result.busiestInbox.incomingReferrals);
    expect(inbox.incomingReferrals.edges.filter((e) => e.node.clientData !== null).length).toBeGreaterThan(inbox.incomingReferrals.edges.length * 0.8);

    const caseload = await query<{ cases: { totalCount: number; edges: { node: { client: { familyName: string }; municipality: { name: string } } }[] } }>(
      `{ cases(first: 20) { totalCount edges { node { status client { familyName } municipality { name } plan { nextReviewDue } } } } }`,
      {},
      subjects.caseworker,
    );
    expect(caseload.cases.totalCount).toBeGreaterThan(0);
    expect(caseload.cases.edges[0].node.municipality.name).toBeTruthy();

    const directory = await query<{ offerings: { totalCount: number } }>(
      `query($ags: String!) { offerings(filter: { types: ["integration-course"], reachableFromAgs: $ags, hasFreeSeats: true }, first: 20) { totalCount } }`,
      { ags: subjects.directory.ags },
    );
    expect(directory.offerings.totalCount).toBe(result.directory.reachableCourses);

    const comparison = await query<{ districtComparison: { municipalities: { caseMetrics: { metric: string; value: number | null }[] }[]; standards: unknown[] } }>(
      `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) { standards { metric } municipalities { caseMetrics { metric value } } } }`,
      { d: subjects.districtId, p: result.periods.lastComplete },
      subjects.coordinator,
    );
    expect(comparison.districtComparison.municipalities).toHaveLength(51);
    expect(comparison.districtComparison.standards.length).toBeGreaterThan(0);
    const active = comparison.districtComparison.municipalities.flatMap((m) => m.caseMetrics).filter((m) => m.metric === 'ACTIVE_CASES');
    expect(active.some((m) => (m.value ?? 0) > 0)).toBe(true);
  }, 90_000);
});
