import { DEMO_ORGANIZATIONS, demoId, Logger, ORTENAUKREIS_AGS, organizationIdForAgs } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { ProvisionMode } from '../entities/responsibility';
import { readOrtenaukreis } from './organizations';

/** The day the demo responsibilities, staffing and Ortenau funding begin. */
const SINCE = '2023-01-01';
const DISTRICT_ID = organizationIdForAgs(ORTENAUKREIS_AGS);
const ASSOCIATION = 'Integrationsmanagement Kinzigtal (Demo)';

/**
 * The Ortenaukreis split (public reports): the district's integration managers serve 40 of the 51 municipalities,
 * the other 11 organise integration management themselves, together or through a welfare organisation. Which 11
 * and how is demo data (real places, fictional arrangement), keyed by AGS.
 */
const OTHERWISE: Record<string, { mode: ProvisionMode; providerId: string; associationName?: string }> = {
  '08317096': { mode: ProvisionMode.SELF, providerId: organizationIdForAgs('08317096') }, // Offenburg
  '08317065': { mode: ProvisionMode.SELF, providerId: organizationIdForAgs('08317065') }, // Lahr/Schwarzwald
  '08317057': { mode: ProvisionMode.SELF, providerId: organizationIdForAgs('08317057') }, // Kehl
  '08317001': { mode: ProvisionMode.SELF, providerId: organizationIdForAgs('08317001') }, // Achern
  // An intermunicipal association led by Haslach im Kinzigtal, with Hofstetten and Mühlenbach.
  '08317040': { mode: ProvisionMode.INTERMUNICIPAL, providerId: organizationIdForAgs('08317040'), associationName: ASSOCIATION },
  '08317046': { mode: ProvisionMode.INTERMUNICIPAL, providerId: organizationIdForAgs('08317040'), associationName: ASSOCIATION },
  '08317078': { mode: ProvisionMode.INTERMUNICIPAL, providerId: organizationIdForAgs('08317040'), associationName: ASSOCIATION },
  '08317089': { mode: ProvisionMode.DELEGATED, providerId: DEMO_ORGANIZATIONS.diakonie.id }, // Oberkirch
  '08317110': { mode: ProvisionMode.DELEGATED, providerId: DEMO_ORGANIZATIONS.diakonie.id }, // Renchen
  '08317153': { mode: ProvisionMode.DELEGATED, providerId: DEMO_ORGANIZATIONS.caritas.id }, // Rheinau
  '08317141': { mode: ProvisionMode.DELEGATED, providerId: DEMO_ORGANIZATIONS.caritas.id }, // Willstätt
};

/**
 * Staffing in full-time equivalents since 2023. The district's 25.00 follows the public reports (25 specialists for
 * 40 municipalities); the other figures are fictional.
 */
const STAFFING: [providerId: string, fullTimeEquivalents: string, note: string | null][] = [
  [DISTRICT_ID, '25.00', '25 Fachkräfte des Landkreises für 40 Gemeinden (öffentliche Berichte)'],
  [organizationIdForAgs('08317096'), '6.50', null],
  [organizationIdForAgs('08317065'), '4.00', null],
  [organizationIdForAgs('08317057'), '3.50', null],
  [organizationIdForAgs('08317001'), '2.00', null],
  [organizationIdForAgs('08317040'), '1.00', ASSOCIATION],
  [DEMO_ORGANIZATIONS.diakonie.id, '1.50', 'für Oberkirch und Renchen'],
  [DEMO_ORGANIZATIONS.caritas.id, '1.25', 'für Rheinau und Willstätt'],
];

interface DemoFunding {
  key: string;
  municipalityAgs: string;
  /** The municipality itself when null. */
  recipientId: string | null;
  periodStart: string;
  periodEnd: string;
  amountEur: string;
  note: string | null;
}

const PACT = 'Pakt für Integration – Integrationsmanagement';

/**
 * Allocations in the area of Kirchheim unter Teck as named in the program's public reports (768,216 euro for the
 * area in total; the six named allocations add up to 437,047). The reports do not name the period: the demo
 * assumes 2023–2024. The Ortenau amounts are fictional.
 */
const FUNDING: DemoFunding[] = [
  ...(
    [
      ['08116033', '213349.00'], // Kirchheim unter Teck
      ['08116070', '67667.00'], // Weilheim an der Teck
      ['08116071', '70851.00'], // Wendlingen am Neckar
      ['08116056', '44580.00'], // Plochingen
      ['08116012', '16718.00'], // Bissingen an der Teck
      ['08116048', '23882.00'], // Notzingen
    ] as const
  ).map(([ags, amountEur]) => ({
    key: `${ags}:2023`,
    municipalityAgs: ags,
    recipientId: null,
    periodStart: '2023-01-01',
    periodEnd: '2024-12-31',
    amountEur,
    note: 'Zuweisung laut öffentlichem Bericht (Raum Kirchheim unter Teck); Zeitraum angenommen',
  })),
  // Fictional amounts.
  { key: '08317096:2023', municipalityAgs: '08317096', recipientId: null, periodStart: SINCE, periodEnd: '2024-12-31', amountEur: '142500.00', note: 'Demo' },
  { key: '08317057:2023', municipalityAgs: '08317057', recipientId: null, periodStart: SINCE, periodEnd: '2024-12-31', amountEur: '96250.50', note: 'Demo' },
  {
    key: '08317089:2023',
    municipalityAgs: '08317089',
    recipientId: DEMO_ORGANIZATIONS.diakonie.id,
    periodStart: SINCE,
    periodEnd: '2024-12-31',
    amountEur: '38400.00',
    note: 'Demo: weitergeleitet an die Diakonie',
  },
  {
    key: '08317005:2023',
    municipalityAgs: '08317005', // Appenweier, served by the district
    recipientId: DISTRICT_ID,
    periodStart: SINCE,
    periodEnd: '2024-12-31',
    amountEur: '21300.00',
    note: 'Demo: weitergeleitet an den Landkreis',
  },
];

/** Follow-up accommodation sites (Anschlussunterbringung): fictional names and streets, no personal data. */
const ACCOMMODATION_SITES: [key: string, municipalityAgs: string, name: string, street: string, postalCode: string, capacity: number, openedOn: string][] = [
  ['offenburg-weststadt', '08317096', 'Anschlussunterbringung Weststadt (Demo)', 'Musterstraße 12', '77652', 48, '2016-03-01'],
  ['offenburg-albersboesch', '08317096', 'Anschlussunterbringung Albersbösch (Demo)', 'Beispielweg 3', '77654', 24, '2022-05-15'],
  ['kehl-sundheim', '08317057', 'Anschlussunterbringung Sundheim (Demo)', 'Musterallee 7', '77694', 30, '2017-09-01'],
];

/** Ids of the given municipalities that exist in the directory (the seed skips the others). */
async function existingMunicipalities(manager: EntityManager, agsList: string[]): Promise<Set<string>> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM organizations WHERE kind = 'municipality' AND id = ANY($1::uuid[])`, [
    agsList.map(organizationIdForAgs),
  ]);
  return new Set(rows.map((row) => row.id));
}

/** Inserts a row unless its id, or an overlapping period (exclusion constraint), is already there. */
async function insertMissing(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result: unknown[] = await manager.query(`${sql} ON CONFLICT DO NOTHING RETURNING id`, params);
  return result.length;
}

/**
 * Responsibility for integration management, staffing, funding and follow-up accommodation sites. Idempotent: fixed
 * ids (demoId), inserts what is missing, never overwrites what users changed (a user's own period for a
 * municipality wins over the seed's).
 */
export async function seedInternal(manager: EntityManager, logger: Logger): Promise<void> {
  const municipalities = readOrtenaukreis().filter((place) => place.ags.length === 8);
  const unknown = Object.keys(OTHERWISE).filter((ags) => !municipalities.some((place) => place.ags === ags));
  if (unknown.length) throw new Error(`seedInternal: ${unknown.join(', ')} are not municipalities of the Ortenaukreis`);

  let responsibilities = 0;
  for (const { ags } of municipalities) {
    const other = OTHERWISE[ags];
    responsibilities += await insertMissing(
      manager,
      `INSERT INTO integration_management_responsibilities (id, municipality_id, provider_organization_id, mode, association_name, valid_from)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        demoId('im-responsibility', `${ags}:${SINCE}`),
        organizationIdForAgs(ags),
        other?.providerId ?? DISTRICT_ID,
        other?.mode ?? ProvisionMode.DISTRICT,
        other?.associationName ?? null,
        SINCE,
      ],
    );
  }

  let staffing = 0;
  for (const [providerId, fullTimeEquivalents, note] of STAFFING) {
    staffing += await insertMissing(
      manager,
      `INSERT INTO staffing_positions (id, provider_organization_id, valid_from, full_time_equivalents, note) VALUES ($1, $2, $3, $4, $5)`,
      [demoId('staffing', `${providerId}:${SINCE}`), providerId, SINCE, fullTimeEquivalents, note],
    );
  }

  const present = await existingMunicipalities(manager, FUNDING.map((f) => f.municipalityAgs));
  const skipped = FUNDING.filter((f) => !present.has(organizationIdForAgs(f.municipalityAgs))).map((f) => f.municipalityAgs);
  let funding = 0;
  for (const f of FUNDING.filter((f) => present.has(organizationIdForAgs(f.municipalityAgs)))) {
    const municipalityId = organizationIdForAgs(f.municipalityAgs);
    funding += await insertMissing(
      manager,
      `INSERT INTO funding_allocations (id, municipality_id, recipient_organization_id, program, period_start, period_end, amount_eur, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [demoId('funding', f.key), municipalityId, f.recipientId ?? municipalityId, PACT, f.periodStart, f.periodEnd, f.amountEur, f.note],
    );
  }

  let sites = 0;
  for (const [key, ags, name, street, postalCode, capacity, openedOn] of ACCOMMODATION_SITES) {
    sites += await insertMissing(
      manager,
      `INSERT INTO accommodation_sites (id, municipality_id, name, street, postal_code, capacity, opened_on) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [demoId('accommodation-site', key), organizationIdForAgs(ags), name, street, postalCode, capacity, openedOn],
    );
  }

  logger.info(
    { responsibilities, staffing, funding, accommodationSites: sites, fundingSkipped: skipped },
    'partners demo responsibilities, staffing, funding and accommodation sites',
  );
}
