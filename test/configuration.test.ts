import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPOSITORY_ROOT } from '@integration-graph/common';

/** Runs one of the platform's processes until it exits; its exit code and output. */
function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPOSITORY_ROOT, entry)], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', AUTH_DEV_KEYS_DIR: process.env.AUTH_DEV_KEYS_DIR ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a process started with a wrong configuration', () => {
  it('the gateway: exits with code 78 and names every wrong setting', async () => {
    const { code, stdout, stderr } = await run('gateway/dist/main.js', { PORT: 'abc', SUBGRAPH_TIMEOUT_MS: 'soon', CASES_URL: 'cases:4002' });
    expect(code).toBe(78);
    expect(stderr).toContain('Invalid configuration (3 problems');
    expect(stderr).toContain("PORT: 'abc' is not a port number (1-65535, or 0 for any free port)");
    expect(stderr).toContain("SUBGRAPH_TIMEOUT_MS: 'soon' is not a whole number of at least 1");
    expect(stderr).toContain("CASES_URL: 'cases:4002' is not a http:// or https:// URL");
    // and as one JSON log line for the log collector
    const line = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(line).toMatchObject({ level: 60, service: 'gateway', msg: 'invalid configuration' });
    expect(line.problems.map((p: { name: string }) => p.name)).toEqual(['CASES_URL', 'PORT', 'SUBGRAPH_TIMEOUT_MS']);
  }, 30_000);

  it('a subgraph in production: exits with code 78 before touching the database, listing what production needs', async () => {
    const { code, stderr } = await run('services/referrals/dist/main.js', {
      NODE_ENV: 'production',
      AUTH_DEV_KEYS_DIR: '',
      WEBHOOK_MAX_ATTEMPTS: '0',
      DATABASE_URL: 'postgres://referrals_app:secret-password@db:5432/referrals',
    });
    expect(code).toBe(78);
    for (const expected of [
      'AUTH_JWKS_URL: missing in production',
      'AUTH_ISSUER: missing in production',
      'AUTH_AUDIENCE: missing in production',
      'GATEWAY_SHARED_SECRET: missing: production needs GATEWAY_SHARED_SECRET',
      "WEBHOOK_MAX_ATTEMPTS: '0' is not a whole number of at least 1",
    ]) {
      expect(stderr).toContain(expected);
    }
    expect(stderr).not.toContain('secret-password');
  }, 30_000);
});
