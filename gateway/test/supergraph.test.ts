import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE, SUBGRAPHS } from '../src/compose';
import { loadGatewayConfig } from '../src/config';

describe('supergraph', () => {
  it('is composed from the checked-in subgraph schemas without errors or unreviewed hints, and is up to date (npm run compose)', () => {
    const { supergraphSdl } = composeSupergraph();
    expect(fs.readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(supergraphSdl);
  });

  it('joins the entities across subgraphs', () => {
    const sdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
    expect(sdl).toMatch(/type Case\s+@join__type\(graph: CASES, key: "id"\)\s+@join__type\(graph: REFERRALS, key: "id"\)/);
    expect(sdl).toMatch(/type Organization\s+@join__type\(graph: CASES, key: "id", resolvable: false\)\s+@join__type\(graph: PARTNERS, key: "id"\)/);
    expect(sdl).toMatch(/referrals: \[Referral!\]! @join__field\(graph: REFERRALS\)/);
  });
});

describe('gateway configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('takes subgraph URLs from the environment', () => {
    process.env.CASES_URL = 'http://cases.internal:8080/graphql';
    const config = loadGatewayConfig();
    expect(config.subgraphUrls.cases).toBe('http://cases.internal:8080/graphql');
    expect(config.subgraphUrls.partners).toBe(SUBGRAPHS[0].defaultUrl);
  });

  it('refuses development keys in production', () => {
    process.env.NODE_ENV = 'production';
    expect(() => loadGatewayConfig()).toThrow(/AUTH_DEV_KEYS_DIR/);
    delete process.env.AUTH_DEV_KEYS_DIR;
    expect(() => loadGatewayConfig()).toThrow(/AUTH_JWKS_URL/);
    process.env.AUTH_JWKS_URL = 'https://login.example.org/realms/ig/protocol/openid-connect/certs';
    expect(() => loadGatewayConfig()).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE/);
    process.env.AUTH_ISSUER = 'https://login.example.org/realms/ig';
    process.env.AUTH_AUDIENCE = 'integration-graph';
    expect(() => loadGatewayConfig()).toThrow(/production needs GATEWAY_SHARED_SECRET/);
    process.env.GATEWAY_SHARED_SECRET = 'too-short';
    expect(() => loadGatewayConfig()).toThrow(/at least 32 characters/);
    process.env.GATEWAY_SHARED_SECRET = 'a8f5f167f44f4964e6c998dee827110c0123456789abcdef';
    expect(loadGatewayConfig().gatewaySecret).toBe(process.env.GATEWAY_SHARED_SECRET);
    expect(loadGatewayConfig().auth).toEqual({
      jwksUrl: process.env.AUTH_JWKS_URL,
      issuer: 'https://login.example.org/realms/ig',
      audience: 'integration-graph',
      devKeysDir: undefined,
    });
  });
});
