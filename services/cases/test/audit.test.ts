import { DEMO_CASES, DEMO_ORGANIZATIONS, DEMO_USERS, demoUserToken, postGraphQL, Role, roleToken, startTestSubgraph, TestSubgraph, verifyAuditChain } from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';

/**
 * The audit trail of the cases subgraph (issue 7): every read of personal data and every change is recorded with
 * who, what, when, through which operation and for which purpose; append-only; hash-chained; readable by auditors.
 */
let cases: TestSubgraph;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
});
afterAll(() => cases?.stop());

const O = DEMO_ORGANIZATIONS;
const user = (handle: string) => DEMO_USERS.find((u) => u.handle === handle)!;
const OWN_CASE = DEMO_CASES.find((c) => c.ownerOrganizationId === O.ortenaukreis.id)!.id;

type Entry = {
  seq: string;
  action: string;
  operation: string;
  operation_name: string | null;
  actor_user_id: string | null;
  actor_organization_id: string | null;
  actor_roles: string[];
  purpose: string | null;
  entity_type: string;
  entity_ids: string[];
  fields: string[];
  data_owner_organization_id: string | null;
  subject_client_ids: string[];
  subject_case_ids: string[];
  request_id: string | null;
};

/** Entries written after a point (entry ids grow with every insert; seq comes with chaining, a moment later). */
const entriesAfter = (entryId: number) =>
  cases.ownerQuery<Entry>(`SELECT e.*, e.seq::text AS seq FROM audit_entries e WHERE e.entry_id > $1 ORDER BY e.entry_id`, [entryId]);
const lastSeq = async () => Number((await cases.ownerQuery<{ id: string }>(`SELECT COALESCE(max(entry_id), 0)::text AS id FROM audit_entries`))[0].id);
const chainPending = () => cases.ownerQuery(`SELECT audit_chain_pending(100000)`);
const chainHead = async () => Number((await cases.ownerQuery<{ seq: string }>(`SELECT seq::text FROM audit_chain_head`))[0].seq);

async function clientOf(caseId: string): Promise<string> {
  return (await cases.ownerQuery<{ client_id: string }>(`SELECT client_id FROM cases WHERE id = $1`, [caseId]))[0].client_id;
}

describe('reads of personal data', () => {
  it('records who read which fields of which case and client, through which operation, for which purpose', async () => {
    const before = await lastSeq();
    const caseworker = user('ortenaukreis-caseworker');
    const response = await postGraphQL(
      cases.url,
      `query ShowCase($id: ID!) { case(id: $id) { id status client { givenName familyName } } }`,
      { id: OWN_CASE },
      await demoUserToken(caseworker.handle),
      { 'x-purpose': 'Hilfeplangespräch', 'x-request-id': 'audit-test-read-0001' },
    );
    expect(response.errors).toBeUndefined();
    const entries = await entriesAfter(before);
    const clientId = await clientOf(OWN_CASE);
    expect(entries.map((e) => [e.action, e.entity_type, e.entity_ids, e.fields])).toEqual([
      ['read', 'Case', [OWN_CASE], ['client', 'id', 'status']],
      ['read', 'Client', [clientId], ['familyName', 'givenName']],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        operation: 'case',
        operation_name: 'ShowCase',
        actor_user_id: caseworker.id,
        actor_organization_id: O.ortenaukreis.id,
        actor_roles: ['caseworker'],
        purpose: 'Hilfeplangespräch',
        request_id: 'audit-test-read-0001',
        data_owner_organization_id: O.ortenaukreis.id,
      });
    }
    expect(entries[0].subject_case_ids).toEqual([OWN_CASE]);
    expect(entries[1].subject_client_ids).toEqual([clientId]);
  });

  it('records nothing for a caller who sees nothing, and one entry naming every entity of a whole page', async () => {
    const before = await lastSeq();
    const foreign = await roleToken(O.diakonie.id, Role.Caseworker);
    const none = await cases.graphql(`query($id: ID!) { case(id: $id) { id client { givenName } } }`, { id: OWN_CASE }, foreign);
    expect(none.data).toEqual({ case: null });
    expect(await entriesAfter(before)).toEqual([]);

    const list = await cases.graphql<{ cases: { edges: { node: { id: string } }[] } }>(
      `{ cases(first: 50) { edges { node { id status } } } }`,
      {},
      await demoUserToken('ortenaukreis-lead'),
    );
    const ids = list.data!.cases.edges.map((e) => e.node.id);
    expect(ids.length).toBeGreaterThan(1);
    const entries = await entriesAfter(before);
    expect(entries).toHaveLength(1);
    expect([...entries[0].entity_ids].sort()).toEqual([...ids].sort());
    expect([...entries[0].subject_case_ids].sort()).toEqual([...ids].sort());
    expect(entries[0]).toMatchObject({ operation: 'cases', entity_type: 'Case', fields: ['id', 'status'] });
  });

  it('drops a purpose that is not plain text of reasonable length', async () => {
    const before = await lastSeq();
    await postGraphQL(cases.url, `query($id: ID!) { case(id: $id) { id } }`, { id: OWN_CASE }, await demoUserToken('ortenaukreis-caseworker'), {
      'x-purpose': 'x'.repeat(201),
    });
    const entries = await entriesAfter(before);
    expect(entries).toHaveLength(1);
    expect(entries[0].purpose).toBeNull();
  });
});

describe('changes', () => {
  it('records a mutation with the entity, the ids and the names of the changed fields, never their values', async () => {
    const clientId = await clientOf(OWN_CASE);
    const [{ version }] = await cases.ownerQuery<{ version: number }>(`SELECT version FROM clients WHERE id = $1`, [clientId]);
    const before = await lastSeq();
    const result = await cases.graphql(
      `mutation($input: UpdateClientInput!) { updateClient(input: $input) { id version } }`,
      { input: { id: clientId, expectedVersion: version, phone: '+49 781 555 0199', email: 'audit-test@example.org' } },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(result.errors).toBeUndefined();
    const entries = await entriesAfter(before);
    const write = entries.find((e) => e.action === 'write')!;
    expect(write).toMatchObject({
      operation: 'updateClient',
      entity_type: 'Client',
      entity_ids: [clientId],
      fields: ['email', 'phone'],
      data_owner_organization_id: O.ortenaukreis.id,
      subject_client_ids: [clientId],
    });
    const everything = JSON.stringify(entries);
    expect(everything).not.toContain('555 0199');
    expect(everything).not.toContain('audit-test@example.org');
  });

  it('records no change for a mutation that failed (nothing changed), but still the reads that reached the caller', async () => {
    const clientId = await clientOf(OWN_CASE);
    const before = await lastSeq();
    const result = await cases.graphql(
      `mutation($input: UpdateClientInput!) { updateClient(input: $input) { id } }`,
      { input: { id: clientId, expectedVersion: 999, phone: '+49 781 1' } },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await entriesAfter(before)).filter((e) => e.action === 'write')).toEqual([]);

    const partial = await cases.graphql(
      `query($id: ID!) { shown: case(id: $id) { id status } broken: case(id: "not-a-uuid") { id } }`,
      { id: OWN_CASE },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(partial.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(partial.data).toEqual({ shown: { id: OWN_CASE, status: expect.any(String) }, broken: null });
    expect((await entriesAfter(before)).map((e) => [e.action, e.entity_type])).toEqual([['read', 'Case']]);
  });
});

describe('append-only and hash-chained', () => {
  it('lets the application role insert and read, never change or delete', async () => {
    const client = await cases.appClient();
    try {
      for (const statement of [`UPDATE audit_entries SET purpose = 'x'`, `DELETE FROM audit_entries`, `TRUNCATE audit_entries`, `UPDATE audit_chain_head SET seq = 0`]) {
        await expect(client.query(statement)).rejects.toThrow(/permission denied/);
      }
      // In the caller's own name only: an entry for another user is refused by row-level security.
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', 'me', true), set_config('app.roles', 'caseworker', true)`, [O.ortenaukreis.id]);
      await expect(
        client.query(
          `INSERT INTO audit_entries (seq, recorded_at, service, action, operation, actor_user_id, actor_organization_id, entity_type, prev_hash, hash)
           VALUES (0, now(), 'cases', 'read', 'case', 'someone-else', $1, 'Case', '', '')`,
          [O.ortenaukreis.id],
        ),
      ).rejects.toThrow(/row-level security/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    // Not even the owner changes an entry without first disabling the trigger.
    await expect(cases.ownerQuery(`DELETE FROM audit_entries WHERE entry_id = (SELECT min(entry_id) FROM audit_entries)`)).rejects.toThrow(/append-only/);
  });

  it('keeps the chain gapless and intact under concurrent requests, and finds an entry changed afterwards', async () => {
    const token = await demoUserToken('ortenaukreis-caseworker');
    await Promise.all(Array.from({ length: 20 }, () => cases.graphql(`query($id: ID!) { case(id: $id) { id status } }`, { id: OWN_CASE }, token)));
    // Written unchained; the chainer (every subgraph process, every second) or an explicit call chains them.
    const [{ n: unchained }] = await cases.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries WHERE seq IS NULL`);
    await Promise.all([chainPending(), chainPending()]);
    const query = (sql: string, params?: unknown[]) => cases.ownerQuery(sql, params);
    const intact = await verifyAuditChain(query, { batchSize: 7 });
    expect(intact.problems).toEqual([]);
    expect(intact.ok).toBe(true);
    expect(intact.pending).toBe(0);
    const [{ n: all }] = await cases.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries`);
    expect(intact.entries).toBe(all);
    expect(intact.head.seq).toBe(String(await chainHead()));
    expect(unchained + intact.entries).toBeGreaterThan(0);

    // Tampering as the superuser's owner role, triggers off: change one entry's purpose.
    const victim = Math.max(2, intact.entries - 5);
    // A chained entry cannot be changed again, not even by the chainer's path.
    await expect(cases.ownerQuery(`SELECT set_config('audit.chaining', 'on', true); UPDATE audit_entries SET hash = 'x' WHERE seq = ${victim}`)).rejects.toThrow(/append-only/);
    await cases.ownerQuery(`ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change`);
    try {
      await cases.ownerQuery(`UPDATE audit_entries SET purpose = 'rewritten' WHERE seq = $1`, [victim]);
      const changed = await verifyAuditChain(query);
      expect(changed.ok).toBe(false);
      expect(changed.problems).toEqual([{ seq: String(victim), problem: 'the entry does not match its hash (it was changed)' }]);

      // Removing an entry breaks the link of the next one.
      await cases.ownerQuery(`DELETE FROM audit_entries WHERE seq = $1`, [victim]);
      const removed = await verifyAuditChain(query);
      expect(removed.problems.map((p) => p.seq)).toEqual([String(victim + 1), String(victim + 1)]);
      expect(removed.problems[0].problem).toMatch(/gap/);
    } finally {
      await cases.ownerQuery(`ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change`);
    }
  });
});

describe('auditTrail', () => {
  const TRAIL = `query($clientId: ID, $userId: String) { auditTrail(clientId: $clientId, userId: $userId) {
    id caseIds cases(first: 100) { totalCount edges { node { sequence action operation entityType entityIds fields actorUserId purpose hash previousHash } } } } }`;
  type Trail = { auditTrail: { id: string; caseIds: string[]; cases: { totalCount: number; edges: { node: { sequence: string; action: string; entityType: string; actorUserId: string } }[] } } };

  it('shows an auditor everything recorded about a client of their organisation, oldest first', async () => {
    const clientId = await clientOf(OWN_CASE);
    await cases.graphql(`query($id: ID!) { client(id: $id) { id givenName } }`, { id: clientId }, await demoUserToken('ortenaukreis-lead'));
    const answer = await cases.graphql<Trail>(TRAIL, { clientId }, await demoUserToken('ortenaukreis-auditor'));
    expect(answer.errors).toBeUndefined();
    const trail = answer.data!.auditTrail;
    expect(trail.id).toBe(`client:${clientId}`);
    expect(trail.caseIds).toEqual([OWN_CASE]);
    const expected = await cases.ownerQuery<{ seq: string }>(
      `SELECT e.seq::text AS seq FROM audit_entries e WHERE subject_client_ids @> ARRAY[$1]::uuid[] OR subject_case_ids @> ARRAY[$2]::uuid[] ORDER BY e.entry_id`,
      [clientId, OWN_CASE],
    );
    expect(trail.cases.totalCount).toBe(expected.length);
    expect(trail.cases.edges.map((e) => e.node.sequence)).toEqual(expected.slice(0, 100).map((r) => r.seq));
    expect(trail.cases.edges.some((e) => e.node.entityType === 'Client' && e.node.actorUserId === user('ortenaukreis-lead').id)).toBe(true);
  });

  it('shows an auditor what a user of their organisation did', async () => {
    const caseworker = user('ortenaukreis-caseworker');
    const answer = await cases.graphql<Trail>(TRAIL, { userId: caseworker.id }, await demoUserToken('ortenaukreis-auditor'));
    expect(answer.errors).toBeUndefined();
    const [{ n }] = await cases.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries WHERE actor_user_id = $1`, [caseworker.id]);
    expect(n).toBeGreaterThan(0);
    expect(answer.data!.auditTrail.cases.totalCount).toBe(n);
    expect(answer.data!.auditTrail.caseIds).toEqual([]);
  });

  it('shows another organisation’s auditor nothing, refuses case staff, and lets leads ask about clients only', async () => {
    const clientId = await clientOf(OWN_CASE);
    const foreignAuditor = await roleToken(O.diakonie.id, Role.Auditor);
    const foreign = await cases.graphql<Trail>(TRAIL, { clientId }, foreignAuditor);
    expect(foreign.data!.auditTrail.caseIds).toEqual([]);
    expect(foreign.data!.auditTrail.cases.totalCount).toBe(0);

    const caseworker = await cases.graphql(TRAIL, { clientId }, await demoUserToken('ortenaukreis-caseworker'));
    expect(caseworker.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const lead = await demoUserToken('ortenaukreis-lead');
    const ofClient = await cases.graphql<Trail>(TRAIL, { clientId }, lead);
    expect(ofClient.errors).toBeUndefined();
    expect(ofClient.data!.auditTrail.cases.totalCount).toBeGreaterThan(0);
    const ofUser = await cases.graphql(TRAIL, { userId: 'someone' }, lead);
    expect(ofUser.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId', rule: 'auditorOnly' });

    const both = await cases.graphql(TRAIL, { clientId, userId: 'x' }, await demoUserToken('ortenaukreis-auditor'));
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'exactlyOne' });
  });
});
