import { base, de, en, Faker } from '@faker-js/faker';
import { DEMO_ORGANIZATIONS, DEMO_USERS, demoId, organizationIdForAgs } from '@integration-graph/common';
import { bool, date, DatabaseRows, NULL, num, text, textArray, ts } from './copy-format';
import { Place } from './places';
import { hash32, Random, uuidOf } from './random';
import { ID_CODES } from './tables';
import { addMonthsDay, berlinInstant, dayNumber, dayString, weekday, workingDayOnOrAfter } from './time';
import { Lang, OFFERING_TITLES, PLACE_PREFIXES, PLACE_SUFFIXES, TAXONOMY_LIFE_AREAS, TAXONOMY_OFFERING_TYPES, TIME_OF_DAY } from './vocabulary';

/** What the whole run shares: the seed, the size, the day the data ends, the real places of the first district. */
export interface GeneratorContext {
  seed: number;
  /** 1 = one district like the Ortenaukreis; N adds N - 1 synthetic districts; below 1 shrinks the one district. */
  scale: number;
  districtCount: number;
  /** Cases of one district at scale 1 (5,000), times the scale when it is below 1. */
  casesPerDistrict: number;
  /** The day the data ends ("today" of the generated world), as an epoch day, and its first instant in German time. */
  asOfDay: number;
  asOfMs: number;
  ortenaukreis: { district: Place; municipalities: Place[] };
}

export interface UserInfo {
  id: string;
  organizationId: string;
  roles: string[];
  /** The demo user's handle, for the Ortenaukreis users that are the demo users (npm run token -- --user <handle>). */
  handle?: string;
}

export interface OfferingInfo {
  id: string;
  organizationId: string;
  typeId: string;
  startsDay: number | null;
  endsDay: number | null;
  status: string;
  seatsFree: number | null;
  lifeAreas: string[];
  /** Municipalities from which it is reachable (service area and location). */
  reachableFrom: Set<string>;
}

export interface OrgInfo {
  id: string;
  name: string;
  kind: string;
  /** Stable key within the district (for user ids). */
  key: string;
  seat: MunicipalityInfo | null;
  users: UserInfo[];
  offerings: OfferingInfo[];
  area: MunicipalityInfo[];
  locationId: string | null;
}

export interface ProviderInfo {
  org: OrgInfo;
  mode: 'district' | 'self' | 'intermunicipal' | 'delegated';
  caseworkers: UserInfo[];
  leads: UserInfo[];
  /** Full-time equivalents in the current staffing period. */
  fullTimeEquivalents: number;
  /** How the provider works (drives the figures of the comparison): share of home visits, days to the first goal, reviews kept. */
  homeVisitShare: number;
  firstGoalMedianDays: number;
  reviewDiscipline: number;
}

export interface MunicipalityInfo {
  id: string;
  ags: string;
  name: string;
  population: number;
  provider: ProviderInfo;
  /** Follow-up accommodation sites still open (clients living there point at them). */
  openSites: string[];
  postalCode: string;
  latitude: number;
  longitude: number;
}

export interface DistrictWorld {
  index: number;
  ags: string;
  id: string;
  name: string;
  municipalities: MunicipalityInfo[];
  providers: ProviderInfo[];
  organizations: OrgInfo[];
  partnersByKind: Map<string, OrgInfo[]>;
  coordinator: UserInfo;
  /** Days of the cooperation meetings held, and the periods with adopted standards. */
  meetings: { id: string; heldOn: string }[];
  standards: { metric: string; validFrom: string; validUntil: string | null; target: number }[];
}

const O = DEMO_ORGANIZATIONS;
const demoUser = (handle: string) => {
  const user = DEMO_USERS.find((u) => u.handle === handle);
  if (!user) throw new Error(`no demo user ${handle}`);
  return { id: user.id, organizationId: user.organizationId, roles: [...user.roles] as string[], handle };
};

/** The Ortenaukreis arrangement of the demo (docs/partners.md): who provides integration management where. */
const ORTENAU_OTHERWISE: Record<string, { mode: ProviderInfo['mode']; provider: string; association?: string }> = {
  '08317096': { mode: 'self', provider: '08317096' },
  '08317065': { mode: 'self', provider: '08317065' },
  '08317057': { mode: 'self', provider: '08317057' },
  '08317001': { mode: 'self', provider: '08317001' },
  '08317040': { mode: 'intermunicipal', provider: '08317040', association: 'Integrationsmanagement Kinzigtal (Demo)' },
  '08317046': { mode: 'intermunicipal', provider: '08317040', association: 'Integrationsmanagement Kinzigtal (Demo)' },
  '08317078': { mode: 'intermunicipal', provider: '08317040', association: 'Integrationsmanagement Kinzigtal (Demo)' },
  '08317089': { mode: 'delegated', provider: 'diakonie' },
  '08317110': { mode: 'delegated', provider: 'diakonie' },
  '08317153': { mode: 'delegated', provider: 'caritas' },
  '08317141': { mode: 'delegated', provider: 'caritas' },
};

const PROGRAM_START = '2023-01-01';
const STAFFING_SPLIT = '2025-01-01';
const FUNDING_PROGRAM = 'Pakt für Integration – Integrationsmanagement';
const SEED_USER = 'seed-scale';

function fictionalPlaceName(faker: Faker, random: Random, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    let stem = faker.person.lastName().replace(/[^A-Za-zÄÖÜäöüß]/g, '');
    if (stem.length > 7) stem = stem.slice(0, random.int(4, 6));
    stem = stem.replace(/[aeiouäöü]+$/i, '') || stem;
    const prefix = random.chance(0.3) ? random.pick(PLACE_PREFIXES) : '';
    const body = prefix ? stem.toLowerCase() : stem;
    const name = `${prefix}${body}${random.pick(PLACE_SUFFIXES)}`;
    if (!taken.has(name) || attempt > 50) {
      const unique = taken.has(name) ? `${name} ${attempt}` : name;
      taken.add(unique);
      return unique;
    }
  }
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/\(demo\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * One district's directory: the district, its municipalities, the providers of integration management with their
 * staff and positions, the partner organisations with offerings, and the cooperation meetings with standards. Writes
 * the partners subgraph's rows and returns what the cases and referrals of the district refer to.
 */
export function generateDistrictWorld(ctx: GeneratorContext, index: number, rows: DatabaseRows): DistrictWorld {
  const random = new Random(ctx.seed, index, 1);
  const faker = new Faker({ locale: [de, en, base] });
  faker.seed(hash32(ctx.seed, index, 77));
  const asOf = dayString(ctx.asOfDay);
  const created = berlinInstant(dayNumber('2022-12-01') + index, 9 * 60);
  const ortenau = index === 0;
  const demo = ortenau ? ' (Demo)' : '';

  // ----------------------------------------------------------------------------------------------- places
  let districtAgs: string;
  let districtName: string;
  let places: { ags: string; name: string; population: number }[];
  if (ortenau) {
    districtAgs = ctx.ortenaukreis.district.ags;
    districtName = ctx.ortenaukreis.district.name;
    places = ctx.ortenaukreis.municipalities.map((p) => ({ ags: p.ags, name: p.name, population: p.population ?? 2500 + random.int(0, 4000) }));
  } else {
    // Regierungsbezirk 9 does not exist in Baden-Württemberg (08 1xx to 08 4xx): 089NN is plainly synthetic.
    districtAgs = `089${String(index).padStart(2, '0')}`;
    const taken = new Set<string>();
    const count = random.int(16, 40);
    const first = random.int(28_000, 62_000);
    places = Array.from({ length: count }, (_, k) => ({
      ags: `${districtAgs}${String(1 + k * 3).padStart(3, '0')}`,
      name: fictionalPlaceName(faker, random, taken),
      population: Math.max(900, Math.round((first / Math.pow(k + 1, 0.95)) * (0.8 + 0.4 * random.next()))),
    }));
    districtName = `Landkreis ${places[0].name}`;
  }
  const districtId = organizationIdForAgs(districtAgs);
  const short = districtName.replace(/^Landkreis /, '');
  const centre = ortenau ? [48.47, 7.94] : [47.75 + random.next() * 1.8, 7.75 + random.next() * 2.4];
  const postalBase = ortenau ? 77 : 70 + (index % 29);

  // ----------------------------------------------------------------------------------------------- organisations
  const organizations: OrgInfo[] = [];
  const org = (key: string, id: string, name: string, kind: string, seat: MunicipalityInfo | null): OrgInfo => {
    const info: OrgInfo = { id, name, kind, key, seat, users: [], offerings: [], area: [], locationId: null };
    organizations.push(info);
    return info;
  };
  const orgId = (key: string) => demoId('org', `seed-scale:${districtAgs}:${key}`);
  const userId = (orgKey: string, role: string, k: number) => demoId('user', `seed-scale:${districtAgs}:${orgKey}:${role}-${k}`);
  const addUsers = (info: OrgInfo, role: string, count: number, demoHandles: string[] = []): UserInfo[] => {
    const users = Array.from({ length: count }, (_, k) =>
      demoHandles[k] ? demoUser(demoHandles[k]) : { id: userId(info.key, role, k + 1), organizationId: info.id, roles: [role] },
    );
    info.users.push(...users);
    return users;
  };

  const districtOrg = org('district', districtId, districtName, 'district', null);
  const municipalities: MunicipalityInfo[] = places.map((place, k) => ({
    id: organizationIdForAgs(place.ags),
    ags: place.ags,
    name: place.name,
    population: place.population,
    provider: undefined as unknown as ProviderInfo,
    openSites: [],
    postalCode: `${postalBase}${String(100 + ((k * 37 + index * 11) % 900)).padStart(3, '0')}`,
    latitude: Number((centre[0] + (random.next() - 0.5) * 0.5).toFixed(6)),
    longitude: Number((centre[1] + (random.next() - 0.5) * 0.6).toFixed(6)),
  }));
  const municipalOrgs = new Map<string, OrgInfo>();
  for (const m of municipalities) municipalOrgs.set(m.id, org(`m-${m.ags}`, m.id, m.name, 'municipality', m));
  const byPopulation = [...municipalities].sort((a, b) => b.population - a.population || a.ags.localeCompare(b.ags));
  const seatTown = ortenau ? municipalities.find((m) => m.ags === '08317096')! : byPopulation[0];
  districtOrg.seat = seatTown;

  const welfareA = ortenau
    ? org('diakonie', O.diakonie.id, O.diakonie.name, 'welfare_organization', municipalities.find((m) => m.ags === '08317065')!)
    : org('diakonie', orgId('diakonie'), `Diakonisches Werk ${short}`, 'welfare_organization', byPopulation[1]);
  const welfareB = ortenau
    ? org('caritas', O.caritas.id, O.caritas.name, 'welfare_organization', seatTown)
    : org('caritas', orgId('caritas'), `Caritasverband ${short}`, 'welfare_organization', seatTown);

  // ----------------------------------------------------------------------------------------------- providers
  const providers: ProviderInfo[] = [];
  const providerOf = new Map<string, ProviderInfo>();
  const provider = (info: OrgInfo, mode: ProviderInfo['mode']): ProviderInfo => {
    let existing = providerOf.get(info.id);
    if (!existing) {
      existing = {
        org: info,
        mode,
        caseworkers: [],
        leads: [],
        fullTimeEquivalents: 0,
        homeVisitShare: Math.min(0.4, Math.max(0.08, random.normal(0.22, 0.06))),
        firstGoalMedianDays: Math.min(75, Math.max(14, random.normal(36, 11))),
        reviewDiscipline: Math.min(0.97, Math.max(0.6, random.normal(0.85, 0.08))),
      };
      providers.push(existing);
      providerOf.set(info.id, existing);
    }
    return existing;
  };
  const districtProvider = provider(districtOrg, 'district');
  const associations = new Map<string, string>();
  if (ortenau) {
    for (const m of municipalities) {
      const other = ORTENAU_OTHERWISE[m.ags];
      if (!other) m.provider = districtProvider;
      else if (other.provider === 'diakonie') m.provider = provider(welfareA, 'delegated');
      else if (other.provider === 'caritas') m.provider = provider(welfareB, 'delegated');
      else m.provider = provider(municipalOrgs.get(organizationIdForAgs(other.provider))!, other.mode);
      if (other?.association) associations.set(m.id, other.association);
    }
  } else {
    for (const m of municipalities) m.provider = districtProvider;
    const small = byPopulation.slice(Math.floor(byPopulation.length / 2));
    const takeSmall = () => {
      const candidates = small.filter((m) => m.provider === districtProvider);
      return candidates.length ? random.pick(candidates) : null;
    };
    for (const m of byPopulation.slice(0, 3)) m.provider = provider(municipalOrgs.get(m.id)!, 'self');
    const lead = byPopulation[3];
    const association = `Integrationsverbund ${lead.name}`;
    const leadProvider = provider(municipalOrgs.get(lead.id)!, 'intermunicipal');
    for (const m of [lead, takeSmall(), takeSmall()]) {
      if (!m) continue;
      m.provider = leadProvider;
      associations.set(m.id, association);
    }
    for (const [welfare, rank] of [[welfareA, 4], [welfareB, 5]] as const) {
      for (const m of [byPopulation[rank], takeSmall()]) if (m) m.provider = provider(welfare, 'delegated');
    }
  }
  // Staff: about 40 integration managers and 25 funded positions per district, by the providers' populations.
  const totalPopulation = municipalities.reduce((sum, m) => sum + m.population, 0);
  for (const p of providers) {
    const share = municipalities.filter((m) => m.provider === p).reduce((sum, m) => sum + m.population, 0) / totalPopulation;
    p.fullTimeEquivalents = Math.max(0.5, Math.round(25 * share * 4) / 4);
    const managers = Math.max(1, Math.round(40 * share));
    const demoHandles = !ortenau
      ? []
      : p.org.id === O.ortenaukreis.id
        ? ['ortenaukreis-caseworker']
        : p.org.id === O.offenburg.id
          ? ['offenburg-caseworker']
          : p.org.id === O.diakonie.id
            ? ['diakonie-caseworker']
            : [];
    p.caseworkers = addUsers(p.org, 'caseworker', managers, demoHandles);
    p.leads = addUsers(p.org, 'lead', 1, ortenau && p.org.id === O.ortenaukreis.id ? ['ortenaukreis-lead'] : []);
  }
  const coordinator = addUsers(districtOrg, 'coordinator', 1, ortenau ? ['ortenaukreis-coordinator'] : [])[0];

  // ----------------------------------------------------------------------------------------------- partner organisations
  const partner = (key: string, demoOrg: { id: string; name: string } | null, name: string, kind: string, seat: MunicipalityInfo, staff: number, demoHandles: string[] = []) => {
    const info = org(key, demoOrg?.id ?? orgId(key), demoOrg?.name ?? name, kind, seat);
    addUsers(info, 'partner', staff, demoHandles);
    return info;
  };
  const town = (rank: number) => byPopulation[Math.min(rank, byPopulation.length - 1)];
  const jobcenter = partner('jobcenter', ortenau ? O.jobcenter : null, `Jobcenter ${short}`, 'jobcenter', seatTown, 3, ortenau ? ['jobcenter-partner'] : []);
  const agency = partner('agentur', null, `Agentur für Arbeit ${seatTown.name}${demo}`, 'employment_agency', seatTown, 2);
  const immigration = partner('abh', ortenau ? O.immigrationOffice : null, `Ausländerbehörde ${short}`, 'immigration_office', seatTown, 2);
  const mbe = partner('mbe', ortenau ? O.mbe : null, `Migrationsberatung für Erwachsene, ${welfareB.name}`, 'migration_counselling', seatTown, 2);
  const jmd = partner('jmd', null, `Jugendmigrationsdienst ${short}${demo}`, 'youth_migration_service', town(1), 2);
  const courseProviders = ortenau
    ? [
        partner('vhs-1', O.vhs, '', 'language_course_provider', seatTown, 3, ['vhs-partner']),
        partner('vhs-2', null, `Volkshochschule Lahr (Demo)`, 'language_course_provider', municipalities.find((m) => m.ags === '08317065')!, 2),
        partner('sprachschule-1', null, `Sprachinstitut ${faker.person.lastName()} (Demo)`, 'language_course_provider', municipalities.find((m) => m.ags === '08317001')!, 2),
        partner('sprachschule-2', null, `Bildungszentrum ${faker.person.lastName()} (Demo)`, 'language_course_provider', municipalities.find((m) => m.ags === '08317057')!, 2),
      ]
    : [
        partner('vhs-1', null, `Volkshochschule ${town(0).name}`, 'language_course_provider', town(0), 3),
        partner('vhs-2', null, `Volkshochschule ${town(1).name}`, 'language_course_provider', town(1), 2),
        partner('sprachschule-1', null, `Sprachschule ${faker.person.lastName()}`, 'language_course_provider', town(2), 2),
        ...(random.chance(0.5) ? [partner('sprachschule-2', null, `Bildungszentrum ${faker.person.lastName()}`, 'language_course_provider', town(3), 2)] : []),
      ];
  const volunteerTowns = ortenau ? [municipalities.find((m) => m.ags === '08317065')!, town(2), town(5), town(8)] : [town(0), town(2), town(4), town(7)].slice(0, random.int(3, 4));
  const volunteers = volunteerTowns.map((seat, k) =>
    k === 0 && ortenau
      ? partner('freundeskreis-1', O.volunteers, '', 'volunteer_group', seat, 2)
      : partner(`freundeskreis-${k + 1}`, null, `${['Freundeskreis Asyl', 'Helferkreis Asyl', 'Arbeitskreis Integration', 'Netzwerk Willkommen'][k % 4]} ${seat.name}${demo}`, 'volunteer_group', seat, 2),
  );
  // Welfare organisations are providers and receive referrals (workshops, family counselling) too.
  addUsers(welfareA, 'partner', 2);
  addUsers(welfareB, 'partner', 2);

  const partnersByKind = new Map<string, OrgInfo[]>();
  for (const info of [jobcenter, agency, immigration, mbe, jmd, ...courseProviders, ...volunteers, welfareA, welfareB]) {
    partnersByKind.set(info.kind, [...(partnersByKind.get(info.kind) ?? []), info]);
  }

  // Service areas: course providers serve their town and a share of the others (every municipality is served by at
  // least one), volunteer groups their town and neighbours, everyone else the whole district.
  for (const info of courseProviders) info.area.push(info.seat!);
  for (const [k, m] of municipalities.entries()) {
    const home = courseProviders[k % courseProviders.length];
    if (!home.area.includes(m)) home.area.push(m);
    for (const other of courseProviders) if (!other.area.includes(m) && random.chance(0.25)) other.area.push(m);
  }
  for (const info of volunteers) {
    info.area.push(info.seat!);
    for (const m of random.shuffled(municipalities).slice(0, random.int(1, 3))) if (!info.area.includes(m)) info.area.push(m);
  }
  for (const info of [jobcenter, agency, immigration, mbe, jmd, welfareA, welfareB, districtOrg]) info.area.push(...municipalities);

  // ----------------------------------------------------------------------------------------------- rows: organisations
  const organizationsRows = rows.get('organizations');
  const translations = rows.get('translations');
  const verified = () => berlinInstant(ctx.asOfDay - (random.chance(0.06) ? random.int(200, 400) : random.int(3, 150)), 10 * 60);
  for (const info of organizations) {
    const languages =
      info.kind === 'municipality' ? ['de'] : ['de', ...random.sample([['en', 5], ['uk', 3], ['ar', 3], ['tr', 2], ['fa', 2], ['ru', 2]] as [string, number][], random.int(1, 3))];
    const ags = info.kind === 'district' ? districtAgs : info.kind === 'municipality' ? info.seat!.ags : null;
    const parent = info.kind === 'municipality' ? districtId : null;
    organizationsRows.add(info.id, text(info.name), info.kind, text(ags), text(parent), ts(created), ts(created), '1', textArray(languages), ts(verified()), SEED_USER);
    if (info.kind !== 'municipality') {
      const description = describe(info);
      translations.add('organization', info.id, 'description', 'de', text(description.de), 'original', info.id, ts(created), SEED_USER);
      translations.add('organization', info.id, 'description', 'en', text(description.en), 'machine_translated', info.id, ts(created), SEED_USER);
    }
  }

  // contact points, locations, opening hours, service areas
  let contactNo = 0;
  let locationNo = 0;
  let hoursNo = 0;
  const contactRows = rows.get('contact_points');
  const locationRows = rows.get('locations');
  const hoursRows = rows.get('opening_hours');
  const serviceAreaRows = rows.get('organization_service_areas');
  for (const info of organizations) {
    const web = slug(info.name) || info.key;
    const area = `7${random.int(11, 99)}`;
    const contacts: [kind: string, value: string, label: string | null, visibility: string][] = [
      ['phone', `+49 ${area} 555-${String(random.int(1000, 9999))}`, info.kind === 'municipality' ? 'Bürgerbüro' : 'Zentrale', 'public'],
      ['email', `kontakt@${web}.example`, null, 'public'],
    ];
    if (random.chance(0.7)) contacts.push(['website', `https://www.${web}.example`, null, 'public']);
    if (info.kind !== 'municipality') contacts.push(['phone', `+49 ${area} 555-${String(random.int(1000, 9999))}`, 'Durchwahl für Integrationsmanager:innen', 'internal']);
    contacts.forEach(([kind, value, label, visibility], position) => {
      contactRows.add(uuidOf(ctx.seed, index, ID_CODES.contactPoint, contactNo++), info.id, kind, text(value), text(label), visibility, String(position), ts(created), ts(created), '1');
    });
    const hasLocation = info.kind !== 'municipality' || providerOf.has(info.id);
    if (hasLocation && info.seat) {
      info.locationId = uuidOf(ctx.seed, index, ID_CODES.location, locationNo++);
      const street = `${faker.location.street()} ${faker.location.buildingNumber()}`;
      locationRows.add(
        info.locationId, info.id, info.seat.id, text(street), info.seat.postalCode, text(info.seat.name),
        (info.seat.latitude + (random.next() - 0.5) * 0.01).toFixed(6), (info.seat.longitude + (random.next() - 0.5) * 0.01).toFixed(6), ts(created), ts(created), '1',
      );
      for (const [day, opens, closes] of [[1, '08:30', '12:00'], [2, '08:30', '12:00'], [2, '14:00', '18:00'], [3, '08:30', '12:00'], [4, '14:00', '16:00'], [5, '08:30', '12:00']] as const) {
        hoursRows.add(uuidOf(ctx.seed, index, ID_CODES.openingHours, hoursNo++), info.locationId, String(day), opens, closes);
      }
    }
    for (const m of info.area) serviceAreaRows.add(info.id, m.id);
  }

  // ----------------------------------------------------------------------------------------------- responsibilities, staffing, funding, sites
  const responsibilityRows = rows.get('integration_management_responsibilities');
  municipalities.forEach((m, k) => {
    responsibilityRows.add(
      uuidOf(ctx.seed, index, ID_CODES.responsibility, k), m.id, m.provider.org.id, m.provider.mode, text(associations.get(m.id) ?? null), PROGRAM_START, NULL,
      ts(created), ts(created), '1',
    );
  });
  const staffingRows = rows.get('staffing_positions');
  providers.forEach((p, k) => {
    const earlier = Math.max(0.5, Math.round(p.fullTimeEquivalents * (0.85 + random.next() * 0.2) * 4) / 4);
    const note = p.mode === 'district' ? `${p.fullTimeEquivalents.toFixed(2)} Stellen des Landkreises` : null;
    staffingRows.add(uuidOf(ctx.seed, index, ID_CODES.staffing, 2 * k), p.org.id, PROGRAM_START, dayString(dayNumber(STAFFING_SPLIT) - 1), earlier.toFixed(2), NULL, ts(created), ts(created), '1');
    staffingRows.add(uuidOf(ctx.seed, index, ID_CODES.staffing, 2 * k + 1), p.org.id, STAFFING_SPLIT, NULL, p.fullTimeEquivalents.toFixed(2), text(note), ts(created), ts(created), '1');
  });
  const fundingRows = rows.get('funding_allocations');
  let fundingNo = 0;
  for (const m of municipalities) {
    const recipient = m.provider.mode === 'delegated' || m.provider.mode === 'district' ? m.provider.org.id : m.id;
    for (const [start, end] of [['2023-01-01', '2024-12-31'], ['2025-01-01', '2026-12-31']]) {
      const amount = (m.population * (3.5 + random.next() * 2)).toFixed(2);
      const note = recipient === m.id ? null : `weitergeleitet an ${m.provider.org.name}`;
      fundingRows.add(uuidOf(ctx.seed, index, ID_CODES.funding, fundingNo++), m.id, recipient, FUNDING_PROGRAM, start, end, amount, text(note), ts(created), ts(created), '1');
    }
  }
  const siteRows = rows.get('accommodation_sites');
  let siteNo = 0;
  for (const m of municipalities) {
    const count = m.population > 20_000 ? random.int(3, 5) : m.population > 5_000 ? random.int(1, 2) : random.chance(0.5) ? 1 : 0;
    for (let k = 0; k < count; k++) {
      const id = uuidOf(ctx.seed, index, ID_CODES.accommodationSite, siteNo++);
      const street = faker.location.street();
      const openedOn = dayString(dayNumber('2015-09-01') + random.int(0, 2900));
      const closed = random.chance(0.1) ? dayString(Math.min(ctx.asOfDay - 30, dayNumber(openedOn) + random.int(400, 2000))) : null;
      if (!closed) m.openSites.push(id);
      siteRows.add(
        id, m.id, text(`Anschlussunterbringung ${street}${demo}`), text(`${street} ${faker.location.buildingNumber()}`), m.postalCode, String(random.int(12, 80)),
        openedOn, date(closed && closed > openedOn ? closed : null), ts(created), ts(created), '1',
      );
    }
  }

  // ----------------------------------------------------------------------------------------------- offerings
  const offeringRows = rows.get('offerings');
  const lifeAreaRows = rows.get('offering_life_areas');
  const offeringAreaRows = rows.get('offering_service_areas');
  let offeringNo = 0;
  const addOffering = (info: OrgInfo, spec: OfferingSpec) => {
    const id = uuidOf(ctx.seed, index, ID_CODES.offering, offeringNo++);
    const { startsDay, endsDay } = spec;
    let status: string;
    let seatsFree = spec.seatsTotal;
    if (startsDay === null) status = 'running';
    else if (endsDay !== null && endsDay < ctx.asOfDay) {
      status = 'ended';
      seatsFree = spec.seatsTotal === null ? null : random.int(0, 3);
    } else if (startsDay <= ctx.asOfDay) {
      status = 'running';
      seatsFree = spec.seatsTotal === null ? null : random.int(0, 3);
    } else if (startsDay > ctx.asOfDay + 100) status = 'planned';
    else if (spec.seatsTotal !== null && random.chance(0.15)) {
      status = 'full';
      seatsFree = 0;
    } else {
      status = 'open';
      seatsFree = spec.seatsTotal === null ? null : random.int(1, Math.min(12, spec.seatsTotal));
    }
    const support = random.sample([['uk', 4], ['ar', 4], ['fa', 3], ['tr', 2], ['ru', 2], ['en', 3]] as [string, number][], random.int(0, 2));
    offeringRows.add(
      id, info.id, spec.typeId, text(info.locationId), text(spec.level), date(startsDay === null ? null : dayString(startsDay)),
      date(endsDay === null ? null : dayString(endsDay)), NULL, num(spec.units), num(spec.seatsTotal), num(seatsFree), textArray(['de']), textArray(support),
      bool(spec.childcare), spec.cost, status, ts(verified()), SEED_USER, ts(spec.createdMs), ts(spec.createdMs), '1',
    );
    for (const area of spec.lifeAreas) lifeAreaRows.add(id, area);
    for (const m of info.area) offeringAreaRows.add(id, m.id);
    // Titles: German original, translations into some of the directory's languages.
    const template = OFFERING_TITLES[spec.typeId] ?? OFFERING_TITLES.counselling;
    const place = info.seat ? ` in ${info.seat.name}` : '';
    for (const [lang, title] of Object.entries(template) as [Lang, string][]) {
      if (lang !== 'de' && !random.chance(lang === 'en' ? 0.6 : lang === 'uk' ? 0.5 : lang === 'ar' ? 0.4 : 0.25)) continue;
      const time = spec.timeOfDay !== null ? TIME_OF_DAY[lang]?.[spec.timeOfDay] : undefined;
      const full = `${title.replace('{level}', spec.level ?? '').trim()}${time ? `, ${time}` : ''}${lang === 'de' ? place : ''}`;
      const state = lang === 'de' ? 'original' : random.chance(0.03) ? 'outdated' : random.chance(0.3) ? 'reviewed' : 'machine_translated';
      translations.add('offering', id, 'title', lang, text(full), state, info.id, ts(spec.createdMs), SEED_USER);
    }
    if (spec.description) translations.add('offering', id, 'description', 'de', text(spec.description), 'original', info.id, ts(spec.createdMs), SEED_USER);
    const reachableFrom = new Set(info.area.map((m) => m.id));
    if (info.seat) reachableFrom.add(info.seat.id);
    info.offerings.push({ id, organizationId: info.id, typeId: spec.typeId, startsDay, endsDay, status, seatsFree, lifeAreas: spec.lifeAreas, reachableFrom });
  };

  const windowStart = dayNumber(addMonthsDay(asOf, -44));
  const windowEnd = dayNumber(addMonthsDay(asOf, 9));
  const COURSES: [typeId: string, weight: number, level: string | null, units: number, days: number][] = [
    ['integration-course-general', 48, 'B1', 700, 240],
    ['integration-course-literacy', 11, 'A2', 1000, 330],
    ['integration-course-youth', 5, 'B1', 1000, 300],
    ['integration-course-parents', 6, 'B1', 1000, 300],
    ['integration-course-women', 8, 'B1', 1000, 300],
    ['integration-course-intensive', 6, 'B1', 430, 150],
    ['vocational-language-course', 12, 'B2', 400, 150],
    ['orientation-course', 4, null, 100, 30],
  ];
  for (const info of courseProviders) {
    let day = windowStart + random.int(0, 40);
    while (day < windowEnd) {
      const [typeId, , level, units, days] = pickWeighted(random, COURSES);
      const startsDay = workingDayOnOrAfter(day);
      const vocationalLevel = typeId === 'vocational-language-course' && random.chance(0.3) ? 'C1' : level;
      addOffering(info, {
        typeId,
        level: typeId === 'integration-course-general' && random.chance(0.15) ? 'A2' : vocationalLevel,
        startsDay,
        endsDay: startsDay + days + random.int(-10, 20),
        units,
        seatsTotal: random.int(14, 25),
        childcare: ['integration-course-parents', 'integration-course-women', 'integration-course-literacy'].includes(typeId) && random.chance(0.7),
        cost: '0.00',
        lifeAreas: typeId === 'vocational-language-course' ? ['language', 'work-training-study'] : ['language'],
        timeOfDay: typeId.startsWith('integration-course') ? random.int(0, 2) : null,
        createdMs: berlinInstant(Math.max(startsDay - random.int(60, 120), dayNumber('2022-09-01')), 11 * 60),
        description: typeId === 'integration-course-general' ? 'Sprachkurs mit anschließendem Orientierungskurs; Abschluss mit dem Deutsch-Test für Zuwanderer.' : null,
      });
      day += Math.round((40 + random.int(0, 35)) * (courseProviders.length > 3 ? 1.2 : 1));
    }
  }
  const runningCounselling = (info: OrgInfo, lifeAreas: string[], description: string) =>
    addOffering(info, {
      typeId: 'counselling', level: null, startsDay: null, endsDay: null, units: null, seatsTotal: null, childcare: false, cost: '0.00', lifeAreas, timeOfDay: null,
      createdMs: created, description,
    });
  runningCounselling(jobcenter, ['work-training-study'], 'Beratung zu Arbeit, Ausbildung und Leistungen für Geflüchtete; Termine nach Vereinbarung.');
  runningCounselling(agency, ['work-training-study'], 'Berufsberatung und Ausbildungsvermittlung.');
  runningCounselling(immigration, ['residence'], 'Sprechstunde für Fragen zum Aufenthalt; Termine online.');
  runningCounselling(mbe, ['residence', 'work-training-study', 'health'], 'Migrationsberatung für Erwachsene: Aufenthalt, Arbeit, Familie, Finanzen.');
  runningCounselling(jmd, ['childcare-school', 'work-training-study'], 'Beratung für junge Menschen von 12 bis 27 Jahren.');
  for (const welfare of [welfareA, welfareB]) {
    runningCounselling(welfare, ['health', 'housing'], 'Sozialberatung und Familienberatung.');
    for (let day = windowStart + random.int(0, 90); day < windowEnd; day += random.int(100, 140)) {
      const startsDay = workingDayOnOrAfter(day);
      addOffering(welfare, {
        typeId: random.chance(0.7) ? 'workshop-housing-licence' : 'workshop-values-democracy', level: null, startsDay, endsDay: startsDay + 21, units: null,
        seatsTotal: random.int(10, 16), childcare: random.chance(0.5), cost: '0.00', lifeAreas: ['housing'], timeOfDay: null, createdMs: berlinInstant(startsDay - 60, 10 * 60),
        description: 'Vier Termine: Mietvertrag, Nebenkosten, Mülltrennung, Nachbarschaft; mit Teilnahmebescheinigung.',
      });
    }
  }
  for (const info of volunteers) {
    addOffering(info, {
      typeId: 'group-activity', level: 'A1', startsDay: null, endsDay: null, units: null, seatsTotal: null, childcare: random.chance(0.5), cost: '0.00',
      lifeAreas: ['language', 'leisure-clubs'], timeOfDay: null, createdMs: created, description: 'Jeden Donnerstag von 16 bis 18 Uhr: Deutsch sprechen bei Kaffee und Kuchen.',
    });
  }

  // ----------------------------------------------------------------------------------------------- cooperation meetings and standards
  const meetingRows = rows.get('cooperation_meetings');
  const participantRows = rows.get('cooperation_meeting_participants');
  const standardRows = rows.get('standards');
  const meetings: DistrictWorld['meetings'] = [];
  const asOfYear = Number(asOf.slice(0, 4));
  for (let year = asOfYear - 2; year <= asOfYear; year++) {
    for (const month of [3, 7, 11]) {
      const first = dayNumber(`${year}-${String(month).padStart(2, '0')}-01`);
      const heldDay = first + ((3 - weekday(first) + 7) % 7) + 7; // the second Wednesday
      if (heldDay < ctx.asOfDay) meetings.push({ id: uuidOf(ctx.seed, index, ID_CODES.meeting, meetings.length), heldOn: dayString(heldDay) });
    }
  }
  // Standards adopted at the meetings (by position: 0 = March two years ago, 2 = November, ...), as the demo's.
  const vary = (target: number, step: number) => Number((target + step * random.int(-1, 1)).toFixed(4));
  const STANDARDS: [meeting: number, metric: string, target: number, direction: string, validFrom: string, validUntil: string | null, title: string][] = [
    [0, 'share_active_cases_with_plan', vary(0.9, 0.05), 'at_least', `${asOfYear - 2}-05-01`, null, 'Integrationsplan für jeden aktiven Fall'],
    [0, 'median_days_to_first_plan', vary(42, 7), 'at_most', `${asOfYear - 2}-05-01`, null, 'Erster Integrationsplan innerhalb von sechs Wochen'],
    [0, 'share_referrals_answered_in_time', 0.75, 'at_least', `${asOfYear - 2}-05-01`, `${asOfYear - 1}-12-31`, 'Vermittlungen werden fristgerecht beantwortet'],
    [2, 'share_plans_reviewed_within_six_months', vary(0.8, 0.05), 'at_least', `${asOfYear - 1}-01-01`, null, 'Integrationspläne werden fortgeschrieben'],
    [3, 'share_home_visits', vary(0.2, 0.05), 'at_least', `${asOfYear - 1}-05-01`, null, 'Beratung auch zu Hause'],
    [4, 'acceptance_rate', vary(0.7, 0.05), 'at_least', `${asOfYear - 1}-09-01`, null, 'Vermittlungen werden angenommen'],
    [5, 'share_referrals_answered_in_time', 0.85, 'at_least', `${asOfYear}-01-01`, null, 'Vermittlungen werden fristgerecht beantwortet (verschärft)'],
    [6, 'completion_rate', vary(0.6, 0.05), 'at_least', `${asOfYear}-05-01`, null, 'Begonnene Vermittlungen werden abgeschlossen'],
    [6, 'expiry_rate', 0.1, 'at_most', `${asOfYear}-05-01`, null, 'Kaum Vermittlungen ohne Antwort'],
  ];
  const standards: DistrictWorld['standards'] = [];
  const decisions = new Map<string, string[]>();
  const adoptedStandards: { id: string; meeting: { id: string; heldOn: string }; metric: string; target: number; direction: string; validFrom: string; validUntil: string | null; title: string; description: string }[] = [];
  for (const [meeting, metric, target, direction, validFrom, validUntil, title] of STANDARDS) {
    const adopted = meetings[meeting];
    if (!adopted || adopted.heldOn > validFrom) continue;
    const share = metric.startsWith('share_') || metric.endsWith('_rate');
    const description = `${direction === 'at_least' ? 'Mindestens' : 'Höchstens'} ${share ? `${Math.round(target * 100)} %` : `${target} Tage`}: ${title}.`;
    standards.push({ metric, validFrom, validUntil, target });
    decisions.set(adopted.id, [...(decisions.get(adopted.id) ?? []), `Ab ${validFrom}: ${description}`]);
    adoptedStandards.push({ id: uuidOf(ctx.seed, index, ID_CODES.standard, adoptedStandards.length), meeting: adopted, metric, target, direction, validFrom, validUntil, title, description });
  }
  const participants = new Set([districtOrg, ...providers.map((p) => p.org), jobcenter, immigration, courseProviders[0]]);
  for (const { id, heldOn } of meetings) {
    const heldDay = dayNumber(heldOn);
    const month = Number(heldOn.slice(5, 7));
    const season = month <= 4 ? 'Frühjahr' : month <= 8 ? 'Sommer' : 'Herbst';
    const place = random.pick(providers.filter((p) => p.org.seat).map((p) => p.org.seat!.name));
    meetingRows.add(
      id, districtId, heldOn, text(`Kooperationstreffen Integrationsmanagement – ${season} ${heldOn.slice(0, 4)}${demo}`), text(`Rathaus ${place}`),
      text(
        `Die Koordination (${districtName}) begrüßt die Träger des Integrationsmanagements. Die Träger berichten über Fallzahlen, ` +
          `Wartezeiten und die Zusammenarbeit mit Jobcenter und Sprachkursträgern; der Vergleichsbericht des letzten Tertials wird besprochen. ` +
          `(Fiktives Protokoll, generierte Testdaten)`,
      ),
      textArray(decisions.get(id) ?? []), ts(berlinInstant(heldDay + 1, 10 * 60)), ts(berlinInstant(heldDay + 1, 10 * 60)), '1',
    );
    for (const p of participants) participantRows.add(id, p.id);
  }
  for (const s of adoptedStandards) {
    const at = ts(berlinInstant(dayNumber(s.meeting.heldOn) + 1, 11 * 60));
    standardRows.add(s.id, districtId, text(s.title), text(s.description), s.metric, String(s.target), s.direction, s.meeting.id, s.validFrom, date(s.validUntil), at, at, '1');
  }

  return { index, ags: districtAgs, id: districtId, name: districtName, municipalities, providers, organizations, partnersByKind, coordinator, meetings, standards };
}

interface OfferingSpec {
  typeId: string;
  level: string | null;
  startsDay: number | null;
  endsDay: number | null;
  units: number | null;
  seatsTotal: number | null;
  childcare: boolean;
  cost: string;
  lifeAreas: string[];
  timeOfDay: number | null;
  createdMs: number;
  description: string | null;
}

function pickWeighted<T extends [string, number, ...unknown[]]>(random: Random, items: T[]): T {
  const total = items.reduce((sum, item) => sum + item[1], 0);
  let x = random.next() * total;
  for (const item of items) if ((x -= item[1]) < 0) return item;
  return items[items.length - 1];
}

function describe(info: OrgInfo): { de: string; en: string } {
  switch (info.kind) {
    case 'district':
      return { de: 'Landratsamt, Amt für Migration und Integration: Koordination des Integrationsmanagements im Landkreis.', en: 'District office, migration and integration: coordination of integration management in the district.' };
    case 'welfare_organization':
      return { de: 'Wohlfahrtsverband: Integrationsmanagement, Sozial- und Familienberatung.', en: 'Welfare organisation: integration management, social and family counselling.' };
    case 'jobcenter':
      return { de: 'Grundsicherung für Arbeitsuchende (SGB II), Integration Point für Geflüchtete.', en: 'Basic income support for jobseekers (SGB II), integration point for refugees.' };
    case 'employment_agency':
      return { de: 'Berufsberatung, Ausbildungs- und Arbeitsvermittlung (SGB III).', en: 'Vocational guidance, placement into training and work (SGB III).' };
    case 'language_course_provider':
      return { de: 'Zugelassener Träger von Integrations- und Berufssprachkursen.', en: 'Approved provider of integration and vocational language courses.' };
    case 'immigration_office':
      return { de: 'Untere Ausländerbehörde: Aufenthaltstitel, Verlängerungen, Niederlassungserlaubnis.', en: 'Immigration office: residence permits, extensions, settlement permits.' };
    case 'migration_counselling':
      return { de: 'Migrationsberatung für erwachsene Zugewanderte (MBE).', en: 'Migration counselling for adult immigrants (MBE).' };
    case 'youth_migration_service':
      return { de: 'Jugendmigrationsdienst: Beratung junger Menschen von 12 bis 27 Jahren.', en: 'Youth migration service: counselling for young people aged 12 to 27.' };
    case 'volunteer_group':
      return { de: 'Ehrenamtliche begleiten Geflüchtete im Alltag: Sprachcafé, Patenschaften, Wohnungssuche.', en: 'Volunteers accompany refugees in everyday life: language café, mentoring, flat search.' };
    default:
      return { de: info.name, en: info.name };
  }
}

/** The platform-wide taxonomy (offering types and life areas) with their labels: loaded once, before the districts. */
export function generateTaxonomy(terms: DatabaseRows, translationsOfDistrict0: DatabaseRows): void {
  const at = ts(berlinInstant(dayNumber('2022-12-01'), 8 * 60));
  const termRows = terms.get('taxonomy_terms');
  const translations = translationsOfDistrict0.get('translations');
  let position = 0;
  const add = (id: string, scheme: string, parent: string | null, labels: Partial<Record<Lang, string>>) => {
    termRows.add(id, scheme, text(parent), NULL, NULL, String((position += 10)), at, at, '1');
    for (const [lang, label] of Object.entries(labels)) {
      translations.add('taxonomy_term', id, 'label', lang, text(label), lang === 'de' ? 'original' : 'reviewed', NULL, at, SEED_USER);
    }
  };
  for (const [id, labels] of TAXONOMY_LIFE_AREAS) add(id, 'life_area', null, labels);
  for (const [id, parent, labels] of TAXONOMY_OFFERING_TYPES) add(id, 'offering_type', parent, labels);
}
