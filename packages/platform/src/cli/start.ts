import path from 'node:path';
import { DEMO_USERS, env, envInt, issueDevToken, REPOSITORY_ROOT } from '@integration-graph/common';
import { DEFAULT_PORTS, launchPlatform } from '../stack';
import { formatLine } from './format';

const EXAMPLE_QUERY = '{ referrals { id status case { id status ownerOrganization { name } } partner { name kind } } }';

async function main(): Promise<void> {
  const started = Date.now();
  const gatewayPort = envInt('GATEWAY_PORT', DEFAULT_PORTS.gateway);
  const dataDir = path.resolve(REPOSITORY_ROOT, env('DATA_DIR', '.data')!);
  const verbose = env('LOG_LEVEL') === 'debug';
  const platform = await launchPlatform({
    dataDir,
    adminUrl: env('ADMIN_DATABASE_URL'),
    ports: {
      gateway: gatewayPort,
      partners: gatewayPort + 1,
      cases: gatewayPort + 2,
      referrals: gatewayPort + 3,
      postgres: envInt('EMBEDDED_POSTGRES_PORT', DEFAULT_PORTS.postgres),
    },
    seedDemoData: true,
    onProgress: (message) => console.log(`[platform]   ${message}`),
    onLine: (process, line) => {
      if (process === 'postgres' && !verbose && !/ERROR|FATAL|PANIC/.test(line)) return;
      console.log(formatLine(process, line));
    },
  });

  const user = DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!;
  const token = await issueDevToken({
    devKeysDir: platform.devKeysDir,
    issuer: env('AUTH_ISSUER', 'integration-graph-dev')!,
    audience: env('AUTH_AUDIENCE', 'integration-graph')!,
    principal: { userId: user.id, organizationId: user.organizationId, roles: user.roles },
    name: user.name,
  });
  console.log(`
Integration Graph is running (started in ${((Date.now() - started) / 1000).toFixed(1)}s).

  Gateway:  ${platform.gatewayUrl}   (open it in a browser for the Apollo Sandbox)

  Token for ${user.name}, caseworker at the Ortenaukreis (valid 12h; others: npm run token -- --list):
  ${token}

  Example:
  curl -s ${platform.gatewayUrl} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${token}' \\
    -d '{"query":"${EXAMPLE_QUERY}"}'

Press Ctrl-C to stop everything (the database included).
`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[platform]   ${signal}: stopping gateway, subgraphs and database...`);
    platform.stop().then(
      () => {
        console.log('[platform]   stopped');
        process.exit(0);
      },
      (error) => {
        console.error('[platform]   unclean stop:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  console.error(`[platform]   could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
