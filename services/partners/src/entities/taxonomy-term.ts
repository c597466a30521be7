import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export enum TaxonomyScheme {
  OFFERING_TYPE = 'offering_type',
  LIFE_AREA = 'life_area',
}
registerEnumType(TaxonomyScheme, { name: 'TaxonomyScheme', description: 'Which list a category belongs to' });

/** A category of offering types or life areas. Labels are texts in several languages. */
@ObjectType({ description: 'A category: an offering type or a life area (Lebensbereich)' })
@Entity({ name: 'taxonomy_terms' })
export class TaxonomyTerm {
  @Field(() => ID, { description: 'Readable id, e.g. "integration-course-general" or "language"' })
  @PrimaryColumn('text')
  id: string;

  @Field(() => TaxonomyScheme)
  @Column('text')
  scheme: TaxonomyScheme;

  @Column('text', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @Field(() => String, { nullable: true, description: 'URI of the term in an external vocabulary, if any' })
  @Column('text', { nullable: true })
  uri: string | null;

  @Column('uuid', { name: 'owner_organization_id', nullable: true })
  ownerOrganizationId: string | null;

  @Field(() => Int, { description: 'Order within its scheme' })
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
