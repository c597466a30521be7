import { GraphQLError } from 'graphql';
import { formatError, invalidInput } from '../src';

const format = (production: boolean, error: GraphQLError) => formatError(production)({ message: error.message, extensions: error.extensions, path: ['x'] }, error);

describe('error formatting', () => {
  it('masks unexpected errors in production: no SQL, no host names', () => {
    const internal = new GraphQLError('relation "cases" does not exist at db.internal:5432', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format(true, internal)).toEqual({ message: 'Internal server error', path: ['x'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format(false, internal).message).toContain('relation "cases"');
  });

  it('keeps errors meant for the client, in production too', () => {
    const bad = invalidInput('input.openedAt', 'notInFuture', 'a case cannot be opened in the future');
    expect(format(true, bad)).toMatchObject({ message: 'Invalid input.openedAt: a case cannot be opened in the future', extensions: { code: 'BAD_USER_INPUT', field: 'input.openedAt', rule: 'notInFuture' } });
  });

  it('turns class-validator failures into one message naming every field and rule', () => {
    const validation = new GraphQLError('Argument Validation Error', {
      extensions: {
        code: 'BAD_USER_INPUT',
        validationErrors: [
          { property: 'limit', constraints: { max: 'limit must not be greater than 500' } },
          { property: 'input', children: [{ property: 'idempotencyKey', constraints: { isLength: 'idempotencyKey must be longer than or equal to 8 characters' } }] },
        ],
      },
    });
    expect(format(true, validation)).toMatchObject({
      message: 'Invalid input: limit (max): limit must not be greater than 500; input.idempotencyKey (isLength): idempotencyKey must be longer than or equal to 8 characters',
      extensions: {
        code: 'BAD_USER_INPUT',
        violations: [
          { field: 'limit', rule: 'max', message: 'limit must not be greater than 500' },
          { field: 'input.idempotencyKey', rule: 'isLength', message: 'idempotencyKey must be longer than or equal to 8 characters' },
        ],
      },
    });
  });
});
