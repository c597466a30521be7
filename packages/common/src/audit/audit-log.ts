import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { DbScope } from '../db/request-transaction';
import { isUuid } from '../errors';

/** What an entry is: a read of personal data, a change (a mutation), or the work of a job (retention, ...). */
export type AuditAction = 'read' | 'write' | 'system';

/** Whose data an entry concerns: the organisation that owns it and the clients and cases it belongs to. */
export interface AuditSubject {
  ownerOrganizationId?: string | null;
  clientIds?: readonly (string | null | undefined)[];
  caseIds?: readonly (string | null | undefined)[];
}

/** One entry as the application writes it; the database adds seq, time and the hashes. */
export interface AuditEntryInput {
  action: AuditAction;
  /** The GraphQL root field (e.g. "updateIntegrationPlan", "incomingReferrals", "_entities") or the job's name. */
  operation: string;
  entityType: string;
  entityIds: string[];
  /** Fields read, or input fields written (names only, never values). */
  fields: string[];
  dataOwnerOrganizationId: string | null;
  subjectClientIds: string[];
  subjectCaseIds: string[];
}

/** Who acts and through what; the same for every entry of a request or job run. */
export interface AuditActor {
  service: string;
  requestId: string | null;
  operationName: string | null;
  userId: string | null;
  organizationId: string | null;
  roles: readonly string[];
  purpose: string | null;
}

/** The actor of a job's entries (action `system`): the job's own database scope, as the insert policy demands. */
export function jobActor(service: string, scope: DbScope, operation: { purpose: string }): AuditActor {
  return {
    service,
    requestId: null,
    operationName: null,
    userId: scope.userId,
    organizationId: scope.organizationId,
    roles: scope.roles,
    purpose: operation.purpose,
  };
}

/** The purpose a caller states in this header (e.g. "Hilfeplangespräch", "Auskunftsersuchen Art. 15 DSGVO"). */
export const PURPOSE_HEADER = 'x-purpose';
const MAX_PURPOSE_LENGTH = 200;

/** The stated purpose, if it is printable text of reasonable length; anything else is dropped, never trusted. */
export function purposeFrom(header: string | string[] | undefined): string | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value || value.length > MAX_PURPOSE_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) return null;
  return value;
}

interface PendingRead {
  entityType: string;
  entityId: string;
  operations: Set<string>;
  fields: Set<string>;
  subject: AuditSubject;
}

interface PendingWrite {
  operation: string;
  entityType: string;
  entityIds: Set<string>;
  fields: Set<string>;
  owners: Set<string>;
  clientIds: Set<string>;
  caseIds: Set<string>;
}

function addIds(target: Set<string>, ids: readonly (string | null | undefined)[] | undefined): void {
  for (const id of ids ?? []) if (typeof id === 'string' && id) target.add(id);
}

/**
 * The audit entries of one request, collected while it runs and written as its last statement (so that a failed
 * mutation leaves no write entry); chained shortly after by the chainer (packages/common/src/audit/chainer.ts). Reads are merged: one entry
 * per type, owner, fields and operation, naming every entity read that way (a page of cases is one entry).
 */
export class AuditLog {
  private readonly reads = new Map<string, PendingRead>();
  private readonly writes: PendingWrite[] = [];
  private currentWrite: PendingWrite | null = null;
  operationName: string | null = null;

  constructor(
    private readonly service: string,
    private readonly requestId: string,
    private readonly principal: Principal | null,
    private readonly purpose: string | null,
  ) {}

  get isEmpty(): boolean {
    return this.reads.size === 0 && this.writes.length === 0;
  }

  get hasReads(): boolean {
    return this.reads.size > 0;
  }

  /** A field of a personal-data entity was resolved for the caller. */
  read(entityType: string, entityId: string, field: string, operation: string, subject: AuditSubject): void {
    const key = `${entityType}:${entityId}`;
    let pending = this.reads.get(key);
    if (!pending) {
      pending = { entityType, entityId, operations: new Set(), fields: new Set(), subject };
      this.reads.set(key, pending);
    }
    pending.operations.add(operation);
    pending.fields.add(field);
  }

  /** A mutation starts (mutations run one after another, so there is one current write at a time). */
  beginWrite(operation: string, entityType: string, args: Record<string, unknown>): void {
    const write: PendingWrite = {
      operation,
      entityType,
      entityIds: new Set(),
      fields: new Set(),
      owners: new Set(),
      clientIds: new Set(),
      caseIds: new Set(),
    };
    collectArguments(args, write, '', 0);
    this.currentWrite = write;
  }

  /** Whose data the current mutation changes, when the code knows it better than the arguments and the result. */
  subject(subject: AuditSubject & { entityIds?: readonly string[] }): void {
    const write = this.currentWrite;
    if (!write) return;
    if (subject.ownerOrganizationId) write.owners.add(subject.ownerOrganizationId);
    addIds(write.clientIds, subject.clientIds);
    addIds(write.caseIds, subject.caseIds);
    addIds(write.entityIds, subject.entityIds);
  }

  /** The current mutation succeeded with this result. */
  completeWrite(result: unknown, subjectOf: (value: Record<string, unknown>) => AuditSubject): void {
    const write = this.currentWrite;
    this.currentWrite = null;
    if (!write) return;
    for (const value of Array.isArray(result) ? result : [result]) {
      if (typeof value === 'string' && isUuid(value)) write.entityIds.add(value);
      if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (typeof record.id === 'string') write.entityIds.add(record.id);
        const subject = subjectOf(record);
        if (subject.ownerOrganizationId) write.owners.add(subject.ownerOrganizationId);
        addIds(write.clientIds, subject.clientIds);
        addIds(write.caseIds, subject.caseIds);
      }
    }
    this.writes.push(write);
  }

  /** The current mutation failed: nothing was changed (the request rolls back), so nothing is recorded. */
  abandonWrite(): void {
    this.currentWrite = null;
  }

  actor(): AuditActor {
    return {
      service: this.service,
      requestId: this.requestId,
      operationName: this.operationName,
      userId: this.principal?.userId ?? null,
      organizationId: this.principal?.organizationId ?? null,
      roles: this.principal?.roles ?? [],
      purpose: this.purpose,
    };
  }

  entries(options: { writes: boolean }): AuditEntryInput[] {
    // One entry per kind of read: the entities of one type, of one owner, read with the same fields through the same
    // operations (a page of 500 cases is one entry naming 500 ids, not 500 entries).
    const groups = new Map<string, { read: PendingRead; entityIds: string[]; clientIds: Set<string>; caseIds: Set<string> }>();
    for (const read of this.reads.values()) {
      const operations = [...read.operations].sort().join(',');
      const fields = [...read.fields].sort();
      const key = JSON.stringify([read.entityType, read.subject.ownerOrganizationId ?? null, operations, fields]);
      let group = groups.get(key);
      if (!group) {
        group = { read, entityIds: [], clientIds: new Set(), caseIds: new Set() };
        groups.set(key, group);
      }
      group.entityIds.push(read.entityId);
      addIds(group.clientIds, read.subject.clientIds);
      addIds(group.caseIds, read.subject.caseIds);
    }
    const entries: AuditEntryInput[] = [];
    for (const { read, entityIds, clientIds, caseIds } of groups.values()) {
      entries.push({
        action: 'read',
        operation: [...read.operations].sort().join(','),
        entityType: read.entityType,
        entityIds,
        fields: [...read.fields].sort(),
        dataOwnerOrganizationId: read.subject.ownerOrganizationId ?? null,
        subjectClientIds: [...clientIds],
        subjectCaseIds: [...caseIds],
      });
    }
    if (options.writes) {
      for (const write of this.writes) {
        const owners = [...write.owners];
        entries.push({
          action: 'write',
          operation: write.operation,
          entityType: write.entityType,
          entityIds: [...write.entityIds],
          fields: [...write.fields].sort(),
          // A change of one's own records, or of a record another organisation owns (a partner answering a referral).
          dataOwnerOrganizationId: owners.length === 1 ? owners[0] : (this.principal?.organizationId ?? null),
          subjectClientIds: [...write.clientIds],
          subjectCaseIds: [...write.caseIds],
        });
      }
    }
    return entries;
  }

  /** Writes the entries (reads always; writes only when the request's changes are committed with them). */
  async flush(manager: EntityManager, options: { writes: boolean }): Promise<number> {
    const entries = this.entries(options);
    await insertAuditEntries(manager, this.actor(), entries);
    return entries.length;
  }
}

const ID_ARGUMENT = /(^id$|Id$)/;
const IGNORED_FIELDS = new Set(['expectedVersion', 'idempotencyKey', 'clientMutationId']);

/** Ids and field names from a mutation's arguments (input objects one level deep), never values. */
function collectArguments(value: unknown, write: PendingWrite, path: string, depth: number): void {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return;
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (field === undefined || IGNORED_FIELDS.has(key)) continue;
    const name = path ? `${path}.${key}` : key;
    if (ID_ARGUMENT.test(key) && typeof field === 'string') {
      if (key === 'caseId' && isUuid(field)) write.caseIds.add(field);
      else if (key === 'clientId' && isUuid(field)) write.clientIds.add(field);
      write.entityIds.add(field);
      continue;
    }
    const isInputObject = field && typeof field === 'object' && !Array.isArray(field) && !(field instanceof Date);
    if (isInputObject && depth < 2 && (key === 'input' || depth === 0)) {
      collectArguments(field, write, key === 'input' ? path : name, depth + 1);
    } else {
      write.fields.add(name);
    }
  }
}

/** Appends entries in one statement, unchained: the chainer (audit_chain_pending) numbers and chains them soon after. */
export async function insertAuditEntries(manager: EntityManager, actor: AuditActor, entries: readonly AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  await manager.query(
    `INSERT INTO audit_entries (service, action, request_id, operation_name, operation, actor_user_id, actor_organization_id,
                                actor_roles, purpose, entity_type, entity_ids, fields, data_owner_organization_id,
                                subject_client_ids, subject_case_ids)
     SELECT $1, e.action, $2, $3, e.operation, $4, $5::uuid, $6::text[], $7, e.entity_type,
            ARRAY(SELECT jsonb_array_elements_text(e.entity_ids)), ARRAY(SELECT jsonb_array_elements_text(e.fields)),
            e.owner, ARRAY(SELECT jsonb_array_elements_text(e.clients))::uuid[], ARRAY(SELECT jsonb_array_elements_text(e.cases))::uuid[]
       FROM jsonb_to_recordset($8::jsonb) AS e(action text, operation text, entity_type text, entity_ids jsonb, fields jsonb,
                                                owner uuid, clients jsonb, cases jsonb)`,
    [
      actor.service,
      actor.requestId,
      actor.operationName,
      actor.userId,
      actor.organizationId,
      actor.roles,
      actor.purpose,
      JSON.stringify(
        entries.map((entry) => ({
          action: entry.action,
          operation: entry.operation,
          entity_type: entry.entityType,
          entity_ids: entry.entityIds,
          fields: entry.fields,
          owner: entry.dataOwnerOrganizationId,
          clients: entry.subjectClientIds.filter(isUuid),
          cases: entry.subjectCaseIds.filter(isUuid),
        })),
      ),
    ],
  );
}
