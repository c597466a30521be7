import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, visit } from 'graphql';

/**
 * PostgreSQL's text cannot hold the NUL character (U+0000): a string with one fails in the database as "invalid byte
 * sequence for encoding UTF8: 0x00", an internal error (found by test/fuzz.test.ts). No field of this project has a
 * use for it, so a request that carries one in a variable or in a string literal is refused before anything runs.
 */
const NUL = '\u0000';

/** Where the first NUL is: a variable's path (`$input.note`) or "a string literal"; undefined if there is none. */
export function findNulCharacter(document: DocumentNode | undefined, variables: Record<string, unknown> | undefined): string | undefined {
  // Iterative: variables may be nested deeper than the call stack allows.
  const pending: { value: unknown; path: string }[] = Object.entries(variables ?? {}).map(([name, value]) => ({ value, path: `$${name}` }));
  let visited = 0;
  while (pending.length && visited++ < 1_000_000) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => pending.push({ value: item, path: `${path}.${i}` }));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) return `${path}.${JSON.stringify(key)}`;
        pending.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  let literal: string | undefined;
  if (document) {
    visit(document, {
      [Kind.STRING]: (node) => {
        if (node.value.includes(NUL)) {
          literal = 'a string literal of the document';
          return false;
        }
        return undefined;
      },
    });
  }
  return literal;
}

/** The error for a request with a NUL character: BAD_USER_INPUT, HTTP 400, naming where it is. */
export function nulCharacterError(where: string): GraphQLError {
  return new GraphQLError(`Text must not contain the NUL character (U+0000): found in ${where}`, {
    extensions: { code: 'BAD_USER_INPUT', rule: 'noNulCharacter', field: where, http: { status: 400 } },
  });
}

/** Refuses requests with a NUL character before they run (the gateway and every subgraph use it). */
export const refuseNulCharacters: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const where = findNulCharacter(document, request.variables);
        if (where) throw nulCharacterError(where);
      },
    };
  },
};
