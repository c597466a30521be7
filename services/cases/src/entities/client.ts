import { LocalDateScalar } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AnonymisationReason, ProcessingRestrictionReason } from '../rights/vocabulary';
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

  @Field(() => Date, {
    nullable: true,
    description:
      'Processing restricted (Art. 18 GDPR) since then: only the organisation’s leads and auditors read the client’s data, nobody changes it until a lead lifts the restriction; null when not restricted',
  })
  @Column('timestamptz', { name: 'processing_restricted_since', nullable: true })
  processingRestrictedSince: Date | null;

  @Field(() => ProcessingRestrictionReason, { nullable: true, description: 'Why the processing is restricted; null when not restricted' })
  @Column('text', { name: 'processing_restriction_reason', nullable: true })
  processingRestrictionReason: ProcessingRestrictionReason | null;

  @Field(() => String, { nullable: true, description: 'What the restriction is about, as the lead recorded it (e.g. the date of the client’s request)' })
  @Column('text', { name: 'processing_restriction_note', nullable: true })
  processingRestrictionNote: string | null;

  @Field(() => String, { nullable: true, description: 'User id of the lead who restricted the processing' })
  @Column('text', { name: 'processing_restricted_by', nullable: true })
  processingRestrictedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When a restriction was last lifted' })
  @Column('timestamptz', { name: 'processing_restriction_lifted_at', nullable: true })
  processingRestrictionLiftedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'User id of the lead who last lifted a restriction' })
  @Column('text', { name: 'processing_restriction_lifted_by', nullable: true })
  processingRestrictionLiftedBy: string | null;

  @Field(() => String, { nullable: true, description: 'The note recorded when the restriction was last lifted (e.g. when the client was told, Art. 18 (3))' })
  @Column('text', { name: 'processing_restriction_lift_note', nullable: true })
  processingRestrictionLiftNote: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the client was anonymised (erasure request or end of the retention period): names, contact data, exact dates and free text are gone; date of birth and arrival keep the year only',
  })
  @Column('timestamptz', { name: 'anonymised_at', nullable: true })
  anonymisedAt: Date | null;

  @Field(() => AnonymisationReason, { nullable: true })
  @Column('text', { name: 'anonymisation_reason', nullable: true })
  anonymisationReason: AnonymisationReason | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
