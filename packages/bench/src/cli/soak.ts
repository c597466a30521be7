import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPOSITORY_ROOT } from '@integration-graph/common';
import { DEFAULT_SOAK, runSoak, SOAK_MIX } from '../harness/soak';
import { formatSoakMarkdown, formatSoakText, writeSoakMarkdown } from '../harness/soak-report';

const USAGE = `Soak test (issue 9): a bounded mixed load of reads and writes through the gateway, then every acknowledged
write read back from its database; zero 5xx, zero lost writes and flat memory required. Writes its result into
docs/operations.md ("Soak test").

  npm run soak                                  5 minutes on the demo seed, fresh embedded PostgreSQL in .data/soak
  npm run soak -- --duration 60 --connections 4
  npm run soak -- --scale 1                     on the state-scale generator's data (one district)

Options:
  --duration S        seconds of load after the warm-up (default ${DEFAULT_SOAK.durationSeconds}; "5m" works too)
  --warmup S          seconds of load before, not counted in the memory's first minute (default ${DEFAULT_SOAK.warmupSeconds})
  --connections N     concurrent clients (default ${DEFAULT_SOAK.connections})
  --scale N           data of the generator at scale N (default: the demo seed)
  --sample S          seconds between memory samples (default ${DEFAULT_SOAK.sampleIntervalMs / 1000})
  --output FILE       markdown file for the result (default docs/operations.md; "-" writes none)
  --json FILE         every figure as JSON (default .data/soak-result.json)
  --verbose           print the processes' log lines

The mix (of 100 requests): ${SOAK_MIX.map((m) => `${m.key} ${m.weight}`).join(', ')}.
Exits 1 when the soak fails.`;

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(value.trim());
  if (!match) throw new Error(`--${name} must be a number of seconds (or minutes with "m"), not "${value}"`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      scale: { type: 'string' },
      sample: { type: 'string' },
      output: { type: 'string' },
      json: { type: 'string' },
      'data-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const scale = values.scale === undefined ? 0 : Number(values.scale);
  if (!Number.isFinite(scale) || scale < 0) throw new Error(`--scale must be a number of at least 0, not "${values.scale}"`);
  const connections = values.connections === undefined ? DEFAULT_SOAK.connections : Number(values.connections);
  if (!Number.isInteger(connections) || connections < 1) throw new Error(`--connections must be a whole number of at least 1, not "${values.connections}"`);
  const command = `npm run soak${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const started = Date.now();
  const elapsed = () => `${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s`;

  const report = await runSoak({
    scale,
    durationSeconds: Math.max(1, seconds('duration', values.duration, DEFAULT_SOAK.durationSeconds)),
    warmupSeconds: seconds('warmup', values.warmup, DEFAULT_SOAK.warmupSeconds),
    connections,
    sampleIntervalMs: Math.max(200, seconds('sample', values.sample, DEFAULT_SOAK.sampleIntervalMs / 1000) * 1000),
    dataDir: values['data-dir'] ? path.resolve(values['data-dir']) : undefined,
    onProgress: (message) => console.log(`[soak ${elapsed()}] ${message}`),
    onLine: values.verbose ? (name, line) => console.log(`[${name}] ${line}`) : undefined,
    handleSignals: true,
  });

  console.log(`\n${formatSoakText(report)}\n`);
  const jsonFile = path.resolve(values.json ?? path.join(REPOSITORY_ROOT, '.data', 'soak-result.json'));
  fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
  fs.writeFileSync(jsonFile, JSON.stringify({ command, ...report }, null, 2));
  console.log(`All figures: ${path.relative(process.cwd(), jsonFile)}`);
  if (values.output !== '-') {
    const output = path.resolve(REPOSITORY_ROOT, values.output ?? 'docs/operations.md');
    writeSoakMarkdown(output, formatSoakMarkdown(report, command));
    console.log(`Result written to ${path.relative(process.cwd(), output)}`);
  }
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[soak] failed: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
