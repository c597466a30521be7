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

/** The district and its municipalities from the shared AGS list (../shared/data). */
export function readOrtenaukreis(file = path.join(sharedDataDir(), 'ortenaukreis-municipalities.csv')): MunicipalityRow[] {
  if (!fs.existsSync(file)) {
    throw new Error(`Reference data not found at ${file}: set SHARED_DATA_DIR to the folder with ortenaukreis-municipalities.csv`);
  }
  const rows = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as MunicipalityRow[];
  return rows.filter((row) => row.ags.startsWith(ORTENAUKREIS_AGS));
}

/** Idempotent: inserts what is missing, never overwrites what users changed. */
export async function seedOrganizations(manager: EntityManager, logger: Logger): Promise<void> {
  const districtId = organizationIdForAgs(ORTENAUKREIS_AGS);
  const places = readOrtenaukreis();
  const rows: [string, string, string, string | null, string | null][] = places.map((place) =>
    place.ags === ORTENAUKREIS_AGS
      ? [districtId, place.name, OrganizationKind.DISTRICT, place.ags, null]
      : [organizationIdForAgs(place.ags), place.name, OrganizationKind.MUNICIPALITY, place.ags, districtId],
  );
  // District first: municipalities refer to it.
  rows.sort((a, b) => (a[4] === null ? -1 : 0) - (b[4] === null ? -1 : 0));
  for (const org of Object.values(DEMO_ORGANIZATIONS)) {
    if (!rows.some((row) => row[0] === org.id)) rows.push([org.id, org.name, org.kind, null, null]);
  }
  let inserted = 0;
  for (const row of rows) {
    const result = await manager.query(
      `INSERT INTO organizations (id, name, kind, official_municipality_key, parent_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      row,
    );
    inserted += result.length;
  }
  logger.info({ inserted, total: rows.length }, 'partners demo data');
}
