import crypto from 'node:crypto';
import {
  createClient,
  decodeToken,
  DistrictComparisonDocument,
  OfferingsDocument,
  operationHash,
  previousPeriods,
  recentPeriods,
  sha256Hex,
  tertialOf,
} from '../src';

interface Call {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A fetch that records the requests and answers them from a list (one per call). */
function fakeFetch(answers: ((call: Call) => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const call = { url: String(url), headers: init.headers as Record<string, string>, body: init.body ? JSON.parse(String(init.body)) : {} };
    calls.push(call);
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    return answer(call);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('sha256Hex', () => {
  it('equals Node.js crypto for ASCII, Unicode and every padding boundary', () => {
    const samples = ['', 'abc', 'Grüße aus Offenburg – مرحبا – Привіт', ...[55, 56, 63, 64, 65, 119, 120, 1000].map((n) => 'x'.repeat(n))];
    for (const text of samples) expect(sha256Hex(text)).toBe(crypto.createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('createClient', () => {
  const variables = { districtId: 'd1', period: '2026-T3' };

  it('sends an operation by its hash first (automatic persisted queries), with the token', async () => {
    const { fetch, calls } = fakeFetch([json({ data: { districtComparison: { districtId: 'd1' } } })]);
    const client = createClient({ url: 'http://gateway/graphql', token: 'T', fetch });
    const result = await client.request(DistrictComparisonDocument, variables);
    expect(result).toEqual({ ok: true, data: { districtComparison: { districtId: 'd1' } } });
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toEqual({
      operationName: 'DistrictComparison',
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(DistrictComparisonDocument) } },
    });
    expect(calls[0].body.query).toBeUndefined();
    expect(calls[0].headers.authorization).toBe('Bearer T');
  });

  it('sends the text once when the gateway does not know the hash', async () => {
    const { fetch, calls } = fakeFetch([
      json({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }),
      json({ data: { districtComparison: null } }),
    ]);
    const result = await createClient({ url: 'http://gateway/graphql', fetch }).request(DistrictComparisonDocument, variables);
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(2);
    expect(calls[1].body.query).toBe(DistrictComparisonDocument.toString());
    expect((calls[1].body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash).toBe(sha256Hex(String(calls[1].body.query)));
  });

  it('sends the full text when persisted is off, and fills in $lang from the language', async () => {
    const { fetch, calls } = fakeFetch([json({ data: { offerings: { edges: [] } } }), json({ data: { offerings: { edges: [] } } })]);
    const client = createClient({ url: 'http://gateway/graphql', persisted: false, language: 'AR', fetch });
    await client.request(OfferingsDocument, { first: 5 });
    expect(calls[0].body.query).toBe(OfferingsDocument.toString());
    expect(calls[0].body.variables).toEqual({ first: 5, lang: 'AR' });
    expect(calls[0].headers['accept-language']).toBe('ar');
    await client.request(OfferingsDocument, { first: 5, lang: 'UK' });
    expect(calls[1].body.variables).toEqual({ first: 5, lang: 'UK' });
  });

  it('asks a token function for every request; withToken and withLanguage derive clients', async () => {
    let token: string | undefined = 'first';
    const { fetch, calls } = fakeFetch([json({ data: {} }), json({ data: {} }), json({ data: {} })]);
    const client = createClient({ url: 'http://gateway/graphql', token: () => token, fetch });
    await client.request(OfferingsDocument);
    token = undefined;
    await client.request(OfferingsDocument);
    await client.withToken('other').withLanguage('FA').request(OfferingsDocument);
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer first', undefined, 'Bearer other']);
    expect(calls[2].body.variables).toEqual({ lang: 'FA' });
  });

  it('returns errors as typed values with the field, rule and request id', async () => {
    const { fetch } = fakeFetch([
      json({
        data: null,
        errors: [{ message: 'Invalid input.caseId', path: ['sendReferral'], extensions: { code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'isUuid', requestId: 'r-1' } }],
      }),
    ]);
    const result = await createClient({ url: 'http://gateway/graphql', fetch }).request(DistrictComparisonDocument, variables);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'isUuid', requestId: 'r-1', serverCode: 'BAD_USER_INPUT', path: ['sendReferral'] });
    expect(result.data).toBeNull();
  });

  it.each([
    ['UNAUTHENTICATED', 401, 'UNAUTHENTICATED'],
    ['FORBIDDEN', 200, 'FORBIDDEN'],
    ['OPERATION_NOT_TRUSTED', 400, 'FORBIDDEN'],
    ['CONFLICT', 200, 'CONFLICT'],
    ['NOT_FOUND', 200, 'NOT_FOUND'],
    ['GRAPHQL_VALIDATION_FAILED', 400, 'BAD_USER_INPUT'],
    ['RATE_LIMITED', 429, 'RATE_LIMITED'],
    ['INTERNAL_SERVER_ERROR', 200, 'INTERNAL'],
  ])('maps %s (HTTP %i) to %s', async (serverCode, status, code) => {
    const { fetch } = fakeFetch([json({ errors: [{ message: 'm', extensions: { code: serverCode, retryAfterSeconds: 7 } }] }, status, { 'x-request-id': 'req-9' })]);
    const result = await createClient({ url: 'http://gateway/graphql', fetch, persisted: false }).request(DistrictComparisonDocument, variables);
    expect(result).toMatchObject({ ok: false, error: { code, serverCode, status, requestId: 'req-9' } });
  });

  it('keeps partial data with the errors (a subgraph down)', async () => {
    const { fetch } = fakeFetch([json({ data: { a: 1, b: null }, errors: [{ message: 'down', path: ['b'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })]);
    const result = await createClient({ url: 'http://gateway/graphql', fetch }).request(DistrictComparisonDocument, variables);
    expect(result).toMatchObject({ ok: false, data: { a: 1, b: null }, error: { code: 'INTERNAL', path: ['b'] } });
  });

  it('reports a network failure, a timeout and a non-GraphQL answer as NETWORK', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await createClient({ url: 'http://gateway/graphql', fetch: failing }).request(DistrictComparisonDocument, variables)).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))))) as unknown as typeof fetch;
    const slow = await createClient({ url: 'http://gateway/graphql', fetch: hanging, timeoutMs: 50 }).request(DistrictComparisonDocument, variables);
    expect(slow).toMatchObject({ ok: false, error: { code: 'NETWORK', message: expect.stringMatching(/within 50 ms/) } });
    const { fetch: html } = fakeFetch([() => new Response('<html>Bad gateway</html>', { status: 502 })]);
    expect(await createClient({ url: 'http://gateway/graphql', fetch: html }).request(DistrictComparisonDocument, variables)).toMatchObject({ ok: false, error: { code: 'NETWORK', status: 502 } });
  });

  it('downloads an export with the token', async () => {
    const { fetch, calls } = fakeFetch([() => new Response('a;b\n1;2\n', { headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="vergleich.csv"' } })]);
    const result = await createClient({ url: 'http://gateway:4000/graphql', token: 'T', fetch }).exportFile('district-comparison.csv', { districtId: 'd1', period: '2026-T3' });
    expect(result).toEqual({ ok: true, data: { text: 'a;b\n1;2\n', contentType: 'text/csv', fileName: 'vergleich.csv' } });
    expect(calls[0].url).toBe('http://gateway:4000/exports/district-comparison.csv?districtId=d1&period=2026-T3');
    expect(calls[0].headers.authorization).toBe('Bearer T');
  });
});

describe('decodeToken and periods', () => {
  it('reads the claims of a JWT without verifying it, and null for anything else', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', org_id: 'o1', roles: ['partner'], name: 'Elif Yılmaz', exp: 2_000_000_000 })).toString('base64url');
    expect(decodeToken(`x.${payload}.y`)).toEqual({ userId: 'u1', organizationId: 'o1', roles: ['partner'], name: 'Elif Yılmaz', expiresAt: new Date(2_000_000_000_000) });
    expect(decodeToken('not a token')).toBeNull();
    expect(decodeToken('a.b.c')).toBeNull();
  });

  it('steps through tertials and years like the server', () => {
    expect(tertialOf(new Date(2026, 10, 23))).toBe('2026-T3');
    expect(tertialOf(new Date(2026, 3, 30))).toBe('2026-T1');
    expect(previousPeriods('2026-T1', 3)).toEqual(['2025-T3', '2025-T2', '2025-T1']);
    expect(previousPeriods('2026', 2)).toEqual(['2025', '2024']);
    expect(recentPeriods(3, new Date(2026, 10, 23))).toEqual(['2026-T3', '2026-T2', '2026-T1', '2026', '2025']);
    expect(() => previousPeriods('2026-T4', 1)).toThrow(/not a period/);
  });
});
