/**
 * Execution: graphql-jit for the operations a server sees again, graphql-js for the rest.
 *
 * graphql-jit compiles an operation into JavaScript that resolves exactly its selection:
 * no per-field walk of the selection set, argument coercion, or result maps as graphql-js
 * makes for every field of every row (a 100-customer overview has about 4,000). It plugs
 * into Apollo Server through Apollo's executor interface (`gateway`: `load()` hands Apollo
 * an executor), so parsing, validation, the limits, plugins and error formatting stay
 * Apollo's; only execution changes.
 *
 * - An operation runs on graphql-js the first time its document is seen, and is compiled
 *   the second time: a one-off query (an engineer in Sandbox, a client that writes its
 *   values into the document) never pays for a compile (1.5 ms and 135 KB for a customer
 *   360). Except when its request has just started a vendor login (prefetch.ts): execution
 *   waits a round trip for it anyway, so the compile is free, and a compiled first run
 *   answers a dashboard sooner (a cold 100-customer overview spent 13.8 ms after its last
 *   vendor answer on graphql-js, 7.0 ms compiled). Compiled operations live as long as
 *   Apollo keeps the parsed document (its bounded document store hands every request of
 *   the same query the same document).
 * - graphql-js answers whatever the compiled code would answer differently or not at all:
 *   federation traces (`apollo-federation-include-trace: ftv1`: Apollo instruments
 *   graphql-js's resolvers); variables refused before execution (graphql-js's errors point
 *   at the variable, which Apollo answers as BAD_USER_INPUT; nothing has run yet); an
 *   operation graphql-jit cannot compile.
 * - `EXECUTOR=graphql-js` turns compilation off.
 */
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, printSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GraphContext } from './context.js';
import { logger } from './logger.js';
import { activeMetrics } from './metrics.js';

export const EXECUTORS = ['graphql-jit', 'graphql-js'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

/** One operation of a document: how often it ran, and its compiled form once made (null: it does not compile). */
interface Operation {
  runs: number;
  compiled?: CompiledQuery | null;
}

/** Runs of a document on graphql-js before its operation is compiled (unless a login is awaited). */
const RUNS_BEFORE_COMPILE = 1;

function graphqlJs(schema: GraphQLSchema, request: GatewayGraphQLRequestContext) {
  activeMetrics()?.execution('graphql-js');
  return execute({ schema, document: request.document, contextValue: request.context, variableValues: request.request.variables, operationName: request.operationName });
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): CompiledQuery | null {
  try {
    const compiled = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
    if (isCompiledQuery(compiled)) return compiled;
    logger.warn({ operationName, errors: compiled.errors?.map((e) => e.message) }, 'graphql-jit could not compile an operation; graphql-js runs it');
  } catch (error) {
    logger.warn({ operationName, err: (error as Error).message }, 'graphql-jit could not compile an operation; graphql-js runs it');
  }
  return null;
}

/** The executor of `schema` as Apollo Server's `gateway` option. */
export function jitExecutor(schema: GraphQLSchema): GatewayInterface {
  const documents = new WeakMap<DocumentNode, Map<string, Operation>>();
  const operationOf = (document: DocumentNode, name: string | null): Operation => {
    let byName = documents.get(document);
    if (!byName) documents.set(document, (byName = new Map()));
    let operation = byName.get(name ?? '');
    if (!operation) byName.set(name ?? '', (operation = { runs: 0 }));
    return operation;
  };
  const executor: GatewayExecutor = async (request) => {
    if (request.request.http?.headers.get('apollo-federation-include-trace') === 'ftv1') return graphqlJs(schema, request);
    const operation = operationOf(request.document, request.operationName);
    if (operation.runs++ < RUNS_BEFORE_COMPILE && !(request.context as Partial<GraphContext>).awaitsLogin) return graphqlJs(schema, request);
    if (operation.compiled === undefined) {
      // Compiling holds the event loop for a while: a login just started goes out first.
      await new Promise(setImmediate);
      operation.compiled ??= compile(schema, request.document, request.operationName);
    }
    if (!operation.compiled) return graphqlJs(schema, request);
    const result = await operation.compiled.query(undefined, request.context, request.request.variables);
    if (result.data === undefined) return graphqlJs(schema, request);
    activeMetrics()?.execution('graphql-jit');
    return result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}
