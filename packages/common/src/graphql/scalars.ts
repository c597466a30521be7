import { GraphQLLocalDate } from 'graphql-scalars';
import { GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d{1,15}(\.\d{1,4})?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw new TypeError(`Decimal must be a decimal number written as a string, e.g. "768216.00"; got ${JSON.stringify(value)}`);
  }
  return text;
}

/** Exact decimal numbers (money): a string on the wire, numeric in PostgreSQL, never a float in between. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "768216.00" (amounts of money are never floats)',
  serialize: (value) => parseDecimal(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) throw new TypeError('Decimal must be a string');
    return parseDecimal(ast.value);
  },
});

/** A calendar date without time zone, "2026-11-23". */
export const LocalDateScalar = GraphQLLocalDate;
