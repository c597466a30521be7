import { invalidInput } from '@integration-graph/common';
import { isISO31661Alpha2 } from 'class-validator';

export { addMonths, requireLanguageCodes, requireNotInFuture, requireOrderedDates, todayInGermany } from '@integration-graph/common';

/** Countries: ISO 3166-1 alpha-2, upper case ("SY", "AF", "UA"). */
export function requireCountryCodes(field: string, codes: string[]): string[] {
  const invalid = codes.filter((code) => !isISO31661Alpha2(code) || code !== code.toUpperCase());
  if (invalid.length) throw invalidInput(field, 'isIso3166Alpha2', `${invalid.map((c) => `"${c}"`).join(', ')} are not ISO 3166-1 alpha-2 country codes (e.g. "SY", "UA")`);
  return [...new Set(codes)];
}
