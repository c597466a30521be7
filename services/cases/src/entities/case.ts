import { EntityReference, LocalDateScalar } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { CaseStatus } from './case-status';
import { ClosureReason } from './enums';
import { Organization } from './organization';

/**
 * A counselling case (Beratungsfall) of integration management. Personal data: visible only to the caseworkers
 * and leads of the owning organisation (enforced here and by row-level security).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A counselling case (Beratungsfall) of integration management' })
@Entity({ name: 'cases' })
export class Case {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => CaseStatus)
  @Column('text')
  status: CaseStatus;

  @Field(() => Date, { description: 'When counselling started' })
  @Column('timestamptz', { name: 'opened_at' })
  openedAt: Date;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Field(() => Organization, { description: 'The provider of integration management that owns the case and its data' })
  ownerOrganization(): EntityReference {
    return { id: this.ownerOrganizationId };
  }

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column('uuid', { name: 'client_id', nullable: true })
  clientId: string | null;

  @Column('uuid', { name: 'municipality_id', nullable: true })
  municipalityId: string | null;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the counselling period (three years after opening; extendable to four in justified cases)' })
  @Column('date', { name: 'period_ends_on' })
  periodEndsOn: string;

  @Field(() => String, { nullable: true, description: 'Why the counselling period was extended' })
  @Column('text', { name: 'extension_reason', nullable: true })
  extensionReason: string | null;

  @Field({ description: 'Only the assigned integration managers and the leads see this case' })
  @Column('boolean', { name: 'restricted_to_assigned' })
  restrictedToAssigned: boolean;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Field(() => ClosureReason, { nullable: true })
  @Column('text', { name: 'closure_reason', nullable: true })
  closureReason: ClosureReason | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'closure_note', nullable: true })
  closureNote: string | null;

  @Field(() => String, { nullable: true, description: 'Why a lead opened the case although an eligibility rule failed' })
  @Column('text', { name: 'eligibility_override_reason', nullable: true })
  eligibilityOverrideReason: string | null;

  @Column('text', { name: 'eligibility_overridden_by', nullable: true })
  eligibilityOverriddenBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change; send it back as expectedVersion when you change the case' })
  @VersionColumn()
  version: number;
}
