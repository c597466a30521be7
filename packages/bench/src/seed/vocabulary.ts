/**
 * The generator's vocabulary: fictional people put together from common first and family names of the main
 * countries of origin (transliterated, as German offices write them), goals, measures, notes and offering titles.
 * Everything is made up; any resemblance of a combination to a real person is chance.
 */

export type Gender = 'female' | 'male' | 'diverse' | 'unspecified';

export interface Origin {
  nationality: string;
  weight: number;
  /** Languages spoken (ISO 639-1), the first usually the mother tongue; the second with some probability. */
  languages: string[];
  residence: [status: string, weight: number][];
  names: NameGroup;
}

export interface NameGroup {
  female: string[];
  male: string[];
  family: string[];
  /** Family names with a female form (Russian -ov/-ova). */
  femaleFamily?: (name: string) => string;
}

const ARABIC: NameGroup = {
  female: ['Amina', 'Fatima', 'Mariam', 'Nour', 'Rania', 'Hala', 'Lina', 'Rasha', 'Yasmin', 'Huda', 'Salma', 'Dima', 'Reem', 'Aya', 'Zeinab', 'Hiba', 'Berfin', 'Rojda'],
  male: ['Ahmad', 'Mohammad', 'Yusuf', 'Omar', 'Khaled', 'Samir', 'Bashar', 'Hassan', 'Ali', 'Mahmoud', 'Rami', 'Tarek', 'Ibrahim', 'Karim', 'Walid', 'Majid', 'Rojhat', 'Azad'],
  family: ['Al-Hassan', 'Haddad', 'Al-Masri', 'Khalil', 'Ibrahim', 'Hussein', 'Darwish', 'Saleh', 'Nasser', 'Al-Ahmad', 'Kassem', 'Mansour', 'Youssef', 'Hamdan', 'Othman', 'Shaheen', 'Al-Khatib', 'Barakat', 'Aziz', 'Mirza', 'Hesso', 'Sido'],
};
const AFGHAN: NameGroup = {
  female: ['Zahra', 'Mariam', 'Fereshta', 'Nilofar', 'Shabnam', 'Parisa', 'Mahbooba', 'Sima', 'Laila', 'Roya', 'Mina', 'Hasina', 'Nazanin', 'Soraya', 'Farzana', 'Marzia'],
  male: ['Ahmad', 'Mohammad', 'Hamid', 'Omid', 'Jawad', 'Farid', 'Rahim', 'Naveed', 'Sayed', 'Mustafa', 'Karim', 'Nasir', 'Bilal', 'Hasib', 'Wahid', 'Zabiullah'],
  family: ['Ahmadi', 'Rahimi', 'Karimi', 'Hakimi', 'Sultani', 'Noori', 'Hashimi', 'Amiri', 'Popal', 'Safi', 'Stanikzai', 'Wardak', 'Hotak', 'Mohammadi', 'Nazari', 'Sadat', 'Azizi', 'Haidari', 'Jafari', 'Qaderi'],
};
const UKRAINIAN: NameGroup = {
  female: ['Olena', 'Iryna', 'Kateryna', 'Oksana', 'Nataliia', 'Tetiana', 'Yuliia', 'Anastasiia', 'Svitlana', 'Halyna', 'Mariia', 'Viktoriia', 'Liudmyla', 'Daria', 'Sofiia', 'Khrystyna'],
  male: ['Dmytro', 'Oleksandr', 'Andrii', 'Serhii', 'Mykola', 'Volodymyr', 'Yurii', 'Ivan', 'Vasyl', 'Taras', 'Bohdan', 'Maksym', 'Oleh', 'Roman', 'Petro', 'Artem'],
  family: ['Kovalenko', 'Shevchenko', 'Bondarenko', 'Tkachenko', 'Kravchenko', 'Melnyk', 'Boiko', 'Kovalchuk', 'Oliinyk', 'Lysenko', 'Moroz', 'Marchenko', 'Savchenko', 'Rudenko', 'Petrenko', 'Pavlenko', 'Klymenko', 'Ponomarenko', 'Levchenko', 'Karpenko'],
};
const TURKISH: NameGroup = {
  female: ['Ayşe', 'Elif', 'Zeynep', 'Fatma', 'Emine', 'Hatice', 'Leyla', 'Dilan', 'Berfin', 'Rojda', 'Sevda', 'Gülsüm', 'Meryem', 'Songül', 'Zehra', 'Nurcan'],
  male: ['Mehmet', 'Mustafa', 'Ahmet', 'Ali', 'Hüseyin', 'İbrahim', 'Murat', 'Serkan', 'Deniz', 'Rojhat', 'Baran', 'Emre', 'Kemal', 'Yusuf', 'Ömer', 'Cem'],
  family: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Aydın', 'Öztürk', 'Arslan', 'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özdemir', 'Polat', 'Tekin', 'Güneş'],
};
const PERSIAN: NameGroup = {
  female: ['Maryam', 'Shirin', 'Parisa', 'Niloufar', 'Sara', 'Mahsa', 'Leila', 'Roya', 'Azadeh', 'Negar', 'Mina', 'Fatemeh'],
  male: ['Ali', 'Reza', 'Hossein', 'Mehdi', 'Amir', 'Saeed', 'Behnam', 'Arash', 'Davood', 'Hamed', 'Majid', 'Kaveh'],
  family: ['Hosseini', 'Mohammadi', 'Rezaei', 'Ahmadi', 'Moradi', 'Karimi', 'Jafari', 'Ebrahimi', 'Rahimi', 'Sadeghi', 'Tehrani', 'Kazemi'],
};
const ERITREAN: NameGroup = {
  female: ['Senait', 'Helen', 'Mehret', 'Selam', 'Yodit', 'Rahel', 'Saba', 'Winta', 'Lidia', 'Feven'],
  male: ['Yonas', 'Dawit', 'Tesfay', 'Mulugeta', 'Filmon', 'Samuel', 'Kibrom', 'Haile', 'Abraham', 'Biniam'],
  family: ['Tesfamariam', 'Gebremedhin', 'Haile', 'Tekle', 'Berhane', 'Ghebreyesus', 'Woldemichael', 'Kidane', 'Mehari', 'Yohannes'],
};
const NIGERIAN: NameGroup = {
  female: ['Blessing', 'Chioma', 'Ngozi', 'Funmilayo', 'Adaeze', 'Grace', 'Joy', 'Aisha', 'Precious', 'Esther'],
  male: ['Chinedu', 'Emeka', 'Oluwaseun', 'Ibrahim', 'Tunde', 'Samuel', 'Godwin', 'Daniel', 'Uche', 'Babatunde'],
  family: ['Okafor', 'Adeyemi', 'Okonkwo', 'Eze', 'Bello', 'Olawale', 'Nwosu', 'Adebayo', 'Ogunleye', 'Ibekwe'],
};
const GEORGIAN: NameGroup = {
  female: ['Nino', 'Tamar', 'Mariam', 'Ana', 'Ketevan', 'Salome'],
  male: ['Giorgi', 'Levan', 'David', 'Irakli', 'Nika', 'Zurab'],
  family: ['Beridze', 'Kapanadze', 'Gelashvili', 'Maisuradze', 'Lomidze', 'Tsiklauri', 'Giorgadze', 'Kvaratskhelia'],
};
const SOMALI: NameGroup = {
  female: ['Hodan', 'Amina', 'Fadumo', 'Sahra', 'Ifrah', 'Ayaan', 'Nasra', 'Hibo'],
  male: ['Abdi', 'Mohamed', 'Ahmed', 'Abdirahman', 'Hassan', 'Liban', 'Yusuf', 'Mahad'],
  family: ['Warsame', 'Farah', 'Abdullahi', 'Hussein', 'Jama', 'Osman', 'Ali', 'Mohamud', 'Egal', 'Dahir'],
};
const RUSSIAN: NameGroup = {
  female: ['Elena', 'Irina', 'Anna', 'Olga', 'Natalia', 'Tatiana', 'Svetlana', 'Maria'],
  male: ['Dmitri', 'Alexei', 'Sergei', 'Ivan', 'Nikolai', 'Andrei', 'Pavel', 'Mikhail'],
  family: ['Smirnov', 'Kuznetsov', 'Popov', 'Sokolov', 'Lebedev', 'Kozlov', 'Novikov', 'Morozov', 'Volkov', 'Fedorov'],
  femaleFamily: (name) => (/(ov|ev|in)$/.test(name) ? `${name}a` : name),
};

export const ORIGINS: Origin[] = [
  { nationality: 'UA', weight: 30, languages: ['uk', 'ru'], residence: [['temporary_protection', 95], ['other_humanitarian', 5]], names: UKRAINIAN },
  { nationality: 'SY', weight: 20, languages: ['ar', 'ku'], residence: [['recognised_refugee', 55], ['subsidiary_protection', 40], ['settlement_permit', 5]], names: ARABIC },
  {
    nationality: 'AF', weight: 15, languages: ['fa', 'ps'],
    residence: [['subsidiary_protection', 35], ['national_deportation_ban', 25], ['recognised_refugee', 20], ['asylum_procedure', 15], ['tolerated_stay', 5]], names: AFGHAN,
  },
  { nationality: 'TR', weight: 8, languages: ['tr', 'ku'], residence: [['asylum_procedure', 50], ['recognised_refugee', 30], ['tolerated_stay', 10], ['subsidiary_protection', 10]], names: TURKISH },
  {
    nationality: 'IQ', weight: 7, languages: ['ar', 'ku'],
    residence: [['recognised_refugee', 30], ['subsidiary_protection', 30], ['national_deportation_ban', 20], ['tolerated_stay', 20]], names: ARABIC,
  },
  { nationality: 'IR', weight: 4, languages: ['fa', 'en'], residence: [['recognised_refugee', 60], ['asylum_procedure', 30], ['other', 10]], names: PERSIAN },
  { nationality: 'ER', weight: 3, languages: ['ti', 'ar'], residence: [['recognised_refugee', 70], ['subsidiary_protection', 30]], names: ERITREAN },
  { nationality: 'NG', weight: 3, languages: ['en', 'yo'], residence: [['asylum_procedure', 40], ['tolerated_stay', 40], ['other', 20]], names: NIGERIAN },
  { nationality: 'GE', weight: 2, languages: ['ka', 'ru'], residence: [['asylum_procedure', 60], ['tolerated_stay', 40]], names: GEORGIAN },
  { nationality: 'SO', weight: 2, languages: ['so', 'ar'], residence: [['subsidiary_protection', 50], ['recognised_refugee', 50]], names: SOMALI },
  { nationality: 'RU', weight: 2, languages: ['ru', 'en'], residence: [['asylum_procedure', 50], ['recognised_refugee', 30], ['other_humanitarian', 20]], names: RUSSIAN },
];

export const LIFE_AREAS = [
  'language', 'work', 'vocational_training', 'study', 'childcare', 'school', 'housing', 'residence', 'health', 'leisure_clubs', 'social_participation', 'finances',
] as const;
export type LifeArea = (typeof LIFE_AREAS)[number];

/** How often goals are set per life area (language and work dominate the plans). */
export const GOAL_AREA_WEIGHTS: [LifeArea, number][] = [
  ['language', 24], ['work', 16], ['vocational_training', 7], ['study', 2], ['childcare', 5], ['school', 4], ['housing', 12], ['residence', 9], ['health', 6],
  ['leisure_clubs', 3], ['social_participation', 5], ['finances', 7],
];

export const GOALS: Record<LifeArea, string[]> = {
  language: ['Deutsch B1 mit Zertifikat (Deutsch-Test für Zuwanderer)', 'Integrationskurs abschließen', 'Deutsch A2 erreichen, um im Alltag zurechtzukommen', 'Berufssprachkurs B2 für die Anerkennung'],
  work: ['Sozialversicherungspflichtige Beschäftigung aufnehmen', 'Minijob als Einstieg in den Arbeitsmarkt', 'Arbeitsstelle im erlernten Beruf finden', 'Praktikum in einem Betrieb vor Ort'],
  vocational_training: ['Ausbildungsplatz zum nächsten Herbst', 'Einstiegsqualifizierung beginnen', 'Berufsorientierung abschließen'],
  study: ['Hochschulzugang klären und Studium beginnen', 'Abschluss anerkennen lassen und Masterstudium aufnehmen'],
  childcare: ['Kita-Platz für das jüngste Kind', 'Betreuung der Kinder während des Sprachkurses'],
  school: ['Die Kinder sind in der Schule angekommen; regelmäßiger Kontakt zu den Lehrkräften', 'Wechsel auf die weiterführende Schule begleiten'],
  housing: ['Auszug aus der Anschlussunterbringung in eine eigene Wohnung', 'Wohnberechtigungsschein beantragen und Wohnung suchen', 'Nebenkosten verstehen, Mietschulden vermeiden'],
  residence: ['Niederlassungserlaubnis beantragen', 'Aufenthaltserlaubnis rechtzeitig verlängern', 'Pass beschaffen und Identität klären', 'Familiennachzug klären'],
  health: ['Hausarztpraxis und regelmäßige Vorsorge', 'Psychosoziale Beratung in Anspruch nehmen', 'Krankenversicherung klären'],
  leisure_clubs: ['Mitglied in einem Sportverein', 'Freizeitangebote für die Familie finden'],
  social_participation: ['Ehrenamtliches Engagement in der Nachbarschaft', 'Kontakt zu Nachbarinnen und Nachbarn aufbauen'],
  finances: ['Haushaltsbudget im Griff und Schulden geregelt', 'Girokonto eröffnen und Daueraufträge einrichten', 'Anträge auf Leistungen vollständig stellen'],
};

/** Measures per life area: description, who is responsible, and for a partner the kind of organisation. */
export const MEASURES: Record<LifeArea, [description: string, responsible: 'client' | 'integration_manager' | 'partner', partnerKind?: string][]> = {
  language: [
    ['Anmeldung zum Integrationskurs', 'partner', 'language_course_provider'],
    ['Wöchentlich das Sprachcafé besuchen', 'client'],
    ['Antrag auf Kostenbefreiung stellen', 'integration_manager'],
    ['Anmeldung zur Prüfung Deutsch-Test für Zuwanderer', 'partner', 'language_course_provider'],
  ],
  work: [
    ['Beim Arbeitgeberservice des Jobcenters vorstellen', 'partner', 'jobcenter'],
    ['Lebenslauf und Anschreiben gemeinsam erstellen', 'integration_manager'],
    ['Mindestens fünf Bewerbungen schreiben', 'client'],
    ['Beratung zur Anerkennung des Berufsabschlusses', 'partner', 'migration_counselling'],
  ],
  vocational_training: [
    ['Berufsberatung der Agentur für Arbeit', 'partner', 'employment_agency'],
    ['Auf Ausbildungsplätze bewerben', 'client'],
    ['Praktikum organisieren', 'integration_manager'],
  ],
  study: [
    ['Zeugnisse beim Studienkolleg einreichen', 'client'],
    ['Anerkennung des Abschlusses beantragen', 'integration_manager'],
    ['Beratung beim Jugendmigrationsdienst', 'partner', 'youth_migration_service'],
  ],
  childcare: [
    ['Anmeldung im Kita-Portal der Gemeinde', 'integration_manager'],
    ['Zwei Kitas besichtigen', 'client'],
  ],
  school: [
    ['Gespräch mit der Klassenlehrkraft mit Dolmetschung', 'integration_manager'],
    ['Hausaufgabenbetreuung organisieren', 'partner', 'volunteer_group'],
  ],
  housing: [
    ['Wohnberechtigungsschein beantragen', 'client'],
    ['Wohnungssuche mit dem Freundeskreis', 'partner', 'volunteer_group'],
    ['Kurs Wohnungsführerschein besuchen', 'partner', 'welfare_organization'],
  ],
  residence: [
    ['Unterlagen für den Antrag zusammenstellen', 'integration_manager'],
    ['Termin bei der Ausländerbehörde', 'partner', 'immigration_office'],
  ],
  health: [
    ['Hausarztpraxis suchen, die neue Patientinnen und Patienten aufnimmt', 'client'],
    ['Termin bei der psychosozialen Beratungsstelle vereinbaren', 'integration_manager'],
  ],
  leisure_clubs: [
    ['Probetraining im Sportverein', 'client'],
    ['Kontakt zum örtlichen Verein herstellen', 'partner', 'volunteer_group'],
  ],
  social_participation: [
    ['Vorstellung beim Helferkreis', 'partner', 'volunteer_group'],
    ['Teilnahme am Nachbarschaftsfest', 'client'],
  ],
  finances: [
    ['Schuldnerberatung bei der Migrationsberatung', 'partner', 'migration_counselling'],
    ['Haushaltsplan aufstellen', 'integration_manager'],
  ],
};

/** How often referrals serve each life area. */
export const REFERRAL_AREA_WEIGHTS: [LifeArea, number][] = [
  ['language', 34], ['work', 20], ['residence', 10], ['housing', 8], ['vocational_training', 7], ['finances', 5], ['social_participation', 4], ['leisure_clubs', 3],
  ['health', 3], ['study', 2], ['childcare', 2], ['school', 2],
];

/** Which kinds of partner receive referrals of a life area, and how often. */
export const RECEIVERS: Record<LifeArea, [kind: string, weight: number][]> = {
  language: [['language_course_provider', 85], ['volunteer_group', 10], ['migration_counselling', 5]],
  work: [['jobcenter', 75], ['employment_agency', 20], ['migration_counselling', 5]],
  vocational_training: [['employment_agency', 55], ['jobcenter', 35], ['youth_migration_service', 10]],
  study: [['youth_migration_service', 60], ['migration_counselling', 40]],
  childcare: [['youth_migration_service', 50], ['welfare_organization', 50]],
  school: [['youth_migration_service', 60], ['volunteer_group', 40]],
  housing: [['volunteer_group', 45], ['welfare_organization', 35], ['migration_counselling', 20]],
  residence: [['immigration_office', 80], ['migration_counselling', 20]],
  health: [['migration_counselling', 60], ['welfare_organization', 40]],
  leisure_clubs: [['volunteer_group', 100]],
  social_participation: [['volunteer_group', 100]],
  finances: [['migration_counselling', 70], ['welfare_organization', 30]],
};

export const REFERRAL_REASONS: Record<LifeArea, string[]> = {
  language: ['Anmeldung zum Integrationskurs', 'Platz im Berufssprachkurs', 'Alphabetisierungskurs mit Kinderbetreuung', 'Sprachpraxis im Sprachcafé'],
  work: ['Unterstützung bei der Arbeitssuche', 'Beratung zur Arbeitsaufnahme und zu Leistungen', 'Vermittlung in eine Maßnahme zur Aktivierung'],
  vocational_training: ['Berufsberatung und Ausbildungsvermittlung', 'Einstiegsqualifizierung'],
  study: ['Beratung zum Hochschulzugang', 'Anerkennung ausländischer Abschlüsse'],
  childcare: ['Unterstützung bei der Kita-Suche', 'Beratung zur Kinderbetreuung'],
  school: ['Begleitung beim Schulwechsel', 'Hausaufgabenhilfe'],
  housing: ['Begleitung bei der Wohnungssuche', 'Kurs Wohnungsführerschein'],
  residence: ['Antrag auf Niederlassungserlaubnis', 'Verlängerung der Aufenthaltserlaubnis', 'Klärung der Passpflicht'],
  health: ['Psychosoziale Beratung', 'Unterstützung bei der Suche nach einer Hausarztpraxis'],
  leisure_clubs: ['Vermittlung an einen Sportverein'],
  social_participation: ['Kontakt zum Helferkreis', 'Patenschaft im Ort'],
  finances: ['Schuldnerberatung', 'Beratung zu Leistungsansprüchen'],
};

/** What each kind of receiver may get (the scope of the data-sharing consent for it). */
export const SCOPES: Record<string, string[]> = {
  jobcenter: ['name', 'dateOfBirth', 'phone', 'email', 'residenceStatus', 'germanLevel', 'qualifications', 'schooling'],
  employment_agency: ['name', 'dateOfBirth', 'phone', 'germanLevel', 'qualifications', 'schooling', 'drivingLicence'],
  language_course_provider: ['name', 'dateOfBirth', 'phone', 'languages', 'germanLevel', 'schooling'],
  immigration_office: ['name', 'dateOfBirth', 'nationalities', 'residenceStatus', 'arrivedOn', 'address'],
  migration_counselling: ['name', 'phone', 'languages', 'residenceStatus'],
  youth_migration_service: ['name', 'dateOfBirth', 'phone', 'languages', 'schooling'],
  volunteer_group: ['name', 'phone', 'languages'],
  welfare_organization: ['name', 'phone', 'languages', 'household'],
};

export const CONSULTATION_NOTES = [
  'Termin beim Jobcenter vorbereitet.', 'Fragen zum Mietvertrag geklärt.', 'Anmeldung zum Integrationskurs besprochen.', 'Antrag auf Kindergeld gemeinsam ausgefüllt.',
  'Post vom Landratsamt gemeinsam gelesen und erklärt.', 'Bewerbungsunterlagen überarbeitet.', 'Kita-Anmeldung besprochen.', 'Termin bei der Ausländerbehörde vorbereitet.',
  'Nebenkostenabrechnung erklärt.', 'Arzttermin vereinbart und Dolmetschung organisiert.', 'Stand des Integrationsplans besprochen.', 'Wohnungsangebote durchgesehen.',
];

export const REVIEW_NOTES = [
  'Plan mit der Klientin bzw. dem Klienten besprochen, Ziele bestätigt.', 'Schwerpunkt für die nächsten Monate auf Arbeit gelegt.',
  'Fortschritte beim Deutschlernen festgehalten.', 'Neue Ziele nach dem Umzug vereinbart.',
];

export const QUALIFICATIONS = ['Elektriker (5 Jahre Berufspraxis)', 'Schneiderin', 'Krankenpfleger (Diplom)', 'Kfz-Mechaniker', 'Buchhalterin', 'Friseurin', 'Bäcker', 'Schweißer', 'Tischler', 'Erzieherin'];
export const DEGREES = ['Bachelor Bauingenieurwesen', 'Bachelor Betriebswirtschaft', 'Master Informatik', 'Diplom Humanmedizin', 'Bachelor Pädagogik', 'Bachelor Englische Philologie'];
export const EXPERIENCE = [
  'Bau, 8 Jahre', 'Einzelhandel im Familienbetrieb, 10 Jahre', 'Landwirtschaft', 'Pflege im Krankenhaus, 6 Jahre', 'Lehrerin an einer Grundschule', 'Werkstatt, 12 Jahre',
  'Gastronomie, 4 Jahre', 'Lager und Logistik, 3 Jahre', 'Textilfabrik, 7 Jahre', 'Keine Berufserfahrung',
];
export const STRENGTHS = [
  'Zuverlässig, sehr motiviert zu arbeiten', 'Gut mit Zahlen, organisiert', 'Spricht mehrere Sprachen', 'Praktisch veranlagt, hilft anderen in der Unterkunft',
  'Kommunikativ und offen', 'Handwerklich geschickt',
];

export const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

export type Lang = 'de' | 'de-simple' | 'en' | 'uk' | 'ar' | 'fa' | 'tr' | 'ru';

/** Platform-wide taxonomy (the same ids and labels as the partners subgraph's demo seed). */
export const TAXONOMY_LIFE_AREAS: [id: string, labels: Partial<Record<Lang, string>>][] = [
  ['language', { de: 'Sprache', 'de-simple': 'Deutsch lernen', en: 'Language', uk: 'Мова', ar: 'اللغة', fa: 'زبان', tr: 'Dil' }],
  ['work-training-study', { de: 'Arbeit, Ausbildung, Studium', 'de-simple': 'Arbeit und Ausbildung', en: 'Work, training and study', uk: 'Робота, навчання', ar: 'العمل والتدريب والدراسة', fa: 'کار، آموزش و تحصیل', tr: 'İş, meslek eğitimi ve öğrenim' }],
  ['childcare-school', { de: 'Kinderbetreuung und Schule', 'de-simple': 'Kita und Schule', en: 'Childcare and school', uk: 'Догляд за дітьми та школа', ar: 'رعاية الأطفال والمدرسة', fa: 'مهدکودک و مدرسه', tr: 'Çocuk bakımı ve okul' }],
  ['housing', { de: 'Wohnen', 'de-simple': 'Wohnen', en: 'Housing', uk: 'Житло', ar: 'السكن', fa: 'مسکن', tr: 'Konut' }],
  ['residence', { de: 'Aufenthalt', 'de-simple': 'Aufenthalt', en: 'Residence status', uk: 'Правовий статус перебування', ar: 'الإقامة', fa: 'اقامت', tr: 'Oturum durumu' }],
  ['health', { de: 'Gesundheit', 'de-simple': 'Gesundheit', en: 'Health', uk: 'Здоров’я', ar: 'الصحة', fa: 'سلامت', tr: 'Sağlık' }],
  ['leisure-clubs', { de: 'Freizeit und Vereine', 'de-simple': 'Freizeit', en: 'Leisure and clubs', uk: 'Дозвілля та клуби', ar: 'الترفيه والنوادي', fa: 'اوقات فراغت و انجمن‌ها', tr: 'Boş zaman ve dernekler' }],
];

export const TAXONOMY_OFFERING_TYPES: [id: string, parent: string | null, labels: Partial<Record<Lang, string>>][] = [
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

/** Titles of offerings by type, with {level} for the target level where there is one. */
export const OFFERING_TITLES: Record<string, Partial<Record<Lang, string>>> = {
  'integration-course-general': {
    de: 'Integrationskurs {level}', 'de-simple': 'Deutsch-Kurs {level}', en: 'Integration course {level}', uk: 'Інтеграційний курс {level}', ar: 'دورة الاندماج {level}',
    fa: 'دوره ادغام {level}', tr: 'Uyum kursu {level}', ru: 'Интеграционный курс {level}',
  },
  'integration-course-literacy': {
    de: 'Integrationskurs mit Alphabetisierung', 'de-simple': 'Lesen und Schreiben lernen', en: 'Integration course with literacy', uk: 'Інтеграційний курс з навчанням грамоти',
    ar: 'دورة الاندماج مع محو الأمية', fa: 'دوره ادغام با سوادآموزی',
  },
  'integration-course-youth': { de: 'Jugendintegrationskurs', en: 'Integration course for young people', uk: 'Інтеграційний курс для молоді', ar: 'دورة الاندماج للشباب' },
  'integration-course-parents': { de: 'Elternintegrationskurs mit Kinderbetreuung', en: 'Integration course for parents, with childcare', ar: 'دورة الاندماج للآباء والأمهات' },
  'integration-course-women': { de: 'Frauenintegrationskurs', 'de-simple': 'Deutsch-Kurs für Frauen', en: 'Integration course for women', ar: 'دورة الاندماج للنساء', fa: 'دوره ادغام برای زنان' },
  'integration-course-intensive': { de: 'Intensivkurs {level}', en: 'Intensive integration course {level}', uk: 'Інтенсивний курс {level}', ru: 'Интенсивный курс {level}' },
  'vocational-language-course': { de: 'Berufssprachkurs {level}', 'de-simple': 'Deutsch für den Beruf {level}', en: 'Vocational German {level}', uk: 'Курс професійної німецької {level}', tr: 'Meslek Almancası {level}' },
  'orientation-course': { de: 'Orientierungskurs: Leben in Deutschland', en: 'Orientation course: life in Germany', uk: 'Орієнтаційний курс' },
  'workshop-housing-licence': { de: 'Wohnungsführerschein', 'de-simple': 'Kurs: Gut wohnen in Deutschland', uk: 'Посвідчення орендаря', ar: 'رخصة السكن' },
  'workshop-values-democracy': { de: 'Werte und Demokratie', en: 'Values and democracy', ar: 'القيم والديمقراطية' },
  'workshop-intercultural-training': { de: 'Interkulturelles Training für Ehrenamtliche', en: 'Intercultural training for volunteers' },
  counselling: { de: 'Offene Sprechstunde', en: 'Open consultation hours', ar: 'ساعات استشارة مفتوحة', uk: 'Відкриті консультації', fa: 'ساعات مشاوره باز' },
  'group-activity': { de: 'Sprachcafé', 'de-simple': 'Deutsch sprechen im Café', uk: 'Мовне кафе', ar: 'مقهى اللغة', tr: 'Dil kafesi' },
};

export const TIME_OF_DAY: Partial<Record<Lang, string[]>> = {
  de: ['vormittags', 'nachmittags', 'abends'],
  en: ['mornings', 'afternoons', 'evenings'],
  uk: ['зранку', 'вдень', 'ввечері'],
};

/** Prefixes and suffixes of fictional place names ("Oberkesselbach", "Neu-Hallweiler"). */
export const PLACE_PREFIXES = ['Ober', 'Unter', 'Nieder', 'Neu', 'Alt', 'Klein', 'Groß', 'Hoch', 'Hinter', 'Vorder'];
export const PLACE_SUFFIXES = ['ingen', 'heim', 'hausen', 'bach', 'weiler', 'stetten', 'dorf', 'berg', 'au', 'feld', 'hofen', 'tal', 'stadt', 'burg', 'wangen', 'weier'];
