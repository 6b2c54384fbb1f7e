/** The graph over the Leader Cloud simulator: every entity family, paging, filters, relations, cost. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/ids.js';
import { startGraph, type Graph, type GraphResponse } from '../helpers/graph.js';

describe('graph over Leader Cloud', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 11, size: 150 });
  });
  afterAll(() => graph.close());

  const accounts = () => graph.sims.world.customersOf('leadercloud');

  it('pages through every account with one cursor, matching the vendor', async () => {
    const names: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 20; i++) {
      const res: GraphResponse = await graph.query(
        'query($after: String) { customers(vendor: LEADERCLOUD, first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id vendor vendorId name status } } }',
        { after },
      );
      expect(res.errors).toBeUndefined();
      const c = res.data!.customers;
      total = c.totalCount;
      names.push(...c.nodes.map((n: { name: string }) => n.name));
      for (const n of c.nodes) expect(fromGlobalId(n.id)).toMatchObject({ vendor: 'LEADERCLOUD', kind: 'Customer', vendorId: n.vendorId });
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) break;
    }
    expect(total).toBe(accounts().length);
    expect(names).toEqual(accounts().map((c) => c.name));
  });

  it('filters customers by name in the vendor ($filter contains)', async () => {
    const target = accounts()[3]!;
    const word = target.name.split(' ')[0]!;
    graph.resetCalls();
    const res = await graph.query('query($n: String) { customers(vendor: LEADERCLOUD, first: 100, filter: { name: $n }) { totalCount nodes { name } } }', { n: word });
    expect(res.errors).toBeUndefined();
    const expected = accounts().filter((c) => c.name.toLowerCase().includes(word.toLowerCase()));
    expect(res.data.customers.nodes.map((n: { name: string }) => n.name)).toEqual(expected.map((c) => c.name));
    expect(graph.calls().byVendor.leadercloud!.byRoute['GET /api/accounts']).toBe(1);
  });

  it('resolves a customer with subscriptions, products with prices, orders with items and invoices with items and orders', async () => {
    const list = await graph.query('{ customers(vendor: LEADERCLOUD, first: 40) { nodes { id name } } }');
    const withInvoices = [];
    for (const node of list.data.customers.nodes) {
      const res = await graph.query(
        `query($id: ID!) { customer(id: $id) { name address { city countryCode } customFields { name values }
            subscriptions { totalCount nodes { id name status vendorStatus quantity sku price { amount currency } customer { name } product { name sku prices { unit price { amount currency } } } addons { name status } } }
            orders { nodes { number status total { amount currency } items { sku quantity product { name } } } }
            invoices { nodes { number status total { amount currency } items { description total { amount } } orders { number } } } } }`,
        { id: node.id },
      );
      expect(res.errors).toBeUndefined();
      const c = res.data.customer;
      expect(c.name).toBe(node.name);
      for (const s of c.subscriptions.nodes) {
        expect(s.customer.name).toBe(node.name);
        expect(s.product.sku).toBe(s.sku);
        expect(s.price.amount).toMatch(/^\d+\.\d{2}$/);
      }
      if (c.invoices.nodes.length) withInvoices.push(c);
      if (withInvoices.length >= 3) break;
    }
    expect(withInvoices.length).toBeGreaterThan(0);
    const inv = withInvoices[0].invoices.nodes[0];
    expect(['PAID', 'UNPAID', 'CANCELLED']).toContain(inv.status);
    expect(inv.items.length).toBeGreaterThan(0);
    const someOrder = withInvoices.flatMap((c) => c.orders.nodes).find((o: { items: unknown[] }) => o.items.length > 0);
    expect(someOrder.items[0].product.name).toBeTruthy();
  });

  it('lists subscriptions, orders, invoices and products with status filters and a customer filter', async () => {
    const subs = await graph.query('{ subscriptions(vendor: LEADERCLOUD, first: 500, filter: { status: ACTIVE }) { totalCount nodes { status customer { id } } } }');
    expect(subs.errors).toBeUndefined();
    expect(subs.data.subscriptions.nodes.length).toBeGreaterThan(0);
    expect(subs.data.subscriptions.nodes.every((s: { status: string }) => s.status === 'ACTIVE')).toBe(true);
    const customerId = subs.data.subscriptions.nodes[0].customer.id;
    const mine = await graph.query('query($c: ID!) { subscriptions(first: 100, filter: { customerId: $c }) { nodes { customer { id } } } }', { c: customerId });
    expect(mine.data.subscriptions.nodes.every((s: { customer: { id: string } }) => s.customer.id === customerId)).toBe(true);
    const orders = await graph.query('{ orders(vendor: LEADERCLOUD, first: 5, filter: { status: COMPLETED }) { totalCount nodes { status number } } }');
    expect(orders.errors).toBeUndefined();
    expect(orders.data.orders.nodes.every((o: { status: string }) => o.status === 'COMPLETED')).toBe(true);
    const invoices = await graph.query('{ invoices(vendor: LEADERCLOUD, first: 5, filter: { status: UNPAID }) { nodes { status unpaid { amount } } } }');
    expect(invoices.errors).toBeUndefined();
    expect(invoices.data.invoices.nodes.every((i: { status: string }) => i.status === 'UNPAID')).toBe(true);
    const products = await graph.query('{ products(vendor: LEADERCLOUD, first: 50, filter: { name: "Microsoft 365" }) { totalCount nodes { name sku publisher prices { unit price { amount currency } } } } }');
    expect(products.errors).toBeUndefined();
    expect(products.data.products.nodes.length).toBeGreaterThan(2);
    expect(products.data.products.nodes.every((p: { name: string }) => p.name.includes('Microsoft 365'))).toBe(true);
    expect(products.data.products.nodes[0].prices.length).toBeGreaterThan(0);
  });

  it('answers types Leader Cloud does not have with VENDOR_UNSUPPORTED', async () => {
    const res = await graph.query('{ servicePlans(vendor: LEADERCLOUD) { totalCount } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('VENDOR_UNSUPPORTED');
  });

  it('costs a fixed number of upstream calls for 50 customers with subscriptions and products, not one per row', async () => {
    await graph.query('{ vendors { vendor } }');
    graph.resetCalls();
    const res = await graph.query('{ customers(vendor: LEADERCLOUD, first: 50) { nodes { name subscriptions { nodes { name product { name sku } } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.nodes).toHaveLength(50);
    const subscriptionCount = res.data.customers.nodes.reduce((n: number, c: { subscriptions: { nodes: unknown[] } }) => n + c.subscriptions.nodes.length, 0);
    expect(subscriptionCount).toBeGreaterThan(50);
    // 1 accounts page + 1 `accountId in (...)` subscriptions call + 1 `id in (...)` products call.
    // (The token was fetched before the reset and is reused.)
    expect(graph.calls().byVendor.leadercloud!.byRoute).toEqual({
      'GET /api/accounts': 1,
      'GET /api/subscriptions': 1,
      'GET /api/products': 1,
    });
  });

  it('batches 50 _entities representations like 50 ids', async () => {
    const list = await graph.query('{ customers(vendor: LEADERCLOUD, first: 50) { nodes { id } } }');
    const representations = list.data.customers.nodes.map((n: { id: string }) => ({ __typename: 'Customer', id: n.id }));
    graph.resetCalls();
    const res = await graph.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name subscriptions { totalCount } } } }', { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toHaveLength(50);
    expect(res.data._entities.every((e: { name: string }) => e.name)).toBe(true);
    // 1 `id in (...)` accounts call + 1 `accountId in (...)` subscriptions call.
    expect(graph.calls().byVendor.leadercloud!.byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
  });

  it('refreshes an expired token with exactly one token request, then succeeds', async () => {
    await graph.query('{ customers(vendor: LEADERCLOUD, first: 1) { nodes { id } } }');
    graph.sims.leadercloud.control.expireTokens();
    graph.resetCalls();
    const res = await graph.query('{ a: customers(vendor: LEADERCLOUD, first: 3) { nodes { id } } b: products(vendor: LEADERCLOUD, first: 3) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.a.nodes).toHaveLength(3);
    expect(graph.calls().byVendor.leadercloud!.byRoute['POST /oauth/token']).toBe(1);
  });

  it('names the vendor, status and retry hint when it is down, and retries reads on a 429', async () => {
    const control = graph.sims.leadercloud.control;
    control.addFault({ status: 429, retryAfter: 0, times: 1, path: '^/api/products' });
    const retried = await graph.query('{ products(vendor: LEADERCLOUD, first: 2) { nodes { id } } }');
    expect(retried.errors).toBeUndefined();
    control.addFault({ status: 503, retryAfter: 30, times: 10, path: '^/api/' });
    const down = await graph.query('{ customers(vendor: LEADERCLOUD, first: 2) { nodes { id } } }');
    control.clearFaults();
    expect(down.data?.customers).toBeNull();
    expect(down.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LEADERCLOUD', httpStatus: 503, retryAfterSeconds: 30 });
    expect(down.errors?.[0]?.message).toContain('Leader Cloud');
  });
});
