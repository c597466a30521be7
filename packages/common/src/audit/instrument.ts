import { defaultFieldResolver, getNamedType, GraphQLFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, ResponsePath } from 'graphql';
import { RequestContext } from '../context';
import { AuditSubject } from './audit-log';

/** What a subgraph records: its name, and the object types whose reads are reads of personal data. */
export interface AuditConfig {
  service: string;
  /**
   * Types with personal data: every field resolved on one of them (by any path: a root query, a nested field, an
   * `_entities` request) is recorded as a read of that entity. `fields` narrows it to some fields.
   */
  reads: Record<string, { fields?: readonly string[] }>;
}

/**
 * Whose data an object is, read from the columns every personal-data entity of this platform carries: the owning
 * organisation (`ownerOrganizationId`, for referrals the sender), the case (`caseId`, or the id of a Case) and the
 * client (`clientId`, or the id of a Client).
 */
export function subjectOf(typeName: string, value: Record<string, unknown>): AuditSubject {
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : null);
  return {
    ownerOrganizationId: text('ownerOrganizationId') ?? text('senderOrganizationId'),
    caseIds: [typeName === 'Case' ? text('id') : text('caseId')],
    clientIds: [typeName === 'Client' ? text('id') : text('clientId')],
  };
}

/** The root field a resolver runs under (e.g. "caseload", "_entities"), by its schema name, not the caller's alias. */
function rootFieldName(info: GraphQLResolveInfo): string {
  let current: ResponsePath = info.path;
  while (current.prev) current = current.prev;
  const responseKey = String(current.key);
  for (const selection of info.operation.selectionSet.selections) {
    if (selection.kind === 'Field' && (selection.alias?.value ?? selection.name.value) === responseKey) return selection.name.value;
  }
  return responseKey;
}

/**
 * Wraps the schema's resolvers so that the request's AuditLog sees every read of a personal-data entity and every
 * mutation (entity type from the return type, ids and field names from the arguments, subject from the result).
 * Nothing is written here; the subgraph server writes the log at the end of the request.
 */
export function instrumentAudit(schema: GraphQLSchema, config: AuditConfig): GraphQLSchema {
  for (const [typeName, rule] of Object.entries(config.reads)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`audit: ${typeName} is not an object type of the ${config.service} schema`);
    for (const field of Object.values(type.getFields())) {
      if (rule.fields && !rule.fields.includes(field.name)) continue;
      const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const record = source as Record<string, unknown> | null;
        if (record && typeof record.id === 'string' && context?.audit) {
          context.audit.read(typeName, record.id, field.name, rootFieldName(info), subjectOf(typeName, record));
        }
        return resolve(source, args, context, info);
      };
    }
  }
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
    const entityType = getNamedType(field.type).name;
    field.resolve = async (source, args, context, info) => {
      context.audit.beginWrite(info.fieldName, entityType, args as Record<string, unknown>);
      try {
        const result = await resolve(source, args, context, info);
        context.audit.completeWrite(result, (value: Record<string, unknown>) => subjectOf(entityType, value));
        return result;
      } catch (error) {
        context.audit.abandonWrite();
        throw error;
      }
    };
  }
  return schema;
}
