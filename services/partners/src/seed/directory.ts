import { DEMO_ORGANIZATIONS, demoId, Logger, organizationIdForAgs, OFFENBURG_AGS, KEHL_AGS } from '@integration-graph/common';
import { EntityManager } from 'typeorm';

type Labels = Partial<Record<'de' | 'de-simple' | 'en' | 'uk' | 'ar' | 'fa' | 'tr', string>>;

/**
 * Platform-wide categories. Course types and their hours change with the rules: they are data (and a district can
 * add local terms with addTaxonomyTerm), not code.
 */
const LIFE_AREAS: [id: string, labels: Labels][] = [
  ['language', { de: 'Sprache', 'de-simple': 'Deutsch lernen', en: 'Language', uk: 'Мова', ar: 'اللغة', fa: 'زبان', tr: 'Dil' }],
  ['work-training-study', { de: 'Arbeit, Ausbildung, Studium', 'de-simple': 'Arbeit und Ausbildung', en: 'Work, training and study', uk: 'Робота, навчання', ar: 'العمل والتدريب والدراسة', fa: 'کار، آموزش و تحصیل', tr: 'İş, meslek eğitimi ve öğrenim' }],
  ['childcare-school', { de: 'Kinderbetreuung und Schule', 'de-simple': 'Kita und Schule', en: 'Childcare and school', uk: 'Догляд за дітьми та школа', ar: 'رعاية الأطفال والمدرسة', fa: 'مهدکودک و مدرسه', tr: 'Çocuk bakımı ve okul' }],
  ['housing', { de: 'Wohnen', 'de-simple': 'Wohnen', en: 'Housing', uk: 'Житло', ar: 'السكن', fa: 'مسکن', tr: 'Konut' }],
  ['residence', { de: 'Aufenthalt', 'de-simple': 'Aufenthalt', en: 'Residence status', uk: 'Правовий статус перебування', ar: 'الإقامة', fa: 'اقامت', tr: 'Oturum durumu' }],
  ['health', { de: 'Gesundheit', 'de-simple': 'Gesundheit', en: 'Health', uk: 'Здоров’я', ar: 'الصحة', fa: 'سلامت', tr: 'Sağlık' }],
  ['leisure-clubs', { de: 'Freizeit und Vereine', 'de-simple': 'Freizeit', en: 'Leisure and clubs', uk: 'Дозвілля та клуби', ar: 'الترفيه والنوادي', fa: 'اوقات فراغت و انجمن‌ها', tr: 'Boş zaman ve dernekler' }],
];

const OFFERING_TYPES: [id: string, parent: string | null, labels: Labels][] = [
  ['integration-course', null, { de: 'Integrationskurs', 'de-simple': 'Integrations-Kurs', en: 'Integration course', uk: 'Інтеграційний курс', ar: 'دورة الاندماج', tr: 'Uyum kursu' }],
  ['integration-course-general', 'integration-course', { de: 'Allgemeiner Integrationskurs (600 + 100 UE)', 'de-simple': 'Integrations-Kurs', en: 'General integration course (600 + 100 lessons)', uk: 'Загальний інтеграційний курс (600 + 100 уроків)' }],
  ['integration-course-literacy', 'integration-course', { de: 'Integrationskurs mit Alphabetisierung (900 + 100 UE)', 'de-simple': 'Kurs: Lesen und Schreiben lernen', en: 'Integration course with literacy (900 + 100 lessons)', uk: 'Інтеграційний курс з навчанням грамоти' }],
  ['integration-course-youth', 'integration-course', { de: 'Jugendintegrationskurs (900 + 100 UE)', en: 'Integration course for young people' }],
  ['integration-course-parents', 'integration-course', { de: 'Elternintegrationskurs (900 + 100 UE)', en: 'Integration course for parents' }],
  ['integration-course-women', 'integration-course', { de: 'Frauenintegrationskurs (900 + 100 UE)', en: 'Integration course for women' }],
  ['integration-course-intensive', 'integration-course', { de: 'Intensivkurs (400 + 30 UE)', en: 'Intensive integration course (400 + 30 lessons)' }],
  ['vocational-language-course', null, { de: 'Berufssprachkurs (DeuFöV)', 'de-simple': 'Deutsch für den Beruf', en: 'Vocational German course (DeuFöV)', uk: 'Курс професійної німецької мови' }],
  ['orientation-course', null, { de: 'Orientierungskurs', en: 'Orientation course' }],
  ['workshop', null, { de: 'Workshop', en: 'Workshop', uk: 'Семінар' }],
  ['workshop-housing-licence', 'workshop', { de: 'Wohnungsführerschein', 'de-simple': 'Kurs: Gut wohnen', en: 'Housing licence workshop', uk: 'Курс «Посвідчення орендаря»' }],
  ['workshop-values-democracy', 'workshop', { de: 'Werte und Demokratie', en: 'Values and democracy' }],
  ['workshop-non-violent-communication', 'workshop', { de: 'Gewaltfreie Kommunikation', en: 'Non-violent communication' }],
  ['workshop-intercultural-training', 'workshop', { de: 'Interkulturelles Training', en: 'Intercultural training' }],
  ['counselling', null, { de: 'Beratung', en: 'Counselling', uk: 'Консультація', ar: 'استشارة' }],
  ['group-activity', null, { de: 'Gruppenangebot', 'de-simple': 'Treffen in der Gruppe', en: 'Group activity', uk: 'Групове заняття' }],
];

interface DemoOffering {
  key: string;
  organizationId: string;
  type: string;
  lifeAreas: string[];
  location: string | null;
  serves: string[];
  level: string | null;
  startsOn: string | null;
  endsOn: string | null;
  units: number | null;
  seats: [total: number, free: number] | null;
  instruction: string[];
  support: string[];
  childcare: boolean;
  cost: string | null;
  status: string;
  title: Labels;
  description?: Labels;
  /** A translation made before the German original last changed: kept, marked outdated, no longer served. */
  outdated?: Labels;
}

const O = DEMO_ORGANIZATIONS;
const ags = (key: string) => organizationIdForAgs(key);
// Offenburg, Ohlsbach, Ortenberg, Schutterwald, Appenweier, Durbach, Neuried
const AROUND_OFFENBURG = [OFFENBURG_AGS, '08317097', '08317100', '08317122', '08317005', '08317021', '08317151'].map(ags);

const OFFERINGS: DemoOffering[] = [
  {
    key: 'vhs-ik-allgemein-2027-01', organizationId: O.vhs.id, type: 'integration-course-general', lifeAreas: ['language'], location: 'vhs-offenburg',
    serves: AROUND_OFFENBURG, level: 'B1', startsOn: '2027-01-11', endsOn: '2027-09-24', units: 700, seats: [20, 4],
    instruction: ['de'], support: ['uk', 'ar'], childcare: false, cost: '0.00', status: 'open',
    title: { de: 'Integrationskurs B1, vormittags', uk: 'Інтеграційний курс B1, зранку', en: 'Integration course B1, mornings' },
    description: { de: 'Allgemeiner Integrationskurs mit Orientierungskurs, Montag bis Freitag 8:30 bis 12:45 Uhr.', uk: 'Загальний інтеграційний курс з орієнтаційним курсом, з понеділка по п’ятницю 8:30–12:45.' },
  },
  {
    key: 'vhs-ik-abend-2027-02', organizationId: O.vhs.id, type: 'integration-course-general', lifeAreas: ['language'], location: 'vhs-offenburg',
    serves: AROUND_OFFENBURG, level: 'B1', startsOn: '2027-02-01', endsOn: '2027-12-17', units: 700, seats: [20, 9],
    instruction: ['de'], support: [], childcare: false, cost: '0.00', status: 'open',
    title: { de: 'Integrationskurs B1, abends' },
    description: { de: 'Für Berufstätige: Montag bis Donnerstag 18:00 bis 21:15 Uhr.' },
  },
  {
    key: 'vhs-alpha-2026-09', organizationId: O.vhs.id, type: 'integration-course-literacy', lifeAreas: ['language'], location: 'vhs-offenburg',
    serves: AROUND_OFFENBURG, level: 'A2', startsOn: '2026-09-14', endsOn: '2027-10-29', units: 1000, seats: [16, 0],
    instruction: ['de'], support: ['fa', 'ar'], childcare: true, cost: '0.00', status: 'full',
    title: { de: 'Alphabetisierungskurs mit Kinderbetreuung', 'de-simple': 'Lesen und Schreiben lernen, mit Kinder-Betreuung', fa: 'دوره سوادآموزی با مراقبت از کودک' },
  },
  {
    key: 'vhs-berufssprache-b2-2027-03', organizationId: O.vhs.id, type: 'vocational-language-course', lifeAreas: ['language', 'work-training-study'], location: 'vhs-offenburg',
    serves: AROUND_OFFENBURG, level: 'B2', startsOn: '2027-03-01', endsOn: '2027-08-27', units: 400, seats: [18, 6],
    instruction: ['de'], support: [], childcare: false, cost: '0.00', status: 'open',
    title: { de: 'Berufssprachkurs B1 → B2', uk: 'Курс професійної німецької B1 → B2', en: 'Vocational German B1 → B2' },
    outdated: { tr: 'Meslek Almancası B1 → B2 (akşam)' },
  },
  {
    key: 'vhs-kehl-intensiv-2027-01', organizationId: O.vhs.id, type: 'integration-course-intensive', lifeAreas: ['language'], location: 'vhs-kehl',
    serves: [], level: 'B1', startsOn: '2027-01-18', endsOn: '2027-06-25', units: 430, seats: [15, 2],
    instruction: ['de'], support: ['uk', 'ru'], childcare: false, cost: '0.00', status: 'open',
    title: { de: 'Intensivkurs B1 in Kehl', uk: 'Інтенсивний курс B1 у Кель' },
  },
  {
    key: 'diakonie-wohnungsfuehrerschein-2027-02', organizationId: O.diakonie.id, type: 'workshop-housing-licence', lifeAreas: ['housing'], location: null,
    serves: AROUND_OFFENBURG, level: null, startsOn: '2027-02-06', endsOn: '2027-02-27', units: null, seats: [12, 5],
    instruction: ['de'], support: ['ar', 'uk', 'tr'], childcare: true, cost: '0.00', status: 'open',
    title: { de: 'Wohnungsführerschein', 'de-simple': 'Kurs: Gut wohnen in Deutschland', uk: 'Посвідчення орендаря', ar: 'رخصة السكن' },
    description: { de: 'Vier Samstage: Mietvertrag, Nebenkosten, Mülltrennung, Nachbarschaft. Mit Zertifikat für die Wohnungssuche.' },
  },
  {
    key: 'mbe-sprechstunde', organizationId: O.mbe.id, type: 'counselling', lifeAreas: ['residence', 'work-training-study'], location: null,
    serves: AROUND_OFFENBURG, level: null, startsOn: null, endsOn: null, units: null, seats: null,
    instruction: ['de'], support: ['ar', 'fa', 'en'], childcare: false, cost: '0.00', status: 'running',
    title: { de: 'Offene Sprechstunde der Migrationsberatung', en: 'Open consultation hours, migration counselling', ar: 'ساعات استشارة مفتوحة' },
  },
  {
    key: 'freundeskreis-sprachcafe', organizationId: O.volunteers.id, type: 'group-activity', lifeAreas: ['language', 'leisure-clubs'], location: null,
    serves: [ags('08317065')], level: 'A1', startsOn: null, endsOn: null, units: null, seats: null,
    instruction: ['de'], support: ['uk', 'ar', 'tr'], childcare: true, cost: '0.00', status: 'running',
    title: { de: 'Sprachcafé Lahr', 'de-simple': 'Deutsch sprechen im Café', uk: 'Мовне кафе в Ларі' },
  },
  {
    key: 'vhs-ik-2026-ended', organizationId: O.vhs.id, type: 'integration-course-general', lifeAreas: ['language'], location: 'vhs-offenburg',
    serves: AROUND_OFFENBURG, level: 'B1', startsOn: '2025-10-06', endsOn: '2026-06-26', units: 700, seats: [20, 3],
    instruction: ['de'], support: [], childcare: false, cost: '0.00', status: 'ended',
    title: { de: 'Integrationskurs B1 (abgeschlossen)' },
  },
];

const LOCATIONS: [key: string, organizationId: string, municipalityAgs: string, street: string, postalCode: string, city: string, lat: number, lon: number][] = [
  ['vhs-offenburg', O.vhs.id, OFFENBURG_AGS, 'Beispielstraße 1', '77652', 'Offenburg', 48.4708, 7.9407],
  ['vhs-kehl', O.vhs.id, KEHL_AGS, 'Musterplatz 3', '77694', 'Kehl', 48.5728, 7.8153],
];

async function insert(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await manager.query(`${sql} ON CONFLICT DO NOTHING RETURNING 1`, params)).length;
}

async function texts(manager: EntityManager, entityType: string, entityId: string, owner: string | null, field: string, labels: Labels, state = 'machine_translated'): Promise<void> {
  for (const [lang, text] of Object.entries(labels)) {
    const rowState = lang === 'de' ? 'original' : state;
    await insert(manager, `INSERT INTO translations (entity_type, entity_id, field, lang, text, state, owner_organization_id, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'seed')`, [
      entityType, entityId, field, lang, text, rowState, owner,
    ]);
  }
}

/** Taxonomies, offering locations and offerings with texts. Idempotent. */
export async function seedDirectory(manager: EntityManager, logger: Logger): Promise<void> {
  let position = 0;
  for (const [id, labels] of LIFE_AREAS) {
    await insert(manager, `INSERT INTO taxonomy_terms (id, scheme, position) VALUES ($1, 'life_area', $2)`, [id, (position += 10)]);
    await texts(manager, 'taxonomy_term', id, null, 'label', labels, 'reviewed');
  }
  for (const [id, parent, labels] of OFFERING_TYPES) {
    await insert(manager, `INSERT INTO taxonomy_terms (id, scheme, parent_id, position) VALUES ($1, 'offering_type', $2, $3)`, [id, parent, (position += 10)]);
    await texts(manager, 'taxonomy_term', id, null, 'label', labels, 'reviewed');
  }
  for (const [key, organizationId, municipalityAgs, street, postalCode, city, lat, lon] of LOCATIONS) {
    await insert(manager, `INSERT INTO locations (id, organization_id, municipality_id, street, postal_code, city, latitude, longitude) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      demoId('location', key), organizationId, ags(municipalityAgs), street, postalCode, city, lat, lon,
    ]);
  }
  let inserted = 0;
  for (const offering of OFFERINGS) {
    const id = demoId('offering', offering.key);
    inserted += await insert(
      manager,
      `INSERT INTO offerings (id, organization_id, type_id, location_id, target_level, starts_on, ends_on, teaching_units, seats_total, seats_free,
         instruction_languages, support_languages, childcare, cost_eur, status, last_verified_at, last_verified_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now(), 'seed')`,
      [
        id, offering.organizationId, offering.type, offering.location ? demoId('location', offering.location) : null, offering.level,
        offering.startsOn, offering.endsOn, offering.units, offering.seats?.[0] ?? null, offering.seats?.[1] ?? null,
        offering.instruction, offering.support, offering.childcare, offering.cost, offering.status,
      ],
    );
    for (const area of offering.lifeAreas) await insert(manager, `INSERT INTO offering_life_areas (offering_id, life_area_id) VALUES ($1, $2)`, [id, area]);
    for (const municipality of offering.serves) await insert(manager, `INSERT INTO offering_service_areas (offering_id, municipality_id) VALUES ($1, $2)`, [id, municipality]);
    await texts(manager, 'offering', id, offering.organizationId, 'title', offering.title);
    if (offering.description) await texts(manager, 'offering', id, offering.organizationId, 'description', offering.description);
    if (offering.outdated) await texts(manager, 'offering', id, offering.organizationId, 'title', offering.outdated, 'outdated');
  }
  logger.info({ inserted, total: OFFERINGS.length }, 'partners demo offerings');
}
