/**
 * HTTP caching (src/http-cache.ts): Cache-Control headers from the schema's @cacheControl
 * hints, the whole-response cache (per caller, fresh after any mutation, bypassed by
 * `Cache-Control: no-cache`), automatic persisted queries and GET queries; with auth on.
 * Cost is counted by the simulators; a response-cache hit shows as an `age` header and in
 * `channelgraph_graphql_response_cache_total`.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/auth.js';
import { simulatorVendorConfig } from '../../src/demo.js';
import { toGlobalId } from '../../src/ids.js';
import { createGraphServer } from '../../src/server.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { startGraph, suiteProfile, type Graph } from '../helpers/graph.js';
import { redisServerAvailable, startRedis } from '../helpers/redis.js';

const KEYS = { reader: 'reader-key-0123456789', other: 'other-reader-0123456789', writer: 'writer-key-0123456789', admin: 'admin-key-0123456789' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
  body: any;
}

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function get(url: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const res = await fetch(`${url}?${search}`, { headers: { accept: 'application/json', ...headers } });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const CUSTOMERS = '{ customers(first: 3) { totalCount nodes { id name } } }';
const PRODUCTS = '{ products(first: 3) { nodes { id name sku prices { price { amount currency } } } } }';
const SUBSCRIPTIONS = '{ subscriptions(first: 3) { nodes { id quantity autoRenew price { amount } } } }';
const DASHBOARD = '{ customers(first: 3) { nodes { name subscriptions(status: ACTIVE) { nodes { name quantity product { name } } } } } }';

describe('HTTP caching', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({
      vendors: ['leadercloud'],
      seed: 5,
      size: 10,
      responseCache: true,
      auth: {
        mode: 'keys',
        keys: [
          { name: 'reader', sha256: sha256(KEYS.reader), scopes: ['read'] },
          { name: 'other', sha256: sha256(KEYS.other), scopes: ['read'] },
          { name: 'writer', sha256: sha256(KEYS.writer), scopes: ['read', 'write'] },
          { name: 'admin', sha256: sha256(KEYS.admin), scopes: ['read', 'write', 'admin'] },
        ],
      },
    });
  });
  afterAll(() => graph.close());

  const ask = (query: string, key = KEYS.reader, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) => post(graph.url, { query, variables }, { ...bearer(key), ...headers });
  const hits = async () => {
    const text = await (await fetch(graph.url.replace(/\/graphql$/, '/metrics'), { headers: bearer(KEYS.admin) })).text();
    return Number(/^channelgraph_graphql_response_cache_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };
  /** Each test uses a query text of its own (the response cache keys on the text), so entries of other tests do not interfere. */
  let n = 0;
  const fresh = (query: string) => `# ${++n}\n${query}`;

  it('sets Cache-Control per type: catalogue long, accounts medium, subscriptions short, all private', async () => {
    const cases: Array<[string, string]> = [
      [PRODUCTS, 'max-age=600, private'],
      [CUSTOMERS, 'max-age=300, private'],
      [SUBSCRIPTIONS, 'max-age=30, private'],
      // The shortest hint of the response wins.
      [DASHBOARD, 'max-age=30, private'],
    ];
    for (const [query, expected] of cases) {
      const res = await ask(fresh(query), KEYS.reader, { 'cache-control': 'no-store' });
      expect(res.body.errors).toBeUndefined();
      expect(res.headers.get('cache-control'), query).toBe(expected);
      expect(res.headers.get('vary')).toMatch(/Authorization/);
    }
  });

  it('gives node and nodes the hint of the type they resolve to', async () => {
    const { body } = await ask('{ customers(first: 1) { nodes { id } } products(first: 1) { nodes { id } } }');
    const customer = body.data.customers.nodes[0].id as string;
    const product = body.data.products.nodes[0].id as string;
    const one = await ask(fresh('query($id: ID!) { node(id: $id) { id ... on Customer { name } } }'), KEYS.reader, {}, { id: customer });
    expect(one.headers.get('cache-control')).toBe('max-age=300, private');
    const productOnly = await ask(fresh('query($id: ID!) { node(id: $id) { id } }'), KEYS.reader, {}, { id: product });
    expect(productOnly.headers.get('cache-control')).toBe('max-age=600, private');
    const both = await ask(fresh('query($ids: [ID!]!) { nodes(ids: $ids) { id } }'), KEYS.reader, {}, { ids: [customer, product] });
    expect(both.headers.get('cache-control')).toBe('max-age=300, private');
    // Aliased, and by literal ids; what a node's fragment selects counts too (a customer's subscriptions: 30 s).
    const aliased = await ask(fresh(`{ p: node(id: "${product}") { id } c: node(id: "${customer}") { ... on Customer { subscriptions(first: 1) { nodes { id } } } } }`));
    expect(aliased.body.errors).toBeUndefined();
    expect(aliased.headers.get('cache-control')).toBe('max-age=30, private');
    // Only the entities found decide: none found is not cacheable (as Apollo gives a composite field that resolved to null).
    const missing = toGlobalId('LEADERCLOUD', 'Product', '00000000-0000-4000-8000-000000000000');
    const none = await ask(fresh('query($id: ID!) { node(id: $id) { id } }'), KEYS.reader, {}, { id: missing });
    expect(none.body.errors, JSON.stringify(none.body.errors)).toBeUndefined();
    expect(none.body.data.node).toBeNull();
    expect(none.headers.get('cache-control')).toBe('no-store');
    const some = await ask(fresh('query($ids: [ID!]!) { nodes(ids: $ids) { id } }'), KEYS.reader, {}, { ids: [missing, product] });
    expect(some.body.errors, JSON.stringify(some.body.errors)).toBeUndefined();
    expect(some.body.data.nodes[0]).toBeNull();
    expect(some.headers.get('cache-control')).toBe('max-age=600, private');
  });

  it('never caches what is polled, mutations, federation fields or errors', async () => {
    const polled = await ask('{ vendors { vendor health { ok } } }');
    expect(polled.body.errors).toBeUndefined();
    expect(polled.headers.get('cache-control')).toBe('no-store');
    const mutation = await ask('mutation { setSubscriptionAutoRenewal(id: "x", enabled: true) { userErrors { code } } }', KEYS.writer);
    expect(mutation.body.data.setSubscriptionAutoRenewal.userErrors[0].code).toBe('BAD_USER_INPUT');
    expect(mutation.headers.get('cache-control')).toBe('no-store');
    const service = await ask('{ _service { sdl } }');
    expect(service.body.errors).toBeUndefined();
    expect(service.headers.get('cache-control')).toBe('no-store');
    const { body } = await ask('{ customers(first: 1) { nodes { id } } }');
    const entities = await ask('query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name } } }', KEYS.reader, {}, { r: [{ __typename: 'Customer', id: body.data.customers.nodes[0].id }] });
    expect(entities.body.errors).toBeUndefined();
    expect(entities.headers.get('cache-control')).toBe('no-store');
    // An error, alone or next to data: no-store, and not kept by the response cache.
    const bad = await ask('{ customer(id: "nope") { name } }');
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.headers.get('cache-control')).toBe('no-store');
    const partial = fresh('{ customers(first: 2) { nodes { name } } customer(id: "nope") { name } }');
    const first = await ask(partial);
    expect(first.body.data.customers.nodes).toHaveLength(2);
    expect(first.body.errors).toHaveLength(1);
    expect(first.headers.get('cache-control')).toBe('no-store');
    graph.resetCalls();
    const again = await ask(partial);
    expect(again.headers.get('age')).toBeNull();
    expect(graph.calls().total).toBeGreaterThan(0);
    // Refused before Apollo (no key): not cacheable either.
    const anonymous = await post(graph.url, { query: CUSTOMERS });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a repeated query from the response cache: no upstream call, no execution', async () => {
    const query = fresh(DASHBOARD);
    graph.resetCalls();
    const first = await ask(query);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('age')).toBeNull();
    expect(graph.calls().total).toBeGreaterThan(0);
    const before = await hits();
    graph.resetCalls();
    const second = await ask(query);
    expect(graph.calls().total).toBe(0);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    expect(second.headers.get('cache-control')).toBe('max-age=30, private');
    expect(second.headers.get('vary')).toContain('Authorization, X-Api-Key');
    expect((await hits()) - before).toBe(1);
    // The same bytes as the answer it keeps.
    const raw = async () => (await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(KEYS.reader) }, body: JSON.stringify({ query, variables: {} }) })).text();
    expect(await raw()).toBe(JSON.stringify(first.body) + '\n');
  });

  it('counts a hit as the query it answers, by its name', async () => {
    const metric = async () => {
      const text = await (await fetch(graph.url.replace(/\/graphql$/, '/metrics'), { headers: bearer(KEYS.admin) })).text();
      return Number(/^channelgraph_graphql_operations_total\{operation="CachedDash",type="query",outcome="ok"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const query = fresh(`query CachedDash ${DASHBOARD}`);
    expect((await ask(query)).headers.get('age')).toBeNull();
    expect(await metric()).toBe(1);
    expect((await ask(query)).headers.get('age')).not.toBeNull();
    expect(await metric()).toBe(2);
  });

  it('never shares a cached response between two API keys', async () => {
    const query = fresh(CUSTOMERS);
    await ask(query, KEYS.reader);
    graph.resetCalls();
    const other = await ask(query, KEYS.other);
    expect(other.headers.get('age')).toBeNull();
    expect(graph.calls().total).toBeGreaterThan(0);
    graph.resetCalls();
    // Each key now has its own entry.
    expect((await ask(query, KEYS.reader)).headers.get('age')).not.toBeNull();
    expect((await ask(query, KEYS.other)).headers.get('age')).not.toBeNull();
    expect(graph.calls().total).toBe(0);
  });

  it('answers the next query fresh after any mutation on the same credentials, whoever sent it', async () => {
    const query = fresh(SUBSCRIPTIONS);
    const before = await ask(query);
    const subscription = before.body.data.subscriptions.nodes[0] as { id: string; autoRenew: boolean };
    expect((await ask(query)).headers.get('age')).not.toBeNull();
    const changed = await ask('mutation($id: ID!, $on: Boolean!) { setSubscriptionAutoRenewal(id: $id, enabled: $on) { subscription { autoRenew } userErrors { code message } } }', KEYS.writer, {}, { id: subscription.id, on: !subscription.autoRenew });
    expect(changed.body.data.setSubscriptionAutoRenewal.userErrors).toEqual([]);
    graph.resetCalls();
    const after = await ask(query);
    expect(after.headers.get('age')).toBeNull();
    expect(graph.calls().total).toBeGreaterThan(0);
    expect(after.body.data.subscriptions.nodes[0]).toMatchObject({ id: subscription.id, autoRenew: !subscription.autoRenew });
  });

  it('bypasses the response cache for Cache-Control: no-cache', async () => {
    const query = fresh(CUSTOMERS);
    await ask(query);
    graph.resetCalls();
    const bypassed = await ask(query, KEYS.reader, { 'cache-control': 'no-cache' });
    expect(bypassed.headers.get('age')).toBeNull();
    expect(graph.calls().total).toBeGreaterThan(0);
  });

  it('serves automatic persisted queries: hash only → PERSISTED_QUERY_NOT_FOUND, register, then hash only, over POST and GET', async () => {
    const query = fresh(CUSTOMERS);
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const unknown = await post(graph.url, { extensions: { persistedQuery } }, bearer(KEYS.reader));
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    // Without a key, neither a lookup nor a registration.
    expect((await post(graph.url, { query, extensions: { persistedQuery } })).status).toBe(401);
    const registered = await post(graph.url, { query, extensions: { persistedQuery } }, bearer(KEYS.reader));
    expect(registered.body.errors).toBeUndefined();
    const byHash = await post(graph.url, { extensions: { persistedQuery } }, bearer(KEYS.reader));
    expect(byHash.body).toEqual(registered.body);
    const overGet = await get(graph.url, { extensions: { persistedQuery } }, { ...bearer(KEYS.other), 'apollo-require-preflight': 'true' });
    expect(overGet.status).toBe(200);
    expect(overGet.body.data).toEqual(registered.body.data);
    // A hash that does not match the query is refused.
    const mismatch = await post(graph.url, { query: CUSTOMERS, extensions: { persistedQuery } }, bearer(KEYS.reader));
    expect(mismatch.status).toBe(400);
  });

  it('answers GET queries (with a preflight header, as CSRF prevention requires) and refuses GET mutations', async () => {
    const query = fresh(PRODUCTS);
    const res = await get(graph.url, { query }, { ...bearer(KEYS.reader), 'apollo-require-preflight': 'true' });
    expect(res.status).toBe(200);
    expect(res.body.data.products.nodes.length).toBeGreaterThan(0);
    expect(res.headers.get('cache-control')).toBe('max-age=600, private');
    // Variables and the operation name go in the query string too.
    const named = await get(graph.url, { query: 'query P($n: Int!) { products(first: $n) { nodes { id } } }', variables: { n: 1 }, operationName: 'P' }, { ...bearer(KEYS.reader), 'x-apollo-operation-name': 'P' });
    expect(named.body.data.products.nodes).toHaveLength(1);
    // Asked again: answered from the response cache.
    const again = await get(graph.url, { query }, { ...bearer(KEYS.reader), 'apollo-require-preflight': 'true' });
    expect(again.headers.get('age')).toMatch(/^\d+$/);
    expect(again.body).toEqual(res.body);
    // No preflight header: refused by CSRF prevention, nothing executed, and not answered
    // from the cache either, even for a query whose answer it holds.
    graph.resetCalls();
    const simple = await get(graph.url, { query: fresh(PRODUCTS) }, bearer(KEYS.reader));
    expect(simple.status).toBe(400);
    expect(graph.calls().total).toBe(0);
    const cachedButSimple = await get(graph.url, { query }, bearer(KEYS.reader));
    expect(cachedButSimple.status).toBe(400);
    expect(cachedButSimple.headers.get('age')).toBeNull();
    const mutation = await get(graph.url, { query: 'mutation { setSubscriptionAutoRenewal(id: "x", enabled: true) { userErrors { code } } }' }, { ...bearer(KEYS.writer), 'apollo-require-preflight': 'true' });
    expect(mutation.status).toBe(405);
    expect(mutation.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(mutation.headers.get('cache-control')).toBe('no-store');
    expect(graph.calls().total).toBe(0);
  });
});

describe('HTTP caching under type and root-field prefixes', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 5, size: 4, join: { typePrefix: 'Channel', rootFieldPrefix: 'channel' } });
  });
  afterAll(() => graph.close());

  it('keeps the hints of the renamed types, node included', async () => {
    const list = await post(graph.url, { query: '{ channelCustomers(first: 1) { nodes { id } } }' });
    expect(list.headers.get('cache-control')).toBe('max-age=300, private');
    const one = await post(graph.url, { query: 'query($id: ID!) { channelNode(id: $id) { id } }', variables: { id: list.body.data.channelCustomers.nodes[0].id } });
    expect(one.body.errors).toBeUndefined();
    expect(one.headers.get('cache-control')).toBe('max-age=300, private');
  });
});

const redisAvailable = redisServerAvailable();
if (!redisAvailable && process.env.CI) throw new Error('redis-server is not installed: .ci/run installs it (apt-get install -y redis-server)');

describe.skipIf(!redisAvailable)('the response cache and persisted queries in Redis, across instances', () => {
  let sims: RunningSimulators;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const urls: string[] = [];
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sims = await startSimulators({ seed: 11, size: 8, vendors: ['leadercloud'], profile: suiteProfile() });
    for (let i = 0; i < 2; i++) {
      const { app } = await createGraphServer({ adapters: buildAdapters(simulatorVendorConfig(sims, 5_000), { simulated: true }), sandbox: false, redisUrl: redis.url, responseCache: true });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      apps.push(app);
      urls.push(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sims?.close();
    await redis?.stop();
  });
  const upstream = () => sims.leadercloud!.control.stats().total;

  it('shares entries, and a mutation on one instance makes the next query on the other fresh', async () => {
    const first = await post(urls[0]!, { query: SUBSCRIPTIONS });
    expect(first.body.errors).toBeUndefined();
    let before = upstream();
    const shared = await post(urls[1]!, { query: SUBSCRIPTIONS });
    expect(shared.headers.get('age')).not.toBeNull();
    expect(upstream() - before).toBe(0);
    const subscription = first.body.data.subscriptions.nodes[0] as { id: string; autoRenew: boolean };
    const changed = await post(urls[1]!, { query: 'mutation($id: ID!, $on: Boolean!) { setSubscriptionAutoRenewal(id: $id, enabled: $on) { userErrors { code } } }', variables: { id: subscription.id, on: !subscription.autoRenew } });
    expect(changed.body.data.setSubscriptionAutoRenewal.userErrors).toEqual([]);
    before = upstream();
    const after = await post(urls[0]!, { query: SUBSCRIPTIONS });
    expect(after.headers.get('age')).toBeNull();
    expect(upstream() - before).toBeGreaterThan(0);
    expect(after.body.data.subscriptions.nodes[0].autoRenew).toBe(!subscription.autoRenew);
  });

  it('registers a persisted query on one instance and serves it by hash on the other', async () => {
    const query = '{ customers(first: 2) { nodes { id } } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    expect((await post(urls[0]!, { query, extensions: { persistedQuery } })).body.errors).toBeUndefined();
    const byHash = await post(urls[1]!, { extensions: { persistedQuery } });
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data.customers.nodes).toHaveLength(2);
  });
});
