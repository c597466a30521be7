import { EntityReference, LocalDateScalar } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { Organization } from './references';
import { LifeArea, ReferralOutcomeValue, Urgency } from './enums';
import { ReferralStatus } from './referral-status';

/**
 * A referral (Vermittlung) of a client's case to a partner organisation. Visible to the sending organisation's
 * caseworkers and leads and to the receiving organisation's partner staff (row-level security).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A referral (Vermittlung) of a case to a partner organisation' })
@Entity({ name: 'referrals' })
export class Referral {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ReferralStatus)
  @Column('text')
  status: ReferralStatus;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Column('uuid', { name: 'sender_organization_id' })
  senderOrganizationId: string;

  @Field(() => Organization, { description: 'The organisation that sent the referral (the owner of the case)' })
  sender(): EntityReference {
    return { id: this.senderOrganizationId };
  }

  @Column('uuid', { name: 'receiver_organization_id' })
  receiverOrganizationId: string;

  @Field(() => Organization, { description: 'The receiving partner organisation' })
  partner(): EntityReference {
    return { id: this.receiverOrganizationId };
  }

  @Field(() => String, { nullable: true, description: 'Kind of the receiving organisation when sent (e.g. LANGUAGE_COURSE_PROVIDER)' })
  @Column('text', { name: 'receiver_kind', nullable: true })
  receiverKind: string | null;

  @Column('uuid', { name: 'offering_id', nullable: true })
  offeringId: string | null;

  /** Where the client lived when the referral was sent (from the case; for comparisons per municipality). */
  @Column('uuid', { name: 'municipality_id', nullable: true })
  municipalityId: string | null;

  @Field(() => LifeArea, { nullable: true, description: 'The life area the referral serves' })
  @Column('text', { name: 'life_area', nullable: true })
  lifeArea: LifeArea | null;

  @Field(() => ID, { nullable: true, description: 'The goal of the integration plan it serves (sender side)' })
  @Column('uuid', { name: 'goal_id', nullable: true })
  goalId: string | null;

  @Field(() => String, { nullable: true, description: 'Why the client is referred' })
  @Column('text', { nullable: true })
  reason: string | null;

  @Field(() => Urgency)
  @Column('text')
  urgency: Urgency;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'requested_start', nullable: true })
  requestedStart: string | null;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column('text', { name: 'payload_hash', nullable: true })
  payloadHash: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The partner should answer by then; afterwards the referral expires' })
  @Column('timestamptz', { name: 'response_due_at', nullable: true })
  responseDueAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The partner’s first answer (opened, accepted, declined, waitlisted, ...)' })
  @Column('timestamptz', { name: 'first_response_at', nullable: true })
  firstResponseAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the service started (IN_PROGRESS)' })
  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Position on the waiting list (WAITLISTED)' })
  @Column('integer', { name: 'waitlist_position', nullable: true })
  waitlistPosition: number | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'expected_start', nullable: true })
  expectedStart: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'scheduled_start', nullable: true })
  scheduledStart: string | null;

  @Field(() => String, { nullable: true, description: 'Code of why it was declined, failed or cancelled' })
  @Column('text', { name: 'reason_code', nullable: true })
  reasonCode: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'reason_text', nullable: true })
  reasonText: string | null;

  @Column('jsonb', { nullable: true })
  outcome: ReferralOutcomeValue | null;

  @Column('uuid', { name: 'consent_id', nullable: true })
  consentId: string | null;

  @Column('jsonb', { nullable: true })
  snapshot: Record<string, unknown> | null;

  @Column('text', { name: 'snapshot_scope', array: true })
  snapshotScope: string[];

  @Column('timestamptz', { name: 'snapshot_taken_at', nullable: true })
  snapshotTakenAt: Date | null;

  @Column('timestamptz', { name: 'snapshot_withdrawn_at', nullable: true })
  snapshotWithdrawnAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the retention period after closing ended (REFERRAL_RETENTION_MONTHS): the client data, the reason, comments and free text were deleted; status, dates and codes stay',
  })
  @Column('timestamptz', { name: 'anonymised_at', nullable: true })
  anonymisedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change' })
  @VersionColumn()
  version: number;
}
