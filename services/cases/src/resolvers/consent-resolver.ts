import { EntityReference, invalidInput, LocalDateScalar, notFound, RequestContext, requireUuid, updateWithVersion } from '@integration-graph/common';
import { ArrayMaxSize, ArrayNotEmpty, IsOptional, Length, Max, Min } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { MoreThanOrEqual } from 'typeorm';
import { loadCaseForChange, requireCaseStaff } from '../auth/case-access';
import { checkDataSharing, isConsentValid } from '../consent/consent-check';
import { requireRecipientKind, requireScope, SHAREABLE_FIELDS } from '../consent/vocabulary';
import { Case } from '../entities/case';
import { Consent } from '../entities/consent';
import { ConsentKind } from '../entities/enums';
import { Organization } from '../entities/organization';
import { caseById } from '../loaders/case-loaders';
import { refuseChangeIfRestricted } from '../rights/restriction';
import { consentsByCase } from '../loaders/client-loaders';
import { requireLanguageCodes, requireNotInFuture, requireOrderedDates, todayInGermany } from '../validation';

@InputType({
  description: `Records a consent of the case's client. COUNSELLING: informed consent to counselling and data processing, without recipient and scope. DATA_SHARING: consent to share the fields in scope with exactly one of recipientOrganizationId or recipientKind; scope from: ${SHAREABLE_FIELDS.join(', ')}.`,
})
export class RecordConsentInput {
  @Field(() => ID, { description: 'An open case of your organisation' })
  caseId: string;

  @Field(() => ConsentKind)
  kind: ConsentKind;

  @Field(() => ID, { nullable: true, description: 'DATA_SHARING: the recipient organisation (partners Organization id)' })
  recipientOrganizationId?: string | null;

  @Field(() => String, { nullable: true, description: 'DATA_SHARING: every organisation of this kind (partners OrganizationKind, e.g. "jobcenter")' })
  recipientKind?: string | null;

  @Field(() => [String], { nullable: true, description: `DATA_SHARING: the fields that may be shared, from: ${SHAREABLE_FIELDS.join(', ')}` })
  scope?: string[] | null;

  @Field(() => [String], { description: 'The purposes explained to the client, e.g. ["Vermittlung an das Jobcenter"]' })
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @Length(1, 300, { each: true })
  purposes: string[];

  @Field({ description: 'Version of the consent text the client was given, e.g. "IM-BW-2023-2"' })
  @Length(1, 50)
  textVersion: string;

  @Field({ description: 'Language the consent was explained in (ISO 639, e.g. "ar", "uk", "prs")' })
  explainedIn: string;

  @Field(() => LocalDateScalar, { description: 'Day the client gave the consent; not in the future' })
  givenOn: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day of validity, if limited; on or after givenOn' })
  validUntil?: string | null;
}

@InputType({ description: 'Revokes a consent, effective immediately' })
export class RevokeConsentInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'The version you last read; refused with CONFLICT if the consent changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: 'How and when the client revoked it, e.g. "by phone"' })
  @IsOptional()
  @Length(1, 1000)
  note?: string | null;
}

@ObjectType({ description: 'Whether the data of a case may be shared with a recipient now, and which fields' })
export class DataSharingCheck {
  @Field({ description: 'true exactly when a valid COUNSELLING consent and a valid DATA_SHARING consent for the recipient (organisation or its kind) exist' })
  allowed: boolean;

  @Field(() => Consent, { nullable: true, description: 'The valid DATA_SHARING consent the answer rests on (the one for the organisation wins over one for its kind)' })
  consent: Consent | null;

  @Field(() => [String], { description: 'The fields that may be shared now (the consent’s scope); empty when not allowed' })
  scope: string[];

  @Field(() => String, { nullable: true, description: 'Why sharing is not allowed (missing, revoked or expired consent); null when allowed' })
  reason: string | null;

  @Field(() => [ConsentKind], { description: 'The kinds of consent that are missing (not recorded, revoked or expired)' })
  missing: ConsentKind[];

  @Field(() => Date, { description: 'When the consents were checked; the answer holds for this moment only' })
  checkedAt: Date;
}

@Resolver(() => Consent)
export class ConsentResolver {
  @FieldResolver(() => Boolean, { description: 'Not revoked, already given and not past validUntil (today, Europe/Berlin)' })
  isValid(@Root() consent: Consent): boolean {
    return isConsentValid(consent, todayInGermany());
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'DATA_SHARING: the recipient organisation (resolved by the partners subgraph)' })
  recipientOrganization(@Root() consent: Consent): EntityReference | null {
    return consent.recipientOrganizationId ? { id: consent.recipientOrganizationId } : null;
  }

  @FieldResolver(() => Case, { description: 'The case the consent belongs to' })
  async case(@Root() consent: Consent, @Ctx() context: RequestContext): Promise<Case> {
    const theCase = await context.loaders.get(caseById).load(consent.caseId);
    if (!theCase) throw notFound('Case', consent.caseId);
    return theCase;
  }

  /**
   * The consent check of the referrals subgraph (issue 5). It is evaluated at the moment of the call, inside the
   * request's transaction, with a share lock on the consents and without any cache (see checkDataSharing), so a
   * revocation cannot be missed. Referrals MUST call it in the same request that sends a referral (and refuse to
   * send unless allowed, sending only the fields in scope), and call it again whenever they show a referral's data
   * snapshot; they must never store or reuse its answer. consentRevocations tells them about revocations later.
   */
  @Query(() => DataSharingCheck, {
    description:
      'May the data of this case be shared with this recipient now? Evaluated at the moment of the call: call it in the same request that sends a referral and again whenever a data snapshot is shown; never reuse the answer. NOT_FOUND for a case you may not see.',
  })
  async dataSharingConsent(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('recipientOrganizationId', () => ID) recipientOrganizationId: string,
    @Arg('recipientKind', () => String, { nullable: true, description: 'The recipient organisation’s kind (partners OrganizationKind), so that consents for the whole kind count' })
    recipientKind: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<DataSharingCheck> {
    requireCaseStaff(context, 'check consents');
    requireUuid('recipientOrganizationId', recipientOrganizationId);
    const kind = recipientKind ? requireRecipientKind('recipientKind', recipientKind) : null;
    // Sharing is processing: a restricted client's case shares nothing (FORBIDDEN, rule processingRestricted).
    const theCase = await loadCaseForChange(context, 'caseId', caseId, { purpose: 'share' });
    return checkDataSharing(await context.tx.manager(), theCase.id, { organizationId: recipientOrganizationId, kind }, todayInGermany());
  }

  @Query(() => [Consent], {
    description:
      'Consents of your organisation revoked at or after `since`, oldest revocation first (then by id), at most `limit`. Poll with the revokedAt of the last one you saw (it comes again: treat revocations idempotently). Expiry is not a revocation: check validUntil.',
  })
  async consentRevocations(
    @Arg('since', () => Date) since: Date,
    @Arg('limit', () => Int, { defaultValue: 100, description: 'At most this many, 1 to 500' }) limit: number,
    @Ctx() context: RequestContext,
  ): Promise<Consent[]> {
    requireCaseStaff(context, 'read consents');
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalidInput('limit', 'range', 'between 1 and 500');
    const manager = await context.tx.manager();
    return manager.find(Consent, { where: { revokedAt: MoreThanOrEqual(since) }, order: { revokedAt: 'ASC', id: 'ASC' }, take: limit });
  }

  @Mutation(() => Consent, { description: 'Records a consent of the client of an open case' })
  async recordConsent(@Arg('input', () => RecordConsentInput) input: RecordConsentInput, @Ctx() context: RequestContext): Promise<Consent> {
    const caller = requireCaseStaff(context, 'record consents');
    requireUuid('input.caseId', input.caseId);
    let recipientOrganizationId: string | null = null;
    let recipientKind: string | null = null;
    let scope: string[] = [];
    if (input.kind === ConsentKind.COUNSELLING) {
      if (input.recipientOrganizationId) throw invalidInput('input.recipientOrganizationId', 'noRecipient', 'a COUNSELLING consent has no recipient');
      if (input.recipientKind) throw invalidInput('input.recipientKind', 'noRecipient', 'a COUNSELLING consent has no recipient');
      if (input.scope?.length) throw invalidInput('input.scope', 'noScope', 'a COUNSELLING consent has no scope; record a DATA_SHARING consent to share data');
    } else {
      if (!input.recipientOrganizationId === !input.recipientKind) {
        throw invalidInput('input.recipientOrganizationId', 'exactlyOneRecipient', 'give exactly one of recipientOrganizationId or recipientKind');
      }
      if (input.recipientOrganizationId) recipientOrganizationId = requireUuid('input.recipientOrganizationId', input.recipientOrganizationId);
      if (input.recipientKind) recipientKind = requireRecipientKind('input.recipientKind', input.recipientKind);
      scope = requireScope('input.scope', input.scope);
    }
    const purposes = [...new Set(input.purposes.map((purpose) => purpose.trim()))];
    if (purposes.some((purpose) => !purpose)) throw invalidInput('input.purposes', 'notBlank', 'a purpose must not be empty');
    if (!input.textVersion.trim()) throw invalidInput('input.textVersion', 'notBlank', 'must not be empty');
    if (requireLanguageCodes('input.explainedIn', [input.explainedIn]).length !== 1) throw invalidInput('input.explainedIn', 'isIso639', 'one language');
    requireNotInFuture('input.givenOn', input.givenOn, todayInGermany());
    requireOrderedDates('input.validUntil', input.givenOn, input.validUntil);

    const theCase = await loadCaseForChange(context, 'input.caseId', input.caseId, { open: true, lockShared: true });
    const manager = await context.tx.manager();
    return manager.save(
      manager.create(Consent, {
        ownerOrganizationId: theCase.ownerOrganizationId,
        caseId: theCase.id,
        kind: input.kind,
        recipientOrganizationId,
        recipientKind,
        scope,
        purposes,
        textVersion: input.textVersion.trim(),
        explainedIn: input.explainedIn,
        givenOn: input.givenOn,
        validUntil: input.validUntil ?? null,
        recordedBy: caller.userId,
        revokedAt: null,
        revocationNote: null,
      }),
    );
  }

  @Mutation(() => Consent, {
    description:
      'Revokes a consent, effective immediately everywhere in the graph (dataSharingConsent answers allowed: false from now on), guarded by expectedVersion. A revoked consent cannot be revoked again. Works for closed cases too.',
  })
  async revokeConsent(@Arg('input', () => RevokeConsentInput) input: RevokeConsentInput, @Ctx() context: RequestContext): Promise<Consent> {
    requireCaseStaff(context, 'revoke consents');
    await refuseChangeIfRestricted(context, 'Consent', 'input.id', requireUuid('input.id', input.id));
    const manager = await context.tx.manager();
    const current = await manager.findOneBy(Consent, { id: requireUuid('input.id', input.id) });
    if (!current) throw notFound('Consent', input.id);
    if (current.revokedAt) throw invalidInput('input.id', 'notRevoked', `the consent was already revoked on ${current.revokedAt.toISOString()}`);
    return updateWithVersion(manager, Consent, 'Consent', current.id, input.expectedVersion, {
      revokedAt: () => 'now()',
      revocationNote: input.note?.trim() || null,
    });
  }
}

@Resolver(() => Case)
export class CaseConsentsResolver {
  @FieldResolver(() => [Consent], { description: 'Consents of the client for this case, newest first (revoked and expired ones too; see isValid)' })
  consents(@Root() theCase: Case, @Ctx() context: RequestContext): Promise<Consent[]> {
    return context.loaders.get(consentsByCase).load(theCase.id);
  }
}
