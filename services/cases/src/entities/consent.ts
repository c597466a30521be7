import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { ConsentKind } from './enums';

/**
 * Informed consent to counselling and data processing, or consent to share named fields with a recipient
 * organisation (or a kind of organisation). Revocable at any time; a revoked consent is never valid again.
 */
@ObjectType({ description: 'A consent of the client (Einwilligung): to counselling, or to sharing data with a recipient' })
@Entity({ name: 'consents' })
export class Consent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Field(() => ConsentKind)
  @Column('text')
  kind: ConsentKind;

  @Field(() => ID, { nullable: true, description: 'DATA_SHARING: the recipient organisation' })
  @Column('uuid', { name: 'recipient_organization_id', nullable: true })
  recipientOrganizationId: string | null;

  @Field(() => String, { nullable: true, description: 'DATA_SHARING: a kind of recipient instead of one organisation, e.g. "jobcenter"' })
  @Column('text', { name: 'recipient_kind', nullable: true })
  recipientKind: string | null;

  @Field(() => [String], { description: 'DATA_SHARING: the fields that may be shared, e.g. ["name", "phone", "germanLevel"]' })
  @Column('text', { array: true })
  scope: string[];

  @Field(() => [String], { description: 'Purposes explained to the client' })
  @Column('text', { array: true })
  purposes: string[];

  @Field({ description: 'Version of the consent text the client was given' })
  @Column('text', { name: 'text_version' })
  textVersion: string;

  @Field({ description: 'Language the consent was explained in (ISO 639)' })
  @Column('text', { name: 'explained_in' })
  explainedIn: string;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'given_on' })
  givenOn: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day of validity, if limited' })
  @Column('date', { name: 'valid_until', nullable: true })
  validUntil: string | null;

  @Column('text', { name: 'recorded_by' })
  recordedBy: string;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'revocation_note', nullable: true })
  revocationNote: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
