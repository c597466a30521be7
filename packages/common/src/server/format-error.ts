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
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Makes errors useful and safe: class-validator failures become BAD_USER_INPUT naming each field and rule;
 * in production, unexpected errors lose their message (no SQL, no stack, no host names).
 */
export function formatError(production: boolean) {
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
    const code = String(formatted.extensions?.code ?? ErrorCode.Internal);
    if (production && !CLIENT_CODES.has(code)) {
      return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.Internal } };
    }
    return formatted;
  };
}
