/**
 * Lookahead: when a customer list selects a relation that the vendor will be asked for as a
 * whole list anyway (Leader Cloud once it refused `accountId in (...)`, i.e. the documented
 * profile), that list is requested together with the customers, not after them: the same
 * calls, one round trip less.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

const DASHBOARD = '{ customers(vendor: LEADERCLOUD, first: 20) { nodes { name subscriptions(status: ACTIVE) { nodes { name quantity } } } } }';

describe('lookahead', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 12, size: 60 });
    expect((await graph.query(DASHBOARD)).errors).toBeUndefined(); // learns what the vendor refuses
    graph.sims.leadercloud.control.setLatency({ fixedMs: 150 });
  });
  afterAll(() => graph.close());

  it('asks for the subscriptions together with the customers where the documented form reads them whole', async () => {
    graph.resetCalls();
    const res = await graph.query(DASHBOARD);
    expect(res.errors).toBeUndefined();
    const stats = graph.sims.leadercloud.control.stats();
    expect(stats.byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    // documented: both on the wire at once; extended: `accountId in (...)` needs the account ids first.
    expect(stats.peakInFlight).toBe(graph.profile === 'documented' ? 2 : 1);
  });
});

describe('lookahead where `accountId in (…)` is taken (extended), a page holding every account', () => {
  const ALL = '{ customers(vendor: LEADERCLOUD, first: 500) { nodes { name subscriptions(status: ACTIVE) { nodes { name quantity } } } } }';
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 12, size: 60 });
    graph.sims.leadercloud.control.setLatency({ fixedMs: 150 });
  });
  afterAll(() => graph.close());

  it('reads the whole active list together with the accounts once it knows both fit (the same calls, one round trip less), with the same answer', async () => {
    const first = await graph.query(ALL); // learns how many accounts and active subscriptions there are
    expect(first.errors).toBeUndefined();
    graph.sims.leadercloud.control.resetStats();
    const second = await graph.query(ALL);
    expect(second.data).toEqual(first.data);
    const stats = graph.sims.leadercloud.control.stats();
    // Accounts and the active subscriptions (one page each: fewer than 500 rows), both on the wire at once.
    expect(stats.byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    expect(stats.peakInFlight).toBe(2);
  });

  it('keeps `accountId in (…)` for a page that does not hold every account', async () => {
    const FIVE = '{ customers(vendor: LEADERCLOUD, first: 5) { nodes { subscriptions(status: ACTIVE) { nodes { name } } } } }';
    await graph.query(ALL);
    // documented: the first `in (…)` is refused here (the lookahead of ALL read the whole list without trying it).
    await graph.query(FIVE);
    graph.sims.leadercloud.control.resetStats();
    const res = await graph.query(FIVE);
    expect(res.errors).toBeUndefined();
    const stats = graph.sims.leadercloud.control.stats();
    expect(stats.byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    // documented: the whole list, prefetched; extended: `in (…)` after the five account ids.
    expect(stats.peakInFlight).toBe(graph.profile === 'documented' ? 2 : 1);
  });
});

describe('lookahead of a fresh adapter, which has seen no length yet', () => {
  const ALL = '{ customers(vendor: LEADERCLOUD, first: 500) { nodes { name subscriptions(status: ACTIVE) { nodes { name quantity } } } } }';
  const FIVE = '{ customers(vendor: LEADERCLOUD, first: 5) { nodes { name subscriptions(status: ACTIVE) { nodes { name quantity } } } } }';
  const fresh = async () => {
    const graph = await startGraph({ vendors: ['leadercloud'], seed: 12, size: 60 });
    graph.sims.leadercloud.control.setLatency({ fixedMs: 150 });
    return graph;
  };

  it('asks for the whole relation list with the first page of customers, and keeps it when the page holds every account (2 calls, one round trip)', async () => {
    const graph = await fresh();
    try {
      const res = await graph.query(ALL);
      expect(res.errors).toBeUndefined();
      const stats = graph.sims.leadercloud.control.stats();
      expect(stats.byRoute).toEqual({ 'POST /oauth/token': 1, 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
      expect(stats.peakInFlight).toBe(2);
      graph.resetCalls();
      // Lengths now known: the same plan, the same answer.
      expect((await graph.query(ALL)).data).toEqual(res.data);
      expect(graph.sims.leadercloud.control.stats().byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    } finally {
      await graph.close();
    }
  });

  it('pays for a wrong guess once: a page that does not hold every account reads `accountId in (…)` (extended) after it', async () => {
    const graph = await fresh();
    try {
      const first = await graph.query(FIVE);
      expect(first.errors).toBeUndefined();
      // The guessed whole list, then (extended) the five accounts' `in (…)`; documented: the
      // guessed page is the whole list the refused `in (…)` falls back to, after the refusal.
      expect(graph.sims.leadercloud.control.stats().byRoute['GET /api/subscriptions']).toBe(2);
      graph.resetCalls();
      const again = await graph.query(FIVE);
      expect(again.data).toEqual(first.data);
      expect(graph.sims.leadercloud.control.stats().byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    } finally {
      await graph.close();
    }
  });
});

describe('lookahead for one customer by id', () => {
  let graph: Graph;
  let id: string;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 12, size: 60 });
    const first = await graph.query('{ customers(vendor: LEADERCLOUD, first: 1) { nodes { id } } }');
    id = first.data.customers.nodes[0].id;
    const THREE_SIXTY = `{ customer(id: "${id}") { name subscriptions { nodes { id } } orders { nodes { id } } invoices { nodes { id } } } }`;
    expect((await graph.query(THREE_SIXTY)).errors).toBeUndefined(); // token, refusals (documented)
    graph.sims.leadercloud.control.setLatency({ fixedMs: 150 });
  });
  afterAll(() => graph.close());

  it("asks for the customer's relations together with the customer itself: the same calls, one round trip less", async () => {
    graph.resetCalls();
    const res = await graph.query(`{ customer(id: "${id}") { name subscriptions { nodes { id } } orders { nodes { id } } invoices { nodes { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.customer.name).toBeTruthy();
    const stats = graph.sims.leadercloud.control.stats();
    // The account (its detail GET; extended: `id in (…)`), its subscriptions, orders and invoices: one call each, all on the wire at once.
    const account = graph.profile === 'documented' ? 'GET /api/accounts/:accountId' : 'GET /api/accounts';
    expect(stats.byRoute).toEqual({ [account]: 1, 'GET /api/subscriptions': 1, 'GET /api/orders': 1, 'GET /api/invoices': 1 });
    expect(stats.peakInFlight).toBe(4);
  });

  it('costs nothing for an id of no customer, and answers as before', async () => {
    graph.resetCalls();
    const res = await graph.query('{ customer(id: "not-an-id") { name subscriptions { nodes { id } } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(graph.calls().total).toBe(0);
  });
});
