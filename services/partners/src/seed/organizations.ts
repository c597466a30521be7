import fs from 'node:fs';
import path from 'node:path';
import { DEMO_ORGANIZATIONS, Logger, ORTENAUKREIS_AGS, organizationIdForAgs, sharedDataDir } from '@integration-graph/common';
import { parse } from 'csv-parse/sync';
import { EntityManager } from 'typeorm';
import { OrganizationKind } from '../entities/organization-kind';

interface MunicipalityRow {
  ags: string;
  name: string;
  type: string;
}

/**
 * Districts of the towns in ../shared/data that are not in the Ortenaukreis (named in the program's public reports):
 * the CSV lists their municipalities and names the district in its source notes.
 */
export const OTHER_DISTRICTS: Record<string, string> = {
  '08116': 'Landkreis Esslingen',
  '08117': 'Landkreis Göppingen',
  '08231': 'Stadtkreis Pforzheim',
};

/** Every place of the shared AGS list (../shared/data): districts and municipalities. */
export function readPlaces(file = path.join(sharedDataDir(), 'ortenaukreis-municipalities.csv')): MunicipalityRow[] {
  if (!fs.existsSync(file)) {
    throw new Error(`Reference data not found at ${file}: set SHARED_DATA_DIR to the folder with ortenaukreis-municipalities.csv`);
  }
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as MunicipalityRow[];
}

/** The Ortenaukreis and its municipalities. */
export function readOrtenaukreis(file?: string): MunicipalityRow[] {
  return readPlaces(file).filter((row) => row.ags.startsWith(ORTENAUKREIS_AGS));
}

type OrganizationRow = [id: string, name: string, kind: string, ags: string | null, parentId: string | null];

/**
 * The Ortenaukreis with its 51 municipalities, three more districts with the towns named in the program's
 * reports, and the demo partners. Idempotent: inserts what is missing, never overwrites what users changed.
 */
export async function seedOrganizations(manager: EntityManager, logger: Logger): Promise<void> {
  const places = readPlaces();
  const districts: OrganizationRow[] = [
    ...places.filter((p) => p.ags.length === 5).map((p): OrganizationRow => [organizationIdForAgs(p.ags), p.name, OrganizationKind.DISTRICT, p.ags, null]),
    ...Object.entries(OTHER_DISTRICTS).map(([ags, name]): OrganizationRow => [organizationIdForAgs(ags), name, OrganizationKind.DISTRICT, ags, null]),
  ];
  const municipalities = places
    .filter((p) => p.ags.length === 8)
    .map((p): OrganizationRow => [organizationIdForAgs(p.ags), p.name, OrganizationKind.MUNICIPALITY, p.ags, organizationIdForAgs(p.ags.slice(0, 5))]);
  const partners = Object.values(DEMO_ORGANIZATIONS)
    .filter((org) => ![...districts, ...municipalities].some((row) => row[0] === org.id))
    .map((org): OrganizationRow => [org.id, org.name, org.kind, null, null]);
  let inserted = 0;
  // Districts first: municipalities refer to them.
  for (const row of [...districts, ...municipalities, ...partners]) {
    const result = await manager.query(
      `INSERT INTO organizations (id, name, kind, official_municipality_key, parent_id, last_verified_at, last_verified_by)
       VALUES ($1, $2, $3, $4, $5, now(), 'seed') ON CONFLICT (id) DO NOTHING RETURNING id`,
      row,
    );
    inserted += result.length;
  }
  logger.info({ inserted, districts: districts.length, municipalities: municipalities.length }, 'partners demo organisations');
}
