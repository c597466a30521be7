import { invalidInput, RequestContext, requireUuid, todayInGermany } from '@integration-graph/common';
import { EntityManager, ObjectLiteral, QueryFailedError } from 'typeorm';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { organizationById } from '../loaders/organization-loaders';

export { todayInGermany };

/**
 * Rules shared by the mutations on integration management responsibility (Zuständigkeit), staffing (Stellen),
 * funding (Förderung) and follow-up accommodation (Anschlussunterbringung).
 */

/** An organisation the input refers to; BAD_USER_INPUT (rule `exists`) when there is none. */
export async function requireOrganization(context: RequestContext, field: string, id: string): Promise<Organization> {
  const organization = await context.loaders.get(organizationById).load(requireUuid(field, id));
  if (!organization) throw invalidInput(field, 'exists', `no organisation with id ${id}`);
  return organization;
}

/** The organisation must be a municipality (Stadt or Gemeinde): rule `isMunicipality`. */
export async function requireMunicipalityOrganization(context: RequestContext, field: string, id: string): Promise<Organization> {
  const organization = await context.loaders.get(organizationById).load(requireUuid(field, id));
  if (organization?.kind !== OrganizationKind.MUNICIPALITY) {
    throw invalidInput(field, 'isMunicipality', organization ? `${organization.name} is not a municipality but a ${organization.kind}` : `no municipality with id ${id}`);
  }
  return organization;
}

/** Whether a period (last day inclusive, open-ended when null) contains the day. LocalDates compare as strings. */
export function periodContains(period: { validFrom: string; validUntil: string | null }, day: string): boolean {
  return period.validFrom <= day && (period.validUntil === null || day <= period.validUntil);
}

/** A series of periods that must not overlap, guarded in PostgreSQL by an exclusion constraint. */
export interface PeriodSeries {
  table: string;
  /** Column the periods belong to (one series per municipality or provider). */
  keyColumn: string;
  /** The exclusion constraint (SQLSTATE 23P01 when violated). */
  constraint: string;
  /** What one period is, for messages. */
  what: string;
}

export const RESPONSIBILITY_PERIODS: PeriodSeries = {
  table: 'integration_management_responsibilities',
  keyColumn: 'municipality_id',
  constraint: 'responsibilities_no_overlap',
  what: 'responsibility for integration management of this municipality',
};

export const STAFFING_PERIODS: PeriodSeries = {
  table: 'staffing_positions',
  keyColumn: 'provider_organization_id',
  constraint: 'staffing_no_overlap',
  what: 'staffing figure of this provider',
};

/** Turns a violated exclusion constraint of the series into BAD_USER_INPUT with rule `noOverlap`; rethrows anything else. */
export function refuseOverlap(error: unknown, series: PeriodSeries, field: string): never {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  if (driverError?.code === '23P01' && driverError.constraint === series.constraint) {
    throw invalidInput(field, 'noOverlap', `the period overlaps another ${series.what}; end that one first or choose other dates`);
  }
  throw error;
}

/**
 * Starts a new period of the series: the open-ended period that began before it ends the day before (so a new
 * assignment replaces the current one), then the new row is saved. Any remaining overlap is refused (`noOverlap`).
 */
export async function startPeriod<E extends ObjectLiteral & { validFrom: string }>(
  manager: EntityManager,
  series: PeriodSeries,
  key: string,
  row: E,
): Promise<E> {
  await manager.query(
    `UPDATE ${series.table} SET valid_until = $2::date - 1, version = version + 1, updated_at = now()
      WHERE ${series.keyColumn} = $1 AND valid_until IS NULL AND valid_from < $2::date`,
    [key, row.validFrom],
  );
  return manager.save(row).catch((error: unknown) => refuseOverlap(error, series, 'input.validFrom'));
}
