/**
 * The server's observability (wired in by server.ts): the request id, one access-log line
 * per request, Prometheus `/metrics` (metrics.ts), and the GraphQL side of metrics and
 * tracing (an Apollo plugin). Upstream calls are recorded by the HTTP client
 * (http/observe.ts) into the registry it finds in the request scope.
 *
 * Request id: an incoming `X-Request-ID` is kept when well formed (1-128 of letters,
 * digits and `._:@/+=-`, starting with a letter or digit), otherwise one is generated (a
 * UUID); it is Fastify's `request.id`, answered as `X-Request-ID`, put into the request
 * scope, written on every log line of the request (logger.ts' mixin) and sent upstream
 * with every vendor call.
 */
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { authenticate, type AuthOptions, type Principal } from './auth.js';
import type { GraphContext } from './context.js';
import type { CircuitState } from './http/client.js';
import { currentScope, type RequestScope } from './http/deadline.js';
import { logger } from './logger.js';
import { Metrics } from './metrics.js';
import type { VendorName } from './model.js';
import { createTracing, type TracingOptions } from './tracing.js';

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/** Fastify's `genReqId`: the client's X-Request-ID when well formed, else a new UUID. */
export function requestIdFrom(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

export interface ObservabilityOptions {
  auth: AuthOptions;
  /** Circuit-breaker states, one per adapter (read at scrape time). */
  circuits: () => Iterable<{ vendor: VendorName; state: CircuitState }>;
  /** Who made a request (after authentication), for the access log. */
  principalOf: (request: FastifyRequest) => Principal | undefined;
  /** A bearer token that may read /metrics besides keys with the `admin` scope (a Prometheus scraper's). */
  metricsToken?: string;
  /** OpenTelemetry tracing (tracing.ts); off when absent. */
  tracing?: TracingOptions;
}

const sameToken = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** Paths whose access-log line is at `debug` (health probes poll them every few seconds). */
const QUIET_PATHS = new Set(['/healthz']);

export function createObservability(options: ObservabilityOptions) {
  const metrics = new Metrics({ circuits: options.circuits });
  const tracing = options.tracing ? createTracing(options.tracing) : undefined;
  const scopes = new WeakMap<FastifyRequest, RequestScope>();

  /** Who may read /metrics: anyone when auth is off; else METRICS_TOKEN or a key with `admin`. */
  async function refuseMetrics(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (options.auth.mode === 'off') return undefined;
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    if (options.metricsToken && bearer && sameToken(bearer, options.metricsToken)) return undefined;
    const principal = await authenticate(options.auth, request.headers);
    if (!principal) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .type('application/json')
        .send({ errors: [{ message: 'Authentication required: /metrics needs an API key with the "admin" scope, or METRICS_TOKEN.', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    if (!principal.scopes.has('admin')) {
      return reply
        .code(403)
        .type('application/json')
        .send({ errors: [{ message: 'This API key lacks the "admin" scope needed for /metrics.', extensions: { code: 'FORBIDDEN', scope: 'admin' } }] });
    }
    return undefined;
  }

  /** GraphQL operations: counted by name, type and outcome, timed, and one span each when tracing is on (`operationSpan`). */
  const plugin: ApolloServerPlugin<GraphContext> = {
    async requestDidStart({ request }) {
      const scope = currentScope();
      const started = performance.now();
      let name: string | null = request.operationName && /^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(request.operationName) ? request.operationName : null;
      let type: string | undefined;
      if (scope) scope.operationName = name;
      const span = operationSpan(tracing?.tracer, scope?.requestId);
      if (scope && span) scope.span = span;
      return {
        async didResolveOperation({ operationName, operation }) {
          name = operationName ?? null;
          type = operation?.operation;
          if (scope) scope.operationName = name;
          span?.updateName(`${type ?? 'graphql'}${name ? ` ${name}` : ''}`);
          span?.setAttributes({ ...(type ? { 'graphql.operation.type': type } : {}), ...(name ? { 'graphql.operation.name': name } : {}) });
        },
        async willSendResponse({ response, contextValue }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = [...errors, ...(contextValue?.warnings ?? [])].map((e) => e.extensions?.code);
          const outcome = codes.length === 0 ? 'ok' : (codes.find((c): c is string => typeof c === 'string') ?? 'INTERNAL_SERVER_ERROR');
          metrics.operation(name, type, outcome, (performance.now() - started) / 1000);
          if (span) {
            span.setAttribute('channelgraph.outcome', outcome);
            if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
            span.end();
          }
        },
      };
    },
  };

  return {
    metrics,
    plugin,
    /** Fills the request scope server.ts opened for a GraphQL request (request id, registry, tracer). */
    enter(request: FastifyRequest, scope: RequestScope): void {
      scope.requestId = request.id;
      scope.metrics = metrics;
      if (tracing) scope.tracer = tracing.tracer;
      scopes.set(request, scope);
    },
    /** The request id header, the access log, /metrics; first of the server's hooks, so even a 401 carries the id. */
    register(app: FastifyInstance): void {
      app.addHook('onRequest', async (request, reply) => {
        void reply.header('x-request-id', request.id);
      });
      app.addHook('onResponse', async (request, reply) => {
        const scope = scopes.get(request);
        const principal = options.principalOf(request);
        const path = (request.url.split('?')[0] ?? '/').slice(0, 200);
        metrics.httpRequest(request.method, request.routeOptions.url ?? '(unmatched)', reply.statusCode);
        const line = {
          requestId: request.id,
          method: request.method,
          path,
          ...(scope?.operationName ? { operation: scope.operationName } : {}),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
          principal: principal?.name ?? null,
          ...(principal?.tenant ? { tenant: principal.tenant } : {}),
          upstreamCalls: scope?.upstreamCalls ?? 0,
        };
        if (QUIET_PATHS.has(path)) logger.debug(line, 'request');
        else logger.info(line, 'request');
      });
      app.get('/metrics', async (request, reply) => {
        const refused = await refuseMetrics(request, reply);
        if (refused) return refused;
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      });
      app.addHook('onClose', async () => {
        await tracing?.close();
      });
    },
  };
}

export type Observability = ReturnType<typeof createObservability>;

/**
 * The span of one GraphQL operation (SERVER), when tracing is on: Apollo's
 * operations get theirs from the plugin above, named once the operation is known; a
 * response-cache hit (http-cache.ts), which never reaches Apollo, gets one already named.
 */
export function operationSpan(tracer: Tracer | undefined, requestId: string | undefined, known?: { type: string; name: string | null; attributes?: Record<string, string> }): Span | undefined {
  if (!tracer) return undefined;
  const attributes = {
    ...(requestId ? { 'channelgraph.request_id': requestId } : {}),
    ...(known ? { 'graphql.operation.type': known.type, ...(known.name ? { 'graphql.operation.name': known.name } : {}), ...known.attributes } : {}),
  };
  const spanName = known ? `${known.type}${known.name ? ` ${known.name}` : ''}` : 'graphql.operation';
  return tracer.startSpan(spanName, { kind: SpanKind.SERVER, attributes });
}
