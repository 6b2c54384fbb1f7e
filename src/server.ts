/**
 * The HTTP server: Fastify with Apollo Server 5 on /graphql (POST for operations, GET for
 * the Sandbox landing page and GET queries), CSRF prevention, switchable introspection and
 * Sandbox, and /healthz. The schema is a Federation v2 subgraph.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { createContext, type GraphContext } from './context.js';
import { IdempotencyStore, RedisIdempotencyStore, type IdempotencyKeys } from './idempotency.js';
import { Redis } from 'ioredis';
import type { VendorName } from './model.js';
import type { VendorAdapter } from './vendors/types.js';
import { buildSchema } from './schema.js';
import { jitExecutor, type ExecutorName } from './executor.js';
import type { JoinOptions } from './join/index.js';
import { prefetchPlugin } from './prefetch.js';
import { DEFAULT_LIMITS, limitsPlugin, validationRules, type QueryLimits } from './limits.js';
import { authenticate, scopesPlugin, type AuthOptions, type Principal } from './auth.js';
import { enterRequestScope } from './http/deadline.js';
import { logger } from './logger.js';
import { createObservability, requestIdFrom } from './observability.js';
import type { TracingOptions } from './tracing.js';
import { browserPages, type BrowserPagesOptions } from './dashboard/plugin.js';
import { WriteGenerations, httpCachePlugin, persistedQueriesCache, responseCache, sessionOf, type ResponseCacheOptions } from './http-cache.js';

export interface GraphServerOptions {
  adapters: ReadonlyMap<VendorName, VendorAdapter>;
  introspection?: boolean;
  /** Serve the Apollo Sandbox landing page at GET /graphql. */
  sandbox?: boolean;
  /** How operations execute (executor.ts): `graphql-jit` (the default) or `graphql-js`. */
  executor?: ExecutorName;
  /** Query limits (depth, aliases, directives, tokens, cost, entities); defaults in limits.ts. */
  limits?: Partial<QueryLimits>;
  /** Who may call (auth.ts); off when absent. */
  auth?: AuthOptions;
  /** The deadline of one GraphQL request, upstream retries included (default 60 s). */
  deadlineMs?: number;
  /** Requests per minute per API key (per address when auth is off); 0 or absent: off (`npm start` sets RATE_LIMIT_PER_MINUTE, default 1200). */
  rateLimitPerMinute?: number;
  /** Origins allowed by CORS (browsers); default Apollo Studio's, so hosted Sandbox can call a local graph. */
  corsOrigins?: string[];
  /**
   * Multi-tenant mode: each tenant's own adapters (its own vendor credentials, tokens and
   * idempotency keys); a request is served with the adapters of its API key's tenant, and
   * `adapters` is not used for requests.
   */
  tenants?: ReadonlyMap<string, ReadonlyMap<VendorName, VendorAdapter>>;
  /** Joining the host graph: its organisation type and key, the mapping file, SKU aliases, name prefixes (src/join). */
  join?: Partial<JoinOptions>;
  /** Browser pages: the dashboard at /dashboard and GraphiQL at /graphiql (src/dashboard); none when absent. */
  pages?: BrowserPagesOptions;
  /** Redis shared by every instance (idempotency keys); in memory when absent. */
  redisUrl?: string;
  /** A bearer token that may read /metrics besides API keys with the `admin` scope (METRICS_TOKEN). */
  metricsToken?: string;
  /** OpenTelemetry tracing over OTLP/HTTP (tracing.ts); off when absent. */
  tracing?: TracingOptions;
  /** The whole-response cache of queries (http-cache.ts), per caller, in Redis with `redisUrl`; off when absent or false (`npm start` sets RESPONSE_CACHE, default on). */
  responseCache?: boolean | ResponseCacheOptions;
}

/**
 * Appends the non-fatal errors collected during execution (a vendor down in a cross-vendor
 * list), and reports one upstream failure once: errors that are the same (message and
 * extensions) become one error whose `extensions.paths` lists every field it nulled
 * (ten customers whose subscriptions came from one failed call are one error, not ten).
 */
const warningsPlugin: ApolloServerPlugin<GraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        const all = [...(result.errors ?? []), ...contextValue.warnings.map((w) => w.toJSON())];
        if (all.length === 0) return;
        const merged = new Map<string, GraphQLFormattedError & { extensions?: Record<string, unknown> }>();
        for (const error of all) {
          const key = JSON.stringify([error.message, error.extensions ?? null]);
          const first = merged.get(key);
          if (!first) {
            merged.set(key, { ...error });
            continue;
          }
          if (!error.path) continue;
          const paths = (first.extensions?.paths as unknown[] | undefined) ?? (first.path ? [first.path] : []);
          first.extensions = { ...first.extensions, paths: [...paths, error.path] };
        }
        result.errors = [...merged.values()];
      },
    };
  },
};

const KNOWN_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'VENDOR_UNSUPPORTED',
  'VENDOR_NOT_CONFIGURED',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_BAD_REQUEST',
  'UPSTREAM_ERROR',
  'IDEMPOTENCY_KEY_REUSED',
  'QUERY_LIMIT_EXCEEDED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/** Our own errors go out as they are; anything else is an internal error with no detail. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const original = unwrapResolverError(error);
  logger.error({ err: original instanceof Error ? { message: original.message, stack: original.stack } : String(original) }, 'internal error');
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export async function createGraphServer(options: GraphServerOptions): Promise<{ app: FastifyInstance; apollo: ApolloServer<GraphContext> }> {
  // request.id: the client's X-Request-ID when well formed, else a new one (observability.ts).
  const app = Fastify({ logger: false, genReqId: requestIdFrom });
  const sandbox = options.sandbox ?? true;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const auth: AuthOptions = options.auth ?? { mode: 'off', keys: [] };
  const introspection = options.introspection ?? true;
  // Request ids, the access log, /metrics, GraphQL metrics and spans (observability.ts).
  const observe = createObservability({
    auth,
    metricsToken: options.metricsToken,
    tracing: options.tracing,
    principalOf: (request) => principals.get(request),
    circuits: () => [...(options.tenants ? [...options.tenants.values()].flatMap((m) => [...m.values()]) : options.adapters.values())].map((a) => ({ vendor: a.vendor, state: a.circuit() })),
  });
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false }) : undefined;
  if (redis) {
    redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis'));
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  // HTTP caching (http-cache.ts): Cache-Control from the schema's hints, the response cache, APQ.
  const responseCacheOptions = options.responseCache === true ? {} : options.responseCache || undefined;
  const generations = responseCacheOptions ? new WriteGenerations(redis) : undefined;
  const principals = new WeakMap<object, Principal>();
  const responses =
    responseCacheOptions && generations
      ? responseCache({
          ...responseCacheOptions,
          redis,
          generations,
          callerOf: (request) => {
            const principal = principals.get(request);
            const tenant = options.tenants ? principal?.tenant : undefined;
            return principal ? { session: sessionOf(tenant, principal.name), tenant } : undefined;
          },
        })
      : undefined;
  const schema = buildSchema(options.join);
  const apollo = new ApolloServer<GraphContext>({
    // graphql-jit for operations seen again (executor.ts), through Apollo's executor interface.
    ...((options.executor ?? 'graphql-jit') === 'graphql-jit' ? { gateway: jitExecutor(schema) } : { schema }),
    parseOptions: { maxTokens: limits.tokens },
    validationRules: validationRules(limits),
    introspection,
    // main.ts handles SIGINT/SIGTERM (and tests make many servers): no signal listeners per server.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    persistedQueries: persistedQueriesCache(redis),
    logger,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      fastifyApolloDrainPlugin(app),
      scopesPlugin({ introspection }),
      limitsPlugin(limits),
      // Logins start as execution does (prefetch.ts).
      prefetchPlugin,
      warningsPlugin,
      observe.plugin,
      sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
      // After warningsPlugin (its errors make a response no-store). Cache-Control comes from
      // httpCachePlugin's policy of the operation (cache-policy.ts), not Apollo's per-field hooks.
      httpCachePlugin({ generations }),
      ApolloServerPluginCacheControlDisabled(),
      ...(responses ? [responses.plugin] : []),
    ],
  });
  await apollo.start();
  // Idempotency keys: per tenant (its own store, or its own key prefix in Redis).
  const keysFor = (tenant?: string): IdempotencyKeys => (redis ? new RedisIdempotencyStore(redis, `cg:idem:${tenant ?? '-'}:`) : new IdempotencyStore());
  const idempotency = keysFor();
  const tenantStores = new Map([...(options.tenants?.keys() ?? [])].map((t) => [t, keysFor(t)]));
  observe.register(app);
  await app.register(cors, { origin: options.corsOrigins ?? ['https://studio.apollographql.com'], methods: ['GET', 'POST', 'OPTIONS'], exposedHeaders: ['x-request-id'], maxAge: 600 });
  const perMinute = options.rateLimitPerMinute ?? 0;
  if (perMinute > 0) {
    await app.register(rateLimit, {
      max: perMinute,
      timeWindow: 60_000,
      // After authentication (onRequest), so the key is the caller's, not just its address.
      hook: 'preHandler',
      allowList: (request) => !request.url.startsWith('/graphql'),
      keyGenerator: (request) => {
        const principal = principals.get(request);
        return principal && principal.name !== 'anonymous' ? `key:${principal.name}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        errors: [
          {
            message: `Rate limit of ${context.max} requests a minute exceeded: retry after ${Math.ceil(context.ttl / 1000)}s.`,
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil(context.ttl / 1000) },
          },
        ],
      }),
    });
  }
  // After authentication (onRequest) and the rate limit: a hit is answered here, before Apollo.
  responses?.register(app);
  // Responses depend on the caller's key (private caches key on it too); what Apollo did not
  // answer (401, 403, 429) is never cacheable.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/graphql')) return payload;
    const vary = reply.getHeader('vary');
    reply.header('vary', [vary, 'Authorization, X-Api-Key'].filter(Boolean).join(', '));
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    // Encoded once: Fastify would measure the string for Content-Length, then the socket encode it again.
    return typeof payload === 'string' ? Buffer.from(payload) : payload;
  });
  // Authentication comes before Apollo sees the request: no key, no execution.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/graphql')) return;
    // One deadline for everything this request asks of the vendors; a client that goes
    // away cancels it too.
    const { abort, scope } = enterRequestScope(options.deadlineMs ?? 60_000);
    observe.enter(request, scope);
    // `Cache-Control: no-cache` from the client: read the vendors fresh (cache.ts).
    const cacheControl = String(request.headers['cache-control'] ?? '');
    scope.fresh = /no-cache|no-store/i.test(cacheControl);
    scope.noStore = /no-store/i.test(cacheControl);
    // The response closes before it finished only when the connection went away.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) abort('client disconnected');
    });
    const landingPage = request.method === 'GET' && String(request.headers.accept ?? '').includes('text/html');
    if (request.method === 'OPTIONS' || landingPage) return;
    const principal = await authenticate(auth, request.headers);
    // Inline federation traces (ftv1) are for the router with the shared secret only.
    if (!principal?.router) delete request.headers['apollo-federation-include-trace'];
    if (!principal) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .type('application/json')
        .send({ errors: [{ message: 'Authentication required: send an API key as "Authorization: Bearer <key>" or "X-Api-Key".', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    if (options.tenants && !(principal.tenant && options.tenants.has(principal.tenant))) {
      return reply
        .code(403)
        .type('application/json')
        .send({ errors: [{ message: 'This API key belongs to no tenant of this graph.', extensions: { code: 'FORBIDDEN' } }] });
    }
    principals.set(request, principal);
    if (options.tenants) scope.tenant = principal.tenant;
  });
  const contexts = new WeakMap<object, GraphContext>();
  await app.register(fastifyApollo(apollo), {
    context: async (request) => {
      const principal = principals.get(request);
      const tenant = options.tenants && principal?.tenant;
      const context = tenant ? createContext(options.tenants!.get(tenant)!, tenantStores.get(tenant)!, principal, tenant) : createContext(options.adapters, idempotency, principal);
      contexts.set(request, context);
      return context;
    },
  });
  // The response is sent: the request's sessions go (GraphContext.release says why).
  app.addHook('onResponse', async (request) => contexts.get(request)?.release());
  app.get('/healthz', async () => ({
    status: 'ok',
    ...(options.tenants
      ? { tenants: options.tenants.size }
      : { vendors: [...options.adapters.values()].map((a) => ({ vendor: a.vendor, simulated: a.simulated })) }),
  }));
  if (options.pages) await app.register(browserPages, options.pages);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found', graphql: '/graphql', ...(options.pages?.graphiql ? { graphiql: '/graphiql' } : {}), ...(options.pages?.dashboard ? { dashboard: '/dashboard' } : {}) }));
  return { app, apollo };
}

