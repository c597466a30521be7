import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An integration manager assigned to a case. */
@ObjectType({ description: 'An integration manager assigned to a case' })
@Entity({ name: 'case_assignments' })
export class CaseAssignment {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId: string;

  @Field({ description: 'User id (token subject) of the integration manager' })
  @PrimaryColumn('text', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'assigned_at' })
  assignedAt: Date;

  @Column('text', { name: 'assigned_by', nullable: true })
  assignedBy: string | null;
}
