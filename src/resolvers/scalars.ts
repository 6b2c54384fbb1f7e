import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeISOResolver, JSONResolver } from 'graphql-scalars';

const DECIMAL = /^-?\d+(\.\d+)?$/;

function decimal(value: unknown): string {
  const text = typeof value === 'number' ? value.toFixed(2) : String(value);
  if (!DECIMAL.test(text)) throw new GraphQLError(`Decimal must be a decimal string like "12.50", got "${text.slice(0, 40)}"`, { extensions: { code: 'BAD_USER_INPUT' } });
  return text;
}

/** Money amounts as decimal strings, so they never pass through a float. */
export const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  description: 'A decimal number serialised as a string (e.g. "12.50").',
  serialize: decimal,
  parseValue: decimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Decimal literals are strings, e.g. "12.50"', { extensions: { code: 'BAD_USER_INPUT' } });
    return decimal(ast.value);
  },
});

export const scalarResolvers = { DateTime: DateTimeISOResolver, JSON: JSONResolver, Decimal };
