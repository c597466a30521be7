import { SignJWT } from 'jose';
import { bearerToken, createTokenVerifier, issueDevToken, readDevSigningKey, Role } from '../src';
import { loadAuthConfig } from '../src/config';

const principal = { userId: 'user-1', organizationId: '1f0e4a8e-7c51-4d3b-9f1c-0a8d2b6c4e11', roles: [Role.Caseworker] };

async function sign(claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expires?: string | number } = {}) {
  const { key, kid } = await readDevSigningKey(process.env.AUTH_DEV_KEYS_DIR!);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject('user-1')
    .setIssuer(options.issuer ?? 'integration-graph-dev')
    .setAudience(options.audience ?? 'integration-graph')
    .setExpirationTime(options.expires ?? '5m')
    .sign(key);
}

describe('token verification', () => {
  const verify = createTokenVerifier(loadAuthConfig());

  it('reads the principal from a valid token', async () => {
    const token = await issueDevToken({ devKeysDir: process.env.AUTH_DEV_KEYS_DIR!, issuer: 'integration-graph-dev', audience: 'integration-graph', principal });
    await expect(verify(token)).resolves.toEqual(principal);
  });

  it.each([
    ['a wrong issuer', () => sign({ org_id: principal.organizationId, roles: ['lead'] }, { issuer: 'someone-else' }), /"iss"/],
    ['a wrong audience', () => sign({ org_id: principal.organizationId, roles: ['lead'] }, { audience: 'other-app' }), /"aud"/],
    ['an expired token', () => sign({ org_id: principal.organizationId, roles: ['lead'] }, { expires: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ['no organisation', () => sign({ roles: ['lead'] }), /org_id/],
    ['an organisation that is not an id', () => sign({ org_id: 'ortenaukreis', roles: ['lead'] }), /org_id/],
    ['an unknown role', () => sign({ org_id: principal.organizationId, roles: ['admin'] }), /roles/],
    ['no roles', () => sign({ org_id: principal.organizationId, roles: [] }), /roles/],
  ])('refuses %s', async (_case, make, message) => {
    await expect(verify(await make())).rejects.toThrow(message);
  });

  it('refuses a token whose signature was altered', async () => {
    const token = await sign({ org_id: principal.organizationId, roles: ['lead'] });
    const [header, payload] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['coordinator'] })).toString('base64url');
    await expect(verify(`${header}.${tampered}.${token.split('.')[2]}`)).rejects.toThrow(/signature/);
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(() => bearerToken('Basic dXNlcjpwdw==')).toThrow(/Bearer/);
  });
});
