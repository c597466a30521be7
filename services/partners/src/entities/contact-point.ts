import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export enum ContactKind {
  PHONE = 'phone',
  EMAIL = 'email',
  WEBSITE = 'website',
}
registerEnumType(ContactKind, { name: 'ContactKind' });

export enum ContactVisibility {
  PUBLIC = 'public',
  INTERNAL = 'internal',
}
registerEnumType(ContactVisibility, {
  name: 'ContactVisibility',
  valuesConfig: {
    PUBLIC: { description: 'For everyone, including newcomers and municipal apps' },
    INTERNAL: { description: 'For professionals of the network only (people who work in the cooperation, not municipal apps)' },
  },
});

/** A phone number, e-mail address or website of an organisation (HSDS: contact, phone). */
@ObjectType({ description: 'A way to reach an organisation' })
@Entity({ name: 'contact_points' })
export class ContactPoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Field(() => ContactKind)
  @Column('text')
  kind: ContactKind;

  @Field({ description: 'The number, address or URL' })
  @Column('text')
  value: string;

  @Field(() => String, { nullable: true, description: 'What it is for, e.g. "Beratungstelefon"' })
  @Column('text', { nullable: true })
  label: string | null;

  @Field(() => ContactVisibility)
  @Column('text')
  visibility: ContactVisibility;

  @Column('integer')
  position: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
