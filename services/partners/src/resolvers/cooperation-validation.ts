import { invalidInput, isUuid, RequestContext, requireUuid } from '@integration-graph/common';
import { CooperationMeeting } from '../entities/cooperation-meeting';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { organizationById } from '../loaders/organization-loaders';
import { METRICS, MetricKey } from '../standards/metrics';
import { PeriodSeries, todayInGermany } from './internal-validation';

/** Rules of the cooperation meetings and standards (issue 6). */

/** Standards of a district for one metric: never two on the same day (exclusion constraint standards_no_overlap). */
export const STANDARD_PERIODS: PeriodSeries = {
  table: 'standards',
  keyColumn: 'district_id',
  constraint: 'standards_no_overlap',
  what: 'standard of this district for this metric',
};

/** A day plus some days ("2026-01-01" - 1 = "2025-12-31"); LocalDates are "YYYY-MM-DD". */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The same day some years later; 29 February becomes 1 March in a year that has none. */
export function addYears(day: string, years: number): string {
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  return new Date(Date.UTC(year + years, month - 1, dayOfMonth)).toISOString().slice(0, 10);
}

/** The organisation must be a district (Landkreis or Stadtkreis): rule `isDistrict`. */
export async function requireDistrict(context: RequestContext, field: string, id: string): Promise<Organization> {
  const organization = await context.loaders.get(organizationById).load(requireUuid(field, id));
  if (organization?.kind !== OrganizationKind.DISTRICT) {
    throw invalidInput(field, 'isDistrict', organization ? `${organization.name} is not a district but a ${organization.kind}` : `no district with id ${id}`);
  }
  return organization;
}

/** A meeting is recorded when it took place or is planned, at most a year ahead: rule `notMoreThanAYearAhead`. */
export function requireHeldOn(field: string, heldOn: string, today = todayInGermany()): string {
  const latest = addYears(today, 1);
  if (heldOn > latest) throw invalidInput(field, 'notMoreThanAYearAhead', `${heldOn} is more than a year ahead (latest ${latest})`);
  return heldOn;
}

/** Participants are organisations of the directory (rules `isUuid`, `exists`); duplicates count once. */
export async function requireParticipants(context: RequestContext, field: string, ids: string[]): Promise<string[]> {
  const malformed = ids.filter((id) => !isUuid(id));
  if (malformed.length) throw invalidInput(field, 'isUuid', `${malformed.map((id) => `"${id}"`).join(', ')} are not UUIDs`);
  const unique = [...new Set(ids)];
  const found = await context.loaders.get(organizationById).loadMany(unique);
  const missing = unique.filter((_id, index) => !(found[index] instanceof Organization));
  if (missing.length) throw invalidInput(field, 'exists', `no organisation with id ${missing.join(', ')}`);
  return unique;
}

/** The meeting a standard is adopted at: of the same district (`sameDistrict`), held on or before validFrom (`notBeforeMeeting`). */
export function requireAdoptingMeeting(meeting: CooperationMeeting | null, districtId: string, validFrom: string, meetingId: string): CooperationMeeting {
  if (!meeting) throw invalidInput('input.meetingId', 'exists', `no cooperation meeting with id ${meetingId}`);
  if (meeting.districtId !== districtId) {
    throw invalidInput('input.meetingId', 'sameDistrict', `the meeting of ${meeting.heldOn} belongs to another district`);
  }
  if (meeting.heldOn > validFrom) {
    throw invalidInput('input.validFrom', 'notBeforeMeeting', `a standard adopted at the meeting of ${meeting.heldOn} cannot apply from ${validFrom}, before it was adopted`);
  }
  return meeting;
}

const DECIMAL_PLACES = 4;
/** numeric(12, 4): less than 10^8. */
const MAX_TARGET = 1e8;

/**
 * The target must fit the metric's kind: shares and rates between 0 and 1 (rule `isShare`), counts, days and ratios
 * not negative (rule `min`); at most 4 decimal places (`maxDecimalPlaces`) and less than 10^8 (`max`), as stored.
 */
export function requireTarget(field: string, metric: MetricKey, target: number): number {
  const { kind } = METRICS[metric];
  if (kind === 'share') {
    if (target < 0 || target > 1) throw invalidInput(field, 'isShare', `${metric.toUpperCase()} is a share: the target is between 0 and 1 (0.9 = 90 %); got ${target}`);
  } else if (target < 0) {
    throw invalidInput(field, 'min', `${metric.toUpperCase()} is a ${kind === 'days' ? 'number of days' : kind}: the target must not be negative; got ${target}`);
  }
  if (target >= MAX_TARGET) throw invalidInput(field, 'max', `the target must be less than ${MAX_TARGET}; got ${target}`);
  const scaled = target * 10 ** DECIMAL_PLACES;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) throw invalidInput(field, 'maxDecimalPlaces', `at most ${DECIMAL_PLACES} decimal places; got ${target}`);
  return target;
}

/** Trims free texts; blank optional texts are stored as null. */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
