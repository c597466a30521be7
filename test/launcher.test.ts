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
    // each subgraph has its own database
    expect(Object.values(platform.databases).map((d) => d.database.replace(/^e2e_[0-9a-f]+_/, ''))).toEqual(['partners', 'cases', 'referrals']);
    await platform.stop();
    expect(platform.processes.filter((p) => alive(p.pid))).toEqual([]);
    expect(platform.lines.filter((l) => /stopping: finishing requests in flight/.test(l.line)).map((l) => l.process).sort()).toEqual(
      ['cases', 'gateway', 'partners', 'referrals'],
    );
  }, 120_000);
});
