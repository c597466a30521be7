import { EntityReference } from '@integration-graph/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { Organization } from './references';
import { ReferralStatus } from './referral-status';

/**
 * A referral (Vermittlung) of a client's case to a partner organisation. Visible to the sending organisation's
 * caseworkers and leads and to the receiving organisation's partner staff (row-level security).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A referral (Vermittlung) of a case to a partner organisation' })
@Entity({ name: 'referrals' })
export class Referral {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ReferralStatus)
  @Column('text')
  status: ReferralStatus;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Column('uuid', { name: 'sender_organization_id' })
  senderOrganizationId: string;

  @Field(() => Organization, { description: 'The organisation that sent the referral (the owner of the case)' })
  sender(): EntityReference {
    return { id: this.senderOrganizationId };
  }

  @Column('uuid', { name: 'receiver_organization_id' })
  receiverOrganizationId: string;

  @Field(() => Organization, { description: 'The receiving partner organisation' })
  partner(): EntityReference {
    return { id: this.receiverOrganizationId };
  }

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change' })
  @VersionColumn()
  version: number;
}
