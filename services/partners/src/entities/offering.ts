import { DecimalScalar, LanguageLevel, LocalDateScalar } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export { LanguageLevel };

export enum OfferingStatus {
  PLANNED = 'planned',
  OPEN = 'open',
  FULL = 'full',
  RUNNING = 'running',
  ENDED = 'ended',
}
registerEnumType(OfferingStatus, {
  name: 'OfferingStatus',
  valuesConfig: {
    PLANNED: { description: 'Announced, registration not yet open' },
    OPEN: { description: 'Registration open' },
    FULL: { description: 'No free seats' },
    RUNNING: { description: 'Under way' },
    ENDED: { description: 'Finished' },
  },
});


/** What a partner provides (HSDS: service): a course, workshop, counselling or group activity. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An offering of a partner: integration or language course, workshop, counselling, group activity' })
@Entity({ name: 'offerings' })
export class Offering {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('text', { name: 'type_id' })
  typeId: string;

  @Column('uuid', { name: 'location_id', nullable: true })
  locationId: string | null;

  @Field(() => LanguageLevel, { nullable: true, description: 'Language level the offering leads to' })
  @Column('text', { name: 'target_level', nullable: true })
  targetLevel: LanguageLevel | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'starts_on', nullable: true })
  startsOn: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'ends_on', nullable: true })
  endsOn: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of meetings' })
  @Column('integer', { nullable: true })
  sessions: number | null;

  @Field(() => Int, { nullable: true, description: 'Teaching units (Unterrichtseinheiten), e.g. 600 + 100 for a general integration course' })
  @Column('integer', { name: 'teaching_units', nullable: true })
  teachingUnits: number | null;

  @Field(() => Int, { nullable: true })
  @Column('integer', { name: 'seats_total', nullable: true })
  seatsTotal: number | null;

  @Field(() => Int, { nullable: true })
  @Column('integer', { name: 'seats_free', nullable: true })
  seatsFree: number | null;

  @Field(() => [String], { description: 'Languages of instruction (ISO 639 codes)' })
  @Column('text', { name: 'instruction_languages', array: true })
  instructionLanguages: string[];

  @Field(() => [String], { description: 'Languages in which participants get support (ISO 639 codes)' })
  @Column('text', { name: 'support_languages', array: true })
  supportLanguages: string[];

  @Field({ description: 'Childcare during the sessions' })
  @Column('boolean')
  childcare: boolean;

  @Field(() => DecimalScalar, { nullable: true, description: 'Cost for participants in euro; "0.00" is free of charge; null when unknown' })
  @Column('numeric', { name: 'cost_eur', precision: 10, scale: 2, nullable: true })
  costEur: string | null;

  @Field(() => OfferingStatus)
  @Column('text')
  status: OfferingStatus;

  @Field(() => Date, { nullable: true, description: 'When the provider last confirmed this entry' })
  @Column('timestamptz', { name: 'last_verified_at', nullable: true })
  lastVerifiedAt: Date | null;

  @Column('text', { name: 'last_verified_by', nullable: true })
  lastVerifiedBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
