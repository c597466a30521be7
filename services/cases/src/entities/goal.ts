import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { GoalPriority, GoalStatus, LifeArea } from './enums';

/** A goal of the integration plan in one life area (Zielvereinbarung). */
@ObjectType({ description: 'A goal of the integration plan (Ziel) in one life area' })
@Entity({ name: 'goals' })
export class Goal {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'plan_id' })
  planId: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Field(() => LifeArea)
  @Column('text', { name: 'life_area' })
  lifeArea: LifeArea;

  @Field()
  @Column('text')
  description: string;

  @Field(() => GoalPriority)
  @Column('text')
  priority: GoalPriority;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'target_date', nullable: true })
  targetDate: string | null;

  @Field(() => GoalStatus)
  @Column('text')
  status: GoalStatus;

  @Field(() => LocalDateScalar, { nullable: true, description: 'When the goal was closed (achieved, partly achieved, not achieved, dropped)' })
  @Column('date', { name: 'closed_on', nullable: true })
  closedOn: string | null;

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
