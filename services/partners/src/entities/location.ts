import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

const coordinate = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/** A place where an organisation receives people or an offering takes place (HSDS: location, address). */
@ObjectType({ description: 'A place: address and coordinates' })
@Entity({ name: 'locations' })
export class Location {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'municipality_id', nullable: true })
  municipalityId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  street: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'postal_code', nullable: true })
  postalCode: string | null;

  @Field()
  @Column('text')
  city: string;

  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude' })
  @Column('numeric', { precision: 9, scale: 6, nullable: true, transformer: coordinate })
  latitude: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude' })
  @Column('numeric', { precision: 9, scale: 6, nullable: true, transformer: coordinate })
  longitude: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
