import { EntityReference } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { CaseStatus } from './case-status';
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
