import { byKeys, groupByKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { AccommodationSite } from '../entities/accommodation-site';
import { Location } from '../entities/location';
import { Offering } from '../entities/offering';
import { Organization } from '../entities/organization';
import { OrganizationKind } from '../entities/organization-kind';
import { TaxonomyTerm } from '../entities/taxonomy-term';

export const taxonomyTermById: LoaderFactory<string, TaxonomyTerm | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(TaxonomyTerm, { where: { id: In([...ids]) } }), (row) => row.id);
  });

export const offeringById: LoaderFactory<string, Offering | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(Offering, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

export const locationById: LoaderFactory<string, Location | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(Location, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });

/** Municipality organisations by AGS (8 digits). */
export const municipalityByAgs: LoaderFactory<string, Organization | null> = (context) =>
  new DataLoader(async (keys) => {
    const manager = await context.tx.manager();
    const rows = await manager.find(Organization, { where: { officialMunicipalityKey: In([...keys]), kind: OrganizationKind.MUNICIPALITY } });
    return byKeys(keys, rows, (row) => row.officialMunicipalityKey!);
  });

/** Life-area term ids of each offering, in taxonomy order. */
export const lifeAreaIdsByOfferingId: LoaderFactory<string, string[]> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows: { offering_id: string; life_area_id: string }[] = await manager.query(
      `SELECT a.offering_id, a.life_area_id FROM offering_life_areas a JOIN taxonomy_terms t ON t.id = a.life_area_id
        WHERE a.offering_id = ANY($1::uuid[]) ORDER BY t.position, t.id`,
      [ids.filter(isUuid)],
    );
    return groupByKeys(ids, rows, (row) => row.offering_id).map((group) => group.map((row) => row.life_area_id));
  });

/** Municipality ids each offering explicitly serves (besides the municipality of its location). */
export const serviceAreaByOfferingId: LoaderFactory<string, string[]> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    const rows: { offering_id: string; municipality_id: string }[] = await manager.query(
      `SELECT offering_id, municipality_id FROM offering_service_areas WHERE offering_id = ANY($1::uuid[])`,
      [ids.filter(isUuid)],
    );
    return groupByKeys(ids, rows, (row) => row.offering_id).map((group) => group.map((row) => row.municipality_id));
  });

/** Follow-up accommodation sites by id; row-level security shows them to people who work in the cooperation only. */
export const accommodationSiteById: LoaderFactory<string, AccommodationSite | null> = (context) =>
  new DataLoader(async (ids) => {
    const manager = await context.tx.manager();
    return byKeys(ids, await manager.find(AccommodationSite, { where: { id: In(ids.filter(isUuid)) } }), (row) => row.id);
  });
