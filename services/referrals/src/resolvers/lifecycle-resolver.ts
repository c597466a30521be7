import { createHash } from 'node:crypto';
import { invalidInput, notFound, RequestContext, requireCooperationMember, requireRole, requireUuid, Role } from '@integration-graph/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { callSubgraph } from '../clients/subgraph-client';
import { OutcomeCode, Urgency } from '../entities/enums';
import { Referral } from '../entities/referral';
import { ReferralStatus } from '../entities/referral-status';
import { actorOf, applyTransition, responseDeadlineDays } from '../lifecycle/apply';
import { referralById } from '../loaders/referral-loaders';
import {
  CancelReferralInput,
  CompleteReferralInput,
  DeclineReferralInput,
  FailReferralInput,
  ReferralStepInput,
  ScheduleReferralInput,
  SendReferralInput,
  WaitlistReferralInput,
} from './referral-types';

const SENDERS = [Role.Caseworker, Role.Lead];

interface PartnerFacts {
  organization: { id: string; kind: string } | null;
  offering?: { id: string; status: string; organization: { id: string } } | null;
}

interface CaseFacts {
  case: { id: string; status: string; ownerOrganization: { id: string }; municipality: { id: string } | null } | null;
  referralSnapshot: { allowed: boolean; reason: string | null; consentId: string | null; scope: string[]; data: Record<string, unknown> | null };
}

/** The payload of a send, to tell a true retry (same key, same payload) from a reused key. */
function payloadHash(input: SendReferralInput): string {
  const { idempotencyKey: _key, ...payload } = input;
  return createHash('sha256').update(JSON.stringify(payload, Object.keys(payload).sort())).digest('hex');
}

/**
 * Loads a referral the caller may see (row-level security) for a step, or NOT_FOUND. People of the cooperation on
 * neither side learn nothing (NOT_FOUND); a municipal app (no role in the cooperation) is refused outright (FORBIDDEN).
 */
async function loadForStep(context: RequestContext, input: ReferralStepInput): Promise<Referral> {
  requireCooperationMember(context.principal, 'changing a referral');
  const referral = await context.loaders.get(referralById).load(requireUuid('input.id', input.id));
  if (!referral) throw notFound('Referral', input.id);
  return referral;
}

async function step(context: RequestContext, input: ReferralStepInput, to: ReferralStatus, changes: QueryDeepPartialEntity<Referral> = {}, details: Record<string, unknown> = {}) {
  const referral = await loadForStep(context, input);
  const manager = await context.tx.manager();
  return applyTransition(manager, {
    referral,
    to,
    expectedVersion: input.expectedVersion,
    actor: actorOf(context, context.principal!, referral),
    comment: input.comment,
    changes,
    details,
  });
}

@Resolver(() => Referral)
export class LifecycleResolver {
  @Mutation(() => Referral, {
    description:
      'Sends a referral of a case to a partner (case staff). Needs a valid counselling consent and a data-sharing consent for the partner; the partner then sees a snapshot of exactly the consented fields, taken now. Idempotent per idempotencyKey.',
  })
  async sendReferral(@Arg('input', () => SendReferralInput) input: SendReferralInput, @Ctx() context: RequestContext): Promise<Referral> {
    const caller = requireRole(context.principal, SENDERS, 'send referrals');
    const manager = await context.tx.manager();
    const hash = payloadHash(input);
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`send-referral:${caller.organizationId}:${input.idempotencyKey}`]);
    const earlier = await manager.findOneBy(Referral, { senderOrganizationId: caller.organizationId, idempotencyKey: input.idempotencyKey });
    if (earlier) {
      if (earlier.payloadHash !== hash) {
        throw invalidInput('input.idempotencyKey', 'idempotencyKeyReused', 'this key was used for a different referral; choose a new key for a new referral');
      }
      return earlier;
    }
    requireUuid('input.caseId', input.caseId);
    requireUuid('input.partnerOrganizationId', input.partnerOrganizationId);
    if (input.offeringId) requireUuid('input.offeringId', input.offeringId);
    if (input.goalId) requireUuid('input.goalId', input.goalId);
    const partners = await callSubgraph<PartnerFacts>(
      'partners',
      context,
      `query($org: ID!, $offering: ID!, $withOffering: Boolean!) {
         organization(id: $org) { id kind }
         offering(id: $offering) @include(if: $withOffering) { id status organization { id } }
       }`,
      { org: input.partnerOrganizationId, offering: input.offeringId ?? input.partnerOrganizationId, withOffering: !!input.offeringId },
    );
    if (!partners.organization) throw notFound('Organization', input.partnerOrganizationId);
    if (partners.organization.id === caller.organizationId) throw invalidInput('input.partnerOrganizationId', 'notSelf', 'a referral goes to another organisation');
    if (input.offeringId) {
      if (!partners.offering || partners.offering.organization.id !== partners.organization.id) {
        throw invalidInput('input.offeringId', 'offeringOfPartner', 'the offering must be one of the receiving partner’s');
      }
      if (['ended', 'ENDED'].includes(partners.offering.status)) throw invalidInput('input.offeringId', 'offeringOpen', 'the offering has ended');
    }
    const receiverKind = partners.organization.kind.toLowerCase();
    const cases = await callSubgraph<CaseFacts>(
      'cases',
      context,
      `query($caseId: ID!, $to: ID!, $kind: String) {
         case(id: $caseId) { id status ownerOrganization { id } municipality { id } }
         referralSnapshot(caseId: $caseId, recipientOrganizationId: $to, recipientKind: $kind) { allowed reason consentId scope data }
       }`,
      { caseId: input.caseId, to: input.partnerOrganizationId, kind: receiverKind },
    );
    if (!cases.case) throw notFound('Case', input.caseId);
    if (cases.case.status === 'CLOSED') throw invalidInput('input.caseId', 'caseOpen', 'the case is closed');
    const snapshot = cases.referralSnapshot;
    if (!snapshot.allowed) {
      throw invalidInput('input.caseId', 'consentRequired', `the client has not consented to sharing data with this partner: ${snapshot.reason ?? 'no valid consent'}. Record the consent first.`);
    }
    const draft = await manager.save(
      manager.create(Referral, {
        caseId: input.caseId,
        senderOrganizationId: caller.organizationId,
        receiverOrganizationId: input.partnerOrganizationId,
        receiverKind,
        offeringId: input.offeringId ?? null,
        municipalityId: cases.case.municipality?.id ?? null,
        lifeArea: input.lifeArea,
        goalId: input.goalId ?? null,
        reason: input.reason.trim(),
        urgency: input.urgency ?? Urgency.ROUTINE,
        requestedStart: input.requestedStart ?? null,
        idempotencyKey: input.idempotencyKey,
        payloadHash: hash,
        status: ReferralStatus.DRAFT,
        snapshotScope: [],
      }),
    );
    const now = new Date();
    return applyTransition(manager, {
      referral: draft,
      to: ReferralStatus.SENT,
      expectedVersion: draft.version,
      actor: { userId: caller.userId, organizationId: caller.organizationId, side: 'sender' },
      changes: {
        sentAt: now,
        responseDueAt: new Date(now.getTime() + responseDeadlineDays() * 86_400_000),
        consentId: snapshot.consentId,
        snapshot: snapshot.data as never,
        snapshotScope: snapshot.scope,
        snapshotTakenAt: now,
      },
      details: { offeringId: input.offeringId ?? null, lifeArea: input.lifeArea, urgency: input.urgency ?? Urgency.ROUTINE },
    });
  }

  @Mutation(() => Referral, { description: 'Withdraws a referral (sender), with a reason; closes the loop' })
  cancelReferral(@Arg('input', () => CancelReferralInput) input: CancelReferralInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.CANCELLED, { reasonCode: input.reason, reasonText: input.comment ?? null }, { reason: input.reason });
  }

  @Mutation(() => Referral, { description: 'The partner has opened the referral (RECEIVED)' })
  openReferral(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.RECEIVED);
  }

  @Mutation(() => Referral, { description: 'The partner accepts the referral' })
  acceptReferral(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.ACCEPTED);
  }

  @Mutation(() => Referral, { description: 'The partner declines, with a reason from the list; closes the loop' })
  declineReferral(@Arg('input', () => DeclineReferralInput) input: DeclineReferralInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.DECLINED, { reasonCode: input.reason, reasonText: input.comment ?? null }, { reason: input.reason });
  }

  @Mutation(() => Referral, { description: 'The partner puts the client on its waiting list' })
  waitlistReferral(@Arg('input', () => WaitlistReferralInput) input: WaitlistReferralInput, @Ctx() context: RequestContext) {
    return step(
      context,
      input,
      ReferralStatus.WAITLISTED,
      { waitlistPosition: input.position, expectedStart: input.expectedStart ?? null },
      { position: input.position, expectedStart: input.expectedStart ?? null },
    );
  }

  @Mutation(() => Referral, { description: 'The partner sets the start date' })
  scheduleReferral(@Arg('input', () => ScheduleReferralInput) input: ScheduleReferralInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.SCHEDULED, { scheduledStart: input.start, waitlistPosition: null }, { start: input.start });
  }

  @Mutation(() => Referral, { description: 'The service has started (IN_PROGRESS)' })
  startReferral(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.IN_PROGRESS);
  }

  @Mutation(() => Referral, { description: 'The service is interrupted for now (ON_HOLD)' })
  holdReferral(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.ON_HOLD);
  }

  @Mutation(() => Referral, { description: 'The partner completes the referral with an outcome; closes the loop' })
  completeReferral(@Arg('input', () => CompleteReferralInput) input: CompleteReferralInput, @Ctx() context: RequestContext) {
    const outcome = input.outcome;
    if ([OutcomeCode.LEVEL_REACHED, OutcomeCode.CERTIFICATE].includes(outcome.code) && !outcome.levelReached) {
      throw invalidInput('input.outcome.levelReached', 'requiredForLanguageOutcome', 'give the level reached (A1 to C2)');
    }
    if (outcome.code === OutcomeCode.CERTIFICATE && !outcome.certificate) {
      throw invalidInput('input.outcome.certificate', 'requiredForCertificate', 'name the certificate, e.g. "DTZ B1"');
    }
    if (outcome.code === OutcomeCode.NOT_RECORDED) throw invalidInput('input.outcome.code', 'realOutcome', 'NOT_RECORDED is for old data only');
    const value = { code: outcome.code, levelReached: outcome.levelReached ?? null, certificate: outcome.certificate ?? null, note: outcome.note ?? null };
    return step(context, input, ReferralStatus.COMPLETED, { outcome: value }, { outcome: value });
  }

  @Mutation(() => Referral, { description: 'The service ended without success, with a reason; closes the loop' })
  failReferral(@Arg('input', () => FailReferralInput) input: FailReferralInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.FAILED, { reasonCode: input.reason, reasonText: input.comment ?? null }, { reason: input.reason });
  }

  @Mutation(() => Referral, { description: 'The client did not appear at the scheduled start; closes the loop' })
  markReferralNoShow(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() context: RequestContext) {
    return step(context, input, ReferralStatus.NO_SHOW, { reasonCode: 'no_show' });
  }
}
