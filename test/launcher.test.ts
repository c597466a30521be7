import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, REPOSITORY_ROOT } from '@integration-graph/common';
import { DEFAULT_SERVICE_HEAP_LIMIT_MB, nodeOptionsFor, shutdownTimeoutFor } from '@integration-graph/platform';
import { startTestPlatform } from './helpers';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the platform launcher', () => {
  it('starts the three subgraphs and the gateway as their own processes and stops every one of them', async () => {
    const platform = await startTestPlatform();
    expect(platform.processes.map((p) => p.name)).toEqual(['partners', 'cases', 'referrals', 'gateway']);
    expect(new Set(platform.processes.map((p) => p.pid)).size).toBe(4);
    expect(platform.processes.every((p) => alive(p.pid))).toBe(true);
    // each with a heap limit, so that V8 collects before the process grows (SERVICE_HEAP_LIMIT_MB)
    for (const { pid } of platform.processes) {
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain(`--max-old-space-size=${DEFAULT_SERVICE_HEAP_LIMIT_MB}`);
    }
    // each subgraph has its own database
    expect(Object.values(platform.databases).map((d) => d.database.replace(/^e2e_[0-9a-f]+_/, ''))).toEqual(['partners', 'cases', 'referrals']);
    const begun = Date.now();
    const report = await platform.stop();
    const took = Date.now() - begun;
    expect(platform.processes.filter((p) => alive(p.pid))).toEqual([]);
    expect(platform.lines.filter((l) => /stopping: finishing requests in flight/.test(l.line)).map((l) => l.process).sort()).toEqual(
      ['cases', 'gateway', 'partners', 'referrals'],
    );
    // In order: the gateway (no new requests reach the subgraphs), then the subgraphs together; the database here is
    // the shared test server (with npm start, the embedded one is stopped last: the next test).
    expect(report.stages.map((stage) => stage.stage)).toEqual(['gateway', 'subgraphs']);
    const [gateway, subgraphs] = report.stages;
    expect(gateway.exits.map((e) => e.name)).toEqual(['gateway']);
    expect(subgraphs.exits.map((e) => e.name).sort()).toEqual(['cases', 'partners', 'referrals']);
    expect(subgraphs.startedAt).toBeGreaterThanOrEqual(gateway.endedAt);
    expect(Math.min(...subgraphs.exits.map((e) => e.at))).toBeGreaterThanOrEqual(gateway.exits[0].at);
    // each one stopped by itself (exit code 0), none killed
    expect(report.stages.flatMap((stage) => stage.exits).map(({ name, code, signal, killed }) => ({ name, code, signal, killed }))).toEqual(
      ['gateway', ...subgraphs.exits.map((e) => e.name)].map((name) => ({ name, code: 0, signal: null, killed: false })),
    );
    // the subgraphs begin stopping only after the gateway has gone
    const firstLine = (name: string) => platform.lines.findIndex((l) => l.process === name && /stopping: finishing requests in flight/.test(l.line));
    for (const name of ['partners', 'cases', 'referrals']) expect(firstLine(name)).toBeGreaterThan(firstLine('gateway'));
    // Quick: idle keep-alive connections do not hold anything back (it took 30 s before; a generous bound here)
    expect(took).toBeLessThan(8_000);
  }, 120_000);
});

/** Whether something still listens on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npm start', () => {
  it('stops on Ctrl-C in order: the gateway, then the subgraphs, then PostgreSQL, each cleanly, and exits 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-start-'));
    fs.chmodSync(dataDir, 0o755); // the embedded server may run as the system user "postgres" (when we are root)
    const gatewayPort = await freePort();
    const postgresPort = await freePort();
    // In a process group of its own, like a terminal's foreground job: Ctrl-C signals the whole group.
    const start = spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'packages/platform/dist/cli/start.js')], {
      cwd: REPOSITORY_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'debug', // every line, PostgreSQL's too
        DATA_DIR: dataDir,
        GATEWAY_PORT: String(gatewayPort),
        EMBEDDED_POSTGRES_PORT: String(postgresPort),
        AUTH_DEV_KEYS_DIR: '',
        TEST_ADMIN_DATABASE_URL: '',
      },
    });
    const output: string[] = [];
    let buffered = '';
    const collect = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      output.push(...lines);
    };
    start.stdout!.on('data', collect);
    start.stderr!.on('data', collect);
    const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240_000;
      while (!output.some((line) => line.startsWith('Integration Graph is running'))) {
        if (Date.now() > deadline || start.exitCode !== null) throw new Error(`npm start did not come up:\n${output.slice(-30).join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const stopAt = output.length;
      process.kill(-start.pid!, 'SIGINT'); // Ctrl-C
      const code = await exited;
      const stopLines = output.slice(stopAt);
      const at = (pattern: RegExp) => stopLines.findIndex((line) => pattern.test(line));
      expect({ code, tail: code === 0 ? [] : stopLines.slice(-30) }).toEqual({ code: 0, tail: [] });
      // the launcher's stages, in order, each process with exit code 0
      const order = [
        /^\[platform\] +stopping gateway$/,
        /^\[platform\] +gateway stopped, exit code 0$/,
        /^\[platform\] +stopping subgraphs$/,
        /^\[platform\] +stopping postgres$/,
        /^\[platform\] +stopped in [0-9.]+s$/,
      ].map(at);
      expect(order.every((index) => index >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      for (const name of ['partners', 'cases', 'referrals']) {
        const stopped = at(new RegExp(`^\\[platform\\] +${name} stopped, exit code 0$`));
        expect({ name, after: stopped > order[2] && stopped < order[3] }).toEqual({ name, after: true });
        // the subgraph began stopping only after the gateway had gone
        expect(at(new RegExp(`^\\[${name}\\] +info +stopping: finishing requests in flight`))).toBeGreaterThan(order[1]);
      }
      // PostgreSQL received its shutdown only after every subgraph had stopped (not Ctrl-C at once with the others)
      expect(at(/received fast shutdown request/)).toBeGreaterThan(order[3]);
      expect(stopLines.filter((line) => /killed|did not complete in time|unclean/.test(line))).toEqual([]);
      // nothing left behind
      for (const port of [gatewayPort, gatewayPort + 1, gatewayPort + 2, gatewayPort + 3, postgresPort]) expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
    } finally {
      if (start.exitCode === null) {
        process.kill(-start.pid!, 'SIGKILL');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('the stop timeout of the platform’s processes (SHUTDOWN_TIMEOUT_MS)', () => {
  it('defaults to 10 s and refuses what is not a number of milliseconds', () => {
    expect(shutdownTimeoutFor({})).toBe(10_000);
    expect(shutdownTimeoutFor({ SHUTDOWN_TIMEOUT_MS: '2500' })).toBe(2_500);
    expect(() => shutdownTimeoutFor({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow('SHUTDOWN_TIMEOUT_MS: "soon" is not a whole number of milliseconds');
  });
});

describe('the heap limit of the platform’s processes (SERVICE_HEAP_LIMIT_MB)', () => {
  it('defaults to a limit, can be set or left to V8, and refuses what is not a number of megabytes', () => {
    expect(nodeOptionsFor({})).toEqual([`--max-old-space-size=${DEFAULT_SERVICE_HEAP_LIMIT_MB}`]);
    expect(nodeOptionsFor({ SERVICE_HEAP_LIMIT_MB: '256' })).toEqual(['--max-old-space-size=256']);
    expect(nodeOptionsFor({ SERVICE_HEAP_LIMIT_MB: '0' })).toEqual([]);
    expect(() => nodeOptionsFor({ SERVICE_HEAP_LIMIT_MB: 'lots' })).toThrow('SERVICE_HEAP_LIMIT_MB: "lots" is not a whole number of megabytes');
  });
});
