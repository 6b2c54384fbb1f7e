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

const iso = DateTimeISOResolver.toConfig();
const toIso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * graphql-scalars' ISO date-time, under the schema's own name (its resolver is named
 * DateTimeISO), with inputs given to resolvers as ISO strings in UTC (as codegen types
 * them), not Date objects.
 */
export const DateTime = new GraphQLScalarType({
  ...iso,
  name: 'DateTime',
  description: 'An ISO-8601 date-time with offset (e.g. 2026-11-01T09:30:00.000Z). Vendor offsets are normalised to UTC.',
  parseValue: (value) => toIso(iso.parseValue!(value)),
  parseLiteral: (ast, variables) => toIso(iso.parseLiteral!(ast, variables)),
});

export const scalarResolvers = { DateTime, JSON: JSONResolver, Decimal };
