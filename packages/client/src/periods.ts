/**
 * Reporting periods of the cooperation meetings: a tertial ("2026-T3": September to December) or a year ("2026").
 * The same rules as the server's (packages/common/src/period.ts), for picking a period in an app.
 */
const PATTERN = /^(\d{4})(?:-T([1-3]))?$/;

export function isPeriod(label: string): boolean {
  return PATTERN.test(label);
}

/** The tertial a day falls in (default today, in the caller's time zone). */
export function tertialOf(day: Date = new Date()): string {
  return `${day.getFullYear()}-T${Math.floor(day.getMonth() / 4) + 1}`;
}

/** The periods before this one, nearest first: tertials step by tertial, years by year. */
export function previousPeriods(label: string, count: number): string[] {
  const match = PATTERN.exec(label);
  if (!match) throw new Error(`"${label}" is not a period: use a tertial like "2026-T3" or a year like "2026"`);
  let year = Number(match[1]);
  let tertial = match[2] ? Number(match[2]) : 0;
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    if (tertial === 0) year -= 1;
    else if (tertial === 1) {
      year -= 1;
      tertial = 3;
    } else tertial -= 1;
    result.push(tertial === 0 ? String(year) : `${year}-T${tertial}`);
  }
  return result;
}

/** The current tertial and the ones before it, newest first, then the current and last year: choices for a picker. */
export function recentPeriods(count = 6, today: Date = new Date()): string[] {
  const current = tertialOf(today);
  const year = today.getFullYear();
  return [current, ...previousPeriods(current, count - 1), String(year), String(year - 1)];
}
