import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { MeasureResponsible } from './enums';

/** A step towards a goal (Maßnahme) with who is responsible and when it is due and done. */
@ObjectType({ description: 'A measure (Maßnahme) towards a goal' })
@Entity({ name: 'measures' })
export class Measure {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'goal_id' })
  goalId: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Field()
  @Column('text')
  description: string;

  @Field(() => MeasureResponsible)
  @Column('text')
  responsible: MeasureResponsible;

  @Column('uuid', { name: 'partner_organization_id', nullable: true })
  partnerOrganizationId: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'due_on', nullable: true })
  dueOn: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'done_on', nullable: true })
  doneOn: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
