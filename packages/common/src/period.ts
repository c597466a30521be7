import { invalidInput } from './errors';

/**
 * Reporting periods of the cooperation: the district meets three times a year, so a period is a tertial
 * ("2026-T1" = January to April, "T2" = May to August, "T3" = September to December) or a whole year ("2026").
 */
export interface Period {
  label: string;
  /** First day, "YYYY-MM-DD". */
  start: string;
  /** First day after the period, "YYYY-MM-DD" (exclusive end). */
  end: string;
}

const PATTERN = /^(\d{4})(?:-T([1-3]))?$/;

function day(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** Parses a period label; BAD_USER_INPUT naming `field` and the rule `isPeriod` otherwise. */
export function parsePeriod(label: string, field = 'period'): Period {
  const match = PATTERN.exec(label);
  if (!match) throw invalidInput(field, 'isPeriod', `"${label}" is not a period: use a tertial like "2026-T3" or a year like "2026"`);
  const year = Number(match[1]);
  if (!match[2]) return { label, start: day(year, 1), end: day(year + 1, 1) };
  const tertial = Number(match[2]);
  const startMonth = 1 + (tertial - 1) * 4;
  return { label, start: day(year, startMonth), end: tertial === 3 ? day(year + 1, 1) : day(year, startMonth + 4) };
}

/** The periods before this one, nearest first: tertials step by tertial, years by year. */
export function previousPeriods(label: string, count: number): Period[] {
  const match = PATTERN.exec(label);
  if (!match) return [];
  const result: Period[] = [];
  let year = Number(match[1]);
  let tertial = match[2] ? Number(match[2]) : 0;
  for (let i = 0; i < count; i++) {
    if (tertial === 0) year -= 1;
    else if (tertial === 1) {
      year -= 1;
      tertial = 3;
    } else tertial -= 1;
    result.push(parsePeriod(tertial === 0 ? String(year) : `${year}-T${tertial}`));
  }
  return result;
}

/** The tertial a day falls in. */
export function tertialOf(dayLabel: string): Period {
  const [year, month] = dayLabel.split('-').map(Number);
  return parsePeriod(`${year}-T${Math.floor((month - 1) / 4) + 1}`);
}
