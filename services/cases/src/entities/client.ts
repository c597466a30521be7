import { LocalDateScalar } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { FollowUpAccommodation, Gender, ResidenceStatus } from './enums';

/** A person counselled by integration management. Personal data: the owning organisation's case staff only. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A client (Klient:in) of integration management' })
@Entity({ name: 'clients' })
export class Client {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'household_id', nullable: true })
  householdId: string | null;

  @Field()
  @Column('text', { name: 'given_name' })
  givenName: string;

  @Field()
  @Column('text', { name: 'family_name' })
  familyName: string;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'date_of_birth' })
  dateOfBirth: string;

  @Field(() => Gender)
  @Column('text')
  gender: Gender;

  @Field(() => [String], { description: 'Nationalities, ISO 3166-1 alpha-2 (e.g. "SY", "UA")' })
  @Column('text', { array: true })
  nationalities: string[];

  @Field(() => [String], { description: 'Languages spoken, ISO 639 (639-3 where 639-1 has none)' })
  @Column('text', { array: true })
  languages: string[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'Arrival in Germany' })
  @Column('date', { name: 'arrived_on', nullable: true })
  arrivedOn: string | null;

  @Field(() => ResidenceStatus)
  @Column('text', { name: 'residence_status' })
  residenceStatus: ResidenceStatus;

  @Field(() => FollowUpAccommodation)
  @Column('text', { name: 'follow_up_accommodation' })
  followUpAccommodation: FollowUpAccommodation;

  @Column('uuid', { name: 'accommodation_site_id', nullable: true })
  accommodationSiteId: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Lives in a private flat since (instead of an accommodation site)' })
  @Column('date', { name: 'private_flat_since', nullable: true })
  privateFlatSince: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  email: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
