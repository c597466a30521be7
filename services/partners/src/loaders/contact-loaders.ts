import { groupByKeys, isCooperationMember, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { ContactPoint, ContactVisibility } from '../entities/contact-point';
import { Location } from '../entities/location';
import { OpeningHours } from '../entities/opening-hours';

/**
 * How to reach an organisation: contact points, locations with opening hours, and the municipalities it serves.
 * Each loader costs one SELECT per request however many organisations (or locations) ask.
 */

/**
 * Contact points of each organisation in their set order. Public callers and municipal apps get PUBLIC ones only,
 * people who work in the cooperation INTERNAL ones too; row-level security filters the same again (contact_points_read).
 */
export const contactPointsByOrganization: LoaderFactory<string, ContactPoint[]> = (context) =>
  new DataLoader(async (organizationIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(ContactPoint, {
      where: { organizationId: In(organizationIds.filter(isUuid)), ...(isCooperationMember(context.principal) ? {} : { visibility: ContactVisibility.PUBLIC }) },
      order: { position: 'ASC', id: 'ASC' },
    });
    return groupByKeys(organizationIds, rows, (row) => row.organizationId);
  });

/** Locations of each organisation, by city, then street. */
export const locationsByOrganization: LoaderFactory<string, Location[]> = (context) =>
  new DataLoader(async (organizationIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Location, {
      where: { organizationId: In(organizationIds.filter(isUuid)) },
      order: { city: 'ASC', street: 'ASC', id: 'ASC' },
    });
    return groupByKeys(organizationIds, rows, (row) => row.organizationId);
  });

/** Opening hours of each location, Monday first, then by opening time; times as "HH:MM". */
export const openingHoursByLocation: LoaderFactory<string, OpeningHours[]> = (context) =>
  new DataLoader(async (locationIds) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(OpeningHours, {
      where: { locationId: In(locationIds.filter(isUuid)) },
      order: { weekday: 'ASC', opens: 'ASC', id: 'ASC' },
    });
    for (const row of rows) {
      // PostgreSQL returns time as "09:00:00"; the API speaks "HH:MM".
      row.opens = row.opens.slice(0, 5);
      row.closes = row.closes.slice(0, 5);
    }
    return groupByKeys(locationIds, rows, (row) => row.locationId);
  });

/** Ids of the municipalities each organisation serves (organization_service_areas). */
export const serviceAreaByOrganization: LoaderFactory<string, string[]> = (context) =>
  new DataLoader(async (organizationIds) => {
    const manager = await context.tx.manager();
    const rows: { organization_id: string; municipality_id: string }[] = await manager.query(
      `SELECT organization_id, municipality_id FROM organization_service_areas WHERE organization_id = ANY($1::uuid[])`,
      [organizationIds.filter(isUuid)],
    );
    return groupByKeys(organizationIds, rows, (row) => row.organization_id).map((group) => group.map((row) => row.municipality_id));
  });
