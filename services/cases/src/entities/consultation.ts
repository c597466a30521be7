import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { ConsultationMode, LifeArea } from './enums';

/** A counselling contact (Beratungskontakt). The note is confidential: case staff of the owning organisation only. */
@ObjectType({ description: 'A counselling contact (Beratungskontakt)' })
@Entity({ name: 'consultations' })
export class Consultation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_organization_id' })
  ownerOrganizationId: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Field(() => Int)
  @Column('integer', { name: 'duration_minutes' })
  durationMinutes: number;

  @Field(() => ConsultationMode)
  @Column('text')
  mode: ConsultationMode;

  @Field(() => [LifeArea])
  @Column('text', { name: 'life_areas', array: true })
  lifeAreas: LifeArea[];

  @Field()
  @Column('boolean', { name: 'interpreter_used' })
  interpreterUsed: boolean;

  @Field(() => String, { nullable: true, description: 'Language interpreted (ISO 639)' })
  @Column('text', { name: 'interpreter_language', nullable: true })
  interpreterLanguage: string | null;

  @Field(() => String, { nullable: true, description: 'Short confidential note' })
  @Column('text', { nullable: true })
  note: string | null;

  @Field({ description: 'User id of who recorded it' })
  @Column('text', { name: 'recorded_by' })
  recordedBy: string;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
