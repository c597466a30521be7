import fs from 'node:fs';
import path from 'node:path';
import { createDataSource, createLogger, DEMO_ORGANIZATIONS, DEMO_USERS, printSubgraphSdl, startTestSubgraph, TestSubgraph, testToken } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

let partners: TestSubgraph;

beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

describe('partners subgraph', () => {
  it('checks in the schema it serves (run `npm run schema` after changing it)', async () => {
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(await printSubgraphSdl(partnersSubgraph)).toBe(checkedIn);
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${partners.baseUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${partners.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', service: 'partners' });
  });

  it('seeds the Ortenaukreis with its 51 municipalities, idempotently', async () => {
    const [{ count }] = await partners.ownerQuery<{ count: string }>(
      `SELECT count(*) FROM organizations WHERE kind = 'municipality' AND parent_id = $1`,
      [DEMO_ORGANIZATIONS.ortenaukreis.id],
    );
    expect(Number(count)).toBe(51);
    const before = await partners.ownerQuery(`SELECT id, version FROM organizations ORDER BY id`);
    const owner = createDataSource({ url: partners.database.ownerUrl, applicationName: 'seed-again', entities: partnersSubgraph.entities });
    await owner.initialize();
    try {
      await owner.transaction((manager) => partnersSubgraph.seedDemoData!(manager, createLogger('test')));
    } finally {
      await owner.destroy();
    }
    expect(await partners.ownerQuery(`SELECT id, version FROM organizations ORDER BY id`)).toEqual(before);
  });

  it('serves the public directory without a token, filtered, ordered and paged', async () => {
    type Page = { organizations: { totalCount: number; edges: { node: { name: string; kind: string; parent: { name: string } } }[]; pageInfo: { endCursor: string } } };
    const query = `query($filter: OrganizationFilter, $after: String) {
      organizations(filter: $filter, first: 3, after: $after) { totalCount edges { node { name kind parent { name } } } pageInfo { endCursor } }
    }`;
    const filter = { kinds: ['MUNICIPALITY'], text: 'bach' };
    const first = await partners.graphql<Page>(query, { filter });
    expect(first.errors).toBeUndefined();
    const second = await partners.graphql<Page>(query, { filter, after: first.data!.organizations.pageInfo.endCursor });
    const names = [...first.data!.organizations.edges, ...second.data!.organizations.edges].map((e) => e.node.name);
    const expected = await partners.ownerQuery<{ name: string }>(
      `SELECT name FROM organizations WHERE kind = 'municipality' AND name ILIKE '%bach%' ORDER BY name, id LIMIT 6`,
    );
    expect(names).toEqual(expected.map((row) => row.name));
    expect(names.length).toBeGreaterThan(3);
    for (const { node } of [...first.data!.organizations.edges, ...second.data!.organizations.edges]) {
      expect(node.name.toLowerCase()).toContain('bach');
      expect(node).toMatchObject({ kind: 'MUNICIPALITY', parent: { name: 'Ortenaukreis' } });
    }
  });

  it('names the field and the rule of bad input', async () => {
    const result = await partners.graphql(`{ organizations(first: 5000) { totalCount } }`);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'first', rule: 'max' }] });
    const byId = await partners.graphql(`{ organization(id: "nope") { id } }`);
    expect(byId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', rule: 'isUuid' });
  });

  it('rejects an invalid token with UNAUTHENTICATED instead of treating the caller as public', async () => {
    const result = await partners.graphql(`{ organizations { totalCount } }`, {}, 'not-a-token');
    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves N entity references with one SELECT (DataLoader)', async () => {
    const ids = Object.values(DEMO_ORGANIZATIONS).map((org) => org.id);
    partners.statements.reset();
    const result = await partners.graphql<{ _entities: { id: string; name: string }[] }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organization { id name } } }`,
      { representations: ids.map((id) => ({ __typename: 'Organization', id })) },
      await testToken(DEMO_USERS[0]),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((o) => o.id)).toEqual(ids);
    expect(partners.statements.selectsFrom('organizations')).toHaveLength(1);
  });

  it('lets the application role read the directory but not change it without the coordinator role', async () => {
    const client = await partners.appClient();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS count FROM organizations');
      expect(rows[0].count).toBeGreaterThan(51);
      const update = await client.query(`UPDATE organizations SET name = 'x' WHERE id = $1`, [DEMO_ORGANIZATIONS.vhs.id]);
      expect(update.rowCount).toBe(0);
      await expect(client.query(`INSERT INTO organizations (id, name, kind) VALUES (gen_random_uuid(), 'x', 'other')`)).rejects.toThrow(
        /row-level security/,
      );
    } finally {
      await client.end();
    }
  });
});
