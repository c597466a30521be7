import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';
import { AddressInfo } from 'node:net';
import { demoId, DEMO_ORGANIZATIONS, DEMO_USERS, freePort, OFFENBURG_AGS, readDevJwks, readDevSigningKey, REPOSITORY_ROOT, testToken } from '@integration-graph/common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Issue 9, "Hostile and bad input at the gateway": a fuzz test. Thousands of malformed documents, variables, headers,
 * methods and paths, generated deterministically from a seed (a small PRNG, mulberry32), are sent on loopback to the
 * gateway's /graphql and its export routes, bounded by a count and a time budget. Every response must be a 4xx, or a
 * 200 with a GraphQL `errors` entry or data: never a 5xx, never a hang (10 s per request), never an internal detail
 * (stack trace, SQL, a subgraph's or PostgreSQL's address, a file path). Afterwards all four processes are alive and
 * answer a valid query.
 *
 * Most of the run goes against a platform whose four processes run with NODE_ENV=production (tokens verified against
 * a JWKS this test serves from the test run's development public key, as an identity provider would), where errors
 * are masked; a shorter run with another seed goes against a second gateway in test mode in front of the same
 * subgraphs (stack traces are allowed there; 5xx and hangs are not). Answers with INTERNAL_SERVER_ERROR fail the run
 * too: hostile input must get a client error, not an unexpected failure. A failing run prints the findings grouped,
 * with what the processes logged under the request's id; FUZZ_SEED, FUZZ_CASES and FUZZ_BUDGET_MS change the run,
 * FUZZ_REPORT=<file> writes every finding as JSON.
 *
 * What it found, and what was fixed (regressions in gateway/test/input-errors.test.ts and
 * packages/common/test/hostile-input.test.ts): several operations without operationName, an unknown operationName
 * and a subscription failed with HTTP 500 in @apollo/gateway's executor; a body that does not match its
 * Content-Encoding gave HTTP 500; Apollo Server's persisted-query refusals and a subgraph's refusal of a variable
 * (a LocalDate it cannot parse) were masked as internal errors; a NUL character in a variable, and a token subject with
 * one, failed in PostgreSQL as internal errors.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const PRODUCTION_CASES = Number(process.env.FUZZ_CASES ?? 2400);
const TEST_MODE_CASES = Math.round(PRODUCTION_CASES / 4);
/** Fewer than this many sent within the budget (a machine far too busy) fails the run: it would prove little. */
const MINIMUM_SENT = 250;
/** Wall-clock budget of the production run (the test-mode run gets a quarter); the count bounds them too. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 60_000);
const REQUEST_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;
/** Rate limits off: the fuzz sends thousands of requests as a few users and anonymously, faster than any limit allows. */
const NO_RATE_LIMITS = { RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' };

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny, well-known 32-bit PRNG; the same seed gives the same run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  string(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  /** A version-4-shaped UUID from the generator (reproducible, unlike crypto.randomUUID). */
  uuid(): string {
    const hex = this.string(32, '0123456789abcdef');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[this.int(4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
  bytes(length: number): Buffer {
    const buffer = Buffer.alloc(length);
    for (let i = 0; i < length; i++) buffer[i] = this.int(256);
    return buffer;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What is sent

interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Bytes sent as they are over a socket (requests Node's HTTP client refuses to build). */
  raw?: Buffer;
}

interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

const O = DEMO_ORGANIZATIONS;
const CASE_IDS = ['ortenau-1', 'ortenau-2', 'ortenau-3', 'offenburg-1', 'offenburg-2', 'extra-4'].map((key) => demoId('case', key));
const CLIENT_IDS = [0, 1, 2, 3, 7].map((i) => demoId('client', `client-${i}`));
const ORG_IDS = Object.values(O).map((o) => o.id);
const PERIOD = (() => {
  const now = new Date();
  return `${now.getUTCFullYear()}-T${Math.floor(now.getUTCMonth() / 4) + 1}`;
})();

/** Realistic operations, the start of most mutations; their variables are filled from VALUES below. */
const DOCUMENTS: { query: string; variables: Record<string, string> }[] = [
  { query: `query PartnerInbox($first: Int!) { incomingReferrals(first: $first) { totalCount edges { node { id status clientData sender { id name } history { toStatus occurredAt } } } pageInfo { hasNextPage endCursor } } }`, variables: { first: 'int' } },
  { query: `query CaseloadPage($first: Int!, $after: String) { cases(first: $first, after: $after) { totalCount edges { node { id status openedAt client { id givenName familyName } plan { nextReviewDue } referrals { id status } ownerOrganization { id name } } } } }`, variables: { first: 'int', after: 'string' } },
  { query: `query PublicDirectory($first: Int!, $ags: String!, $lang: Language!) { offerings(first: $first, filter: { types: ["integration-course"], reachableFromAgs: $ags, hasFreeSeats: true }) { totalCount edges { node { id title(lang: $lang) { text language } seatsFree organization { id name } } } } }`, variables: { first: 'int', ags: 'ags', lang: 'lang' } },
  { query: `query StandardsComparison($districtId: ID!, $period: String!) { districtComparison(districtId: $districtId, period: $period) { period municipalities { municipality { id name } caseMetrics { metric value suppressed } } caseDistribution { metric median } } }`, variables: { districtId: 'orgId', period: 'period' } },
  { query: `query State($period: String!) { stateComparison(period: $period) { period districts { district { id name } } } }`, variables: { period: 'period' } },
  { query: `query Case($id: ID!) { case(id: $id) { id status version client { givenName familyName dateOfBirth } plan { id version goals { lifeArea description } } referrals { id status partner { name } } } }`, variables: { id: 'caseId' } },
  { query: `query Client($id: ID!) { client(id: $id) { id givenName cases { id status } } }`, variables: { id: 'clientId' } },
  { query: `query Clients($first: Int!, $search: String) { clients(first: $first, search: $search) { totalCount edges { node { id familyName } } } }`, variables: { first: 'int', search: 'string' } },
  { query: `query Dup($d: LocalDate, $f: String!, $g: String!) { possibleDuplicates(dateOfBirth: $d, familyName: $f, givenName: $g) { id } }`, variables: { d: 'date', f: 'string', g: 'string' } },
  { query: `query Revocations($since: DateTimeISO!, $limit: Int!) { consentRevocations(since: $since, limit: $limit) { id revokedAt } }`, variables: { since: 'dateTime', limit: 'int' } },
  { query: `query Trail($c: ID, $u: String) { auditTrail(clientId: $c, userId: $u) { caseIds cases(first: 5) { totalCount edges { node { recordedAt action purpose } } } } }`, variables: { c: 'clientId', u: 'string' } },
  { query: `query Municipality($ags: String, $id: ID) { municipality(ags: $ags, id: $id) { name district { name } integrationManagementProvider { mode provider { name } } } }`, variables: { ags: 'ags', id: 'orgId' } },
  { query: `query Orgs($first: Int!, $text: String, $kinds: [OrganizationKind!]) { organizations(first: $first, filter: { text: $text, kinds: $kinds }) { totalCount edges { node { id name kind parent { name } } } } }`, variables: { first: 'int', text: 'string', kinds: 'kinds' } },
  { query: `query Taxonomy($s: TaxonomyScheme!) { taxonomy(scheme: $s) { id } }`, variables: { s: 'enum' } },
  { query: `query Referrals($limit: Int, $offset: Int) { referrals(limit: $limit, offset: $offset) { id status case { id } partner { name } } }`, variables: { limit: 'int', offset: 'int' } },
  { query: `mutation RecordConsultation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id occurredAt } }`, variables: { input: 'consultation' } },
  { query: `mutation SendReferral($input: SendReferralInput!) { sendReferral(input: $input) { id status } }`, variables: { input: 'referral' } },
  { query: `mutation UpdatePlan($input: UpdatePlanProfileInput!) { updatePlanProfile(input: $input) { id version } }`, variables: { input: 'plan' } },
  { query: `mutation OpenCase($input: OpenCaseInput!) { openCase(input: $input) { id status } }`, variables: { input: 'openCase' } },
  { query: `mutation Status($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { id status version } }`, variables: { input: 'caseStatus' } },
  { query: `{ __typename }`, variables: {} },
  { query: `{ __schema { queryType { name } types { name kind } } }`, variables: {} },
];

/** Values meant to hurt: bounds, encodings, injections, wrong types, and deep or large shapes. */
function nastyValues(random: Random): unknown[] {
  const deepArray = (depth: number): unknown => (depth === 0 ? 'x' : [deepArray(depth - 1)]);
  const deepObject = (depth: number): unknown => (depth === 0 ? 'x' : { a: deepObject(depth - 1) });
  return [
    null, '', ' ', '\t\n', 'a'.repeat(random.pick([256, 4096, 70_000])), '\u0000', 'x\u0000y', '\ud800', '\udfff\ud800', '😀'.repeat(50), '\u202eevil', 'ß\u0301',
    "' OR 1=1 --", "'; DROP TABLE cases; --", '\\', '\\x00', '%00', '../../../../etc/passwd', '${jndi:ldap://x/a}', '<script>alert(1)</script>', '{{7*7}}',
    '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', random.uuid(), `${random.uuid()}x`, 'not-a-uuid', '1', '-1', '08317096', '0831709', '99999999',
    0, -1, 1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 1.5, -0, 1e-300, true, false,
    [], [null], ['x'], {}, JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
    '2026-13-45', '0000-00-00', '9999-12-31', '-infinity', 'infinity', 'epoch', '275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00Z', '2026-02-30',
    '1970-01-01T00:00:00+25:00', '2026-11-23T10:00:00Z', '2026-11-23', '1900-01-01', '2200-01-01', 'NaN', 'Infinity',
    '2026-T0', '2026-T4', '99999-T1', '-1-T1', '2026-T1\u0000', PERIOD, ' ' + PERIOD,
    deepArray(random.pick([50, 500, 1_500])), deepObject(random.pick([50, 500, 1_500])),
    Array.from({ length: random.pick([1_000, 50_000]) }, (_, i) => i % 7),
  ];
}

/** A value for a variable of a kind: mostly plausible (to reach resolvers and SQL), often hostile. */
function valueOf(kind: string, random: Random): unknown {
  if (random.chance(0.35)) return random.pick(nastyValues(random));
  switch (kind) {
    case 'int':
      return random.pick([1, 5, 20, 50, 100, 101, 500, 501, 0, -1, 2 ** 31 - 1, 1000]);
    case 'string':
      return random.pick(['Keller', 'a', '', '%', '_', '%%', "O'Brien", 'Ünal', 'x'.repeat(300), '*', '\\%', 'ab cd ef gh ij kl mn']);
    case 'ags':
      return random.pick([OFFENBURG_AGS, '08317', '0831709A', '']);
    case 'lang':
      return random.pick(['UK', 'DE', 'AR', 'XX', 'uk']);
    case 'enum':
      return random.pick(['LIFE_AREA', 'OFFERING_TYPE', 'NOPE', 'life_area']);
    case 'kinds':
      return random.pick([['MUNICIPALITY'], ['DISTRICT', 'JOBCENTER'], ['NOPE'], []]);
    case 'orgId':
      return random.pick([...ORG_IDS, random.uuid()]);
    case 'caseId':
      return random.pick([...CASE_IDS, random.uuid()]);
    case 'clientId':
      return random.pick([...CLIENT_IDS, random.uuid()]);
    case 'period':
      return random.pick([PERIOD, '2026-T1', '2025-T3', '2030-T2', '1999-T1']);
    case 'date':
      return random.pick(['1990-05-01', '2026-02-29', '2024-02-29']);
    case 'dateTime':
      return random.pick(['2026-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z', new Date().toISOString()]);
    case 'consultation':
      return {
        caseId: valueOf('caseId', random),
        occurredAt: valueOf('dateTime', random),
        durationMinutes: valueOf('int', random),
        mode: random.pick(['OFFICE', 'PHONE', 'HOME_VISIT', 'NOPE']),
        lifeAreas: random.pick([['LANGUAGE'], [], ['WORK', 'WORK'], ['X']]),
        note: valueOf('string', random),
        idempotencyKey: random.chance(0.5) ? `fuzz-${random.int(1e9)}` : valueOf('string', random),
      };
    case 'referral':
      return {
        caseId: valueOf('caseId', random),
        partnerOrganizationId: valueOf('orgId', random),
        lifeArea: random.pick(['WORK', 'LANGUAGE', 'NOPE']),
        reason: valueOf('string', random),
        idempotencyKey: `fuzz-${random.int(1e9)}`,
        ...(random.chance(0.3) ? { requestedStart: valueOf('date', random) } : {}),
      };
    case 'plan':
      return {
        planId: random.chance(0.5) ? random.uuid() : valueOf('caseId', random),
        expectedVersion: valueOf('int', random),
        schoolingYears: valueOf('int', random),
        ...(random.chance(0.3) ? { otherLanguages: random.pick([['en'], ['xx-invalid'], [''], ['de']]) } : {}),
      };
    case 'openCase':
      return {
        client: {
          givenName: valueOf('string', random),
          familyName: valueOf('string', random),
          dateOfBirth: valueOf('date', random),
          gender: random.pick(['FEMALE', 'MALE', 'DIVERSE', 'NOPE']),
          nationalities: random.pick([['SY'], ['XX'], [], ['sy']]),
          languages: random.pick([['ar'], ['zz'], []]),
          arrivedOn: valueOf('date', random),
          residenceStatus: random.pick(['RECOGNISED_REFUGEE', 'TEMPORARY_PROTECTION', 'NOPE']),
          followUpAccommodation: random.pick(['CURRENT', 'NOPE']),
        },
        municipalityId: valueOf('orgId', random),
        idempotencyKey: `fuzz-${random.int(1e9)}`,
      };
    case 'caseStatus':
      return { id: valueOf('caseId', random), status: random.pick(['ACTIVE', 'CLOSED', 'INTAKE', 'PAUSED', 'NOPE']), expectedVersion: valueOf('int', random) };
    default:
      return null;
  }
}

/** Mutations of a document's text: what a broken client, a proxy or an attacker may send. */
function mutateText(text: string, random: Random): string {
  const at = random.int(text.length + 1);
  const punctuation = '{}()[]:$@!.,"\\#=|&...\n\t ';
  switch (random.int(9)) {
    case 0:
      return text.slice(0, at); // truncated
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + random.int(10)); // bytes dropped
    case 2:
      return text.slice(0, at) + random.string(1 + random.int(4), punctuation) + text.slice(at); // punctuation inserted
    case 3:
      return text.slice(0, at) + random.pick(['\u0000', '\ud800', '\uffff', '\u2028', '😀', '\u00a0', '\ufeff', '"""', '#']) + text.slice(at);
    case 4: {
      const from = random.int(text.length);
      return text.slice(0, at) + text.slice(from, from + random.int(40)) + text.slice(at); // a slice repeated
    }
    case 5:
      return text.replace(/\w+/g, (word) => (random.chance(0.08) ? random.pick(['__typename', 'id', 'query', 'mutation', 'fragment', 'on', '__schema', 'null', 'true', 'subscription', word.toUpperCase()]) : word));
    case 6:
      return text.split('').reverse().join('');
    case 7:
      return random.string(1 + random.int(200), 'abcdefghijklmnopqrstuvwxyz{}()[]:$@!.,"\\ \n0123456789_');
    default:
      return text.replace(/\{/g, () => (random.chance(0.2) ? '{{' : '{'));
  }
}

/** Documents too large, too deep or too clever: the request limits' business. */
function hugeDocument(random: Random): string {
  const n = random.pick([10, 100, 1_000, 3_000]);
  switch (random.int(12)) {
    case 0:
      return `{${'a{'.repeat(n)}b${'}'.repeat(n + 1)}`;
    case 1:
      return `{ organizations(first: 1) { edges { node { ${'parent { '.repeat(Math.min(n, 1_000))}id${' }'.repeat(Math.min(n, 1_000))} } } } }`;
    case 2:
      return `{ ${Array.from({ length: Math.min(n, 1_500) }, (_, i) => `a${i}: organizations(first: 100) { totalCount }`).join(' ')} }`;
    case 3:
      return `{ ${Array.from({ length: Math.min(n, 2_000) }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    case 4:
      return `{ __typename ${'@include(if: true) '.repeat(Math.min(n, 2_000))} }`;
    case 5:
      return `query Q { ...F0 } ${Array.from({ length: Math.min(n, 500) }, (_, i) => `fragment F${i} on Query { __typename ...F${i + 1} }`).join(' ')} fragment F${Math.min(n, 500)} on Query { __typename }`;
    case 6:
      return `query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`;
    case 7:
      return `{ __typename } # ${'x'.repeat(random.pick([1_000, 500_000]))}`;
    case 8:
      return `query Q(${Array.from({ length: Math.min(n, 1_000) }, (_, i) => `$v${i}: Int`).join(', ')}) { __typename }`;
    case 9:
      return `{ organizations(first: 1, filter: { kinds: ${'['.repeat(Math.min(n, 2_000))}MUNICIPALITY${']'.repeat(Math.min(n, 2_000))} }) { totalCount } }`;
    case 10:
      return `{ cases(first: 100) { edges { node { referrals { history { toStatus } partner { offerings(first: 100) { edges { node { organization { offerings(first: 100) { totalCount } } } } } } } } } } }`;
    default:
      return `{ offering(id: "${'"'.repeat(0)}${'\\u0041'.repeat(Math.min(n * 10, 100_000))}") { id } }`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens: good ones of every role, and everything wrong a token can be

interface Tokens {
  valid: string[];
  bad: string[];
  lead: string;
  coordinator: string;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

async function makeTokens(devKeysDir: string): Promise<Tokens> {
  const valid = await Promise.all(DEMO_USERS.map((user) => testToken(user, '1h')));
  const caseworker = DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!;
  const claims = { org_id: caseworker.organizationId, roles: caseworker.roles };
  const { key, kid } = await readDevSigningKey(devKeysDir);
  const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, ...header }).sign(key);
  const now = Math.floor(Date.now() / 1000);
  const base = { ...claims, sub: caseworker.id, iss: 'integration-graph-dev', aud: 'integration-graph', iat: now, exp: now + 600 };
  const other = await generateKeyPair('ES256');
  const otherJwk = await exportJWK(other.publicKey);
  const good = valid[0];
  const [h, p, s] = good.split('.');
  const bad = [
    await sign({ ...base, exp: now - 60, iat: now - 3600 }), // expired
    await sign({ ...base, nbf: now + 3600 }), // not yet valid
    await sign({ ...base, iss: 'https://evil.example' }), // wrong issuer
    await sign({ ...base, aud: 'someone-else' }), // wrong audience
    await sign({ ...base, org_id: 'not-a-uuid' }),
    await sign({ ...base, org_id: "'; DROP TABLE cases; --" }),
    await sign({ ...base, roles: ['superuser'] }),
    await sign({ ...base, roles: [] }),
    await sign({ ...base, roles: 'caseworker' }),
    await sign({ ...base, sub: undefined }),
    await sign({ ...base, sub: 'x'.repeat(5_000) }),
    await sign({ ...base, sub: '\u0000' }),
    await sign({ ...base, pad: 'x'.repeat(6_000) }),
    await sign(base, { kid: 'unknown-kid' }),
    await sign(base, { kid: '../../etc/passwd' }),
    await sign(base, { jku: 'http://127.0.0.1:1/jwks.json', jwk: otherJwk }), // a key offered by the token itself
    await new SignJWT(base).setProtectedHeader({ alg: 'ES256', kid }).sign(other.privateKey), // wrong signature
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64(base)}.`, // alg none
    `${b64({ alg: 'none' })}.${b64(base)}`,
    `${b64({ alg: 'HS256', kid })}.${b64(base)}.${createHash('sha256').update('x').digest('base64url')}`, // key confusion attempt
    `${h}.${p}.${s.slice(0, -4)}AAAA`, // signature changed
    `${h}.${b64({ ...base, roles: ['lead', 'auditor'] })}.${s}`, // payload changed
    `${h}.${p}`,
    `${h}..${s}`,
    `${h}.${p}.${s}.${s}.${s}`, // five parts (JWE-shaped)
    'a.b.c',
    '...',
    'eyJ',
    'x'.repeat(10_000),
    Buffer.from('not json at all').toString('base64url') + '.e30.',
    `${b64('[]')}.${b64('null')}.AA`,
  ];
  return {
    valid,
    bad,
    lead: await testToken(DEMO_USERS.find((u) => u.handle === 'ortenaukreis-lead')!, '1h'),
    coordinator: await testToken(DEMO_USERS.find((u) => u.handle === 'ortenaukreis-coordinator')!, '1h'),
  };
}

/** The Authorization header of a case: mostly a valid token (to get past authentication), often something else. */
function authorization(random: Random, tokens: Tokens): Record<string, string> {
  const roll = random.float();
  if (roll < 0.55) return { authorization: `Bearer ${random.pick(tokens.valid)}` };
  if (roll < 0.65) return {};
  if (roll < 0.85) return { authorization: `Bearer ${random.pick(tokens.bad)}` };
  return {
    authorization: random.pick([
      'Bearer',
      'Bearer ',
      'Bearer  ',
      `bearer ${random.pick(tokens.valid)}`,
      `Bearer ${random.pick(tokens.valid)} extra`,
      `Bearer ${random.pick(tokens.valid)},Bearer ${random.pick(tokens.valid)}`,
      `Token ${random.pick(tokens.valid)}`,
      'Basic dXNlcjpwYXNzd29yZA==',
      'Digest username="x"',
      random.pick(tokens.valid),
      `Bearer ${'A'.repeat(random.pick([100, 8_000]))}`,
      `Bearer ${random.string(40, 'ÄÖÜäöüß€')}`,
      'Bearer null',
      'Bearer undefined',
      'Negotiate YII=',
    ]),
  };
}

/** Other headers: request ids, purposes, content negotiation, proxies, the subgraphs' secret. */
function extraHeaders(random: Random): Record<string, string> {
  const headers: Record<string, string> = {};
  if (random.chance(0.3)) {
    headers['x-request-id'] = random.pick(['', 'short', 'a'.repeat(129), 'valid-request-id-123', '../../x', '<script>', 'ÄÖÜ-request', 'id with spaces', `fuzz:${random.int(1e6)}.x_y-z`, '0'.repeat(8_000), '%0d%0aSet-Cookie: x=y']);
  }
  if (random.chance(0.3)) {
    headers['x-purpose'] = random.pick(['Hilfeplangespräch', '', ' ', 'x'.repeat(random.pick([200, 1_000, 10_000])), '\u00e4\u00f6\u00fc', "'; DROP TABLE audit_entries; --", '\t', 'Purpose; with; semicolons', 'ÿþ']);
  }
  if (random.chance(0.1)) headers['x-gateway-secret'] = random.pick(['guess', 'x'.repeat(64), '']);
  if (random.chance(0.1)) headers['x-forwarded-for'] = random.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1, evil', '999.999.999.999']);
  if (random.chance(0.1)) headers.accept = random.pick(['text/html', 'application/graphql-response+json', '*/*', 'application/xml', 'nonsense', 'multipart/mixed; deferSpec=20220824']);
  if (random.chance(0.05)) headers['accept-encoding'] = random.pick(['gzip', 'br', 'identity;q=0', 'x-unknown']);
  if (random.chance(0.05)) headers.cookie = random.pick(['a=b', '='.repeat(100), 'session=' + 'x'.repeat(4_000)]);
  if (random.chance(0.05)) headers['x-apollo-operation-name'] = random.pick(['', 'Nope', 'x'.repeat(500)]);
  return headers;
}

// ---------------------------------------------------------------------------------------------------------------
// The cases

function generateCase(random: Random, tokens: Tokens): FuzzRequest {
  const json = { 'content-type': 'application/json' };
  const post = (kind: string, body: string | Buffer, headers: Record<string, string> = {}): FuzzRequest => ({
    kind,
    method: 'POST',
    path: '/graphql',
    headers: { ...json, ...authorization(random, tokens), ...extraHeaders(random), ...headers },
    body,
  });
  const document = random.pick(DOCUMENTS);
  const variables = () => Object.fromEntries(Object.entries(document.variables).map(([name, kind]) => [name, valueOf(kind, random)]));
  const operationName = /^(?:query|mutation)\s+(\w+)/.exec(document.query)?.[1];
  const roll = random.int(100);

  // Valid documents with hostile variables: reach the resolvers, the validation and SQL.
  if (roll < 28) return post('variables', JSON.stringify({ query: document.query, variables: variables(), ...(operationName && random.chance(0.7) ? { operationName } : {}) }));
  // Variables of the wrong shape or with extra keys.
  if (roll < 33) {
    const weird = random.pick<unknown>([null, 'null', '{"first": 1}', [], [1, 2], 42, true, { ...variables(), extra: 1, ['__proto__']: { x: 1 } }, { '': 1, 'a b': 2, '$first': 3 }]);
    return post('variable-shape', JSON.stringify({ query: document.query, variables: weird }));
  }
  // Broken documents.
  if (roll < 48) {
    let text = document.query;
    for (let i = 0, n = 1 + random.int(3); i < n; i++) text = mutateText(text, random);
    return post('mutated-document', JSON.stringify({ query: text, variables: variables() }));
  }
  // Large, deep, aliased, fragmented documents.
  if (roll < 56) return post('huge-document', JSON.stringify({ query: hugeDocument(random), variables: random.chance(0.5) ? variables() : undefined }));
  // The operation name, the query field and the extensions.
  if (roll < 62) {
    const twoOps = `query A { __typename } query B { __typename }`;
    return post(
      'operation',
      JSON.stringify(
        random.pick<Record<string, unknown>>([
          { query: twoOps },
          { query: twoOps, operationName: 'C' },
          { query: document.query, operationName: random.pick(['Nope', '', null, 42, ['A'], 'x'.repeat(10_000)]) },
          { query: random.pick([null, 42, true, [], {}, ['{ __typename }'], '']) },
          { variables: variables() },
          {},
          { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: random.pick(['abc', 'f'.repeat(64), '', null]) } } },
          { extensions: { persistedQuery: { version: random.pick([1, 2, 'x']), sha256Hash: createHash('sha256').update(String(random.int(1e9))).digest('hex') } } },
          { query: '{ __typename }', extensions: random.pick([null, 'x', [], { unknown: { deep: [1, 2, 3] } }]) },
          { query: 'subscription S { __typename }' },
          { query: '{ __typename }', id: 'persisted-id', documentId: 'abc' },
        ]),
      ),
    );
  }
  // Bodies that are not a GraphQL request, or not JSON.
  if (roll < 72) {
    const body = random.pick<string | Buffer>([
      '',
      '{',
      '{"query": }',
      'null',
      '"string"',
      '123',
      'true',
      '[]',
      '[{"query": "{ __typename }"}, {"query": "{ __typename }"}]',
      '{"query": "{ __typename }"} trailing',
      '\ufeff{"query": "{ __typename }"}',
      '{"query": "{ __typename }", "query": "{ cases { totalCount } }"}',
      '{"query": "\\ud800"}',
      `{"query": "${'\\u0000'.repeat(10)}"}`,
      JSON.stringify({ query: '{ __typename }' }).replace(/"/g, "'"),
      random.bytes(1 + random.int(2_000)),
      Buffer.from(JSON.stringify({ query: '{ __typename }' }), 'utf16le'),
      '{"a":'.repeat(random.pick([100, 10_000])),
      `{"query": "{ __typename }", "variables": ${'['.repeat(random.pick([1_000, 100_000]))}${']'.repeat(random.pick([1_000, 100_000]))}}`,
      // Deeper than JSON.stringify can build: variables nested 100,000 levels, for a document that uses them.
      `{"query": ${JSON.stringify(document.query)}, "variables": {${Object.keys(document.variables).map((name) => `"${name}": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`).join(', ')}}}`,
      `{"query": ${JSON.stringify(document.query)}, "variables": {${Object.keys(document.variables).map((name) => `"${name}": ${'['.repeat(50_000)}${']'.repeat(50_000)}`).join(', ')}}}`,
      mutateText(JSON.stringify({ query: document.query, variables: variables() }), random),
    ]);
    return post('bad-body', body);
  }
  // Content types, encodings and sizes.
  if (roll < 79) {
    const good = JSON.stringify({ query: '{ __typename }' });
    const choice = random.int(10);
    if (choice === 0) return post('content-type', 'x'.repeat(1_100_000)); // above GRAPHQL_MAX_BODY_BYTES
    if (choice === 1) return post('content-type', JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_048_000)}` }));
    if (choice === 2) return post('content-type', good, { 'content-encoding': random.pick(['gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip']) });
    return post('content-type', random.pick([good, 'query={__typename}', '{ __typename }']), {
      'content-type': random.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/graphql',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/json; charset=nonsense',
        'application/json;;;',
        'APPLICATION/JSON',
        'application/graphql-response+json',
        '',
        'application/json, text/plain',
      ]),
    });
  }
  // GET requests (queries are allowed over GET with a preflight header; mutations are not).
  if (roll < 86) {
    const params = new URLSearchParams();
    const query = random.chance(0.7) ? document.query : mutateText(document.query, random);
    if (random.chance(0.9)) params.set('query', query);
    if (random.chance(0.5)) params.set('variables', random.chance(0.6) ? JSON.stringify(variables()) : random.pick(['{', 'null', '[]', '"x"', '%%%']));
    if (random.chance(0.2)) params.set('operationName', random.pick(['Nope', '', operationName ?? 'X']));
    if (random.chance(0.1)) params.set('extensions', random.pick(['{', '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}']));
    let search = params.toString();
    if (random.chance(0.1)) search += random.pick(['&query=%E0%A4%A', '&%', '&variables[a]=1', '&query=', `&pad=${'x'.repeat(20_000)}`]);
    return {
      kind: 'get',
      method: 'GET',
      path: `/graphql?${search}`,
      headers: { ...(random.chance(0.7) ? { 'apollo-require-preflight': 'true' } : {}), ...authorization(random, tokens), ...extraHeaders(random) },
    };
  }
  // Other methods on /graphql, and paths near it.
  if (roll < 90) {
    const method = random.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'PURGE', 'LOCK', 'SEARCH', 'CONNECT']);
    const path = random.pick(['/graphql', '/graphql/', '/GRAPHQL', '/graphql/../graphql', '//graphql', '/graphql;x', '/graphql%00', '/%2e%2e/graphql', '/graphql?x=%', '/nope', '/metrics/../graphql']);
    return { kind: 'method', method: method === 'CONNECT' ? 'GET' : method, path, headers: { ...json, ...authorization(random, tokens) }, body: method === 'HEAD' || method === 'CONNECT' ? undefined : JSON.stringify({ query: '{ __typename }' }) };
  }
  // The export routes.
  if (roll < 97) {
    const nasty = () => {
      const value = random.pick(nastyValues(random));
      return typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
    };
    const enc = (value: string) => {
      try {
        return encodeURIComponent(value);
      } catch {
        return '%ED%A0%80'; // a lone surrogate, as UTF-8 bytes
      }
    };
    if (random.chance(0.5)) {
      const format = random.pick(['csv', 'html']);
      const districtId = random.chance(0.5) ? random.pick(ORG_IDS) : nasty();
      const period = random.chance(0.5) ? PERIOD : nasty();
      const parts = [
        ...(random.chance(0.9) ? [`districtId=${enc(districtId)}`] : []),
        ...(random.chance(0.9) ? [`period=${enc(period)}`] : []),
        ...(random.chance(0.1) ? [`districtId=${enc(random.pick(ORG_IDS))}`, 'period[]=x', '%'] : []),
      ];
      return {
        kind: 'export-comparison',
        method: random.chance(0.9) ? 'GET' : random.pick(['POST', 'HEAD', 'DELETE']),
        path: `/exports/district-comparison.${format}?${parts.join('&')}`,
        headers: random.chance(0.7) ? { authorization: `Bearer ${random.chance(0.6) ? tokens.coordinator : random.pick([...tokens.valid, ...tokens.bad])}` } : authorization(random, tokens),
      };
    }
    // A real client's export is a heavy request (everything about the client): only now and then.
    const clientId = random.chance(0.05) ? random.pick(CLIENT_IDS) : random.chance(0.3) ? random.uuid() : nasty();
    const path = random.pick([`/exports/data-subject/${enc(clientId)}.json`, `/exports/data-subject/${enc(clientId)}`, `/exports/data-subject/.json`, `/exports/data-subject/${enc(clientId)}.json/x`, `/exports/data-subject/%E0%A4%A.json`, `/exports/data-subject/%.json`, `/exports/data-subject/..%2f..%2fetc%2fpasswd.json`]);
    return {
      kind: 'export-data-subject',
      method: random.chance(0.9) ? 'GET' : random.pick(['POST', 'HEAD', 'PUT']),
      path,
      headers: { ...(random.chance(0.7) ? { authorization: `Bearer ${random.chance(0.6) ? tokens.lead : random.pick([...tokens.valid, ...tokens.bad])}` } : authorization(random, tokens)), ...extraHeaders(random) },
    };
  }
  // Raw bytes: requests Node's HTTP client would not build.
  const good = JSON.stringify({ query: '{ __typename }' });
  const raw = random.pick([
    `GET /graphql HTTP/1.1\r\nHost: x\r\nX-Purpose: a\u0001b\r\nConnection: close\r\n\r\n`,
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${good.length}\r\nContent-Length: 3\r\nConnection: close\r\n\r\n${good}`,
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n`,
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n`,
    `FOO /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    `GET /graphql HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n`,
    `GET http://evil.example/graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: evil.example\r\napollo-require-preflight: 1\r\nConnection: close\r\n\r\n`,
    `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: x\r\napollo-require-preflight: 1\r\nX-Request-Id: ${'\u00ff'.repeat(20)}\r\nConnection: close\r\n\r\n`,
    `GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(70_000)}\r\nConnection: close\r\n\r\n`,
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \u00ff\u00fe\r\nContent-Length: ${good.length}\r\nConnection: close\r\n\r\n${good}`,
    `GET /exports/data-subject/\u00ff.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    `GET / HTTP/1.1\r\n\r\n`,
    `\r\n\r\n`,
    random.bytes(1 + random.int(500)).toString('latin1'),
  ]);
  return { kind: 'raw', method: 'RAW', path: raw.split(' ')[1] ?? '', headers: {}, raw: Buffer.from(raw, 'latin1') };
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

/** The size of the request line and headers as sent. */
function headerBytes(request: FuzzRequest): number {
  return Buffer.byteLength(`${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(request.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}`, 'latin1') + 64;
}

function send(port: number, request: FuzzRequest): Promise<FuzzResponse> {
  const started = Date.now();
  if (request.raw) return sendRaw(port, request.raw, started);
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
        res.on('error', reject);
      });
    } catch (error) {
      // Node's client refused to build it (an invalid header value): nothing was sent.
      resolve({ status: -1, headers: {}, body: String(error), ms: 0 });
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no response within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    if (request.body !== undefined) req.end(request.body);
    else req.end();
  });
}

/** A request as raw bytes; the response is read until the server closes (every raw case asks for Connection: close). */
function sendRaw(port: number, bytes: Buffer, started: number): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      // Still open: the server waits for the rest of a request it cannot know is complete (HTTP's own rules);
      // keep-alive without a full request is not a hang of ours as long as it answered nothing wrong.
      const text = Buffer.concat(chunks).toString('latin1');
      if (text) resolve(parseRaw(text, started));
      else resolve({ status: 0, headers: {}, body: '', ms: Date.now() - started });
    }, 3_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'EPIPE') resolve(parseRaw(Buffer.concat(chunks).toString('latin1'), started));
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRaw(Buffer.concat(chunks).toString('latin1'), started));
    });
    socket.end(bytes);
  });
}

function parseRaw(text: string, started: number): FuzzResponse {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  const split = text.indexOf('\r\n\r\n');
  return { status: match ? Number(match[1]) : 0, headers: {}, body: split >= 0 ? text.slice(split + 4) : text, ms: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------------------------
// Judging

interface Finding {
  index: number;
  kind: string;
  problem: string;
  request: string;
  response: string;
  /** Error lines the processes logged under the request's id. */
  logged?: string;
}

function describeRequest(request: FuzzRequest): string {
  if (request.raw) return `RAW ${JSON.stringify(request.raw.toString('latin1').slice(0, 300))}`;
  const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : request.body.slice(0, 400);
  const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${String(v).slice(0, 80)}`).join('; ');
  return `${request.method} ${request.path.slice(0, 300)} [${headers}] ${body}`;
}

/** Everything the request carried, to tell a leak from an echo of the caller's own input. */
function requestText(request: FuzzRequest): string {
  if (request.raw) return request.raw.toString('latin1');
  const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? request.body.toString('latin1') : request.body;
  let path = request.path;
  try {
    path += ` ${decodeURIComponent(request.path)}`;
  } catch {
    // not decodable: the raw path is all there is
  }
  return `${path} ${JSON.stringify(request.headers)} ${body}`.toLowerCase();
}

function leakPatterns(platform: TestPlatform): { name: string; pattern: RegExp }[] {
  const internalPorts = Object.values(platform.subgraphUrls).map((url) => new URL(url).port);
  const postgres = new URL(platform.adminUrl);
  const databaseNames = Object.values(platform.databases).flatMap((plan) => [plan.database, plan.ownerRole, plan.appRole]);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    { name: 'stack trace', pattern: /\n\s+at [^\n]*:\d+:\d+|\bat (?:async )?[\w.<>]+ \([^)]*:\d+:\d+\)/ },
    { name: 'stack trace', pattern: /"stacktrace"/i },
    { name: 'file path', pattern: new RegExp(`${escape(REPOSITORY_ROOT)}|/work/|node_modules|\\bdist/|\\.(?:ts|js):\\d+`) },
    { name: 'SQL', pattern: /\b(?:SELECT\b[\s\S]{1,200}\bFROM|INSERT INTO|DELETE FROM|UPDATE\s+"?\w+"?\s+SET)\b/ },
    { name: 'SQL error', pattern: /relation "|column "|syntax error at or near|violates (?:foreign key|unique|check|not-null) constraint|duplicate key value|invalid input syntax for type|invalid byte sequence|out of range for type|date\/time field value|QueryFailedError|current transaction is aborted|\bpg_\w+|\bPL\/pgSQL\b|row-level security policy/i },
    { name: 'connection error', pattern: /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|getaddrinfo|FetchError/ },
    { name: 'internal address', pattern: new RegExp(`(?:127\\.0\\.0\\.1|localhost|::1|${escape(postgres.hostname)}):(?:${[...internalPorts, postgres.port].map(escape).join('|')})\\b`) },
    { name: 'database name', pattern: new RegExp(`\\b(?:${databaseNames.map(escape).join('|')})\\b`) },
    { name: 'secret', pattern: new RegExp(escape(platform.gatewaySecret)) },
  ];
}

function judge(request: FuzzRequest, response: FuzzResponse, leaks: { name: string; pattern: RegExp }[] | null): string[] {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  if (response.status === 0 && request.kind !== 'raw') problems.push('no response');
  if (response.ms > REQUEST_TIMEOUT_MS) problems.push(`slow: ${response.ms} ms`);
  const isGraphQL = request.path.startsWith('/graphql') && request.method !== 'HEAD' && !request.raw;
  if (isGraphQL && response.status === 200) {
    let parsed: { errors?: unknown[]; data?: unknown } | undefined;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      // An HTML landing page (test mode, GET with Accept: text/html) is a page, not an error; everything else is JSON.
      if (!/^\s*<!DOCTYPE html>/i.test(response.body)) problems.push('HTTP 200 whose body is not JSON');
    }
    if (parsed && !(Array.isArray(parsed.errors) && parsed.errors.length > 0) && (parsed.data === undefined || parsed.data === null)) {
      problems.push('HTTP 200 with neither errors nor data');
    }
  }
  if (leaks) {
    const sent = requestText(request);
    for (const { name, pattern } of leaks) {
      const match = pattern.exec(response.body);
      if (match && !sent.includes(match[0].toLowerCase())) problems.push(`leaks ${name}: ${JSON.stringify(match[0].slice(0, 120))}`);
    }
  }
  return problems;
}

/** INTERNAL_SERVER_ERROR in a GraphQL answer: not a 5xx, but hostile input should get a client error, not this. */
function internalErrors(response: FuzzResponse): boolean {
  return /"code"\s*:\s*"INTERNAL_SERVER_ERROR"/.test(response.body);
}

interface FuzzReport {
  sent: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  findings: Finding[];
  internal: Finding[];
  elapsedMs: number;
}

/** The gateway fuzzed: the platform's own, or another in front of the same subgraphs, with the lines it logs. */
interface Target {
  gatewayUrl: string;
  lines: { process: string; line: string }[];
}

async function fuzz(platform: TestPlatform, options: { seed: number; cases: number; production: boolean; budgetMs: number; target?: Target }): Promise<FuzzReport> {
  const target = options.target ?? platform;
  const port = Number(new URL(target.gatewayUrl).port);
  const tokens = await makeTokens(platform.devKeysDir);
  const leaks = options.production ? leakPatterns(platform) : null;
  const random = new Random(options.seed);
  // Generated up front, in order: the run does not depend on the timing of the responses.
  const requests = Array.from({ length: options.cases }, () => generateCase(random, tokens));
  const report: FuzzReport = { sent: 0, byKind: {}, byStatus: {}, findings: [], internal: [], elapsedMs: 0 };
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length && Date.now() - started < options.budgetMs) {
      const index = next++;
      const request = requests[index];
      report.sent++;
      report.byKind[request.kind] = (report.byKind[request.kind] ?? 0) + 1;
      let response: FuzzResponse;
      try {
        response = await send(port, request);
      } catch (error) {
        // Headers above Node's limit (16 KiB) are answered with 431 and the connection closed at once: a client still
        // sending its body sees the reset instead of the answer. That is the server refusing, not failing (a crash
        // would show in the liveness check afterwards).
        const code = (error as NodeJS.ErrnoException).code;
        if ((code === 'ECONNRESET' || code === 'EPIPE') && headerBytes(request) > http.maxHeaderSize) {
          report.byStatus['431 (reset while sending)'] = (report.byStatus['431 (reset while sending)'] ?? 0) + 1;
          continue;
        }
        report.findings.push({ index, kind: request.kind, problem: `request failed: ${error instanceof Error ? error.message : error}`, request: describeRequest(request), response: '' });
        continue;
      }
      report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
      for (const problem of judge(request, response, leaks)) {
        report.findings.push({ index, kind: request.kind, problem, request: describeRequest(request), response: `HTTP ${response.status} ${response.body.slice(0, 600)}` });
      }
      if (internalErrors(response)) {
        report.internal.push({ index, kind: request.kind, problem: 'INTERNAL_SERVER_ERROR', request: describeRequest(request), response: response.body.slice(0, 600) });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  report.elapsedMs = Date.now() - started;
  // What the processes logged about a failed request (its request id is in every error): the cause behind a mask.
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const finding of [...report.findings, ...report.internal]) {
    const requestId = /"requestId":"([^"]+)"/.exec(finding.response)?.[1];
    if (!requestId) continue;
    const logged = [...target.lines, ...(target === platform ? [] : platform.lines)].filter((l) => l.line.includes(requestId) && /"level":(?:50|60)/.test(l.line));
    finding.logged = logged.map((l) => `${l.process}: ${l.line.slice(0, 1500)}`).join('\n');
  }
  return report;
}

/** Findings grouped by what went wrong (the problem and the start of the answer), with a count and one example each. */
function grouped(list: Finding[]): string {
  const groups = new Map<string, { count: number; example: Finding }>();
  for (const finding of list) {
    const message = /"message":"([^"]{0,80})/.exec(finding.response)?.[1] ?? finding.response.slice(0, 60);
    const key = `${finding.kind} | ${finding.problem.replace(/\d+/g, 'N')} | ${message.replace(/\d+/g, 'N')}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { count: 1, example: finding });
  }
  return [...groups.entries()]
    .slice(0, 40)
    .map(([key, { count, example }]) => `  ${count}x ${key}\n    e.g. #${example.index} > ${example.request.slice(0, 700)}\n    < ${example.response.replace(/\n/g, ' ').slice(0, 700)}${example.logged ? `\n    logged: ${example.logged.slice(0, 1500)}` : ''}`)
    .join('\n');
}

function summary(label: string, report: FuzzReport): string {
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(report, null, 2));
  return [
    `${label}: ${report.sent} requests in ${(report.elapsedMs / 1000).toFixed(1)} s; by kind ${JSON.stringify(report.byKind)}; by status ${JSON.stringify(report.byStatus)}`,
    `${report.findings.length} findings${report.findings.length ? `:\n${grouped(report.findings)}` : ''}`,
    `${report.internal.length} INTERNAL_SERVER_ERROR answers${report.internal.length ? `:\n${grouped(report.internal)}` : ''}`,
  ].join('\n');
}

/** All four processes are alive and the gateway answers a valid query with data. */
async function expectHealthy(platform: TestPlatform, extra: { name: string; pid: number; gatewayUrl: string }[] = []): Promise<void> {
  for (const { name, pid } of [...platform.processes, ...extra]) {
    expect({ name, alive: (() => { try { process.kill(pid, 0); return true; } catch { return false; } })() }).toEqual({ name, alive: true });
  }
  const ready = await fetch(platform.gatewayUrl.replace(/\/graphql$/, '/ready'));
  expect(await ready.json()).toMatchObject({ status: 'ready', subgraphs: { partners: 'ready', cases: 'ready', referrals: 'ready' } });
  const token = await platform.tokenOf('ortenaukreis-caseworker');
  const result = await platform.query<{ cases: { totalCount: number }; organizations: { totalCount: number } }>(
    `{ cases(first: 1) { totalCount } organizations(first: 1) { totalCount } }`,
    {},
    token,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data!.cases.totalCount).toBeGreaterThan(0);
  expect(result.data!.organizations.totalCount).toBeGreaterThan(0);
  for (const { gatewayUrl } of extra) {
    const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ cases(first: 1) { totalCount } }' }) });
    expect(await response.json()).toMatchObject({ data: { cases: { totalCount: expect.any(Number) } } });
  }
}

/** A second gateway, in test mode (NODE_ENV=test, development keys), in front of the platform's subgraphs. */
async function startTestModeGateway(platform: TestPlatform): Promise<Target & { pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const lines: { process: string; line: string }[] = [];
  const child = spawn(process.execPath, ['gateway/dist/main.js'], {
    cwd: REPOSITORY_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      AUTH_DEV_KEYS_DIR: platform.devKeysDir,
      GATEWAY_SHARED_SECRET: platform.gatewaySecret,
      PARTNERS_URL: platform.subgraphUrls.partners,
      CASES_URL: platform.subgraphUrls.cases,
      REFERRALS_URL: platform.subgraphUrls.referrals,
      PLATFORM_PARENT_PID: String(process.pid),
      ...NO_RATE_LIMITS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (line) => lines.push({ process: 'test-mode-gateway', line }));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (child.exitCode !== null) throw new Error(`the test-mode gateway exited:\n${lines.map((l) => l.line).join('\n')}`);
    const ready = await fetch(gatewayUrl.replace(/\/graphql$/, '/ready')).catch(() => undefined);
    if (ready?.ok) return { gatewayUrl, lines, pid: child.pid!, stop };
  }
  await stop();
  throw new Error(`the test-mode gateway was not ready within 60 s:\n${lines.map((l) => l.line).join('\n')}`);
}

// ---------------------------------------------------------------------------------------------------------------

/** A JWKS endpoint with the test run's development public key: the identity provider of the production platform. */
async function serveJwks(devKeysDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const jwks = JSON.stringify(readDevJwks(devKeysDir));
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('fuzz: hostile requests to the gateway', () => {
  let platform: TestPlatform;
  let jwks: { url: string; close(): Promise<void> };

  // One platform whose four processes run in production mode; its tokens come from a JWKS, as from an identity provider.
  beforeAll(async () => {
    jwks = await serveJwks(process.env.AUTH_DEV_KEYS_DIR!);
    platform = await startTestPlatform({
      env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', ...NO_RATE_LIMITS },
      auth: { jwksUrl: jwks.url, issuer: 'integration-graph-dev', audience: 'integration-graph' },
    });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
    await jwks?.close();
  });

  it('the platform runs in production mode: introspection off, tokens from the JWKS accepted', async () => {
    const token = await platform.tokenOf('ortenaukreis-caseworker');
    const introspection = await platform.query(`{ __schema { types { name } } }`, {}, token);
    expect(introspection.errors?.[0].message).toMatch(/introspection/i);
    const cases = await platform.query<{ cases: { totalCount: number } }>(`{ cases(first: 1) { totalCount } }`, {}, token);
    expect(cases.errors).toBeUndefined();
    expect(cases.data!.cases.totalCount).toBeGreaterThan(0);
  });

  it(`production: up to ${PRODUCTION_CASES} hostile requests get a 4xx or a GraphQL error, never a 5xx, a hang or an internal detail`, async () => {
    const report = await fuzz(platform, { seed: SEED, cases: PRODUCTION_CASES, production: true, budgetMs: BUDGET_MS });
    const text = summary(`production, seed ${SEED}`, report);
    console.log(text);
    expect(report.sent).toBeGreaterThanOrEqual(Math.min(PRODUCTION_CASES, MINIMUM_SENT));
    expect({ findings: report.findings.length, text }).toEqual({ findings: 0, text: expect.any(String) });
    expect({ internal: report.internal.length, text }).toEqual({ internal: 0, text: expect.any(String) });
    await expectHealthy(platform);
  }, 240_000);

  it(`test mode (a gateway with NODE_ENV=test in front of the same subgraphs; stack traces allowed there): up to ${TEST_MODE_CASES} hostile requests, never a 5xx or a hang`, async () => {
    const gateway = await startTestModeGateway(platform);
    try {
      const report = await fuzz(platform, { seed: SEED + 1, cases: TEST_MODE_CASES, production: false, budgetMs: BUDGET_MS / 4, target: gateway });
      const text = summary(`test mode, seed ${SEED + 1}`, report);
      console.log(text);
      expect(report.sent).toBeGreaterThanOrEqual(Math.min(TEST_MODE_CASES, MINIMUM_SENT / 4));
      expect({ findings: report.findings.length, text }).toEqual({ findings: 0, text: expect.any(String) });
      expect({ internal: report.internal.length, text }).toEqual({ internal: 0, text: expect.any(String) });
      await expectHealthy(platform, [{ name: 'test-mode gateway', pid: gateway.pid, gatewayUrl: gateway.gatewayUrl }]);
    } finally {
      await gateway.stop();
    }
  }, 180_000);
});
