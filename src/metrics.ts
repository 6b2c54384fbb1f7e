/**
 * Prometheus metrics (prom-client), one Registry per graph server (never prom-client's
 * global one, so several servers in one process — tests — keep their own counts).
 *
 * How a measurement finds its registry: the server puts its Metrics (and, when tracing is
 * on, its tracer and the operation's span) into the request scope (http/deadline.ts), so
 * everything recorded while serving a request — in particular every upstream HTTP attempt
 * recorded by http/client.ts — lands in the registry of the server that serves it. What
 * happens outside any request (a cache eviction on a timer) goes to the most recently
 * created Metrics of the process: in production there is one server per process.
 *
 * Names (all `channelgraph_` but Node's default metrics):
 *   graphql_operations_total{operation,type,outcome}        outcome: ok or the first error's code
 *   graphql_operation_duration_seconds{operation,type}      histogram
 *   http_requests_total{method,route,status}                every HTTP request (401s and 429s too)
 *   upstream_requests_total{vendor,method,route,status}     each attempt sent (retries, 401 re-sends, token requests)
 *   upstream_request_duration_seconds{vendor,method,route}  histogram, per attempt
 *   upstream_errors_total{vendor,method,route,code}         calls that failed (UpstreamError code), circuit fail-fasts included
 *   upstream_token_requests_total{vendor,status}            token requests (logins and refreshes)
 *   upstream_circuit_state{vendor}                          0 closed, 1 half open, 2 open (worst over tenants)
 *   cache_requests_total{vendor,result}                     result: hit or miss (called by the response cache)
 *   cache_evictions_total{vendor}
 *   graphql_response_cache_total{result}                    whole-response cache (http-cache.ts): hit, miss, bypass (Cache-Control: no-cache)
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from './http/client.js';
import { currentScope } from './http/deadline.js';
import type { VendorName } from './model.js';

const PREFIX = 'channelgraph_';
const CIRCUIT_VALUE: Record<CircuitState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };
/** At most this many distinct operation names are labelled; the rest count as `(other)` (names come from clients). */
const MAX_OPERATION_NAMES = 500;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export interface MetricsOptions {
  /** Circuit-breaker states at scrape time, one entry per adapter (several per vendor in multi-tenant mode). */
  circuits?: () => Iterable<{ vendor: VendorName; state: CircuitState }>;
  /** Node's default metrics (process, heap, event loop, GC); on by default. */
  defaultMetrics?: boolean;
}

/** Node's default metrics, collected once per process (their collectors start timers and observers) and shown by every server. */
let processMetrics: Registry | undefined;
function processDefaults(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export class Metrics {
  /** What /metrics shows: this server's metrics, and Node's default ones unless turned off. */
  readonly registry: Registry;
  private readonly own = new Registry();
  private readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly operationSeconds: Histogram<'operation' | 'type'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly upstreamRequests: Counter<'vendor' | 'method' | 'route' | 'status'>;
  private readonly upstreamSeconds: Histogram<'vendor' | 'method' | 'route'>;
  private readonly upstreamErrors: Counter<'vendor' | 'method' | 'route' | 'code'>;
  private readonly tokenRequests: Counter<'vendor' | 'status'>;
  private readonly cacheRequests: Counter<'vendor' | 'result'>;
  private readonly cacheEvictions: Counter<'vendor'>;
  private readonly responseCacheRequests: Counter<'result'>;
  private readonly executions: Counter<'executor'>;
  private readonly names = new Set<string>();

  constructor(options: MetricsOptions = {}) {
    const registers = [this.own];
    this.operations = new Counter({ name: `${PREFIX}graphql_operations_total`, help: 'GraphQL operations by name, type and outcome (ok, or the first error code)', labelNames: ['operation', 'type', 'outcome'], registers });
    this.operationSeconds = new Histogram({
      name: `${PREFIX}graphql_operation_duration_seconds`,
      help: 'GraphQL operation latency, from receipt to response',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.httpRequests = new Counter({ name: `${PREFIX}http_requests_total`, help: 'HTTP requests served, by route and status', labelNames: ['method', 'route', 'status'], registers });
    this.upstreamRequests = new Counter({
      name: `${PREFIX}upstream_requests_total`,
      help: 'HTTP requests sent to vendors (each attempt: retries, 401 re-sends and token requests included), by status (or network, timeout, aborted)',
      labelNames: ['vendor', 'method', 'route', 'status'],
      registers,
    });
    this.upstreamSeconds = new Histogram({
      name: `${PREFIX}upstream_request_duration_seconds`,
      help: 'Latency of one HTTP request to a vendor (one attempt)',
      labelNames: ['vendor', 'method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers,
    });
    this.upstreamErrors = new Counter({ name: `${PREFIX}upstream_errors_total`, help: 'Vendor calls that failed after retries, by error code (circuit-breaker fail-fasts included)', labelNames: ['vendor', 'method', 'route', 'code'], registers });
    this.tokenRequests = new Counter({ name: `${PREFIX}upstream_token_requests_total`, help: 'Token requests (logins and refreshes) sent to vendors, by status', labelNames: ['vendor', 'status'], registers });
    const circuits = options.circuits;
    new Gauge({
      name: `${PREFIX}upstream_circuit_state`,
      help: 'Circuit breaker per vendor: 0 closed, 1 half open, 2 open (the worst of its adapters)',
      labelNames: ['vendor'],
      registers,
      collect() {
        this.reset();
        const worst = new Map<string, number>();
        for (const { vendor, state } of circuits?.() ?? []) worst.set(vendor, Math.max(worst.get(vendor) ?? 0, CIRCUIT_VALUE[state]));
        for (const [vendor, value] of worst) this.set({ vendor }, value);
      },
    });
    this.cacheRequests = new Counter({ name: `${PREFIX}cache_requests_total`, help: 'Response cache lookups by vendor and result (hit, miss)', labelNames: ['vendor', 'result'], registers });
    this.cacheEvictions = new Counter({ name: `${PREFIX}cache_evictions_total`, help: 'Response cache entries evicted, by vendor', labelNames: ['vendor'], registers });
    this.responseCacheRequests = new Counter({ name: `${PREFIX}graphql_response_cache_total`, help: 'Queries looked up in the whole-response cache, by result (hit: answered with no execution; miss; bypass: Cache-Control: no-cache)', labelNames: ['result'], registers });
    this.executions = new Counter({ name: `${PREFIX}graphql_executions_total`, help: 'GraphQL operations executed, by executor (graphql-jit: compiled, the second run of a document on; graphql-js: the first run, traces, refused variables)', labelNames: ['executor'], registers });
    this.registry = options.defaultMetrics === false ? this.own : Registry.merge([processDefaults(), this.own]);
    becomeLatest(this);
  }

  /** The operation label: a GraphQL name seen among the first MAX_OPERATION_NAMES, `(anonymous)`, or `(other)`. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (!GRAPHQL_NAME.test(name)) return '(other)';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return '(other)';
    this.names.add(name);
    return name;
  }

  operation(name: string | null | undefined, type: string | undefined, outcome: string, seconds: number): void {
    const labels = { operation: this.operationLabel(name), type: type ?? 'unknown' };
    this.operations.inc({ ...labels, outcome });
    this.operationSeconds.observe(labels, seconds);
  }

  httpRequest(method: string, route: string, status: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
  }

  upstreamAttempt(vendor: VendorName, method: string, route: string, status: string, seconds: number, tokenRequest: boolean): void {
    this.upstreamRequests.inc({ vendor, method, route, status });
    this.upstreamSeconds.observe({ vendor, method, route }, seconds);
    if (tokenRequest) this.tokenRequests.inc({ vendor, status });
  }

  upstreamError(vendor: VendorName, method: string, route: string, code: string): void {
    this.upstreamErrors.inc({ vendor, method, route, code });
  }

  cache(vendor: string, event: 'hit' | 'miss' | 'eviction', count = 1): void {
    if (event === 'eviction') this.cacheEvictions.inc({ vendor }, count);
    else this.cacheRequests.inc({ vendor, result: event }, count);
  }

  responseCache(result: 'hit' | 'miss' | 'bypass'): void {
    this.responseCacheRequests.inc({ result });
  }

  execution(executor: 'graphql-jit' | 'graphql-js'): void {
    this.executions.inc({ executor });
  }
}

let latest: Metrics | undefined;
function becomeLatest(metrics: Metrics): void {
  latest = metrics;
}

/** The Metrics of the request being served, else the process's most recent one (none before a server exists). */
export function activeMetrics(): Metrics | undefined {
  return currentScope()?.metrics ?? latest;
}

/**
 * Hooks for the response cache: `metrics.cache.hit(vendor)` on a cache hit, `miss` on a
 * miss (before going upstream), `eviction` when entries are dropped (TTL, size, or a write
 * purging them). They record into the serving server's registry (see the module comment).
 */
export const metrics = {
  cache: {
    hit: (vendor: string, count = 1) => activeMetrics()?.cache(vendor, 'hit', count),
    miss: (vendor: string, count = 1) => activeMetrics()?.cache(vendor, 'miss', count),
    eviction: (vendor: string, count = 1) => activeMetrics()?.cache(vendor, 'eviction', count),
  },
  /** The whole-response cache (http-cache.ts), per query looked up. */
  responseCache: (result: 'hit' | 'miss' | 'bypass') => activeMetrics()?.responseCache(result),
  /** A GraphQL operation answered without Apollo (a response-cache hit). */
  operation: (name: string | null, type: string, outcome: string, seconds: number) => activeMetrics()?.operation(name, type, outcome, seconds),
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The route template of a vendor path, for metric labels and span names: no query, no
 * leading slash, and every segment that is an id (digits, a GUID, a long hex or base64url
 * token, or any segment with a digit in it) replaced by `{id}`, so
 * `api/resellers/6f1d…/Organizations/42` becomes `api/resellers/{id}/Organizations/{id}`.
 */
export function routeTemplate(path: string): string {
  const clean = (path.split('?')[0] ?? '').replace(/^\/+|\/+$/g, '');
  return clean
    .split('/')
    .map((segment) => (isIdSegment(segment) ? '{id}' : segment))
    .join('/');
}

function isIdSegment(segment: string): boolean {
  if (segment === '') return false;
  if (/^\d+$/.test(segment) || GUID.test(segment)) return true;
  // Anything else with a digit (MPNs, task ids, encoded values) or not a plain word.
  return /\d/.test(segment) || !/^[A-Za-z_.-]+$/.test(segment);
}
