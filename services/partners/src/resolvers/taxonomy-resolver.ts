import { invalidInput, RequestContext, requireRole, Role } from '@integration-graph/common';
import { IsOptional, IsUrl, Matches } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Organization } from '../entities/organization';
import { TaxonomyScheme, TaxonomyTerm } from '../entities/taxonomy-term';
import { FALLBACK_DOCUMENTATION, Language, LocalizedText, TranslationState } from '../i18n/language';
import { stateOf, TextInput } from '../i18n/text-input';
import { writeText } from '../i18n/texts';
import { taxonomyTermById } from '../loaders/directory-loaders';
import { organizationById } from '../loaders/organization-loaders';
import { localize } from '../loaders/translation-loaders';

@InputType({ description: 'A local category a district adds without a code change' })
export class AddTaxonomyTermInput {
  @Field(() => ID, { description: 'Readable id: lower-case words joined by hyphens, e.g. "workshop-bicycle-repair"' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'id must be lower-case words joined by hyphens' })
  id: string;

  @Field(() => TaxonomyScheme)
  scheme: TaxonomyScheme;

  @Field(() => ID, { nullable: true, description: 'A broader term of the same scheme' })
  parentId?: string;

  @Field({ nullable: true, description: 'URI in an external vocabulary' })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  uri?: string;

  @Field(() => [TextInput], { description: 'Labels; at least the original (usually German)' })
  labels: TextInput[];
}

@Resolver(() => TaxonomyTerm)
export class TaxonomyResolver {
  @Query(() => [TaxonomyTerm], { description: 'Offering types or life areas, in their order' })
  async taxonomy(@Arg('scheme', () => TaxonomyScheme) scheme: TaxonomyScheme, @Ctx() context: RequestContext): Promise<TaxonomyTerm[]> {
    const manager = await context.tx.manager();
    return manager.find(TaxonomyTerm, { where: { scheme }, order: { position: 'ASC', id: 'ASC' } });
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: `Label. ${FALLBACK_DOCUMENTATION}` })
  label(@Root() term: TaxonomyTerm, @Arg('lang', () => Language, { defaultValue: Language.DE }) lang: Language, @Ctx() context: RequestContext) {
    return localize(context, 'taxonomy_term', term.id, 'label', lang);
  }

  @FieldResolver(() => TaxonomyTerm, { nullable: true, description: 'The broader term' })
  parent(@Root() term: TaxonomyTerm, @Ctx() context: RequestContext): Promise<TaxonomyTerm | null> | null {
    return term.parentId ? context.loaders.get(taxonomyTermById).load(term.parentId) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The district that added this local term; null for terms of the whole platform' })
  addedBy(@Root() term: TaxonomyTerm, @Ctx() context: RequestContext): Promise<Organization | null> | null {
    return term.ownerOrganizationId ? context.loaders.get(organizationById).load(term.ownerOrganizationId) : null;
  }

  @Mutation(() => TaxonomyTerm, { description: 'Adds a local category (district coordinators)' })
  async addTaxonomyTerm(@Arg('input', () => AddTaxonomyTermInput) input: AddTaxonomyTermInput, @Ctx() context: RequestContext): Promise<TaxonomyTerm> {
    const caller = requireRole(context.principal, [Role.Coordinator], 'add categories');
    const manager = await context.tx.manager();
    if (await manager.findOneBy(TaxonomyTerm, { id: input.id })) throw invalidInput('input.id', 'unique', `a term "${input.id}" exists already`);
    if (input.parentId) {
      const parent = await manager.findOneBy(TaxonomyTerm, { id: input.parentId });
      if (!parent || parent.scheme !== input.scheme) throw invalidInput('input.parentId', 'sameScheme', 'the broader term must exist in the same scheme');
    }
    if (!input.labels.some((label) => stateOf(label) === TranslationState.ORIGINAL)) {
      throw invalidInput('input.labels', 'hasOriginal', 'give the label at least in its original language (state ORIGINAL)');
    }
    const last = await manager.createQueryBuilder(TaxonomyTerm, 't').select('COALESCE(MAX(t.position), 0)', 'max').where('t.scheme = :scheme', { scheme: input.scheme }).getRawOne();
    const term = await manager.save(
      manager.create(TaxonomyTerm, {
        id: input.id,
        scheme: input.scheme,
        parentId: input.parentId ?? null,
        uri: input.uri ?? null,
        ownerOrganizationId: caller.organizationId,
        position: Number(last.max) + 10,
      }),
    );
    for (const label of input.labels) {
      await writeText(manager, { entityType: 'taxonomy_term', entityId: term.id, ownerOrganizationId: caller.organizationId, field: 'label', ...label, userId: caller.userId });
    }
    return term;
  }
}
