import { DEMO_ORGANIZATIONS, demoId, Logger, ORTENAUKREIS_AGS, organizationIdForAgs } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { StandardDirection } from '../standards/evaluate';
import { MetricKey } from '../standards/metrics';

const DISTRICT_ID = organizationIdForAgs(ORTENAUKREIS_AGS);
const O = DEMO_ORGANIZATIONS;
const OFFENBURG = organizationIdForAgs('08317096');
const LAHR = organizationIdForAgs('08317065');
const KEHL = organizationIdForAgs('08317057');
const ACHERN = organizationIdForAgs('08317001');
const HASLACH = organizationIdForAgs('08317040');

interface DemoMeeting {
  key: string;
  heldOn: string;
  title: string;
  location: string;
  participants: string[];
  minutes: string;
  decisions: string[];
}

/** Three cooperation meetings of the Ortenaukreis: real places, fictional content. */
const MEETINGS: DemoMeeting[] = [
  {
    key: 'ortenau-2025-03',
    heldOn: '2025-03-12',
    title: 'Kooperationstreffen Integrationsmanagement – Frühjahr 2025 (Demo)',
    location: 'Landratsamt Ortenaukreis, Offenburg',
    participants: [DISTRICT_ID, OFFENBURG, LAHR, KEHL, ACHERN, O.diakonie.id, O.caritas.id],
    minutes:
      'Die Koordination des Landkreises begrüßt die Träger des Integrationsmanagements. Die Städte Offenburg, Lahr, Kehl und Achern ' +
      'sowie Diakonie und Caritas berichten über Fallzahlen, Wartezeiten und die Zusammenarbeit mit Jobcenter und Sprachkursträgern. ' +
      'Einigkeit besteht, dass bisher nur Fallzahlen berichtet werden und die Wirkung der Arbeit nicht sichtbar wird. ' +
      'Die Runde vereinbart erste gemeinsame Standards für Integrationspläne und Vermittlungen; die Kennzahlen werden ab dem zweiten ' +
      'Tertial 2025 verglichen. Nächstes Treffen im Herbst. (Fiktives Protokoll, Demo)',
    decisions: [
      'Jeder aktive Fall hat einen Integrationsplan: Ziel mindestens 90 % der aktiven Fälle ab 1. April 2025.',
      'Der erste Integrationsplan liegt spätestens sechs Wochen nach der Fallaufnahme vor: Median höchstens 42 Tage.',
      'Vermittlungen an Partner werden innerhalb der Antwortfrist beantwortet: zunächst mindestens 75 %.',
    ],
  },
  {
    key: 'ortenau-2025-10',
    heldOn: '2025-10-15',
    title: 'Kooperationstreffen Integrationsmanagement – Herbst 2025 (Demo)',
    location: 'Rathaus Lahr/Schwarzwald',
    participants: [DISTRICT_ID, OFFENBURG, LAHR, HASLACH, O.diakonie.id, O.caritas.id],
    minutes:
      'Rückblick auf die ersten Vergleichszahlen: Der Anteil der Fälle mit Integrationsplan liegt bei den meisten Trägern über dem Ziel, ' +
      'die Antwortquote der Partner hat sich seit dem Frühjahr deutlich verbessert. Die Träger schlagen vor, das Ziel für beantwortete ' +
      'Vermittlungen anzuheben und die regelmäßige Fortschreibung der Pläne aufzunehmen. Der Verbund Kinzigtal stellt seine Erfahrungen ' +
      'mit Sprechstunden vor Ort vor. (Fiktives Protokoll, Demo)',
    decisions: [
      'Ab 1. Januar 2026 werden mindestens 85 % der Vermittlungen innerhalb der Antwortfrist beantwortet (bisher 75 %).',
      'Ab 1. Januar 2026 werden mindestens 80 % der Integrationspläne innerhalb von sechs Monaten fortgeschrieben.',
    ],
  },
  {
    key: 'ortenau-2026-03',
    heldOn: '2026-03-11',
    title: 'Kooperationstreffen Integrationsmanagement – Frühjahr 2026 (Demo)',
    location: 'Stadthalle Kehl',
    participants: [DISTRICT_ID, OFFENBURG, KEHL, ACHERN, HASLACH, O.diakonie.id, O.caritas.id],
    minutes:
      'Die Träger berichten, dass Familien in der Anschlussunterbringung Termine im Büro häufig nicht wahrnehmen können. ' +
      'Hausbesuche sollen deshalb fester Bestandteil der Beratung werden. Die Koordination stellt den Entwurf des Vergleichsberichts ' +
      'für das Handout vor; kleine Fallzahlen werden darin nicht ausgewiesen. (Fiktives Protokoll, Demo)',
    decisions: ['Ab 1. Mai 2026 finden mindestens 20 % der Beratungen als Hausbesuch statt.', 'Der Vergleichsbericht wird zu jedem Treffen als Handout verteilt.'],
  },
];

interface DemoStandard {
  key: string;
  meetingKey: string;
  title: string;
  description: string;
  metric: MetricKey;
  target: number;
  direction: StandardDirection;
  validFrom: string;
  validUntil: string | null;
}

/** Standards adopted at those meetings; the referral answer rate was raised from 75 % to 85 % in autumn 2025. */
const STANDARDS: DemoStandard[] = [
  {
    key: 'ortenau-plan-share',
    meetingKey: 'ortenau-2025-03',
    title: 'Integrationsplan für jeden aktiven Fall',
    description: 'Mindestens 90 % der aktiven Fälle haben einen Integrationsplan.',
    metric: MetricKey.SHARE_ACTIVE_CASES_WITH_PLAN,
    target: 0.9,
    direction: StandardDirection.AT_LEAST,
    validFrom: '2025-04-01',
    validUntil: null,
  },
  {
    key: 'ortenau-first-plan-days',
    meetingKey: 'ortenau-2025-03',
    title: 'Erster Integrationsplan innerhalb von sechs Wochen',
    description: 'Der Median der Tage von der Fallaufnahme bis zum ersten Integrationsplan beträgt höchstens 42 Tage.',
    metric: MetricKey.MEDIAN_DAYS_TO_FIRST_PLAN,
    target: 42,
    direction: StandardDirection.AT_MOST,
    validFrom: '2025-04-01',
    validUntil: null,
  },
  {
    key: 'ortenau-referrals-in-time-2025',
    meetingKey: 'ortenau-2025-03',
    title: 'Vermittlungen werden fristgerecht beantwortet',
    description: 'Mindestens 75 % der Vermittlungen an Partner werden innerhalb der Antwortfrist beantwortet.',
    metric: MetricKey.SHARE_REFERRALS_ANSWERED_IN_TIME,
    target: 0.75,
    direction: StandardDirection.AT_LEAST,
    validFrom: '2025-04-01',
    validUntil: '2025-12-31', // superseded by the stricter standard below
  },
  {
    key: 'ortenau-referrals-in-time-2026',
    meetingKey: 'ortenau-2025-10',
    title: 'Vermittlungen werden fristgerecht beantwortet (verschärft)',
    description: 'Mindestens 85 % der Vermittlungen an Partner werden innerhalb der Antwortfrist beantwortet.',
    metric: MetricKey.SHARE_REFERRALS_ANSWERED_IN_TIME,
    target: 0.85,
    direction: StandardDirection.AT_LEAST,
    validFrom: '2026-01-01',
    validUntil: null,
  },
  {
    key: 'ortenau-plans-reviewed',
    meetingKey: 'ortenau-2025-10',
    title: 'Integrationspläne werden fortgeschrieben',
    description: 'Mindestens 80 % der Integrationspläne wurden in den letzten sechs Monaten fortgeschrieben.',
    metric: MetricKey.SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS,
    target: 0.8,
    direction: StandardDirection.AT_LEAST,
    validFrom: '2026-01-01',
    validUntil: null,
  },
  {
    key: 'ortenau-home-visits',
    meetingKey: 'ortenau-2026-03',
    title: 'Beratung auch zu Hause',
    description: 'Mindestens 20 % der Beratungen finden als Hausbesuch statt.',
    metric: MetricKey.SHARE_HOME_VISITS,
    target: 0.2,
    direction: StandardDirection.AT_LEAST,
    validFrom: '2026-05-01',
    validUntil: null,
  },
];

export const demoMeetingId = (key: string) => demoId('cooperation-meeting', key);
export const demoStandardId = (key: string) => demoId('standard', key);

/**
 * Cooperation meetings of the Ortenaukreis with participants and the standards adopted there. Idempotent: fixed ids
 * (demoId), inserts what is missing and never overwrites what users changed (participants are written only with a
 * newly inserted meeting; a standard that would overlap one a user adopted is skipped by the exclusion constraint).
 */
export async function seedCooperation(manager: EntityManager, logger: Logger): Promise<void> {
  const [district] = await manager.query(`SELECT id FROM organizations WHERE id = $1 AND kind = 'district'`, [DISTRICT_ID]);
  if (!district) {
    logger.warn('no Ortenaukreis in the directory: no demo cooperation meetings');
    return;
  }
  let meetings = 0;
  let participants = 0;
  for (const meeting of MEETINGS) {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO cooperation_meetings (id, district_id, held_on, title, location, minutes, decisions)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [demoMeetingId(meeting.key), DISTRICT_ID, meeting.heldOn, meeting.title, meeting.location, meeting.minutes, meeting.decisions],
    );
    if (!inserted.length) continue;
    meetings += 1;
    const rows: unknown[] = await manager.query(
      `INSERT INTO cooperation_meeting_participants (meeting_id, organization_id)
       SELECT $1, o.id FROM organizations o WHERE o.id = ANY($2::uuid[]) ON CONFLICT DO NOTHING RETURNING organization_id`,
      [demoMeetingId(meeting.key), meeting.participants],
    );
    participants += rows.length;
  }
  let standards = 0;
  for (const standard of STANDARDS) {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO standards (id, district_id, title, description, metric, target, direction, adopted_at_meeting_id, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [
        demoStandardId(standard.key),
        DISTRICT_ID,
        standard.title,
        standard.description,
        standard.metric,
        standard.target,
        standard.direction,
        demoMeetingId(standard.meetingKey),
        standard.validFrom,
        standard.validUntil,
      ],
    );
    standards += inserted.length;
  }
  logger.info({ meetings, participants, standards }, 'partners demo cooperation meetings and standards');
}
