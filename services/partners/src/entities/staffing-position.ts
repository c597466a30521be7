import { DecimalScalar, LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** Positions for integration management at a provider in a period (internal). */
@ObjectType({ description: 'Staffing of a provider of integration management in full-time equivalents (internal)' })
@Entity({ name: 'staffing_positions' })
export class StaffingPosition {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'provider_organization_id' })
  providerOrganizationId: string;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'valid_from' })
  validFrom: string;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'valid_until', nullable: true })
  validUntil: string | null;

  @Field(() => DecimalScalar, { description: 'Full-time equivalents (Vollzeitäquivalente), e.g. "25.00"' })
  @Column('numeric', { name: 'full_time_equivalents', precision: 7, scale: 2 })
  fullTimeEquivalents: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
