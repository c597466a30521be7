import { createHash } from 'node:crypto';
import { bool, date, DatabaseRows, json, NULL, num, text, textArray, ts } from './copy-format';
import { Random, uuidOf, Weighted } from './random';
import { ID_CODES } from './tables';
import { addMonthsDay, berlinDay, berlinDayNo, berlinInstant, DAY, dayNumber, dayString, HOUR, MINUTE, workingDayOnOrAfter } from './time';
import {
  CONSULTATION_NOTES, DEGREES, EXPERIENCE, GOAL_AREA_WEIGHTS, GOALS, LEVELS, LifeArea, MEASURES, Origin, ORIGINS, QUALIFICATIONS, RECEIVERS, REFERRAL_AREA_WEIGHTS,
  REFERRAL_REASONS, REVIEW_NOTES, SCOPES, STRENGTHS,
} from './vocabulary';
import { DistrictWorld, GeneratorContext, MunicipalityInfo, OfferingInfo, OrgInfo, UserInfo } from './world';

/** Cases of one organisation whose clients consented to sharing with one partner (valid now): for sendReferral. */
export interface ReferralTarget {
  partnerOrganizationId: string;
  partnerKind: string;
  lifeArea: string;
  caseIds: string[];
}

export interface PeopleSummary {
  cases: number;
  /** Open cases per owning organisation that its caseworkers see (not restricted): for recordConsultation. */
  openCases: Map<string, string[]>;
  /** Per owning organisation, per partner: cases with valid consents for sending it a referral. */
  referralTargets: Map<string, Map<string, ReferralTarget>>;
  /** Non-draft referrals per receiving organisation (the size of each partner's inbox). */
  inbox: Map<string, number>;
  /** Cases assigned per caseworker. */
  caseload: Map<string, number>;
  /** Cases per owning organisation (what a caseworker's `cases` list can show, restricted ones aside). */
  casesByOwner: Map<string, number>;
}

const PROGRAM = 'bw-im-2023';
const COUNSELLING_TEXT = 'IM-BW-Einwilligung-2023-2';
const SHARING_TEXT = 'IM-BW-Datenweitergabe-2023-1';
const COUNSELLING_PURPOSES = ['Beratung im Integrationsmanagement', 'Integrationsplan', 'Anonymisierte Statistik für das Land'];
const EXPIRY_COMMENT = 'No answer within the response deadline';

const origins = new Weighted(ORIGINS.map((o): [Origin, number] => [o, o.weight]));
const goalAreas = new Weighted(GOAL_AREA_WEIGHTS);
const referralAreas = new Weighted(REFERRAL_AREA_WEIGHTS);
const earlyReasons = new Weighted<string>([['moved_away', 40], ['no_contact', 30], ['declined', 20], ['other', 10]]);
const regularReasons = new Weighted<string>([['goals_achieved', 40], ['self_reliant', 30], ['moved_away', 15], ['no_contact', 8], ['other', 7]]);
const closingGoalStatuses = new Weighted<string>([['achieved', 50], ['partly_achieved', 20], ['not_achieved', 15], ['dropped', 15]]);
const priorities = new Weighted<string>([['high', 40], ['medium', 45], ['low', 15]]);
const isced = new Weighted<number>([[0, 5], [1, 15], [2, 25], [3, 30], [4, 8], [5, 4], [6, 9], [7, 4]]);
const recognition = new Weighted<string>([['not_started', 35], ['in_progress', 30], ['partial', 15], ['full', 12], ['rejected', 8]]);
const durations = [15, 30, 30, 45, 45, 45, 60, 60, 90, 120];
const declineReasons = new Weighted<string>([['no_capacity', 45], ['not_eligible', 20], ['not_responsible', 15], ['client_unreachable', 12], ['duplicate', 3], ['other', 5]]);
const failureReasons = new Weighted<string>([['dropped_out', 50], ['moved_away', 15], ['health', 15], ['service_ended', 10], ['other', 10]]);
const cancelReasons = new Weighted<string>([['client_withdrew', 35], ['referred_elsewhere', 20], ['no_longer_needed', 30], ['sent_in_error', 5], ['other', 10]]);
const levelsReached = new Weighted<string>([['A1', 5], ['A2', 25], ['B1', 45], ['B2', 20], ['C1', 5]]);
const restrictionReasons = new Weighted<string>([['accuracy_contested', 40], ['objection_pending', 30], ['legal_claims', 20], ['unlawful_processing', 10]]);
const upper = (value: string) => value.toUpperCase();

interface Skeleton {
  municipality: MunicipalityInfo;
  openedMs: number;
  openedDay: string;
  closeMs: number;
  status: 'intake' | 'active' | 'paused' | 'closed';
  closureReason: string | null;
  extended: boolean;
  activeEndMs: number;
  hasConsent: boolean;
  consentMs: number;
  counsellingRevokedMs: number | null;
}

interface GermanSkill {
  level: string;
  certificate: string | null;
}

/** The client's data as a referral snapshot reads it (the fields of the cases subgraph's snapshotOf). */
interface SnapshotSource {
  name: { givenName: string; familyName: string };
  dateOfBirth: string;
  phone: string | null;
  email: string | null;
  languages: string[];
  nationalities: string[];
  residenceStatus: string;
  arrivedOn: string | null;
  address: { municipalityId: string; accommodationSiteId: string | null; privateFlatSince: string | null };
  germanLevel: Record<string, GermanSkill>;
  qualifications: { vocationalQualification: string | null; academicDegree: string | null; recognitionStatus: string | null; workExperience: string | null };
  schooling: { schoolingYears: number | null; highestSchoolingIsced: number | null };
  drivingLicence: string | null;
  household: { children: { dateOfBirth: string; careStatus: string }[] };
}

interface PlanEvent {
  ms: number;
  author: string;
  summary: string;
  changes: { entity: string; id: string; field: string; before: unknown; after: unknown }[];
}

interface OpenHousehold {
  id: string;
  members: number;
  children: { dateOfBirth: string; careStatus: string }[];
}

/**
 * The people of one district: clients, households, cases with assignments, consents, living integration plans with
 * goals, measures and every revision, consultations (cases subgraph), and the referrals of those cases to the
 * district's partners with their history (referrals subgraph). Everything happened before `ctx.asOfMs`, follows the
 * services' rules (a closed case takes no changes, a consultation is not before the opening, a referral goes through
 * the state machine, the deadline job expired what nobody answered) and carries its owning organisation.
 */
export function generatePeople(ctx: GeneratorContext, world: DistrictWorld, casesRows: DatabaseRows, referralsRows: DatabaseRows): PeopleSummary {
  const d = world.index;
  const seed = ctx.seed;
  const asOf = dayString(ctx.asOfDay);
  const asOfMs = ctx.asOfMs;
  const cutoffDay = dayNumber(addMonthsDay(asOf, -36)) + 1; // retention: nothing closed longer than 36 months ago
  const cutoffMs = berlinInstant(cutoffDay, 0);
  const n = ctx.casesPerDistrict;
  const municipalities = new Weighted(world.municipalities.map((m): [MunicipalityInfo, number] => [m, m.population]));

  // ------------------------------------------------------------------------------------------- pass 1: case timelines
  const random = new Random(seed, d, 2);
  const oldest = dayNumber(addMonthsDay(asOf, -42));
  const threeYears = dayNumber(addMonthsDay(asOf, -36));
  const skeletons: Skeleton[] = [];
  for (let i = 0; i < n; i++) {
    const municipality = municipalities.pick(random);
    let day = random.chance(0.08) ? random.int(oldest, threeYears - 1) : random.int(threeYears, ctx.asOfDay - 1);
    day = Math.min(workingDayOnOrAfter(day), ctx.asOfDay - 1);
    const openedMs = berlinInstant(day, 8 * 60 + random.int(0, 510));
    const openedDay = dayString(day);
    let months: number;
    let reason: string;
    let extended = false;
    if (random.chance(0.12)) {
      months = random.logNormal(4, 0.6);
      reason = earlyReasons.pick(random);
    } else {
      months = random.logNormal(24, 0.45);
      reason = regularReasons.pick(random);
      if (months >= 36) {
        extended = random.chance(0.12);
        months = Math.min(months, extended ? 48 : 36);
        if (months >= (extended ? 48 : 36)) reason = 'period_ended';
      }
    }
    let closeDay =
      reason === 'period_ended' ? dayNumber(addMonthsDay(openedDay, extended ? 48 : 36)) : workingDayOnOrAfter(day + Math.max(7, Math.round(months * 30.44)));
    if (closeDay < cutoffDay) closeDay = workingDayOnOrAfter(cutoffDay + random.int(0, 30));
    let closeMs = berlinInstant(closeDay, 9 * 60 + random.int(0, 420));
    let status: Skeleton['status'] = 'closed';
    if (closeMs >= asOfMs) {
      closeMs = Infinity;
      status = day >= ctx.asOfDay - 35 && random.chance(0.6) ? 'intake' : random.chance(0.05) ? 'paused' : 'active';
    }
    const hasConsent = status !== 'intake' || random.chance(0.5);
    const consentDay = Math.min(day + random.int(0, 3), ctx.asOfDay - 1);
    const consentMs = Math.max(openedMs + 10 * MINUTE, berlinInstant(consentDay, 10 * 60));
    const activeEndMs = Math.min(closeMs, asOfMs - MINUTE);
    const revoked = status === 'closed' && reason === 'declined' && hasConsent && random.chance(0.4) ? Math.max(consentMs + HOUR, closeMs - 2 * HOUR) : null;
    skeletons.push({
      municipality, openedMs, openedDay, closeMs, status, closureReason: status === 'closed' ? reason : null, extended, activeEndMs, hasConsent,
      consentMs: Math.min(consentMs, activeEndMs), counsellingRevokedMs: revoked,
    });
  }
  // Rates per active day, so that a district at scale 1 has about 60,000 consultations and 20,000 referrals.
  let activeDays = 0;
  let referralDays = 0;
  for (const s of skeletons) {
    activeDays += Math.max(0, s.activeEndMs - s.openedMs) / DAY;
    if (s.hasConsent) referralDays += Math.max(0, referralWindow(s, cutoffMs)[1] - referralWindow(s, cutoffMs)[0]) / DAY;
  }
  const consultationRate = activeDays > 0 ? (12 * n) / activeDays : 0;
  const referralRate = referralDays > 0 ? (4 * n) / referralDays : 0;

  // ------------------------------------------------------------------------------------------- pass 2: rows
  const rows = {
    households: casesRows.get('households'),
    clients: casesRows.get('clients'),
    children: casesRows.get('household_children'),
    cases: casesRows.get('cases'),
    assignments: casesRows.get('case_assignments'),
    consents: casesRows.get('consents'),
    plans: casesRows.get('integration_plans'),
    goals: casesRows.get('goals'),
    measures: casesRows.get('measures'),
    revisions: casesRows.get('plan_revisions'),
    consultations: casesRows.get('consultations'),
    referrals: referralsRows.get('referrals'),
    events: referralsRows.get('referral_events'),
  };
  const counters = { household: 0, child: 0, consent: 0, goal: 0, measure: 0, revision: 0, consultation: 0, referral: 0, event: 0 };
  const next = (code: number, key: keyof typeof counters) => uuidOf(seed, d, code, counters[key]++);
  const summary: PeopleSummary = { cases: n, inbox: new Map(), caseload: new Map(), casesByOwner: new Map(), openCases: new Map(), referralTargets: new Map() };
  const openHouseholds = new Map<string, OpenHousehold>();

  for (let i = 0; i < n; i++) {
    const s = skeletons[i];
    const r = new Random(seed, d, 3, i);
    const provider = s.municipality.provider;
    const owner = provider.org.id;
    const caseId = uuidOf(seed, d, ID_CODES.case, i);
    const clientId = uuidOf(seed, d, ID_CODES.client, i);
    const planId = uuidOf(seed, d, ID_CODES.plan, i);
    const lead = provider.leads[0];
    const caseworker = r.pick(provider.caseworkers);
    const second = r.chance(0.08) && provider.caseworkers.length > 1 ? r.pick(provider.caseworkers.filter((u) => u !== caseworker)) : null;
    const openedDayNo = dayNumber(s.openedDay);

    // ----------------------------------------------------------------------------------------- client
    const origin = origins.pick(r);
    const g = r.next();
    const gender = g < 0.47 ? 'female' : g < 0.985 ? 'male' : g < 0.993 ? 'diverse' : 'unspecified';
    const givenName = r.pick(gender === 'female' || (gender !== 'male' && r.chance(0.5)) ? origin.names.female : origin.names.male);
    const family = r.pick(origin.names.family);
    const familyName = gender === 'female' && origin.names.femaleFamily ? origin.names.femaleFamily(family) : family;
    const age = Math.min(67, 18 + Math.floor(r.logNormal(15, 0.5)));
    const dateOfBirth = dayString(openedDayNo - Math.floor(age * 365.25) - r.int(0, 364));
    const languages = [origin.nationality === 'UA' && r.chance(0.3) ? 'ru' : origin.languages[0]];
    for (const extra of [...origin.languages.slice(1), 'en']) if (!languages.includes(extra) && r.chance(extra === 'en' ? 0.25 : 0.4)) languages.push(extra);
    const override = r.chance(0.01);
    let arrivedDay: number;
    if (override) arrivedDay = dayNumber('2013-03-01') + r.int(0, 600);
    else if (origin.nationality === 'UA') arrivedDay = dayNumber('2022-03-01') + r.int(0, 900);
    else {
      const y = r.next();
      const year = y < 0.35 ? r.int(2015, 2016) : y < 0.6 ? r.int(2017, 2021) : r.int(2022, 2025);
      arrivedDay = dayNumber(`${year}-01-01`) + r.int(0, 364);
    }
    arrivedDay = Math.min(arrivedDay, openedDayNo - 14);
    if (!override) arrivedDay = Math.max(arrivedDay, dayNumber('2015-01-01'));
    const residenceStatus = new Weighted(origin.residence).pick(r);
    const f = r.next();
    const followUp = residenceStatus === 'temporary_protection' ? (f < 0.45 ? 'current' : f < 0.7 ? 'former' : 'never') : f < 0.6 ? 'current' : 'former';
    const siteId = followUp === 'current' && s.municipality.openSites.length ? r.pick(s.municipality.openSites) : null;
    const flatSince = followUp === 'former' ? dayString(Math.min(ctx.asOfDay - 1, arrivedDay + r.int(180, 1400))) : null;
    const phone = r.chance(0.78) ? `+49 1${r.pick(['51', '52', '57', '60', '62', '70', '76'])} 555${r.int(10000, 99999)}` : null;
    const email = r.chance(0.3) ? `${ascii(givenName)}.${ascii(familyName)}${r.int(1, 99)}@mail.example` : null;
    const restrictedMs = r.chance(0.002) ? s.openedMs + Math.floor(r.next() * (s.activeEndMs - s.openedMs)) : null;

    // household
    let householdId: string | null = null;
    let householdChildren: { dateOfBirth: string; careStatus: string }[] = [];
    const open = openHouseholds.get(owner);
    if (open && open.members === 1 && r.chance(0.14)) {
      householdId = open.id;
      householdChildren = open.children;
      open.members = 2;
    } else if (r.chance(0.38)) {
      householdId = next(ID_CODES.household, 'household');
      const created = ts(s.openedMs - 10 * MINUTE);
      rows.households.add(householdId, owner, text(`Familie ${familyName}`), created, created, '1');
      const count = new Weighted<number>([[0, 25], [1, 25], [2, 25], [3, 15], [4, 10]]).pick(r);
      for (let k = 0; k < count; k++) {
        const ageDays = Math.floor(Math.pow(r.next(), 1.3) * 17.9 * 365.25);
        const childBirth = dayString(ctx.asOfDay - 1 - ageDays);
        const years = ageDays / 365.25;
        const care = years < 1 ? 'at_home' : years < 3 ? (r.chance(0.5) ? 'daycare' : 'at_home') : years < 6 ? 'daycare' : years < 10 ? 'primary_school' : years < 16 ? 'secondary_school' : r.chance(0.6) ? 'vocational_school' : 'secondary_school';
        const childName = r.pick(r.chance(0.5) ? origin.names.female : origin.names.male);
        rows.children.add(next(ID_CODES.child, 'child'), owner, householdId, text(childName), childBirth, care, created, created, '1');
        householdChildren.push({ dateOfBirth: childBirth, careStatus: care });
      }
      openHouseholds.set(owner, { id: householdId, members: 1, children: householdChildren });
    }
    rows.clients.add(
      clientId, owner, text(householdId), text(givenName), text(familyName), dateOfBirth, gender, textArray([origin.nationality]), textArray(languages),
      dayString(arrivedDay), residenceStatus, followUp, text(siteId), date(flatSince), text(phone), text(email), ts(s.openedMs - 5 * MINUTE),
      ts(restrictedMs ?? s.openedMs - 5 * MINUTE), restrictedMs ? '2' : '1', ts(restrictedMs),
      restrictedMs ? restrictionReasons.pick(r) : NULL, restrictedMs ? text('Die Klientin bzw. der Klient bestreitet die Richtigkeit der Angaben.') : NULL,
      restrictedMs ? lead.id : NULL,
    );

    // ----------------------------------------------------------------------------------------- case, assignment
    const restrictedToAssigned = r.chance(0.03);
    let version = 1 + (s.status === 'intake' ? 0 : 1) + (s.status === 'paused' || s.status === 'closed' ? 1 : 0) + (s.extended ? 1 : 0);
    if (s.status === 'closed' && s.closureReason === 'period_ended' && !s.extended) version = 3;
    const updatedMs = s.status === 'closed' ? s.closeMs : Math.min(s.activeEndMs, s.openedMs + (s.status === 'intake' ? 0 : r.int(1, 20) * DAY));
    rows.cases.add(
      caseId, owner, s.status, ts(s.openedMs), NULL, ts(s.openedMs), ts(Math.max(updatedMs, s.openedMs)), String(version), clientId, s.municipality.id, PROGRAM,
      addMonthsDay(s.openedDay, s.extended ? 48 : 36), s.extended ? text('Verlängerung wegen laufender Ausbildung') : NULL, bool(restrictedToAssigned),
      ts(s.status === 'closed' ? s.closeMs : null), text(s.closureReason), s.closureReason === 'other' ? text('Sonstiger Grund: Rückkehr ins Herkunftsland') : NULL,
      override ? text('Härtefall: Einreise vor 2015, seither ohne Beratung') : NULL, override ? lead.id : NULL,
    );
    rows.assignments.add(caseId, caseworker.id, owner, ts(s.openedMs), lead.id);
    if (second) rows.assignments.add(caseId, second.id, owner, ts(s.openedMs + HOUR), lead.id);
    summary.caseload.set(caseworker.id, (summary.caseload.get(caseworker.id) ?? 0) + 1);
    summary.casesByOwner.set(owner, (summary.casesByOwner.get(owner) ?? 0) + 1);
    const author = () => (r.chance(0.1) ? lead.id : caseworker.id);

    // ----------------------------------------------------------------------------------------- counselling consent
    const counsellingId = s.hasConsent ? next(ID_CODES.consent, 'consent') : null;
    if (counsellingId) {
      const revoked = s.counsellingRevokedMs;
      rows.consents.add(
        counsellingId, owner, caseId, 'counselling', NULL, NULL, '{}', textArray(COUNSELLING_PURPOSES), COUNSELLING_TEXT, languages[0], berlinDay(s.consentMs), NULL,
        caseworker.id, ts(revoked), revoked ? text('Einwilligung mündlich widerrufen') : NULL, ts(s.consentMs), ts(revoked ?? s.consentMs), revoked ? '2' : '1',
      );
    }

    // ----------------------------------------------------------------------------------------- integration plan
    const events: PlanEvent[] = [{ ms: s.openedMs + MINUTE, author: caseworker.id, summary: 'Plan created', changes: [{ entity: 'plan', id: planId, field: 'created', before: null, after: s.openedDay }] }];
    const plan = {
      schoolingYears: null as number | null,
      highestSchoolingIsced: null as number | null,
      vocationalQualification: null as string | null,
      academicDegree: null as string | null,
      recognitionStatus: null as string | null,
      workExperience: null as string | null,
      germanSkills: {} as Record<string, GermanSkill>,
      otherLanguages: [] as string[],
      drivingLicence: null as string | null,
      strengths: null as string | null,
      lastReviewedOn: null as string | null,
      nextReviewDue: addMonthsDay(s.openedDay, 6),
    };
    const profileMs = s.openedMs + Math.max(HOUR, r.logNormal(6, 0.8) * DAY);
    if (profileMs < s.activeEndMs && (s.status !== 'intake' || r.chance(0.7))) {
      const yearsHere = (openedDayNo - arrivedDay) / 365.25;
      const base = Math.min(3, Math.max(0, Math.floor(yearsHere / 1.5 + r.normal(0, 0.8))));
      const skill = (delta: number): GermanSkill => ({ level: LEVELS[Math.max(0, Math.min(4, base + delta))], certificate: null });
      const qualification = r.chance(0.45) ? r.pick(QUALIFICATIONS) : null;
      const degree = r.chance(0.12) ? r.pick(DEGREES) : null;
      Object.assign(plan, {
        schoolingYears: r.int(0, 16),
        highestSchoolingIsced: isced.pick(r),
        vocationalQualification: qualification,
        academicDegree: degree,
        recognitionStatus: qualification || degree ? recognition.pick(r) : 'not_applicable',
        workExperience: r.chance(0.8) ? r.pick(EXPERIENCE) : null,
        drivingLicence: r.chance(0.3) ? (r.chance(0.15) ? 'B, C1' : 'B') : null,
        strengths: r.chance(0.7) ? r.pick(STRENGTHS) : null,
        germanSkills: { listening: skill(0), reading: skill(-1), writing: skill(-1), speaking: skill(0) },
        otherLanguages: ['en', 'fr', 'ru'].filter((code) => !languages.includes(code)).slice(0, r.int(0, 2)),
      });
      const changes: PlanEvent['changes'] = [];
      const fields: string[] = [];
      const add = (field: string, after: unknown, before: unknown = null) => {
        changes.push({ entity: 'plan', id: planId, field, before, after });
        fields.push(field);
      };
      for (const field of ['schoolingYears', 'highestSchoolingIsced', 'vocationalQualification', 'academicDegree', 'recognitionStatus', 'workExperience', 'drivingLicence', 'strengths'] as const) {
        const value = plan[field];
        if (value !== null) add(field, field === 'recognitionStatus' ? upper(value as string) : value);
      }
      if (plan.otherLanguages.length) add('otherLanguages', plan.otherLanguages, []);
      for (const skillName of ['listening', 'reading', 'writing', 'speaking']) add(`germanSkills.${skillName}`, plan.germanSkills[skillName]);
      events.push({ ms: profileMs, author: author(), summary: `Profile updated: ${fields.join(', ')}`, changes });
      // Progress in German, recorded as a change of the profile.
      const progressMs = profileMs + r.logNormal(270, 0.4) * DAY;
      if (progressMs < s.activeEndMs && r.chance(0.45)) {
        const before = plan.germanSkills.speaking;
        const level = LEVELS[Math.min(4, LEVELS.indexOf(before.level as (typeof LEVELS)[number]) + 1)];
        const after = { level, certificate: r.chance(0.6) ? `${r.pick(['Deutsch-Test für Zuwanderer', 'telc Deutsch', 'Goethe-Zertifikat'])} ${level}` : null };
        plan.germanSkills = { ...plan.germanSkills, speaking: after };
        events.push({ ms: progressMs, author: author(), summary: 'Profile updated: germanSkills.speaking', changes: [{ entity: 'plan', id: planId, field: 'germanSkills.speaking', before, after }] });
      }
    }

    // Goals with measures, worked on and closed over time.
    const goalsOfCase: { id: string; area: LifeArea; createdMs: number }[] = [];
    let goalCount = 0;
    if (s.status === 'intake') goalCount = r.chance(0.5) ? 1 : 0;
    else if (!r.chance(0.06)) goalCount = Math.min(6, 1 + r.poisson(1.9 * Math.min(1, (s.activeEndMs - s.openedMs) / (365 * DAY) + 0.3)));
    const firstGoalMs = s.openedMs + Math.max(2 * HOUR, r.logNormal(provider.firstGoalMedianDays, 0.55) * DAY);
    const areaWeights = GOAL_AREA_WEIGHTS.map(([area, w]): [LifeArea, number] => [area, (area === 'childcare' || area === 'school') && householdChildren.length ? w * 4 : w]);
    const areas = goalCount && firstGoalMs < s.activeEndMs ? r.sample(areaWeights, goalCount) : [];
    for (const [k, area] of areas.entries()) {
      const goalMs = k === 0 ? firstGoalMs : firstGoalMs + Math.pow(r.next(), 1.6) * (s.activeEndMs - firstGoalMs);
      const goalId = next(ID_CODES.goal, 'goal');
      const description = r.pick(GOALS[area]);
      const priority = priorities.pick(r);
      const targetDate = dayString(berlinDayNo(goalMs) + r.int(150, 540));
      const AREA = upper(area);
      events.push({
        ms: goalMs, author: author(), summary: `Goal added (${AREA}): ${description}`,
        changes: [
          { entity: 'goal', id: goalId, field: 'lifeArea', before: null, after: AREA },
          { entity: 'goal', id: goalId, field: 'description', before: null, after: description },
          { entity: 'goal', id: goalId, field: 'priority', before: null, after: upper(priority) },
          { entity: 'goal', id: goalId, field: 'targetDate', before: null, after: targetDate },
          { entity: 'goal', id: goalId, field: 'status', before: null, after: 'OPEN' },
        ],
      });
      goalsOfCase.push({ id: goalId, area, createdMs: goalMs });
      let status = 'open';
      let goalVersion = 1;
      let goalUpdated = goalMs;
      let closedMs = Infinity;
      const progressMs = goalMs + r.logNormal(18, 0.6) * DAY;
      if (progressMs < s.activeEndMs && r.chance(0.85)) {
        events.push({ ms: progressMs, author: author(), summary: `Goal updated: status (${AREA}): ${description}`, changes: [{ entity: 'goal', id: goalId, field: 'status', before: 'OPEN', after: 'IN_PROGRESS' }] });
        status = 'in_progress';
        goalVersion++;
        goalUpdated = progressMs;
        const closingMs = progressMs + r.logNormal(220, 0.5) * DAY;
        if (closingMs < s.activeEndMs) {
          const closing = closingGoalStatuses.pick(r);
          const closedOn = berlinDay(closingMs);
          events.push({
            ms: closingMs, author: author(), summary: `Goal closed as ${upper(closing)} (${AREA}): ${description}`,
            changes: [
              { entity: 'goal', id: goalId, field: 'status', before: 'IN_PROGRESS', after: upper(closing) },
              { entity: 'goal', id: goalId, field: 'closedOn', before: null, after: closedOn },
            ],
          });
          status = closing;
          goalVersion++;
          goalUpdated = closingMs;
          closedMs = closingMs;
        }
      }
      // measures: added soon after the goal, done before it closed
      const templates = r.shuffled(MEASURES[area]).slice(0, 1 + (r.chance(0.6) ? 1 : 0) + (r.chance(0.2) ? 1 : 0));
      for (const [description2, responsible0, partnerKind] of templates) {
        const measureMs = goalMs + r.int(10, 7 * 24 * 60) * MINUTE;
        if (measureMs >= Math.min(closedMs, s.activeEndMs)) continue;
        let responsible: string = responsible0;
        let partnerId: string | null = null;
        if (responsible === 'partner') {
          const candidates = (world.partnersByKind.get(partnerKind!) ?? []).filter((o) => o.id !== owner);
          if (candidates.length) partnerId = r.pick(candidates).id;
          else responsible = 'integration_manager';
        }
        const measureId = next(ID_CODES.measure, 'measure');
        const dueOn = dayString(berlinDayNo(measureMs) + r.int(20, 120));
        const changes: PlanEvent['changes'] = [
          { entity: 'measure', id: measureId, field: 'goalId', before: null, after: goalId },
          { entity: 'measure', id: measureId, field: 'description', before: null, after: description2 },
          { entity: 'measure', id: measureId, field: 'responsible', before: null, after: upper(responsible) },
        ];
        if (partnerId) changes.push({ entity: 'measure', id: measureId, field: 'partnerOrganizationId', before: null, after: partnerId });
        changes.push({ entity: 'measure', id: measureId, field: 'dueOn', before: null, after: dueOn });
        events.push({ ms: measureMs, author: author(), summary: `Measure added (${AREA} goal): ${description2}`, changes });
        const doneEnd = Math.min(closedMs, s.activeEndMs);
        const done = status === 'achieved' || status === 'partly_achieved' ? true : status === 'in_progress' ? r.chance(0.5) : false;
        let doneOn: string | null = null;
        let measureUpdated = measureMs;
        if (done && doneEnd > measureMs + HOUR) {
          const doneMs = measureMs + r.next() * (doneEnd - measureMs - HOUR);
          doneOn = berlinDay(doneMs);
          measureUpdated = doneMs;
          events.push({ ms: doneMs, author: author(), summary: `Measure done on ${doneOn} (${AREA} goal): ${description2}`, changes: [{ entity: 'measure', id: measureId, field: 'doneOn', before: null, after: doneOn }] });
        }
        rows.measures.add(
          measureId, owner, goalId, caseId, text(description2), responsible, text(partnerId), dueOn, date(doneOn), ts(measureMs), ts(measureUpdated), doneOn ? '2' : '1',
        );
      }
      rows.goals.add(
        goalId, owner, planId, caseId, area, text(description), priority, targetDate, status, date(closedMs < Infinity ? berlinDay(closedMs) : null), ts(goalMs),
        ts(goalUpdated), String(goalVersion),
      );
    }

    // Reviews every six months (some late, some forgotten: overdue).
    if (s.status !== 'intake') {
      let due = plan.nextReviewDue;
      for (;;) {
        const dueDay = dayNumber(due);
        const reviewDay = r.chance(provider.reviewDiscipline)
          ? Math.max(openedDayNo + 1, dueDay + Math.round(r.normal(-6, 9)))
          : dueDay + r.int(30, 150);
        if (plan.lastReviewedOn && reviewDay < dayNumber(plan.lastReviewedOn)) break;
        const reviewMs = berlinInstant(workingDayOnOrAfter(reviewDay), 9 * 60 + r.int(0, 420));
        if (reviewMs >= s.activeEndMs) break;
        const reviewedOn = berlinDay(reviewMs);
        const nextDue = addMonthsDay(reviewedOn, 6);
        const changes: PlanEvent['changes'] = [
          { entity: 'plan', id: planId, field: 'lastReviewedOn', before: plan.lastReviewedOn, after: reviewedOn },
          { entity: 'plan', id: planId, field: 'nextReviewDue', before: due, after: nextDue },
        ];
        if (r.chance(0.5)) changes.push({ entity: 'plan', id: planId, field: 'reviewNote', before: null, after: r.pick(REVIEW_NOTES) });
        events.push({ ms: reviewMs, author: author(), summary: `Plan reviewed on ${reviewedOn}; next review due ${nextDue}`, changes });
        plan.lastReviewedOn = reviewedOn;
        due = nextDue;
        plan.nextReviewDue = nextDue;
      }
    }
    events.sort((a, b) => a.ms - b.ms);
    for (const [k, event] of events.entries()) {
      rows.revisions.add(next(ID_CODES.revision, 'revision'), owner, planId, caseId, String(k + 1), event.author, ts(event.ms), text(event.summary), json(event.changes));
    }
    rows.plans.add(
      planId, owner, caseId, num(plan.schoolingYears), num(plan.highestSchoolingIsced), text(plan.vocationalQualification), text(plan.academicDegree),
      text(plan.recognitionStatus), text(plan.workExperience), json(plan.germanSkills), textArray(plan.otherLanguages), text(plan.drivingLicence), text(plan.strengths),
      date(plan.lastReviewedOn), plan.nextReviewDue, ts(s.openedMs + MINUTE), ts(events[events.length - 1].ms), String(events.length),
    );

    // ----------------------------------------------------------------------------------------- consultations
    const consultations = r.poisson(consultationRate * Math.max(0, s.activeEndMs - s.openedMs) / DAY);
    const home = provider.homeVisitShare;
    const modes = new Weighted<string>([['office', 0.45], ['home_visit', home], ['phone', 0.17], ['video', 0.04], ['accompaniment', 0.08], ['group', 0.03]]);
    const caseAreas = goalsOfCase.map((goal) => goal.area);
    for (let k = 0; k < consultations; k++) {
      let ms = s.openedMs + r.next() * (s.activeEndMs - s.openedMs);
      const dayNo = workingDayOnOrAfter(berlinDayNo(ms));
      ms = berlinInstant(dayNo, 8 * 60 + r.int(0, 540));
      if (ms >= s.activeEndMs || ms < s.openedMs) ms = s.openedMs + r.next() * Math.max(MINUTE, s.activeEndMs - s.openedMs - MINUTE);
      const lifeAreas = [...new Set(Array.from({ length: r.int(1, 3) }, () => (caseAreas.length && r.chance(0.7) ? r.pick(caseAreas) : goalAreas.pick(r))))];
      const interpreter = r.chance(languages.includes('en') ? 0.15 : 0.35);
      const recorded = r.chance(0.9) ? caseworker.id : (second ?? lead).id;
      const createdMs = Math.min(ms + r.int(5, 240) * MINUTE, asOfMs - 1000);
      rows.consultations.add(
        next(ID_CODES.consultation, 'consultation'), owner, caseId, ts(ms), String(r.pick(durations)), modes.pick(r), textArray(lifeAreas), bool(interpreter),
        interpreter ? languages[0] : NULL, r.chance(0.35) ? text(r.pick(CONSULTATION_NOTES)) : NULL, recorded, NULL, ts(Math.max(createdMs, ms)), ts(Math.max(createdMs, ms)), '1',
      );
    }

    // ----------------------------------------------------------------------------------------- referrals and data-sharing consents
    if (!s.hasConsent) continue;
    const [windowStart, windowEnd] = referralWindow(s, cutoffMs);
    const referralCount = windowEnd > windowStart ? r.poisson((referralRate * (windowEnd - windowStart)) / DAY) : 0;
    const times = Array.from({ length: referralCount }, () => {
      const ms = windowStart + r.next() * (windowEnd - windowStart);
      const at = berlinInstant(workingDayOnOrAfter(berlinDayNo(ms)), 9 * 60 + r.int(0, 420));
      return at < windowEnd && at > windowStart ? at : ms;
    }).sort((a, b) => a - b);
    const snapshot: SnapshotSource = {
      name: { givenName, familyName },
      dateOfBirth,
      phone,
      email,
      languages,
      nationalities: [origin.nationality],
      residenceStatus,
      arrivedOn: dayString(arrivedDay),
      address: { municipalityId: s.municipality.id, accommodationSiteId: siteId, privateFlatSince: flatSince },
      germanLevel: plan.germanSkills,
      qualifications: { vocationalQualification: plan.vocationalQualification, academicDegree: plan.academicDegree, recognitionStatus: plan.recognitionStatus, workExperience: plan.workExperience },
      schooling: { schoolingYears: plan.schoolingYears, highestSchoolingIsced: plan.highestSchoolingIsced },
      drivingLicence: plan.drivingLicence,
      household: { children: householdChildren },
    };
    const consents: SharingConsent[] = [];
    const pending: PendingReferral[] = [];
    for (const [k, sentMs] of times.entries()) {
      const fromGoal = goalsOfCase.filter((goal) => goal.createdMs < sentMs);
      const goal = fromGoal.length && r.chance(0.65) ? r.pick(fromGoal) : null;
      const area: LifeArea = goal ? goal.area : referralAreas.pick(r);
      const receiver = pickReceiver(r, world, area, owner, s.municipality.id);
      if (!receiver) continue;
      let consent = consents.find((c) => c.recipient?.id === receiver.id || (c.recipient === null && c.kind === receiver.kind));
      if (!consent) {
        const byKind = r.chance(0.2);
        const givenDay = Math.max(berlinDayNo(s.consentMs), berlinDayNo(sentMs) - r.int(0, 5));
        const createdMs = Math.min(sentMs - 10 * MINUTE, Math.max(s.consentMs + MINUTE, berlinInstant(givenDay, 9 * 60)));
        consent = {
          id: next(ID_CODES.consent, 'consent'), recipient: byKind ? null : receiver, kind: receiver.kind, givenDay, createdMs, lastUseMs: sentMs,
          scope: SCOPES[receiver.kind] ?? ['name', 'phone'], revokedMs: null, validUntil: null, referrals: [],
        };
        consents.push(consent);
      }
      consent.lastUseMs = sentMs;
      const offering = pickOffering(r, receiver, sentMs);
      pending.push({ k, sentMs, area, goalId: goal?.id ?? null, receiver, consent, offering });
    }
    for (const consent of consents) {
      if (r.chance(0.02)) {
        const revokedMs = consent.lastUseMs + HOUR + r.next() * (asOfMs - consent.lastUseMs - 2 * HOUR);
        if (revokedMs < asOfMs) consent.revokedMs = revokedMs;
      } else if (r.chance(0.01) && consent.givenDay + 365 < ctx.asOfDay && consent.givenDay + 365 >= berlinDayNo(consent.lastUseMs)) {
        consent.validUntil = consent.givenDay + 365;
      }
      const purposes = consent.recipient ? [`Vermittlung an ${consent.recipient.name}`] : [`Vermittlung an Organisationen der Art ${consent.kind}`];
      rows.consents.add(
        consent.id, owner, caseId, 'data_sharing', text(consent.recipient?.id ?? null), consent.recipient ? NULL : consent.kind, textArray(consent.scope),
        textArray(purposes), SHARING_TEXT, languages[0], dayString(consent.givenDay), date(consent.validUntil === null ? null : dayString(consent.validUntil)),
        caseworker.id, ts(consent.revokedMs), consent.revokedMs ? text('Einwilligung zur Weitergabe widerrufen') : NULL, ts(consent.createdMs),
        ts(consent.revokedMs ?? consent.createdMs), consent.revokedMs ? '2' : '1',
      );
    }
    // When sharing stopped being allowed (revocation, expiry, a revoked counselling consent, a restriction): partners'
    // snapshots are gone since (the referrals subgraph deletes them on the partner's next read).
    const invalidSince = (consent: SharingConsent): number | null => {
      const candidates = [consent.revokedMs, consent.validUntil === null ? null : berlinInstant(consent.validUntil + 1, 0), s.counsellingRevokedMs, restrictedMs].filter(
        (value): value is number => value !== null && value < asOfMs,
      );
      return candidates.length ? Math.min(...candidates) : null;
    };
    for (const p of pending) {
      const referralId = next(ID_CODES.referral, 'referral');
      const life = simulateReferral(r, p, asOfMs, s.activeEndMs);
      const sender: UserInfo = r.chance(0.9) ? caseworker : lead;
      const partnerUsers = p.receiver.users.length ? p.receiver.users : [{ id: 'partner', organizationId: p.receiver.id, roles: ['partner'] }];
      const urgency = r.chance(0.8) ? 'routine' : r.chance(0.75) ? 'urgent' : 'asap';
      const requestedStart = r.chance(0.4) ? dayString(berlinDayNo(p.sentMs) + r.int(14, 60)) : null;
      const reason = r.pick(REFERRAL_REASONS[p.area]);
      const idempotencyKey = `ref-${berlinDay(p.sentMs)}-${i}-${p.k}`;
      const payload: Record<string, unknown> = { caseId, partnerOrganizationId: p.receiver.id, lifeArea: p.area, reason, urgency };
      if (p.offering) payload.offeringId = p.offering.id;
      if (p.goalId) payload.goalId = p.goalId;
      if (requestedStart) payload.requestedStart = requestedStart;
      const payloadHash = createHash('sha256').update(JSON.stringify(payload, Object.keys(payload).sort())).digest('hex');
      const invalid = invalidSince(p.consent);
      const withdrawnMs = invalid === null ? null : Math.min(asOfMs - MINUTE, Math.max(invalid, p.sentMs) + r.int(1, 120) * HOUR);
      const data = Object.fromEntries(p.consent.scope.map((field) => [field, snapshot[field as keyof SnapshotSource]]));
      let eventNo = 0;
      let lastMs = p.sentMs;
      for (const event of life.events) {
        const actor = event.side === 'sender' ? sender : event.side === 'receiver' ? r.pick(partnerUsers) : null;
        rows.events.add(
          next(ID_CODES.event, 'event'), referralId, owner, p.receiver.id, event.from, event.to, actor?.id ?? 'system', text(actor?.organizationId ?? null), event.side,
          text(event.comment), json(event.details), ts(event.ms),
        );
        eventNo++;
        lastMs = event.ms;
      }
      rows.referrals.add(
        referralId, caseId, owner, p.receiver.id, life.status, ts(p.sentMs - r.int(20, 200)), ts(lastMs), String(1 + eventNo), p.receiver.kind, text(p.offering?.id ?? null),
        p.area, text(p.goalId), text(reason), urgency, date(requestedStart), idempotencyKey, payloadHash, ts(p.sentMs), ts(p.sentMs + 14 * DAY), ts(life.firstResponseMs),
        ts(life.startedMs), ts(life.closedMs), num(life.waitlistPosition), date(life.expectedStart), date(life.scheduledStart), text(life.reasonCode),
        text(life.reasonText), json(life.outcome), p.consent.id, withdrawnMs === null ? json(data) : NULL, textArray(p.consent.scope), ts(p.sentMs), ts(withdrawnMs),
        s.municipality.id, NULL,
      );
      summary.inbox.set(p.receiver.id, (summary.inbox.get(p.receiver.id) ?? 0) + 1);
    }
    // Open cases the benchmark can write on: consultations on any, referrals to a partner with valid consents.
    if ((s.status === 'active' || s.status === 'paused') && !restrictedMs && !restrictedToAssigned) {
      const open = summary.openCases.get(owner) ?? [];
      if (open.length < 60) open.push(caseId);
      summary.openCases.set(owner, open);
      if (s.status === 'active') {
        const targets = summary.referralTargets.get(owner) ?? new Map<string, ReferralTarget>();
        summary.referralTargets.set(owner, targets);
        for (const p of pending) {
          if (invalidSince(p.consent) !== null) continue;
          const target = targets.get(p.receiver.id) ?? { partnerOrganizationId: p.receiver.id, partnerKind: p.receiver.kind, lifeArea: p.area, caseIds: [] };
          targets.set(p.receiver.id, target);
          if (target.caseIds.length < 30 && !target.caseIds.includes(caseId)) target.caseIds.push(caseId);
        }
      }
    }
  }
  return summary;
}

interface SharingConsent {
  id: string;
  recipient: OrgInfo | null;
  kind: string;
  givenDay: number;
  createdMs: number;
  lastUseMs: number;
  scope: string[];
  revokedMs: number | null;
  validUntil: number | null;
  referrals: number[];
}

interface PendingReferral {
  k: number;
  sentMs: number;
  area: LifeArea;
  goalId: string | null;
  receiver: OrgInfo;
  consent: SharingConsent;
  offering: OfferingInfo | null;
}

/** When a case's referrals can be sent: after the counselling consent, before the case closed or consent was revoked. */
function referralWindow(s: Skeleton, cutoffMs: number): [number, number] {
  const start = Math.max(s.consentMs + DAY, cutoffMs);
  const end = Math.min(s.activeEndMs, s.counsellingRevokedMs === null ? Infinity : s.counsellingRevokedMs - DAY);
  return [start, end];
}

function pickReceiver(r: Random, world: DistrictWorld, area: LifeArea, owner: string, municipalityId: string): OrgInfo | null {
  const kinds = RECEIVERS[area];
  for (let attempt = 0; attempt < 3; attempt++) {
    const kind = new Weighted(kinds).pick(r);
    const all = (world.partnersByKind.get(kind) ?? []).filter((o) => o.id !== owner);
    if (!all.length) continue;
    const near = all.filter((o) => o.area.some((m) => m.id === municipalityId));
    return r.pick(near.length ? near : all);
  }
  const fallback = (world.partnersByKind.get('migration_counselling') ?? []).filter((o) => o.id !== owner);
  return fallback.length ? fallback[0] : null;
}

/** A language course starting around the referral, or the partner's counselling or group offering. */
function pickOffering(r: Random, receiver: OrgInfo, sentMs: number): OfferingInfo | null {
  const sentDay = Math.floor(sentMs / DAY);
  if (receiver.kind === 'language_course_provider') {
    const upcoming = receiver.offerings.filter((o) => o.startsDay !== null && o.startsDay >= sentDay - 20 && o.startsDay <= sentDay + 150);
    if (upcoming.length) return upcoming.reduce((best, o) => (Math.abs(o.startsDay! - sentDay) < Math.abs(best.startsDay! - sentDay) ? o : best));
    return null;
  }
  const running = receiver.offerings.filter((o) => o.startsDay === null || (o.startsDay <= sentDay + 60 && (o.endsDay ?? Infinity) >= sentDay));
  return running.length && r.chance(0.6) ? r.pick(running) : null;
}

interface ReferralEventSpec {
  from: string;
  to: string;
  ms: number;
  side: 'sender' | 'receiver' | 'system';
  comment: string | null;
  details: Record<string, unknown>;
}

interface ReferralLife {
  status: string;
  events: ReferralEventSpec[];
  firstResponseMs: number | null;
  startedMs: number | null;
  closedMs: number | null;
  waitlistPosition: number | null;
  expectedStart: string | null;
  scheduledStart: string | null;
  reasonCode: string | null;
  reasonText: string | null;
  outcome: Record<string, unknown> | null;
}

const RESPONSES = new Set(['received', 'accepted', 'declined', 'waitlisted', 'scheduled']);
const CLOSED = new Set(['declined', 'completed', 'failed', 'cancelled', 'no_show', 'expired']);

/**
 * The referral's way through the state machine up to `asOfMs` (services/referrals/src/lifecycle/transitions.ts):
 * the partner answers within the deadline or the deadline job expires it, accepts, waitlists or declines, schedules,
 * starts, completes with an outcome or fails; the sender sometimes cancels.
 */
function simulateReferral(r: Random, p: PendingReferral, asOfMs: number, caseEndMs: number): ReferralLife {
  const life: ReferralLife = {
    status: 'sent', events: [], firstResponseMs: null, startedMs: null, closedMs: null, waitlistPosition: null, expectedStart: null, scheduledStart: null,
    reasonCode: null, reasonText: null, outcome: null,
  };
  const urgencyDetails = { offeringId: p.offering?.id ?? null, lifeArea: p.area, urgency: 'routine' };
  life.events.push({ from: 'draft', to: 'sent', ms: p.sentMs, side: 'sender', comment: null, details: urgencyDetails });
  const due = p.sentMs + 14 * DAY;
  const cancelAt = r.chance(0.04) ? p.sentMs + r.logNormal(25, 1) * DAY : r.chance(0.5) && caseEndMs < asOfMs ? caseEndMs + HOUR : Infinity;
  /** Moves to `to` at `ms` unless that lies after the end of the data or a cancellation comes first; false when it did not happen. */
  const step = (to: string, ms: number, side: ReferralEventSpec['side'], details: Record<string, unknown> = {}, comment: string | null = null): boolean => {
    if (CLOSED.has(life.status)) return false;
    if (cancelAt <= ms && cancelAt < asOfMs) {
      const reason = cancelReasons.pick(r);
      life.events.push({ from: life.status, to: 'cancelled', ms: cancelAt, side: 'sender', comment: null, details: { reason } });
      life.status = 'cancelled';
      life.closedMs = cancelAt;
      life.reasonCode = reason;
      return false;
    }
    if (ms >= asOfMs) return false;
    life.events.push({ from: life.status, to, ms, side, comment, details });
    if (side === 'receiver' && life.firstResponseMs === null && RESPONSES.has(to)) life.firstResponseMs = ms;
    if (to === 'in_progress' && life.startedMs === null) life.startedMs = ms;
    if (CLOSED.has(to)) life.closedMs = ms;
    life.status = to;
    return true;
  };
  const expire = () => step('expired', due + r.int(1, 50) * MINUTE, 'system', { responseDueAt: new Date(due).toISOString() }, EXPIRY_COMMENT);
  const answered = r.chance(0.94);
  let t = p.sentMs + Math.max(30 * MINUTE, r.logNormal(2.2, 1.0) * DAY);
  if (!answered || t > due) {
    expire();
    return life;
  }
  if (r.chance(0.35)) {
    if (!step('received', t, 'receiver')) return life;
    t += Math.max(HOUR, r.logNormal(2, 0.8) * DAY);
    if (t > due) {
      expire();
      return life;
    }
  }
  const decision = r.next();
  if (decision < 0.12) {
    const reason = declineReasons.pick(r);
    const comment = r.chance(0.4) ? 'Derzeit keine freien Plätze, bitte in drei Monaten erneut anfragen.' : null;
    if (step('declined', t, 'receiver', { reason }, comment)) {
      life.reasonCode = reason;
      life.reasonText = comment;
    }
    return life;
  }
  if (decision < 0.26) {
    const position = r.int(1, 25);
    const expectedStart = dayString(Math.floor(t / DAY) + r.int(30, 120));
    if (!step('waitlisted', t, 'receiver', { position, expectedStart })) return life;
    life.waitlistPosition = position;
    life.expectedStart = expectedStart;
    t += r.logNormal(35, 0.6) * DAY;
    const after = r.next();
    if (after < 0.1) {
      if (step('declined', t, 'receiver', { reason: 'no_capacity' })) life.reasonCode = 'no_capacity';
      return life;
    }
    if (after > 0.85) return life;
  } else if (!step('accepted', t, 'receiver', {}, r.chance(0.15) ? 'Platz ab dem nächsten Kursbeginn' : null)) return life;
  // scheduled or started right away
  let startMs: number;
  if (life.status === 'waitlisted' || r.chance(0.85)) {
    const scheduleMs = life.status === 'waitlisted' ? t : t + r.logNormal(4, 0.7) * DAY;
    const courseStart = p.offering?.startsDay ?? null;
    const startDay = courseStart !== null && courseStart * DAY > scheduleMs ? courseStart : Math.floor(scheduleMs / DAY) + r.int(7, 40);
    const start = dayString(startDay);
    if (!step('scheduled', scheduleMs, 'receiver', { start })) return life;
    life.scheduledStart = start;
    life.waitlistPosition = null;
    startMs = startDay * DAY + 8 * HOUR;
    if (r.chance(0.06)) {
      if (step('no_show', startMs + 2 * HOUR, 'receiver')) life.reasonCode = 'no_show';
      return life;
    }
  } else startMs = t + r.logNormal(10, 0.7) * DAY;
  if (!step('in_progress', startMs, 'receiver')) return life;
  t = startMs;
  if (r.chance(0.05)) {
    t += r.logNormal(30, 0.5) * DAY;
    if (!step('on_hold', t, 'receiver')) return life;
    t += r.int(14, 42) * DAY;
    if (!step('in_progress', t, 'receiver')) return life;
  }
  const kind = p.receiver.kind;
  const length =
    kind === 'language_course_provider'
      ? p.offering?.endsDay && p.offering.startsDay ? (p.offering.endsDay - p.offering.startsDay) * DAY : r.int(150, 270) * DAY
      : kind === 'jobcenter' || kind === 'employment_agency'
        ? r.int(30, 150) * DAY
        : r.int(14, 90) * DAY;
  const endMs = t + length;
  if (r.chance(0.12)) {
    const reason = failureReasons.pick(r);
    if (step('failed', t + r.next() * length, 'receiver', { reason })) life.reasonCode = reason;
    return life;
  }
  let outcome: Record<string, unknown>;
  if (kind === 'language_course_provider') {
    const level = levelsReached.pick(r);
    outcome = r.chance(0.6)
      ? { code: 'certificate', levelReached: level, certificate: `${r.pick(['DTZ', 'telc Deutsch', 'Goethe-Zertifikat'])} ${level}`, note: null }
      : { code: 'level_reached', levelReached: level, certificate: null, note: null };
  } else if (kind === 'jobcenter' || kind === 'employment_agency') {
    outcome = { code: new Weighted<string>([['placed_in_work', 35], ['placed_in_training', 15], ['placed_in_measure', 50]]).pick(r), levelReached: null, certificate: null, note: null };
  } else outcome = { code: 'service_provided', levelReached: null, certificate: null, note: null };
  if (step('completed', endMs, 'receiver', { outcome })) life.outcome = outcome;
  return life;
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

