import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { DEMO_USERS, env, envInt, exitWithParent, issueDevToken, REPOSITORY_ROOT } from '@integration-graph/common';
import { DEFAULT_PORTS, launchPlatform } from '../stack';
import { formatLine } from './format';

const EXAMPLE_QUERY = '{ referrals { id status case { id status ownerOrganization { name } } partner { name kind } } }';

/** The web console, served by the gateway at / once built (npm run build builds it; docs/console.md). */
function consoleLine(gatewayUrl: string): string {
  if (!fs.existsSync(path.join(REPOSITORY_ROOT, 'apps', 'console', 'dist', 'index.html'))) return '';
  return `  Console:  ${gatewayUrl.replace(/graphql$/, '')}   (dashboard, partner inbox, caseload, directory; pick a seeded user to log in)\n`;
}

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
${consoleLine(platform.gatewayUrl)}
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
    const begun = Date.now();
    console.log(`[platform]   ${signal}: stopping the gateway, then the subgraphs, then the database...`);
    platform.stop().then(
      (report) => {
        const clean = report.stages.every((stage) => stage.exits.every((exit) => exit.code === 0));
        console.log(`[platform]   stopped${clean ? '' : ' (not every process stopped cleanly, see above)'} in ${((Date.now() - begun) / 1000).toFixed(1)}s`);
        process.exit(clean ? 0 : 1);
      },
      (error) => {
        console.error('[platform]   unclean stop:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  // The supervisor (below) went away without a signal: stop all the same.
  exitWithParent(() => stop('supervisor gone'));
}

const SUPERVISED = '--supervised';

/**
 * Ctrl-C in a terminal signals the whole foreground process group at once: the gateway, the subgraphs and
 * PostgreSQL would all stop together, the database under requests still in flight. So `npm start` runs the launcher
 * (main) in a process group of its own, as a detached child with this process's output, and this process only passes
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP on to it: the launcher stops the gateway, then the subgraphs, then PostgreSQL.
 * It exits with the launcher's exit code. Should this process be killed outright, the launcher notices (its
 * PLATFORM_PARENT_PID is gone) and stops everything in the same order.
 */
function supervise(): void {
  const launcher = spawn(process.execPath, [...process.execArgv, __filename, SUPERVISED, ...process.argv.slice(2)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PLATFORM_PARENT_PID: String(process.pid) },
  });
  const forward = (signal: NodeJS.Signals) => {
    try {
      launcher.kill(signal === 'SIGINT' ? 'SIGTERM' : signal);
    } catch {
      // already gone
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => forward(signal));
  launcher.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
}

if (process.argv.includes(SUPERVISED)) {
  main().catch((error) => {
    console.error(`[platform]   could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
} else {
  supervise();
}
