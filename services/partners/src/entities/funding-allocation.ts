import { DecimalScalar, LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** Money allocated to a municipality for integration management in a program period (internal). */
@ObjectType({ description: 'A funding allocation for integration management, in euro (internal)' })
@Entity({ name: 'funding_allocations' })
export class FundingAllocation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'municipality_id' })
  municipalityId: string;

  @Column('uuid', { name: 'recipient_organization_id', nullable: true })
  recipientOrganizationId: string | null;

  @Field({ description: 'Funding program, e.g. "Pakt für Integration"' })
  @Column('text')
  program: string;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'period_start' })
  periodStart: string;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'period_end' })
  periodEnd: string;

  @Field(() => DecimalScalar, { description: 'Amount in euro, exact, e.g. "213349.00"' })
  @Column('numeric', { name: 'amount_eur', precision: 14, scale: 2 })
  amountEur: string;

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
