/**
 * Lists that span every configured vendor under one cursor, the README's dashboard query,
 * and partial results when one vendor is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph, type GraphResponse } from '../helpers/graph.js';
import { DASHBOARD } from '../helpers/queries.js';
import { vendorProxy, type VendorProxy } from '../helpers/proxy.js';


describe('graph across all three vendors', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ seed: 3, size: 90 });
  });
  afterAll(() => graph.close());

  it('runs the README dashboard query over every vendor with one cursor, without gaps or repeats', async () => {
    const world = graph.sims.world;
    const expected = world.customersOf('leadercloud').length + world.customersOf('cloudmore').length + world.customersOf('ingram').length;
    const seen: Array<{ id: string; vendor: string; name: string }> = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let i = 0; i < 20; i++) {
      const res: GraphResponse = await graph.query(DASHBOARD, { after });
      expect(res.errors).toBeUndefined();
      totalCount = res.data.customers.totalCount;
      seen.push(...res.data.customers.nodes);
      for (const c of res.data.customers.nodes) {
        for (const s of c.subscriptions.nodes) expect(s.price === null || /^\d+(\.\d+)?$/.test(s.price.amount)).toBe(true);
      }
      after = res.data.customers.pageInfo.endCursor;
      if (!res.data.customers.pageInfo.hasNextPage) break;
    }
    expect(totalCount).toBe(expected);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen.map((c) => c.id)).size).toBe(expected);
    expect(new Set(seen.map((c) => c.vendor))).toEqual(new Set(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']));
    // Vendors come in a fixed order under the one cursor.
    const order = seen.map((c) => c.vendor).filter((v, i, all) => v !== all[i - 1]);
    expect(order).toEqual(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']);
  });

  it('shows the same company at several distributors', async () => {
    const shared = graph.sims.world.companies.find((c) => c.vendors.length === 3)!;
    const res = await graph.query('query($n: String) { customers(first: 10, filter: { name: $n }) { nodes { vendor name } } }', { n: shared.name });
    expect(res.errors).toBeUndefined();
    const vendors = res.data.customers.nodes.filter((n: { name: string }) => n.name === shared.name).map((n: { vendor: string }) => n.vendor);
    expect(vendors.sort()).toEqual(['CLOUDMORE', 'INGRAM', 'LEADERCLOUD']);
  });

  it('lists products and subscriptions across vendors', async () => {
    const res = await graph.query('{ products(first: 200) { totalCount nodes { vendor name } } subscriptions(first: 10) { totalCount nodes { vendor status } } }');
    expect(res.errors).toBeUndefined();
    expect(new Set(res.data.products.nodes.map((p: { vendor: string }) => p.vendor))).toEqual(new Set(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']));
    expect(res.data.subscriptions.totalCount).toBeGreaterThan(10);
  });

  it('lists the three vendors as healthy', async () => {
    const res = await graph.query('{ vendors { vendor simulated health { ok check } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.vendors.map((v: { vendor: string }) => v.vendor)).toEqual(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']);
    expect(res.data.vendors.every((v: { health: { ok: boolean } }) => v.health.ok)).toBe(true);
  });

  it('returns the other vendors\' data, and an error naming the one that is down', async () => {
    const control = graph.sims.cloudmore.control;
    control.addFault({ status: 503, retryAfter: 60, path: '^/api/resellers' });
    try {
      const res = await graph.query('{ customers(first: 500) { totalCount nodes { vendor } } vendors { vendor health { ok } } }');
      const vendors = new Set(res.data.customers.nodes.map((n: { vendor: string }) => n.vendor));
      expect(vendors).toEqual(new Set(['LEADERCLOUD', 'INGRAM']));
      expect(res.data.customers.totalCount).toBeNull();
      const error = res.errors?.find((e) => e.extensions?.vendor === 'CLOUDMORE');
      expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', httpStatus: 503, retryAfterSeconds: 60 });
      expect(error?.message).toContain('Cloudmore');
    } finally {
      control.clearFaults();
    }
  });

  it('nulls only the fields a failing vendor owns', async () => {
    const list = await graph.query('{ lc: customers(vendor: LEADERCLOUD, first: 1) { nodes { id } } im: customers(vendor: INGRAM, first: 1) { nodes { id } } }');
    const lcId = list.data.lc.nodes[0].id;
    const imId = list.data.im.nodes[0].id;
    graph.sims.ingram.control.addFault({ status: 500, path: '/subscriptions' });
    try {
      const res = await graph.query(
        'query($a: ID!, $b: ID!) { a: customer(id: $a) { name subscriptions { totalCount } } b: customer(id: $b) { name subscriptions { totalCount } } }',
        { a: lcId, b: imId },
      );
      expect(res.data.a.subscriptions.totalCount).toBeGreaterThanOrEqual(0);
      expect(res.data.b.name).toBeTruthy();
      expect(res.data.b.subscriptions).toBeNull();
      expect(res.errors?.[0]?.path).toEqual(['b', 'subscriptions']);
      expect(res.errors?.[0]?.extensions).toMatchObject({ vendor: 'INGRAM', httpStatus: 500 });
    } finally {
      graph.sims.ingram.control.clearFaults();
    }
  });

  it('reports one failed upstream call once, with every path it nulled', async () => {
    graph.sims.ingram.control.addFault({ status: 500, path: '/subscriptions' });
    try {
      const res = await graph.query('{ customers(vendor: INGRAM, first: 12) { nodes { name subscriptions { totalCount } } } }');
      expect(res.data.customers.nodes).toHaveLength(12);
      expect(res.data.customers.nodes.every((c: { subscriptions: unknown }) => c.subscriptions === null)).toBe(true);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'INGRAM', httpStatus: 500 });
      expect(res.errors![0]!.extensions!.paths).toHaveLength(12);
    } finally {
      graph.sims.ingram.control.clearFaults();
    }
  });

  it('answers null with errors when every vendor of a list fails', async () => {
    for (const s of graph.sims.all) s.control.addFault({ status: 503, path: '/(accounts|organizations|customers)' });
    try {
      const res = await graph.query('{ customers(first: 5) { nodes { name } } }');
      expect(res.data?.customers ?? null).toBeNull();
      expect(new Set(res.errors!.map((e) => e.extensions?.vendor))).toEqual(new Set(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']));
    } finally {
      for (const s of graph.sims.all) s.control.clearFaults();
    }
  });
});

describe('a list across vendors asks them at once', () => {
  const OPEN = (first: number) => `{ orders(first: ${first}, filter: { status: SUBMITTED }) { nodes { vendor number } pageInfo { hasNextPage } } }`;
  let graph: Graph;
  let gate: VendorProxy;
  const ingramOrderLists = () => graph.sims.ingram.control.stats().byRoute['GET /marketplace/:region/orders'] ?? 0;
  beforeAll(async () => {
    // Leader Cloud's order lists are held until Ingram has been asked for its own.
    let asked = 0;
    gate = await vendorProxy({ held: /\/api\/orders(\?|$)/, release: () => ingramOrderLists() > asked });
    graph = await startGraph({
      vendors: ['leadercloud', 'ingram'],
      seed: 3,
      size: 90,
      vendorConfig: (v) => ({ ...v, leadercloud: { ...v.leadercloud!, baseUrl: gate.via(v.leadercloud!.baseUrl) } }),
    });
    // Tokens first (not order lists): the gate then sees only the query's own requests.
    expect((await graph.query('{ customers(first: 1) { nodes { id } } }')).errors).toBeUndefined();
    asked = ingramOrderLists();
  });
  afterAll(async () => {
    await graph.close();
    await gate.close();
  });

  it("asks Ingram while Leader Cloud's part of the page is still on the wire, and gives both in vendor order", async () => {
    const res = await graph.query(OPEN(100));
    expect(res.errors).toBeUndefined();
    expect(gate.state.held).toBeGreaterThan(0);
    expect(gate.state.timedOut).toBe(0);
    const vendors = res.data.orders.nodes.map((o: { vendor: string }) => o.vendor);
    expect(new Set(vendors)).toEqual(new Set(['LEADERCLOUD', 'INGRAM']));
    expect(vendors.indexOf('INGRAM')).toBeGreaterThan(vendors.lastIndexOf('LEADERCLOUD'));
  });

  it('does not ask a later vendor once it knows the vendors before it fill the page', async () => {
    gate.state.on = false;
    expect((await graph.query(OPEN(1))).errors).toBeUndefined(); // Leader Cloud's length becomes known, if it was not
    graph.resetCalls();
    const res = await graph.query(OPEN(1));
    expect(res.errors).toBeUndefined();
    expect(res.data.orders.nodes.map((o: { vendor: string }) => o.vendor)).toEqual(['LEADERCLOUD']);
    expect(res.data.orders.pageInfo.hasNextPage).toBe(true);
    expect(ingramOrderLists()).toBe(0);
  });
});
