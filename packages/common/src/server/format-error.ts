import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors';

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

function flatten(failures: ValidationFailure[], prefix = ''): { field: string; rule: string; message: string }[] {
  return failures.flatMap((failure) => {
    const field = prefix ? `${prefix}.${failure.property}` : failure.property;
    const own = Object.entries(failure.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(failure.children ?? [], field)];
  });
}

const CLIENT_CODES = new Set<string>([
  ErrorCode.Unauthenticated,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
  ErrorCode.BadUserInput,
  ErrorCode.Conflict,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // The gateway's request limits (docs/operations.md): refused before anything runs.
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  // A part that could not be answered right now, with a message of ours (no host, no SQL): a subgraph the gateway
  // cannot reach, a database or another service a subgraph cannot reach (docs/operations.md, "Failures and shutdown").
  'SUBGRAPH_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
]);

/** Whether an error code is meant for the caller (kept in production) rather than an unexpected failure (masked). */
export function isClientErrorCode(code: string): boolean {
  return CLIENT_CODES.has(code);
}

export interface FormatErrorOptions {
  /**
   * The id of the request being answered (x-request-id), added to every error as `extensions.requestId`: the
   * correlation id a caller can quote, masked errors included, to find the original error in the logs.
   */
  requestId?: () => string | undefined;
  /** Called for every error returned, with what the caller sees and the original error (for the logs). */
  onError?: (event: { requestId?: string; code: string; masked: boolean; formatted: GraphQLFormattedError; original: unknown }) => void;
}

/**
 * Makes errors useful and safe: class-validator failures become BAD_USER_INPUT naming each field and rule;
 * in production, unexpected errors lose their message (no SQL, no stack, no host names).
 */
export function formatError(production: boolean, options: FormatErrorOptions = {}) {
  const format = formatOne(production);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const requestId = options.requestId?.();
    const code = String(result.extensions?.code ?? ErrorCode.Internal);
    const masked = production && !CLIENT_CODES.has(String(formatted.extensions?.code ?? ErrorCode.Internal)) && code === ErrorCode.Internal;
    options.onError?.({ requestId, code, masked, formatted: result, original: error });
    return requestId ? { ...result, extensions: { ...result.extensions, requestId } } : result;
  };
}

function formatOne(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error) as { extensions?: { validationErrors?: ValidationFailure[] } } | undefined;
    const validationErrors = original?.extensions?.validationErrors;
    if (Array.isArray(validationErrors)) {
      const violations = flatten(validationErrors);
      return {
        ...formatted,
        message: `Invalid input: ${violations.map((v) => `${v.field} (${v.rule}): ${v.message}`).join('; ')}`,
        extensions: { code: ErrorCode.BadUserInput, violations },
      };
    }
    let code = String(formatted.extensions?.code ?? ErrorCode.Internal);
    // Apollo Server refuses some requests with an HTTP 4xx but no code ("provided sha does not match query",
    // "Unsupported persisted query version"): the caller's mistake, not an internal error to mask (test/fuzz.test.ts).
    const status = (error as { extensions?: { http?: { status?: unknown } } } | undefined)?.extensions?.http?.status;
    if (code === ErrorCode.Internal && !formatted.path && typeof status === 'number' && status >= 400 && status < 500) {
      code = 'BAD_REQUEST';
      formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
    }
    if (production && !CLIENT_CODES.has(code)) {
      return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.Internal } };
    }
    return formatted;
  };
}
