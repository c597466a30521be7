import { GraphQLError } from 'graphql';

/**
 * Error codes clients can rely on (extensions.code). Messages are for people; codes and the extra
 * extensions (field, rule, ...) are for programs.
 */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  BadUserInput = 'BAD_USER_INPUT',
  Conflict = 'CONFLICT',
  Internal = 'INTERNAL_SERVER_ERROR',
}

/**
 * The caller must authenticate. Thrown by a resolver it is a field error (HTTP 200, so the gateway passes it on
 * with the data of other fields); with badToken (the request's token did not verify) the whole request is
 * refused with HTTP 401.
 */
export function unauthenticated(
  message = 'Authentication required: send "Authorization: Bearer <token>"',
  options: { badToken?: boolean } = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.Unauthenticated, ...(options.badToken ? { http: { status: 401 } } : {}) },
  });
}

/** The caller may not do this. `details` adds extensions for programs, e.g. `{ field, rule }` when a rule of the data forbids it. */
export function forbidden(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code: ErrorCode.Forbidden } });
}

export function notFound(entity: string, id: string): GraphQLError {
  return new GraphQLError(`${entity} ${id} does not exist or is not visible to you`, {
    extensions: { code: ErrorCode.NotFound, entity, id },
  });
}

/** A validation failure: names the field and the rule it broke. */
export function invalidInput(field: string, rule: string, message: string): GraphQLError {
  return new GraphQLError(`Invalid ${field}: ${message}`, {
    extensions: { code: ErrorCode.BadUserInput, field, rule },
  });
}

/** Optimistic concurrency: somebody else changed the record since the caller read it. */
export function conflict(entity: string, id: string, expectedVersion: number, actualVersion: number): GraphQLError {
  return new GraphQLError(
    `${entity} ${id} was changed by someone else (you edited version ${expectedVersion}, it is now at version ${actualVersion}); reload and apply your change again`,
    { extensions: { code: ErrorCode.Conflict, entity, id, expectedVersion, actualVersion } },
  );
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Identifiers are UUIDs; anything else is bad input, reported before it reaches the database. */
export function requireUuid(field: string, value: string): string {
  if (!isUuid(value)) throw invalidInput(field, 'isUuid', `"${value}" is not a UUID`);
  return value;
}
