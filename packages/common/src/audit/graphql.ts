import { Args, Ctx, Directive, Field, FieldResolver, ID, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { Column, Entity, EntityManager, PrimaryColumn } from 'typeorm';
import { Role } from '../auth/principal';
import { requireRole } from '../auth/guards';
import { RequestContext } from '../context';
import { invalidInput, isUuid } from '../errors';
import { ConnectionArgs, ConnectionResult, connectionType, paginate } from '../graphql/connection';

export enum AuditEntryAction {
  READ = 'read',
  WRITE = 'write',
  SYSTEM = 'system',
}

registerEnumType(AuditEntryAction, {
  name: 'AuditEntryAction',
  description: 'What an audit entry records',
  valuesConfig: {
    READ: { description: 'Personal data was read (the fields named)' },
    WRITE: { description: 'Data was changed by a mutation (the input fields named, never their values)' },
    SYSTEM: { description: 'A job acted on the data, e.g. anonymisation after the retention period' },
  },
});

/**
 * One entry of the audit trail (Protokollierung): who did what to whose data, when, through which operation and
 * for which stated purpose. Append-only and hash-chained in each subgraph's database (packages/common/src/audit).
 * Every subgraph returns entries of its own database, so the type is shareable and defined here once.
 */
@Directive('@shareable')
@ObjectType({ description: 'One entry of the audit trail: who read or changed whose data, when, how and why' })
@Entity({ name: 'audit_entries' })
export class AuditEntry {
  @PrimaryColumn('bigint', { name: 'entry_id' })
  entryId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Position in the subgraph’s hash chain (1, 2, 3, ... without gaps), as a decimal string; null for about a second after the entry was written, until it is chained',
  })
  @Column('bigint', { name: 'seq', nullable: true })
  sequence: string | null;

  @Field({ description: 'The subgraph that recorded it: partners, cases or referrals' })
  @Column('text')
  service: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;

  @Field(() => AuditEntryAction)
  @Column('text')
  action: AuditEntryAction;

  @Field(() => String, { nullable: true, description: 'The request id (X-Request-Id), to find the request in the logs' })
  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation name the caller sent' })
  @Column('text', { name: 'operation_name', nullable: true })
  operationName: string | null;

  @Field({ description: 'The root field (query, mutation, "_entities") or the job that acted' })
  @Column('text')
  operation: string;

  @Field(() => String, { nullable: true, description: 'The user (token subject); null for a job' })
  @Column('text', { name: 'actor_user_id', nullable: true })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true, description: 'The user’s organisation' })
  @Column('uuid', { name: 'actor_organization_id', nullable: true })
  actorOrganizationId: string | null;

  @Field(() => [String], { description: 'The user’s roles at the time' })
  @Column('text', { name: 'actor_roles', array: true })
  actorRoles: string[];

  @Field(() => String, { nullable: true, description: 'The purpose the caller stated (X-Purpose header)' })
  @Column('text', { nullable: true })
  purpose: string | null;

  @Field({ description: 'Type of the entity read or changed, e.g. Client, Case, Referral' })
  @Column('text', { name: 'entity_type' })
  entityType: string;

  @Field(() => [String], { description: 'Ids of the entities (and of the records the change named)' })
  @Column('text', { name: 'entity_ids', array: true })
  entityIds: string[];

  @Field(() => [String], { description: 'Fields read, or input fields written (names only)' })
  @Column('text', { array: true })
  fields: string[];

  @Field(() => ID, { nullable: true, description: 'The organisation that owns the data' })
  @Column('uuid', { name: 'data_owner_organization_id', nullable: true })
  dataOwnerOrganizationId: string | null;

  @Field(() => [ID], { description: 'The clients the entry concerns, where known' })
  @Column('uuid', { name: 'subject_client_ids', array: true })
  subjectClientIds: string[];

  @Field(() => [ID], { description: 'The cases the entry concerns, where known' })
  @Column('uuid', { name: 'subject_case_ids', array: true })
  subjectCaseIds: string[];

  @Field(() => String, { nullable: true, description: 'SHA-256 of the entry and the previous hash (hex); null until chained' })
  @Column('text', { nullable: true })
  hash: string | null;

  @Field(() => String, { nullable: true, description: 'Hash of the previous entry in the chain; null until chained' })
  @Column('text', { name: 'prev_hash', nullable: true })
  previousHash: string | null;
}

export const AuditEntryConnection = connectionType('AuditEntry', AuditEntry, { shareable: true });

/** Who may read the audit trail: auditors (their organisation's staff and data) and leads (their data, for a data subject's access request). */
export const AUDIT_READERS: readonly Role[] = [Role.Auditor, Role.Lead];

/** The subject of an audit trail, encoded in the AuditTrail entity's id: "client:<uuid>" or "user:<user id>". */
export type AuditTrailSubject = { kind: 'client'; clientId: string } | { kind: 'user'; userId: string };

export function auditTrailId(subject: AuditTrailSubject): string {
  return subject.kind === 'client' ? `client:${subject.clientId}` : `user:${subject.userId}`;
}

export function parseAuditTrailId(id: string): AuditTrailSubject {
  const separator = id.indexOf(':');
  const kind = id.slice(0, separator);
  const value = id.slice(separator + 1);
  if (kind === 'client' && isUuid(value)) return { kind, clientId: value };
  if (kind === 'user' && value.length > 0 && value.length <= 200) return { kind, userId: value };
  throw invalidInput('id', 'auditTrailId', 'an audit trail id is "client:<client id>" or "user:<user id>"');
}

/**
 * The choice between the two subjects of auditTrail(clientId, userId): exactly one. Leads may ask for clients
 * only (their organisation's data subjects), auditors for both.
 */
export function auditTrailSubject(context: RequestContext, clientId?: string | null, userId?: string | null): AuditTrailSubject {
  const caller = requireRole(context.principal, AUDIT_READERS, 'read the audit trail');
  if ((clientId ? 1 : 0) + (userId ? 1 : 0) !== 1) {
    throw invalidInput(clientId ? 'userId' : 'clientId', 'exactlyOne', 'give exactly one of clientId and userId');
  }
  if (clientId) {
    if (!isUuid(clientId)) throw invalidInput('clientId', 'uuid', 'clientId must be a UUID');
    return { kind: 'client', clientId };
  }
  if (!caller.roles.includes(Role.Auditor)) {
    throw invalidInput('userId', 'auditorOnly', 'only auditors may read the audit trail of a user; leads read that of a client');
  }
  return { kind: 'user', userId: userId! };
}

/**
 * One page of this subgraph's entries about a subject, oldest first. Row-level security narrows it to what the
 * caller may see (auditors: their organisation's staff and data; leads: their organisation's data). For a client,
 * `caseIds` are the client's cases (entries of case records name the case, not always the client).
 */
export async function auditEntryPage(
  context: RequestContext,
  subject: AuditTrailSubject,
  caseIds: readonly string[],
  args: ConnectionArgs,
): Promise<ConnectionResult<AuditEntry>> {
  requireRole(context.principal, AUDIT_READERS, 'read the audit trail');
  const manager: EntityManager = await context.tx.manager();
  const query = manager.getRepository(AuditEntry).createQueryBuilder('e');
  if (subject.kind === 'user') {
    query.where('e.actor_user_id = :userId', { userId: subject.userId });
  } else {
    query.where('(e.subject_client_ids @> ARRAY[:clientId]::uuid[] OR e.subject_case_ids && :caseIds::uuid[])', {
      clientId: subject.clientId,
      caseIds: caseIds.filter(isUuid),
    });
  }
  return paginate(query, args, { sortExpression: 'e.entry_id', direction: 'ASC', sortValue: (e) => Number(e.entryId), idColumn: 'e.entry_id', idOf: (e) => e.entryId });
}

/** Shared by every subgraph's AuditTrail entity: composition wants the same descriptions everywhere. */
export const AUDIT_TRAIL_DESCRIPTION = 'The audit trail (Protokoll) of a client or a user: who read or changed what, across all subgraphs';
export const AUDIT_TRAIL_ID_DESCRIPTION = '"client:<client id>" or "user:<user id>"';

/**
 * A subgraph's part of the AuditTrail entity (owned by the cases subgraph, which answers Query.auditTrail): one
 * field with this subgraph's entries. With `requiresCaseIds`, the entries about a client are found by the client's
 * cases too (the cases subgraph resolves `caseIds`; @requires brings them along).
 */
export function auditTrailContribution(options: { field: string; description: string; requiresCaseIds: boolean }) {
  @Directive('@key(fields: "id")')
  @ObjectType('AuditTrail', { description: AUDIT_TRAIL_DESCRIPTION })
  class AuditTrailPart {
    @Field(() => ID, { description: AUDIT_TRAIL_ID_DESCRIPTION })
    id: string;

    caseIds?: string[];
  }
  if (options.requiresCaseIds) {
    Directive('@external')(AuditTrailPart.prototype, 'caseIds');
    Field(() => [ID])(AuditTrailPart.prototype, 'caseIds');
  }

  @Resolver(() => AuditTrailPart)
  class AuditTrailPartResolver {
    @FieldResolver(() => AuditEntryConnection, { name: options.field, description: options.description })
    async entries(@Root() trail: AuditTrailPart, @Ctx() context: RequestContext, @Args() args: ConnectionArgs): Promise<ConnectionResult<AuditEntry>> {
      const subject = parseAuditTrailId(trail.id);
      // The same rule as Query.auditTrail, checked here again: _entities can be sent without it.
      auditTrailSubject(context, subject.kind === 'client' ? subject.clientId : null, subject.kind === 'user' ? subject.userId : null);
      return auditEntryPage(context, subject, trail.caseIds ?? [], args);
    }
  }
  if (options.requiresCaseIds) {
    const descriptor = Object.getOwnPropertyDescriptor(AuditTrailPartResolver.prototype, 'entries')!;
    Directive('@requires(fields: "caseIds")')(AuditTrailPartResolver.prototype, 'entries', descriptor);
  }
  return { AuditTrailPart, AuditTrailPartResolver };
}
