import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createTokenVerifier, DEMO_USERS, loadAuthConfig } from '@integration-graph/common';
import pino from 'pino';
import { loadGatewayConfig } from '../src/config';
import { consoleSettings } from '../src/console';
import { RunningGateway, startGateway } from '../src/server';
import { startStubSubgraph, StubSubgraph } from './harness';

// The web console at / and its development login (gateway/src/console.ts, docs/console.md): the login endpoints
// issue tokens of the seeded users in development and do not exist in production.

let consoleDir: string;
beforeAll(() => {
  consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-dist-'));
  fs.mkdirSync(path.join(consoleDir, 'assets'));
  fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>Konsole</title><div id="root"></div>');
  fs.writeFileSync(path.join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');
});
afterAll(() => fs.rmSync(consoleDir, { recursive: true, force: true }));

async function start(production: boolean): Promise<RunningGateway & { base: string; stub: StubSubgraph }> {
  const stub = await startStubSubgraph();
  const saved = { ...process.env };
  Object.assign(process.env, { PORT: '0', PARTNERS_URL: stub.url, CASES_URL: stub.url, REFERRALS_URL: stub.url, CONSOLE_DIR: consoleDir });
  try {
    const config = { ...loadGatewayConfig(), production, gatewaySecret: 'test-gateway-secret-with-at-least-32-characters' };
    const gateway = await startGateway(config, pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() })));
    return {
      ...gateway,
      stub,
      base: gateway.url.replace(/graphql$/, ''),
      async close(...args: Parameters<RunningGateway['close']>) {
        const result = await gateway.close(...args);
        await stub.close();
        return result;
      },
    };
  } finally {
    process.env = saved;
  }
}

describe('the console and its development login', () => {
  it('in development: lists the seeded users and issues a token that verifies; serves the console with security headers', async () => {
    const gateway = await start(false);
    try {
      const users = (await (await fetch(`${gateway.base}dev/users`)).json()) as { users: { handle: string; name: string; roles: string[]; organization: string }[] };
      expect(users.users.map((u) => u.handle)).toEqual(DEMO_USERS.map((u) => u.handle));
      expect(users.users.find((u) => u.handle === 'ortenaukreis-coordinator')).toMatchObject({ roles: ['coordinator'], organization: 'Ortenaukreis' });

      const response = await fetch(`${gateway.base}dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'vhs-partner' }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const { token } = (await response.json()) as { token: string };
      const user = DEMO_USERS.find((u) => u.handle === 'vhs-partner')!;
      await expect(createTokenVerifier(loadAuthConfig())(token)).resolves.toEqual({ userId: user.id, organizationId: user.organizationId, roles: user.roles });
      const unknown = await fetch(`${gateway.base}dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'nobody' }) });
      expect(unknown.status).toBe(400);

      const page = await fetch(gateway.base);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const asset = await fetch(`${gateway.base}assets/index-abc123.js`);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      // the API is unchanged
      expect((await fetch(`${gateway.base}health`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('in production: no login endpoints at all (404), the console still served', async () => {
    const gateway = await start(true);
    try {
      expect((await fetch(`${gateway.base}dev/users`)).status).toBe(404);
      const token = await fetch(`${gateway.base}dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'vhs-partner' }) });
      expect(token.status).toBe(404);
      expect((await fetch(gateway.base)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('settings: the login picker only outside production with development keys; CONSOLE_DIR=off serves no console', () => {
    const dev = { production: false, auth: { issuer: 'i', audience: 'a', devKeysDir: '/keys' } };
    expect(consoleSettings(dev, { CONSOLE_DIR: consoleDir })).toEqual({ dir: consoleDir, devLogin: true });
    expect(consoleSettings({ ...dev, production: true }, { CONSOLE_DIR: consoleDir }).devLogin).toBe(false);
    expect(consoleSettings({ production: false, auth: { issuer: 'i', audience: 'a', jwksUrl: 'https://idp/jwks' } }, {}).devLogin).toBe(false);
    expect(consoleSettings(dev, { CONSOLE_DIR: 'off' }).dir).toBeUndefined();
    expect(consoleSettings(dev, { CONSOLE_DIR: path.join(consoleDir, 'missing') }).dir).toBeUndefined();
  });
});
