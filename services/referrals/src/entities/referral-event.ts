import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ReferralStatus } from './referral-status';

export enum ActorSide {
  SENDER = 'sender',
  RECEIVER = 'receiver',
  SYSTEM = 'system',
}
registerEnumType(ActorSide, { name: 'ActorSide', description: 'Who made a change: the sending organisation, the receiving partner, or the platform (deadlines)' });

/** One transition of a referral: who, when, from where to where, with what comment. Append-only. */
@ObjectType({ description: 'One step in the history of a referral' })
@Entity({ name: 'referral_events' })
export class ReferralEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'referral_id' })
  referralId: string;

  @Column('uuid', { name: 'sender_organization_id' })
  senderOrganizationId: string;

  @Column('uuid', { name: 'receiver_organization_id' })
  receiverOrganizationId: string;

  @Field(() => ReferralStatus, { nullable: true })
  @Column('text', { name: 'from_status', nullable: true })
  fromStatus: ReferralStatus | null;

  @Field(() => ReferralStatus)
  @Column('text', { name: 'to_status' })
  toStatus: ReferralStatus;

  @Field({ description: 'User id of who made the change ("system" for deadlines)' })
  @Column('text', { name: 'actor_user_id' })
  actorUserId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'actor_organization_id', nullable: true })
  actorOrganizationId: string | null;

  @Field(() => ActorSide)
  @Column('text', { name: 'actor_side' })
  actorSide: ActorSide;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  comment: string | null;

  @Field(() => GraphQLJSON, { description: 'Facts of the step: reason code, waitlist position, start date, outcome, ...' })
  @Column('jsonb')
  details: Record<string, unknown>;

  @Field(() => Date)
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;
}
