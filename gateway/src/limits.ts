import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { Logger } from '@integration-graph/common';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  DocumentNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLSchema,
  isCompositeType,
  isListType,
  Kind,
  OperationDefinitionNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  validate,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import type { RequestLimits } from './config';
import { sendGraphQLError } from './request-scope';

/**
 * Limits on what one request may ask for (docs/operations.md, "Request limits and rate limits"): depth, cost,
 * aliases and directives of the operation, tokens of the document, bytes of the body. A breach is refused before
 * anything runs (no subgraph is called) with an error naming the limit, its setting and the value found.
 *
 * Depth, aliases and directives are measured by graphql-armor's rules; the cost by graphql-query-complexity with
 * an estimator that counts list sizes (graphql-armor's cost limit reads only literal first/last, not variables,
 * `limit` or the size of lists without an argument). Tokens are counted by graphql-js's parser (`maxTokens`).
 *
 * The limits apply to documents that come over HTTP. Operations the gateway builds and runs itself
 * (apollo.executeOperation: the exports in exports.ts and data-subject-export.ts) are not limited: the caller
 * chooses only their variables (a client id, a district and period), not their shape; and the data-subject export
 * is derived from the whole supergraph (every field of a client and everything below it) and grows with the schema.
 * It is within today's defaults (depth 7, cost about 31000), but tightening a limit for ad-hoc queries must not break
 * the GDPR export. The token limit does apply to them (parsing is shared; gateway/test/limits.test.ts checks them).
 */

/** Arguments that say how many items a field returns: its subtree costs that many times. */
const PAGING_ARGUMENTS = ['first', 'last', 'limit'];

export interface OperationMeasures {
  depth: number;
  aliases: number;
  directives: number;
  /** Estimated cost; null when the variables do not fit the operation (execution refuses them without calling anyone). */
  cost: number | null;
}

/**
 * The cost estimate: every field costs 1 plus its selections; a field with a first/last/limit argument (given or
 * the schema's default) costs that many times; a list of objects without such an argument counts `defaultListSize`
 * items, except the edges of a connection (the connection's `first` already counted them). Introspection is free.
 */
export function costEstimator(defaultListSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field === SchemaMetaFieldDef || field === TypeMetaFieldDef) return 0;
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return 1;
    const own = 1 + childComplexity;
    const sizes = PAGING_ARGUMENTS.map((name) => args[name]).filter((value): value is number => typeof value === 'number');
    if (sizes.length) return own * Math.max(1, ...sizes);
    if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) return own * defaultListSize;
    if (named.name.endsWith('Connection')) return own * defaultListSize;
    return own;
  };
}

const MAX_QUERY_NODES = 10_000;

/**
 * Depth, aliases and directives depend on the document alone: kept per operation node (Apollo Server keeps parsed
 * documents in its document store, so a repeated query arrives as the same nodes). The cost depends on the variables.
 */
const shapes = new WeakMap<OperationDefinitionNode, Omit<OperationMeasures, 'cost'>>();

function shapeOf(schema: GraphQLSchema, single: DocumentNode, operation: OperationDefinitionNode): Omit<OperationMeasures, 'cost'> {
  const known = shapes.get(operation);
  if (known) return known;
  const found = { depth: 0, aliases: 0, directives: 0 };
  // The rules measure and report through onAccept; with n = Infinity they never reject (the gateway decides).
  const measure = (key: keyof typeof found) => ({
    n: Infinity,
    propagateOnRejection: false,
    onAccept: [(_context: unknown, details: { n: number }) => void (found[key] = Math.max(found[key], details.n))],
  });
  validate(schema, single, [
    maxDepthRule({ ...measure('depth'), flattenFragments: true, ignoreIntrospection: true }),
    maxAliasesRule(measure('aliases')),
    maxDirectivesRule(measure('directives')),
  ]);
  shapes.set(operation, found);
  return found;
}

/** Measures one operation of a document (with the document's fragments). */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  defaultListSize: number,
): OperationMeasures {
  const single: DocumentNode = {
    ...document,
    definitions: document.definitions.filter((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition === operation),
  };
  let cost: number | null;
  try {
    cost = getComplexity({ schema, query: single, variables: variables ?? {}, estimators: [costEstimator(defaultListSize)], maxQueryNodes: MAX_QUERY_NODES });
  } catch (error) {
    // More selections than MAX_QUERY_NODES once fragments are expanded: too costly by any measure.
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) cost = Infinity;
    else cost = null; // variables that do not fit: the gateway refuses them before planning
  }
  return { ...shapeOf(schema, single, operation), cost };
}

function limitExceeded(message: string, variable: string, maximum: number, actual: number | null): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: variable,
      maximum,
      ...(actual !== null && Number.isFinite(actual) ? { actual } : {}),
      http: { status: 400 },
    },
  });
}

/** The first limit an operation breaks, as the error to send; none when it keeps to all of them. */
export function checkLimits(measures: OperationMeasures, limits: RequestLimits): GraphQLError | undefined {
  const { depth, aliases, directives, cost } = measures;
  if (limits.maxDepth && depth > limits.maxDepth) {
    return limitExceeded(`Query depth ${depth} exceeds the limit of ${limits.maxDepth} (GRAPHQL_MAX_DEPTH)`, 'GRAPHQL_MAX_DEPTH', limits.maxDepth, depth);
  }
  if (limits.maxAliases && aliases > limits.maxAliases) {
    return limitExceeded(`Query uses ${aliases} aliases, more than the limit of ${limits.maxAliases} (GRAPHQL_MAX_ALIASES)`, 'GRAPHQL_MAX_ALIASES', limits.maxAliases, aliases);
  }
  if (limits.maxDirectives && directives > limits.maxDirectives) {
    return limitExceeded(
      `Query uses ${directives} directives, more than the limit of ${limits.maxDirectives} (GRAPHQL_MAX_DIRECTIVES)`,
      'GRAPHQL_MAX_DIRECTIVES',
      limits.maxDirectives,
      directives,
    );
  }
  if (limits.maxCost && cost !== null && cost > limits.maxCost) {
    const found = Number.isFinite(cost) ? `Query cost ${cost}` : `Query cost (more than ${MAX_QUERY_NODES} selections once fragments are expanded)`;
    return limitExceeded(
      `${found} exceeds the limit of ${limits.maxCost} (GRAPHQL_MAX_COST); every field costs 1, a list as many times as its first/last/limit argument or ${limits.defaultListSize} items: ask for smaller pages`,
      'GRAPHQL_MAX_COST',
      limits.maxCost,
      cost,
    );
  }
  return undefined;
}

/** graphql-js's own message when parsing stops at `maxTokens` ("Document contains more that N tokens", sic). */
const TOKEN_LIMIT_MESSAGE = /Document contains more th(?:at|an) \d+ tokens/;

/** Apollo Server options and the plugin that enforce the limits on operations. */
export function requestLimits(limits: RequestLimits, logger: Logger) {
  const enforced = Boolean(limits.maxDepth || limits.maxAliases || limits.maxDirectives || limits.maxCost);
  const plugin: ApolloServerPlugin = {
    async requestDidStart({ request }) {
      // Operations the gateway runs itself (executeOperation, no HTTP request) are not limited: see above.
      const external = request.http !== undefined;
      return {
        async didResolveOperation({ schema, document, operation, request: { variables }, contextValue }) {
          if (!external || !operation || !enforced) return;
          const measures = measureOperation(schema, document, operation, variables, limits.defaultListSize);
          const breach = checkLimits(measures, limits);
          const { requestId } = contextValue as { requestId?: string };
          if (breach) {
            logger.info({ requestId, ...measures, limit: breach.extensions.limit }, 'operation refused: request limit');
            throw breach;
          }
          logger.debug({ requestId, ...measures }, 'operation measured');
        },
        async didEncounterErrors({ errors }) {
          // Not every error here is a GraphQLError: @apollo/gateway passes on a failed subgraph fetch as it is.
          for (const error of errors) {
            if (limits.maxTokens && error.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT_MESSAGE.test(error.message)) {
              error.message = `Query document has more than ${limits.maxTokens} tokens, the limit (GRAPHQL_MAX_TOKENS); parsing stopped there`;
              Object.assign(error.extensions, { limit: 'GRAPHQL_MAX_TOKENS', maximum: limits.maxTokens });
            }
          }
        },
      };
    },
  };
  return {
    plugin,
    /** For ApolloServer's parseOptions: graphql-js stops parsing after this many tokens. */
    parseOptions: limits.maxTokens ? { maxTokens: limits.maxTokens } : {},
  };
}

/**
 * Errors on the way to Apollo Server as GraphQL-style JSON, never Express's HTML page: a body above
 * GRAPHQL_MAX_BODY_BYTES is refused with HTTP 413 (before it is read when Content-Length announces it), a body that is
 * not JSON with 400, and anything unexpected with a 500 that names nothing internal (the error is logged).
 */
export function httpErrors(limits: RequestLimits, logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const failure = error as { type?: string; status?: number; length?: number; limit?: number };
    if (failure?.type === 'entity.too.large') {
      const size = typeof failure.length === 'number' && Number.isFinite(failure.length) ? `Request body of ${failure.length} bytes` : 'Request body';
      logger.info({ requestId: res.locals.requestId, bytes: failure.length }, 'request refused: body too large');
      sendGraphQLError(res, 413, `${size} exceeds the limit of ${limits.maxBodyBytes} bytes (GRAPHQL_MAX_BODY_BYTES)`, {
        code: 'PAYLOAD_TOO_LARGE',
        limit: 'GRAPHQL_MAX_BODY_BYTES',
        maximum: limits.maxBodyBytes,
      });
      return;
    }
    // body-parser marks what it refuses with a 4xx status, mostly with a type; a body that does not decompress as its
    // Content-Encoding says (zlib's error, found by test/fuzz.test.ts) has the status but no type.
    if (typeof failure?.status === 'number' && failure.status >= 400 && failure.status < 500) {
      const message =
        failure.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON: send {"query": "...", "variables": {...}} with content-type application/json'
          : typeof failure.type === 'string'
            ? `The request body could not be read (${failure.type})`
            : 'The request body could not be read: it does not match its Content-Encoding';
      sendGraphQLError(res, failure.status, message, { code: 'BAD_REQUEST' });
      return;
    }
    logger.error({ requestId: res.locals.requestId, err: error }, 'unexpected error before or around GraphQL');
    sendGraphQLError(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
  };
}

/** A JSON array of operations (batching) is refused: one operation per request, each counted and limited. */
export const refuseBatches: RequestHandler = (req, res, next) => {
  if (Array.isArray(req.body)) {
    sendGraphQLError(res, 400, 'Batched requests (a JSON array of operations) are not accepted: send one operation per request', { code: 'BAD_REQUEST' });
    return;
  }
  next();
};
