import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPOSITORY_ROOT } from '@integration-graph/common';
import { formatMarkdown, formatText, writeMarkdown } from '../harness/report';
import { BenchReport, DEFAULT_OPTIONS, runBench } from '../harness/run';
import { SCENARIOS } from '../harness/scenarios';

const USAGE = `Benchmarks the platform at a data scale (issue 8) and writes the results to docs/benchmarks.md.

  npm run bench -- --scale 1              the state-scale generator's scale 1 (one district; N: N districts,
                                          0 < N < 1 a smaller one), loaded into a fresh embedded PostgreSQL
  npm run bench -- --demo                 the demo seed (same as --scale 0)

Options:
  --connections N     concurrent connections of autocannon (default ${DEFAULT_OPTIONS.connections})
  --duration S        seconds measured per operation and reference (default ${DEFAULT_OPTIONS.durationSeconds})
  --warmup S          seconds of warm-up before each measurement (default 2)
  --operations LIST   comma-separated, of: ${SCENARIOS.map((s) => s.key).join(', ')}
  --skip LIST         references not to measure, of: floor, peer, sql
  --page-sizes LIST   page sizes of the statement-scaling check (default ${DEFAULT_OPTIONS.scalingPageSizes.join(',')}; "none" skips it)
  --reuse             keep the cluster and data of an earlier run in the data folder (no reload)
  --data-dir DIR      default .data/bench-scale-N (.data/bench-demo for the demo seed)
  --output FILE       markdown file to write the results into (default docs/benchmarks.md; "-" writes none)
  --json FILE         all figures as JSON (default: bench-result.json in the data folder)
  --from-json FILE    measure nothing: print and write the results of an earlier run's JSON again
  --verbose           print the processes' log lines`;

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number, not "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      demo: { type: 'boolean', default: false },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      operations: { type: 'string' },
      skip: { type: 'string' },
      'page-sizes': { type: 'string' },
      reuse: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      output: { type: 'string' },
      json: { type: 'string' },
      'from-json': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (values['from-json']) {
    const { command, ...report } = JSON.parse(fs.readFileSync(path.resolve(values['from-json']), 'utf8')) as BenchReport & { command: string };
    console.log(formatText(report));
    if (values.output !== '-') {
      const output = path.resolve(REPOSITORY_ROOT, values.output ?? 'docs/benchmarks.md');
      writeMarkdown(output, report.scale, formatMarkdown(report, command));
      console.log(`Results written to ${path.relative(process.cwd(), output)}`);
    }
    return;
  }
  const scale = values.demo ? 0 : positive('scale', values.scale, 1);
  if (scale > 1 && !Number.isInteger(scale)) throw new Error('--scale above 1 must be a whole number (0 < N < 1 shrinks the one district)');
  const skip = list(values.skip);
  const unknownSkip = skip.filter((item) => !['floor', 'peer', 'sql'].includes(item));
  if (unknownSkip.length) throw new Error(`--skip knows floor, peer and sql, not ${unknownSkip.join(', ')}`);
  const pageSizes = values['page-sizes'] === 'none' ? [] : values['page-sizes'] ? list(values['page-sizes']).map(Number) : DEFAULT_OPTIONS.scalingPageSizes;
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const started = Date.now();
  const elapsed = () => `${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s`;

  const report = await runBench({
    scale,
    dataDir: values['data-dir'] ? path.resolve(values['data-dir']) : undefined,
    reuse: values.reuse,
    connections: Math.max(1, Math.round(positive('connections', values.connections, DEFAULT_OPTIONS.connections))),
    durationSeconds: Math.max(1, positive('duration', values.duration, DEFAULT_OPTIONS.durationSeconds)),
    warmupSeconds: positive('warmup', values.warmup, 2),
    operations: list(values.operations),
    references: { gatewayFloor: !skip.includes('floor'), peer: !skip.includes('peer'), sqlFloor: !skip.includes('sql') },
    scalingPageSizes: pageSizes,
    onProgress: (message) => console.log(`[bench ${elapsed()}] ${message}`),
    onLine: values.verbose ? (name, line) => console.log(`[${name}] ${line}`) : undefined,
    handleSignals: true,
  });

  console.log(`\n${formatText(report)}\n`);
  const jsonFile = values.json
    ? path.resolve(values.json)
    : path.join(values['data-dir'] ? path.resolve(values['data-dir']) : path.join(REPOSITORY_ROOT, '.data', scale === 0 ? 'bench-demo' : `bench-scale-${scale}`), 'bench-result.json');
  fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
  fs.writeFileSync(jsonFile, JSON.stringify({ command, ...report }, null, 2));
  console.log(`All figures: ${path.relative(process.cwd(), jsonFile)}`);
  if (values.output !== '-') {
    const output = path.resolve(REPOSITORY_ROOT, values.output ?? 'docs/benchmarks.md');
    writeMarkdown(output, scale, formatMarkdown(report, command));
    console.log(`Results written to ${path.relative(process.cwd(), output)}`);
  }
  console.log(`Finished in ${elapsed().trim()}.`);
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
