import { invalidInput } from '@integration-graph/common';

const ISO_639 = /^[a-z]{2,3}$/;

/** Language codes of people and courses: ISO 639-1, or ISO 639-3 where 639-1 has none (e.g. "prs" for Dari). */
export function requireLanguageCodes(field: string, codes: string[]): string[] {
  const invalid = codes.filter((code) => !ISO_639.test(code));
  if (invalid.length) throw invalidInput(field, 'isIso639', `${invalid.map((c) => `"${c}"`).join(', ')} are not ISO 639 language codes (e.g. "de", "uk", "prs")`);
  return [...new Set(codes)];
}

/** A date range that ends on or after its start. */
export function requireOrderedDates(field: string, start: string | null | undefined, end: string | null | undefined): void {
  if (start && end && end < start) throw invalidInput(field, 'endAfterStart', `${end} is before the start ${start}`);
}

const DECIMAL_PARTS = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * An exact, non-negative decimal with at most two decimal places (euro and cent, full-time equivalents), as the
 * Decimal scalar delivers it (a string). Returns it with exactly two decimal places, e.g. "70851.5" -> "70851.50".
 * Rules: `min` (negative), `maxDecimalPlaces` (e.g. "1.005"), `max` (more integer digits than the column holds).
 */
export function requireExactDecimal(field: string, value: string, integerDigits: number): string {
  const parts = DECIMAL_PARTS.exec(value);
  if (!parts) throw invalidInput(field, 'isDecimal', `"${value}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = parts;
  if (sign) throw invalidInput(field, 'min', `must not be negative; got ${value}`);
  if (fraction.length > 2) throw invalidInput(field, 'maxDecimalPlaces', `at most two decimal places; got ${value}`);
  const digits = whole.replace(/^0+(?=\d)/, '');
  if (digits.length > integerDigits) throw invalidInput(field, 'max', `at most ${integerDigits} digits before the decimal point; got ${value}`);
  return `${digits}.${fraction.padEnd(2, '0')}`;
}
