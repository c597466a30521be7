import { Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Language, TranslationState } from './language';
import { MAX_TEXT_LENGTH } from './texts';

/** One text of a translatable field in one language; use with writeText() from i18n/texts.ts. */
@InputType({ description: 'A text in one language' })
export class TextInput {
  @Field(() => Language)
  lang: Language;

  @Field()
  @Length(1, MAX_TEXT_LENGTH)
  text: string;

  // No GraphQL default: type-graphql would hand the enum's name ("ORIGINAL") instead of its value to resolvers.
  @Field(() => TranslationState, {
    nullable: true,
    description: 'ORIGINAL (when omitted) for your own text; MACHINE_TRANSLATED or REVIEWED for translations',
  })
  state?: TranslationState | null;
}

/** The state of a text input, ORIGINAL when omitted. */
export function stateOf(input: Pick<TextInput, 'state'>): TranslationState {
  return input.state ?? TranslationState.ORIGINAL;
}
