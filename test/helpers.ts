import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_USERS, dropDatabase, freePort, postGraphQL, testAdminUrl, testToken } from '@integration-graph/common';
import { launchPlatform, PlatformOptions, RunningPlatform } from '@integration-graph/platform';

export interface TestPlatform extends RunningPlatform {
  lines: { process: string; line: string }[];
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): ReturnType<typeof postGraphQL<T>>;
  tokenOf(handle: string): Promise<string>;
}

/** The real platform: three subgraph processes and the gateway, on fresh databases in the test PostgreSQL. */
export async function startTestPlatform(options: { env?: Record<string, string>; auth?: PlatformOptions['auth'] } = {}): Promise<TestPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-e2e-'));
  const lines: { process: string; line: string }[] = [];
  const platform = await launchPlatform({
    dataDir,
    adminUrl: testAdminUrl(),
    databasePrefix: `e2e_${randomBytes(3).toString('hex')}_`,
    ports: { gateway: await freePort(), partners: await freePort(), cases: await freePort(), referrals: await freePort(), postgres: 0 },
    seedDemoData: true,
    // The test run's signing keys, so that testToken() works against these processes.
    devKeysDir: process.env.AUTH_DEV_KEYS_DIR!,
    // Production mode needs a JWKS instead of the development keys (test/fuzz.test.ts serves the test run's own).
    auth: options.auth,
    env: { LOG_LEVEL: 'info', NODE_ENV: 'test', ...options.env },
    onLine: (process, line) => lines.push({ process, line }),
  });
  return {
    ...platform,
    lines,
    // Through the gateway, as a client: no x-gateway-secret (the gateway adds its own when it calls the subgraphs).
    query: (query, variables, token) => postGraphQL(platform.gatewayUrl, query, variables, token, {}, { gatewaySecret: null }),
    tokenOf: (handle) => testToken(DEMO_USERS.find((u) => u.handle === handle)!),
    async stop() {
      const report = await platform.stop();
      for (const plan of Object.values(platform.databases)) await dropDatabase(platform.adminUrl, plan);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return report;
    },
  };
}
