import fs from 'node:fs';
import path from 'node:path';
import { DEMO_CASES, DEMO_ORGANIZATIONS, demoUserToken, printSubgraphSdl, Role, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';

let cases: TestSubgraph;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
});
afterAll(() => cases?.stop());

const CASE_FIELDS = 'id status openedAt version ownerOrganization { id }';

describe('cases subgraph', () => {
  it('checks in the schema it serves (run `npm run schema` after changing it)', async () => {
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(await printSubgraphSdl(casesSubgraph)).toBe(checkedIn);
  });

  describe('reading', () => {
    it('refuses callers without a token', async () => {
      const result = await cases.graphql(`{ cases { id } }`);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0].message).toMatch(/Authorization: Bearer/);
    });

    it.each(['jobcenter-partner', 'ortenaukreis-coordinator', 'ortenaukreis-auditor'])('refuses %s (deny by default)', async (handle) => {
      const result = await cases.graphql(`{ cases { id } }`, {}, await demoUserToken(handle));
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(result.data).toBeNull();
    });

    it.each([
      ['ortenaukreis-caseworker', DEMO_ORGANIZATIONS.ortenaukreis.id],
      ['offenburg-caseworker', DEMO_ORGANIZATIONS.offenburg.id],
    ])('shows %s exactly the own organisation’s cases, newest first', async (handle, orgId) => {
      const result = await cases.graphql<{ cases: { id: string; openedAt: string; ownerOrganization: { id: string } }[] }>(
        `{ cases { ${CASE_FIELDS} } }`,
        {},
        await demoUserToken(handle),
      );
      expect(result.errors).toBeUndefined();
      const expected = DEMO_CASES.filter((c) => c.ownerOrganizationId === orgId)
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
        .map((c) => c.id);
      expect(result.data!.cases.map((c) => c.id)).toEqual(expected);
      expect(new Set(result.data!.cases.map((c) => c.ownerOrganization.id))).toEqual(new Set([orgId]));
    });

    it('filters by status and pages', async () => {
      const token = await demoUserToken('ortenaukreis-lead');
      const active = await cases.graphql<{ cases: { status: string }[] }>(`{ cases(filter: { statuses: [ACTIVE] }) { status } }`, {}, token);
      expect(active.data!.cases.map((c) => c.status)).toEqual(['ACTIVE', 'ACTIVE']);
      const second = await cases.graphql<{ cases: { id: string }[] }>(`{ cases(limit: 1, offset: 1) { id } }`, {}, token);
      const all = await cases.graphql<{ cases: { id: string }[] }>(`{ cases { id } }`, {}, token);
      expect(second.data!.cases).toEqual([all.data!.cases[1]]);
    });

    it('returns null for another organisation’s case', async () => {
      const foreign = DEMO_CASES.find((c) => c.ownerOrganizationId === DEMO_ORGANIZATIONS.offenburg.id)!;
      const result = await cases.graphql(`query($id: ID!) { case(id: $id) { id } }`, { id: foreign.id }, await demoUserToken('ortenaukreis-caseworker'));
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ case: null });
    });

    it('resolves N case references with one SELECT, only those the caller may see', async () => {
      cases.statements.reset();
      const result = await cases.graphql<{ _entities: ({ id: string } | null)[] }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id status } } }`,
        { r: DEMO_CASES.map((c) => ({ __typename: 'Case', id: c.id })) },
        await demoUserToken('ortenaukreis-caseworker'),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities.map((e) => e?.id ?? null)).toEqual(
        DEMO_CASES.map((c) => (c.ownerOrganizationId === DEMO_ORGANIZATIONS.ortenaukreis.id ? c.id : null)),
      );
      expect(cases.statements.selectsFrom('cases')).toHaveLength(1);
    });
  });

  describe('row-level security in PostgreSQL', () => {
    const scoped = async (orgId: string | null, roles: string) => {
      const client = await cases.appClient();
      try {
        await client.query('BEGIN');
        if (orgId !== null) {
          await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
        }
        const { rows } = await client.query('SELECT owner_organization_id FROM cases');
        await client.query('ROLLBACK');
        return rows.map((r) => r.owner_organization_id as string);
      } finally {
        await client.end();
      }
    };

    it('returns only the caller’s organisation’s rows for a query without WHERE', async () => {
      for (const org of [DEMO_ORGANIZATIONS.ortenaukreis, DEMO_ORGANIZATIONS.offenburg]) {
        const rows = await scoped(org.id, Role.Caseworker);
        expect(rows.length).toBeGreaterThan(0);
        expect(new Set(rows)).toEqual(new Set([org.id]));
      }
    });

    it('returns nothing without a context, with an empty context, or without a case role', async () => {
      expect(await scoped(null, '')).toEqual([]);
      expect(await scoped('', '')).toEqual([]);
      expect(await scoped(DEMO_ORGANIZATIONS.ortenaukreis.id, Role.Coordinator)).toEqual([]);
    });

    it('the application role cannot switch row-level security off', async () => {
      const client = await cases.appClient();
      try {
        await expect(client.query('ALTER TABLE cases DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
        await expect(client.query('SET row_security = off; SELECT * FROM cases')).rejects.toThrow(/row-level security/);
      } finally {
        await client.end();
      }
    });
  });

  describe('opening cases', () => {
    const OPEN = `mutation($input: OpenCaseInput!) { openCase(input: $input) { ${CASE_FIELDS} } }`;

    it('opens an INTAKE case owned by the caller’s organisation', async () => {
      const result = await cases.graphql<{ openCase: { status: string; version: number; ownerOrganization: { id: string } } }>(
        OPEN,
        { input: { openedAt: '2026-11-02T09:00:00Z' } },
        await demoUserToken('diakonie-caseworker'),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.openCase).toMatchObject({ status: 'INTAKE', version: 1, ownerOrganization: { id: DEMO_ORGANIZATIONS.diakonie.id } });
    });

    it('does not create a duplicate when a request is retried with the same idempotency key', async () => {
      const token = await demoUserToken('offenburg-caseworker');
      const input = { idempotencyKey: 'retry-0f3a9c21' };
      const [first, second] = await Promise.all([cases.graphql<{ openCase: { id: string } }>(OPEN, { input }, token), cases.graphql<{ openCase: { id: string } }>(OPEN, { input }, token)]);
      expect(first.errors).toBeUndefined();
      expect(second.data!.openCase.id).toBe(first.data!.openCase.id);
      const rows = await cases.ownerQuery(`SELECT id FROM cases WHERE idempotency_key = $1`, [input.idempotencyKey]);
      expect(rows).toHaveLength(1);
    });

    it('names the field and the rule of bad input and stores nothing', async () => {
      const token = await demoUserToken('offenburg-caseworker');
      const before = await cases.ownerQuery(`SELECT count(*) FROM cases`);
      const short = await cases.graphql(OPEN, { input: { idempotencyKey: 'abc' } }, token);
      expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'idempotencyKey', rule: 'isLength' }] });
      const future = await cases.graphql(OPEN, { input: { openedAt: '2099-01-01T00:00:00Z' } }, token);
      expect(future.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.openedAt', rule: 'notInFuture' });
      expect(await cases.ownerQuery(`SELECT count(*) FROM cases`)).toEqual(before);
    });

    it('rolls back the whole request when one of its mutations fails', async () => {
      const result = await cases.graphql(
        `mutation { a: openCase(input: { idempotencyKey: "rollback-7d2e41" }) { id } b: changeCaseStatus(input: { id: "00000000-0000-4000-8000-000000000000", status: ACTIVE, expectedVersion: 1 }) { id } }`,
        {},
        await demoUserToken('offenburg-caseworker'),
      );
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(await cases.ownerQuery(`SELECT id FROM cases WHERE idempotency_key = 'rollback-7d2e41'`)).toEqual([]);
    });
  });

  describe('changing the status', () => {
    const CHANGE = `mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { id status version } }`;
    let caseId: string;
    let token: string;

    beforeAll(async () => {
      token = await demoUserToken('ortenaukreis-caseworker');
      const opened = await cases.graphql<{ openCase: { id: string } }>(`mutation { openCase(input: {}) { id } }`, {}, token);
      caseId = opened.data!.openCase.id;
    });

    it('moves along allowed transitions and bumps the version', async () => {
      const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'ACTIVE', expectedVersion: 1 } }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ changeCaseStatus: { id: caseId, status: 'ACTIVE', version: 2 } });
    });

    it('refuses a stale version with CONFLICT and keeps the newer change', async () => {
      const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'CLOSED', expectedVersion: 1 } }, token);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: 2 });
      expect(await cases.ownerQuery(`SELECT status, version FROM cases WHERE id = $1`, [caseId])).toEqual([{ status: 'active', version: 2 }]);
    });

    it('lets exactly one of two concurrent edits of the same version win', async () => {
      const results = await Promise.all(
        ['PAUSED', 'CLOSED'].map((status) => cases.graphql(CHANGE, { input: { id: caseId, status, expectedVersion: 2 } }, token)),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(1);
    });

    it('refuses transitions that are not allowed, naming the rule', async () => {
      const [{ version }] = await cases.ownerQuery<{ version: number }>(`SELECT version FROM cases WHERE id = $1`, [caseId]);
      await cases.graphql(CHANGE, { input: { id: caseId, status: 'CLOSED', expectedVersion: version } }, token);
      const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'ACTIVE', expectedVersion: version + 1 } }, token);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.status', rule: 'allowedTransition' });
    });

    it('does not reveal or change another organisation’s case', async () => {
      const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'ACTIVE', expectedVersion: 1 } }, await demoUserToken('offenburg-caseworker'));
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
