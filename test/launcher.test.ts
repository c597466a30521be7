import fs from 'node:fs';
import { DEFAULT_SERVICE_HEAP_LIMIT_MB, nodeOptionsFor } from '@integration-graph/platform';
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
    await platform.stop();
    expect(platform.processes.filter((p) => alive(p.pid))).toEqual([]);
    expect(platform.lines.filter((l) => /stopping: finishing requests in flight/.test(l.line)).map((l) => l.process).sort()).toEqual(
      ['cases', 'gateway', 'partners', 'referrals'],
    );
  }, 120_000);
});

describe('the heap limit of the platform’s processes (SERVICE_HEAP_LIMIT_MB)', () => {
  it('defaults to a limit, can be set or left to V8, and refuses what is not a number of megabytes', () => {
    expect(nodeOptionsFor({})).toEqual([`--max-old-space-size=${DEFAULT_SERVICE_HEAP_LIMIT_MB}`]);
    expect(nodeOptionsFor({ SERVICE_HEAP_LIMIT_MB: '256' })).toEqual(['--max-old-space-size=256']);
    expect(nodeOptionsFor({ SERVICE_HEAP_LIMIT_MB: '0' })).toEqual([]);
    expect(() => nodeOptionsFor({ SERVICE_HEAP_LIMIT_MB: 'lots' })).toThrow('SERVICE_HEAP_LIMIT_MB: "lots" is not a whole number of megabytes');
  });
});
