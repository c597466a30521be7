import fs from 'node:fs';
import { MEMORY_GROWTH_LIMIT, SoakReport } from './soak';

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const count = (n: number) => n.toLocaleString('en');
const percent = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)} %`;
const WRITES: Record<string, string> = { 'record-consultation': 'consultations recorded', 'send-referral': 'referrals sent', 'update-plan': 'plan updates' };

function errorsLine(report: SoakReport): string {
  const entries = Object.entries(report.errorsByCode).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([code, n]) => `${code} ${count(n)}`).join(', ') : 'none';
}

/** The console summary. */
export function formatSoakText(report: SoakReport): string {
  const lines = [
    `Soak ${report.passed ? 'PASSED' : 'FAILED'}: ${count(report.requests)} requests in ${report.elapsedSeconds.toFixed(0)} s (${report.rps.toFixed(1)}/s) at ${report.settings.connections} connections, ${report.dataLabel}`,
    `  5xx: ${report.status5xx}; other errors: ${errorsLine(report)}`,
    ...Object.entries(report.sampleErrors).map(([code, sample]) => `    first ${code}: ${sample}`),
    `  writes: ${Object.keys(WRITES).map((key) => `${WRITES[key]} ${count(report.writes.acknowledged[key] ?? 0)} acknowledged, ${count(report.writes.readBack[key] ?? 0)} read back`).join('; ')}; lost ${report.writes.lost}` +
      (report.writes.unknownOutcome ? `; ${report.writes.unknownOutcome} without an answer` : ''),
    ...report.writes.lostSamples.map((sample) => `    lost: ${sample}`),
    `  memory (VmRSS, first minute -> last minute): ${report.memory.map((m) => `${m.process} ${mb(m.firstMinuteMeanBytes)} -> ${mb(m.lastMinuteMeanBytes)} (${percent(m.growth)})`).join(', ')}; ${report.memoryFlat ? 'flat' : 'GROWING'}`,
    `  per operation: ${Object.entries(report.operations).map(([key, op]) => `${key} ${count(op.requests)} (p50 ${op.p50Ms} ms, p99 ${op.p99Ms} ms, ${op.errors} errors)`).join('; ')}`,
    `  load average before ${report.loadBefore}, after ${report.loadAfter}`,
  ];
  return lines.join('\n');
}

/** The section of docs/operations.md between the soak markers. */
export function formatSoakMarkdown(report: SoakReport, command: string): string {
  const m = report.machine;
  const rows = [
    `| requests | ${count(report.requests)} in ${report.elapsedSeconds.toFixed(0)} s (${report.rps.toFixed(1)}/s) |`,
    `| HTTP 5xx | ${report.status5xx} |`,
    `| other errors by code | ${errorsLine(report)} |`,
    ...Object.keys(WRITES).map(
      (key) => `| ${WRITES[key]}: acknowledged / read back | ${count(report.writes.acknowledged[key] ?? 0)} / ${count(report.writes.readBack[key] ?? 0)} |`,
    ),
    `| lost writes | ${report.writes.lost}${report.writes.unknownOutcome ? ` (${report.writes.unknownOutcome} writes got no answer: not acknowledged, not counted)` : ''} |`,
    `| memory | ${report.memoryFlat ? `flat: every process less than ${MEMORY_GROWTH_LIMIT * 100} % above its first minute` : `GROWING: a process more than ${MEMORY_GROWTH_LIMIT * 100} % above its first minute`} |`,
  ];
  const memory = report.memory.map((p) => `| ${p.process} | ${mb(p.firstMinuteMeanBytes)} | ${mb(p.lastMinuteMeanBytes)} | ${percent(p.growth)} | ${mb(p.maxBytes)} |`);
  const operations = Object.entries(report.operations).map(([key, op]) => `| ${key} | ${count(op.requests)} | ${op.errors} | ${op.p50Ms} | ${op.p99Ms} |`);
  return [
    `**${report.passed ? 'Passed' : 'Failed'}.** \`${command}\` on ${report.date.slice(0, 16).replace('T', ' ')} UTC, revision ${m.revision}: ` +
      `${report.settings.durationSeconds} s after a ${report.settings.warmupSeconds} s warm-up at ${report.settings.connections} connections, ${report.dataLabel}.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (embedded). ` +
      `Load average (1, 5, 15 min) before ${report.loadBefore}, after ${report.loadAfter}` +
      (Math.max(Number(report.loadBefore.split(' ')[0]), Number(report.loadAfter.split(' ')[0])) > m.cores / 2 ? ' — the machine was shared with other work, so the throughput is low; the pass criteria do not depend on it.' : '.'),
    '',
    '| | |',
    '| --- | --- |',
    ...rows,
    '',
    '| process | VmRSS, first minute (mean) | last minute (mean) | growth | largest |',
    '| --- | --- | --- | --- | --- |',
    ...memory,
    '',
    '| operation | requests | errors | p50 ms | p99 ms |',
    '| --- | --- | --- | --- | --- |',
    ...operations,
  ].join('\n');
}

const START = '<!-- soak-result:start -->';
const END = '<!-- soak-result:end -->';
const HEADING = '## Soak test';

/**
 * Writes the result between the soak markers of the file (docs/operations.md), keeping everything else; without
 * markers, at the end of the "Soak test" section, or in a new section at the end.
 */
export function writeSoakMarkdown(file: string, section: string): void {
  const block = `${START}\n${section}\n${END}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Operations\n';
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from >= 0 && to > from) {
    text = text.slice(0, from) + block + text.slice(to + END.length);
  } else {
    const heading = text.search(new RegExp(`^${HEADING}\\s*$`, 'm'));
    if (heading < 0) {
      text = `${text.trimEnd()}\n\n${HEADING}\n\n${block}\n`;
    } else {
      const after = heading + HEADING.length;
      const next = text.slice(after).search(/^## /m);
      const insertAt = next < 0 ? text.length : after + next;
      text = `${text.slice(0, insertAt).trimEnd()}\n\n${block}\n${next < 0 ? '' : `\n${text.slice(insertAt)}`}`;
    }
  }
  fs.writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
