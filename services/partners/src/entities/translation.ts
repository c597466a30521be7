import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Language, TranslationState } from '../i18n/language';

export type TranslatableEntity = 'organization' | 'offering' | 'location' | 'taxonomy_term';

/** One text field of one directory entry in one language (see i18n/language.ts for the fallback chain). */
@Entity({ name: 'translations' })
export class Translation {
  @PrimaryColumn('text', { name: 'entity_type' })
  entityType: TranslatableEntity;

  @PrimaryColumn('text', { name: 'entity_id' })
  entityId: string;

  @PrimaryColumn('text')
  field: string;

  @PrimaryColumn('text')
  lang: Language;

  @Column('text')
  text: string;

  @Column('text')
  state: TranslationState;

  @Column('uuid', { name: 'owner_organization_id', nullable: true })
  ownerOrganizationId: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('text', { name: 'updated_by', nullable: true })
  updatedBy: string | null;
}
