import { ALL_ROLES, appUrl, DEMO_ORGANIZATIONS, ownerUrl } from '@integration-graph/common';
import { Client } from 'pg';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Row-level security in every subgraph database (issue 7, docs/security.md), checked with raw SQL against the running
 * platform's databases: as the owner role (migrations, seeds; BYPASSRLS) for what is there, and as the application
 * role (what the subgraphs use at run time) for what it may see, with the settings a request transaction writes.
 */

const SERVICES = ['partners', 'cases', 'referrals'] as const;
type Service = (typeof SERVICES)[number];

/**
 * The only tables without ENABLE and FORCE ROW LEVEL SECURITY, by name: the migrations table (the application role
 * may only read it) and the counselling programs (reference data: the rules of the program, readable by everyone,
 * RLS enabled with a read-only policy but not forced).
 */
const WITHOUT_FORCED_RLS: Record<Service, string[]> = {
  partners: ['migrations'],
  cases: ['counselling_programs', 'migrations'],
  referrals: ['migrations'],
};

/** Columns that say which organisation a row belongs to (audit entries: the actor's and the data owner's). */
const ORGANIZATION_COLUMNS = [
  'owner_organization_id',
  'sender_organization_id',
  'receiver_organization_id',
  'recipient_organization_id',
  'organization_id',
  'actor_organization_id',
  'data_owner_organization_id',
];

/**
 * Tables with such a column that are shared by design, without personal data: the column says who may edit a row
 * or who took part, not who may read it. The partner directory is read by everyone (internal contact points by every
 * caller who works in the cooperation), the participants of cooperation meetings by every caller who works in the
 * cooperation (and a municipal app those of its own district: services/partners/test/municipal-app.test.ts).
 */
const SHARED_BY_DESIGN: Record<Service, Record<string, 'everyone' | 'authenticated'>> = {
  partners: {
    contact_points: 'everyone',
    cooperation_meeting_participants: 'authenticated',
    locations: 'everyone',
    offerings: 'everyone',
    organization_service_areas: 'everyone',
    taxonomy_terms: 'everyone',
    translations: 'everyone',
  },
  cases: {},
  referrals: {},
};

/** Where a table's owning organisation is not (only) one of ORGANIZATION_COLUMNS, and roles that see every row by design. */
const OVERRIDES: Record<string, { ownedBy: string[]; seesAll: string[] }> = {
  // Internal figures, no personal data: the municipality's and the recipient's leads see them, and every coordinator.
  'partners.funding_allocations': { ownedBy: ['municipality_id', 'recipient_organization_id'], seesAll: ['coordinator'] },
};

/** Organisation-scoped tables the demo seed leaves empty (nothing to hide there yet). */
const EMPTY_AFTER_SEED: Record<Service, string[]> = {
  partners: [],
  cases: [],
  referrals: ['outbox', 'webhook_subscriptions'],
};

/** The role sets a caller may hold: each role alone, and all of them at once. */
const ROLE_SETS: string[][] = [...ALL_ROLES.map((role) => [role as string]), [...ALL_ROLES]];

interface Scoped {
  table: string;
  ownedBy: string[];
  roleSets: string[][];
}

let platform: TestPlatform;
const owners = {} as Record<Service, Client>;
const apps = {} as Record<Service, Client>;

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const service of SERVICES) {
    owners[service] = new Client({ connectionString: ownerUrl(platform.adminUrl, platform.databases[service]) });
    apps[service] = new Client({ connectionString: appUrl(platform.adminUrl, platform.databases[service]) });
    await owners[service].connect();
    await apps[service].connect();
  }
  // Something in every audit trail: a read of a case, a partner's read of its inbox, a change of the directory.
  const caseworker = await platform.tokenOf('ortenaukreis-caseworker');
  const partner = await platform.tokenOf('vhs-partner');
  const admin = await platform.tokenOf('vhs-admin');
  const vhs = await platform.query<{ organization: { version: number } }>(`query($id: ID!) { organization(id: $id) { version } }`, { id: DEMO_ORGANIZATIONS.vhs.id }, admin);
  const answers = [
    await platform.query(`{ cases(first: 5) { edges { node { id status } } } }`, {}, caseworker),
    await platform.query(`{ incomingReferrals(first: 5) { edges { node { id status } } } }`, {}, partner),
    await platform.query(`mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id } }`, {
      input: { id: DEMO_ORGANIZATIONS.vhs.id, expectedVersion: vhs.data!.organization.version, languagesSpoken: ['de', 'en'] },
    }, admin),
  ];
  for (const answer of answers) expect(answer.errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  for (const client of [...Object.values(owners), ...Object.values(apps)]) await client.end().catch(() => undefined);
  await platform?.stop();
});

interface Context {
  organizationId: string;
  roles: string[];
}

/** Runs one statement as the application role in a transaction of its own, with the settings of a request (or none). */
async function asApp<T extends Record<string, unknown>>(service: Service, sql: string, params: unknown[], context?: Context): Promise<T[]> {
  const client = apps[service];
  await client.query('BEGIN');
  try {
    if (context) {
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.roles', $3, true)`, [
        context.organizationId,
        'row-level-security-test',
        context.roles.join(','),
      ]);
    }
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.query('ROLLBACK');
  }
}

async function count(client: Client, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await client.query<{ count: string }>(sql, params)).rows[0].count);
}

async function countAsApp(service: Service, sql: string, params: unknown[], context?: Context): Promise<number> {
  return Number((await asApp<{ count: string }>(service, sql, params, context))[0].count);
}

async function tables(service: Service): Promise<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]> {
  const { rows } = await owners[service].query(
    `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  return rows;
}

/** Tables with an organisation column, and which of those columns each has. */
async function tablesWithOrganizationColumns(service: Service): Promise<Map<string, string[]>> {
  const { rows } = await owners[service].query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = ANY($1::text[]) ORDER BY table_name, column_name`,
    [ORGANIZATION_COLUMNS],
  );
  const byTable = new Map<string, string[]>();
  for (const row of rows) byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row.column_name]);
  return byTable;
}

/** The organisation-scoped tables: whose rows they are, and the role sets that must see nothing foreign. */
async function scopedTables(service: Service): Promise<Scoped[]> {
  const byTable = await tablesWithOrganizationColumns(service);
  return [...byTable.entries()]
    .filter(([table]) => !(table in SHARED_BY_DESIGN[service]))
    .map(([table, columns]) => {
      const override = OVERRIDES[`${service}.${table}`];
      const ownedBy = override?.ownedBy ?? (columns.includes('owner_organization_id') ? ['owner_organization_id'] : columns);
      const roleSets = ROLE_SETS.filter((set) => !set.some((role) => override?.seesAll.includes(role)));
      return { table, ownedBy, roleSets };
    });
}

/** A WHERE condition: the row belongs to the organisation $1 by one of the columns. */
const ownedByParameter = (columns: string[]) => `(${columns.map((column) => `COALESCE("${column}" = $1::uuid, false)`).join(' OR ')})`;

describe.each(SERVICES)('the %s database', (service) => {
  it('enables and forces row-level security on every table except the named exceptions', async () => {
    const all = await tables(service);
    expect(all.length).toBeGreaterThan(WITHOUT_FORCED_RLS[service].length);
    const unprotected = all.filter((t) => !(t.relrowsecurity && t.relforcerowsecurity)).map((t) => t.relname);
    expect(unprotected).toEqual(WITHOUT_FORCED_RLS[service]);
  });

  it('keeps the exceptions read-only for the application role', async () => {
    for (const table of WITHOUT_FORCED_RLS[service]) {
      const before = await count(owners[service], `SELECT count(*) FROM "${table}"`);
      expect(before).toBeGreaterThan(0);
      // Rolled back in any case: a DELETE that went through would fail the test, not the data.
      const everything = { organizationId: DEMO_ORGANIZATIONS.ortenaukreis.id, roles: [...ALL_ROLES] };
      const outcome = await asApp(service, `DELETE FROM "${table}" RETURNING 1`, [], everything).then(
        (rows) => `deleted ${rows.length}`,
        (error: { code?: string }) => `refused ${error.code}`,
      );
      // migrations: no DELETE privilege (42501); counselling_programs: no policy lets a row be deleted (0 rows).
      expect([`refused 42501`, `deleted 0`]).toContain(outcome);
      expect(await count(owners[service], `SELECT count(*) FROM "${table}"`)).toBe(before);
    }
  });

  it('gives the application role no way around it: not a superuser, no BYPASSRLS, owner of nothing', async () => {
    const { appRole, ownerRole } = platform.databases[service];
    const { rows: roles } = await owners[service].query(`SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`, [
      [appRole, ownerRole],
    ]);
    expect(roles).toEqual(
      [
        { rolname: appRole, rolsuper: false, rolbypassrls: false },
        { rolname: ownerRole, rolsuper: false, rolbypassrls: true },
      ].sort((a, b) => a.rolname.localeCompare(b.rolname)),
    );
    const owned = await owners[service].query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1
       UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = $1`,
      [appRole],
    );
    expect(owned.rows).toEqual([]);
    const { rows: notOwnedByOwner } = await owners[service].query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND r.rolname <> $1`,
      [ownerRole],
    );
    expect(notOwnedByOwner).toEqual([]);
    const { rows: me } = await apps[service].query(`SELECT current_user AS name`);
    expect(me).toEqual([{ name: appRole }]);
  });

  it('names every table with an organisation column either organisation-scoped or shared by design', async () => {
    const withColumns = [...(await tablesWithOrganizationColumns(service)).keys()];
    const shared = Object.keys(SHARED_BY_DESIGN[service]);
    for (const table of shared) expect(withColumns).toContain(table);
    const scoped = (await scopedTables(service)).map((s) => s.table);
    expect([...scoped, ...shared].sort()).toEqual(withColumns.sort());
    if (service !== 'partners') expect(scoped.length).toBeGreaterThan(0);
  });

  it('shows the application role no row without a context, none of a foreign organisation, only its own with its own', async () => {
    const problems: string[] = [];
    const empty: string[] = [];
    for (const { table, ownedBy, roleSets } of await scopedTables(service)) {
      const rows = await count(owners[service], `SELECT count(*) FROM "${table}"`);
      if (!rows) empty.push(table);
      let visible = 0;

      // No context: no settings at all, or roles without an organisation.
      const withoutContext = await countAsApp(service, `SELECT count(*) FROM "${table}"`, []);
      if (withoutContext) problems.push(`${table}: ${withoutContext} row(s) without any context`);
      for (const roles of roleSets) {
        const withoutOrganization = await countAsApp(service, `SELECT count(*) FROM "${table}"`, [], { organizationId: '', roles });
        if (withoutOrganization) problems.push(`${table}: ${withoutOrganization} row(s) as ${roles.join(',')} without an organisation`);
      }

      // Every organisation that owns rows here (by the owner role), and one that owns none of them.
      const { rows: owning } = await owners[service].query<{ id: string }>(
        `SELECT DISTINCT id FROM (${ownedBy.map((column) => `SELECT "${column}"::uuid AS id FROM "${table}"`).join(' UNION ')}) o WHERE id IS NOT NULL ORDER BY id`,
      );
      const owningIds = owning.map((o) => o.id);
      const foreign = Object.values(DEMO_ORGANIZATIONS).find((o) => !owningIds.includes(o.id));
      if (!foreign) throw new Error(`${table}: every demo organisation owns rows; no foreign one to try`);
      for (const roles of roleSets) {
        const seen = await countAsApp(service, `SELECT count(*) FROM "${table}"`, [], { organizationId: foreign.id, roles });
        if (seen) problems.push(`${table}: ${seen} row(s) for ${foreign.alias} (owns none) as ${roles.join(',')}`);
        for (const organizationId of owningIds) {
          const [seen] = await asApp<{ own: string; others: string }>(
            service,
            `SELECT count(*) FILTER (WHERE ${ownedByParameter(ownedBy)}) AS own, count(*) FILTER (WHERE NOT ${ownedByParameter(ownedBy)}) AS others FROM "${table}"`,
            [organizationId],
            { organizationId, roles },
          );
          visible += Number(seen.own);
          if (Number(seen.others)) problems.push(`${table}: ${seen.others} row(s) of other organisations for ${organizationId} as ${roles.join(',')}`);
        }
      }
      // The organisations' own staff do see their rows: the checks above are not passing because nothing is visible.
      if (rows && !visible) problems.push(`${table}: the application role never sees a row, whoever asks`);
    }
    expect(problems).toEqual([]);
    expect(empty).toEqual(EMPTY_AFTER_SEED[service]);
  });

  if (Object.keys(SHARED_BY_DESIGN[service]).length) {
    it('shares the directory with everyone and the cooperation with every authenticated caller (no personal data)', async () => {
      for (const [table, readers] of Object.entries(SHARED_BY_DESIGN[service])) {
        const all = await count(owners[service], `SELECT count(*) FROM "${table}"`);
        const publicRows = table === 'contact_points' ? await count(owners[service], `SELECT count(*) FROM "${table}" WHERE visibility = 'public'`) : all;
        const anyone = await countAsApp(service, `SELECT count(*) FROM "${table}"`, []);
        const someoneElse = await countAsApp(service, `SELECT count(*) FROM "${table}"`, [], { organizationId: DEMO_ORGANIZATIONS.caritas.id, roles: ['partner'] });
        expect({ table, anyone, someoneElse }).toEqual({ table, anyone: readers === 'everyone' ? publicRows : 0, someoneElse: all });
      }
    });
  }
});
