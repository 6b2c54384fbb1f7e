/**
 * The graph over the Ingram Micro Cloud Marketplace simulator, over real HTTP (no mocks):
 * paging and filters against the simulator's own data, relations (reseller, subscriptions
 * with products and prices, orders with items, reseller customers), service plans,
 * products, a report scheduled upstream and finished on the simulated clock, node(id) for
 * every type, exact upstream cost, id validation, unsupported families, outages, token
 * expiry, 429 retries and secret-free `raw`.
 *
 * Runs once per simulator profile (`graph.profile`). Under `documented` the simulator
 * serves customer and reseller list rows with only `id, externalId, name, status` and at
 * most 100 rows a page whatever `limit` asks for; under `extended` full rows and up to 1000.
 * The answers are the same in both; only the upstream cost differs, and each profile
 * asserts its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/ids.js';
import type { EntityKind } from '../../src/model.js';
import { REPORT_COMPLETED_MS } from '../../src/simulators/ingram/index.js';
import { toCustomer } from '../../src/vendors/ingram/mappers.js';
import { emptyIngramData, ingramClient } from '../helpers/vendor-clients.js';
import { startGraph, type Graph, type GraphResponse } from '../helpers/graph.js';

const SEED = 5;
/** 200 world companies give 109 Ingram customers (3 resellers, 273 subscriptions) for this seed. */
const SIZE = 200;

const P = '/marketplace/:region';
const ROUTE = {
  token: `POST ${P}/token`,
  customers: `GET ${P}/customers`,
  customer: `GET ${P}/customers/:id`,
  reseller: `GET ${P}/resellers/:id`,
  resellerCustomers: `GET ${P}/resellers/:id/customers`,
  subscriptions: `GET ${P}/subscriptions`,
  subscription: `GET ${P}/subscriptions/:id`,
  orders: `GET ${P}/orders`,
  order: `GET ${P}/orders/:id`,
  products: `GET ${P}/products`,
  plans: `GET ${P}/plans`,
  reports: `GET ${P}/reports`,
  report: `GET ${P}/reports/:reportId`,
};

/* eslint-disable @typescript-eslint/no-explicit-any -- simulator JSON is read loosely in tests */
type J = any;

const gid = (kind: EntityKind, vendorId: string) => toGlobalId('INGRAM', kind, vendorId);

/** Every detail-only Customer field (and the reseller relation). */
const CUSTOMER_DETAIL =
  'vendorId name externalId vendorStatus email phone address { street street2 city postalCode state countryCode } contacts { role firstName lastName email phone } reseller { vendorId }';

/** The graph's status for an Ingram account status. */
function statusOf(c: J): string {
  return ({ active: 'ACTIVE', pending: 'PENDING', creditHold: 'SUSPENDED', adminHold: 'SUSPENDED', cancelled: 'CANCELLED' } as Record<string, string>)[c.status] ?? 'UNKNOWN';
}

/** The main contact's email: the admin contact, else the first. */
const mainEmail = (c: J) => (c.contactPersons.find((p: J) => p.type === 'admin') ?? c.contactPersons[0]).email;

/** What CUSTOMER_DETAIL answers for a customer, from the simulator's GET /customers/{id}. */
function expectedCustomer(c: J) {
  const main = c.contactPersons.find((p: J) => p.type === 'admin') ?? c.contactPersons[0];
  const a = c.address;
  return {
    vendorId: c.id,
    name: c.name,
    externalId: c.externalId ?? null,
    vendorStatus: c.status,
    email: main.email,
    phone: main.phoneNumber,
    address: { street: a.streetAddress, street2: a.addressExtension ?? null, city: a.city, postalCode: a.postalCode, state: a.state ?? null, countryCode: a.countryCode },
    contacts: c.contactPersons.map((p: J) => ({ role: p.type, firstName: p.firstName, lastName: p.lastName, email: p.email, phone: p.phoneNumber })),
    reseller: { vendorId: c.resellerId },
  };
}

describe('graph over Ingram Micro Cloud Marketplace', () => {
  let graph: Graph;
  /** The simulator's own data, read over HTTP before any test runs. */
  const sim = emptyIngramData();

  let client: ReturnType<typeof ingramClient> | undefined;
  /** Calls the simulator directly (as another API client would), with its own token. */
  async function simCall(method: string, path: string, body?: unknown): Promise<J> {
    client ??= ingramClient(graph.sims.ingram);
    const res = await client<J>(method, path, body);
    expect(res.status).toBeLessThan(300);
    return res.body;
  }
  /** Every row of a simulator list, advancing by the rows each page returned (`documented` caps pages at 100). */
  const simAll = async (path: string) => {
    const rows: J[] = [];
    for (;;) {
      const page = await simCall('GET', `${path}${path.includes('?') ? '&' : '?'}offset=${rows.length}&limit=1000`);
      rows.push(...page.data);
      if (page.data.length === 0 || rows.length >= page.pagination.total) return rows;
    }
  };
  /** The detail GET of each row: customer and reseller list rows are thin under `documented`. */
  const simDetails = (path: string, rows: J[]) => Promise.all(rows.map((r) => simCall('GET', `${path}/${String(r.id)}`)));

  const routes = () => graph.calls().byVendor.ingram!.byRoute;
  /** The upstream cost this profile should have. */
  const cost = <T>(documented: T, extended: T): T => (graph.profile === 'documented' ? documented : extended);

  beforeAll(async () => {
    graph = await startGraph({ vendors: ['ingram'], seed: SEED, size: SIZE });
    sim.customers = await simDetails('customers', await simAll('customers'));
    sim.resellers = await simDetails('resellers', await simAll('resellers'));
    sim.subscriptions = await simAll('subscriptions');
    sim.orders = await simAll('orders');
    sim.products = await simAll('products');
    sim.plans = await simAll('plans');
    sim.reports = await simAll('reports');
    // Warm the graph's token so that call counts below are of data calls only.
    await graph.query('{ resellers(vendor: INGRAM, first: 1) { nodes { id } } }');
  });
  afterAll(() => graph.close());

  it('has the data this suite was written against', () => {
    expect(sim.customers).toHaveLength(109);
    expect(sim.resellers).toHaveLength(3);
    expect(sim.subscriptions).toHaveLength(273);
    expect(sim.customers.length).toBe(graph.sims.world.customersOf('ingram').length);
  });

  it('pages through every customer with one cursor, newest first, matching the simulator', async () => {
    const seen: Array<{ vendorId: string; name: string; externalId: string }> = [];
    let after: string | null = null;
    let pages = 0;
    graph.resetCalls();
    for (;;) {
      const res: GraphResponse = await graph.query(
        'query($after: String) { customers(vendor: INGRAM, first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id vendor vendorId name externalId } } }',
        { after },
      );
      expect(res.errors).toBeUndefined();
      const c = res.data.customers;
      expect(c.totalCount).toBe(109);
      for (const n of c.nodes) expect(fromGlobalId(n.id)).toEqual({ vendor: 'INGRAM', kind: 'Customer', vendorId: n.vendorId });
      seen.push(...c.nodes.map((n: J) => ({ vendorId: n.vendorId, name: n.name, externalId: n.externalId })));
      pages++;
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) break;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(sim.customers.map((c) => ({ vendorId: c.id, name: c.name, externalId: c.externalId })));
    // Newest first: ids grow with creation.
    const ids = seen.map((c) => Number(c.vendorId));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // One offset/limit call per page (totalCount comes with it).
    expect(routes()).toEqual({ [ROUTE.customers]: 5 });
  });

  it('returns every customer for first: 500 although the vendor serves fewer rows a page than asked', async () => {
    graph.resetCalls();
    const res = await graph.query('{ customers(vendor: INGRAM, first: 500) { totalCount pageInfo { hasNextPage } nodes { vendorId name } } }');
    expect(res.errors).toBeUndefined();
    const c = res.data.customers;
    expect(c.totalCount).toBe(109);
    expect(c.pageInfo.hasNextPage).toBe(false);
    expect(c.nodes).toEqual(sim.customers.map((x) => ({ vendorId: x.id, name: x.name })));
    // `extended`: one page (limit 500 gives all 109). `documented`: the first page brings 100
    // rows (the gateway's cap), the client asks for the other 9 from offset 100.
    expect(routes()).toEqual({ [ROUTE.customers]: cost(2, 1) });

    // A window that straddles the cap: 105 rows from the start, then the rest after its cursor.
    graph.resetCalls();
    const head = await graph.query('{ customers(vendor: INGRAM, first: 105) { pageInfo { hasNextPage endCursor } nodes { vendorId } } }');
    expect(head.data.customers.nodes.map((n: J) => n.vendorId)).toEqual(sim.customers.slice(0, 105).map((x) => x.id));
    expect(head.data.customers.pageInfo.hasNextPage).toBe(true);
    const tail = await graph.query('query($a: String) { customers(vendor: INGRAM, first: 500, after: $a) { pageInfo { hasNextPage } nodes { vendorId } } }', { a: head.data.customers.pageInfo.endCursor });
    expect(tail.data.customers.nodes.map((n: J) => n.vendorId)).toEqual(sim.customers.slice(105).map((x) => x.id));
    expect(tail.data.customers.pageInfo.hasNextPage).toBe(false);
    expect(routes()).toEqual({ [ROUTE.customers]: cost(3, 2) });
  });

  it('resolves nodes() for customers past the first vendor page, with detail fields equal to the detail GET', async () => {
    const chosen = sim.customers.slice(79); // rows 79..108: 21 of them past row 100
    expect(chosen).toHaveLength(30);
    const ids = chosen.map((c) => gid('Customer', c.id));
    graph.resetCalls();
    const names = await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { vendorId name status } } }', { ids });
    expect(names.errors).toBeUndefined();
    expect(names.data.nodes).toEqual(chosen.map((c) => ({ vendorId: c.id, name: c.name, status: statusOf(c) })));
    // 30 ids > MANY: the customer list, read to its end (one page, or 100 + 9).
    expect(routes()).toEqual({ [ROUTE.customers]: cost(2, 1) });

    graph.resetCalls();
    const full = await graph.query(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { ${CUSTOMER_DETAIL} } } }`, { ids });
    expect(full.errors).toBeUndefined();
    expect(full.data.nodes).toEqual(chosen.map(expectedCustomer));
    // `documented` rows lack contacts, address and reseller id: one GET /customers/{id} each,
    // however many of those fields are selected; `extended` rows have them all.
    // Customer.reseller is one GET per distinct reseller in both.
    const resellers = new Set(chosen.map((c) => c.resellerId)).size;
    expect(routes()).toEqual(cost(
      { [ROUTE.customers]: 2, [ROUTE.customer]: 30, [ROUTE.reseller]: resellers },
      { [ROUTE.customers]: 1, [ROUTE.reseller]: resellers },
    ));
  });

  it('reads detail-only customer fields of a list from the detail GET only when they are selected', async () => {
    const first30 = sim.customers.slice(0, 30);
    graph.resetCalls();
    const basic = await graph.query('{ customers(vendor: INGRAM, first: 30) { nodes { vendorId name externalId status } } }');
    expect(basic.errors).toBeUndefined();
    expect(basic.data.customers.nodes).toEqual(first30.map((c) => ({ vendorId: c.id, name: c.name, externalId: c.externalId, status: statusOf(c) })));
    // id, externalId, name and status are in every list row: no detail GET in either profile.
    expect(routes()).toEqual({ [ROUTE.customers]: 1 });

    graph.resetCalls();
    const full = await graph.query(`{ customers(vendor: INGRAM, first: 30) { nodes { ${CUSTOMER_DETAIL} } } }`);
    expect(full.errors).toBeUndefined();
    expect(full.data.customers.nodes).toEqual(first30.map(expectedCustomer));
    const resellers = new Set(first30.map((c) => c.resellerId)).size;
    expect(routes()).toEqual(cost(
      { [ROUTE.customers]: 1, [ROUTE.customer]: 30, [ROUTE.reseller]: resellers },
      { [ROUTE.customers]: 1, [ROUTE.reseller]: resellers },
    ));
    // At most 8 detail GETs at once.
    expect(graph.calls().byVendor.ingram!.peakInFlight).toBeLessThanOrEqual(8);

    // Only email: still one detail GET per customer under `documented` (deduplicated with nothing else).
    graph.resetCalls();
    const emails = await graph.query('{ customers(vendor: INGRAM, first: 5) { nodes { email email2: email } } }');
    expect(emails.data.customers.nodes.map((n: J) => n.email)).toEqual(sim.customers.slice(0, 5).map(mainEmail));
    expect(routes()).toEqual(cost({ [ROUTE.customers]: 1, [ROUTE.customer]: 5 }, { [ROUTE.customers]: 1 }));
  });

  it('reads detail-only reseller fields of the reseller list from the detail GET', async () => {
    graph.resetCalls();
    const res = await graph.query('{ resellers(vendor: INGRAM) { nodes { vendorId name externalId status vendorStatus currency address { street city countryCode } contacts { role email } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.resellers.nodes).toEqual(
      sim.resellers.map((r) => ({
        vendorId: r.id,
        name: r.name,
        externalId: r.externalId ?? null,
        status: 'ACTIVE',
        vendorStatus: r.status,
        currency: r.currency,
        address: { street: r.address.streetAddress, city: r.address.city, countryCode: r.address.countryCode },
        contacts: r.contactPersons.map((p: J) => ({ role: p.type, email: p.email })),
      })),
    );
    expect(routes()).toEqual(cost({ [`GET ${P}/resellers`]: 1, [ROUTE.reseller]: 3 }, { [`GET ${P}/resellers`]: 1 }));
  });

  it('answers the README dashboard query, every page, with no error', async () => {
    const dashboard = `query Dashboard($after: String) {
      customers(first: 50, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          vendor
          name
          externalId
          subscriptions(status: ACTIVE) {
            nodes {
              name
              quantity
              renewalDate
              price { amount currency }
              product { name sku }
            }
          }
        }
      }
    }`;
    const seen: J[] = [];
    let after: string | null = null;
    let first = true;
    for (;;) {
      graph.resetCalls();
      const res: GraphResponse = await graph.query(dashboard, { after });
      expect(res.errors).toBeUndefined();
      const c = res.data.customers;
      expect(c.totalCount).toBe(109);
      seen.push(...c.nodes);
      if (first) {
        // 50 customers (one page in both profiles) + `GET /subscriptions?status=active` (a spec
        // filter; 50 customers > MANY: the whole active list, 1 page, or pages of 100) + one
        // detail GET per ACTIVE subscription of those customers. `product { name sku }` comes
        // from the subscription's own product line: no catalogue read.
        const ids = new Set(sim.customers.slice(0, 50).map((x) => x.id));
        const subs = sim.subscriptions.filter((s) => ids.has(s.customerId) && s.status === 'active').length;
        const active = sim.subscriptions.filter((s) => s.status === 'active').length;
        expect(routes()).toEqual({ [ROUTE.customers]: 1, [ROUTE.subscriptions]: cost(Math.ceil(active / 100), 1), [ROUTE.subscription]: subs });
        const lists = graph.sims.ingram.control.received().filter((r) => r.path.endsWith('/subscriptions'));
        expect(lists.every((r) => r.query.includes('status') && !r.query.includes('customerId'))).toBe(true);
        first = false;
      }
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) break;
    }
    expect(seen.map((n) => n.name)).toEqual(sim.customers.map((x) => x.name));
    expect(seen.map((n) => n.externalId)).toEqual(sim.customers.map((x) => x.externalId));
    for (const [i, n] of seen.entries()) {
      const c = sim.customers[i];
      expect(n).toMatchObject({ id: gid('Customer', c.id), vendor: 'INGRAM' });
      const active = sim.subscriptions.filter((s) => s.customerId === c.id && s.status === 'active');
      expect(n.subscriptions.nodes.map((s: J) => s.name)).toEqual(active.map((s) => s.name));
      for (const s of n.subscriptions.nodes) {
        expect(s.quantity).toBeGreaterThan(0);
        expect(s.price.amount).toMatch(/^\d+\.\d{2,4}$/);
        expect(s.product.sku).toBeTruthy();
      }
    }
  });

  it('filters customers by name and externalId in the vendor, and by status in the graph', async () => {
    const target = sim.customers[7];
    const word = String(target.name).split(' ')[0]!;
    graph.resetCalls();
    const byName = await graph.query('query($n: String) { customers(vendor: INGRAM, first: 100, filter: { name: $n }) { totalCount nodes { vendorId name } } }', { n: word.toLowerCase() });
    expect(byName.errors).toBeUndefined();
    const expected = sim.customers.filter((c) => c.name.toLowerCase().includes(word.toLowerCase()));
    expect(byName.data.customers.nodes.map((n: J) => n.vendorId)).toEqual(expected.map((c) => c.id));
    expect(byName.data.customers.totalCount).toBe(expected.length);
    expect(routes()).toEqual({ [ROUTE.customers]: 1 });

    const byExternal = await graph.query('query($x: String) { customers(vendor: INGRAM, filter: { externalId: $x }) { totalCount nodes { vendorId externalId } } }', { x: target.externalId });
    expect(byExternal.data.customers.nodes).toEqual([{ vendorId: target.id, externalId: target.externalId }]);

    const suspended = await graph.query('{ customers(vendor: INGRAM, first: 100, filter: { status: SUSPENDED }) { totalCount nodes { vendorId status vendorStatus } } }');
    expect(suspended.errors).toBeUndefined();
    const held = sim.customers.filter((c) => c.status === 'creditHold' || c.status === 'adminHold');
    expect(held.length).toBeGreaterThan(0);
    expect(suspended.data.customers.totalCount).toBe(held.length);
    expect(suspended.data.customers.nodes.map((n: J) => [n.vendorId, n.status, n.vendorStatus])).toEqual(held.map((c) => [c.id, 'SUSPENDED', c.status]));
  });

  it('resolves a customer by id with its reseller, address and contacts', async () => {
    const c = sim.customers.find((x) => x.resellerId !== sim.resellers.at(-1).id) ?? sim.customers[0];
    const reseller = sim.resellers.find((r) => r.id === c.resellerId);
    graph.resetCalls();
    const res = await graph.query(
      'query($id: ID!) { customer(id: $id) { vendorId name status email externalId address { street city postalCode countryCode } contacts { role firstName email phone } reseller { id vendorId name currency status } } }',
      { id: gid('Customer', c.id) },
    );
    expect(res.errors).toBeUndefined();
    const got = res.data.customer;
    expect(got).toMatchObject({ vendorId: c.id, name: c.name, externalId: c.externalId, address: { street: c.address.streetAddress, city: c.address.city, countryCode: c.address.countryCode } });
    expect(got.contacts).toHaveLength(c.contactPersons.length);
    expect(got.email).toBe(c.contactPersons.find((p: J) => p.type === 'admin')?.email ?? c.contactPersons[0].email);
    expect(got.reseller).toMatchObject({ vendorId: reseller.id, name: reseller.name, currency: reseller.currency, status: 'ACTIVE' });
    expect(routes()).toEqual({ [ROUTE.customer]: 1, [ROUTE.reseller]: 1 });
  });

  it('lists subscriptions by status with their products and prices (decimal strings, as the API has them)', async () => {
    const res = await graph.query(
      '{ subscriptions(vendor: INGRAM, first: 40, filter: { status: ACTIVE }) { totalCount nodes { vendorId status vendorStatus quantity sku autoRenew price { amount currency } customer { vendorId } product { vendorId sku name } } } }',
    );
    expect(res.errors).toBeUndefined();
    const active = sim.subscriptions.filter((s) => s.status === 'active');
    const subs = res.data.subscriptions;
    expect(subs.totalCount).toBe(active.length);
    expect(subs.nodes.map((s: J) => s.vendorId)).toEqual(active.slice(0, 40).map((s) => s.id));
    for (const s of subs.nodes) {
      expect(s).toMatchObject({ status: 'ACTIVE', vendorStatus: 'active' });
      expect(s.product.sku).toBe(s.sku);
      expect(s.product.vendorId).toBe(s.sku);
      expect(s.price.amount).toMatch(/^\d+\.\d{2,4}$/);
    }
    // Prices are the API's strings, unchanged.
    const detail = await simCall('GET', `subscriptions/${subs.nodes[0].vendorId}`);
    expect(subs.nodes[0]).toMatchObject({ quantity: detail.products[0].quantity, sku: detail.products[0].mpn, price: detail.totalPrice, customer: { vendorId: detail.customerId } });

    // CANCELLED covers two Ingram statuses (terminated, removed): merged newest first.
    const cancelled = await graph.query('{ subscriptions(vendor: INGRAM, first: 500, filter: { status: CANCELLED }) { totalCount nodes { vendorId status vendorStatus } } }');
    expect(cancelled.errors).toBeUndefined();
    const ended = sim.subscriptions.filter((s) => s.status === 'terminated' || s.status === 'removed');
    expect(ended.length).toBeGreaterThan(0);
    expect(cancelled.data.subscriptions.totalCount).toBe(ended.length);
    expect(cancelled.data.subscriptions.nodes.map((s: J) => s.vendorId)).toEqual(ended.map((s) => s.id));

    const none = await graph.query('{ subscriptions(vendor: INGRAM, filter: { status: PENDING_CANCELLATION }) { totalCount nodes { id } } }');
    expect(none.data.subscriptions).toEqual({ totalCount: 0, nodes: [] });
  });

  it('filters subscriptions of one customer, and a customer\'s subscriptions by status', async () => {
    const customerId = sim.subscriptions[0].customerId;
    const mine = sim.subscriptions.filter((s) => s.customerId === customerId);
    const res = await graph.query(
      'query($c: ID!) { subscriptions(first: 100, filter: { customerId: $c }) { totalCount nodes { vendorId customer { vendorId } } } customer(id: $c) { subscriptions(status: ACTIVE) { nodes { vendorId status } } } }',
      { c: gid('Customer', customerId) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.subscriptions.nodes.map((s: J) => s.vendorId)).toEqual(mine.map((s) => s.id));
    expect(res.data.subscriptions.nodes.every((s: J) => s.customer.vendorId === customerId)).toBe(true);
    expect(res.data.customer.subscriptions.nodes.map((s: J) => s.vendorId)).toEqual(mine.filter((s) => s.status === 'active').map((s) => s.id));
  });

  it('resolves orders with their items, products and subscriptions', async () => {
    const sales = sim.orders.find((o) => o.type === 'sales' && o.status === 'completed');
    graph.resetCalls();
    const res = await graph.query(
      'query($c: ID!) { customer(id: $c) { orders { totalCount nodes { vendorId number status vendorStatus type total { amount currency } items { name sku quantity unitPrice { amount currency } total { amount currency } product { sku } subscription { vendorId customer { vendorId } } } } } } }',
      { c: gid('Customer', sales.customerId) },
    );
    expect(res.errors).toBeUndefined();
    const cost = routes();
    const orders = res.data.customer.orders;
    const mine = sim.orders.filter((o) => o.customerId === sales.customerId);
    expect(orders.nodes.map((o: J) => o.number)).toEqual(mine.map((o) => o.orderNumber));
    const order = orders.nodes.find((o: J) => o.vendorId === sales.id);
    const detail = await simCall('GET', `orders/${sales.id}`);
    expect(order).toMatchObject({ number: detail.orderNumber, status: 'COMPLETED', vendorStatus: 'completed', type: 'sales', total: detail.total });
    expect(order.items).toEqual(
      detail.products.map((l: J, i: number) => ({
        name: l.name,
        sku: l.mpn,
        quantity: l.quantity,
        unitPrice: detail.details[i].unitPrice,
        total: l.extendedPrice,
        product: { sku: l.mpn },
        subscription: { vendorId: l.subscriptionId, customer: { vendorId: sales.customerId } },
      })),
    );

    // 1 customer + 1 `/orders?customerId=` + 1 OrderDetailed per order (list items have no product lines)
    // + 1 catalogue read for every item's product + 1 SubscriptionDetailed per distinct subscription
    // (its customer is the one already loaded).
    const subscriptionIds = new Set(orders.nodes.flatMap((o: J) => o.items.map((i: J) => i.subscription?.vendorId)).filter(Boolean));
    expect(cost).toEqual({ [ROUTE.customer]: 1, [ROUTE.orders]: 1, [ROUTE.order]: mine.length, [ROUTE.products]: 1, [ROUTE.subscription]: subscriptionIds.size });

    const failed = await graph.query('{ orders(vendor: INGRAM, first: 50, filter: { status: FAILED }) { totalCount nodes { vendorId status vendorStatus } } }');
    expect(failed.errors).toBeUndefined();
    const errored = sim.orders.filter((o) => o.status === 'error');
    expect(errored.length).toBeGreaterThan(0);
    expect(failed.data.orders.nodes).toEqual(errored.map((o) => ({ vendorId: o.id, status: 'FAILED', vendorStatus: 'error' })));
    const drafts = await graph.query('{ orders(vendor: INGRAM, filter: { status: DRAFT }) { totalCount } }');
    expect(drafts.data.orders.totalCount).toBe(0);
  });

  it('lists resellers with their customers (every page of /resellers/{id}/customers)', async () => {
    graph.resetCalls();
    const res = await graph.query('{ resellers(vendor: INGRAM, first: 5) { totalCount nodes { vendorId name externalId customers(first: 500) { totalCount nodes { vendorId reseller { vendorId } } } } } }');
    expect(res.errors).toBeUndefined();
    const nodes = res.data.resellers.nodes;
    expect(nodes.map((r: J) => r.vendorId)).toEqual(sim.resellers.map((r) => r.id));
    for (const r of nodes) {
      const theirs = sim.customers.filter((c) => c.resellerId === r.vendorId);
      expect(r.customers.totalCount).toBe(theirs.length);
      expect(r.customers.nodes.map((c: J) => c.vendorId)).toEqual(theirs.map((c) => c.id));
    }
    // The resellers page serves Customer.reseller (primed); one customers call per reseller.
    expect(routes()).toEqual({ [`GET ${P}/resellers`]: 1, [ROUTE.resellerCustomers]: 3 });
  });

  it('lists service plans and products, with the product filters pushed down', async () => {
    const plans = await graph.query('{ servicePlans(vendor: INGRAM, first: 100) { totalCount nodes { vendorId name description published billingPeriod } } }');
    expect(plans.errors).toBeUndefined();
    expect(plans.data.servicePlans.totalCount).toBe(sim.plans.length);
    expect(plans.data.servicePlans.nodes[0]).toEqual({
      vendorId: sim.plans[0].id,
      name: sim.plans[0].name,
      description: sim.plans[0].shortDescription,
      published: sim.plans[0].published,
      billingPeriod: 'monthly',
    });

    const all = await graph.query('{ products(vendor: INGRAM, first: 500) { totalCount nodes { vendorId sku name publisher term prices { unit price { amount currency } cost { amount currency } } } } }');
    expect(all.errors).toBeUndefined();
    expect(all.data.products.totalCount).toBe(sim.products.length);
    expect(all.data.products.nodes.map((p: J) => p.vendorId)).toEqual(sim.products.map((p) => p.mpn));
    const first = all.data.products.nodes[0];
    expect(first.prices.map((p: J) => p.price)).toEqual(sim.products[0].prices.map((p: J) => ({ amount: p.amount, currency: p.currency })));
    expect(first.prices[0].cost).toEqual({ amount: sim.products[0].costs[0].amount, currency: sim.products[0].costs[0].currency });

    const annual = sim.products.find((p) => String(p.mpn).endsWith('_P1Y_M'));
    graph.resetCalls();
    const bySku = await graph.query('query($s: String) { products(vendor: INGRAM, filter: { sku: $s }) { nodes { vendorId name term } } }', { s: annual.mpn.toLowerCase() });
    expect(bySku.data.products.nodes).toEqual([{ vendorId: annual.mpn, name: annual.name, term: 'annual, billed monthly' }]);
    const byName = await graph.query('{ products(vendor: INGRAM, first: 100, filter: { name: "acronis" }) { nodes { name } } }');
    expect(byName.data.products.nodes.map((p: J) => p.name)).toEqual(sim.products.filter((p) => /acronis/i.test(p.name)).map((p) => p.name));
    expect(routes()).toEqual({ [ROUTE.products]: 2 });
  });

  it('reads a report scheduled upstream, pending then COMPLETED with a download URL after the clock moves', async () => {
    const created = await simCall('POST', 'reports', { name: 'channelgraph test export', startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-31T23:59:59Z', format: 'xlsx' });
    const id = gid('Report', created.id);
    const doc = 'query($id: ID!) { report(id: $id) { id vendorId name status vendorStatus type format periodStart periodEnd downloadUrl } }';
    const before = await graph.query(doc, { id });
    expect(before.errors).toBeUndefined();
    expect(before.data.report).toMatchObject({ vendorId: created.id, name: 'channelgraph test export', status: 'PENDING', vendorStatus: 'submitted', type: 'onetime', format: 'xlsx', periodStart: '2026-10-01T00:00:00.000Z', downloadUrl: null });
    graph.sims.ingram.control.advance(REPORT_COMPLETED_MS + 1_000);
    const after = await graph.query(doc, { id });
    expect(after.data.report).toMatchObject({ status: 'COMPLETED', vendorStatus: 'completed' });
    expect(after.data.report.downloadUrl).toMatch(/^https:\/\//);

    const list = await graph.query('{ reports(vendor: INGRAM, first: 50) { totalCount nodes { vendorId status } } }');
    expect(list.errors).toBeUndefined();
    expect(list.data.reports.totalCount).toBe(sim.reports.length + 1);
    // Newest first: the one just scheduled is on top.
    expect(list.data.reports.nodes[0]).toEqual({ vendorId: created.id, status: 'COMPLETED' });
    expect(list.data.reports.nodes.slice(1).map((r: J) => r.vendorId)).toEqual(sim.reports.map((r) => r.id));
  });

  it('answers node(id) for every Ingram type', async () => {
    const product = sim.products[3];
    const cases: Array<[EntityKind, string, string]> = [
      ['Customer', sim.customers[0].id, 'Customer'],
      ['Reseller', sim.resellers[0].id, 'Reseller'],
      ['Subscription', sim.subscriptions[0].id, 'ServiceSubscription'],
      ['Order', sim.orders[0].id, 'Order'],
      ['Product', product.mpn, 'Product'],
      ['ServicePlan', sim.plans[0].id, 'ServicePlan'],
      ['Report', sim.reports[0].id, 'Report'],
    ];
    for (const [kind, vendorId, typename] of cases) {
      const res = await graph.query('query($id: ID!) { node(id: $id) { __typename id ... on Customer { vendorId } ... on Reseller { vendorId } ... on ServiceSubscription { vendorId } ... on Order { vendorId } ... on Product { vendorId } ... on ServicePlan { vendorId } ... on Report { vendorId } } }', { id: gid(kind, vendorId) });
      expect(res.errors, kind).toBeUndefined();
      expect(res.data.node).toEqual({ __typename: typename, id: gid(kind, vendorId), vendorId });
    }
    // A product is also found by its catalogue id; the graph hands out the MPN.
    const byId = await graph.query('query($id: ID!) { node(id: $id) { ... on Product { vendorId } } }', { id: gid('Product', product.id) });
    expect(byId.data.node).toEqual({ vendorId: product.mpn });
    const unknown = await graph.query('query($id: ID!) { node(id: $id) { id } }', { id: gid('Customer', '999999999') });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data.node).toBeNull();
  });

  it('costs an exact number of calls for 30 customers with subscriptions and products, not one list call per customer', async () => {
    const first30 = sim.customers.slice(0, 30).map((c) => c.id);
    const subsOf30 = sim.subscriptions.filter((s) => first30.includes(s.customerId)).length;
    expect(subsOf30).toBe(73);
    graph.resetCalls();
    const res = await graph.query('{ customers(vendor: INGRAM, first: 30) { nodes { name subscriptions { nodes { name sku price { amount } product { name sku } } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.nodes).toHaveLength(30);
    const shown = res.data.customers.nodes.reduce((n: number, c: J) => n + c.subscriptions.nodes.length, 0);
    expect(shown).toBe(subsOf30);
    // 1 customers page (offset 0, limit 30)
    // + the subscriptions list: 30 customers > MANY (10), so the whole list (273) is read once and grouped:
    //   one page under `extended` (limit 1000), three under `documented` (100 rows a page: offsets 0, 100, 200)
    // + 73 GET /subscriptions/{id}: only SubscriptionDetailed carries the product, quantity and prices
    //   (list items have none), one per subscription of these customers, 8 at a time;
    //   `product { name sku }` comes from its product line (mpn, name): no catalogue read.
    // The token was fetched before the reset and is reused.
    expect(routes()).toEqual({ [ROUTE.customers]: 1, [ROUTE.subscriptions]: cost(3, 1), [ROUTE.subscription]: 73 });
    expect(graph.calls().total).toBe(cost(77, 75));
  });

  it('keeps at most 8 subscription detail GETs in flight, however many subscriptions one request needs', async () => {
    // 200 subscriptions: more than one DataLoader batch used to hold (100), so this also
    // checks that the limit spans batches. The latency makes the GETs overlap.
    graph.sims.ingram.control.setLatency({ fixedMs: 15 });
    graph.resetCalls();
    try {
      const res = await graph.query('{ subscriptions(vendor: INGRAM, first: 200) { nodes { vendorId quantity } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.subscriptions.nodes).toHaveLength(200);
      const stats = graph.calls().byVendor.ingram!;
      // One subscriptions page of 200 (`extended`), or two of 100 (`documented`).
      expect(stats.byRoute).toEqual({ [ROUTE.subscriptions]: cost(2, 1), [ROUTE.subscription]: 200 });
      expect(stats.peakInFlight).toBe(8);
    } finally {
      graph.sims.ingram.control.setLatency({ fixedMs: 0 });
    }
  });

  it('reads the orders of 30 customers with one orders read', async () => {
    graph.resetCalls();
    const res = await graph.query('{ customers(vendor: INGRAM, first: 30) { nodes { orders { nodes { number status } } } } }');
    expect(res.errors).toBeUndefined();
    const first30 = new Set(sim.customers.slice(0, 30).map((c) => c.id));
    const shown = res.data.customers.nodes.reduce((n: number, c: J) => n + c.orders.nodes.length, 0);
    expect(shown).toBe(sim.orders.filter((o) => first30.has(o.customerId)).length);
    // 30 customers > MANY: the whole order list (329) is read once and grouped by customerId:
    // one page under `extended`, four of at most 100 under `documented`.
    expect(routes()).toEqual({ [ROUTE.customers]: 1, [ROUTE.orders]: cost(4, 1) });
  });

  it('reads the subscriptions of a few customers with one filtered call each, or the whole list when it is known to take fewer', async () => {
    const query = '{ customers(vendor: INGRAM, first: 3) { nodes { subscriptions { nodes { vendorId } } orders { nodes { vendorId } } } } }';
    const first3 = sim.customers.slice(0, 3).map((c) => c.id);
    const subs = sim.subscriptions.filter((s) => first3.includes(s.customerId)).length;
    // Never seen the whole lists: 3 customers ≤ MANY, `?customerId=` per customer for
    // subscriptions and for orders, plus the subscription details.
    const fresh = await startGraph({ vendors: ['ingram'], seed: SEED, size: SIZE });
    try {
      await fresh.query('{ resellers(vendor: INGRAM, first: 1) { nodes { id } } }'); // the token
      fresh.resetCalls();
      expect((await fresh.query(query)).errors).toBeUndefined();
      expect(fresh.calls().byVendor.ingram!.byRoute).toEqual({ [ROUTE.customers]: 1, [ROUTE.subscriptions]: 3, [ROUTE.subscription]: subs, [ROUTE.orders]: 3 });
    } finally {
      await fresh.close();
    }
    // Once the adapter has read the whole lists (30 customers > MANY), it knows their size:
    // subscriptions 273 rows (3 pages of 100, or 1 of 1,000), orders 329 (4, or 1). A list
    // of fewer pages than the 3 per-customer calls is read whole instead.
    await graph.query('{ customers(vendor: INGRAM, first: 30) { nodes { subscriptions { nodes { vendorId } } orders { nodes { vendorId } } } } }');
    graph.resetCalls();
    const res = await graph.query(query);
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.nodes.flatMap((c: J) => c.subscriptions.nodes.map((n: J) => n.vendorId))).toEqual(
      sim.subscriptions.filter((s) => first3.includes(s.customerId)).sort((a, b) => first3.indexOf(a.customerId) - first3.indexOf(b.customerId)).map((s) => s.id),
    );
    expect(routes()).toEqual({ [ROUTE.customers]: 1, [ROUTE.subscriptions]: cost(3, 1), [ROUTE.subscription]: subs, [ROUTE.orders]: cost(3, 1) });
  });

  it('pushes a subscription status to the list of a customer\'s subscriptions, one vendor status a call', async () => {
    const c = sim.customers.find((x) => sim.subscriptions.some((s) => s.customerId === x.id && s.status === 'active') && sim.subscriptions.some((s) => s.customerId === x.id && s.status !== 'active'))!;
    const mine = sim.subscriptions.filter((s) => s.customerId === c.id);
    graph.resetCalls();
    const res = await graph.query('query($id: ID!) { customer(id: $id) { active: subscriptions(status: ACTIVE) { nodes { vendorId status } } cancelled: subscriptions(status: CANCELLED) { nodes { vendorId status } } } }', { id: gid('Customer', c.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.customer.active.nodes).toEqual(mine.filter((s) => s.status === 'active').map((s) => ({ vendorId: s.id, status: 'ACTIVE' })));
    expect(res.data.customer.cancelled.nodes).toEqual(mine.filter((s) => s.status === 'terminated' || s.status === 'removed').map((s) => ({ vendorId: s.id, status: 'CANCELLED' })));
    // ACTIVE is one vendor status: `?customerId=&status=active`. CANCELLED is two (terminated,
    // removed): one unfiltered `?customerId=` call instead of two. Details only for the rows shown.
    const lists = graph.sims.ingram.control.received().filter((r) => r.path.endsWith('/subscriptions'));
    expect(lists.map((r) => [...r.query].sort())).toEqual(
      expect.arrayContaining([
        ['customerId', 'limit', 'offset', 'status'],
        ['customerId', 'limit', 'offset'],
      ]),
    );
    expect(lists).toHaveLength(2);
    const shown = mine.filter((s) => ['active', 'terminated', 'removed'].includes(s.status)).length;
    expect(routes()).toEqual({ [ROUTE.customer]: 1, [ROUTE.subscriptions]: 2, [ROUTE.subscription]: shown });
  });

  it('serves a subscription\'s product from its own product line, and reads the catalogue only for what the line lacks', async () => {
    const c = sim.customers.find((x) => sim.subscriptions.filter((s) => s.customerId === x.id).length >= 2)!;
    const mine = sim.subscriptions.filter((s) => s.customerId === c.id);
    const details = await Promise.all(mine.map((s) => simCall('GET', `subscriptions/${s.id}`)));
    const catalogued = (mpn: string) => sim.products.find((p) => p.mpn === mpn);
    graph.resetCalls();
    const line = await graph.query('query($id: ID!) { customer(id: $id) { subscriptions { nodes { product { id vendorId name sku publisher } } } } }', { id: gid('Customer', c.id) });
    expect(line.errors).toBeUndefined();
    expect(line.data.customer.subscriptions.nodes.map((n: J) => n.product)).toEqual(
      details.map((d) => ({ id: gid('Product', d.products[0].mpn), vendorId: d.products[0].mpn, name: d.products[0].name, sku: d.products[0].mpn, publisher: d.products[0].vendor })),
    );
    // The line's name and vendor are the catalogue's.
    for (const d of details) expect({ name: catalogued(d.products[0].mpn).name, publisher: catalogued(d.products[0].mpn).vendor }).toEqual({ name: d.products[0].name, publisher: d.products[0].vendor });
    expect(routes()).toEqual({ [ROUTE.customer]: 1, [ROUTE.subscriptions]: 1, [ROUTE.subscription]: mine.length });

    graph.resetCalls();
    const more = await graph.query('query($id: ID!) { customer(id: $id) { subscriptions { nodes { product { name description term prices { price { amount currency } } raw } } } } }', { id: gid('Customer', c.id) });
    expect(more.errors).toBeUndefined();
    for (const [i, d] of details.entries()) {
      const p = catalogued(d.products[0].mpn);
      const got = more.data.customer.subscriptions.nodes[i].product;
      expect(got).toMatchObject({ name: p.name, description: p.serviceName ?? null, prices: p.prices.map((x: J) => ({ price: { amount: x.amount, currency: x.currency } })) });
      expect(got.raw).toMatchObject({ mpn: p.mpn });
    }
    // Description, term, prices and raw are the catalogue's: it is read once for all of them.
    expect(routes()).toEqual({ [ROUTE.customer]: 1, [ROUTE.subscriptions]: 1, [ROUTE.subscription]: mine.length, [ROUTE.products]: 1 });
  });

  it('batches 30 _entities representations into one customers read, and a few ids into single GETs', async () => {
    const chosen = sim.customers.slice(40, 70);
    const representations = chosen.map((c) => ({ __typename: 'Customer', id: gid('Customer', c.id) }));
    graph.resetCalls();
    const res = await graph.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name } } }', { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.map((e: J) => e.name)).toEqual(chosen.map((c) => c.name));
    // 30 ids > MANY (10): the customer list (109): its first page (all 109 under `extended`,
    // 100 under `documented`) holds every one of these, so the rest is not read. Names are
    // in every list row.
    expect(routes()).toEqual({ [ROUTE.customers]: 1 });
    expect(graph.calls().total).toBe(1);

    graph.resetCalls();
    const few = await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name } } }', { ids: chosen.slice(0, 3).map((c) => gid('Customer', c.id)) });
    expect(few.data.nodes.map((n: J) => n.name)).toEqual(chosen.slice(0, 3).map((c) => c.name));
    // 3 ids, and the adapter has seen the customer list: 109 rows, fewer pages (1, or 2 of
    // 100) than 3 GETs. Its first page holds these three.
    expect(routes()).toEqual({ [ROUTE.customers]: 1 });
  });

  it('reads a few customers by id with single GETs until it knows the customer list takes fewer calls', async () => {
    const fresh = await startGraph({ vendors: ['ingram'], seed: SEED, size: SIZE });
    const calls = () => fresh.calls().byVendor.ingram!.byRoute;
    const byIds = 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { vendorId name } } }';
    const ids = (list: J[]) => ({ ids: list.map((c) => gid('Customer', c.id)) });
    try {
      await fresh.query('{ resellers(vendor: INGRAM, first: 1) { nodes { id } } }'); // the token
      const head = sim.customers.slice(10, 13);
      const tail = sim.customers.slice(104, 107); // past the first 100 rows
      fresh.resetCalls();
      const cold = await fresh.query(byIds, ids(head));
      expect(cold.data.nodes).toEqual(head.map((c) => ({ vendorId: c.id, name: c.name })));
      // Nothing seen yet: no probe of the list (it could cost one call more than the GETs).
      expect(calls()).toEqual({ [ROUTE.customer]: 3 });

      // One customer list read (any: here one row of it) gives the total, 109.
      await fresh.query('{ customers(vendor: INGRAM, first: 1) { nodes { id } } }');
      fresh.resetCalls();
      const warm = await fresh.query(byIds, ids(head));
      expect(warm.data.nodes).toEqual(head.map((c) => ({ vendorId: c.id, name: c.name })));
      // 109 rows at up to 1,000 a page: the list's first page; it holds all three (`documented`
      // gives 100 rows of it, which also tells the adapter the gateway's page size).
      expect(calls()).toEqual({ [ROUTE.customers]: 1 });

      fresh.resetCalls();
      const later = await fresh.query(byIds, ids(tail));
      expect(later.data.nodes).toEqual(tail.map((c) => ({ vendorId: c.id, name: c.name })));
      // `documented`: 2 pages of 100 < 3 GETs (the first page, then the second for the three
      // it lacks); `extended`: one page.
      expect(calls()).toEqual({ [ROUTE.customers]: cost(2, 1) });
    } finally {
      await fresh.close();
    }
  });

  it('reads the customers of open orders in two aliases with one customer list read when that is fewer calls', async () => {
    const open = (status: string) => sim.orders.filter((o) => o.status === status).slice(0, 100);
    const shown = [...open('submitted'), ...open('processing')];
    const distinct = [...new Set(shown.map((o) => o.customerId))];
    expect(distinct.length).toBeGreaterThan(2);
    const res = await graph.query(`{
      submitted: orders(vendor: INGRAM, first: 100, filter: { status: SUBMITTED }) { nodes { vendorId customer { vendorId name } } }
      processing: orders(vendor: INGRAM, first: 100, filter: { status: PROCESSING }) { nodes { vendorId customer { vendorId name } } }
    }`);
    expect(res.errors).toBeUndefined();
    const name = (id: string) => sim.customers.find((c) => c.id === id).name;
    expect([...res.data.submitted.nodes, ...res.data.processing.nodes]).toEqual(shown.map((o) => ({ vendorId: o.id, customer: { vendorId: o.customerId, name: name(o.customerId) } })));
    graph.resetCalls();
    await graph.query(`{
      submitted: orders(vendor: INGRAM, first: 100, filter: { status: SUBMITTED }) { nodes { vendorId customer { vendorId name } } }
      processing: orders(vendor: INGRAM, first: 100, filter: { status: PROCESSING }) { nodes { vendorId customer { vendorId name } } }
    }`);
    // Two statuses in one tick: the whole order list once when it is no more pages than the
    // two `?status=` lists (extended: one page of 1,000; documented: pages of 100, so the
    // two filtered lists, the whole list's length known from the first query's guess).
    // The order rows name only the customer id. Each alias resolves its customers in its own
    // batch; the adapter knows the customer list (109 rows: 1 page, or 2 of 100) and the
    // order lists of the request name more customers than the first batch: the list serves
    // both batches, its second page only when a customer is past the first 100 rows.
    const past = distinct.some((id) => sim.customers.findIndex((c) => c.id === id) >= 100);
    expect(routes()).toEqual({ [ROUTE.orders]: cost(2, 1), [ROUTE.customers]: cost(past ? 2 : 1, 1) });
    expect(sim.orders.length).toBeGreaterThan(100);
    expect(sim.orders.length).toBeLessThanOrEqual(1000);
  });

  it('rejects malformed Ingram ids with BAD_USER_INPUT before any upstream call', async () => {
    graph.resetCalls();
    const cases: Array<[EntityKind, string]> = [
      ['Customer', 'abc'],
      ['Customer', '0012'],
      ['Order', '12.5'],
      ['Report', '1000001'],
      ['Product', 'bad mpn!'],
      ['Product', `X${'1'.repeat(200)}`],
    ];
    for (const [kind, vendorId] of cases) {
      const res = await graph.query('query($id: ID!) { node(id: $id) { id } }', { id: gid(kind, vendorId) });
      expect(res.errors?.[0]?.extensions?.code, `${kind} ${vendorId}`).toBe('BAD_USER_INPUT');
    }
    const customer = await graph.query('query($id: ID!) { customer(id: $id) { name } }', { id: gid('Customer', 'abc') });
    expect(customer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(graph.calls().total).toBe(0);
  });

  it('answers invoices on Ingram with VENDOR_UNSUPPORTED', async () => {
    graph.resetCalls();
    const list = await graph.query('{ invoices(vendor: INGRAM) { totalCount } }');
    expect(list.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNSUPPORTED', vendor: 'INGRAM' });
    const one = await graph.query('query($id: ID!) { invoice(id: $id) { id } }', { id: gid('Invoice', '123') });
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNSUPPORTED', vendor: 'INGRAM' });
    expect(graph.calls().total).toBe(0);
    const rel = await graph.query('query($id: ID!) { customer(id: $id) { name invoices { totalCount } } }', { id: gid('Customer', sim.customers[0].id) });
    expect(rel.data.customer.name).toBe(sim.customers[0].name);
    expect(rel.errors?.[0]).toMatchObject({ path: ['customer', 'invoices'], extensions: { code: 'VENDOR_UNSUPPORTED', vendor: 'INGRAM' } });
  });

  it('reports health with a cheap authenticated read and the cached token', async () => {
    await graph.query('{ customers(vendor: INGRAM, first: 1) { nodes { id } } }'); // a token is cached
    graph.resetCalls();
    const res = await graph.query('{ vendors { vendor simulated supports health { ok check latencyMs message } } }');
    expect(res.data.vendors).toEqual([
      {
        vendor: 'INGRAM',
        simulated: true,
        supports: ['CUSTOMER', 'RESELLER', 'SUBSCRIPTION', 'ORDER', 'PRODUCT', 'SERVICE_PLAN', 'REPORT'],
        health: { ok: true, check: 'Authenticated read of one customer (GET /customers?offset=0&limit=1; cached token)', latencyMs: expect.any(Number), message: null },
      },
    ]);
    // One customer read with the cached token: no login.
    expect(routes()).toEqual({ [ROUTE.customers]: 1 });
  });

  it('names Ingram, the status and the retry hint when it is down', async () => {
    const control = graph.sims.ingram.control;
    control.addFault({ status: 503, times: 50 });
    try {
      const res = await graph.query('{ customers(vendor: INGRAM, first: 2) { nodes { id } } }');
      expect(res.data?.customers).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'INGRAM', httpStatus: 503, retryable: true });
      expect(res.errors?.[0]?.message).toContain('Ingram Micro');
      expect(JSON.stringify(res)).not.toContain(graph.sims.ingram.credentials.subscriptionKey!);
    } finally {
      control.clearFaults();
    }
    const health = await graph.query('{ vendors { health { ok } } }');
    expect(health.data.vendors[0].health.ok).toBe(true);
  }, 20_000);

  it('refreshes an expired token with exactly one token request, then succeeds', async () => {
    graph.sims.ingram.control.expireTokens();
    graph.resetCalls();
    const res = await graph.query('{ a: customers(vendor: INGRAM, first: 3) { nodes { id } } b: products(vendor: INGRAM, first: 3) { nodes { id } } c: reports(vendor: INGRAM, first: 1) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.a.nodes).toHaveLength(3);
    // Three reads answered 401, one token request, three retries.
    expect(routes()).toEqual({ [ROUTE.token]: 1, [ROUTE.customers]: 2, [ROUTE.products]: 2, [ROUTE.reports]: 2 });
  });

  it('retries a read that got a 429 transparently', async () => {
    graph.sims.ingram.control.addFault({ status: 429, retryAfter: 0, times: 1, path: '/plans' });
    graph.resetCalls();
    const res = await graph.query('{ servicePlans(vendor: INGRAM, first: 2) { nodes { vendorId } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.servicePlans.nodes.map((p: J) => p.vendorId)).toEqual(sim.plans.slice(0, 2).map((p) => p.id));
    expect(routes()).toEqual({ [ROUTE.plans]: 2 });
  });

  it('never exposes contact passwords in raw', async () => {
    const res = await graph.query('{ customers(vendor: INGRAM, first: 5) { nodes { raw } } }');
    expect(res.errors).toBeUndefined();
    for (const n of res.data.customers.nodes) expect(JSON.stringify(n.raw)).not.toMatch(/password/i);
    // `raw` is the payload as received: a list row (thin under `documented`) or the detail.
    const one = await graph.query('query($id: ID!) { customer(id: $id) { raw } }', { id: gid('Customer', sim.customers[0].id) });
    expect(one.data.customer.raw.contactPersons.length).toBeGreaterThan(0);
    expect(JSON.stringify(one.data.customer.raw)).not.toMatch(/password/i);
    // Contact login/password are write-only upstream; should a payload ever carry them, raw drops them.
    const model = toCustomer({ ...sim.customers[0], contactPersons: [{ ...sim.customers[0].contactPersons[0], login: 'admin', password: 'S3cret!pass' }] });
    expect(JSON.stringify(model.raw)).not.toMatch(/password|S3cret/i);
    expect(model.contacts[0]).toMatchObject({ role: sim.customers[0].contactPersons[0].type });
  });
});

describe('Ingram: open orders of several statuses in one query', () => {
  const OPEN = `{
    submitted: orders(vendor: INGRAM, first: 100, filter: { status: SUBMITTED }) { nodes { vendorId status } }
    processing: orders(vendor: INGRAM, first: 100, filter: { status: PROCESSING }) { nodes { vendorId status } }
  }`;
  const ONE = '{ orders(vendor: INGRAM, first: 100, filter: { status: SUBMITTED }) { nodes { vendorId } } }';

  it('reads the whole order list once when it is no more pages than a `?status=` list per status, else those lists; a first guess costs one call at most, once', async () => {
    const graph = await startGraph({ vendors: ['ingram'], seed: SEED, size: SIZE });
    try {
      const orderCalls = () => graph.calls().byVendor.ingram!.byRoute[ROUTE.orders] ?? 0;
      const sent = () => graph.sims.ingram.control.received().filter((r) => r.path.endsWith('/orders')).map((r) => r.query.join(','));
      // The vendor's own answers, by status, in its order.
      const byStatus = async (status: string) => (await graph.query(`{ orders(vendor: INGRAM, first: 100, filter: { status: ${status} }) { nodes { vendorId status } } }`)).data.orders.nodes;
      const submitted = await byStatus('SUBMITTED');
      const processing = await byStatus('PROCESSING');
      expect(submitted.length).toBeGreaterThan(0);
      expect(processing.length).toBeGreaterThan(0);
      graph.resetCalls();
      const first = await graph.query(OPEN);
      expect(first.errors).toBeUndefined();
      expect(first.data).toEqual({ submitted: { nodes: submitted }, processing: { nodes: processing } });
      // Never seen: the whole list's first page. Extended (pages of 1,000) holds the whole
      // list: 1 call. Documented (pages of 100) does not: then the two `?status=` lists.
      expect(orderCalls()).toBe(graph.profile === 'extended' ? 1 : 3);
      graph.resetCalls();
      const again = await graph.query(OPEN);
      expect(again.data).toEqual(first.data);
      // Known now: extended the whole list again, documented only the two filtered lists.
      expect(orderCalls()).toBe(graph.profile === 'extended' ? 1 : 2);
      expect(sent().every((q) => (graph.profile === 'extended' ? !q.includes('status') : q.includes('status')))).toBe(true);
      // One status alone: its `?status=` list.
      graph.resetCalls();
      expect((await graph.query(ONE)).errors).toBeUndefined();
      expect(orderCalls()).toBe(1);
      expect(sent()).toEqual([expect.stringContaining('status')]);
    } finally {
      await graph.close();
    }
  });
});
