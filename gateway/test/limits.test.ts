import fs from 'node:fs';
import { Role, testToken } from '@integration-graph/common';
import { buildSchema, Lexer, OperationDefinitionNode, parse, Source, TokenKind } from 'graphql';
import { loadGatewayConfig } from '../src/config';
import { SUPERGRAPH_FILE } from '../src/compose';
import { exportPlan } from '../src/data-subject-export';
import { COMPARISON_QUERY } from '../src/exports';
import { checkLimits, measureOperation } from '../src/limits';
import { DEFAULT_REQUEST_LIMITS, startTestGateway, TestGateway } from './harness';

const schema = buildSchema(fs.readFileSync(SUPERGRAPH_FILE, 'utf8'), { assumeValidSDL: true });

function measure(query: string, variables: Record<string, unknown> = {}, defaultListSize = DEFAULT_REQUEST_LIMITS.defaultListSize) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return measureOperation(schema, document, operation, variables, defaultListSize);
}

function tokensOf(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/** `{ organizations(first: 1) { edges { node { parent { … { id } } } } } }` of the given depth (at least 4). */
function ofDepth(depth: number): string {
  const parents = depth - 4;
  return `{ organizations(first: 1) { edges { node { ${'parent { '.repeat(parents)}id${' }'.repeat(parents)} } } } }`;
}

describe('measuring an operation', () => {
  it('counts depth without a level for fragments, aliases and directives, as graphql-armor does', () => {
    expect(measure(ofDepth(4)).depth).toBe(4);
    expect(measure(ofDepth(9)).depth).toBe(9);
    expect(measure(`query { ...Q } fragment Q on Query { organizations { edges { node { id } } } }`).depth).toBe(4);
    expect(measure(`{ a: organizations { totalCount } b: organizations { totalCount } organizations { totalCount } }`).aliases).toBe(2);
    expect(measure(`query($x: Boolean!) { organizations @include(if: $x) { totalCount @skip(if: $x) } }`, { x: true }).directives).toBe(2);
  });

  it('multiplies the cost of a subtree by first/last/limit, given or by the schema default, and counts lists without one as the default size', () => {
    // organizations (1) + totalCount (1), 50 times
    expect(measure(`{ organizations(first: 50) { totalCount } }`).cost).toBe(100);
    // a variable counts like a literal
    expect(measure(`query($n: Int!) { organizations(first: $n) { totalCount } }`, { n: 7 }).cost).toBe(14);
    // the schema's default page size (20) when first is not given
    expect(measure(`{ organizations { totalCount } }`).cost).toBe(40);
    // edges of a connection are not counted again: (1 + edges (1 + node (1 + id 1))) * 10
    expect(measure(`{ organizations(first: 10) { edges { node { id } } } }`).cost).toBe(40);
    // a list without an argument (Case.referrals) counts GRAPHQL_DEFAULT_LIST_SIZE items
    const nested = `{ cases(first: 2) { edges { node { referrals { id } } } } }`;
    expect(measure(nested, {}, 10).cost).toBe(2 * (1 + 1 + 1 + 10 * 2));
    expect(measure(nested, {}, 3).cost).toBe(2 * (1 + 1 + 1 + 3 * 2));
    // limit of the combined referrals list (1-500)
    expect(measure(`{ referrals(limit: 500) { id } }`).cost).toBe(1000);
  });

  it('leaves the cost open when the variables do not fit (the gateway refuses them without calling a subgraph)', () => {
    expect(measure(`query($n: Int!) { organizations(first: $n) { totalCount } }`, { n: 'many' }).cost).toBeNull();
  });

  it('lets every operation the project uses pass the default limits, the heaviest with a margin', () => {
    // The costliest document of the tests (test/field-minimisation.test.ts, `{ referrals(limit: 500) { ${REFERRAL_FIELDS} } }`):
    // 500 referrals, each with its history, its case, the case's client, household, plan and referrals.
    const referralOwn = `id status reason reasonText clientData clientDataScope history { actorUserId comment details }`;
    const caseFields = `id status closureNote eligibilityOverrideReason extensionReason
      client { id givenName familyName dateOfBirth phone email household { name members { givenName } children { givenName } } cases { id } }
      consents { id scope purposes } plan { strengths workExperience goals { description } }
      consultations(first: 20) { edges { node { id } } } referrals { ${referralOwn} }`;
    const heaviest = `{ referrals(limit: 500) { ${referralOwn} case { ${caseFields} }
      offering { id waitlistLength organization { id incomingReferralCount } } partner { id incomingReferralCount } sender { id name } } }`;
    const measured = measure(heaviest);
    expect(measured).toEqual({ depth: 6, aliases: 0, directives: 0, cost: 373_500 });
    expect(measured.cost! * 2.5).toBeLessThan(DEFAULT_REQUEST_LIMITS.maxCost);
    expect(checkLimits(measured, DEFAULT_REQUEST_LIMITS)).toBeUndefined();
    // The bench's caseload page at the largest page size of its scaling check.
    const caseload = `query CaseloadPage($first: Int!) { cases(first: $first) { totalCount edges { node {
      id status openedAt periodEndsOn client { id givenName familyName } plan { nextReviewDue openGoalsByLifeArea { lifeArea count } }
      referrals { id status sentAt } ownerOrganization { id name } } } pageInfo { hasNextPage endCursor } } }`;
    expect(checkLimits(measure(caseload, { first: 500 }), DEFAULT_REQUEST_LIMITS)).toBeUndefined();
  });

  it('keeps the documents the gateway runs itself (exports) within the token limit, which applies to them too', () => {
    // Depth, cost, aliases and directives are not checked for them (limits.ts); tokens are (parseOptions).
    const plan = exportPlan(schema);
    const documents = [plan.document, ...plan.connections.map((c) => `query($after: String) { x { ${c.document} } }`), COMPARISON_QUERY];
    for (const document of documents) expect(tokensOf(document) * 4).toBeLessThan(DEFAULT_REQUEST_LIMITS.maxTokens);
    // and today they would pass the other defaults as well
    expect(checkLimits(measure(plan.document, { clientId: '00000000-0000-4000-8000-000000000000' }), DEFAULT_REQUEST_LIMITS)).toBeUndefined();
  });
});

describe('limit settings', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('come from the environment, with the defaults otherwise', () => {
    for (const name of Object.keys(process.env).filter((key) => /^(GRAPHQL_|RATE_LIMIT_|TRUST_PROXY)/.test(key))) delete process.env[name];
    expect(loadGatewayConfig().limits).toEqual(DEFAULT_REQUEST_LIMITS);
    Object.assign(process.env, {
      GRAPHQL_MAX_DEPTH: '12',
      GRAPHQL_MAX_COST: '5000',
      GRAPHQL_DEFAULT_LIST_SIZE: '25',
      GRAPHQL_MAX_ALIASES: '0',
      GRAPHQL_MAX_DIRECTIVES: '5',
      GRAPHQL_MAX_TOKENS: '800',
      GRAPHQL_MAX_BODY_BYTES: '65536',
      RATE_LIMIT_USER_PER_MINUTE: '100',
      RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '30',
      TRUST_PROXY: '1',
    });
    const config = loadGatewayConfig();
    expect(config.limits).toEqual({ maxDepth: 12, maxCost: 5000, defaultListSize: 25, maxAliases: 0, maxDirectives: 5, maxTokens: 800, maxBodyBytes: 65536 });
    expect(config.rateLimits).toEqual({ userPerMinute: 100, organizationPerMinute: 0, anonymousPerMinute: 30 });
    expect(config.trustProxy).toBe(1);
  });

  it('refuses a value that is not a whole number, and a body limit of 0', () => {
    process.env.GRAPHQL_MAX_DEPTH = 'deep';
    expect(() => loadGatewayConfig()).toThrow(/GRAPHQL_MAX_DEPTH/);
    delete process.env.GRAPHQL_MAX_DEPTH;
    process.env.GRAPHQL_MAX_BODY_BYTES = '0';
    expect(() => loadGatewayConfig()).toThrow(/GRAPHQL_MAX_BODY_BYTES/);
  });
});

describe('request limits at the gateway', () => {
  let gateway: TestGateway;
  const limits = { maxDepth: 6, maxCost: 100, maxAliases: 3, maxDirectives: 2, maxTokens: 120, maxBodyBytes: 2_000 };

  beforeAll(async () => {
    gateway = await startTestGateway({ limits });
  });
  afterAll(() => gateway?.close());
  beforeEach(() => {
    gateway.stub.calls.length = 0;
  });

  /** Passed: no error from a limit, and the operation ran (the subgraph was called). */
  async function expectPasses(query: string) {
    const { status, body } = await gateway.query(query);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(gateway.stub.calls.length).toBeGreaterThan(0);
    return body;
  }

  /** Refused with a 400 naming the limit and its setting, and nothing ran. */
  async function expectRefused(query: string, code: string, message: string | RegExp, limit: string) {
    gateway.stub.calls.length = 0;
    const { status, body, headers } = await gateway.query(query);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].message).toMatch(message);
    expect(body.errors![0].extensions).toMatchObject({ code, limit, requestId: headers.get('x-request-id') });
    expect(body).not.toHaveProperty('data');
    expect(gateway.stub.calls).toHaveLength(0);
  }

  it('depth: passes at the limit, refuses one level deeper', async () => {
    await expectPasses(ofDepth(6));
    await expectRefused(ofDepth(7), 'GRAPHQL_VALIDATION_FAILED', 'Query depth 7 exceeds the limit of 6 (GRAPHQL_MAX_DEPTH)', 'GRAPHQL_MAX_DEPTH');
  });

  it('cost: passes at the limit, refuses a larger page (list sizes counted, variables too)', async () => {
    await expectPasses(`{ organizations(first: 50) { totalCount } }`);
    await expectRefused(`{ organizations(first: 51) { totalCount } }`, 'GRAPHQL_VALIDATION_FAILED', /^Query cost 102 exceeds the limit of 100 \(GRAPHQL_MAX_COST\)/, 'GRAPHQL_MAX_COST');
    const { status, body } = await gateway.post({ query: 'query($n: Int!) { organizations(first: $n) { totalCount } }', variables: { n: 60 } });
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({ limit: 'GRAPHQL_MAX_COST', maximum: 100, actual: 120 });
    expect(gateway.stub.calls).toHaveLength(0);
  });

  it('aliases: passes at the limit, refuses one more', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: organizations(first: 1) { totalCount }`).join(' ')} }`;
    await expectPasses(aliased(3));
    await expectRefused(aliased(4), 'GRAPHQL_VALIDATION_FAILED', 'Query uses 4 aliases, more than the limit of 3 (GRAPHQL_MAX_ALIASES)', 'GRAPHQL_MAX_ALIASES');
  });

  it('directives: passes at the limit, refuses one more', async () => {
    await expectPasses(`{ organizations(first: 1) @include(if: true) { totalCount @include(if: true) } }`);
    await expectRefused(
      `{ organizations(first: 1) @include(if: true) { totalCount @include(if: true) @skip(if: false) } }`,
      'GRAPHQL_VALIDATION_FAILED',
      'Query uses 3 directives, more than the limit of 2 (GRAPHQL_MAX_DIRECTIVES)',
      'GRAPHQL_MAX_DIRECTIVES',
    );
  });

  it('tokens: passes at the limit, refuses one more token', async () => {
    // `{ organizations(first: 1, filter: { kinds: [] }) { totalCount } }` is 19 tokens; each kind in the list adds
    // one (and no cost).
    const ofTokens = (n: number) => `{ organizations(first: 1, filter: { kinds: [${Array.from({ length: n - 19 }, () => 'MUNICIPALITY').join(' ')}] }) { totalCount } }`;
    expect(tokensOf(ofTokens(120))).toBe(120);
    await expectPasses(ofTokens(120));
    await expectRefused(
      ofTokens(121),
      'GRAPHQL_PARSE_FAILED',
      'Query document has more than 120 tokens, the limit (GRAPHQL_MAX_TOKENS); parsing stopped there',
      'GRAPHQL_MAX_TOKENS',
    );
  });

  it('body size: passes at the limit, refuses a larger body with HTTP 413 and a GraphQL error (JSON, not HTML)', async () => {
    const bodyOf = (bytes: number) => {
      const start = '{"query":"{ organizations(first: 1) { totalCount } }';
      const end = '"}';
      return start + ' '.repeat(bytes - start.length - end.length) + end;
    };
    expect(Buffer.byteLength(bodyOf(2_000))).toBe(2_000);
    const passed = await gateway.post(bodyOf(2_000));
    expect(passed.status).toBe(200);
    expect(passed.body.errors).toBeUndefined();
    expect(gateway.stub.calls).toHaveLength(1);

    gateway.stub.calls.length = 0;
    const refused = await gateway.post(bodyOf(2_001));
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(refused.body).toEqual({
      errors: [
        {
          message: 'Request body of 2001 bytes exceeds the limit of 2000 bytes (GRAPHQL_MAX_BODY_BYTES)',
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'GRAPHQL_MAX_BODY_BYTES', maximum: 2000, requestId: refused.headers.get('x-request-id') },
        },
      ],
    });
    expect(gateway.stub.calls).toHaveLength(0);
  });

  it('answers a body that is not JSON with a 400 GraphQL error, not an HTML page', async () => {
    const { status, body } = await gateway.post('{"query": "{ organizations', {});
    expect(status).toBe(400);
    expect(body.errors![0].extensions?.code).toBe('BAD_REQUEST');
    expect(body.errors![0].message).toMatch(/not valid JSON/);
  });

  it('refuses a batch (a JSON array of operations) with a clear 400, running none of them', async () => {
    const query = '{ organizations(first: 1) { totalCount } }';
    const { status, body } = await gateway.post([{ query }, { query }]);
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: 'Batched requests (a JSON array of operations) are not accepted: send one operation per request',
        extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) },
      },
    ]);
    expect(gateway.stub.calls).toHaveLength(0);
  });

  it('prevents CSRF: a GET query or a text/plain POST without a preflight header is refused; with one it runs', async () => {
    const query = encodeURIComponent('{ organizations(first: 1) { totalCount } }');
    const simpleGet = await fetch(`${gateway.url}?query=${query}`);
    expect(simpleGet.status).toBe(400);
    const getBody = (await simpleGet.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(getBody.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(getBody.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', requestId: simpleGet.headers.get('x-request-id') });

    const textPost = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ organizations(first: 1) { totalCount } }' }) });
    expect(textPost.status).toBe(400);
    expect(((await textPost.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(gateway.stub.calls).toHaveLength(0);

    const preflighted = await fetch(`${gateway.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(gateway.stub.calls).toHaveLength(1);
  });

  it('limits only what comes over HTTP: an export the gateway builds itself is not measured', async () => {
    // The comparison export runs COMPARISON_QUERY through executeOperation; with these tight limits (depth 6 would
    // pass, but its cost is far above 100) it still reaches the subgraph.
    expect(measure(COMPARISON_QUERY, { districtId: 'd', period: '2026-T3' }).cost).toBeGreaterThan(limits.maxCost);
    const token = await testToken({ userId: 'coordinator-1', organizationId: '0b7f7c9e-4d55-4a53-9c1b-8a4a3f6f0a01', roles: [Role.Coordinator] });
    await fetch(`${gateway.url.replace(/\/graphql$/, '')}/exports/district-comparison.csv?districtId=d&period=2026-T3`, { headers: { authorization: `Bearer ${token}` } });
    expect(gateway.stub.calls.length).toBeGreaterThan(0);
  });
});

describe('errors the gateway returns', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ production: true });
  });
  afterAll(() => gateway?.close());
  afterEach(() => {
    gateway.stub.answer = undefined;
  });

  it('carry the request id (the one the caller sent, or a new one) in extensions.requestId, masked or not', async () => {
    gateway.stub.answer = () => ({
      data: null,
      errors: [{ message: 'relation "organizations" does not exist at db.internal:5432', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    const masked = await gateway.query('{ organizations(first: 1) { totalCount } }', undefined, { 'x-request-id': 'caller-request-0001' });
    expect(masked.headers.get('x-request-id')).toBe('caller-request-0001');
    expect(masked.body.errors).toHaveLength(1);
    expect(masked.body.errors![0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'caller-request-0001' } });
    expect(JSON.stringify(masked.body)).not.toMatch(/db\.internal|relation/);
    // The original error is in the log, under the same request id.
    const logged = gateway.logs.find((line) => line.requestId === 'caller-request-0001' && line.msg === 'graphql error returned');
    expect(logged).toMatchObject({ level: 50, code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(logged)).toMatch(/db\.internal:5432/);

    gateway.stub.answer = () => ({ data: null, errors: [{ message: 'Organization x does not exist or is not visible to you', extensions: { code: 'NOT_FOUND' } }] });
    const kept = await gateway.query('{ organizations(first: 1) { totalCount } }');
    const requestId = kept.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(kept.body.errors![0]).toMatchObject({ message: 'Organization x does not exist or is not visible to you', extensions: { code: 'NOT_FOUND', requestId } });
  });

  it('carry it on errors before execution as well (parse, validation, authentication)', async () => {
    gateway.stub.calls.length = 0;
    const parseError = await gateway.query('{ organizations(');
    expect(parseError.body.errors![0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', requestId: parseError.headers.get('x-request-id') });
    const badToken = await gateway.query('{ organizations(first: 1) { totalCount } }', 'not-a-token');
    expect(badToken.status).toBe(401);
    expect(badToken.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: badToken.headers.get('x-request-id') });
    expect(gateway.stub.calls).toHaveLength(0);
  });
});
