import { registerEnumType } from 'type-graphql';

/**
 * Life areas (Lebensbereiche) of integration plans, consultations and referrals: one vocabulary for the cases and
 * referrals subgraphs (and the statistics comparing them).
 */
export enum LifeArea {
  LANGUAGE = 'language',
  WORK = 'work',
  VOCATIONAL_TRAINING = 'vocational_training',
  STUDY = 'study',
  CHILDCARE = 'childcare',
  SCHOOL = 'school',
  HOUSING = 'housing',
  RESIDENCE = 'residence',
  HEALTH = 'health',
  LEISURE_CLUBS = 'leisure_clubs',
  SOCIAL_PARTICIPATION = 'social_participation',
  FINANCES = 'finances',
}
registerEnumType(LifeArea, { name: 'LifeArea', description: 'Life area (Lebensbereich) of a goal or a consultation' });
