/**
 * The cross-request cache of vendor reads: a repeated query costs no upstream call, a write
 * makes the next read fresh (also on another instance sharing Redis), `Cache-Control:
 * no-cache` reads fresh, polled resources are never cached, and two credential sets never
 * share an entry.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ResponseCache, ttlOf, DEFAULT_TTLS } from '../../src/cache.js';
import { startGraph, type Graph } from '../helpers/graph.js';
import { redisServerAvailable, startRedis } from '../helpers/redis.js';

const DASHBOARD = '{ customers(vendor: LEADERCLOUD, first: 20) { nodes { name subscriptions { nodes { name quantity autoRenew product { name } } } } } }';
const FIRST_SUBSCRIPTION = '{ subscriptions(vendor: LEADERCLOUD, first: 1, filter: { status: ACTIVE }) { nodes { id autoRenew } } }';
const TOGGLE = 'mutation($id: ID!, $on: Boolean!) { setSubscriptionAutoRenewal(id: $id, enabled: $on) { subscription { autoRenew } userErrors { code } } }';

describe('response cache (memory)', () => {
  let graph: Graph;
  let cache: ResponseCache;
  beforeAll(async () => {
    cache = new ResponseCache();
    graph = await startGraph({ vendors: ['leadercloud'], seed: 21, size: 30, cache });
  });
  afterAll(() => graph.close());

  it('answers a repeated query with no upstream call, and the same data', async () => {
    const first = await graph.query(DASHBOARD);
    expect(first.errors).toBeUndefined();
    graph.resetCalls();
    const again = await graph.query(DASHBOARD);
    expect(again.data).toEqual(first.data);
    expect(graph.calls().total).toBe(0);
    expect(cache.stats.hits).toBeGreaterThan(0);
  });

  it('counts hits and misses in /metrics', async () => {
    await graph.query(DASHBOARD);
    await graph.query(DASHBOARD);
    const text = await (await fetch(graph.url.replace('/graphql', '/metrics'))).text();
    const count = (result: string) => Number(new RegExp(`channelgraph_cache_requests_total\\{vendor="LEADERCLOUD",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('hit')).toBeGreaterThan(0);
    expect(count('miss')).toBeGreaterThan(0);
  });

  it('reads fresh after a write, and the change shows', async () => {
    const sub = (await graph.query(FIRST_SUBSCRIPTION)).data.subscriptions.nodes[0] as { id: string; autoRenew: boolean };
    await graph.query(FIRST_SUBSCRIPTION); // cached now
    const toggled = await graph.query(TOGGLE, { id: sub.id, on: !sub.autoRenew });
    expect(toggled.data.setSubscriptionAutoRenewal.userErrors).toEqual([]);
    graph.resetCalls();
    const after = (await graph.query(FIRST_SUBSCRIPTION)).data.subscriptions.nodes[0];
    expect(graph.calls().total).toBeGreaterThan(0);
    expect(after.autoRenew).toBe(!sub.autoRenew);
  });

  it('reads fresh when the client sends Cache-Control: no-cache', async () => {
    await graph.query(DASHBOARD);
    graph.resetCalls();
    await graph.query(DASHBOARD, {}, { 'cache-control': 'no-cache' });
    expect(graph.calls().total).toBeGreaterThan(0);
  });

  it('neither reads nor stores what a request with Cache-Control: no-store reads', async () => {
    const fresh = await startGraph({ vendors: ['leadercloud'], seed: 23, size: 10, cache: new ResponseCache() });
    try {
      await fresh.query(DASHBOARD, {}, { 'cache-control': 'no-store' }); // the token, refused shortcuts
      fresh.resetCalls();
      await fresh.query(DASHBOARD, {}, { 'cache-control': 'no-store' });
      const sent = fresh.calls().total;
      expect(sent).toBeGreaterThan(0);
      fresh.resetCalls();
      await fresh.query(DASHBOARD);
      expect(fresh.calls().total).toBe(sent); // nothing was stored: the same calls again
      fresh.resetCalls();
      await fresh.query(DASHBOARD);
      expect(fresh.calls().total).toBe(0); // this time it was
    } finally {
      await fresh.close();
    }
  });

  it('keeps entries parsed and frozen in memory: every reader shares one object, which nobody can change', async () => {
    const memory = new ResponseCache();
    let loads = 0;
    const load = async () => ({ rows: [{ id: 1, name: 'a' }], loads: ++loads });
    const mode = { fresh: false, store: true };
    const first = await memory.read('LEADERCLOUD:x', undefined, 'api/accounts', '', mode, load);
    const second = await memory.read('LEADERCLOUD:x', undefined, 'api/accounts', '', mode, load);
    const third = await memory.read('LEADERCLOUD:x', undefined, 'api/accounts', '', mode, load);
    expect(first).toEqual(second);
    expect(third).toBe(second);
    expect(loads).toBe(1);
    expect(Object.isFrozen(second) && Object.isFrozen(second.rows[0])).toBe(true);
    expect(() => ((second.rows[0] as { name: string }).name = 'changed')).toThrow(TypeError);
  });

  it('stale-while-revalidate: past its TTL an entry still answers, even with the vendor down, while a background read replaces it', async () => {
    const TTL = 1_000;
    const swr = new ResponseCache({ ttls: { catalogueMs: TTL, accountsMs: TTL, activityMs: TTL }, staleMs: 60_000 });
    const g = await startGraph({ vendors: ['leadercloud'], seed: 24, size: 10, cache: swr });
    const lc = g.sims.leadercloud.control;
    const refreshed = async () => {
      for (let i = 0; i < 1_000 && swr.refreshes > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(swr.refreshes).toBe(0);
    };
    try {
      const first = await g.query(DASHBOARD);
      expect(first.errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, TTL + 100)); // every entry is past its TTL now
      lc.addFault({ status: 503 });
      const stale = await g.query(DASHBOARD);
      expect(stale.errors).toBeUndefined(); // answered from the stale entries while the vendor is down
      expect(stale.data).toEqual(first.data);
      expect(swr.stats.stale).toBeGreaterThan(0);
      await refreshed(); // their refreshes failed (after got's retries): the stale entries stay
      lc.clearFaults();
      g.resetCalls();
      const again = await g.query(DASHBOARD); // still stale: answered at once, read again behind it
      expect(again.data).toEqual(first.data);
      await refreshed();
      expect(g.calls().total).toBeGreaterThan(0); // the background reads
      g.resetCalls();
      const staleBefore = swr.stats.stale;
      const fresh = await g.query(DASHBOARD);
      expect(fresh.data).toEqual(first.data);
      expect(g.calls().total).toBe(0);
      expect(swr.stats.stale).toBe(staleBefore); // answered by the refreshed entries, within their TTL
    } finally {
      await g.close();
    }
  });

  it('reads fresh for a query that polls (an order\'s executionStatus), and from the cache otherwise', async () => {
    const list = await graph.query('{ orders(vendor: LEADERCLOUD, first: 1) { nodes { id } } }');
    const id = list.data.orders.nodes[0].id;
    const STATUS = `{ order(id: "${id}") { status } }`;
    const POLL = `{ order(id: "${id}") { status executionStatus { status } } }`;
    await graph.query(STATUS);
    graph.resetCalls();
    await graph.query(STATUS);
    expect(graph.calls().total).toBe(0); // the order from the cache
    for (let i = 0; i < 2; i++) {
      graph.resetCalls();
      const poll = await graph.query(POLL);
      expect(poll.errors).toBeUndefined();
      // The order and its execution status, both from the vendor, every time.
      expect(graph.calls().byVendor.leadercloud!.byRoute['GET /api/orders/:orderId/execute/status']).toBe(1);
      expect(graph.calls().total).toBe(2);
    }
    // A poll the query skips is no poll: the order comes from the cache.
    graph.resetCalls();
    const skipped = await graph.query(`query($poll: Boolean = false) { order(id: "${id}") { status executionStatus @include(if: $poll) { status } } }`);
    expect(skipped.errors).toBeUndefined();
    expect(graph.calls().total).toBe(0);
  });

  it('never caches what clients poll', () => {
    expect(ttlOf('api/orders/0f0e/execute/status', DEFAULT_TTLS)).toBeNull();
    expect(ttlOf('api/subscriptions/x/quantityrequest/y', DEFAULT_TTLS)).toBeNull();
    expect(ttlOf('reports/123', DEFAULT_TTLS)).toBeNull();
    expect(ttlOf('api/resellers/r/billing/reports/MonthlyBillingPerOrganizationAsync/t', DEFAULT_TTLS)).toBeNull();
    expect(ttlOf('api/products', DEFAULT_TTLS)).toBe(DEFAULT_TTLS.catalogueMs);
    expect(ttlOf('customers/1000001', DEFAULT_TTLS)).toBe(DEFAULT_TTLS.accountsMs);
    expect(ttlOf('api/subscriptions', DEFAULT_TTLS)).toBe(DEFAULT_TTLS.activityMs);
  });

  it('never shares an entry between two credential sets (two vendor accounts)', async () => {
    const other = await startGraph({ vendors: ['leadercloud'], seed: 22, size: 30, cache });
    try {
      const mine = await graph.query('{ customers(vendor: LEADERCLOUD, first: 5) { nodes { name } } }');
      other.resetCalls();
      const theirs = await other.query('{ customers(vendor: LEADERCLOUD, first: 5) { nodes { name } } }');
      expect(other.calls().total).toBeGreaterThan(0);
      const names = new Set(other.sims.world.customersOf('leadercloud').map((c) => c.name));
      for (const c of theirs.data.customers.nodes) expect(names).toContain(c.name);
      expect(theirs.data).not.toEqual(mine.data);
    } finally {
      await other.close();
    }
  });
});

const redisAvailable = redisServerAvailable();
describe.skipIf(!redisAvailable && !process.env.CI)('response cache in Redis, two instances', () => {
  let redisServer: Awaited<ReturnType<typeof startRedis>>;
  let clients: Redis[];
  let a: Graph;
  let b: Graph;
  beforeAll(async () => {
    redisServer = await startRedis();
    clients = [new Redis(redisServer.url), new Redis(redisServer.url)];
    // Two gateways on the same vendor account, each with its own cache object on one Redis.
    a = await startGraph({ vendors: ['leadercloud'], seed: 23, size: 20, cache: new ResponseCache({ redis: clients[0] }) });
    const base = a.sims.leadercloud.baseUrl;
    b = await startGraph({
      vendors: ['leadercloud'],
      seed: 24,
      size: 20,
      cache: new ResponseCache({ redis: clients[1] }),
      vendorConfig: (v) => ({ ...v, leadercloud: { ...v.leadercloud!, baseUrl: base } }),
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const c of clients ?? []) await c.quit();
    await redisServer?.stop();
  });

  it("shares entries, and one instance's write makes the other read fresh", async () => {
    const sub = (await a.query(FIRST_SUBSCRIPTION)).data.subscriptions.nodes[0] as { id: string; autoRenew: boolean };
    a.resetCalls();
    const fromB = (await b.query(FIRST_SUBSCRIPTION)).data.subscriptions.nodes[0];
    expect(fromB).toEqual(sub);
    // b read a's entry: no read reached the vendor, only b's own login (a login starts as
    // execution does, src/prefetch.ts, and lands after the answer).
    await vi.waitFor(() => expect(a.calls().byVendor.leadercloud!.byRoute).toEqual({ 'POST /oauth/token': 1 }), { timeout: 5_000 });
    const toggled = await b.query(TOGGLE, { id: sub.id, on: !sub.autoRenew });
    expect(toggled.data.setSubscriptionAutoRenewal.userErrors).toEqual([]);
    a.resetCalls();
    const fromA = (await a.query(FIRST_SUBSCRIPTION)).data.subscriptions.nodes[0];
    expect(a.calls().total).toBeGreaterThan(0);
    expect(fromA.autoRenew).toBe(!sub.autoRenew);
  });
});
