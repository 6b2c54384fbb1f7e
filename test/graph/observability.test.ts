/**
 * Observability: Prometheus /metrics (counts checked against the simulators' own request
 * counters), the access log and the request id (in the log line, the response and every
 * upstream request), /metrics refused without `admin`, and OpenTelemetry spans received by
 * a local OTLP/HTTP receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { sha256 } from '../../src/auth.js';
import { captureLogs } from '../../src/logger.js';
import { Metrics, metrics as metricHooks, routeTemplate } from '../../src/metrics.js';
import { startSimulators } from '../../src/simulators/index.js';
import { loadConfig } from '../../src/config.js';
import { tracesUrl } from '../../src/tracing.js';
import { startGraph, type Graph } from '../helpers/graph.js';

const KEYS = { admin: 'obs-admin-key-0123456789abcdef', reader: 'obs-reader-key-0123456789abcdef' };
const METRICS_TOKEN = 'scraper-token-0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    out.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return out;
}

const sum = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

const DASHBOARD = `query Dashboard($vendor: Vendor) {
  customers(first: 5, vendor: $vendor) {
    nodes { id name subscriptions(status: ACTIVE) { nodes { name quantity product { name sku } } } }
  }
}`;

// First in the file: a test that calls a graph in-process runs on in the scope of the graph's
// last request (AsyncLocalStorage.enterWith in the server's onRequest hook reaches the
// client side's continuation too), and the fallback to the latest registry is for code
// that runs outside any request.
describe('route templates and the cache hooks', () => {
  it('keeps every literal segment of the routes the simulators serve and collapses their ids', async () => {
    const sims = await startSimulators({ seed: 1, size: 2 });
    try {
      const samples: Record<string, string> = { '{id}': '12345', '{accountId}': '42', '{resellerId}': '6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01' };
      for (const sim of sims.all) {
        for (const { url } of sim.control.routes) {
          const literal = url.replace(/^\/marketplace\/\{region\}/, '');
          const concrete = literal.replace(/\{(\w+)\}/g, (param) => samples[param] ?? (param.toLowerCase().includes('id') ? '0b7a4c55-9a57-4b5f-8f2a-9c016f1d3c1e' : '987654'));
          expect(routeTemplate(concrete), url).toBe(literal.replace(/^\/+/, '').replace(/\{\w+\}/g, '{id}'));
        }
      }
    } finally {
      await sims.close();
    }
  });

  it('reads METRICS_TOKEN and the OTLP endpoint from the configuration, and builds the traces URL', () => {
    const config = loadConfig({ METRICS_TOKEN: METRICS_TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' });
    expect(config.server).toMatchObject({ metricsToken: METRICS_TOKEN, otelEndpoint: 'http://127.0.0.1:4318/', otelServiceName: 'channelgraph' });
    expect(tracesUrl(config.server.otelEndpoint, config.server.otelTracesEndpoint)).toBe('http://127.0.0.1:4318/v1/traces');
    expect(tracesUrl('http://a:4318', 'http://b:4318/custom')).toBe('http://b:4318/custom');
    expect(tracesUrl(undefined, undefined)).toBeUndefined();
    // A bad value is named, a secret one never echoed.
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN: is invalid/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('records cache hits, misses and evictions outside a request into the latest registry', async () => {
    const registry = new Metrics({ defaultMetrics: false });
    metricHooks.cache.hit('LEADERCLOUD');
    metricHooks.cache.hit('LEADERCLOUD', 2);
    metricHooks.cache.miss('INGRAM');
    metricHooks.cache.eviction('INGRAM', 4);
    const samples = parseMetrics(await registry.registry.metrics());
    expect(sum(samples, 'channelgraph_cache_requests_total', { vendor: 'LEADERCLOUD', result: 'hit' })).toBe(3);
    expect(sum(samples, 'channelgraph_cache_requests_total', { vendor: 'INGRAM', result: 'miss' })).toBe(1);
    expect(sum(samples, 'channelgraph_cache_evictions_total', { vendor: 'INGRAM' })).toBe(4);
  });
});

describe('metrics, access log and request id', () => {
  let graph: Graph;
  const admin = { authorization: `Bearer ${KEYS.admin}` };

  beforeAll(async () => {
    graph = await startGraph({
      auth: {
        mode: 'keys',
        keys: [
          { name: 'ops-admin', sha256: sha256(KEYS.admin), scopes: ['read', 'write', 'admin'] },
          { name: 'dashboard', sha256: sha256(KEYS.reader), scopes: ['read'] },
        ],
      },
      metricsToken: METRICS_TOKEN,
    });
  });
  afterAll(async () => {
    await graph?.close();
  });

  const metricsUrl = () => graph.url.replace(/\/graphql$/, '/metrics');
  const scrape = async () => {
    const res = await fetch(metricsUrl(), { headers: admin });
    expect(res.status).toBe(200);
    return parseMetrics(await res.text());
  };

  it('counts every upstream request per vendor exactly as the simulators received them, retries and token requests included', async () => {
    // A retried read: Ingram answers one customers list with a 503 first.
    graph.sims.ingram.control.addFault({ status: 503, method: 'GET', path: '/customers$', times: 1 });
    for (const vendor of ['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']) {
      const res = await graph.query(DASHBOARD, { vendor }, admin);
      expect(res.errors, vendor).toBeUndefined();
    }
    expect((await graph.query('{ vendors { vendor health { ok } } }', {}, admin)).errors).toBeUndefined();
    // The vendor refuses a generic call: an answer (404), counted too.
    expect((await graph.query('{ vendorRequest(vendor: INGRAM, path: "customers/999999999") { status } }', {}, admin)).data?.vendorRequest.status).toBe(404);

    const samples = await scrape();
    for (const sim of graph.sims.all) {
      const vendor = sim.vendor.toUpperCase();
      const stats = sim.control.stats();
      expect(stats.total, vendor).toBeGreaterThan(0);
      expect(sum(samples, 'channelgraph_upstream_requests_total', { vendor }), vendor).toBe(stats.total);
      const tokenCalls = Object.entries(stats.byRoute)
        .filter(([route]) => /token$/i.test(route))
        .reduce((n, [, count]) => n + count, 0);
      expect(tokenCalls, vendor).toBeGreaterThan(0);
      expect(sum(samples, 'channelgraph_upstream_token_requests_total', { vendor }), vendor).toBe(tokenCalls);
      // The latency histogram saw every attempt too.
      expect(sum(samples, 'channelgraph_upstream_request_duration_seconds_count', { vendor }), vendor).toBe(stats.total);
      expect(sum(samples, 'channelgraph_upstream_circuit_state', { vendor }), vendor).toBe(0);
    }
    expect(sum(samples, 'channelgraph_upstream_requests_total', { vendor: 'INGRAM', status: '503', route: 'customers' })).toBe(1);
    expect(sum(samples, 'channelgraph_upstream_requests_total', { vendor: 'INGRAM', status: '404', route: '(generic)' })).toBe(1);
    // Route templates, never raw ids.
    const routes = new Set(samples.filter((s) => s.name === 'channelgraph_upstream_requests_total').map((s) => s.labels.route!));
    expect([...routes].some((r) => r.includes('{id}'))).toBe(true);
    for (const route of routes) expect(route, route).not.toMatch(/(^|\/)\d+(\/|$)|[0-9a-f]{8}-[0-9a-f]{4}-/i);
  });

  it('counts GraphQL operations by name, type and outcome', async () => {
    const before = await scrape();
    await graph.query('query Lookup { vendors { vendor } }', {}, admin);
    await graph.query('query Lookup { vendors { vendor } }', {}, admin);
    expect((await graph.query('query Broken { customer(id: "not-an-id") { id } }', {}, admin)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await graph.query('query { vendors {', {}, admin)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await graph.query('mutation Nope { cancelSubscription(id: "x") { userErrors { code } } }', {}, { authorization: `Bearer ${KEYS.reader}` })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const after = await scrape();
    const delta = (where: Record<string, string>, name = 'channelgraph_graphql_operations_total') => sum(after, name, where) - sum(before, name, where);
    expect(delta({ operation: 'Lookup', type: 'query', outcome: 'ok' })).toBe(2);
    expect(delta({ operation: 'Lookup', type: 'query' }, 'channelgraph_graphql_operation_duration_seconds_count')).toBe(2);
    expect(delta({ operation: 'Broken', type: 'query', outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta({ operation: '(anonymous)', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(delta({ operation: 'Nope', type: 'mutation', outcome: 'FORBIDDEN' })).toBe(1);
    // HTTP requests by route and status: the 401 before GraphQL is counted there.
    await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ vendors { vendor } }"}' });
    const last = await scrape();
    expect(sum(last, 'channelgraph_http_requests_total', { route: '/graphql', status: '401' }) - sum(after, 'channelgraph_http_requests_total', { route: '/graphql', status: '401' })).toBe(1);
    // Node's default metrics are on.
    expect(last.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
  });

  it('writes one access-log line per request, with the request id that the response and every upstream request carry', async () => {
    const lines: string[] = [];
    graph.resetCalls();
    const stop = captureLogs((line) => lines.push(line), 'info');
    let res: Response;
    let unauthorised: Response;
    let malformed: Response;
    try {
      res = await fetch(graph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-0001.test', ...admin },
        body: JSON.stringify({ query: 'query Everyone { customers(first: 3) { nodes { id name } } }' }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      unauthorised = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-0002.test' }, body: '{"query":"{ vendors { vendor } }"}' });
      malformed = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'has spaces\tand tabs', ...admin }, body: '{"query":"{ vendors { vendor } }"}' });
    } finally {
      stop();
    }
    const sent = graph.calls();
    expect(res.headers.get('x-request-id')).toBe('req-0001.test');
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('x-request-id')).toBe('req-0002.test');
    const generated = malformed.headers.get('x-request-id');
    expect(generated).toMatch(UUID);

    const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(access).toHaveLength(3); // one per request
    const [first, second, third] = access;
    expect(first).toMatchObject({ level: 30, requestId: 'req-0001.test', method: 'POST', path: '/graphql', operation: 'Everyone', status: 200, principal: 'ops-admin', upstreamCalls: sent.total });
    expect(first!.ms).toEqual(expect.any(Number));
    expect(second).toMatchObject({ requestId: 'req-0002.test', status: 401, principal: null, upstreamCalls: 0 });
    expect(third).toMatchObject({ requestId: generated, status: 200, principal: 'ops-admin' });

    // Every upstream request of the first one (token requests included) carried its id.
    expect(sent.total).toBeGreaterThan(0);
    for (const sim of graph.sims.all) {
      const received = sim.control.received();
      expect(received.length, sim.vendor).toBe(sim.control.stats().total);
      for (const r of received) expect(r.headers['x-request-id'], `${sim.vendor} ${r.method} ${r.path}`).toBe('req-0001.test');
    }
  });

  it('serves /metrics only to admin keys or METRICS_TOKEN', async () => {
    const none = await fetch(metricsUrl());
    expect(none.status).toBe(401);
    expect(((await none.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    const reader = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${KEYS.reader}` } });
    expect(reader.status).toBe(403);
    expect(((await reader.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    const wrongToken = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrongToken.status).toBe(401);
    const token = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(token.status).toBe(200);
    expect(token.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await token.text()).toContain('channelgraph_upstream_requests_total');
  });
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const attrs = (span: OtlpSpan) => Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));

describe('OpenTelemetry tracing over OTLP/HTTP', () => {
  let receiver: FastifyInstance;
  const bodies: Array<{ contentType: string; body: unknown }> = [];

  beforeAll(async () => {
    receiver = Fastify();
    receiver.post('/v1/traces', async (request) => {
      bodies.push({ contentType: String(request.headers['content-type']), body: request.body });
      return {};
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('exports one span per operation and a child span per upstream request, and /metrics stays off the rate limit', async () => {
    const address = receiver.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const graph = await startGraph({ tracing: { url: `http://127.0.0.1:${port}/v1/traces`, serviceName: 'cg-test' }, rateLimitPerMinute: 3 });
    let sent: ReturnType<Graph['calls']>;
    try {
      const res = await graph.query(
        'query Traced { lc: customers(vendor: LEADERCLOUD, first: 2) { nodes { id } } cm: customers(vendor: CLOUDMORE, first: 2) { nodes { id } } im: customers(vendor: INGRAM, first: 2) { nodes { id } } }',
        {},
        { 'x-request-id': 'trace-me-1' },
      );
      expect(res.errors).toBeUndefined();
      sent = graph.calls();
      // Auth is off: /metrics is open, and never rate limited (3 a minute here).
      for (let i = 0; i < 5; i++) expect((await fetch(graph.url.replace(/\/graphql$/, '/metrics'))).status).toBe(200);
    } finally {
      await graph.close(); // flushes the spans
    }
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b.contentType).toMatch(/^application\/json/);
    const resourceSpans = bodies.flatMap((b) => (b.body as { resourceSpans: Array<{ resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans);
    expect(resourceSpans.map((r) => attrs({ attributes: r.resource.attributes } as OtlpSpan)['service.name'])).toContain('cg-test');
    const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const operation = spans.find((s) => s.name === 'query Traced');
    expect(operation, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(operation!.kind).toBe(2); // SERVER
    expect(attrs(operation!)).toMatchObject({ 'graphql.operation.name': 'Traced', 'graphql.operation.type': 'query', 'channelgraph.request_id': 'trace-me-1', 'channelgraph.outcome': 'ok' });
    const children = spans.filter((s) => s.parentSpanId === operation!.spanId);
    expect(children.length).toBe(sent.total);
    const vendors = new Set<unknown>();
    for (const child of children) {
      const a = attrs(child);
      expect(child.traceId).toBe(operation!.traceId);
      expect(child.kind).toBe(3); // CLIENT
      expect(a.vendor).toMatch(/^(LEADERCLOUD|CLOUDMORE|INGRAM)$/);
      expect(a['http.request.method']).toMatch(/^(GET|POST)$/);
      expect(child.name).toBe(`${String(a['http.request.method'])} ${String(a['url.template'])}`);
      expect(Number(a['http.response.status_code'])).toBe(200);
      vendors.add(a.vendor);
    }
    expect([...vendors].sort()).toEqual(['CLOUDMORE', 'INGRAM', 'LEADERCLOUD']);
    expect(children.some((c) => attrs(c)['channelgraph.token_request'] === true)).toBe(true);
  });

  it('gives a query answered by the response cache its span too, marked as a hit, with no upstream child', async () => {
    const address = receiver.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const graph = await startGraph({ tracing: { url: `http://127.0.0.1:${port}/v1/traces`, serviceName: 'cg-test' }, responseCache: true });
    const ask = (requestId: string) =>
      fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify({ query: 'query CachedTrace { products(vendor: LEADERCLOUD, first: 2) { nodes { id } } }' }) });
    try {
      const first = await ask('cache-miss-1');
      expect(first.headers.get('age')).toBeNull();
      const second = await ask('cache-hit-1');
      expect(second.headers.get('age')).not.toBeNull(); // answered from the response cache
      expect(await second.json()).toEqual(await first.json());
    } finally {
      await graph.close(); // flushes the spans
    }
    const spans = bodies
      .flatMap((b) => (b.body as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans)
      .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const operations = spans.filter((s) => s.name === 'query CachedTrace');
    const miss = operations.find((s) => attrs(s)['channelgraph.request_id'] === 'cache-miss-1');
    const hit = operations.find((s) => attrs(s)['channelgraph.request_id'] === 'cache-hit-1');
    expect(miss && hit, operations.map((s) => JSON.stringify(attrs(s))).join('; ')).toBeTruthy();
    expect(attrs(hit!)).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'CachedTrace', 'channelgraph.outcome': 'ok', 'channelgraph.response_cache': 'hit' });
    expect(hit!.kind).toBe(2); // SERVER
    expect(attrs(miss!)['channelgraph.response_cache']).toBeUndefined();
    expect(spans.filter((s) => s.parentSpanId === miss!.spanId).length).toBeGreaterThan(0);
    expect(spans.filter((s) => s.parentSpanId === hit!.spanId)).toEqual([]);
  });
});
