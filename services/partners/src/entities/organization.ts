import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { OrganizationKind } from './organization-kind';

/** An organisation of the integration network (HSDS: organization). Directory data, no personal data. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An organisation of the integration network: district, municipality, welfare organisation or partner' })
@Entity({ name: 'organizations' })
export class Organization {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Official name' })
  @Column('text')
  name: string;

  @Field(() => OrganizationKind)
  @Column('text')
  kind: OrganizationKind;

  @Field(() => String, { nullable: true, description: 'Amtlicher Gemeindeschlüssel (AGS) of a district or municipality' })
  @Column('text', { name: 'official_municipality_key', nullable: true })
  officialMunicipalityKey: string | null;

  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @Field(() => [String], { description: 'Languages the staff speak with clients (ISO 639 codes)' })
  @Column('text', { name: 'languages_spoken', array: true, default: () => "'{}'" })
  languagesSpoken: string[];

  @Field(() => Date, { nullable: true, description: 'When the organisation last confirmed this entry is correct' })
  @Column('timestamptz', { name: 'last_verified_at', nullable: true })
  lastVerifiedAt: Date | null;

  @Column('text', { name: 'last_verified_by', nullable: true })
  lastVerifiedBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change; send it back as expectedVersion when you change the entry' })
  @VersionColumn()
  version: number;
}
