/**
 * HTTP caching of GraphQL responses:
 *
 * - `Cache-Control` headers from the `@cacheControl` hints of the schema (schema/*.graphql),
 *   by Apollo's rules: `max-age=N, private` for a cacheable response, `no-store` otherwise.
 *   `httpCachePlugin` computes them from the operation's selections (cache-policy.ts) in
 *   place of Apollo's cache-control plugin, which hooks every resolved field. Mutations,
 *   `_entities` and `_service` are `no-store` whatever their types say, `node`/`nodes`
 *   take the hint of the types they found (the `Node` interface has none), and a response
 *   with errors (partial data included) is `no-store`.
 * - A whole-response cache for repeated queries (`responseCache`), in front of Apollo: it
 *   stores what httpCachePlugin marked cacheable, as sent, per caller (tenant and
 *   API key name: two keys never share an entry) and write generation of the credential
 *   set (the tenant's, or the deployment's), bumped by every mutation, so the next query
 *   after a write is fresh. `Cache-Control: no-cache` from the client skips the lookup (and
 *   refreshes the entry), `no-store` skips both.
 * - Automatic persisted queries use a bounded cache of their own.
 * - A query that polls (selects an order's `executionStatus` or a `quantityRequest`) reads
 *   the vendors fresh, as if it had sent `Cache-Control: no-cache`.
 *
 * The caches are Apollo's in-memory `InMemoryLRUCache` (bounded in bytes), or, with
 * REDIS_URL, Redis through the server's ioredis client (`RedisKeyValueCache` below),
 * shared by every instance together with the write generations.
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { ErrorsAreMissesCache, InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { nodeHint, operationPolicy, type OperationPolicy } from './cache-policy.js';
import type { GraphContext } from './context.js';
import { currentScope } from './http/deadline.js';
import { logger } from './logger.js';
import { metrics } from './metrics.js';
import { fragmentsOf } from './operation.js';
import { operationSpan } from './observability.js';

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

/** Fields a client polls (an order's execution, a quantity change request): a query selecting one reads the vendors fresh. */
const POLLED_FIELDS = new Set(['executionStatus', 'quantityRequest']);

const header = (context: GraphQLRequestContext<GraphContext>, name: string) => context.request.http?.headers.get(name) ?? '';
/** The client's `Cache-Control: no-cache` (or `no-store`): do not answer from the cache. */
const wantsFresh = (context: GraphQLRequestContext<GraphContext>) => /no-cache|no-store/i.test(header(context, 'cache-control'));

/** The session of the response cache: the tenant and the caller, so no two keys or tenants share an entry. */
export const sessionOf = (tenant: string | undefined, principal: string): string => JSON.stringify([tenant ?? null, principal]);

/**
 * Cache-Control of every GraphQL response: the schema's `@cacheControl` hints, as Apollo's
 * cache-control plugin reads them, computed from the operation's selections
 * (cache-policy.ts) rather than per resolved field; mutations, `_entities` and `_service`
 * are never cacheable; `node`/`nodes` take the hint of the types they found; a response
 * with errors (partial data included) is `no-store`. With `generations`, every mutation
 * bumps its credential set's.
 */
export function httpCachePlugin(options: { generations?: WriteGenerations }): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      let selected: OperationPolicy | undefined;
      return {
        async didResolveOperation(context) {
          const operation = context.operation;
          if (!operation) return;
          const walked = operationPolicy(context.schema, operation, fragmentsOf(context.document), context.request.variables ?? {});
          const never = operation.operation !== 'query' || [...walked.rootFields].some((f) => NEVER_CACHED_ROOT_FIELDS.has(f));
          if (never) context.overallCachePolicy.restrict({ maxAge: 0 });
          else selected = walked;
          // A poll must see the vendor's state now: the whole query reads fresh (and refreshes the cross-request cache).
          const scope = currentScope();
          if (scope && [...POLLED_FIELDS].some((f) => walked.fields.has(f))) scope.fresh = true;
        },
        async willSendResponse(context) {
          const { response, overallCachePolicy } = context;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          if (selected) {
            overallCachePolicy.restrict(selected.policy);
            const data = result?.data as Record<string, unknown> | null | undefined;
            for (const field of selected.nodeFields) overallCachePolicy.restrict(nodeHint(context.schema, field, data?.[field.key]));
          }
          // As the cache-control plugin: `max-age=N, private|public` when cacheable; errors (vendor failures next to partial data included) never are.
          const cacheable = overallCachePolicy.policyIfCacheable();
          const value = cacheable && result && !result.errors?.length ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : 'no-store';
          response.http.headers.set('cache-control', value);
          if (options.generations && context.operation?.operation === 'mutation') await options.generations.bump(context.contextValue?.tenant);
        },
      };
    },
  };
}

/** Who a request is, for the response cache: its session (sessionOf) and its tenant; none when Apollo will refuse it. */
export type CallerOf = (request: FastifyRequest) => { session: string; tenant?: string } | undefined;

/** Header names of Apollo's CSRF prevention: one of them makes a GET safe (a browser must preflight it). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/** The operation a request asks for (query, operation name, variables, extensions), as the cache keys it; null when it is no single operation Apollo would run. */
function operationOf(request: FastifyRequest): unknown[] | null {
  if (request.method === 'POST') {
    // Parsed by Fastify only as application/json: never a simple request.
    const b = request.body as Record<string, unknown> | null | undefined;
    if (!b || typeof b !== 'object' || Array.isArray(b)) return null;
    return [b.query ?? null, b.operationName ?? null, b.variables ?? null, b.extensions ?? null];
  }
  if (request.method !== 'GET') return null;
  // As Apollo's CSRF prevention: a GET with a simple content type (or none) needs a preflight header.
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if ((!type || SIMPLE_TYPES.has(type)) && !PREFLIGHT_HEADERS.some((h) => request.headers[h])) return null;
  const q = request.query as Record<string, unknown>;
  return [q.query ?? null, q.operationName ?? null, q.variables ?? null, q.extensions ?? null];
}

/** A response Apollo marked cacheable: `max-age=N` (N > 0) with a scope, nothing else. */
const CACHEABLE = /^max-age=(\d+), (private|public)$/;

/**
 * The whole-response cache of queries, in front of Apollo: a hit is the stored response
 * body as it was sent, with no parsing, execution or serialising (Apollo's response-cache
 * plugin parsed each stored entry and Apollo serialised it again: about 40% of a hit's
 * CPU for a dashboard's 60 KB). What is stored is what httpCachePlugin marked cacheable
 * (`Cache-Control: max-age=N`, from the schema's hints and its rules: never a mutation, `_entities`, a poll or a response with errors), for N seconds.
 * Keys: the caller (tenant and API key name: two keys never share an entry), the write
 * generation of its credential set (bumped by every mutation, so the next query after a
 * write is fresh), and the operation as sent. `Cache-Control: no-cache` from the client
 * skips the lookup (and refreshes the entry), `no-store` skips both. A hit says so with an
 * `Age` header. In memory (bounded in bytes) or in Redis, shared by every instance.
 */
export function responseCache(options: ResponseCacheOptions & { redis?: Redis; generations: WriteGenerations; callerOf: CallerOf }) {
  // The entry format's version in the prefix: a format change never reads an older entry.
  const store = kvCache(options.redis, 'cg:rc:v2:', (options.maxMb ?? 32) * 2 ** 20);
  const pending = new WeakMap<FastifyRequest, string>();
  const keyOf = async (request: FastifyRequest): Promise<string | undefined> => {
    const caller = options.callerOf(request);
    const operation = caller && operationOf(request);
    if (!caller || !operation) return undefined;
    const writes = await options.generations.get(caller.tenant);
    return createHash('sha256').update(JSON.stringify([caller.session, writes, ...operation])).digest('base64url');
  };
  /** Queries that reached Apollo, counted by result (a hit never does). */
  const plugin: ApolloServerPlugin<GraphContext> = {
    async requestDidStart() {
      return {
        async willSendResponse(context) {
          if (context.operation?.operation !== 'query') return;
          metrics.responseCache(wantsFresh(context) ? 'bypass' : 'miss');
        },
      };
    },
  };
  /** Adds the lookup (before Apollo, after authentication and the rate limit) and the store (as the response is sent). */
  function register(app: FastifyInstance): void {
    app.addHook('preHandler', async (request, reply) => {
      if (!request.url.startsWith('/graphql')) return;
      // The client's Cache-Control, as the request scope read it (server.ts): no-store skips both, no-cache the lookup.
      const scope = currentScope();
      if (scope?.noStore) return;
      const key = await keyOf(request);
      if (!key) return;
      pending.set(request, key);
      if (scope?.fresh) return;
      const entry = await store.get(key);
      if (!entry) return;
      // `<stored at ms>\n<cache-control>\n<operation name>\n<body>`: the body is JSON, with no raw newline before its end.
      const first = entry.indexOf('\n');
      const second = entry.indexOf('\n', first + 1);
      const third = entry.indexOf('\n', second + 1);
      pending.delete(request);
      // Counted and logged as the query it answers (Apollo, which would, does not see it).
      const name = entry.slice(second + 1, third) || null;
      if (scope) scope.operationName = name;
      metrics.responseCache('hit');
      metrics.operation(name, 'query', 'ok', reply.elapsedTime / 1000);
      operationSpan(scope?.tracer, scope?.requestId, { type: 'query', name, attributes: { 'channelgraph.outcome': 'ok', 'channelgraph.response_cache': 'hit' } })?.end();
      const age = Math.max(0, Math.floor((Date.now() - Number(entry.slice(0, first))) / 1000));
      return reply.code(200).header('cache-control', entry.slice(first + 1, second)).header('age', String(age)).type('application/json; charset=utf-8').send(entry.slice(third + 1));
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const key = pending.get(request);
      if (!key) return payload;
      pending.delete(request);
      const cacheControl = String(reply.getHeader('cache-control') ?? '');
      const ttl = Number(CACHEABLE.exec(cacheControl)?.[1] ?? 0);
      if (reply.statusCode !== 200 || ttl <= 0 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
      const body = typeof payload === 'string' ? payload : payload.toString('utf8');
      const name = currentScope()?.operationName ?? '';
      await store.set(key, `${Date.now()}\n${cacheControl}\n${name}\n${body}`, { ttl }).catch((error: Error) => logger.warn({ err: error.message }, 'response cache: not stored'));
      return payload;
    });
  }
  return { plugin, register };
}
