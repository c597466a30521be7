import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** Languages of directory texts. Stored as ISO 639-1 codes; Einfache Sprache (simple German) as "de-simple". */
export enum Language {
  DE = 'de',
  DE_SIMPLE = 'de-simple',
  EN = 'en',
  AR = 'ar',
  FA = 'fa',
  UK = 'uk',
  TR = 'tr',
  RU = 'ru',
}

registerEnumType(Language, {
  name: 'Language',
  description: 'Language of a directory text',
  valuesConfig: {
    DE: { description: 'German (the original language of most entries)' },
    DE_SIMPLE: { description: 'Einfache Sprache: simple German for newcomers' },
    EN: { description: 'English' },
    AR: { description: 'Arabic (right to left)' },
    FA: { description: 'Persian/Dari (right to left)' },
    UK: { description: 'Ukrainian' },
    TR: { description: 'Turkish' },
    RU: { description: 'Russian' },
  },
});

export enum TranslationState {
  ORIGINAL = 'original',
  MACHINE_TRANSLATED = 'machine_translated',
  REVIEWED = 'reviewed',
  OUTDATED = 'outdated',
}

registerEnumType(TranslationState, {
  name: 'TranslationState',
  description: 'Where a text comes from and whether it is current',
  valuesConfig: {
    ORIGINAL: { description: 'Written in this language by the organisation' },
    MACHINE_TRANSLATED: { description: 'Translated by a machine, not yet reviewed' },
    REVIEWED: { description: 'Translated and reviewed by a person' },
    OUTDATED: { description: 'The original changed after this translation; it is no longer served' },
  },
});

/**
 * The fallback chain: the requested language; for simple German, German; then German; then the original text in
 * whatever language it was written. Outdated translations are skipped.
 */
export const FALLBACK_DOCUMENTATION =
  'Falls back from the requested language to German (simple German first falls back to German), then to the original text; outdated translations are skipped. `language` says which language was returned.';

/**
 * type-graphql passes an enum argument's default value by its GraphQL name ("DE") rather than its value ("de");
 * everything that receives a Language goes through this.
 */
export function toLanguage(value: Language | keyof typeof Language): Language {
  return (Language as Record<string, Language>)[value] ?? (value as Language);
}

export function fallbackChain(requested: Language): Language[] {
  const chain = [requested, Language.DE];
  return [...new Set(chain)];
}

@ObjectType({ description: `A text in one language. ${FALLBACK_DOCUMENTATION}` })
export class LocalizedText {
  @Field()
  text: string;

  @Field(() => Language, { description: 'The language of `text`' })
  language: Language;

  @Field(() => Language, { description: 'The language that was asked for' })
  requestedLanguage: Language;

  @Field({ description: 'True when `language` is not the requested one' })
  isFallback: boolean;

  @Field(() => TranslationState)
  state: TranslationState;
}
