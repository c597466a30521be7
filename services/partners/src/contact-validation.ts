import { invalidInput } from '@integration-graph/common';
import { arrayUnique, isEmail, isPostalCode, isURL, matches, max, maxLength, min } from 'class-validator';
import { ContactKind } from './entities/contact-point';

/**
 * Validation of directory entries (contact points, locations, opening hours). Each rule throws invalidInput naming
 * the input field (e.g. "input.value") and the rule (e.g. "isEmail"), so a form can show the message next to the
 * field. Checks from class-validator where it has one, the platform's own rules otherwise.
 */

export const MAX_CONTACT_VALUE_LENGTH = 500;
export const MAX_LABEL_LENGTH = 100;
export const MAX_ADDRESS_PART_LENGTH = 200;

/** Digits, spaces, "+" (leading), "-", "/" and parentheses: "+49 781 805-0", "0781 805-0", "(0781) 805 0". */
const PHONE_CHARACTERS = /^\+?[0-9 ()/-]+$/;
const MIN_PHONE_DIGITS = 6;
/** Local time "HH:MM", 00:00 to 23:59. */
const TIME_OF_DAY = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** A non-empty text of limited length, trimmed. */
export function requireText(field: string, value: string, maxChars: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw invalidInput(field, 'isNotEmpty', 'must not be empty');
  if (!maxLength(trimmed, maxChars)) throw invalidInput(field, 'maxLength', `at most ${maxChars} characters`);
  return trimmed;
}

/** An optional text: null or blank clears it, undefined leaves it as it is. */
export function optionalText(field: string, value: string | null | undefined, maxChars: number): string | null | undefined {
  if (value === undefined || value === null) return value;
  return value.trim() ? requireText(field, value, maxChars) : null;
}

/**
 * The value of a contact point, checked against its kind: an e-mail address, a German or international phone
 * number, or an http(s) URL.
 */
export function requireContactValue(field: string, kind: ContactKind, value: string): string {
  const trimmed = requireText(field, value, MAX_CONTACT_VALUE_LENGTH);
  switch (kind) {
    case ContactKind.EMAIL:
      if (!isEmail(trimmed)) throw invalidInput(field, 'isEmail', `"${trimmed}" is not an e-mail address (e.g. "beratung@example.org")`);
      break;
    case ContactKind.PHONE:
      if (!matches(trimmed, PHONE_CHARACTERS) || trimmed.replace(/[^0-9]/g, '').length < MIN_PHONE_DIGITS) {
        throw invalidInput(
          field,
          'isPhoneNumber',
          `"${trimmed}" is not a phone number: digits, spaces, a leading +, - / ( ) and at least ${MIN_PHONE_DIGITS} digits (e.g. "+49 781 805-0" or "0781 805-0")`,
        );
      }
      break;
    case ContactKind.WEBSITE:
      if (!isURL(trimmed, { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true })) {
        throw invalidInput(field, 'isUrl', `"${trimmed}" is not a web address starting with https:// or http://`);
      }
      break;
  }
  return trimmed;
}

/** Postleitzahl: five digits. */
export function requirePostalCode(field: string, value: string): string {
  const trimmed = value.trim();
  if (!isPostalCode(trimmed, 'DE')) throw invalidInput(field, 'isPostalCode', `"${value}" is not a German postal code (5 digits, e.g. "77652")`);
  return trimmed;
}

/** WGS 84 coordinates: latitude -90 to 90, longitude -180 to 180, given together or not at all. */
export function requireCoordinates(field: string, latitude: number | null, longitude: number | null): void {
  if ((latitude === null) !== (longitude === null)) {
    throw invalidInput(`${field}.${latitude === null ? 'latitude' : 'longitude'}`, 'bothCoordinates', 'give latitude and longitude together');
  }
  if (latitude !== null && !(min(latitude, -90) && max(latitude, 90))) {
    throw invalidInput(`${field}.latitude`, 'isLatitude', `${latitude} is not a latitude (-90 to 90)`);
  }
  if (longitude !== null && !(min(longitude, -180) && max(longitude, 180))) {
    throw invalidInput(`${field}.longitude`, 'isLongitude', `${longitude} is not a longitude (-180 to 180)`);
  }
}

export interface OpeningHoursSpan {
  weekday: number;
  opens: string;
  closes: string;
}

/** Opening hours: ISO weekday 1 (Monday) to 7 (Sunday), "HH:MM" times, closes after opens, no overlaps on a day. */
export function requireOpeningHours(field: string, spans: OpeningHoursSpan[]): OpeningHoursSpan[] {
  spans.forEach((span, index) => {
    const at = `${field}.${index}`;
    if (!Number.isInteger(span.weekday) || !min(span.weekday, 1) || !max(span.weekday, 7)) {
      throw invalidInput(`${at}.weekday`, 'isWeekday', `${span.weekday} is not a weekday (1 = Monday ... 7 = Sunday)`);
    }
    for (const time of ['opens', 'closes'] as const) {
      if (!matches(span[time], TIME_OF_DAY)) throw invalidInput(`${at}.${time}`, 'isTime', `"${span[time]}" is not a time "HH:MM" (e.g. "09:00")`);
    }
    if (span.closes <= span.opens) throw invalidInput(`${at}.closes`, 'closesAfterOpens', `closes at ${span.closes}, not after it opens at ${span.opens}`);
    const overlapping = spans.findIndex((other, j) => j < index && other.weekday === span.weekday && other.opens < span.closes && span.opens < other.closes);
    if (overlapping >= 0) throw invalidInput(`${at}.opens`, 'noOverlap', `overlaps ${field}.${overlapping} on weekday ${span.weekday}`);
  });
  return spans;
}

/** A list of identifiers without repetitions. */
export function requireUniqueIds(field: string, ids: string[]): string[] {
  if (!arrayUnique(ids)) throw invalidInput(field, 'arrayUnique', 'lists an id more than once');
  return ids;
}
