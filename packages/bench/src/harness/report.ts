import fs from 'node:fs';
import { BenchReport, Measurement, OperationResult, OTHER_CPU_WARNING } from './run';

const mb = (bytes?: number) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);
const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const sql = (m?: Measurement) => (m?.sqlPerRequest === null || m?.sqlPerRequest === undefined ? 'n/a' : num(m.sqlPerRequest, 1));
/** rps, marked * when other work on the machine took a noticeable share of the CPU meanwhile. */
const rps = (m: Measurement) => `${num(m.rps)}${(m.otherCpuShare ?? 0) >= OTHER_CPU_WARNING ? '*' : ''}`;
const ms = (value: number) => (value === 0 ? '<1' : num(value)); // autocannon's percentiles are whole milliseconds

/** rps of the platform divided by rps of the reference (1.00 = as fast; the targets: ≥ 0.6 of the floor, ≥ 1 of the peer). */
function throughputRatio(platform: Measurement, reference?: Measurement): string {
  if (!reference) return '–';
  if (!reference.rps) return 'n/a';
  return `${(platform.rps / reference.rps).toFixed(2)} (${num(reference.rps)} rps)`;
}

/** p50 of the platform divided by p50 of the SQL floor (the target: ≤ 3). */
function latencyRatio(platform: Measurement, reference?: Measurement): string {
  if (!reference) return '–';
  if (!reference.p50Ms) return `p50 ${ms(platform.p50Ms)} vs < 1 ms`;
  return `${(platform.p50Ms / reference.p50Ms).toFixed(1)}× p50 (${ms(reference.p50Ms)} ms)`;
}

export const TABLE_HEADER = ['operation', 'rps', 'p50 ms', 'p99 ms', 'errors', 'SQL/req', 'ratio vs floor', 'ratio vs peer', 'vs direct SQL'];

export function tableRows(report: BenchReport): string[][] {
  return report.operations.map((op: OperationResult) => [
    op.title,
    rps(op.platform),
    ms(op.platform.p50Ms),
    ms(op.platform.p99Ms),
    String(op.platform.errors),
    sql(op.platform),
    op.references['gateway-floor'] ? throughputRatio(op.platform, op.references['gateway-floor']) : op.notMeasured['gateway-floor'] ? 'n/a (write)' : '–',
    throughputRatio(op.platform, op.references.peer),
    latencyRatio(op.platform, op.references['sql-floor']),
  ]);
}

function referenceRows(report: BenchReport): string[][] {
  const names = { 'gateway-floor': 'gateway floor (stubs)', peer: 'peer gateway (Hive)', 'sql-floor': 'direct SQL' } as const;
  const rows: string[][] = [];
  for (const op of report.operations) {
    for (const kind of ['gateway-floor', 'peer', 'sql-floor'] as const) {
      const m = op.references[kind];
      if (m) rows.push([op.title, names[kind], rps(m), ms(m.p50Ms), ms(m.p99Ms), String(m.errors), kind === 'gateway-floor' ? '0 (stubs)' : sql(m)]);
    }
  }
  return rows;
}

/** Which measurements shared the machine with other work, or nothing. */
function interference(report: BenchReport): string[] {
  const flagged: string[] = [];
  for (const op of report.operations) {
    for (const [label, m] of [['platform', op.platform], ...Object.entries(op.references)] as [string, Measurement][]) {
      if ((m.otherCpuShare ?? 0) >= OTHER_CPU_WARNING) flagged.push(`${op.title} / ${label} ${Math.round(m.otherCpuShare! * 100)}%`);
    }
  }
  return flagged.length
    ? [`* Other work on the machine (outside the bench's processes) used part of the CPU during: ${flagged.join('; ')}. Those figures are lower than on a quiet machine.`]
    : [];
}

function memoryRows(report: BenchReport): string[][] {
  return report.memory.map((m) => [m.process, mb(m.idleBytes), mb(m.maxUnderLoadBytes)]);
}

function scalingRows(report: BenchReport): { header: string[]; rows: string[][] } {
  const sizes = [...new Set(report.scaling.flatMap((s) => Object.keys(s.perPageSize).map(Number)))].sort((a, b) => a - b);
  return {
    header: ['operation', ...sizes.map((size) => `first: ${size}`)],
    rows: report.scaling.map((s) => [
      s.title,
      ...sizes.map((size) => {
        const value = s.perPageSize[size];
        return `${value === null || value === undefined ? 'n/a' : num(value, 1)} (${s.itemsReturned[size] ?? '?'} items)`;
      }),
    ]),
  };
}

function markdownTable(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The console output: the main table, the references and the memory per process. */
export function formatText(report: BenchReport): string {
  const scaling = scalingRows(report);
  return [
    `Benchmark: ${report.dataLabel}, ${report.settings.connections} connections, ${report.settings.durationSeconds}s per operation (${report.machine.cpu}, ${report.machine.cores} cores)`,
    '',
    textTable(TABLE_HEADER, tableRows(report)),
    '',
    'References:',
    textTable(['operation', 'reference', 'rps', 'p50 ms', 'p99 ms', 'errors', 'SQL/req'], referenceRows(report)),
    '',
    'Resident memory per process:',
    textTable(['process', 'idle', 'max under load'], memoryRows(report)),
    ...(scaling.rows.length ? ['', 'SQL statements per request by page size:', textTable(scaling.header, scaling.rows)] : []),
    ...(report.statementsUnavailable ? ['', `SQL statements not counted: ${report.statementsUnavailable}`] : []),
    ...interference(report),
    ...report.notes.map((note) => `Note: ${note}`),
  ].join('\n');
}

function statementDetails(report: BenchReport): string {
  const parts: string[] = [];
  for (const op of report.operations) {
    const statements = op.platform.statements ?? [];
    if (!statements.length) continue;
    // The statements that cost the most database time per request, then the most frequent ones.
    const rows = [...statements]
      .filter((s) => s.perRequest >= 0.05)
      .sort((a, b) => b.perRequest * b.meanMs - a.perRequest * a.meanMs || b.perRequest - a.perRequest)
      .slice(0, 10)
      .map((s) => [s.database, num(s.perRequest, 2), s.meanMs.toFixed(2), '`' + s.query.replace(/\s+/g, ' ').slice(0, 140) + '`']);
    parts.push(`**${op.title}** (${sql(op.platform)} per request: ${Object.entries(op.platform.sqlPerRequestByDatabase ?? {}).map(([db, n]) => `${db} ${num(n, 1)}`).join(', ')})\n\n${markdownTable(['database', 'calls/req', 'mean ms', 'statement'], rows)}`);
  }
  return parts.join('\n\n');
}

/** The section for docs/benchmarks.md. */
export function formatMarkdown(report: BenchReport, command: string): string {
  const m = report.machine;
  const scaling = scalingRows(report);
  const s = report.subjects;
  return [
    `### ${report.scale === 0 ? 'Demo seed (scale 0)' : `Scale ${report.scale}`}`,
    '',
    `- Date: ${report.date.slice(0, 16).replace('T', ' ')} UTC`,
    `- Command: \`${command}\` (revision ${m.revision})`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (embedded)`,
    `- Data: ${report.dataLabel}; load: ${report.settings.connections} connections, ${report.settings.durationSeconds}s per operation and reference after ${report.settings.warmupSeconds}s warm-up (autocannon)`,
    `- Subjects: inbox of partner organisation ${s.partner.organizationId}, caseload of caseworker ${s.caseworker.userId}, comparison of district ${s.districtId} for ${s.period}, directory from AGS ${s.directory.ags} in ${s.directory.lang}; page sizes ${s.pageSizes.inbox}/${s.pageSizes.caseload}/${s.pageSizes.directory}`,
    '',
    markdownTable(TABLE_HEADER, tableRows(report)),
    '',
    ...interference(report).flatMap((line) => [line, '']),
    'rps: responses per second; errors: non-2xx, GraphQL errors, socket errors and timeouts; SQL/req: top-level statements of the three application roles per request sent (pg_stat_statements, BEGIN/COMMIT included, background jobs subtracted); ratio vs floor and vs peer: rps of the platform ÷ rps of the reference (targets ≥ 0.60 and ≥ 1.00 for operations 1–3); vs direct SQL: p50 of the platform ÷ p50 of the hand-written SQL (target ≤ 3).',
    '',
    'References, measured in the same run:',
    '',
    markdownTable(['operation', 'reference', 'rps', 'p50 ms', 'p99 ms', 'errors', 'SQL/req'], referenceRows(report)),
    '',
    'Resident memory (VmRSS) per process, idle after start and the maximum sampled while the bench ran:',
    '',
    markdownTable(['process', 'idle', 'max under load'], memoryRows(report)),
    ...(scaling.rows.length ? ['', 'SQL statements per request by page size (single requests, operations 1–3; target: flat):', '', markdownTable(scaling.header, scaling.rows)] : []),
    ...(report.statementsUnavailable ? ['', `SQL statements not counted: ${report.statementsUnavailable}`] : []),
    ...(report.notes.length ? ['', ...report.notes.map((note) => `Note: ${note}`)] : []),
    '',
    '<details><summary>The costliest statements of each operation (platform; calls per request, mean execution time under load)</summary>',
    '',
    statementDetails(report),
    '',
    '</details>',
  ].join('\n');
}

const RESULTS_HEADING = '## Results';

/**
 * Writes the section of this scale into the file, between its own markers: replaced if there, else added at the end
 * of the "## Results" section (created at the end of the file if missing). Other sections stay as they are.
 */
export function writeMarkdown(file: string, scale: number, section: string): void {
  const key = scale === 0 ? 'demo' : `scale-${scale}`;
  const start = `<!-- bench-results:${key}:start -->`;
  const end = `<!-- bench-results:${key}:end -->`;
  const block = `${start}\n${section}\n${end}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    text = text.slice(0, from) + block + text.slice(to + end.length);
  } else {
    const heading = text.search(new RegExp(`^${RESULTS_HEADING}\\s*$`, 'm'));
    if (heading < 0) {
      text = `${text.trimEnd()}\n\n${RESULTS_HEADING}\n\n${block}\n`;
    } else {
      const after = heading + RESULTS_HEADING.length;
      const next = text.slice(after).search(/^## /m);
      const insertAt = next < 0 ? text.length : after + next;
      text = `${text.slice(0, insertAt).trimEnd()}\n\n${block}\n${next < 0 ? '' : `\n${text.slice(insertAt)}`}`;
    }
  }
  fs.writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
