import { Directive, Field, ID, ObjectType } from 'type-graphql';
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

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
