import { registerEnumType } from 'type-graphql';

/** Enumerations of the cases subgraph; stored as the lower-case values (CHECK constraints in the migrations). */

export enum Gender {
  FEMALE = 'female',
  MALE = 'male',
  DIVERSE = 'diverse',
  UNSPECIFIED = 'unspecified',
}
registerEnumType(Gender, { name: 'Gender' });

export enum ResidenceStatus {
  RECOGNISED_REFUGEE = 'recognised_refugee',
  SUBSIDIARY_PROTECTION = 'subsidiary_protection',
  NATIONAL_DEPORTATION_BAN = 'national_deportation_ban',
  TEMPORARY_PROTECTION = 'temporary_protection',
  OTHER_HUMANITARIAN = 'other_humanitarian',
  TOLERATED_STAY = 'tolerated_stay',
  ASYLUM_PROCEDURE = 'asylum_procedure',
  SETTLEMENT_PERMIT = 'settlement_permit',
  NATURALISED = 'naturalised',
  OTHER = 'other',
}
registerEnumType(ResidenceStatus, {
  name: 'ResidenceStatus',
  description: 'Residence title or status under German law',
  valuesConfig: {
    RECOGNISED_REFUGEE: { description: 'Anerkannter Flüchtling / Asylberechtigte (§ 25 Abs. 1, 2 AufenthG)' },
    SUBSIDIARY_PROTECTION: { description: 'Subsidiärer Schutz (§ 25 Abs. 2 AufenthG)' },
    NATIONAL_DEPORTATION_BAN: { description: 'Nationales Abschiebungsverbot (§ 25 Abs. 3 AufenthG)' },
    TEMPORARY_PROTECTION: { description: 'Vorübergehender Schutz (§ 24 AufenthG), e.g. people displaced from Ukraine' },
    OTHER_HUMANITARIAN: { description: 'Other humanitarian residence titles' },
    TOLERATED_STAY: { description: 'Duldung (§ 60a AufenthG)' },
    ASYLUM_PROCEDURE: { description: 'Aufenthaltsgestattung during the asylum procedure (§ 55 AsylG)' },
    SETTLEMENT_PERMIT: { description: 'Niederlassungserlaubnis' },
    NATURALISED: { description: 'Eingebürgert (German citizen)' },
    OTHER: { description: 'Other' },
  },
});

export enum FollowUpAccommodation {
  CURRENT = 'current',
  FORMER = 'former',
  NEVER = 'never',
}
registerEnumType(FollowUpAccommodation, {
  name: 'FollowUpAccommodation',
  description: 'Relation to follow-up accommodation (Anschlussunterbringung under the state’s refugee reception law)',
  valuesConfig: {
    CURRENT: { description: 'Lives in follow-up accommodation' },
    FORMER: { description: 'Moved on from follow-up accommodation' },
    NEVER: { description: 'Never lived in follow-up accommodation' },
  },
});

export enum ChildCareStatus {
  AT_HOME = 'at_home',
  DAYCARE = 'daycare',
  PRIMARY_SCHOOL = 'primary_school',
  SECONDARY_SCHOOL = 'secondary_school',
  VOCATIONAL_SCHOOL = 'vocational_school',
  OTHER = 'other',
}
registerEnumType(ChildCareStatus, { name: 'ChildCareStatus', description: 'Childcare or school of a child (Kita, Grundschule, weiterführende Schule, Berufsschule)' });

export enum ClosureReason {
  GOALS_ACHIEVED = 'goals_achieved',
  SELF_RELIANT = 'self_reliant',
  MOVED_AWAY = 'moved_away',
  DECLINED = 'declined',
  NO_CONTACT = 'no_contact',
  PERIOD_ENDED = 'period_ended',
  OTHER = 'other',
}
registerEnumType(ClosureReason, {
  name: 'ClosureReason',
  valuesConfig: {
    GOALS_ACHIEVED: { description: 'The goals of the plan are achieved' },
    SELF_RELIANT: { description: 'The client manages without counselling' },
    MOVED_AWAY: { description: 'Moved to another municipality' },
    DECLINED: { description: 'Declined further counselling' },
    NO_CONTACT: { description: 'No contact any more' },
    PERIOD_ENDED: { description: 'The counselling period ended' },
    OTHER: { description: 'Other reason (see the note)' },
  },
});

export enum ConsentKind {
  COUNSELLING = 'counselling',
  DATA_SHARING = 'data_sharing',
}
registerEnumType(ConsentKind, {
  name: 'ConsentKind',
  valuesConfig: {
    COUNSELLING: { description: 'Informed consent to counselling and to processing the data for it' },
    DATA_SHARING: { description: 'Consent to share named fields with a recipient organisation (or kind of organisation)' },
  },
});


export enum GoalStatus {
  OPEN = 'open',
  IN_PROGRESS = 'in_progress',
  ACHIEVED = 'achieved',
  PARTLY_ACHIEVED = 'partly_achieved',
  NOT_ACHIEVED = 'not_achieved',
  DROPPED = 'dropped',
}
registerEnumType(GoalStatus, { name: 'GoalStatus' });

/** Statuses that close a goal (with a closing date). */
export const CLOSED_GOAL_STATUSES: readonly GoalStatus[] = [GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED, GoalStatus.DROPPED];

export enum GoalPriority {
  HIGH = 'high',
  MEDIUM = 'medium',
  LOW = 'low',
}
registerEnumType(GoalPriority, { name: 'GoalPriority' });

export enum MeasureResponsible {
  CLIENT = 'client',
  INTEGRATION_MANAGER = 'integration_manager',
  PARTNER = 'partner',
}
registerEnumType(MeasureResponsible, { name: 'MeasureResponsible', description: 'Who carries out a measure' });

export enum ConsultationMode {
  OFFICE = 'office',
  HOME_VISIT = 'home_visit',
  PHONE = 'phone',
  VIDEO = 'video',
  ACCOMPANIMENT = 'accompaniment',
  GROUP = 'group',
}
registerEnumType(ConsultationMode, {
  name: 'ConsultationMode',
  valuesConfig: {
    OFFICE: { description: 'In the office' },
    HOME_VISIT: { description: 'Hausbesuch' },
    PHONE: { description: 'By phone' },
    VIDEO: { description: 'By video' },
    ACCOMPANIMENT: { description: 'Accompaniment to an authority or service (Begleitung)' },
    GROUP: { description: 'Group session' },
  },
});

export enum RecognitionStatus {
  NOT_APPLICABLE = 'not_applicable',
  NOT_STARTED = 'not_started',
  IN_PROGRESS = 'in_progress',
  FULL = 'full',
  PARTIAL = 'partial',
  REJECTED = 'rejected',
}
registerEnumType(RecognitionStatus, { name: 'RecognitionStatus', description: 'Recognition of foreign qualifications (Anerkennung)' });

export { LanguageLevel } from '@integration-graph/common';
export { LifeArea } from '@integration-graph/common';
