import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTokenVerifier, DEMO_ORGANIZATIONS, DEMO_USERS, loadAuthConfig } from '@integration-graph/common';
import { formatLine } from '../src/cli/format';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const token = (...args: string[]) => run(process.execPath, [path.join(ROOT, 'packages/platform/dist/cli/token.js'), ...args], { env: process.env });

describe('npm run token', () => {
  const verify = createTokenVerifier(loadAuthConfig());

  it('prints a verifiable token for the seeded user with that organisation and role', async () => {
    const { stdout } = await token('--org', 'vhs', '--role', 'partner');
    const vhsPartner = DEMO_USERS.find((u) => u.handle === 'vhs-partner')!;
    await expect(verify(stdout.trim())).resolves.toEqual({ userId: vhsPartner.id, organizationId: DEMO_ORGANIZATIONS.vhs.id, roles: ['partner'] });
  });

  it('accepts an organisation id and a user handle too', async () => {
    const byId = await token('--org', DEMO_ORGANIZATIONS.offenburg.id, '--role', 'caseworker');
    expect((await verify(byId.stdout.trim())).organizationId).toBe(DEMO_ORGANIZATIONS.offenburg.id);
    const byUser = await token('--user', 'ortenaukreis-auditor');
    expect((await verify(byUser.stdout.trim())).roles).toEqual(['auditor']);
  });

  it.each([
    [['--org', 'nowhere', '--role', 'lead'], /Unknown organisation "nowhere"; known: ortenaukreis/],
    [['--org', 'vhs', '--role', 'admin'], /Unknown role "admin"; roles: caseworker/],
    [['--org', 'vhs', '--role', 'lead'], /No seeded user with role lead at Volkshochschule/],
    [['--role', 'lead'], /Give --org and --role, or --user/],
  ])('explains what is wrong with %j', async (args, message) => {
    await expect(token(...args)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
  });

  it('lists the seeded users', async () => {
    const { stdout } = await token('--list');
    expect(stdout.trim().split('\n')).toHaveLength(DEMO_USERS.length);
    expect(stdout).toContain('jobcenter-partner');
  });
});

describe('process log lines', () => {
  it('turns JSON log lines into one readable line with the process name', () => {
    const line = JSON.stringify({ level: 30, time: '2026-11-23T10:00:00Z', service: 'cases', msg: 'graphql request', requestId: 'r-123456789', ms: 4 });
    expect(formatLine('cases', line)).toBe('[cases]      info  graphql request {"requestId":"r-123456789","ms":4}');
    expect(formatLine('postgres', 'LOG:  database system is ready')).toBe('[postgres]   LOG:  database system is ready');
  });
});

describe('child processes', () => {
  it('exit by themselves when the launcher is gone (no orphans)', async () => {
    const launcher = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)']);
    const gateway = spawn(process.execPath, [path.join(ROOT, 'gateway/dist/main.js')], {
      env: { ...process.env, PORT: '0', PLATFORM_PARENT_PID: String(launcher.pid), LOG_LEVEL: 'error' },
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => gateway.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
  }, 20_000);
});
