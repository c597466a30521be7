import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * A cooperation meeting (Kooperationstreffen) of a district with the providers of integration management: when,
 * who took part, minutes and decisions. No personal data; the cooperation reads (a municipal app its own
 * district's), the district's coordinators write. Participants are rows of cooperation_meeting_participants (loaded with a DataLoader).
 */
@ObjectType({ description: 'A cooperation meeting (Kooperationstreffen) of a district with the providers of integration management' })
@Entity({ name: 'cooperation_meetings' })
export class CooperationMeeting {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'district_id' })
  districtId: string;

  @Field(() => LocalDateScalar, { description: 'The day of the meeting' })
  @Column('date', { name: 'held_on' })
  heldOn: string;

  @Field()
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true, description: 'Where it took place' })
  @Column('text', { nullable: true })
  location: string | null;

  @Field(() => String, { nullable: true, description: 'Minutes (Protokoll), plain text' })
  @Column('text', { nullable: true })
  minutes: string | null;

  @Field(() => [String], { description: 'Decisions taken (Beschlüsse), in the order they were recorded' })
  @Column('text', { array: true, default: () => "'{}'" })
  decisions: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change; send it back as expectedVersion when you change the meeting' })
  @VersionColumn()
  version: number;
}
