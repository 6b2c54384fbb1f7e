/**
 * HTTP caching of GraphQL responses, all with Apollo's own pieces:
 *
 * - `Cache-Control` headers: Apollo Server's cache-control plugin computes them from the
 *   `@cacheControl` hints of the schema (schema/*.graphql): `max-age=N, private` for a
 *   cacheable response, `no-store` otherwise. On top of it, `httpCachePlugin` makes
 *   mutations, `_entities` and `_service` `no-store` whatever their types say, gives
 *   `node`/`nodes` the hint of the type they resolve to (the `Node` interface has none), and
 *   keeps a response with errors (partial data included) `no-store`.
 * - A whole-response cache (`@apollo/server-plugin-response-cache`) for repeated queries:
 *   every vendor type is scope PRIVATE, so entries are per session, and the session is the
 *   caller (tenant and API key name): two keys never share an entry. The key also carries
 *   the write generation of the credential set (the tenant's, or the deployment's), bumped
 *   by every mutation, so the next query after a write is fresh. `Cache-Control: no-cache`
 *   from the client skips the lookup (and refreshes the entry), `no-store` skips both.
 * - Automatic persisted queries use a bounded cache of their own.
 * - A query that polls (selects an order's `executionStatus` or a `quantityRequest`) reads
 *   the vendors fresh, as if it had sent `Cache-Control: no-cache`.
 *
 * The caches are Apollo's in-memory `InMemoryLRUCache` (bounded in bytes), or, with
 * REDIS_URL, Redis through the server's ioredis client (`RedisKeyValueCache` below),
 * shared by every instance together with the write generations.
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { ErrorsAreMissesCache, InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { Kind, type GraphQLAbstractType, type GraphQLOutputType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import type { Redis } from 'ioredis';
import type { GraphContext } from './context.js';
import { currentScope } from './http/deadline.js';
import { namesOf } from './join/namespace.js';
import { logger } from './logger.js';
import { metrics } from './metrics.js';
import type { EntityModel } from './model.js';

export interface ResponseCacheOptions {
  /** Bound of the in-memory cache, in MiB (default 32); Redis entries expire with their max-age. */
  maxMb?: number;
}

/** Entries in Redis without a TTL of their own (persisted queries) live this long. */
const DEFAULT_REDIS_TTL_S = 24 * 3600;

/** Apollo's KeyValueCache over an ioredis client: the one the server already holds. */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }
  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    if (ttl === 0) return;
    await this.redis.set(this.prefix + key, value, 'EX', ttl ?? DEFAULT_REDIS_TTL_S);
  }
  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

/** A cache in Redis when there is one, else in memory bounded by `maxBytes`; a Redis error is a miss, never a failed request. */
function kvCache(redis: Redis | undefined, prefix: string, maxBytes: number): KeyValueCache<string> {
  if (redis) return new ErrorsAreMissesCache(new RedisKeyValueCache(redis, prefix), logger);
  return new InMemoryLRUCache<string>({ maxSize: maxBytes });
}

/** The persisted-query cache (APQ): bounded, and shared by every instance with Redis. */
export function persistedQueriesCache(redis: Redis | undefined): { cache: KeyValueCache<string>; ttl: number } {
  return { cache: kvCache(redis, 'cg:apq:', 8 * 2 ** 20), ttl: DEFAULT_REDIS_TTL_S };
}

/**
 * Write generations per credential set (the tenant in multi-tenant mode, `-` otherwise):
 * every mutation bumps its own once answered, and the response cache keys on it.
 */
export class WriteGenerations {
  private readonly memory = new Map<string, number>();
  constructor(private readonly redis?: Redis) {}
  private key = (tenant: string | undefined) => `cg:rc:gen:${tenant ?? '-'}`;
  async get(tenant: string | undefined): Promise<number> {
    if (!this.redis) return this.memory.get(this.key(tenant)) ?? 0;
    try {
      return Number((await this.redis.get(this.key(tenant))) ?? 0);
    } catch {
      // Redis unreachable: a generation nobody has stored under, so nothing stale is read.
      return -Date.now();
    }
  }
  async bump(tenant: string | undefined): Promise<void> {
    if (!this.redis) {
      this.memory.set(this.key(tenant), (this.memory.get(this.key(tenant)) ?? 0) + 1);
      return;
    }
    await this.redis.incr(this.key(tenant)).catch((error: Error) => logger.warn({ err: error.message }, 'response cache: write generation not bumped'));
  }
}

/** Root fields whose answers are for routers and tooling, never cached. */
const NEVER_CACHED_ROOT_FIELDS = new Set(['_entities', '_service']);

function rootFieldNames(set: SelectionSetNode, fragments: Map<string, SelectionSetNode>, out = new Set<string>()): Set<string> {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.add(s.name.value);
    else if (s.kind === Kind.INLINE_FRAGMENT) rootFieldNames(s.selectionSet, fragments, out);
    else if (fragments.has(s.name.value)) rootFieldNames(fragments.get(s.name.value)!, fragments, out);
  }
  return out;
}

/** Fields a client polls (an order's execution, a quantity change request): a query selecting one reads the vendors fresh. */
const POLLED_FIELDS = new Set(['executionStatus', 'quantityRequest']);

/** Does this selection (its fragments included, at any depth) select one of `names`? */
function selectsAny(set: SelectionSetNode, fragments: Map<string, SelectionSetNode>, names: ReadonlySet<string>, seen = new Set<string>()): boolean {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (names.has(s.name.value) || (s.selectionSet && selectsAny(s.selectionSet, fragments, names, seen))) return true;
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (selectsAny(s.selectionSet, fragments, names, seen)) return true;
    } else if (!seen.has(s.name.value) && fragments.has(s.name.value)) {
      seen.add(s.name.value);
      if (selectsAny(fragments.get(s.name.value)!, fragments, names, seen)) return true;
    }
  }
  return false;
}

/** What the cache-control plugin puts on `info` (`@apollo/cache-control-types`). */
interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}
interface InfoCacheControl {
  cacheHint: { restrict(hint: CacheHint): void };
  cacheHintFromType(type: unknown): CacheHint | undefined;
}

/** Per return type (a field's, wrappers included): the `Node` interface it returns, if it does. Runs for every field: remembered. */
const nodeTypes = new WeakMap<object, GraphQLAbstractType | null>();
function nodeTypeOf(schema: GraphQLSchema, returnType: GraphQLOutputType): GraphQLAbstractType | null {
  let node = nodeTypes.get(returnType);
  if (node === undefined) {
    // Unwrapped by hand: the schema's graphql realm may not be this module's (CJS vs ESM), so no instanceof helpers.
    let returned = returnType as unknown as { name?: string; ofType?: unknown };
    while (returned.ofType) returned = returned.ofType as typeof returned;
    node = namesOf(schema).originalType(returned.name ?? '') === 'Node' ? (returned as unknown as GraphQLAbstractType) : null;
    nodeTypes.set(returnType, node);
  }
  return node;
}

const header = (context: GraphQLRequestContext<GraphContext>, name: string) => context.request.http?.headers.get(name) ?? '';
/** The client's `Cache-Control: no-cache` (or `no-store`): do not answer from the cache. */
const wantsFresh = (context: GraphQLRequestContext<GraphContext>) => /no-cache|no-store/i.test(header(context, 'cache-control'));

/** The session of the response cache: the tenant and the caller, so no two keys or tenants share an entry. */
export const sessionOf = (context: GraphContext): string => JSON.stringify([context.tenant ?? null, context.principal.name]);

/**
 * Cache-Control beyond the schema's hints: mutations, `_entities` and `_service` are never
 * cacheable; `node`/`nodes` take the hint of the types they resolve to; a response with
 * errors is `no-store`. With `generations`, every mutation bumps its credential set's.
 */
export function httpCachePlugin(options: { generations?: WriteGenerations }): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          const operation = context.operation;
          if (!operation) return;
          const fragments = new Map<string, SelectionSetNode>();
          for (const d of context.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
          const never = operation.operation !== 'query' || [...rootFieldNames(operation.selectionSet, fragments)].some((f) => NEVER_CACHED_ROOT_FIELDS.has(f));
          if (never) context.overallCachePolicy.restrict({ maxAge: 0 });
          // A poll must see the vendor's state now: the whole query reads fresh (and refreshes the cross-request cache).
          const scope = currentScope();
          if (scope && selectsAny(operation.selectionSet, fragments, POLLED_FIELDS)) scope.fresh = true;
        },
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              const node = nodeTypeOf(info.schema, info.returnType);
              if (!node) return undefined;
              // `Node` has no hint of its own: the objects it resolves to decide. This end hook
              // runs before the cache-control plugin's (listed after this plugin), which applies
              // the field's hint, or the default maxAge 0 when it has none.
              return (error, result) => {
                if (error || result == null) return;
                const names = namesOf(info.schema);
                const models = (Array.isArray(result) ? result : [result]) as Array<EntityModel | null>;
                const cacheControl = (info as unknown as { cacheControl?: InfoCacheControl }).cacheControl;
                if (!cacheControl) return;
                for (const model of models) {
                  if (!model?.kind) continue;
                  const original = model.kind === 'Subscription' ? 'ServiceSubscription' : model.kind;
                  const type = info.schema.getPossibleTypes(node).find((t) => names.originalType(t.name) === original);
                  const hint = type && cacheControl.cacheHintFromType(type);
                  if (hint) cacheControl.cacheHint.restrict(hint);
                }
              };
            },
          };
        },
        async willSendResponse(context) {
          const { response } = context;
          // Errors (vendor failures next to partial data included) are never cacheable.
          if (response.body.kind === 'single' && response.body.singleResult.errors?.length) response.http.headers.set('cache-control', 'no-store');
          if (options.generations && context.operation?.operation === 'mutation') await options.generations.bump(context.contextValue?.tenant);
        },
      };
    },
  };
}

/** The whole-response cache: Apollo's plugin, keyed per caller and write generation; and its hit/miss counter. */
export function responseCachePlugins(options: ResponseCacheOptions & { redis?: Redis; generations: WriteGenerations }): ApolloServerPlugin<GraphContext>[] {
  const cache = kvCache(options.redis, 'cg:rc:', (options.maxMb ?? 32) * 2 ** 20);
  const counting: ApolloServerPlugin<GraphContext> = {
    async requestDidStart() {
      return {
        async willSendResponse(context) {
          if (context.operation?.operation !== 'query') return;
          metrics.responseCache(context.metrics.responseCacheHit ? 'hit' : wantsFresh(context) ? 'bypass' : 'miss');
        },
      };
    },
  };
  return [
    responseCachePlugin<GraphContext>({
      cache,
      sessionId: async ({ contextValue }) => sessionOf(contextValue),
      extraCacheKeyData: async ({ contextValue }) => ({ writes: await options.generations.get(contextValue.tenant) }),
      shouldReadFromCache: async (context) => !wantsFresh(context),
      // Never a response with warnings (a vendor down: partial data), nor when the client said no-store.
      shouldWriteToCache: async (context) => context.contextValue.warnings.length === 0 && !/no-store/i.test(header(context, 'cache-control')),
    }),
    counting,
  ];
}
