/**
 * Calendar arithmetic in German time without a time-zone database: the generator works in epoch milliseconds and
 * epoch days, and German summer time follows the EU rule (last Sunday of March 01:00 UTC to last Sunday of October
 * 01:00 UTC).
 */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Epoch day number of "YYYY-MM-DD". */
export function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY);
}

const dayStrings = new Map<number, string>();

/** "YYYY-MM-DD" of an epoch day number (cached: the generator formats the same days millions of times). */
export function dayString(dayNo: number): string {
  let day = dayStrings.get(dayNo);
  if (day === undefined) {
    day = new Date(dayNo * DAY).toISOString().slice(0, 10);
    dayStrings.set(dayNo, day);
  }
  return day;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** ISO 8601 in UTC with milliseconds, like Date.prototype.toISOString but without a Date (fast). */
export function isoInstant(ms: number): string {
  const whole = Math.floor(ms);
  const dayNo = Math.floor(whole / DAY);
  let rest = whole - dayNo * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / 1000);
  return `${dayString(dayNo)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}

/** Day of the week of an epoch day, 1 = Monday ... 7 = Sunday (ISO). */
export function weekday(dayNo: number): number {
  return ((dayNo + 3) % 7 + 7) % 7 + 1;
}

const dstCache = new Map<number, [number, number]>();

/** The instants (UTC ms) when summer time starts and ends in a year. */
function summerTime(year: number): [number, number] {
  let cached = dstCache.get(year);
  if (!cached) {
    const lastSunday = (month: number) => {
      const last = Date.UTC(year, month + 1, 0);
      const dow = new Date(last).getUTCDay();
      return last - dow * DAY;
    };
    cached = [lastSunday(2) + HOUR, lastSunday(9) + HOUR];
    dstCache.set(year, cached);
  }
  return cached;
}

/** Offset of German time from UTC at an instant, in ms (1 h in winter, 2 h in summer). */
export function berlinOffset(ms: number): number {
  const [start, end] = summerTime(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? 2 * HOUR : HOUR;
}

/** The instant of a wall-clock time in Germany: epoch day plus minutes after midnight. */
export function berlinInstant(dayNo: number, minuteOfDay: number): number {
  const naive = dayNo * DAY + minuteOfDay * MINUTE;
  return naive - berlinOffset(naive - HOUR);
}

/** The German calendar day (epoch day number) of an instant. */
export function berlinDayNo(ms: number): number {
  return Math.floor((ms + berlinOffset(ms)) / DAY);
}

/** The German calendar day ("YYYY-MM-DD") of an instant. */
export function berlinDay(ms: number): string {
  return dayString(berlinDayNo(ms));
}

/** "YYYY-MM-DD" plus a number of months, clamped to the month's last day (as the services compute it). */
export function addMonthsDay(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The next working day (Monday to Friday) on or after an epoch day. */
export function workingDayOnOrAfter(dayNo: number): number {
  const dow = weekday(dayNo);
  return dow === 6 ? dayNo + 2 : dow === 7 ? dayNo + 1 : dayNo;
}
