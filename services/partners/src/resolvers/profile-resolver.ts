import { RequestContext } from '@integration-graph/common';
import { Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Organization } from '../entities/organization';
import { FALLBACK_DOCUMENTATION, Language, LocalizedText } from '../i18n/language';
import { TextInput } from '../i18n/text-input';
import { organizationById } from '../loaders/organization-loaders';
import { localize } from '../loaders/translation-loaders';
import { requireLanguageCodes } from '../validation';
import { lockForEdit, requireOrganizationForEdit, saveNewVersion, writeTexts } from './directory-editing';

@InputType({ description: "Changes to an organisation's directory entry; omitted fields stay as they are" })
export class UpdateOrganizationInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; CONFLICT if the entry changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => [String], { nullable: true, description: 'Languages the staff speak with clients (ISO 639 codes, e.g. "de", "uk", "prs"); replaces the list' })
  languagesSpoken?: string[] | null;

  @Field(() => [TextInput], { nullable: true, description: 'What the organisation does, per language; languages not given stay as they are' })
  description?: TextInput[] | null;

  @Field(() => [TextInput], { nullable: true, description: 'Accessibility (Barrierefreiheit) per language' })
  accessibilityNote?: TextInput[] | null;
}

/** Descriptive texts of an organisation's directory entry and editing the entry. */
@Resolver(() => Organization)
export class OrganizationProfileResolver {
  @FieldResolver(() => LocalizedText, { nullable: true, description: `What the organisation does. ${FALLBACK_DOCUMENTATION}` })
  description(
    @Root() organization: Organization,
    @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language,
    @Ctx() context: RequestContext,
  ): Promise<LocalizedText | null> {
    return localize(context, 'organization', organization.id, 'description', lang);
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Accessibility (Barrierefreiheit): step-free access, lift, sign language, ... ${FALLBACK_DOCUMENTATION}` })
  accessibilityNote(
    @Root() organization: Organization,
    @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language,
    @Ctx() context: RequestContext,
  ): Promise<LocalizedText | null> {
    return localize(context, 'organization', organization.id, 'accessibilityNote', lang);
  }

  @Mutation(() => Organization, {
    description:
      "Changes the languages spoken and the texts of an organisation's entry (its org_admins and leads, or a coordinator), guarded by expectedVersion. A changed original text marks its translations OUTDATED.",
  })
  async updateOrganization(@Arg('input', () => UpdateOrganizationInput) input: UpdateOrganizationInput, @Ctx() context: RequestContext): Promise<Organization> {
    const organization = await requireOrganizationForEdit(context, 'input.id', input.id, "this organisation's entry");
    const languagesSpoken = input.languagesSpoken ? requireLanguageCodes('input.languagesSpoken', input.languagesSpoken) : undefined;
    const manager = await context.tx.manager();
    await lockForEdit(manager, Organization, 'Organization', organization.id, input.expectedVersion);
    const owner = { entityType: 'organization' as const, entityId: organization.id, ownerOrganizationId: organization.id };
    await writeTexts(context, owner, 'description', 'input.description', input.description);
    await writeTexts(context, owner, 'accessibilityNote', 'input.accessibilityNote', input.accessibilityNote);
    const saved = await saveNewVersion(manager, Organization, organization.id, languagesSpoken ? { languagesSpoken } : {});
    context.loaders.get(organizationById).clear(saved.id).prime(saved.id, saved);
    return saved;
  }
}
