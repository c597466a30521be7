import { invalidInput, notFound, RequestContext, requireCooperationMember, requireUuid } from '@integration-graph/common';
import { Arg, Ctx, Field, ID, InputType, Mutation, registerEnumType, Resolver } from 'type-graphql';
import { requireEditor } from '../auth/directory-access';
import { Location } from '../entities/location';
import { Offering } from '../entities/offering';
import { Organization } from '../entities/organization';
import { TaxonomyTerm } from '../entities/taxonomy-term';
import { TranslatableEntity } from '../entities/translation';
import { Language, LocalizedText, TranslationState } from '../i18n/language';
import { writeText } from '../i18n/texts';

export enum TextEntityType {
  ORGANIZATION = 'organization',
  OFFERING = 'offering',
  LOCATION = 'location',
  TAXONOMY_TERM = 'taxonomy_term',
}
registerEnumType(TextEntityType, { name: 'TextEntityType', description: 'Kinds of directory entries with texts' });

/** The translatable fields of each kind of entry. */
export const TEXT_FIELDS: Record<TextEntityType, readonly string[]> = {
  [TextEntityType.ORGANIZATION]: ['description', 'accessibilityNote'],
  [TextEntityType.OFFERING]: ['title', 'description', 'eligibility', 'scheduleNote'],
  [TextEntityType.LOCATION]: ['name', 'accessibilityNote'],
  [TextEntityType.TAXONOMY_TERM]: ['label'],
};

@InputType({ description: 'One text of a directory entry in one language, e.g. a reviewed Ukrainian title' })
export class SetTextInput {
  @Field(() => TextEntityType)
  entityType: TextEntityType;

  @Field(() => ID)
  entityId: string;

  @Field({ description: 'e.g. "title"; see TEXT_FIELDS in the documentation' })
  field: string;

  @Field(() => Language)
  lang: Language;

  @Field()
  text: string;

  @Field(() => TranslationState)
  state: TranslationState;
}

@Resolver()
export class TextResolver {
  @Mutation(() => LocalizedText, {
    description: 'Writes one text in one language (editors of the owning organisation; coordinators for categories). A changed original marks its translations OUTDATED.',
  })
  async setText(@Arg('input', () => SetTextInput) input: SetTextInput, @Ctx() context: RequestContext): Promise<LocalizedText> {
    const caller = requireCooperationMember(context.principal, 'changing directory texts');
    if (!TEXT_FIELDS[input.entityType].includes(input.field)) {
      throw invalidInput('input.field', 'isTextField', `${input.entityType} has the text fields ${TEXT_FIELDS[input.entityType].join(', ')}`);
    }
    const manager = await context.tx.manager();
    let owner: string | null;
    switch (input.entityType) {
      case TextEntityType.ORGANIZATION:
        owner = requireUuid('input.entityId', input.entityId);
        if (!(await manager.findOneBy(Organization, { id: owner }))) throw notFound('Organization', owner);
        break;
      case TextEntityType.OFFERING:
      case TextEntityType.LOCATION: {
        const entity = await manager.findOneBy(input.entityType === TextEntityType.OFFERING ? Offering : Location, {
          id: requireUuid('input.entityId', input.entityId),
        });
        if (!entity) throw notFound(input.entityType, input.entityId);
        owner = entity.organizationId;
        break;
      }
      case TextEntityType.TAXONOMY_TERM: {
        const term = await manager.findOneBy(TaxonomyTerm, { id: input.entityId });
        if (!term) throw notFound('taxonomy term', input.entityId);
        owner = term.ownerOrganizationId;
        break;
      }
    }
    requireEditor(context, owner, 'this text');
    const row = await writeText(manager, {
      entityType: input.entityType as TranslatableEntity,
      entityId: input.entityId,
      ownerOrganizationId: owner,
      field: input.field,
      lang: input.lang,
      text: input.text,
      state: input.state,
      userId: caller.userId,
    });
    return { text: row.text, language: row.lang, requestedLanguage: row.lang, isFallback: false, state: row.state };
  }
}
