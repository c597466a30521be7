import { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { DocumentNode, FieldNode, Kind, OperationDefinitionNode, parse, SelectionSetNode } from 'graphql';

/** The code of the error for the part of an answer that a subgraph could not give (docs/operations.md, "Failures and shutdown"). */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/**
 * Why a subgraph gave no answer: `unreachable` (connection refused or reset, no such host: it is down or restarting),
 * `timeout` (no answer within SUBGRAPH_TIMEOUT_MS), `failed` (an HTTP 5xx, or an answer that is not GraphQL).
 */
export type SubgraphFailure = 'unreachable' | 'timeout' | 'failed';

/** A request for a client's operation (not a health check or a schema load; the enum is not exported by @apollo/gateway). */
export function isIncomingOperation(options: GraphQLDataSourceProcessOptions): boolean {
  return String(options.kind) === 'incoming operation';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/**
 * Classifies what RemoteGraphQLDataSource threw (node-fetch's FetchError and AbortError, or its error for a non-2xx
 * answer); null for what is not a transport failure (HTTP 4xx such as a 401 keeps its own error).
 */
export function subgraphFailure(error: unknown): SubgraphFailure | null {
  const e = error as { name?: string; type?: string; code?: string; errno?: string; message?: string; extensions?: { response?: { status?: number } } };
  if (!e || typeof e !== 'object') return null;
  if (e.name === 'AbortError' || e.type === 'aborted' || e.type === 'request-timeout') return 'timeout';
  if (e.name === 'FetchError' || e.type === 'system') {
    const code = e.code ?? e.errno;
    return code && UNREACHABLE_CODES.has(code) ? 'unreachable' : 'failed';
  }
  const status = e.extensions?.response?.status;
  if (typeof status === 'number') return status >= 500 ? 'failed' : null;
  if (typeof e.message === 'string' && /^Expected JSON response body/.test(e.message)) return 'failed';
  if (e.type === 'invalid-json' || e.type === 'body-timeout') return 'failed';
  return null;
}

function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/** Response keys of the fields a selection set asks for, looking into inline fragments (with their type). */
function fieldsOf(selectionSet: SelectionSetNode, typeName?: string): { key: string; label: string }[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__typename') return [];
      return [{ key: responseKey(selection), label: typeName ? `${typeName}.${selection.name.value}` : selection.name.value }];
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, selection.typeCondition?.name.value ?? typeName);
    return [];
  });
}

/** The fields the fetch was to provide, and where the first of them goes in the subgraph's answer. */
function missingFields(document: DocumentNode): { operation: string; entities: boolean; fields: { key: string; label: string }[] } {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return { operation: 'query', entities: false, fields: [] };
  const root = fieldsOf(operation.selectionSet, operation.operation === 'mutation' ? 'Mutation' : 'Query');
  const entities = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (entities?.selectionSet) return { operation: operation.operation, entities: true, fields: fieldsOf(entities.selectionSet) };
  return { operation: operation.operation, entities: false, fields: root };
}

const WHY: Record<SubgraphFailure, (name: string, timeoutMs: number) => string> = {
  unreachable: (name) => `The ${name} service is not reachable right now`,
  timeout: (name, timeoutMs) => `The ${name} service did not answer within ${timeoutMs} ms (SUBGRAPH_TIMEOUT_MS)`,
  failed: (name) => `The ${name} service failed to answer`,
};

/**
 * The answer the gateway uses in place of the one a subgraph could not give: no data for that part and one error
 * per field it was to provide (for an entity fetch, one error at the first entity's field: the gateway maps
 * `_entities.0` to its place in the answer). The rest of the answer is complete. The message names the service and
 * the fields, never the subgraph's URL or the underlying error (those go to the gateway's log).
 */
export function unavailableResponse(
  name: string,
  failure: SubgraphFailure,
  options: GraphQLDataSourceProcessOptions,
  timeoutMs: number,
): { errors: { message: string; path?: (string | number)[]; extensions: Record<string, unknown> }[] } {
  let document = 'document' in options ? options.document : undefined;
  try {
    document ??= options.request.query ? parse(options.request.query) : undefined;
  } catch {
    document = undefined;
  }
  const { operation, entities, fields } = document ? missingFields(document) : { operation: 'query', entities: false, fields: [] };
  const mayHaveChanged = operation === 'mutation' && failure !== 'unreachable';
  const after = mayHaveChanged
    ? 'The change may or may not have been made: retry with the same idempotencyKey, or read it back.'
    : operation === 'mutation'
      ? 'Nothing was changed there. Try again shortly.'
      : 'The rest of the answer is complete. Try again shortly.';
  const extensions = { code: SUBGRAPH_UNAVAILABLE, subgraph: name, reason: failure };
  if (fields.length === 0) return { errors: [{ message: `${WHY[failure](name, timeoutMs)}. ${after}`, extensions }] };
  if (entities) {
    const labels = [...new Set(fields.map((f) => f.label))];
    const count = Array.isArray(options.request.variables?.representations) ? options.request.variables.representations.length : undefined;
    return {
      errors: [
        {
          message: `${WHY[failure](name, timeoutMs)}: ${labels.join(', ')} ${labels.length === 1 ? 'is' : 'are'} missing from this answer` +
            `${count && count > 1 ? ` (for all ${count} objects; this error names the first)` : ''}. ${after}`,
          path: ['_entities', 0, fields[0].key],
          extensions: { ...extensions, fields: labels, ...(count ? { objects: count } : {}) },
        },
      ],
    };
  }
  return {
    errors: fields.map((field) => ({
      message: `${WHY[failure](name, timeoutMs)}: ${field.key} is missing from this answer. ${after}`,
      path: [field.key],
      extensions: { ...extensions, fields: [field.label] },
    })),
  };
}
