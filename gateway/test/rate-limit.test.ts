import { randomUUID } from 'node:crypto';
import { Role, testToken } from '@integration-graph/common';
import { startTestGateway, TestGateway } from './harness';

const QUERY = '{ organizations(first: 1) { totalCount } }';

describe('rate limits at the gateway', () => {
  let gateway: TestGateway;
  // Low limits for this gateway only (the defaults are far above what the tests and the bench send).
  const rateLimits = { userPerMinute: 3, organizationPerMinute: 5, anonymousPerMinute: 2 };

  beforeAll(async () => {
    gateway = await startTestGateway({ rateLimits });
  });
  afterAll(() => gateway?.close());

  const tokenOf = (userId: string, organizationId: string) => testToken({ userId, organizationId, roles: [Role.Caseworker] });

  /** Refused with 429, Retry-After, RATE_LIMITED and the retry hint, and nothing ran. */
  async function expectLimited(token: string | undefined, message: RegExp, limit: string) {
    const callsBefore = gateway.stub.calls.length;
    const { status, headers, body } = await gateway.query(QUERY, token);
    expect(status).toBe(429);
    const retryAfter = Number(headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].message).toMatch(message);
    expect(body.errors![0].message).toMatch(new RegExp(`; retry after ${retryAfter} s$`));
    expect(body.errors![0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, limit, requestId: headers.get('x-request-id') });
    expect(gateway.stub.calls.length).toBe(callsBefore);
  }

  async function expectServed(token: string | undefined) {
    const { status, body } = await gateway.query(QUERY, token);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  }

  it('refuses the request after the limit of one user with 429 and a retry hint; a user of another organisation is not affected', async () => {
    const organization = randomUUID();
    const mara = await tokenOf('mara', organization);
    for (let i = 0; i < rateLimits.userPerMinute; i++) await expectServed(mara);
    await expectLimited(mara, /^Rate limit exceeded for user mara: 3 requests per 60 s; retry after \d+ s$/, 'RATE_LIMIT_USER_PER_MINUTE');

    const other = await tokenOf('jonas', randomUUID());
    await expectServed(other);
  });

  it('counts all users of one organisation together', async () => {
    const organization = randomUUID();
    const first = await tokenOf('first-of-org', organization);
    const second = await tokenOf('second-of-org', organization);
    for (let i = 0; i < 3; i++) await expectServed(first); // 3 of the organisation's 5
    await expectServed(second);
    await expectServed(second); // 5 of 5; the second user has used 2 of 3
    await expectLimited(second, new RegExp(`^Rate limit exceeded for organisation ${organization}: 5 requests per 60 s; retry after \\d+ s$`), 'RATE_LIMIT_ORGANIZATION_PER_MINUTE');
    // Another organisation's user still gets through.
    await expectServed(await tokenOf('elsewhere', randomUUID()));
  });

  it('limits callers without a token per client IP', async () => {
    for (let i = 0; i < rateLimits.anonymousPerMinute; i++) await expectServed(undefined);
    await expectLimited(undefined, /^Rate limit exceeded for client [0-9a-f:.]+: 2 requests per 60 s; retry after \d+ s$/, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE');
    // A caller with a token is counted on its own user and organisation, not on the IP.
    await expectServed(await tokenOf('with-token', randomUUID()));
  });
});

describe('rate limits turned off', () => {
  it('serve any number of requests when every limit is 0', async () => {
    const gateway = await startTestGateway({ rateLimits: { userPerMinute: 0, organizationPerMinute: 0, anonymousPerMinute: 0 } });
    try {
      const token = await testToken({ userId: 'busy', organizationId: randomUUID(), roles: [Role.Caseworker] });
      const statuses = await Promise.all(Array.from({ length: 20 }, () => gateway.query(QUERY, token).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await gateway.close();
    }
  });
});
