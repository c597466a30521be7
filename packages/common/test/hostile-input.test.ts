import { ApolloServer } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import { SignJWT } from 'jose';
import { createTokenVerifier, findNulCharacter, formatError, readDevSigningKey, refuseNulCharacters } from '../src';
import { loadAuthConfig } from '../src/config';

/** Regressions of what test/fuzz.test.ts found in shared code (gateway/test/input-errors.test.ts has the gateway's). */

describe('a token whose subject PostgreSQL or the audit trail cannot take', () => {
  const verify = createTokenVerifier(loadAuthConfig());
  const sign = async (sub: string) => {
    const { key, kid } = await readDevSigningKey(process.env.AUTH_DEV_KEYS_DIR!);
    return new SignJWT({ org_id: '1f0e4a8e-7c51-4d3b-9f1c-0a8d2b6c4e11', roles: ['caseworker'] })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(sub)
      .setIssuer('integration-graph-dev')
      .setAudience('integration-graph')
      .setExpirationTime('5m')
      .sign(key);
  };

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['a line break', 'a\nb'],
    ['more than 255 characters', 'x'.repeat(256)],
  ])('is refused, though correctly signed, when the subject has %s', async (_case, sub) => {
    await expect(verify(await sign(sub))).rejects.toThrow(/subject \(sub\) must be at most 255 characters without control characters/);
  });

  it('is accepted with any other subject up to 255 characters', async () => {
    await expect(verify(await sign('ü'.repeat(255)))).resolves.toMatchObject({ userId: 'ü'.repeat(255) });
  });
});

describe('NUL characters in a request', () => {
  it('are found in variables at any depth and in string literals, and named', () => {
    expect(findNulCharacter(undefined, { a: 'x', b: [1, { c: 'y\u0000' }] })).toBe('$b.1.c');
    expect(findNulCharacter(undefined, { a: { ['k\u0000']: 1 } })).toBe('$a."k\\u0000"');
    expect(findNulCharacter(parse('{ a(x: "b\\u0000") }'), {})).toBe('a string literal of the document');
    expect(findNulCharacter(parse('{ a(x: "b\\u0001") }'), { a: 'fine', n: null, t: true })).toBeUndefined();
  });

  it('make the plugin of the gateway and every subgraph refuse the request with BAD_USER_INPUT before any resolver runs', async () => {
    let resolved = 0;
    const server = new ApolloServer({
      typeDefs: 'type Query { echo(text: String): String }',
      resolvers: { Query: { echo: (_: unknown, { text }: { text: string }) => (resolved++, text) } },
      plugins: [refuseNulCharacters],
    });
    await server.start();
    try {
      const refused = await server.executeOperation({ query: 'query($t: String) { echo(text: $t) }', variables: { t: 'a\u0000' } });
      expect(refused.body.kind === 'single' && refused.body.singleResult.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: '$t' } });
      expect(refused.http.status).toBe(400);
      const fine = await server.executeOperation({ query: '{ echo(text: "a") }' });
      expect(fine.body.kind === 'single' && fine.body.singleResult.data).toEqual({ echo: 'a' });
      expect(resolved).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('are looked for without recursion (variables nested deeper than the call stack)', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNulCharacter(undefined, { d: deep })).toMatch(/^\$d(\.0)+$/);
  });
});

describe("Apollo Server's own refusals with an HTTP 4xx and no code", () => {
  it('are BAD_REQUEST with their message, in production too (not a masked internal error)', () => {
    const error = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(formatError(true)({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error)).toMatchObject({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_REQUEST' },
    });
    // A resolver's unexpected error stays masked, whatever it carries.
    const resolver = new GraphQLError('relation "x" does not exist', { extensions: { http: { status: 400 } } });
    expect(formatError(true)({ message: resolver.message, path: ['x'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, resolver)).toMatchObject({
      message: 'Internal server error',
    });
  });
});
