import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testAdminUrl } from '@integration-graph/common';
import { runSoak, SoakReport } from '../src/harness/soak';
import { formatSoakMarkdown, formatSoakText, writeSoakMarkdown } from '../src/harness/soak-report';

/**
 * `npm run soak` briefly: 15 seconds of the mixed load at two connections on the demo seed, on fresh databases of the
 * test PostgreSQL. Zero 5xx and zero lost writes are required (as of the full soak); memory flatness means nothing at
 * this length and is only reported.
 */
describe('npm run soak (short)', () => {
  let report: SoakReport;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-soak-'));

  beforeAll(async () => {
    report = await runSoak({
      scale: 0,
      durationSeconds: 15,
      warmupSeconds: 0,
      connections: 2,
      sampleIntervalMs: 1_000,
      dataDir,
      adminUrl: testAdminUrl(),
      databasePrefix: `soak_${randomBytes(3).toString('hex')}_`,
      dropDatabases: true,
      devKeysDir: process.env.AUTH_DEV_KEYS_DIR,
      env: { LOG_LEVEL: 'warn' },
    });
  }, 180_000);

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('answers every request without a 5xx, and every acknowledged write is in its database afterwards', () => {
    expect({ status5xx: report.status5xx, errors: report.errorsByCode, samples: report.sampleErrors }).toEqual({ status5xx: 0, errors: {}, samples: {} });
    expect(report.requests).toBeGreaterThan(20);
    for (const kind of ['record-consultation', 'send-referral', 'update-plan']) {
      expect({ kind, acknowledged: report.writes.acknowledged[kind] > 0 }).toEqual({ kind, acknowledged: true });
      expect({ kind, readBack: report.writes.readBack[kind] }).toEqual({ kind, readBack: report.writes.acknowledged[kind] });
    }
    expect({ lost: report.writes.lost, samples: report.writes.lostSamples }).toEqual({ lost: 0, samples: [] });
    for (const [key, op] of Object.entries(report.operations)) expect({ key, some: op.requests > 0 }).toEqual({ key, some: true });
  });

  it('samples the memory of all four processes', () => {
    expect(report.memory.map((m) => m.process).sort()).toEqual(['cases', 'gateway', 'partners', 'referrals']);
    for (const m of report.memory) {
      expect(m.samples).toBeGreaterThan(5);
      expect(m.firstMinuteMeanBytes).toBeGreaterThan(10 * 1024 * 1024);
    }
  });

  it('prints a summary and writes its section into the markdown file, keeping the others', () => {
    expect(formatSoakText(report)).toContain('lost 0');
    const file = path.join(dataDir, 'operations.md');
    fs.writeFileSync(file, '# Operations\n\n## Soak test\n\nHow to run it.\n\n## Backups and restore\n\nTheir text.\n');
    writeSoakMarkdown(file, formatSoakMarkdown(report, 'npm run soak'));
    writeSoakMarkdown(file, formatSoakMarkdown(report, 'npm run soak -- --duration 15'));
    const written = fs.readFileSync(file, 'utf8');
    expect(written.match(/soak-result:start/g)).toHaveLength(1);
    expect(written).toContain('`npm run soak -- --duration 15`');
    expect(written.indexOf('How to run it.')).toBeLessThan(written.indexOf('soak-result:start'));
    expect(written.indexOf('soak-result:end')).toBeLessThan(written.indexOf('## Backups and restore'));
    expect(written).toContain('## Backups and restore\n\nTheir text.');
    expect(written).toContain('| HTTP 5xx | 0 |');
  });
});
