import { DEMO_ORGANIZATIONS, demoId, KEHL_AGS, Logger, OFFENBURG_AGS, organizationIdForAgs, ORTENAUKREIS_AGS } from '@integration-graph/common';
import { EntityManager } from 'typeorm';

/**
 * How to reach the demo organisations: contact points (public and internal), locations with opening hours and
 * coordinates (real town centres, fictional street addresses), service areas, languages spoken, descriptions and
 * accessibility notes in German with some translations (one of them outdated), and one entry left unverified for a
 * long time (stale). Idempotent: inserts what is missing with fixed ids and never overwrites what users changed.
 */

type Texts = Partial<Record<'de' | 'de-simple' | 'en' | 'uk' | 'ar' | 'fa' | 'tr' | 'ru', string>>;
type State = 'original' | 'machine_translated' | 'reviewed' | 'outdated';

const O = DEMO_ORGANIZATIONS;
const LAHR_AGS = '08317065';
const municipality = (ags: string) => organizationIdForAgs(ags);

/** Offenburg, Ohlsbach, Ortenberg, Schutterwald, Appenweier, Durbach, Neuried. */
const AROUND_OFFENBURG = [OFFENBURG_AGS, '08317097', '08317100', '08317122', '08317005', '08317021', '08317151'];
/** Lahr, Friesenheim, Kippenheim, Mahlberg, Seelbach, Schuttertal, Meißenheim. */
const AROUND_LAHR = [LAHR_AGS, '08317031', '08317059', '08317073', '08317127', '08317121', '08317075'];
/** Kehl, Willstätt, Rheinau. */
const AROUND_KEHL = [KEHL_AGS, '08317141', '08317153'];
/** Große Kreisstädte are immigration offices themselves (untere Ausländerbehörde): Achern, Kehl, Lahr, Oberkirch, Offenburg. */
const GROSSE_KREISSTAEDTE = ['08317001', KEHL_AGS, LAHR_AGS, '08317089', OFFENBURG_AGS];

interface DemoContact {
  kind: 'phone' | 'email' | 'website';
  value: string;
  label: string | null;
  visibility: 'public' | 'internal';
}

const pub = (kind: DemoContact['kind'], value: string, label: string | null = null): DemoContact => ({ kind, value, label, visibility: 'public' });
const internal = (kind: DemoContact['kind'], value: string, label: string): DemoContact => ({ kind, value, label, visibility: 'internal' });

const CONTACTS: [organizationId: string, key: string, contacts: DemoContact[]][] = [
  [O.ortenaukreis.id, 'ortenaukreis', [
    pub('phone', '+49 781 555-0100', 'Amt für Migration und Integration'),
    pub('email', 'integration@ortenaukreis.example', null),
    pub('website', 'https://www.ortenaukreis.example/integration'),
    internal('phone', '+49 781 555-0190', 'Koordination Integrationsmanagement (für Fachkräfte)'),
  ]],
  [O.offenburg.id, 'offenburg', [pub('phone', '0781 555-2000', 'Bürgerbüro'), pub('website', 'https://www.offenburg.example')]],
  [O.jobcenter.id, 'jobcenter', [
    pub('phone', '+49 781 555-3000', 'Servicecenter'),
    pub('email', 'jobcenter-ortenau@jobcenter.example', null),
    pub('website', 'https://www.jobcenter-ortenau.example'),
    internal('phone', '+49 781 555-3090', 'Durchwahl für Integrationsmanager:innen'),
    internal('email', 'integration-team@jobcenter.example', 'Team Integration, Zuweisungen'),
  ]],
  [O.vhs.id, 'vhs', [
    pub('phone', '0781 555-4000', 'Anmeldung Sprachkurse'),
    pub('email', 'deutschkurse@vhs-offenburg.example', null),
    pub('website', 'https://www.vhs-offenburg.example/deutsch'),
    internal('email', 'kursplaetze@vhs-offenburg.example', 'Freie Kursplätze für Zuweisungen'),
  ]],
  [O.caritas.id, 'caritas', [pub('phone', '(0781) 555 5000', 'Zentrale'), pub('email', 'migration@caritas-offenburg-kehl.example', 'Fachdienst Migration')]],
  [O.diakonie.id, 'diakonie', [pub('phone', '07821 555-600', 'Beratungsstelle Lahr'), internal('phone', '07821 555-690', 'Integrationsmanagement, Rückruf für Fachkräfte')]],
  [O.mbe.id, 'mbe', [pub('phone', '+49 781 555-5100', 'Migrationsberatung'), pub('email', 'mbe@caritas-offenburg-kehl.example', null)]],
  [O.immigrationOffice.id, 'auslaenderbehoerde', [
    pub('phone', '+49 781 555-0200', 'Terminvereinbarung'),
    pub('website', 'https://www.ortenaukreis.example/auslaenderbehoerde'),
    internal('email', 'abh-fachanfragen@ortenaukreis.example', 'Fachanfragen von Beratungsstellen'),
  ]],
  [O.volunteers.id, 'freundeskreis', [pub('email', 'kontakt@freundeskreis-asyl-lahr.example', null)]],
];

interface DemoLocation {
  key: string;
  organizationId: string;
  municipalityAgs: string;
  street: string;
  postalCode: string;
  city: string;
  latitude: number;
  longitude: number;
  name: Texts;
  accessibilityNote?: Texts;
  /** [weekday 1-7, opens, closes] */
  hours: [number, string, string][];
}

const WEEKDAY_MORNINGS: [number, string, string][] = [1, 2, 3, 4, 5].map((day) => [day, '08:00', '12:00']);

const LOCATIONS: DemoLocation[] = [
  {
    key: 'ortenaukreis-amt-migration', organizationId: O.ortenaukreis.id, municipalityAgs: OFFENBURG_AGS, street: 'Beispielweg 12', postalCode: '77652',
    city: 'Offenburg', latitude: 48.4721, longitude: 7.9411,
    name: { de: 'Amt für Migration und Integration', en: 'Office for Migration and Integration' },
    accessibilityNote: { de: 'Stufenloser Zugang über den Haupteingang, Aufzug, barrierefreies WC im Erdgeschoss.', en: 'Step-free access through the main entrance, lift, accessible toilet on the ground floor.' },
    hours: [...WEEKDAY_MORNINGS, [4, '14:00', '17:30']],
  },
  {
    key: 'offenburg-buergerbuero', organizationId: O.offenburg.id, municipalityAgs: OFFENBURG_AGS, street: 'Musterplatz 1', postalCode: '77652',
    city: 'Offenburg', latitude: 48.4703, longitude: 7.9425, name: { de: 'Bürgerbüro Offenburg' },
    hours: [[1, '08:00', '16:00'], [2, '08:00', '16:00'], [3, '08:00', '12:00'], [4, '08:00', '18:00'], [5, '08:00', '12:00']],
  },
  {
    key: 'jobcenter-offenburg', organizationId: O.jobcenter.id, municipalityAgs: OFFENBURG_AGS, street: 'Beispielstraße 40', postalCode: '77652',
    city: 'Offenburg', latitude: 48.4745, longitude: 7.9448,
    name: { de: 'Jobcenter Offenburg', 'de-simple': 'Jobcenter in Offenburg', uk: 'Джобцентр Оффенбург' },
    accessibilityNote: { de: 'Rampe am Seiteneingang, Aufzug in alle Etagen.' },
    hours: [...WEEKDAY_MORNINGS, [4, '13:30', '18:00']],
  },
  {
    key: 'jobcenter-lahr', organizationId: O.jobcenter.id, municipalityAgs: LAHR_AGS, street: 'Musterweg 8', postalCode: '77933',
    city: 'Lahr/Schwarzwald', latitude: 48.3403, longitude: 7.8727, name: { de: 'Jobcenter Lahr' },
    hours: [[1, '08:00', '12:00'], [3, '08:00', '12:00'], [5, '08:00', '12:00']],
  },
  {
    key: 'jobcenter-kehl', organizationId: O.jobcenter.id, municipalityAgs: KEHL_AGS, street: 'Beispielallee 3', postalCode: '77694',
    city: 'Kehl', latitude: 48.5729, longitude: 7.8156, name: { de: 'Jobcenter Kehl' },
    hours: [[2, '08:00', '12:00'], [4, '08:00', '12:00'], [4, '13:30', '16:00']],
  },
  {
    key: 'caritas-offenburg', organizationId: O.caritas.id, municipalityAgs: OFFENBURG_AGS, street: 'Musterstraße 5', postalCode: '77652',
    city: 'Offenburg', latitude: 48.4712, longitude: 7.9398, name: { de: 'Caritas-Haus Offenburg' },
    accessibilityNote: { de: 'Beratungsräume im 1. Obergeschoss, kein Aufzug. Termine im Erdgeschoss auf Anfrage.' },
    hours: [[1, '09:00', '12:00'], [2, '09:00', '12:00'], [2, '14:00', '16:00'], [4, '09:00', '12:00']],
  },
  {
    key: 'diakonie-lahr', organizationId: O.diakonie.id, municipalityAgs: LAHR_AGS, street: 'Beispielgasse 2', postalCode: '77933',
    city: 'Lahr/Schwarzwald', latitude: 48.3397, longitude: 7.8712, name: { de: 'Diakonie Beratungsstelle Lahr' },
    hours: [[1, '09:00', '12:30'], [3, '09:00', '12:30'], [3, '14:00', '17:00']],
  },
  {
    key: 'mbe-offenburg', organizationId: O.mbe.id, municipalityAgs: OFFENBURG_AGS, street: 'Musterstraße 5', postalCode: '77652',
    city: 'Offenburg', latitude: 48.4712, longitude: 7.9398, name: { de: 'Migrationsberatung im Caritas-Haus', en: 'Migration counselling at Caritas House' },
    hours: [[2, '09:00', '12:00'], [4, '14:00', '17:00']],
  },
  {
    key: 'auslaenderbehoerde-offenburg', organizationId: O.immigrationOffice.id, municipalityAgs: OFFENBURG_AGS, street: 'Beispielweg 14', postalCode: '77652',
    city: 'Offenburg', latitude: 48.4723, longitude: 7.9414, name: { de: 'Ausländerbehörde, Dienstgebäude Offenburg' },
    hours: [[1, '08:00', '12:00'], [2, '08:00', '12:00'], [4, '08:00', '12:00'], [4, '14:00', '17:00']],
  },
  {
    key: 'freundeskreis-lahr', organizationId: O.volunteers.id, municipalityAgs: LAHR_AGS, street: 'Musterplatz 9', postalCode: '77933',
    city: 'Lahr/Schwarzwald', latitude: 48.3409, longitude: 7.8735, name: { de: 'Begegnungscafé im Gemeindehaus' },
    hours: [[3, '15:00', '18:00']],
  },
];

/** Opening hours and names for the locations the offerings seed adds (seed/directory.ts), if they are there. */
const OFFERING_LOCATIONS: { key: string; name: Texts; hours: [number, string, string][] }[] = [
  { key: 'vhs-offenburg', name: { de: 'Volkshochschule Offenburg, Haus der Sprachen', en: 'Adult Education Centre Offenburg, House of Languages' }, hours: [...WEEKDAY_MORNINGS, [1, '14:00', '18:00'], [3, '14:00', '18:00']] },
  { key: 'vhs-kehl', name: { de: 'Volkshochschule, Außenstelle Kehl' }, hours: [[2, '09:00', '12:00'], [4, '15:00', '18:00']] },
];

const SERVICE_AREAS: [organizationId: string, agsList: string[] | 'district' | 'district-without-grosse-kreisstaedte'][] = [
  [O.ortenaukreis.id, 'district'],
  [O.jobcenter.id, 'district'],
  [O.immigrationOffice.id, 'district-without-grosse-kreisstaedte'],
  [O.offenburg.id, [OFFENBURG_AGS]],
  [O.vhs.id, [...AROUND_OFFENBURG, KEHL_AGS]],
  [O.caritas.id, [...AROUND_OFFENBURG, ...AROUND_KEHL]],
  [O.mbe.id, [...AROUND_OFFENBURG, ...AROUND_KEHL]],
  [O.diakonie.id, AROUND_LAHR],
  [O.volunteers.id, [LAHR_AGS]],
];

const LANGUAGES_SPOKEN: [organizationId: string, languages: string[]][] = [
  [O.ortenaukreis.id, ['de', 'en', 'ar', 'fa', 'uk', 'ru', 'tr']],
  [O.offenburg.id, ['de', 'en', 'fr']],
  [O.jobcenter.id, ['de', 'en', 'ar', 'uk', 'tr']],
  [O.vhs.id, ['de', 'en', 'uk', 'ru', 'ar']],
  [O.caritas.id, ['de', 'ar', 'fa', 'prs', 'ti']],
  [O.diakonie.id, ['de', 'en', 'ar', 'ku']],
  [O.mbe.id, ['de', 'ar', 'fa', 'en']],
  [O.immigrationOffice.id, ['de', 'en', 'fr']],
  [O.volunteers.id, ['de', 'uk', 'ar', 'tr']],
];

interface OrganizationTexts {
  organizationId: string;
  description: Texts;
  accessibilityNote?: Texts;
  /** Translations made before the German original last changed: kept, marked outdated, no longer served. */
  outdatedDescription?: Texts;
}

const ORGANIZATION_TEXTS: OrganizationTexts[] = [
  {
    organizationId: O.ortenaukreis.id,
    description: {
      de: 'Das Amt für Migration und Integration des Landratsamts koordiniert das Integrationsmanagement im Ortenaukreis und berät Geflüchtete in der Anschlussunterbringung.',
      'de-simple': 'Das Amt hilft Geflüchteten im Ortenaukreis. Sie bekommen Beratung für Wohnen, Arbeit und Sprache.',
      en: 'The district office for migration and integration coordinates integration management in the Ortenaukreis and counsels refugees in follow-up accommodation.',
      uk: 'Управління з питань міграції та інтеграції координує інтеграційний менеджмент в окрузі Ортенау та консультує біженців.',
      ar: 'ينسق مكتب الهجرة والاندماج إدارة الاندماج في مقاطعة أورتيناو ويقدم المشورة للاجئين.',
    },
  },
  {
    organizationId: O.jobcenter.id,
    description: {
      de: 'Das Jobcenter Ortenaukreis sichert den Lebensunterhalt nach dem SGB II und unterstützt bei Arbeitssuche, Ausbildung und Sprachkursen. Termine nur nach Vereinbarung.',
      'de-simple': 'Das Jobcenter gibt Geld zum Leben. Es hilft auch bei der Suche nach Arbeit. Sie brauchen einen Termin.',
      uk: 'Джобцентр забезпечує засоби до існування відповідно до SGB II та допомагає з пошуком роботи, навчанням і мовними курсами. Прийом лише за записом.',
    },
    outdatedDescription: { en: 'The Jobcenter pays basic income support and helps with finding work. Walk-in hours Monday to Friday.' },
  },
  {
    organizationId: O.vhs.id,
    description: {
      de: 'Die Volkshochschule Offenburg ist Träger von Integrationskursen, Alphabetisierungskursen und Berufssprachkursen. Einstufungstests jeden Mittwoch.',
      en: 'The adult education centre runs integration courses, literacy courses and vocational German courses. Placement tests every Wednesday.',
      uk: 'Народна вища школа Оффенбурга проводить інтеграційні курси, курси грамоти та курси професійної німецької. Тести на рівень щосереди.',
      ar: 'تقدم الجامعة الشعبية في أوفنبورغ دورات الاندماج ودورات محو الأمية ودورات اللغة المهنية.',
    },
    accessibilityNote: { de: 'Alle Kursräume sind mit dem Aufzug erreichbar; Induktionsschleife in Raum 1.' },
  },
  {
    organizationId: O.caritas.id,
    description: { de: 'Der Caritasverband berät Geflüchtete und Zugewanderte in Offenburg und Kehl und übernimmt Integrationsmanagement für einzelne Gemeinden.', en: 'Caritas counsels refugees and migrants in Offenburg and Kehl.' },
  },
  {
    organizationId: O.diakonie.id,
    description: { de: 'Die Diakonie berät in Lahr und Umgebung zu Wohnen, Arbeit und Familie und begleitet Ehrenamtliche.' },
    accessibilityNote: { de: 'Erdgeschoss, stufenloser Zugang.' },
  },
  {
    organizationId: O.mbe.id,
    description: { de: 'Die Migrationsberatung für Erwachsene (MBE) berät Zugewanderte über 27 Jahre in den ersten drei Jahren nach der Ankunft.', ar: 'تقدم استشارات الهجرة للبالغين فوق 27 عامًا خلال السنوات الثلاث الأولى بعد الوصول.', fa: 'مشاوره مهاجرت برای بزرگسالان بالای ۲۷ سال در سه سال اول پس از ورود.' },
  },
  {
    organizationId: O.volunteers.id,
    description: { de: 'Ehrenamtliche begleiten Geflüchtete in Lahr: Sprachcafé, Patenschaften, Hilfe bei Behördengängen.', uk: 'Волонтери супроводжують біженців у Ларі: мовне кафе, наставництво, допомога з установами.' },
  },
];

/** When the volunteers last confirmed their entry: long ago, so the demo shows a stale entry. */
const STALE_SINCE = '2024-03-01T10:00:00Z';

async function insert(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await manager.query(`${sql} ON CONFLICT DO NOTHING RETURNING 1`, params)).length;
}

/** Texts of one field; German is the original, the others translations in the given state. */
async function insertTexts(manager: EntityManager, entityType: 'organization' | 'location', entityId: string, owner: string, field: string, texts: Texts, state: State = 'reviewed'): Promise<void> {
  for (const [lang, text] of Object.entries(texts)) {
    await insert(
      manager,
      `INSERT INTO translations (entity_type, entity_id, field, lang, text, state, owner_organization_id, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'seed')`,
      [entityType, entityId, field, lang, text, lang === 'de' ? 'original' : state, owner],
    );
  }
}

async function insertOpeningHours(manager: EntityManager, locationKey: string, hours: [number, string, string][]): Promise<void> {
  for (const [index, [weekday, opens, closes]] of hours.entries()) {
    // Only for a location that exists (those of seed/directory.ts are someone else's seed).
    await insert(
      manager,
      `INSERT INTO opening_hours (id, location_id, weekday, opens, closes) SELECT $1, id, $3, $4, $5 FROM locations WHERE id = $2`,
      [demoId('opening-hours', `${locationKey}-${index}`), demoId('location', locationKey), weekday, opens, closes],
    );
  }
}

export async function seedContacts(manager: EntityManager, logger: Logger): Promise<void> {
  let contacts = 0;
  for (const [organizationId, key, list] of CONTACTS) {
    for (const [position, contact] of list.entries()) {
      contacts += await insert(
        manager,
        `INSERT INTO contact_points (id, organization_id, kind, value, label, visibility, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [demoId('contact-point', `${key}-${position}`), organizationId, contact.kind, contact.value, contact.label, contact.visibility, position],
      );
    }
  }

  let locations = 0;
  for (const location of LOCATIONS) {
    const id = demoId('location', location.key);
    locations += await insert(
      manager,
      `INSERT INTO locations (id, organization_id, municipality_id, street, postal_code, city, latitude, longitude) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, location.organizationId, municipality(location.municipalityAgs), location.street, location.postalCode, location.city, location.latitude, location.longitude],
    );
    await insertOpeningHours(manager, location.key, location.hours);
    await insertTexts(manager, 'location', id, location.organizationId, 'name', location.name);
    if (location.accessibilityNote) await insertTexts(manager, 'location', id, location.organizationId, 'accessibilityNote', location.accessibilityNote);
  }
  for (const location of OFFERING_LOCATIONS) {
    const [existing] = await manager.query(`SELECT organization_id FROM locations WHERE id = $1`, [demoId('location', location.key)]);
    if (!existing) continue;
    await insertOpeningHours(manager, location.key, location.hours);
    await insertTexts(manager, 'location', demoId('location', location.key), existing.organization_id, 'name', location.name);
  }

  const districtId = organizationIdForAgs(ORTENAUKREIS_AGS);
  for (const [organizationId, area] of SERVICE_AREAS) {
    if (Array.isArray(area)) {
      for (const ags of area) {
        await insert(manager, `INSERT INTO organization_service_areas (organization_id, municipality_id) VALUES ($1, $2)`, [organizationId, municipality(ags)]);
      }
    } else {
      await insert(
        manager,
        `INSERT INTO organization_service_areas (organization_id, municipality_id)
         SELECT $1, id FROM organizations WHERE kind = 'municipality' AND parent_id = $2 AND NOT (official_municipality_key = ANY($3::text[]))`,
        [organizationId, districtId, area === 'district' ? [] : GROSSE_KREISSTAEDTE],
      );
    }
  }

  // Languages and verification dates only where nobody has set them yet.
  for (const [organizationId, languages] of LANGUAGES_SPOKEN) {
    await manager.query(`UPDATE organizations SET languages_spoken = $2 WHERE id = $1 AND languages_spoken = '{}'`, [organizationId, languages]);
  }
  for (const texts of ORGANIZATION_TEXTS) {
    const { organizationId } = texts;
    await insertTexts(manager, 'organization', organizationId, organizationId, 'description', texts.description);
    if (texts.accessibilityNote) await insertTexts(manager, 'organization', organizationId, organizationId, 'accessibilityNote', texts.accessibilityNote);
    if (texts.outdatedDescription) await insertTexts(manager, 'organization', organizationId, organizationId, 'description', texts.outdatedDescription, 'outdated');
  }
  await manager.query(`UPDATE organizations SET last_verified_at = $2 WHERE id = $1 AND last_verified_by = 'seed'`, [O.volunteers.id, STALE_SINCE]);

  logger.info({ contacts, locations }, 'partners demo contact points and locations');
}
