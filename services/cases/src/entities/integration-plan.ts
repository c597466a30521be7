import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { LanguageLevel, RecognitionStatus } from './enums';

/** German level per skill (CEFR), with the certificate if there is one. Stored as JSON on the plan. */
export interface GermanSkills {
  listening?: SkillLevel;
  reading?: SkillLevel;
  writing?: SkillLevel;
  speaking?: SkillLevel;
}
export interface SkillLevel {
  level: LanguageLevel;
  certificate?: string | null;
}

/**
 * The living integration plan of a case (Integrationsplan), continuously updated ("fortgeschrieben"): the
 * profile lives here, goals and measures hang off it, and every change is a revision.
 */
@ObjectType({ description: 'The living integration plan (Integrationsplan) of a case' })
@Entity({ name: 'integration_plans' })
export class IntegrationPlan {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Field(() => Int, { nullable: true, description: 'Years of schooling' })
  @Column('integer', { name: 'schooling_years', nullable: true })
  schoolingYears: number | null;

  @Field(() => Int, { nullable: true, description: 'Highest level of schooling, ISCED 2011 (0 to 8)' })
  @Column('integer', { name: 'highest_schooling_isced', nullable: true })
  highestSchoolingIsced: number | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'vocational_qualification', nullable: true })
  vocationalQualification: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'academic_degree', nullable: true })
  academicDegree: string | null;

  @Field(() => RecognitionStatus, { nullable: true, description: 'Recognition of foreign qualifications' })
  @Column('text', { name: 'recognition_status', nullable: true })
  recognitionStatus: RecognitionStatus | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'work_experience', nullable: true })
  workExperience: string | null;

  @Column('jsonb', { name: 'german_skills' })
  germanSkills: GermanSkills;

  @Field(() => [String], { description: 'Languages besides German and the client’s languages (Client.languages), ISO 639' })
  @Column('text', { name: 'other_languages', array: true })
  otherLanguages: string[];

  @Field(() => String, { nullable: true, description: 'Driving licence classes, e.g. "B"' })
  @Column('text', { name: 'driving_licence', nullable: true })
  drivingLicence: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  strengths: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'last_reviewed_on', nullable: true })
  lastReviewedOn: string | null;

  @Field(() => LocalDateScalar, { description: 'The next plan review is due on this day (every six months by default)' })
  @Column('date', { name: 'next_review_due' })
  nextReviewDue: string;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change of the plan, its goals or measures' })
  @VersionColumn()
  version: number;
}
