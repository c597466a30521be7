import { invalidInput } from './errors';

const ISO_639 = /^[a-z]{2,3}$/;

/** Languages: ISO 639-1, or ISO 639-3 where 639-1 has none (e.g. "prs" for Dari, "kmr" for Kurmanji). */
export function requireLanguageCodes(field: string, codes: string[]): string[] {
  const invalid = codes.filter((code) => !ISO_639.test(code));
  if (invalid.length) throw invalidInput(field, 'isIso639', `${invalid.map((c) => `"${c}"`).join(', ')} are not ISO 639 language codes (e.g. "ar", "uk", "prs")`);
  return [...new Set(codes)];
}

/** Today in Germany ("2026-11-23"): calendar days of the program are German days. */
export function todayInGermany(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now);
}

/** A calendar day not after today (dates of birth, arrival, consent given). */
export function requireNotInFuture(field: string, day: string | null | undefined, today = todayInGermany()): void {
  if (day && day > today) throw invalidInput(field, 'notInFuture', `${day} is in the future`);
}

/** A range that ends on or after its start. */
export function requireOrderedDates(field: string, start: string | null | undefined, end: string | null | undefined): void {
  if (start && end && end < start) throw invalidInput(field, 'endAfterStart', `${end} is before the start ${start}`);
}

/** Adds calendar months to a day ("2024-03-04" + 36 -> "2027-03-04"; the 31st becomes the month's last day). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}
