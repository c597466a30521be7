import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change of a field of the plan, a goal or a measure. */
export interface PlanChange {
  entity: 'plan' | 'goal' | 'measure';
  id: string;
  field: string;
  before: unknown;
  after: unknown;
}

/** One revision of the integration plan: who changed what, when. Append-only. */
@ObjectType({ description: 'One revision (Fortschreibung) of the integration plan' })
@Entity({ name: 'plan_revisions' })
export class PlanRevision {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'plan_id' })
  planId: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Field(() => Int, { description: '1, 2, 3, ... without gaps' })
  @Column('integer')
  revision: number;

  @Field({ description: 'User id of the author' })
  @Column('text', { name: 'author_user_id' })
  authorUserId: string;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'What happened, in words, e.g. "Goal added (LANGUAGE): B1 certificate by the summer"' })
  @Column('text')
  summary: string;

  @Field(() => GraphQLJSON, { description: 'The changed fields: [{ entity, id, field, before, after }]' })
  @Column('jsonb')
  changes: PlanChange[];
}
