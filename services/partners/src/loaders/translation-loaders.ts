import { groupByKeys, LoaderFactory, RequestContext } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { Translation, TranslatableEntity } from '../entities/translation';
import { fallbackChain, Language, LocalizedText, toLanguage, TranslationState } from '../i18n/language';

/** All texts of many entries of one kind, keyed "entityType:entityId": one SELECT for all of them. */
export const translationsByEntity: LoaderFactory<string, Translation[]> = (context) =>
  new DataLoader(async (keys) => {
    const manager = await context.tx.manager();
    const pairs = keys.map((key) => {
      const separator = key.indexOf(':');
      return [key.slice(0, separator), key.slice(separator + 1)];
    });
    const rows: Translation[] = await manager
      .createQueryBuilder(Translation, 't')
      .where('(t.entity_type, t.entity_id) IN (SELECT * FROM unnest(:types::text[], :ids::text[]))', {
        types: pairs.map(([type]) => type),
        ids: pairs.map(([, id]) => id),
      })
      .getMany();
    return groupByKeys(keys, rows, (row) => `${row.entityType}:${row.entityId}`);
  });

/** Picks the text of a field along the fallback chain (see i18n/language.ts). */
export function pickText(translations: Translation[], field: string, requestedLanguage: Language): LocalizedText | null {
  const requested = toLanguage(requestedLanguage);
  const candidates = translations.filter((t) => t.field === field && t.state !== TranslationState.OUTDATED);
  const chosen =
    fallbackChain(requested)
      .map((lang) => candidates.find((t) => t.lang === lang))
      .find(Boolean) ?? candidates.find((t) => t.state === TranslationState.ORIGINAL);
  if (!chosen) return null;
  return { text: chosen.text, language: chosen.lang, requestedLanguage: requested, isFallback: chosen.lang !== requested, state: chosen.state };
}

export async function localize(
  context: RequestContext,
  entityType: TranslatableEntity,
  entityId: string,
  field: string,
  requested: Language,
): Promise<LocalizedText | null> {
  return pickText(await context.loaders.get(translationsByEntity).load(`${entityType}:${entityId}`), field, requested);
}
