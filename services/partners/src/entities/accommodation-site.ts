import { LocalDateScalar } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** A follow-up accommodation site (Anschlussunterbringung) of a municipality. No personal data; not public. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A follow-up accommodation site (Anschlussunterbringung) with its capacity (people who work in the cooperation only)' })
@Entity({ name: 'accommodation_sites' })
export class AccommodationSite {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'municipality_id' })
  municipalityId: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  street: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'postal_code', nullable: true })
  postalCode: string | null;

  @Field(() => Int, { description: 'Number of places' })
  @Column('integer')
  capacity: number;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'opened_on', nullable: true })
  openedOn: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'closed_on', nullable: true })
  closedOn: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
