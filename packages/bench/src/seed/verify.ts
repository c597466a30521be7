import { Client } from 'pg';
import { Service, SERVICES, TABLES, TAXONOMY_TABLE } from './tables';

type Databases = Record<Service, string>;

async function withClients<T>(databases: Databases, work: (clients: Record<Service, Client>) => Promise<T>): Promise<T> {
  const clients = Object.fromEntries(SERVICES.map((service) => [service, new Client({ connectionString: databases[service], application_name: 'seed-scale-verify' })])) as Record<
    Service,
    Client
  >;
  try {
    await Promise.all(SERVICES.map((service) => clients[service].connect()));
    return await work(clients);
  } finally {
    await Promise.all(SERVICES.map((service) => clients[service].end().catch(() => undefined)));
  }
}

/**
 * A checksum of every generated table's content (independent of the physical order of rows): equal checksums mean
 * byte-identical data. Reads whole tables: meant for small scales (tests).
 */
export async function tableChecksums(databases: Databases): Promise<Record<string, { rows: number; md5: string | null }>> {
  return withClients(databases, async (clients) => {
    const result: Record<string, { rows: number; md5: string | null }> = {};
    for (const service of SERVICES) {
      for (const { table } of [...(service === 'partners' ? [TAXONOMY_TABLE] : []), ...TABLES[service]]) {
        const { rows } = await clients[service].query<{ rows: string; md5: string | null }>(
          `SELECT count(*) AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS md5 FROM "${table}" t`,
        );
        result[`${service}.${table}`] = { rows: Number(rows[0].rows), md5: rows[0].md5 };
      }
    }
    return result;
  });
}

/** Copies a list of ids (or id pairs) from one database into a temporary table of another. */
async function shipIds(from: Client, sql: string, to: Client, table: string, columns: string): Promise<number> {
  const { rows } = await from.query<Record<string, string>>(sql);
  await to.query(`CREATE TEMP TABLE ${table} (${columns}) ON COMMIT PRESERVE ROWS`);
  const names = columns.split(',').map((c) => c.trim().split(/\s+/)[0]);
  for (let i = 0; i < rows.length; i += 20_000) {
    const slice = rows.slice(i, i + 20_000);
    await to.query(
      `INSERT INTO ${table} SELECT * FROM unnest(${names.map((_, k) => `$${k + 1}::text[]`).join(', ')}) AS u(${names.join(', ')})`,
      names.map((name) => slice.map((row) => row[name])),
    );
  }
  await to.query(`ANALYZE ${table}`);
  return rows.length;
}

/**
 * Cross-database consistency of generated (or any) data, as the resolvers rely on it: every referral's case exists
 * in cases and belongs to the sender, its municipality is the case's, its consent is a data-sharing consent of that
 * case, sender, receiver, offering and municipality exist in partners; every case's owner provides integration
 * management for the case's municipality in partners; partner organisations named in measures and consents and
 * accommodation sites of clients exist. Returns the problems found (empty when consistent), each with a count.
 */
export async function checkConsistency(databases: Databases): Promise<string[]> {
  return withClients(databases, async ({ partners, cases, referrals }) => {
    const problems: string[] = [];
    const count = async (client: Client, label: string, sql: string) => {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`);
      if (Number(rows[0].n) > 0) problems.push(`${label}: ${rows[0].n}`);
    };
    // partners -> cases, referrals
    await shipIds(partners, `SELECT id::text, kind FROM organizations`, cases, 'p_orgs', 'id text, kind text');
    await shipIds(partners, `SELECT municipality_id::text AS municipality, provider_organization_id::text AS provider FROM integration_management_responsibilities`, cases, 'p_resp', 'municipality text, provider text');
    await shipIds(partners, `SELECT id::text FROM accommodation_sites`, cases, 'p_sites', 'id text');
    await shipIds(partners, `SELECT id::text, kind FROM organizations`, referrals, 'p_orgs', 'id text, kind text');
    await shipIds(partners, `SELECT id::text, organization_id::text AS org FROM offerings`, referrals, 'p_offerings', 'id text, org text');
    // cases -> referrals
    await shipIds(cases, `SELECT id::text, owner_organization_id::text AS owner, municipality_id::text AS municipality FROM cases`, referrals, 'c_cases', 'id text, owner text, municipality text');
    await shipIds(cases, `SELECT id::text, case_id::text AS case_id, kind FROM consents`, referrals, 'c_consents', 'id text, case_id text, kind text');
    await shipIds(cases, `SELECT id::text, case_id::text AS case_id FROM goals`, referrals, 'c_goals', 'id text, case_id text');

    await count(cases, 'cases whose municipality is not a municipality in partners', `SELECT 1 FROM cases c WHERE NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = c.municipality_id::text AND o.kind = 'municipality')`);
    await count(cases, 'cases whose owner does not provide integration management for their municipality', `SELECT 1 FROM cases c WHERE NOT EXISTS (SELECT 1 FROM p_resp r WHERE r.municipality = c.municipality_id::text AND r.provider = c.owner_organization_id::text)`);
    await count(cases, 'measures naming an unknown partner organisation', `SELECT 1 FROM measures m WHERE m.partner_organization_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = m.partner_organization_id::text)`);
    await count(cases, 'consents naming an unknown recipient organisation', `SELECT 1 FROM consents s WHERE s.recipient_organization_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = s.recipient_organization_id::text)`);
    await count(cases, 'clients in an unknown accommodation site', `SELECT 1 FROM clients c WHERE c.accommodation_site_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM p_sites s WHERE s.id = c.accommodation_site_id::text)`);
    for (const table of ['clients', 'households', 'household_children']) {
      await count(cases, `${table} whose owner is not an organisation in partners`, `SELECT 1 FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = t.owner_organization_id::text)`);
    }
    for (const table of ['case_assignments', 'consents', 'integration_plans', 'goals', 'measures', 'plan_revisions', 'consultations']) {
      await count(cases, `${table} owned by another organisation than their case`, `SELECT 1 FROM ${table} t JOIN cases c ON c.id = t.case_id WHERE c.owner_organization_id <> t.owner_organization_id`);
    }
    await count(cases, 'cases whose client belongs to another organisation', `SELECT 1 FROM cases c JOIN clients cl ON cl.id = c.client_id WHERE cl.owner_organization_id <> c.owner_organization_id`);
    await count(cases, 'plans whose version is not their number of revisions', `SELECT 1 FROM integration_plans p WHERE p.version <> (SELECT count(*) FROM plan_revisions r WHERE r.plan_id = p.id)`);
    await count(cases, 'plan revisions with gaps in their numbers', `SELECT plan_id FROM plan_revisions GROUP BY plan_id HAVING max(revision) <> count(*)`);
    await count(cases, 'consultations before the opening or after the closing of their case', `SELECT 1 FROM consultations k JOIN cases c ON c.id = k.case_id WHERE k.occurred_at < c.opened_at OR k.occurred_at > COALESCE(c.closed_at, 'infinity')`);
    await count(cases, 'goals closed after their case', `SELECT 1 FROM goals g JOIN cases c ON c.id = g.case_id WHERE c.closed_at IS NOT NULL AND g.updated_at > c.closed_at`);

    await count(referrals, 'referrals of unknown cases', `SELECT 1 FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM c_cases c WHERE c.id = r.case_id::text)`);
    await count(referrals, 'referrals whose sender does not own the case', `SELECT 1 FROM referrals r JOIN c_cases c ON c.id = r.case_id::text WHERE c.owner <> r.sender_organization_id::text`);
    await count(referrals, 'referrals whose municipality is not the case\'s', `SELECT 1 FROM referrals r JOIN c_cases c ON c.id = r.case_id::text WHERE c.municipality IS DISTINCT FROM r.municipality_id::text`);
    await count(referrals, 'referrals whose consent is not a data-sharing consent of their case', `SELECT 1 FROM referrals r WHERE r.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM c_consents s WHERE s.id = r.consent_id::text AND s.case_id = r.case_id::text AND s.kind = 'data_sharing')`);
    await count(referrals, 'referrals whose goal is not a goal of their case', `SELECT 1 FROM referrals r WHERE r.goal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM c_goals g WHERE g.id = r.goal_id::text AND g.case_id = r.case_id::text)`);
    await count(referrals, 'referrals with an unknown sender or receiver', `SELECT 1 FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = r.sender_organization_id::text) OR NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = r.receiver_organization_id::text)`);
    await count(referrals, 'referrals whose receiver kind is not the receiver\'s', `SELECT 1 FROM referrals r JOIN p_orgs o ON o.id = r.receiver_organization_id::text WHERE o.kind <> r.receiver_kind`);
    await count(referrals, 'referrals whose offering is not one of the receiver\'s', `SELECT 1 FROM referrals r WHERE r.offering_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM p_offerings f WHERE f.id = r.offering_id::text AND f.org = r.receiver_organization_id::text)`);
    await count(referrals, 'referrals whose municipality is not a municipality in partners', `SELECT 1 FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM p_orgs o WHERE o.id = r.municipality_id::text AND o.kind = 'municipality')`);
    await count(referrals, 'referrals whose version is not 1 + their number of events', `SELECT 1 FROM referrals r WHERE r.version <> 1 + (SELECT count(*) FROM referral_events e WHERE e.referral_id = r.id)`);
    await count(referrals, 'referral events of another sender or receiver than their referral', `SELECT 1 FROM referral_events e JOIN referrals r ON r.id = e.referral_id WHERE e.sender_organization_id <> r.sender_organization_id OR e.receiver_organization_id <> r.receiver_organization_id`);
    await count(referrals, 'open referrals past their response deadline (the deadline job would expire them)', `SELECT 1 FROM referrals r WHERE r.status IN ('sent', 'received') AND r.response_due_at < (SELECT max(occurred_at) FROM referral_events)`);
    return problems;
  });
}
