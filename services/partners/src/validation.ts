import { invalidInput } from '@integration-graph/common';

export { requireLanguageCodes, requireOrderedDates } from '@integration-graph/common';

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
