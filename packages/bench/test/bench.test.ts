import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testAdminUrl } from '@integration-graph/common';
import { formatMarkdown, formatText, writeMarkdown } from '../src/harness/report';
import { BenchReport, runBench } from '../src/harness/run';
import { SCENARIOS } from '../src/harness/scenarios';

/**
 * The benchmark harness end to end, briefly: the demo seed on fresh databases of the test PostgreSQL, every operation
 * for a second at one connection through the platform and the references (gateway floor over recorded stubs, the
 * peer gateway, the direct SQL floor). Proves that the harness works and that every operation answers without errors;
 * the figures themselves mean nothing at this length.
 */
describe('npm run bench (harness)', () => {
  let report: BenchReport;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-bench-'));

  beforeAll(async () => {
    report = await runBench({
      scale: 0,
      dataDir,
      adminUrl: testAdminUrl(),
      databasePrefix: `bench_${randomBytes(3).toString('hex')}_`,
      dropDatabases: true,
      devKeysDir: process.env.AUTH_DEV_KEYS_DIR,
      connections: 1,
      durationSeconds: 1,
      warmupSeconds: 0,
      references: { gatewayFloor: true, peer: true, sqlFloor: true },
      scalingPageSizes: [10, 50],
      env: { LOG_LEVEL: 'warn' },
    });
  }, 120_000);

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('measures every operation on the platform without errors', () => {
    expect(report.operations.map((op) => op.key)).toEqual(SCENARIOS.map((scenario) => scenario.key));
    for (const op of report.operations) {
      expect({ op: op.key, errors: op.platform.errors, sample: op.platform.sampleError }).toEqual({ op: op.key, errors: 0, sample: undefined });
      expect(op.platform.responses).toBeGreaterThan(0);
      expect(op.platform.rps).toBeGreaterThan(0);
      if (!report.statementsUnavailable) expect(op.platform.sqlPerRequest).toBeGreaterThan(0);
    }
  });

  it('measures the references in the same run: the gateway floor for reads, the peer for all, direct SQL for the comparison', () => {
    for (const op of report.operations) {
      const references = Object.keys(op.references).sort();
      const expected = [...(op.kind === 'read' ? ['gateway-floor'] : []), 'peer', ...(['standards-comparison', 'state-comparison'].includes(op.key) ? ['sql-floor'] : [])].sort();
      expect({ op: op.key, references }).toEqual({ op: op.key, references: expected });
      for (const [kind, measurement] of Object.entries(op.references)) {
        expect({ op: op.key, kind, errors: measurement!.errors, sample: measurement!.sampleError }).toEqual({ op: op.key, kind, errors: 0, sample: undefined });
      }
    }
    expect(report.notes).toEqual([]);
  });

  it('counts statements at several page sizes and samples the memory of every process', () => {
    if (!report.statementsUnavailable) {
      expect(report.scaling.map((s) => s.key)).toEqual(['partner-inbox', 'caseload-page', 'public-directory']);
      for (const s of report.scaling) expect(Object.keys(s.perPageSize)).toEqual(['10', '50']);
    }
    expect(report.memory.map((m) => m.process).sort()).toEqual(
      ['cases', 'floor-gateway', 'gateway', 'hive-gateway', 'partners', 'referrals', 'sql-floor', 'stub-subgraphs'].sort(),
    );
    for (const m of report.memory) expect(m.maxUnderLoadBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('prints the table and writes its own section into the markdown file, keeping the others', () => {
    const text = formatText(report);
    for (const scenario of SCENARIOS) expect(text).toContain(scenario.title);
    const file = path.join(dataDir, 'benchmarks.md');
    fs.writeFileSync(file, '# Benchmarks\n\n## Data generator\n\nTheir text.\n\n## Results\n\n<!-- bench-results:scale-1:start -->\nscale 1\n<!-- bench-results:scale-1:end -->\n\n## Changes\n\nMore text.\n');
    writeMarkdown(file, 0, formatMarkdown(report, 'npm run bench -- --demo'));
    writeMarkdown(file, 0, formatMarkdown(report, 'npm run bench -- --demo --duration 1'));
    const written = fs.readFileSync(file, 'utf8');
    expect(written).toContain('## Data generator\n\nTheir text.');
    expect(written).toContain('scale 1');
    expect(written.match(/bench-results:demo:start/g)).toHaveLength(1);
    expect(written).toContain('`npm run bench -- --demo --duration 1`');
    expect(written.indexOf('bench-results:demo:start')).toBeLessThan(written.indexOf('## Changes'));
    for (const scenario of SCENARIOS) expect(written).toContain(`| ${scenario.title} |`);
  });
});
