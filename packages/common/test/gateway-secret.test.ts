import { GraphQLError } from 'graphql';
import { admitSubgraphCaller, gatewaySecretMatches, loadGatewaySecret } from '../src';

const SECRET = '0123456789abcdef0123456789abcdef-gateway';

/** The error admitSubgraphCaller throws, or null when it lets the caller in. */
function refusal(options: Parameters<typeof admitSubgraphCaller>[0]): GraphQLError | null {
  try {
    admitSubgraphCaller(options);
    return null;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe('the gateway secret', () => {
  it('matches only the exact secret', () => {
    expect(gatewaySecretMatches(SECRET, SECRET)).toBe(true);
    expect(gatewaySecretMatches(SECRET, [SECRET])).toBe(true);
    for (const other of [`${SECRET}x`, SECRET.slice(0, -1), SECRET.toUpperCase(), '', undefined]) {
      expect(gatewaySecretMatches(SECRET, other)).toBe(false);
    }
    expect(gatewaySecretMatches(undefined, SECRET)).toBe(false);
    expect(gatewaySecretMatches('', '')).toBe(false);
  });

  it('admits a caller with a valid token, or the gateway with the secret', () => {
    expect(refusal({ secret: SECRET, header: undefined, authenticated: true })).toBeNull();
    expect(refusal({ secret: SECRET, header: SECRET, authenticated: false })).toBeNull();
    expect(refusal({ secret: SECRET, header: SECRET, authenticated: true })).toBeNull();
    expect(refusal({ secret: undefined, header: undefined, authenticated: true })).toBeNull();
  });

  it.each([
    ['neither token nor secret', { secret: SECRET, header: undefined, authenticated: false }, /valid token only/],
    ['a wrong secret', { secret: SECRET, header: 'guess', authenticated: false }, /does not match/],
    ['a wrong secret with a valid token', { secret: SECRET, header: 'guess', authenticated: true }, /does not match/],
    ['no secret configured (deny by default)', { secret: undefined, header: undefined, authenticated: false }, /valid token only/],
    ['a secret sent where none is configured', { secret: undefined, header: SECRET, authenticated: false }, /no GATEWAY_SHARED_SECRET/],
  ])('refuses %s with UNAUTHENTICATED and HTTP 401', (_case, options, message) => {
    const error = refusal(options);
    expect(error?.message).toMatch(message);
    expect(error?.extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });
});

describe('GATEWAY_SHARED_SECRET', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is optional outside production, and at least 32 characters when set', () => {
    delete process.env.GATEWAY_SHARED_SECRET;
    expect(loadGatewaySecret()).toBeUndefined();
    process.env.GATEWAY_SHARED_SECRET = 'short';
    expect(() => loadGatewaySecret()).toThrow(/at least 32 characters/);
    process.env.GATEWAY_SHARED_SECRET = `${SECRET.slice(0, 20)} ${SECRET.slice(20)}`;
    expect(() => loadGatewaySecret()).toThrow(/without white space/);
    process.env.GATEWAY_SHARED_SECRET = SECRET;
    expect(loadGatewaySecret()).toBe(SECRET);
  });

  it('is required in production', () => {
    process.env.NODE_ENV = 'production';
    delete process.env.GATEWAY_SHARED_SECRET;
    expect(() => loadGatewaySecret()).toThrow(/GATEWAY_SHARED_SECRET: missing: production needs GATEWAY_SHARED_SECRET/);
    process.env.GATEWAY_SHARED_SECRET = SECRET;
    expect(loadGatewaySecret()).toBe(SECRET);
  });
});
