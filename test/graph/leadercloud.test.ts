/**
 * The graph over the Leader Cloud simulator, in both simulator profiles (vitest runs this
 * file once per profile): every entity family, paging, filters, relations, upstream cost,
 * throttling, and the inferred shortcuts with their documented fallbacks. The data must
 * be the same in both profiles (it is checked against the simulated world); the upstream
 * calls each profile costs are asserted per profile.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { licenseOverviewMinimum, worldData } from '../../bench/minimum.js';
import { licenseOverview } from '../../bench/workloads.js';
import { ResponseCache } from '../../src/cache.js';
import type { ShortcutMode } from '../../src/config.js';
import { simulatorVendorConfig } from '../../src/demo.js';
import { fromGlobalId, toGlobalId } from '../../src/ids.js';
import { logger } from '../../src/logger.js';
import { createGraphServer } from '../../src/server.js';
import { startSimulators, type RunningSimulator, type RunningSimulators } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { offContractRequests } from '../helpers/client-contract.js';
import { startGraph, suiteProfile, type Graph, type GraphResponse } from '../helpers/graph.js';
import { vendorProxy, type VendorProxy } from '../helpers/proxy.js';

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary result shapes
type Any = any;

/** A token and a GET against the simulator directly (to know what the vendor holds). */
async function vendorGet<T = Any>(sim: RunningSimulator, path: string): Promise<T> {
  const c = sim.credentials;
  const res = await fetch(`${sim.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: c.username ?? '', password: c.password ?? '' }),
  });
  const token = ((await res.json()) as { access_token: string }).access_token;
  const answer = await fetch(sim.baseUrl + path, { headers: { authorization: `Bearer ${token}`, 'x-api-version': '3' } });
  expect(answer.status, path).toBe(200);
  return (await answer.json()) as T;
}

/** A graph of its own over Leader Cloud simulators of the suite's profile, with a chosen shortcut mode (a fresh adapter). */
async function graphWith(shortcuts: ShortcutMode, options: { seed?: number; size?: number } = {}) {
  const sims = await startSimulators({ vendors: ['leadercloud'], seed: options.seed ?? 11, size: options.size ?? 150, profile: suiteProfile() });
  const { app } = await createGraphServer({ adapters: buildAdapters(simulatorVendorConfig(sims, 5_000, shortcuts), { simulated: true }), sandbox: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as FastifyInstance).server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const lc = sims.leadercloud;
  return {
    sims: sims as RunningSimulators & { leadercloud: RunningSimulator },
    lc,
    async query(document: string, variables: Json = {}): Promise<GraphResponse<Any>> {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document, variables }) });
      return (await res.json()) as GraphResponse<Any>;
    },
    byRoute: () => lc.control.stats().byRoute,
    reset: () => lc.control.resetStats(),
    async close() {
      await app.close();
      await sims.close();
      expect(offContractRequests(sims)).toEqual([]);
    },
  };
}

const DASHBOARD = `query($first: Int) { customers(vendor: LEADERCLOUD, first: $first) { totalCount nodes { id name externalId
  subscriptions(status: ACTIVE) { nodes { id name status quantity price { amount currency } product { name sku } } } } } }`;

const SUBS_BY_ID = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on ServiceSubscription { name status sku customer { name } } } }';

describe('graph over Leader Cloud', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 11, size: 150 });
  });
  afterAll(() => graph.close());

  const accounts = () => graph.sims.world.customersOf('leadercloud');
  const documented = () => graph.profile === 'documented';
  const byRoute = () => graph.calls().byVendor.leadercloud!.byRoute;

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

  it("pages through one customer's subscriptions with edges and cursors, the same rows as nodes in one page", async () => {
    const list = await graph.query('{ customers(vendor: LEADERCLOUD, first: 100) { nodes { id subscriptions(first: 100) { totalCount nodes { id } } } } }');
    expect(list.errors).toBeUndefined();
    const [customer] = [...list.data.customers.nodes].sort((a, b) => b.subscriptions.totalCount - a.subscriptions.totalCount);
    const all: string[] = customer.subscriptions.nodes.map((n: { id: string }) => n.id);
    expect(all.length).toBeGreaterThanOrEqual(3); // two pages of 2 at least
    type Page = { pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; edges: Array<{ cursor: string; node: { id: string } }>; nodes: Array<{ id: string }> };
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const res: GraphResponse<{ node: { subscriptions: Page } }> = await graph.query(
        'query($id: ID!, $after: String) { node(id: $id) { ... on Customer { subscriptions(first: 2, after: $after) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { id } } } } }',
        { id: customer.id, after },
      );
      expect(res.errors).toBeUndefined();
      const c = res.data!.node.subscriptions;
      expect(c.edges.map((e) => e.node.id)).toEqual(c.nodes.map((n) => n.id));
      expect(c.pageInfo.hasPreviousPage).toBe(page > 0);
      expect(c.pageInfo.startCursor).toBe(c.edges[0]!.cursor);
      expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)!.cursor);
      seen.push(...c.nodes.map((n) => n.id));
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(all);
    // Past the end: no rows, and the cursor given back as the end.
    const end = await graph.query('query($id: ID!, $after: String) { node(id: $id) { ... on Customer { subscriptions(first: 2, after: $after) { pageInfo { hasNextPage startCursor endCursor } nodes { id } } } } }', { id: customer.id, after });
    expect(end.data.node.subscriptions).toEqual({ pageInfo: { hasNextPage: false, startCursor: null, endCursor: after }, nodes: [] });
  });

  it('filters customers by name: contains() in the vendor (extended), the whole list filtered in the graph (documented)', async () => {
    const target = accounts()[3]!;
    const word = target.name.split(' ')[0]!;
    const q = 'query($n: String) { customers(vendor: LEADERCLOUD, first: 100, filter: { name: $n }) { totalCount nodes { name } } }';
    await graph.query(q, { n: word }); // the first refusal of contains() (documented) is learned here
    graph.resetCalls();
    const res = await graph.query(q, { n: word });
    expect(res.errors).toBeUndefined();
    const expected = accounts().filter((c) => c.name.toLowerCase().includes(word.toLowerCase()));
    expect(res.data.customers.nodes.map((n: { name: string }) => n.name)).toEqual(expected.map((c) => c.name));
    expect(res.data.customers.totalCount).toBe(expected.length);
    // One call either way: a filtered page (extended), or the 80 accounts in one page of 500 (documented).
    expect(byRoute()).toEqual({ 'GET /api/accounts': 1 });
  });

  it('resolves a customer with subscriptions, products with prices, orders with items and invoices with items and full orders', async () => {
    const list = await graph.query('{ customers(vendor: LEADERCLOUD, first: 40) { nodes { id name } } }');
    const withInvoices = [];
    for (const node of list.data.customers.nodes) {
      const res = await graph.query(
        `query($id: ID!) { customer(id: $id) { name address { city countryCode } customFields { name values }
            subscriptions { totalCount nodes { id name status vendorStatus quantity sku price { amount currency } customer { name } product { name sku prices { unit price { amount currency } } } addons { name status } } }
            orders { nodes { number status total { amount currency } items { sku quantity product { name } } } }
            invoices { nodes { number status total { amount currency } items { description total { amount } } orders { number status vendorStatus total { amount currency } customer { name } } } } } }`,
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
      if (c.invoices.nodes.some((i: { orders: unknown[] }) => i.orders.length > 0)) withInvoices.push(c);
      if (withInvoices.length >= 3) break;
    }
    expect(withInvoices.length).toBeGreaterThan(0);
    const inv = withInvoices[0].invoices.nodes.find((i: { orders: unknown[] }) => i.orders.length > 0);
    expect(['PAID', 'UNPAID', 'CANCELLED']).toContain(inv.status);
    expect(inv.items.length).toBeGreaterThan(0);
    // Invoice.orders are the full orders (loaded by the LiteOrder ids), not {id, code} stubs.
    const orderNumbers = new Set(withInvoices[0].orders.nodes.map((o: { number: string }) => o.number));
    for (const o of inv.orders) {
      expect(o.status).toBe('COMPLETED');
      expect(o.vendorStatus).toBe('Executed');
      expect(o.total.amount).toMatch(/^\d+\.\d{2}$/);
      expect(o.customer.name).toBe(withInvoices[0].name);
      expect(orderNumbers.has(o.number)).toBe(true);
    }
    const someOrder = withInvoices.flatMap((c) => c.orders.nodes).find((o: { items: unknown[] }) => o.items.length > 0);
    expect(someOrder.items[0].product.name).toBeTruthy();
  });

  it('lists subscriptions, orders, invoices and products with status filters and a customer filter', async () => {
    const subs = await graph.query('{ subscriptions(vendor: LEADERCLOUD, first: 500, filter: { status: ACTIVE }) { totalCount nodes { status customer { id } } } }');
    expect(subs.errors).toBeUndefined();
    expect(subs.data.subscriptions.nodes.length).toBeGreaterThan(0);
    expect(subs.data.subscriptions.nodes.every((s: { status: string }) => s.status === 'ACTIVE')).toBe(true);
    const customerId = subs.data.subscriptions.nodes[0].customer.id;
    const mine = await graph.query('query($c: ID!) { subscriptions(first: 100, filter: { customerId: $c }) { totalCount nodes { customer { id } } } }', { c: customerId });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.subscriptions.nodes.length).toBeGreaterThan(0);
    expect(mine.data.subscriptions.nodes.every((s: { customer: { id: string } }) => s.customer.id === customerId)).toBe(true);
    const orders = await graph.query('{ orders(vendor: LEADERCLOUD, first: 5, filter: { status: COMPLETED }) { totalCount nodes { status number } } }');
    expect(orders.errors).toBeUndefined();
    expect(orders.data.orders.nodes.every((o: { status: string }) => o.status === 'COMPLETED')).toBe(true);
    const invoices = await graph.query('{ invoices(vendor: LEADERCLOUD, first: 5, filter: { status: UNPAID }) { nodes { status total { amount currency } totalBeforeTax { amount currency } unpaid { amount currency } } } }');
    expect(invoices.errors).toBeUndefined();
    expect(invoices.data.invoices.nodes.length).toBeGreaterThan(0);
    type Money = { amount: string; currency: string };
    for (const i of invoices.data.invoices.nodes as Array<{ status: string; total: Money; totalBeforeTax: Money; unpaid: Money }>) {
      expect(i.status).toBe('UNPAID');
      // Read from the row when selected (mappers.ts INVOICE_LAZY): an unpaid invoice owes its total, before tax is at most the total.
      expect(i.unpaid).toEqual(i.total);
      expect(i.totalBeforeTax.currency).toBe(i.total.currency);
      expect(Number(i.totalBeforeTax.amount)).toBeLessThanOrEqual(Number(i.total.amount));
      expect(Number(i.totalBeforeTax.amount)).toBeGreaterThan(0);
    }
    const products = await graph.query('{ products(vendor: LEADERCLOUD, first: 50, filter: { name: "Microsoft 365" }) { totalCount nodes { name sku publisher prices { unit price { amount currency } } } } }');
    expect(products.errors).toBeUndefined();
    expect(products.data.products.nodes.length).toBeGreaterThan(2);
    expect(products.data.products.nodes.every((p: { name: string }) => p.name.includes('Microsoft 365'))).toBe(true);
    expect(products.data.products.nodes[0].prices.length).toBeGreaterThan(0);
    const sku = await graph.query('{ products(vendor: LEADERCLOUD, first: 5, filter: { sku: "cfq7ttc0lh18:0001" }) { nodes { name sku } } }');
    expect(sku.data.products.nodes).toEqual([{ name: 'Microsoft 365 Business Basic', sku: 'CFQ7TTC0LH18:0001' }]);
  });

  it('answers types Leader Cloud does not have with VENDOR_UNSUPPORTED', async () => {
    const res = await graph.query('{ servicePlans(vendor: LEADERCLOUD) { totalCount } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('VENDOR_UNSUPPORTED');
  });

  it('dashboard: 50 customers with external ids, active subscriptions and products in 2 calls, the same data in both profiles', async () => {
    await graph.query('{ vendors { vendor } }');
    await graph.query(DASHBOARD, { first: 50 }); // refusals of inferred forms (documented) are learned here
    graph.resetCalls();
    const res = await graph.query(DASHBOARD, { first: 50 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data.customers.nodes;
    expect(nodes).toHaveLength(50);
    // The External ID custom field, as seeded from the world (the same company has the same id at every vendor).
    const world = new Map(accounts().map((c) => [c.name, c.externalId]));
    for (const n of nodes) expect(n.externalId).toBe(world.get(n.name));
    // extended: accounts page (include=customFields) + `accountId in (...)`; documented: accounts
    // page (include=customFields) + the 207 subscriptions in one page of 500. `product { name sku }`
    // comes from the subscription's own payload: no product call.
    expect(byRoute()).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    const subscriptions = nodes.flatMap((c: { subscriptions: { nodes: Any[] } }) => c.subscriptions.nodes);
    expect(subscriptions.length).toBeGreaterThan(50);
    for (const s of subscriptions) {
      expect(s.status).toBe('ACTIVE');
      expect(s.product.sku).toMatch(/\S/);
    }
    // Against the vendor's own data: every active subscription of these accounts, with its product.
    const vendorSubs = await vendorGet<{ data: Array<{ id: string; status: string; account: { id: number }; product: { code: string } }> }>(
      graph.sims.leadercloud,
      '/api/subscriptions?pageSize=500',
    );
    const ids = new Set(nodes.map((n: { id: string }) => fromGlobalId(n.id).vendorId));
    const expected = vendorSubs.data.filter((s) => s.status === 'Active' && ids.has(String(s.account.id)));
    expect(subscriptions.map((s: { id: string }) => fromGlobalId(s.id).vendorId).sort()).toEqual(expected.map((s) => s.id).sort());
  });

  it('batches 50 _entities representations like 50 ids', async () => {
    const list = await graph.query('{ customers(vendor: LEADERCLOUD, first: 50) { nodes { id } } }');
    const representations = list.data.customers.nodes.map((n: { id: string }) => ({ __typename: 'Customer', id: n.id }));
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name externalId subscriptions { totalCount } } } }';
    await graph.query(q, { r: representations });
    graph.resetCalls();
    const res = await graph.query(q, { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toHaveLength(50);
    expect(res.data._entities.every((e: { name: string; externalId: string }) => e.name && e.externalId)).toBe(true);
    // extended: `id in (...)` accounts + `accountId in (...)` subscriptions;
    // documented: the accounts' first page of 500 (all 80) + the subscriptions' one page.
    expect(byRoute()).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
  });

  it('loads one id with one call: a detail GET (documented) or `id in (…)` (extended)', async () => {
    const subs = await graph.query('{ subscriptions(vendor: LEADERCLOUD, first: 3) { nodes { id name } } }');
    const [first] = subs.data.subscriptions.nodes;
    graph.resetCalls();
    const one = await graph.query(SUBS_BY_ID, { ids: [first.id] });
    expect(one.errors).toBeUndefined();
    expect(one.data.nodes[0].name).toBe(first.name);
    // `customer { name }` comes from the subscription's `account {id, name}`: no account call.
    expect(byRoute()).toEqual(documented() ? { 'GET /api/subscriptions/:subscriptionId': 1 } : { 'GET /api/subscriptions': 1 });
  });

  it('loads several ids of every family by node id, with unknown ids as null', async () => {
    const lists = await graph.query(`{ c: customers(vendor: LEADERCLOUD, first: 4) { nodes { id name } }
      s: subscriptions(vendor: LEADERCLOUD, first: 4) { nodes { id name } }
      o: orders(vendor: LEADERCLOUD, first: 4) { nodes { id number status } }
      i: invoices(vendor: LEADERCLOUD, first: 4) { nodes { id number } }
      p: products(vendor: LEADERCLOUD, first: 4) { nodes { id name } } }`);
    expect(lists.errors).toBeUndefined();
    const all = ['c', 's', 'o', 'i', 'p'].flatMap((k) => lists.data[k].nodes);
    const missing = toGlobalId('LEADERCLOUD', 'Subscription', '00000000-0000-4000-8000-000000000000');
    const res = await graph.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { customerName: name } ... on ServiceSubscription { name } ... on Order { number status } ... on Invoice { number } ... on Product { productName: name } } }`,
      { ids: [...all.map((n: { id: string }) => n.id), missing] },
    );
    expect(res.errors).toBeUndefined();
    const rename = (n: Any) => ({ ...n, ...(n.customerName ? { name: n.customerName } : {}), ...(n.productName ? { name: n.productName } : {}), customerName: undefined, productName: undefined });
    expect(res.data.nodes.slice(0, -1).map(rename).map((n: Json) => JSON.parse(JSON.stringify(n)))).toEqual(all);
    expect(res.data.nodes.at(-1)).toBeNull();
  });

  it('gives draft orders the stage they were read with: DRAFT / "Draft", from the status filter and from a customer', async () => {
    const vendorDrafts = await vendorGet<{ data: Array<{ id: string; code: string }>; paging: { totalRecords: number } }>(
      graph.sims.leadercloud,
      '/api/orders?stage=Draft&pageSize=500',
    );
    expect(vendorDrafts.paging.totalRecords).toBeGreaterThan(0);
    const drafts = await graph.query('{ orders(vendor: LEADERCLOUD, first: 100, filter: { status: DRAFT }) { totalCount nodes { id number status vendorStatus customer { id } } } }');
    expect(drafts.errors).toBeUndefined();
    expect(drafts.data.orders.totalCount).toBe(vendorDrafts.paging.totalRecords);
    expect(drafts.data.orders.nodes.map((o: { number: string }) => o.number).sort()).toEqual(vendorDrafts.data.map((o) => o.code).sort());
    for (const o of drafts.data.orders.nodes) expect(o).toMatchObject({ status: 'DRAFT', vendorStatus: 'Draft' });
    // The same orders through their customer (stage=All) and by id: still drafts.
    const first = drafts.data.orders.nodes[0];
    const viaCustomer = await graph.query('query($id: ID!) { customer(id: $id) { orders { nodes { id status vendorStatus } } } }', { id: first.customer.id });
    expect(viaCustomer.data.customer.orders.nodes.find((o: { id: string }) => o.id === first.id)).toEqual({ id: first.id, status: 'DRAFT', vendorStatus: 'Draft' });
    const byId = await graph.query('query($id: ID!) { order(id: $id) { status vendorStatus } }', { id: first.id });
    expect(byId.data.order).toEqual({ status: 'DRAFT', vendorStatus: 'Draft' });
    // No other order reads as UNKNOWN.
    const every = await graph.query('{ orders(vendor: LEADERCLOUD, first: 500) { nodes { status } } }');
    expect(every.data.orders.nodes.some((o: { status: string }) => o.status === 'UNKNOWN')).toBe(false);
  });

  it('filters invoices by invoice date at the vendor (from inclusive, to exclusive), with the status and customer filters too', async () => {
    type VendorInvoice = { id: string; invoiceDate: string; status: { type: string }; account: { id: number; name: string } };
    const vendor = await vendorGet<{ data: VendorInvoice[]; paging: { totalPages: number; totalRecords: number } }>(graph.sims.leadercloud, '/api/invoices?pageSize=500');
    expect(vendor.paging.totalPages).toBe(1);
    const dates = [...new Set(vendor.data.map((i) => Date.parse(i.invoiceDate)))].sort((a, b) => a - b);
    const from = new Date(dates[Math.floor(dates.length / 4)]!).toISOString();
    const to = new Date(dates[Math.floor((dates.length * 3) / 4)]!).toISOString();
    const at = (i: VendorInvoice) => Date.parse(i.invoiceDate);
    const inRange = (i: VendorInvoice) => at(i) >= Date.parse(from) && at(i) < Date.parse(to);
    const within = vendor.data.filter(inRange);
    // The range has invoices on both of its ends: those dated `from` are in, those dated `to` out.
    expect(within.some((i) => at(i) === Date.parse(from))).toBe(true);
    expect(vendor.data.some((i) => at(i) === Date.parse(to))).toBe(true);
    expect(within.length).toBeLessThan(vendor.data.length);
    const q = `query($from: DateTime, $to: DateTime, $status: InvoiceStatus, $c: ID) {
      invoices(vendor: LEADERCLOUD, first: 500, filter: { invoiceDate: { from: $from, to: $to }, status: $status, customerId: $c }) {
        totalCount nodes { vendorId invoiceDate status customer { id name } } } }`;
    const ids = (res: GraphResponse) => res.data.invoices.nodes.map((n: { vendorId: string }) => n.vendorId).sort();
    const idsOf = (rows: VendorInvoice[]) => rows.map((i) => i.id).sort();

    graph.resetCalls();
    const res = await graph.query(q, { from, to });
    expect(res.errors).toBeUndefined();
    expect(ids(res)).toEqual(idsOf(within));
    // The vendor filtered: the request carried `$filter`, and its total is the range's count.
    expect(res.data.invoices.totalCount).toBe(within.length);
    expect(byRoute()).toEqual({ 'GET /api/invoices': 1 });
    expect(graph.sims.leadercloud.control.received().map((r) => `${r.path}?${r.query.join('&')}`)).toEqual(['/api/invoices?$filter&pageIndex&pageSize']);
    // Each row names its account: `customer { id name }` costs nothing more.
    const account = new Map(vendor.data.map((i) => [i.id, i.account]));
    for (const n of res.data.invoices.nodes) {
      const a = account.get(n.vendorId)!;
      expect(n.customer).toEqual({ id: toGlobalId('LEADERCLOUD', 'Customer', String(a.id)), name: a.name });
      expect(Date.parse(n.invoiceDate)).toBe(Date.parse(vendor.data.find((i) => i.id === n.vendorId)!.invoiceDate));
    }

    // With a status (matched in the graph: Invoice.status is an object), the dates still go to the vendor.
    graph.resetCalls();
    const paid = await graph.query(q, { from, to, status: 'PAID' });
    expect(paid.errors).toBeUndefined();
    expect(ids(paid)).toEqual(idsOf(within.filter((i) => i.status.type === 'Paid')));
    expect(byRoute()).toEqual({ 'GET /api/invoices': 1 });
    expect(graph.sims.leadercloud.control.received().every((r) => r.query.includes('$filter'))).toBe(true);

    // One end only; and a customer's invoices (read by account) in the range.
    const since = await graph.query(q, { from });
    expect(ids(since)).toEqual(idsOf(vendor.data.filter((i) => at(i) >= Date.parse(from))));
    const before = await graph.query(q, { to });
    expect(ids(before)).toEqual(idsOf(vendor.data.filter((i) => at(i) < Date.parse(to))));
    const owner = within[0]!.account.id;
    const mine = await graph.query(q, { from, to, c: toGlobalId('LEADERCLOUD', 'Customer', String(owner)) });
    expect(mine.errors).toBeUndefined();
    expect(ids(mine)).toEqual(idsOf(within.filter((i) => i.account.id === owner)));
  });

  it('refuses an invoice date range whose from is not before its to, before any call', async () => {
    const q = 'query($from: DateTime, $to: DateTime) { invoices(vendor: LEADERCLOUD, filter: { invoiceDate: { from: $from, to: $to } }) { nodes { id } } }';
    graph.resetCalls();
    for (const range of [{ from: '2026-07-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, { from: '2026-07-01T00:00:00Z', to: '2026-07-01T00:00:00.000Z' }]) {
      const res = await graph.query(q, range);
      expect(res.data?.invoices).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.invoiceDate' });
      expect(res.errors?.[0]?.message).toMatch(/"from".*must be before "to"/);
    }
    const bad = await graph.query(q, { from: 'last quarter' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(graph.calls().total).toBe(0);
  });

  it("serves an order's, an invoice's and a subscription's customer { id name } from the row; the account is read only when more is selected", async () => {
    graph.resetCalls();
    const rows = await graph.query(`{ orders(vendor: LEADERCLOUD, first: 40) { nodes { vendorId customer { id vendor vendorId name status } } }
      invoices(vendor: LEADERCLOUD, first: 40) { nodes { vendorId customer { id vendor vendorId name status } } }
      subscriptions(vendor: LEADERCLOUD, first: 40) { nodes { id vendorId customer { id vendor vendorId name status } } } }`);
    expect(rows.errors).toBeUndefined();
    expect(byRoute()).toEqual({ 'GET /api/orders': 1, 'GET /api/invoices': 1, 'GET /api/subscriptions': 1 });
    const customers = [...rows.data.orders.nodes, ...rows.data.invoices.nodes, ...rows.data.subscriptions.nodes].map((n: { customer: Json }) => n.customer);
    const vendorAccounts = await vendorGet<{ data: Array<{ id: number; name: string }> }>(graph.sims.leadercloud, '/api/accounts?pageSize=500');
    const names = new Map(vendorAccounts.data.map((a) => [String(a.id), a.name]));
    for (const c of customers) {
      expect(c).toEqual({ id: toGlobalId('LEADERCLOUD', 'Customer', String(c.vendorId)), vendor: 'LEADERCLOUD', vendorId: c.vendorId, name: names.get(String(c.vendorId)), status: 'ACTIVE' });
    }

    // Fields only the account has: read from the account (batched), the same as the customer itself answers.
    const fields = 'id name email phone externalId address { city countryCode } createdAt customFields { name values } raw';
    graph.resetCalls();
    const more = await graph.query(`{ orders(vendor: LEADERCLOUD, first: 40) { nodes { customer { ${fields} } } } }`);
    expect(more.errors).toBeUndefined();
    expect(byRoute()['GET /api/accounts']).toBeGreaterThanOrEqual(1);
    const shown = more.data.orders.nodes.map((n: { customer: Json }) => n.customer);
    const ids = [...new Set(shown.map((c: Json) => c.id as string))];
    const direct = await graph.query(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { ${fields} } } }`, { ids });
    expect(direct.errors).toBeUndefined();
    const byId = new Map(direct.data.nodes.map((c: Json) => [c.id, c]));
    for (const c of shown) expect(c).toEqual(byId.get(c.id));
    expect(shown.some((c: Json) => c.email && c.externalId && c.raw)).toBe(true);

    // A subscription by id: its detail names the account too (documented: the detail GET; extended: `id in (…)`).
    const sub = rows.data.subscriptions.nodes[0];
    const vendorSub = await vendorGet<{ account: { id: number; name: string } }>(graph.sims.leadercloud, `/api/subscriptions/${sub.vendorId}`);
    graph.resetCalls();
    const one = await graph.query('query($id: ID!) { subscription(id: $id) { customer { id name } } }', { id: sub.id });
    expect(one.errors).toBeUndefined();
    expect(one.data.subscription.customer).toEqual({ id: toGlobalId('LEADERCLOUD', 'Customer', String(vendorSub.account.id)), name: vendorSub.account.name });
    expect(byRoute()).toEqual(documented() ? { 'GET /api/subscriptions/:subscriptionId': 1 } : { 'GET /api/subscriptions': 1 });
    const account = await graph.query(`query($id: ID!) { customer(id: $id) { ${fields} } }`, { id: one.data.subscription.customer.id });
    graph.resetCalls();
    const full = await graph.query(`query($id: ID!) { subscription(id: $id) { customer { ${fields} } } }`, { id: sub.id });
    expect(full.errors).toBeUndefined();
    expect(full.data.subscription.customer).toEqual(account.data.customer);
    // More than `id name`: the account itself, one read.
    expect(byRoute()).toEqual(
      documented()
        ? { 'GET /api/subscriptions/:subscriptionId': 1, 'GET /api/accounts/:accountId': 1 }
        : { 'GET /api/subscriptions': 1, 'GET /api/accounts': 1 },
    );
  });

  it('finds Leader Cloud customers by external id (an account custom field)', async () => {
    const target = accounts()[7]!;
    const res = await graph.query('query($x: String) { customers(filter: { externalId: $x }) { totalCount nodes { vendor name externalId } } }', { x: target.externalId });
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.nodes).toEqual([{ vendor: 'LEADERCLOUD', name: target.name, externalId: target.externalId }]);
    const none = await graph.query('{ customers(vendor: LEADERCLOUD, filter: { externalId: "no-such-id" }) { totalCount nodes { name } } }');
    expect(none.data.customers).toEqual({ totalCount: 0, nodes: [] });
  });

  it('refreshes an expired token with exactly one token request, then succeeds', async () => {
    await graph.query('{ customers(vendor: LEADERCLOUD, first: 1) { nodes { id } } }');
    graph.sims.leadercloud.control.expireTokens();
    graph.resetCalls();
    const res = await graph.query('{ a: customers(vendor: LEADERCLOUD, first: 3) { nodes { id } } b: products(vendor: LEADERCLOUD, first: 3) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.a.nodes).toHaveLength(3);
    expect(byRoute()['POST /oauth/token']).toBe(1);
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

  it('retries a read throttled with a 403 (isRetriableError: true), then succeeds; other 403s are auth failures, not retried', async () => {
    const control = graph.sims.leadercloud.control;
    await graph.query('{ products(vendor: LEADERCLOUD, first: 2) { nodes { id } } }');
    const before = control.throttled;
    control.setRateLimit({ requests: 1, perMs: 400 });
    try {
      await fetch(`${graph.sims.leadercloud.baseUrl}/api/products`); // takes the window's one request
      graph.resetCalls();
      const res = await graph.query('{ products(vendor: LEADERCLOUD, first: 2) { nodes { id name } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.products.nodes).toHaveLength(2);
      expect(control.throttled).toBe(before + 1);
      expect(byRoute()).toEqual({ 'GET /api/products': 2 });

      control.setRateLimit({ requests: 1, perMs: 60_000 });
      await fetch(`${graph.sims.leadercloud.baseUrl}/api/products`);
      graph.resetCalls();
      const limited = await graph.query('{ products(vendor: LEADERCLOUD, first: 2) { nodes { id } } }');
      expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', vendor: 'LEADERCLOUD', httpStatus: 403, retryable: true });
      expect(byRoute()).toEqual({ 'GET /api/products': 3 }); // the read and its two retries
    } finally {
      control.setRateLimit(undefined);
    }
    control.addFault({ status: 403, times: 1, path: '^/api/products' });
    graph.resetCalls();
    const denied = await graph.query('{ products(vendor: LEADERCLOUD, first: 2) { nodes { id } } }');
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', httpStatus: 403, retryable: false });
    expect(byRoute()).toEqual({ 'GET /api/products': 1 });
  });
});

describe('Leader Cloud inferred shortcuts: on, off, auto', () => {
  const profile = suiteProfile();

  it("'auto' tries `in (…)`, and on the vendor's refusal (documented) falls back, logs once and does not try it again", async () => {
    const g = await graphWith('auto');
    const warn = vi.spyOn(logger, 'warn');
    try {
      const subs = await g.query('{ subscriptions(vendor: LEADERCLOUD, first: 6) { nodes { id name } } }');
      const ids = subs.data.subscriptions.nodes.map((n: { id: string }) => n.id);
      g.reset();
      const first = await g.query(SUBS_BY_ID, { ids });
      expect(first.errors).toBeUndefined();
      expect(first.data.nodes.map((n: { name: string }) => n.name)).toEqual(subs.data.subscriptions.nodes.map((n: { name: string }) => n.name));
      const refusals = () => warn.mock.calls.filter((c) => String(c[1]).includes('refused an inferred request form'));
      if (profile === 'documented') {
        // The refused `id in (…)` (400), then the first page of 500 (`customer { name }` comes from the rows).
        expect(g.byRoute()).toEqual({ 'GET /api/subscriptions': 2 });
        expect(refusals()).toHaveLength(1);
        expect(refusals()[0]![0]).toMatchObject({ vendor: 'LEADERCLOUD', shortcut: expect.stringContaining('in (') });
      } else {
        expect(g.byRoute()).toEqual({ 'GET /api/subscriptions': 1 });
        expect(refusals()).toHaveLength(0);
      }
      g.reset();
      const second = await g.query(SUBS_BY_ID, { ids });
      expect(second.data).toEqual(first.data);
      expect(g.byRoute()).toEqual({ 'GET /api/subscriptions': 1 });
      expect(refusals()).toHaveLength(profile === 'documented' ? 1 : 0);
    } finally {
      warn.mockRestore();
      await g.close();
    }
  });

  it('a refusal holds for every adapter of the same vendor API in the process (another credential set, a new graph): it is not tried again', async () => {
    const g = await graphWith('auto');
    try {
      const subs = await g.query('{ subscriptions(vendor: LEADERCLOUD, first: 6) { nodes { id } } }');
      const ids = subs.data.subscriptions.nodes.map((n: { id: string }) => n.id);
      await g.query(SUBS_BY_ID, { ids }); // documented: refused once here
      // A second graph with adapters of its own over the same simulator (the same API base URL).
      const other = await createGraphServer({ adapters: buildAdapters(simulatorVendorConfig(g.sims, 5_000, 'auto'), { simulated: true }), sandbox: false });
      try {
        await other.app.listen({ port: 0, host: '127.0.0.1' });
        const address = (other.app as FastifyInstance).server.address();
        const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
        const ask = async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SUBS_BY_ID, variables: { ids } }) })).json() as Promise<GraphResponse<Any>>;
        g.reset();
        const answer = await ask();
        expect(answer.errors).toBeUndefined();
        expect(answer.data.nodes).toHaveLength(6);
        // Its token, and one call: `id in (…)` in extended; in documented straight to the documented form, no second refusal.
        expect(g.byRoute()).toEqual({ 'POST /oauth/token': 1, 'GET /api/subscriptions': 1 });
      } finally {
        await other.app.close();
      }
    } finally {
      await g.close();
    }
  });

  it("'on' always sends the shortcut: an error where the vendor refuses it (documented), batches of at most 2,000 characters", async () => {
    const g = await graphWith('on');
    try {
      const subs = await g.query('{ subscriptions(vendor: LEADERCLOUD, first: 100) { nodes { id } } }');
      const ids = subs.data.subscriptions.nodes.map((n: { id: string }) => n.id);
      expect(ids).toHaveLength(100);
      g.reset();
      const res = await g.query('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on ServiceSubscription { name } } }', { ids });
      await new Promise((resolve) => setTimeout(resolve, 200)); // a refused batch answers the query while the others are in flight
      // 100 GUIDs in `id in (guid'…',…)` (4,944 characters in one) cut by the length of the query string: 3 calls of ≤ 2,000.
      expect(g.byRoute()).toEqual({ 'GET /api/subscriptions': 3 });
      if (profile === 'documented') {
        // A 400 (the filter), never IIS's 404.15: no query string was over 2,048 characters.
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', vendor: 'LEADERCLOUD', httpStatus: 400 });
      } else {
        expect(res.errors).toBeUndefined();
        expect(res.data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
      }
    } finally {
      await g.close();
    }
  });

  it("'off' never sends an inferred form: documented calls only, the same data", async () => {
    const g = await graphWith('off');
    try {
      const res = await g.query(DASHBOARD, { first: 5 });
      expect(res.errors).toBeUndefined();
      const names = new Map(g.sims.world.customersOf('leadercloud').map((c) => [c.name, c.externalId]));
      for (const n of res.data.customers.nodes) expect(n.externalId).toBe(names.get(n.name));
      g.reset();
      await g.query(DASHBOARD, { first: 5 });
      // No include=customFields: each external id from GET /api/accounts/{id}/customfields.
      expect(g.byRoute()).toEqual({
        'GET /api/accounts': 1,
        'GET /api/accounts/:accountId/customfields': 5,
        'GET /api/subscriptions': 1,
      });
      const byName = await g.query('{ customers(vendor: LEADERCLOUD, first: 100, filter: { name: "dental" }) { totalCount nodes { name } } }');
      const dental = g.sims.world.customersOf('leadercloud').filter((c) => c.name.toLowerCase().includes('dental'));
      expect(byName.data.customers.nodes.map((n: { name: string }) => n.name)).toEqual(dental.map((c) => c.name));
      const one = await g.query('{ subscriptions(vendor: LEADERCLOUD, first: 1) { nodes { id name } } }');
      g.reset();
      const single = await g.query(SUBS_BY_ID, { ids: [one.data.subscriptions.nodes[0].id] });
      expect(single.data.nodes[0].name).toBe(one.data.subscriptions.nodes[0].name);
      expect(g.byRoute()).toEqual({ 'GET /api/subscriptions/:subscriptionId': 1 });
    } finally {
      await g.close();
    }
  });

  it('documented by-id loads choose detail GETs or the remaining pages, whichever costs fewer calls', async () => {
    const g = await graphWith('off', { seed: 5, size: 420 });
    try {
      const total = (await vendorGet<{ paging: { totalRecords: number; totalPages: number } }>(g.lc, '/api/subscriptions?pageSize=500')).paging;
      expect(total.totalPages).toBe(2);
      // Subscriptions past the first page of 500.
      const page2 = await vendorGet<{ data: Array<{ id: string; name: string }> }>(g.lc, '/api/subscriptions?pageSize=500&pageIndex=2');
      const ids = page2.data.slice(0, 3).map((s) => toGlobalId('LEADERCLOUD', 'Subscription', s.id));
      const q = 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on ServiceSubscription { name } } }';
      await g.query('{ subscriptions(vendor: LEADERCLOUD, first: 1) { nodes { id } } }'); // the graph's token
      g.reset();
      const three = await g.query(q, { ids });
      expect(three.data.nodes.map((n: { name: string }) => n.name)).toEqual(page2.data.slice(0, 3).map((s) => s.name));
      // First page (500 rows, none of them), then 3 missing ids > 1 remaining page: read the last page.
      expect(g.byRoute()).toEqual({ 'GET /api/subscriptions': 2 });
      g.reset();
      const firstOfPage1 = (await vendorGet<{ data: Array<{ id: string; name: string }> }>(g.lc, '/api/subscriptions?pageSize=1')).data[0]!;
      g.reset();
      const two = await g.query(q, { ids: [ids[0], toGlobalId('LEADERCLOUD', 'Subscription', firstOfPage1.id)] });
      expect(two.data.nodes.map((n: { name: string }) => n.name)).toEqual([page2.data[0]!.name, firstOfPage1.name]);
      // First page (has one of them), then 1 missing id ≤ 1 remaining page: one detail GET.
      expect(g.byRoute()).toEqual({ 'GET /api/subscriptions': 1, 'GET /api/subscriptions/:subscriptionId': 1 });
    } finally {
      await g.close();
    }
  });
});


describe("Leader Cloud: a customer's subscriptions of one status", () => {
  // 80 accounts and 207 subscriptions: every list fits one page of 500.
  const world = { seed: 11, size: 150 };
  const OVERVIEW = '{ customers(vendor: LEADERCLOUD, first: 100) { nodes { vendorId subscriptions(status: ACTIVE) { nodes { id status } } } } }';
  let graph: Graph;
  let proxy: VendorProxy;
  beforeAll(async () => {
    proxy = await vendorProxy();
    graph = await startGraph({ vendors: ['leadercloud'], ...world, vendorConfig: (v) => ({ ...v, leadercloud: { ...v.leadercloud!, baseUrl: proxy.via(v.leadercloud!.baseUrl) } }) });
  });
  afterAll(async () => {
    await graph.close();
    await proxy.close();
  });

  /** The `$filter` of each subscription list request since the last reset. */
  const subscriptionFilters = () =>
    proxy.seen.map((u) => new URL(u, 'http://x')).filter((u) => u.pathname.endsWith('/api/subscriptions')).map((u) => u.searchParams.get('$filter'));

  it('sends the status to the vendor (with `accountId in (…)` in extended, on the whole list in documented): the API minimum, every active subscription', async () => {
    proxy.seen.length = 0;
    expect((await graph.query(OVERVIEW)).errors).toBeUndefined(); // the token
    // A fresh adapter knows no length yet: its lookahead asks for the whole active list with
    // the accounts, and keeps it (the page holds every account, and the list is one page),
    // so `accountId in (…)` is not even tried.
    expect(subscriptionFilters()).toEqual(["status eq 'Active'"]);
    expect(graph.calls().byVendor.leadercloud!.byRoute).toMatchObject({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    graph.resetCalls();
    proxy.seen.length = 0;
    const res = await graph.query(OVERVIEW);
    expect(res.errors).toBeUndefined();
    // Both profiles now: the whole active list (extended: the page holds every account and the
    // active list is known to be one page, no more than the one `in (…)` call, so the lookahead reads it with the accounts).
    expect(subscriptionFilters()).toEqual(["status eq 'Active'"]);
    const data = worldData(graph.sims.world);
    const minimum = licenseOverviewMinimum(data, 'leadercloud', graph.profile);
    expect(graph.calls().total).toBe(minimum.calls);
    expect(graph.calls().byVendor.leadercloud!.byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });

    // The answer is the vendor's: each account's active subscriptions, all of them.
    const vendorSubs = await vendorGet<{ data: Array<{ id: string; status: string; account: { id: number } }>; paging: { totalPages: number } }>(
      graph.sims.leadercloud,
      '/api/subscriptions?pageSize=500',
    );
    expect(vendorSubs.paging.totalPages).toBe(1);
    const active = vendorSubs.data.filter((s) => s.status === 'Active');
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThan(vendorSubs.data.length);
    const nodes: Array<{ vendorId: string; subscriptions: { nodes: Array<{ id: string; status: string }> } }> = res.data.customers.nodes;
    expect(nodes).toHaveLength(data.lc.accounts.length);
    const shown = nodes.flatMap((c) => c.subscriptions.nodes.map((s) => ({ account: c.vendorId, id: fromGlobalId(s.id).vendorId, status: s.status })));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(shown.sort(byId)).toEqual(active.map((s) => ({ account: String(s.account.id), id: s.id, status: 'ACTIVE' })).sort(byId));
  });

  it('reads every status and one status side by side, and the status of a subscription list filtered by customer, at the vendor', async () => {
    const vendorSubs = await vendorGet<{ data: Array<{ id: string; status: string; account: { id: number } }> }>(graph.sims.leadercloud, '/api/subscriptions?pageSize=500');
    const owner = vendorSubs.data.find((s) => s.status === 'Suspended')?.account.id ?? vendorSubs.data[0]!.account.id;
    const mine = vendorSubs.data.filter((s) => s.account.id === owner);
    const ids = (nodes: Array<{ id: string }>) => nodes.map((n) => fromGlobalId(n.id).vendorId).sort();
    const q = `query($c: ID!) { customer(id: $c) { all: subscriptions { nodes { id } } suspended: subscriptions(status: SUSPENDED) { nodes { id status } } }
      active: subscriptions(first: 100, filter: { customerId: $c, status: ACTIVE }) { nodes { id status } } }`;
    // documented: the first `accountId in (…)` is refused here (the overview before read the whole list without trying it).
    expect((await graph.query(q, { c: toGlobalId('LEADERCLOUD', 'Customer', String(owner)) })).errors).toBeUndefined();
    graph.resetCalls();
    proxy.seen.length = 0;
    const res = await graph.query(q, { c: toGlobalId('LEADERCLOUD', 'Customer', String(owner)) });
    expect(res.errors).toBeUndefined();
    expect(ids(res.data.customer.all.nodes)).toEqual(mine.map((s) => s.id).sort());
    expect(ids(res.data.customer.suspended.nodes)).toEqual(mine.filter((s) => s.status === 'Suspended').map((s) => s.id).sort());
    expect(ids(res.data.active.nodes)).toEqual(mine.filter((s) => s.status === 'Active').map((s) => s.id).sort());
    const filters = subscriptionFilters();
    for (const status of ['Suspended', 'Active']) expect(filters.filter((f) => f?.endsWith(`status eq '${status}'`))).toHaveLength(1);
  });
});

describe('Leader Cloud license overview over several graph pages', () => {
  // A world with several graph pages of accounts (200 a page) and several vendor pages of subscriptions (500 a page).
  const world = { seed: 3, size: 1000 };
  const GRAPH_PAGE = 200;

  async function pageThrough(query: (document: string, variables: Json) => Promise<GraphResponse<Any>>): Promise<number> {
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const res: GraphResponse<Any> = await query(licenseOverview('LEADERCLOUD'), { first: GRAPH_PAGE, after });
      expect(res.errors).toBeUndefined();
      if (!res.data.customers.pageInfo.hasNextPage) return pages;
      after = res.data.customers.pageInfo.endCursor;
    }
  }

  /** Pages of 500 of the active subscriptions (`$filter=status eq 'Active'`), as the vendor counts them. */
  const activePages = async (lc: RunningSimulator) =>
    (await vendorGet<{ paging: { totalPages: number } }>(lc, `/api/subscriptions?pageSize=500&$filter=${encodeURIComponent("status eq 'Active'")}`)).paging.totalPages;

  // Documented: no documented filter reaches `accountId`, so every graph page needs the whole active subscription list.
  it.skipIf(suiteProfile() !== 'documented')('reads each vendor page of the accounts and active subscriptions once with the cross-request cache (the API minimum), and per graph page without it', async () => {
    const cached = await startGraph({ vendors: ['leadercloud'], ...world, cache: new ResponseCache() });
    try {
      const lc = cached.sims.leadercloud;
      const subscriptionPages = await activePages(lc);
      const accounts = cached.sims.world.customersOf('leadercloud').length;
      const graphPages = Math.ceil(accounts / GRAPH_PAGE);
      const accountPages = Math.ceil(accounts / 500);
      expect(subscriptionPages).toBeGreaterThan(1);
      expect(graphPages).toBeGreaterThan(accountPages);
      cached.resetCalls();
      expect(await pageThrough(cached.query)).toBe(graphPages);
      // Each vendor page of the accounts and of the active subscription list comes from the
      // vendor once (and one refusal of `accountId in (…)` on the first graph page); the later
      // graph pages find them in the cache (accounts are read in whole vendor pages of 500 for that).
      expect(lc.control.stats().byRoute).toEqual({ 'POST /oauth/token': 1, 'GET /api/accounts': accountPages, 'GET /api/subscriptions': subscriptionPages + 1 });
      expect(accountPages + subscriptionPages).toBe(licenseOverviewMinimum(worldData(cached.sims.world), 'leadercloud', 'documented').calls);
      // The same again: all from the cache.
      cached.resetCalls();
      await pageThrough(cached.query);
      expect(lc.control.stats().total).toBe(0);
    } finally {
      await cached.close();
    }

    const uncached = await graphWith('auto', world);
    try {
      const subscriptionPages = await activePages(uncached.lc);
      uncached.reset();
      const graphPages = await pageThrough(uncached.query);
      // Without the cache: each graph page reads its own accounts and the whole active subscription list again.
      expect(uncached.byRoute()).toEqual({ 'POST /oauth/token': 1, 'GET /api/accounts': graphPages, 'GET /api/subscriptions': graphPages * subscriptionPages + 1 });
    } finally {
      await uncached.close();
    }
  });
});
