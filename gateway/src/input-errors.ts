import type { ApolloServerPlugin } from '@apollo/server';
import { isClientErrorCode } from '@integration-graph/common';
import { GraphQLError, GraphQLFormattedError, Kind, OperationDefinitionNode } from 'graphql';

/**
 * Bad requests that Apollo Server passes on to the gateway's executor, where they would fail as HTTP 500 (found by
 * test/fuzz.test.ts). Apollo Server validates the document against the schema, but @apollo/gateway resolves the
 * operation itself and throws for what graphql-js's validation does not check:
 *
 * - a document with several operations and no `operationName`, or an `operationName` the document does not have;
 * - a subscription (the supergraph has no Subscription type; graphql-js 16 has no rule for an unknown root type).
 *
 * Both are refused here first, before anything is planned, with HTTP 400 and a message saying what to send.
 */
export const operationChecks: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request }) {
        if (!operation) {
          const names = document.definitions
            .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
            .map((definition) => definition.name?.value ?? '(anonymous)');
          const listed = names.length ? `; the document has ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}` : '';
          const message = request.operationName
            ? `Unknown operation named "${request.operationName.slice(0, 100)}"${listed}`
            : `Must provide operationName if the document contains several operations${listed}`;
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        }
        if (operation.operation === 'subscription') {
          throw new GraphQLError('Subscriptions are not supported: send a query or a mutation', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      },
    };
  },
};

interface SubgraphErrorBody {
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/**
 * A subgraph that refuses a request with HTTP 4xx and GraphQL errors of its own (a variable whose value its scalar
 * refuses, e.g. `LocalDate` "2026-02-30": the gateway's supergraph does not know the scalars' rules, so only the
 * subgraph can check them) reaches the caller as what the subgraph said: its message and code. Without this,
 * @apollo/gateway reports "400: Bad Request" with the subgraph's URL and whole answer in `extensions.response`,
 * and with no code, so production masked it as an internal error. Errors whose code is not meant for the caller stay
 * as they are (and are masked); the subgraph's URL never reaches the caller either way in production.
 */
export function subgraphClientError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  const response = (error as { extensions?: { response?: { status?: unknown; body?: unknown } } } | undefined)?.extensions?.response;
  const status = response?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const first = (response?.body as SubgraphErrorBody | undefined)?.errors?.[0];
  const code = first?.extensions?.code;
  if (typeof first?.message !== 'string' || typeof code !== 'string' || !isClientErrorCode(code)) return undefined;
  return { message: first.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
}

/** Wraps a formatError: subgraphs' client errors (above) first, then the given formatting (masking, request id). */
export function withSubgraphClientErrors(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => format(subgraphClientError(formatted, error) ?? formatted, error);
}
