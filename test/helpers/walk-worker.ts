/**
 * Runs the two walks over an operation (the cost check of limits.ts and the Cache-Control
 * policy of cache-policy.ts) in a child process, so that a test can give up on a walk that
 * regressed to exponential time instead of hanging the suite with it (test/walks.test.ts).
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { operationPolicy } from '../../src/cache-policy.js';
import { DEFAULT_LIMITS, checkCost } from '../../src/limits.js';
import { fragmentsOf } from '../../src/operation.js';
import { buildSchema } from '../../src/schema.js';

const query = process.argv[2] ?? '';
const schema = buildSchema();
const document = parse(query, { maxTokens: 100_000 });
const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
// The policy walk runs whatever the cost: Apollo computes it for every operation it executes.
const policy = operationPolicy(schema, operation, fragmentsOf(document), {});
let cost: number | string;
try {
  cost = checkCost(schema, document, undefined, {}, DEFAULT_LIMITS);
} catch (error) {
  cost = String((error as { extensions?: { limit?: string } }).extensions?.limit ?? error);
}
process.send!({ cost, maxAge: policy.policy.maxAge ?? null, fields: [...policy.fields].sort() });
