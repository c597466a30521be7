import { callSubgraph, env, notFound, RequestContext, requireRole, requireUuid, Role } from '@integration-graph/common';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { requireCaseStaff } from '../auth/case-access';
import { checkDataSharing } from '../consent/consent-check';
import { requireRecipientKind, ShareableField } from '../consent/vocabulary';
import { Case } from '../entities/case';
import { CaseStatus } from '../entities/case-status';
import { Client } from '../entities/client';
import { HouseholdChild } from '../entities/household';
import { IntegrationPlan } from '../entities/integration-plan';
import { refuseSharingIfRestricted } from '../rights/restriction';
import { todayInGermany } from '../validation';

@ObjectType({ description: 'What a referral may carry to its recipient: the consented fields of the client, taken now' })
export class ReferralSnapshot {
  @Field({ description: 'Whether a valid counselling consent and a valid data-sharing consent for the recipient exist' })
  allowed: boolean;

  @Field(() => String, { nullable: true, description: 'Why not, when not allowed' })
  reason: string | null;

  @Field(() => ID, { nullable: true, description: 'The data-sharing consent the snapshot rests on' })
  consentId: string | null;

  @Field(() => [String], { description: 'The fields shared' })
  scope: string[];

  @Field(() => GraphQLJSON, { nullable: true, description: 'The shared fields and their values; null when not allowed' })
  data: Record<string, unknown> | null;

  @Field(() => CaseStatus)
  caseStatus: CaseStatus;

  @Field(() => ID)
  ownerOrganizationId: string;
}

/** The values of the consented fields only: everything else never leaves the cases subgraph. */
function snapshotOf(scope: ShareableField[], client: Client, plan: IntegrationPlan | null, children: HouseholdChild[], theCase: Case): Record<string, unknown> {
  const values: Record<ShareableField, () => unknown> = {
    name: () => ({ givenName: client.givenName, familyName: client.familyName }),
    dateOfBirth: () => client.dateOfBirth,
    phone: () => client.phone,
    email: () => client.email,
    languages: () => client.languages,
    nationalities: () => client.nationalities,
    residenceStatus: () => client.residenceStatus,
    arrivedOn: () => client.arrivedOn,
    address: () => ({ municipalityId: theCase.municipalityId, accommodationSiteId: client.accommodationSiteId, privateFlatSince: client.privateFlatSince }),
    germanLevel: () => plan?.germanSkills ?? {},
    qualifications: () =>
      plan && {
        vocationalQualification: plan.vocationalQualification,
        academicDegree: plan.academicDegree,
        recognitionStatus: plan.recognitionStatus,
        workExperience: plan.workExperience,
      },
    schooling: () => plan && { schoolingYears: plan.schoolingYears, highestSchoolingIsced: plan.highestSchoolingIsced },
    drivingLicence: () => plan?.drivingLicence ?? null,
    household: () => ({ children: children.map((child) => ({ dateOfBirth: child.dateOfBirth, careStatus: child.careStatus })) }),
  };
  return Object.fromEntries(scope.map((field) => [field, values[field]()]));
}

/** What the referrals subgraph asks the cases subgraph when it sends a referral and when it shows a snapshot. */
@Resolver()
export class ReferralSupportResolver {
  @Query(() => ReferralSnapshot, {
    description:
      'For sending a referral (case staff): checks consent for the recipient now and returns exactly the consented fields of the client. Call it in the request that sends; never cache it.',
  })
  async referralSnapshot(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('recipientOrganizationId', () => ID) recipientOrganizationId: string,
    @Arg('recipientKind', () => String, { nullable: true }) recipientKind: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<ReferralSnapshot> {
    requireCaseStaff(context, 'take referral snapshots');
    const manager = await context.tx.manager();
    // Sharing is processing: nothing of a restricted client leaves (FORBIDDEN, rule processingRestricted).
    await refuseSharingIfRestricted(context, 'caseId', requireUuid('caseId', caseId));
    const theCase = await manager.findOneBy(Case, { id: caseId });
    if (!theCase) throw notFound('Case', caseId);
    const decision = await checkDataSharing(
      manager,
      theCase.id,
      { organizationId: requireUuid('recipientOrganizationId', recipientOrganizationId), kind: recipientKind ? requireRecipientKind('recipientKind', recipientKind) : null },
      todayInGermany(),
    );
    const base = { caseStatus: theCase.status, ownerOrganizationId: theCase.ownerOrganizationId, reason: decision.reason, consentId: decision.consent?.id ?? null };
    if (!decision.allowed || !theCase.clientId) return { ...base, allowed: false, reason: decision.reason ?? 'the case has no client', scope: [], data: null };
    const client = await manager.findOneByOrFail(Client, { id: theCase.clientId });
    const plan = await manager.findOneBy(IntegrationPlan, { caseId: theCase.id });
    const children = client.householdId ? await manager.findBy(HouseholdChild, { householdId: client.householdId }) : [];
    const scope = decision.scope as ShareableField[];
    // Read for a referral (the referrals subgraph stores it for the recipient): recorded like any read of the client.
    for (const field of scope) {
      context.audit.read('ReferralSnapshot', theCase.id, field, 'referralSnapshot', {
        ownerOrganizationId: theCase.ownerOrganizationId,
        caseIds: [theCase.id],
        clientIds: [client.id],
      });
    }
    return { ...base, allowed: true, scope, data: snapshotOf(scope, client, plan, children, theCase) };
  }

  @Query(() => [Boolean], {
    description:
      'For a receiving partner: whether each given data-sharing consent still allows sharing with your organisation (given to it, or to its kind of organisation), and a counselling consent still holds. Nothing else about the consents is revealed.',
  })
  async consentsStillValid(@Arg('consentIds', () => [ID]) consentIds: string[], @Ctx() context: RequestContext): Promise<boolean[]> {
    const caller = requireRole(context.principal, [Role.Partner, Role.Caseworker, Role.Lead], 'check consents');
    consentIds.forEach((id, i) => requireUuid(`consentIds.${i}`, id));
    if (!consentIds.length) return [];
    // The kind is the caller's own organisation's, looked up in the directory: never taken from the request, so that
    // nobody can ask about consents given to a kind of organisation they are not. Fails closed: without the
    // directory, only consents given to the organisation itself count.
    const kind = await ownOrganizationKind(context, caller.organizationId);
    const manager = await context.tx.manager();
    const rows: { valid: boolean }[] = await manager.query(`SELECT consent_still_valid(id, $2) AS valid FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) ORDER BY n`, [
      consentIds,
      kind,
    ]);
    return rows.map((row) => row.valid);
  }
}

/**
 * The kinds of organisations, as the directory said a moment ago: an organisation's kind changes rarely (it is set
 * when the entry is created), and asking the partners subgraph on every inbox read would add a network hop to each.
 * Entries live one minute; failures are not cached.
 */
const KIND_TTL_MS = 60_000;
const kinds = new Map<string, { kind: string | null; until: number }>();

/** The kind of the caller's organisation (partners' OrganizationKind, lower case), or null when it cannot be known. */
async function ownOrganizationKind(context: RequestContext, organizationId: string): Promise<string | null> {
  const cached = kinds.get(organizationId);
  if (cached && cached.until > Date.now()) return cached.kind;
  try {
    const { organization } = await callSubgraph<{ organization: { kind: string } | null }>(
      'partners',
      env('PARTNERS_URL', 'http://127.0.0.1:4001/graphql')!,
      context,
      `query($id: ID!) { organization(id: $id) { kind } }`,
      { id: organizationId },
    );
    const kind = organization ? organization.kind.toLowerCase() : null;
    if (kinds.size > 10_000) kinds.clear();
    kinds.set(organizationId, { kind, until: Date.now() + KIND_TTL_MS });
    return kind;
  } catch (error) {
    context.logger.warn({ err: error, requestId: context.requestId }, 'organisation kind unknown: only organisation-specific consents count');
    return null;
  }
}
