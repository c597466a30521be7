import fs from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '@integration-graph/common';

export interface Place {
  ags: string;
  name: string;
  type: string;
  population: number | null;
}

/** Splits one CSV line (RFC 4180: fields in double quotes may hold commas and doubled quotes). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * The real places of the Ortenaukreis (the district and its 51 municipalities) from the shared reference data
 * (../shared/data/ortenaukreis-municipalities.csv, read at run time, never copied).
 */
export function readOrtenaukreisPlaces(dataDir = sharedDataDir()): { district: Place; municipalities: Place[] } {
  const file = path.join(dataDir, 'ortenaukreis-municipalities.csv');
  if (!fs.existsSync(file)) {
    throw new Error(`Reference data not found at ${file}: set SHARED_DATA_DIR to the folder with ortenaukreis-municipalities.csv`);
  }
  const [header, ...lines] = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim());
  const columns = splitCsvLine(header);
  const index = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column "${name}"`);
    return i;
  };
  const [ags, name, type, population] = ['ags', 'name', 'type', 'population'].map(index);
  const places = lines.map((line) => {
    const fields = splitCsvLine(line);
    const inhabitants = Number(fields[population]);
    return { ags: fields[ags], name: fields[name], type: fields[type], population: fields[population] && Number.isFinite(inhabitants) ? inhabitants : null };
  });
  const district = places.find((p) => p.ags === '08317');
  const municipalities = places.filter((p) => p.ags.length === 8 && p.ags.startsWith('08317'));
  if (!district || municipalities.length === 0) throw new Error(`${file}: the Ortenaukreis (08317) and its municipalities are missing`);
  return { district, municipalities };
}
