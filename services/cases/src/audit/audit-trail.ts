import {
  AUDIT_TRAIL_DESCRIPTION,
  AUDIT_TRAIL_ID_DESCRIPTION,
  AuditEntry,
  AuditEntryConnection,
  auditEntryPage,
  auditTrailId,
  auditTrailSubject,
  ConnectionArgs,
  ConnectionResult,
  parseAuditTrailId,
  RequestContext,
} from '@integration-graph/common';
import { Args, Ctx, Directive, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root, Arg } from 'type-graphql';

/**
 * The audit trail of a client or a user (issue 7), one entity across the subgraphs: each adds the entries of its own
 * database (cases here; referrals and partners add theirs, keyed by id and, for a client, by the client's cases).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: AUDIT_TRAIL_DESCRIPTION })
export class AuditTrail {
  @Field(() => ID, { description: AUDIT_TRAIL_ID_DESCRIPTION })
  id: string;
}

/** Which of the trail's entries concern a client: the client itself and the client's cases. */
async function caseIdsOf(context: RequestContext, trail: AuditTrail): Promise<string[]> {
  const subject = parseAuditTrailId(trail.id);
  if (subject.kind !== 'client') return [];
  const manager = await context.tx.manager();
  const rows: { id: string }[] = await manager.query(`SELECT audit_case_ids_of_client($1) AS id`, [subject.clientId]);
  return rows.map((row) => row.id);
}

@Resolver(() => AuditTrail)
export class AuditTrailResolver {
  @Query(() => AuditTrail, {
    description:
      'The audit trail of one client (auditors and leads of the organisation that owns the client’s data) or of one user ' +
      '(auditors: what the users of their organisation did, and what was done with their organisation’s data). Give exactly one.',
  })
  auditTrail(
    @Ctx() context: RequestContext,
    @Arg('clientId', () => ID, { nullable: true }) clientId?: string | null,
    @Arg('userId', () => String, { nullable: true }) userId?: string | null,
  ): AuditTrail {
    return { id: auditTrailId(auditTrailSubject(context, clientId, userId)) };
  }

  @FieldResolver(() => [ID], { description: 'The client’s cases (empty for a user, or a client of another organisation)' })
  async caseIds(@Root() trail: AuditTrail, @Ctx() context: RequestContext): Promise<string[]> {
    auditTrailSubject(context, ...subjectArgs(trail));
    return caseIdsOf(context, trail);
  }

  @FieldResolver(() => AuditEntryConnection, { description: 'Entries of the cases subgraph (clients, cases, plans, consultations, consents), oldest first' })
  async cases(@Root() trail: AuditTrail, @Ctx() context: RequestContext, @Args() args: ConnectionArgs): Promise<ConnectionResult<AuditEntry>> {
    const subject = auditTrailSubject(context, ...subjectArgs(trail));
    return auditEntryPage(context, subject, await caseIdsOf(context, trail), args);
  }
}

/** The trail's subject as the arguments of auditTrail, so that the same checks apply to an _entities request. */
function subjectArgs(trail: AuditTrail): [string | null, string | null] {
  const subject = parseAuditTrailId(trail.id);
  return subject.kind === 'client' ? [subject.clientId, null] : [null, subject.userId];
}
