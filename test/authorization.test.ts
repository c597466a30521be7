import fs from 'node:fs';
import path from 'node:path';
import { DEMO_ORGANIZATIONS, DEMO_USERS, ownerUrl } from '@integration-graph/common';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { Client } from 'pg';
import { brief, CALLERS, Fixtures, GraphQLAnswer, MatrixEntry, MUTATION_MATRIX, Outcome, QUERY_MATRIX, RoleKey, ROLES } from './authorization-matrix';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * The authorization matrix of issue 7 (test/authorization-matrix.ts, docs/security.md): every root field of the
 * supergraph has a rule for every role, and every rule holds when its sample runs through the gateway.
 */

const SUPERGRAPH = path.join(__dirname, '..', 'gateway', 'supergraph.graphql');
const MATRICES = { query: QUERY_MATRIX, mutation: MUTATION_MATRIX } as const;
type OperationKind = keyof typeof MATRICES;
const ROOT_TYPE_NAMES: Record<OperationKind, string> = { query: 'Query', mutation: 'Mutation' };

/** The operation types the supergraph declares (schema { query: ... mutation: ... }). */
function operationTypes(): string[] {
  const document = parse(fs.readFileSync(SUPERGRAPH, 'utf8'));
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION ? (definition.operationTypes ?? []).map((t) => t.operation) : [],
  );
}

/** The root fields of Query or Mutation in the supergraph (definitions and extensions). */
function rootFields(typeName: string): string[] {
  const document = parse(fs.readFileSync(SUPERGRAPH, 'utf8'));
  return document.definitions.flatMap((definition) =>
    (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) && definition.name.value === typeName
      ? (definition.fields ?? []).map((field) => field.name.value)
      : [],
  );
}

const CELLS: [OperationKind, string, RoleKey, Outcome][] = (Object.keys(MATRICES) as OperationKind[]).flatMap((kind) =>
  Object.entries(MATRICES[kind]).flatMap(([field, entry]) => ROLES.map((role): [OperationKind, string, RoleKey, Outcome] => [kind, field, role, entry.rules[role]])),
);

describe('the authorization matrix', () => {
  it('covers queries and mutations only (a subscription type would need its own matrix)', () => {
    expect(operationTypes().sort()).toEqual([OperationTypeNode.MUTATION, OperationTypeNode.QUERY]);
  });

  it.each(Object.keys(MATRICES) as OperationKind[])('has a rule for every %s field of the supergraph, and none for a field that does not exist', (kind) => {
    const fields = rootFields(ROOT_TYPE_NAMES[kind]);
    expect(fields.length).toBeGreaterThan(0);
    const missing = fields.filter((field) => !(field in MATRICES[kind]));
    const unknown = Object.keys(MATRICES[kind]).filter((field) => !fields.includes(field));
    // Deny by default: a new operation has no rule until someone decides who may use it (test/authorization-matrix.ts).
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it.each(Object.keys(MATRICES) as OperationKind[])('gives every %s a sample that runs exactly that field, and says what filtered means where it is used', (kind) => {
    const problems: string[] = [];
    for (const [field, entry] of Object.entries(MATRICES[kind]) as [string, MatrixEntry][]) {
      const operations = parse(entry.document).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      const operation = operations[0];
      if (operations.length !== 1 || operation.kind !== Kind.OPERATION_DEFINITION) {
        problems.push(`${field}: the sample must hold one operation`);
        continue;
      }
      const selections = operation.selectionSet.selections;
      const selected = selections[0];
      if (operation.operation !== kind) problems.push(`${field}: the sample is a ${operation.operation}, not a ${kind}`);
      if (selections.length !== 1 || selected.kind !== Kind.FIELD || selected.name.value !== field || selected.alias) {
        problems.push(`${field}: the sample must select ${field} (unaliased) and nothing else at the root`);
      }
      for (const role of ROLES) {
        if (!['allowed', 'denied', 'filtered'].includes(entry.rules[role])) problems.push(`${field}: no rule for ${role}`);
      }
      if (ROLES.some((role) => entry.rules[role] === 'filtered') && !entry.filtered) problems.push(`${field}: filtered cells without a filter check`);
    }
    expect(problems).toEqual([]);
  });
});

/** Errors that an allowed mutation may legitimately end with: the role check passed, the input or record did not. */
const FAILURES_AFTER_THE_ROLE_CHECK = ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'];
const AUTHORIZATION_CODES = ['UNAUTHENTICATED', 'FORBIDDEN'];
const codesOf = (answer: GraphQLAnswer) => (answer.errors ?? []).map((e) => String(e.extensions?.code));
const show = (value: unknown) => JSON.stringify(value);

/** Runs the tasks with at most `limit` of them at once. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** The seeded records the samples need whose ids are not derived from DEMO_* (read as the cases owner role). */
async function loadFixtures(platform: TestPlatform): Promise<Fixtures> {
  const client = new Client({ connectionString: ownerUrl(platform.adminUrl, platform.databases.cases) });
  await client.connect();
  try {
    const cases = await client.query<{ id: string; client_id: string }>(`SELECT id, client_id FROM cases`);
    const owners = await client.query<{ id: string; owner: string }>(
      `SELECT id, owner_organization_id AS owner FROM clients
       UNION ALL SELECT id, owner_organization_id FROM consents
       UNION ALL SELECT id, owner_organization_id FROM households`,
    );
    const { rows: plans } = await client.query<{ case_id: string; plan_id: string; goal_id: string; measure_id: string }>(
      `SELECT g.case_id, g.plan_id, g.id AS goal_id, m.id AS measure_id
         FROM measures m JOIN goals g ON g.id = m.goal_id JOIN cases c ON c.id = g.case_id
        WHERE c.owner_organization_id = $1 AND c.status <> 'closed'
        ORDER BY g.created_at, m.created_at LIMIT 1`,
      [DEMO_ORGANIZATIONS.ortenaukreis.id],
    );
    if (!plans.length) throw new Error('the seed has no open Ortenaukreis case with a goal and a measure');
    return {
      clientOfCase: Object.fromEntries(cases.rows.map((row) => [row.id, row.client_id])),
      ownerOf: Object.fromEntries(owners.rows.map((row) => [row.id, row.owner])),
      plan: { caseId: plans[0].case_id, planId: plans[0].plan_id, goalId: plans[0].goal_id, measureId: plans[0].measure_id },
    };
  } finally {
    await client.end();
  }
}

describe('every query and mutation as every role, through the gateway', () => {
  let platform: TestPlatform;
  let fixtures: Fixtures;
  const answers = new Map<string, GraphQLAnswer>();
  const cellKey = (kind: OperationKind, field: string, role: RoleKey) => `${kind}:${field}:${role}`;

  beforeAll(async () => {
    platform = await startTestPlatform();
    fixtures = await loadFixtures(platform);
    const tokens = Object.fromEntries(
      await Promise.all(ROLES.map(async (role) => [role, CALLERS[role] ? await platform.tokenOf(CALLERS[role]!) : undefined] as const)),
    ) as Record<RoleKey, string | undefined>;
    // One task per field; its roles run one after the other, denied ones first, so that an allowed change (say a
    // removed contact point) cannot turn a later FORBIDDEN into NOT_FOUND. Eight fields at a time.
    const order: Record<Outcome, number> = { denied: 0, filtered: 1, allowed: 2 };
    const tasks = (Object.keys(MATRICES) as OperationKind[]).flatMap((kind) =>
      (Object.entries(MATRICES[kind]) as [string, MatrixEntry][]).map(([field, entry]) => async () => {
        const roles = [...ROLES].sort((a, b) => order[entry.rules[a]] - order[entry.rules[b]]);
        for (const role of roles) {
          const { data, errors } = await platform.query(entry.document, entry.variables?.(fixtures) ?? {}, tokens[role]);
          answers.set(cellKey(kind, field, role), { data, errors });
        }
      }),
    );
    await runLimited(tasks, 8);
  }, 300_000);
  afterAll(() => platform?.stop());

  /** true when the answer is what the rule says; otherwise what was wrong. */
  function judge(kind: OperationKind, field: string, role: RoleKey, expected: Outcome): true | string {
    const answer = answers.get(cellKey(kind, field, role));
    if (!answer) return 'the sample did not run';
    const codes = codesOf(answer);
    if (expected === 'denied') {
      const wanted = role === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      if (!codes.length || codes.some((code) => code !== wanted)) return `expected ${wanted} only, got ${brief(answer)}`;
      if (answer.data?.[field] != null) return `denied, but data came back: ${show(answer.data)}`;
      return true;
    }
    const refused = codes.filter((code) => AUTHORIZATION_CODES.includes(code));
    if (refused.length) return `expected no ${refused.join('/')}, got ${brief(answer)}`;
    if (expected === 'allowed') {
      const unexpected = (answer.errors ?? []).filter((e) => !FAILURES_AFTER_THE_ROLE_CHECK.includes(String(e.extensions?.code)));
      return unexpected.length ? `allowed, but failed with something other than ${FAILURES_AFTER_THE_ROLE_CHECK.join('/')}: ${brief({ errors: unexpected })}` : true;
    }
    const entry: MatrixEntry = MATRICES[kind][field];
    const user = DEMO_USERS.find((u) => u.handle === CALLERS[role]);
    const caller = user ? { organizationId: user.organizationId, roles: [...user.roles] } : { organizationId: null, roles: [] };
    return entry.filtered!({ field, answer, role, caller, fixtures });
  }

  it.each(CELLS)('%s %s as %s: %s', (kind, field, role, expected) => {
    expect(judge(kind, field, role, expected)).toBe(true);
  });
});
