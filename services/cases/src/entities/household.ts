import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { ChildCareStatus } from './enums';

/** A family; children are counselled through their household. */
@ObjectType({ description: 'A household (family) of clients; children are counselled through it' })
@Entity({ name: 'households' })
export class Household {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Field({ description: 'How the household is called in the office, e.g. "Familie Haddad"' })
  @Column('text')
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}

@ObjectType({ description: 'A child of a household with its childcare or school status' })
@Entity({ name: 'household_children' })
export class HouseholdChild {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'household_id' })
  householdId: string;

  @Field()
  @Column('text', { name: 'given_name' })
  givenName: string;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'date_of_birth' })
  dateOfBirth: string;

  @Field(() => ChildCareStatus)
  @Column('text', { name: 'care_status' })
  careStatus: ChildCareStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
