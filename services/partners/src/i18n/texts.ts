import { invalidInput } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { Translation, TranslatableEntity } from '../entities/translation';
import { Language, TranslationState } from './language';

export interface TextWrite {
  entityType: TranslatableEntity;
  entityId: string;
  ownerOrganizationId: string | null;
  field: string;
  lang: Language;
  text: string;
  /** ORIGINAL (also when omitted) for the organisation's own text; MACHINE_TRANSLATED or REVIEWED for translations. */
  state?: TranslationState | null;
  userId: string | null;
}

export const MAX_TEXT_LENGTH = 5000;

/**
 * Writes one text. Writing a changed original marks every translation of that field OUTDATED (they are no longer
 * served until someone translates or reviews them again); there is one original per field.
 */
export async function writeText(manager: EntityManager, write: TextWrite): Promise<Translation> {
  const text = write.text.trim();
  const state = write.state ?? TranslationState.ORIGINAL;
  if (!text) throw invalidInput(`${write.field}.text`, 'isNotEmpty', 'the text must not be empty');
  if (text.length > MAX_TEXT_LENGTH) throw invalidInput(`${write.field}.text`, 'maxLength', `at most ${MAX_TEXT_LENGTH} characters`);
  if (state === TranslationState.OUTDATED) throw invalidInput(`${write.field}.state`, 'notOutdated', 'OUTDATED is set by the platform, not written');
  const key = { entityType: write.entityType, entityId: write.entityId, field: write.field };
  const original = await manager.findOne(Translation, { where: { ...key, state: TranslationState.ORIGINAL } });
  if (state === TranslationState.ORIGINAL) {
    if (original && original.lang !== write.lang) {
      throw invalidInput(`${write.field}.lang`, 'oneOriginal', `the original of ${write.field} is in ${original.lang}; write translations as MACHINE_TRANSLATED or REVIEWED`);
    }
    if (!original || original.text !== text) {
      await manager
        .createQueryBuilder()
        .update(Translation)
        .set({ state: TranslationState.OUTDATED })
        .where('entity_type = :entityType AND entity_id = :entityId AND field = :field AND lang <> :lang', { ...key, lang: write.lang })
        .execute();
    }
  } else if (original?.lang === write.lang) {
    throw invalidInput(`${write.field}.state`, 'oneOriginal', `${write.lang} is the original language of ${write.field}; write it as ORIGINAL`);
  }
  const row = manager.create(Translation, { ...key, lang: write.lang, text, state, ownerOrganizationId: write.ownerOrganizationId, updatedBy: write.userId });
  return manager.save(row);
}
