import { conflict, invalidInput, notFound, RequestContext, requireRole, requireUuid, Role, updateWithVersion } from '@integration-graph/common';
import { IsOptional, Length, Min } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Not, IsNull } from 'typeorm';
import { Client } from '../entities/client';
import { clientById } from '../loaders/case-loaders';
import { anonymiseClient, AnonymisationReport, asRetentionWorker } from '../rights/anonymise';
import { processingRestrictedError, refuseIfAnonymised } from '../rights/restriction';
import { AnonymisationReason, ErasureGround, ProcessingRestrictionReason } from '../rights/vocabulary';

@InputType({ description: 'Restricts the processing of a client’s data while a dispute is open (Art. 18 GDPR)' })
export class RestrictClientProcessingInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => Int, { description: 'The client’s version you last read; refused with CONFLICT if the client changed since' })
  @Min(1)
  expectedVersion: number;

  @Field(() => ProcessingRestrictionReason)
  reason: ProcessingRestrictionReason;

  @Field(() => String, { nullable: true, description: 'What the restriction is about, e.g. the date of the client’s request (at most 1000 characters)' })
  @IsOptional()
  @Length(1, 1000)
  note?: string | null;
}

@InputType({ description: 'Lifts the restriction of processing: the client’s data can be read and changed as before' })
export class LiftClientProcessingRestrictionInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => Int, { description: 'The client’s version you last read' })
  @Min(1)
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: 'E.g. when and how the client was told before the restriction was lifted (Art. 18 (3) GDPR)' })
  @IsOptional()
  @Length(1, 1000)
  note?: string | null;
}

@InputType({ description: 'Erases a client on their request (Art. 17 GDPR) by anonymising them and everything of their cases' })
export class EraseClientInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => Int, { description: 'The client’s version you last read; refused with CONFLICT if the client changed since (not checked once anonymised: a retry succeeds)' })
  @Min(1)
  expectedVersion: number;

  @Field(() => ErasureGround, { description: 'The ground of the request' })
  reason: ErasureGround;
}

@ObjectType({ description: 'What an anonymisation cleared in one kind of record' })
export class ClearedData {
  @Field({ description: 'The type, e.g. "Goal"' })
  entityType: string;

  @Field(() => Int, { description: 'How many records of the type were anonymised' })
  count: number;

  @Field(() => [String], { description: 'The fields cleared or coarsened (names only)' })
  fields: string[];
}

@ObjectType({ description: 'What the erasure of a client did: ids, fields and counts, never a value of the person' })
export class ClientErasure {
  @Field(() => ID)
  clientId: string;

  @Field(() => AnonymisationReason)
  reason: AnonymisationReason;

  @Field(() => ErasureGround, { nullable: true, description: 'The ground of this request' })
  ground: ErasureGround | null;

  @Field(() => Date)
  anonymisedAt: Date;

  @Field({ description: 'The client had been anonymised before (a retried request, or the retention job came first): nothing changed now' })
  alreadyAnonymised: boolean;

  @Field(() => [ID], { description: 'The client’s cases, anonymised with them' })
  caseIds: string[];

  @Field(() => Int, { description: 'Consents that were still in force and are revoked now; partners lose the referral snapshots that rest on them' })
  consentsRevoked: number;

  @Field({ description: 'The household was anonymised too (no other client belonged to it)' })
  householdAnonymised: boolean;

  @Field(() => [ClearedData])
  cleared: ClearedData[];
}

function erasureOf(report: AnonymisationReport): ClientErasure {
  return {
    clientId: report.clientId,
    reason: report.reason,
    ground: report.ground,
    anonymisedAt: report.anonymisedAt,
    alreadyAnonymised: report.alreadyAnonymised,
    caseIds: report.caseIds,
    consentsRevoked: report.consentsRevoked,
    householdAnonymised: report.householdAnonymised,
    cleared: report.cleared,
  };
}

/** The client a lead acts on, locked (FOR UPDATE) for the rest of the request; NOT_FOUND when not visible. */
async function lockClient(context: RequestContext, clientId: string): Promise<Client> {
  const manager = await context.tx.manager();
  const client = await manager.findOne(Client, { where: { id: requireUuid('input.clientId', clientId) }, lock: { mode: 'pessimistic_write' } });
  if (!client) throw notFound('Client', clientId);
  return client;
}

/** The data subjects' rights of restriction (Art. 18) and erasure (Art. 17); docs/cases.md, docs/security.md. */
@Resolver()
export class DataSubjectRightsResolver {
  @Query(() => [Client], {
    description:
      'Clients of your organisation whose processing is restricted, longest restricted first (leads and auditors: the only ones who may read their data while it is)',
  })
  async restrictedClients(@Ctx() context: RequestContext): Promise<Client[]> {
    requireRole(context.principal, [Role.Lead, Role.Auditor], 'read restricted clients');
    const manager = await context.tx.manager();
    return manager.find(Client, { where: { processingRestrictedSince: Not(IsNull()) }, order: { processingRestrictedSince: 'ASC', id: 'ASC' } });
  }

  @Mutation(() => Client, {
    description:
      'Restricts the processing of a client’s data (Art. 18 GDPR; leads only): until a lead lifts it, the client, the households they belong to, their cases, consents, plans and consultations are readable only by your organisation’s leads and auditors, nobody changes them, nothing is shared (referral snapshots, consent checks). Guarded by the client’s expectedVersion.',
  })
  async restrictClientProcessing(@Arg('input', () => RestrictClientProcessingInput) input: RestrictClientProcessingInput, @Ctx() context: RequestContext): Promise<Client> {
    const caller = requireRole(context.principal, [Role.Lead], 'restrict the processing of client data');
    const client = await lockClient(context, input.clientId);
    refuseIfAnonymised('input.clientId', client);
    if (client.processingRestrictedSince) {
      throw invalidInput('input.clientId', 'notRestricted', `the processing is already restricted since ${client.processingRestrictedSince.toISOString()}`);
    }
    const restricted = await updateWithVersion(await context.tx.manager(), Client, 'Client', client.id, input.expectedVersion, {
      processingRestrictedSince: () => 'now()',
      processingRestrictionReason: input.reason,
      processingRestrictionNote: input.note?.trim() || null,
      processingRestrictedBy: caller.userId,
    });
    context.loaders.get(clientById).clear(client.id);
    return restricted;
  }

  @Mutation(() => Client, {
    description:
      'Lifts the restriction of processing (leads only): the one change a restricted client allows. Snapshots that partners lost in the meantime do not come back. Guarded by the client’s expectedVersion.',
  })
  async liftClientProcessingRestriction(
    @Arg('input', () => LiftClientProcessingRestrictionInput) input: LiftClientProcessingRestrictionInput,
    @Ctx() context: RequestContext,
  ): Promise<Client> {
    const caller = requireRole(context.principal, [Role.Lead], 'lift restrictions of processing');
    const client = await lockClient(context, input.clientId);
    if (!client.processingRestrictedSince) throw invalidInput('input.clientId', 'isRestricted', 'the processing of this client is not restricted');
    const lifted = await updateWithVersion(await context.tx.manager(), Client, 'Client', client.id, input.expectedVersion, {
      processingRestrictedSince: null,
      processingRestrictionReason: null,
      processingRestrictionNote: null,
      processingRestrictedBy: null,
      processingRestrictionLiftedAt: () => 'now()',
      processingRestrictionLiftedBy: caller.userId,
      processingRestrictionLiftNote: input.note?.trim() || null,
    });
    context.loaders.get(clientById).clear(client.id);
    return lifted;
  }

  @Mutation(() => ClientErasure, {
    description:
      'Erases a client on their request (Art. 17 GDPR; leads only) the way the retention job does: names, contact data, exact dates, the place of living and every free text of the client and their cases, consents, plans, revisions, consultations and household are anonymised, consents still in force are revoked, and the figures of past periods stay exactly the same. Refused while a case of the client is open (noOpenCase: close it first) or the processing is restricted. Safe to retry: an anonymised client is reported, not changed.',
  })
  async eraseClient(@Arg('input', () => EraseClientInput) input: EraseClientInput, @Ctx() context: RequestContext): Promise<ClientErasure> {
    const caller = requireRole(context.principal, [Role.Lead], 'erase clients');
    const client = await lockClient(context, input.clientId);
    const manager = await context.tx.manager();
    if (!client.anonymisedAt) {
      if (client.processingRestrictedSince) {
        throw processingRestrictedError({ clientId: client.id, since: client.processingRestrictedSince }, 'change', 'input.clientId');
      }
      if (client.version !== input.expectedVersion) throw conflict('Client', client.id, input.expectedVersion, client.version);
    }
    // The job's code path, as the retention worker of the lead's organisation, in this request's transaction.
    const report = await asRetentionWorker(manager, caller, () =>
      anonymiseClient(manager, client.id, AnonymisationReason.ERASURE_REQUEST, { userId: caller.userId, organizationId: caller.organizationId }, {
        ground: input.reason,
        field: 'input.clientId',
      }),
    );
    context.loaders.get(clientById).clear(client.id);
    return erasureOf(report);
  }
}
