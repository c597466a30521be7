const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'name', 'msg']);

/** One log line of a child process for people: "[cases]     info  message {extra}". JSON stays intact otherwise. */
export function formatLine(process: string, line: string): string {
  const label = `[${process}]`.padEnd(12);
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const extra = Object.fromEntries(Object.entries(entry).filter(([key]) => !HIDDEN.has(key)));
    const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
    return `${label} ${level} ${String(entry.msg ?? '').replace(/\s*\n\s*/g, ' ')}${Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : ''}`;
  } catch {
    return `${label} ${line}`;
  }
}
