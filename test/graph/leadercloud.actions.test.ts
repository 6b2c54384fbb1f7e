/**
 * Every Leader Cloud action of actions.md through the graph, over real HTTP against the
 * Leader Cloud simulator, in both profiles: one test per action (its title carries the
 * action's name as actions.md writes it), each checking the result against the vendor and,
 * after a write, a read that shows the change; the asynchronous flows (order execution,
 * quantity requests, add-on cancellation at the end of the billing period) driven to
 * completion with the simulator clock. Then what every write shares: input checks answered
 * as userErrors before any upstream call, no POST sent twice under 5xx and timeouts,
 * idempotency keys, and the generic request with its hostile-path checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/ids.js';
import type { EntityKind } from '../../src/model.js';
import { ORDER_EXECUTED_MS, QUANTITY_PROCESSING_MS } from '../../src/simulators/leadercloud/data.js';
import { startGraph, type Graph } from '../helpers/graph.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vendor rows and results are read loosely
type Any = any;

const ROUTE = {
  token: 'POST /oauth/token',
  accounts: 'GET /api/accounts',
  createAccount: 'POST /api/accounts',
  patchAccount: 'PATCH /api/accounts/:accountId',
  accountCustomFields: 'GET /api/accounts/:accountId/customfields',
  putAccountCustomFields: 'PUT /api/accounts/:accountId/customfields',
  billingAddress: 'GET /api/accounts/:accountId/billingaddress',
  createOrder: 'POST /api/orders',
  orderItems: 'GET /api/orders/:orderId/items',
  createOrderItem: 'POST /api/orders/:orderId/items',
  checkout: 'POST /api/orders/:orderId/checkout',
  executionStatus: 'GET /api/orders/:orderId/execute/status',
  externalPrices: 'GET /api/products/:productId/externalprices',
  quantity: 'POST /api/subscriptions/:subscriptionId/quantity',
  cancel: 'POST /api/subscriptions/:subscriptionId/cancel',
} as const;

const gid = (kind: EntityKind, vendorId: string | number) => toGlobalId('LEADERCLOUD', kind, String(vendorId));

/** A client straight to the simulator (not through the graph): the ground truth to compare with. */
function simulatorClient(graph: Graph) {
  const sim = graph.sims.leadercloud!;
  const c = sim.credentials;
  let token: string | undefined;
  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Any }> {
    if (!token) {
      const res = await fetch(`${sim.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: c.username!, password: c.password! }),
      });
      token = ((await res.json()) as { access_token: string }).access_token;
    }
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-api-version': '3', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401) {
      token = undefined;
      return call(method, path, body);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  async function get(path: string): Promise<Any> {
    const answer = await call('GET', path);
    expect(answer.status, path).toBe(200);
    return answer.body;
  }
  return { call, get, all: async (path: string): Promise<Any[]> => (await get(`${path}${path.includes('?') ? '&' : '?'}pageSize=500`)).data };
}

describe('Leader Cloud actions through the graph', () => {
  let graph: Graph;
  let sim: ReturnType<typeof simulatorClient>;
  let accounts: Any[];
  let products: Any[];
  let subscriptions: Any[];

  const control = () => graph.sims.leadercloud!.control;
  const byRoute = () => graph.calls().byVendor.leadercloud!.byRoute;
  /** Upstream calls since the last reset, the token request left out. */
  const calls = () => Object.fromEntries(Object.entries(byRoute()).filter(([route]) => route !== ROUTE.token));
  const product = (code: string) => products.find((p) => p.code === code)!;

  async function ok(document: string, variables: Record<string, unknown> = {}): Promise<Any> {
    const res = await graph.query(document, variables);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data;
  }

  /** Runs a mutation and expects no user errors; its payload. */
  async function mutate(field: string, document: string, variables: Record<string, unknown> = {}): Promise<Any> {
    const data = await ok(document, variables);
    expect(data[field].userErrors).toEqual([]);
    return data[field];
  }

  /** An account that holds an active subscription (and nothing the other tests change). */
  const accountWithSubscriptions = (skip = 0) => {
    const holders = [...new Set(subscriptions.filter((s) => s.status === 'Active').map((s) => s.account.id))];
    return accounts.find((a) => a.id === holders[skip])!;
  };

  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'] });
    sim = simulatorClient(graph);
    accounts = await sim.all('/api/accounts?include=customFields');
    products = await sim.all('/api/products');
    subscriptions = await sim.all('/api/subscriptions');
    // Cache a token, so that the counts below are of the actions' own calls.
    await ok('{ customer(id: "' + gid('Customer', accounts[0].id) + '") { name } }');
  });
  afterAll(() => graph.close());

  // ---- accounts ----------------------------------------------------------------------------

  it('List Accounts: every account, sorted by the vendor ($orderBy) and filtered by update time (updatedAt ge datetime…)', async () => {
    const data = await ok('{ customers(vendor: LEADERCLOUD, first: 500, sort: { field: NAME, direction: DESC }) { totalCount nodes { vendorId name } } }');
    expect(data.customers.totalCount).toBe(accounts.length);
    const sorted = await sim.all(`/api/accounts?$orderBy=${encodeURIComponent('name desc')}`);
    expect(data.customers.nodes.map((n: Any) => n.vendorId)).toEqual(sorted.map((a) => String(a.id)));

    const times = accounts.map((a) => Date.parse(a.updatedAt)).sort((x, y) => x - y);
    const since = new Date(times[Math.floor(times.length / 2)]!).toISOString();
    graph.resetCalls();
    const recent = await ok('query($since: DateTime) { customers(vendor: LEADERCLOUD, first: 500, filter: { updatedSince: $since }) { nodes { vendorId updatedAt } } }', { since });
    const expected = accounts.filter((a) => Date.parse(a.updatedAt) >= Date.parse(since)).map((a) => String(a.id));
    expect(recent.customers.nodes.map((n: Any) => n.vendorId).sort()).toEqual(expected.sort());
    // Pushed to the vendor: one page of exactly the matching accounts.
    expect(calls()[ROUTE.accounts]).toBe(1);

    const moved = accounts.map((a) => Date.parse(a.billingAddress.updatedAt)).sort((x, y) => x - y);
    const addressSince = new Date(moved[Math.floor(moved.length / 3)]!).toISOString();
    const byAddress = await ok('query($since: DateTime) { customers(vendor: LEADERCLOUD, first: 500, filter: { billingAddressUpdatedSince: $since }) { nodes { vendorId } } }', { since: addressSince });
    const expectedByAddress = accounts.filter((a) => Date.parse(a.billingAddress.updatedAt) >= Date.parse(addressSince)).map((a) => String(a.id));
    expect(byAddress.customers.nodes.map((n: Any) => n.vendorId).sort()).toEqual(expectedByAddress.sort());
  });

  it('Get Account Details: an account by id, with its external id, address and dates as the vendor has them', async () => {
    const account = accounts[1];
    const data = await ok(`{ customer(id: "${gid('Customer', account.id)}") { vendorId name email phone externalId createdAt address { street city postalCode state countryCode } } }`);
    const external = account.customFields[0].groupFields.find((f: Any) => f.name === 'External ID')?.values[0]?.value ?? null;
    expect(data.customer).toEqual({
      vendorId: String(account.id),
      name: account.name,
      email: account.email,
      phone: account.phone,
      externalId: external,
      createdAt: new Date(account.createdAt).toISOString(),
      address: {
        street: account.billingAddress.address,
        city: account.billingAddress.city,
        postalCode: account.billingAddress.postCode,
        state: account.billingAddress.state?.name ?? null,
        countryCode: account.billingAddress.country.code,
      },
    });
  });

  it('Create Account: AccountCreate with the schema defaults, the country and state resolved, the external id in its custom field', async () => {
    graph.resetCalls();
    const payload = await mutate(
      'createCustomer',
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id vendorId name email externalId address { city state countryCode } } userErrors { field message code } } }`,
      {
        input: {
          vendor: 'LEADERCLOUD',
          name: 'Wattle Creek Dental Pty Ltd',
          email: 'accounts@wattlecreek.example.com',
          phone: '+61 2 5550 0100',
          externalId: 'PSA-77001',
          address: { street: '1 Wattle St', city: 'Sydney', postalCode: '2000', state: 'NSW', countryCode: 'AU' },
          leaderCloud: { creditLimit: '2500.50', taxable: false },
        },
      },
    );
    expect(payload.customer).toMatchObject({ name: 'Wattle Creek Dental Pty Ltd', externalId: 'PSA-77001', address: { city: 'Sydney', state: 'New South Wales', countryCode: 'AU' } });
    expect(calls()[ROUTE.createAccount]).toBe(1);
    // The vendor holds what was sent, and the defaults for what was not.
    const account = await sim.get(`/api/accounts/${payload.customer.vendorId}?include=customFields`);
    expect(account).toMatchObject({ creditLimit: 2500.5, taxable: false, orderingEnabled: true, separateInvoices: false, noteType: 'Invoice', isBillingFrequencyEnabled: false });
    // A later read through the graph finds it by its external id.
    const found = await ok('{ customers(vendor: LEADERCLOUD, filter: { externalId: "PSA-77001" }) { nodes { id } } }');
    expect(found.customers.nodes).toEqual([{ id: payload.customer.id }]);
  });

  it('Update Account (JSON Patch operations): the plain fields and `patch` as one RFC 6902 document', async () => {
    const account = accounts[2];
    const id = gid('Customer', account.id);
    graph.resetCalls();
    const payload = await mutate(
      'updateCustomer',
      `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { customer { name phone address { city } } userErrors { field message code } } }`,
      { id, input: { name: `${account.name} (renamed)`, address: { city: 'Hobart' }, patch: [{ op: 'REPLACE', path: '/phone', value: '+61 3 5550 4242' }] } },
    );
    expect(payload.customer).toEqual({ name: `${account.name} (renamed)`, phone: '+61 3 5550 4242', address: { city: 'Hobart' } });
    expect(calls()[ROUTE.patchAccount]).toBe(1);
    const after = await ok(`{ customer(id: "${id}") { name phone address { city } } }`);
    expect(after.customer).toEqual(payload.customer);
    // A patch the vendor cannot apply is its refusal, as a user error.
    const bad = await ok(`mutation { updateCustomer(id: "${id}", input: { patch: [{ op: REPLACE, path: "/noSuchField", value: "x" }] }) { customer { name } userErrors { code message } } }`);
    expect(bad.updateCustomer.userErrors).toEqual([expect.objectContaining({ code: 'UPSTREAM_BAD_REQUEST' })]);
  });

  it('Get Account Billing Address: its own endpoint', async () => {
    const account = accounts[3];
    graph.resetCalls();
    const data = await ok(`{ customer(id: "${gid('Customer', account.id)}") { billingAddress { street city postalCode state country countryCode } } }`);
    expect(calls()[ROUTE.billingAddress]).toBe(1);
    const address = await sim.get(`/api/accounts/${account.id}/billingaddress`);
    expect(data.customer.billingAddress).toEqual({
      street: address.address,
      city: address.city,
      postalCode: address.postCode,
      state: address.state?.name ?? null,
      country: address.country.name,
      countryCode: address.country.code,
    });
  });

  it('Get Account Custom Fields: the groups and values of an account', async () => {
    const account = accounts[4];
    const data = await ok(`{ customer(id: "${gid('Customer', account.id)}") { customFields { id name group values } } }`);
    const groups = await sim.get(`/api/accounts/${account.id}/customfields`);
    const expected = groups.flatMap((g: Any) => g.groupFields.map((f: Any) => ({ id: String(f.id), name: f.name, group: g.group.name, values: f.values.map((v: Any) => v.value) })));
    expect(data.customer.customFields).toEqual(expected);
  });

  it('Update Account Custom Fields: PUT the values, and read-only or unknown fields refused before any write', async () => {
    const account = accounts[5];
    const id = gid('Customer', account.id);
    graph.resetCalls();
    const payload = await mutate(
      'setCustomerCustomFields',
      `mutation($id: ID!, $values: [CustomFieldValueInput!]!) { setCustomerCustomFields(id: $id, values: $values) { customer { customFields { id values } } userErrors { field message code } } }`,
      { id, values: [{ id: '102', value: 'ABN 12 345 678 901' }, { id: '103', value: 'PSA-4711' }] },
    );
    const values = (fields: Any[]) => Object.fromEntries(fields.filter((f) => ['102', '103'].includes(f.id)).map((f) => [f.id, f.values]));
    expect(values(payload.customer.customFields)).toEqual({ '102': ['ABN 12 345 678 901'], '103': ['PSA-4711'] });
    expect(calls()[ROUTE.putAccountCustomFields]).toBe(1);
    const after = await ok(`{ customer(id: "${id}") { customFields { id values } } }`);
    expect(values(after.customer.customFields)).toEqual({ '102': ['ABN 12 345 678 901'], '103': ['PSA-4711'] });

    graph.resetCalls();
    const refused = await ok(`mutation { setCustomerCustomFields(id: "${id}", values: [{ id: "104", value: "x" }]) { customer { name } userErrors { code message } } }`);
    expect(refused.setCustomerCustomFields.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining('read-only') })]);
    expect(calls()[ROUTE.putAccountCustomFields]).toBeUndefined();
  });

  // ---- generic ---------------------------------------------------------------------------

  it('Leader Cloud API Request (authenticated, optional pagination): one GET, every page, a vendor 4xx as an answer, and a write', async () => {
    const account = accounts[6];
    const one = await ok(`{ vendorRequest(vendor: LEADERCLOUD, path: "api/accounts/${account.id}") { status body pages truncated } }`);
    expect(one.vendorRequest).toMatchObject({ status: 200, pages: 1, truncated: false, body: { id: account.id, name: account.name } });

    graph.resetCalls();
    const all = await ok('{ vendorRequest(vendor: LEADERCLOUD, path: "api/products", query: { pageSize: 7 }, paginate: true) { status body pages truncated } }');
    expect(all.vendorRequest).toMatchObject({ status: 200, pages: Math.ceil(products.length / 7), truncated: false });
    expect(all.vendorRequest.body.map((p: Any) => p.id)).toEqual(products.map((p) => p.id));
    expect(calls()['GET /api/products']).toBe(Math.ceil(products.length / 7));
    const cut = await ok('{ vendorRequest(vendor: LEADERCLOUD, path: "api/products", query: { pageSize: 5 }, paginate: true, maxPages: 2) { body pages truncated } }');
    expect(cut.vendorRequest).toMatchObject({ pages: 2, truncated: true });
    expect(cut.vendorRequest.body).toHaveLength(10);

    const missing = await ok('{ vendorRequest(vendor: LEADERCLOUD, path: "api/accounts/999999") { status body } }');
    expect(missing.vendorRequest).toMatchObject({ status: 404, body: { code: 'AccountNotFoundError' } });

    const sent = await mutate(
      'sendVendorRequest',
      `mutation($input: VendorRequestInput!) { sendVendorRequest(input: $input) { response { status body } userErrors { code message } } }`,
      { input: { vendor: 'LEADERCLOUD', method: 'PUT', path: `api/accounts/${account.id}/customfields`, body: [{ id: 103, value: 'PSA-GENERIC' }] } },
    );
    expect(sent.response.status).toBe(200);
    const groups = await sim.get(`/api/accounts/${account.id}/customfields`);
    expect(groups[0].groupFields.find((f: Any) => f.id === 103).values).toEqual([{ id: '103', value: 'PSA-GENERIC' }]);
  });

  // ---- invoices --------------------------------------------------------------------------

  it('List Invoices: by status and by customer, matching the vendor', async () => {
    const invoices = await sim.all('/api/invoices');
    const paid = await ok('{ invoices(vendor: LEADERCLOUD, first: 500, filter: { status: PAID }) { totalCount nodes { vendorId status } } }');
    expect(paid.invoices.nodes.map((i: Any) => i.vendorId).sort()).toEqual(invoices.filter((i) => i.status.type === 'Paid').map((i) => i.id).sort());
    const account = invoices[0].account.id;
    const mine = await ok(`{ invoices(vendor: LEADERCLOUD, first: 500, filter: { customerId: "${gid('Customer', account)}" }) { nodes { vendorId customer { vendorId } } } }`);
    expect(mine.invoices.nodes.map((i: Any) => i.vendorId).sort()).toEqual(invoices.filter((i) => i.account.id === account).map((i) => i.id).sort());
  });

  it('Get Invoice Details: an invoice by id with its totals and customer', async () => {
    const [row] = await sim.all('/api/invoices');
    const invoice = await sim.get(`/api/invoices/${row.id}`);
    const data = await ok(`{ invoice(id: "${gid('Invoice', invoice.id)}") { number status vendorStatus total { amount currency } customer { vendorId } } }`);
    expect(data.invoice).toMatchObject({ number: invoice.code, vendorStatus: invoice.status.name, customer: { vendorId: String(invoice.account.id) }, total: { currency: invoice.currency } });
    expect(Number(data.invoice.total.amount)).toBe(invoice.total);
  });

  it('Get Invoice Items: the lines of an invoice', async () => {
    const [row] = await sim.all('/api/invoices');
    const items = await sim.get(`/api/invoices/${row.id}/items`);
    const data = await ok(`{ invoice(id: "${gid('Invoice', row.id)}") { items { vendorId description sku quantity product { vendorId } } } }`);
    expect(data.invoice.items.map((i: Any) => i.vendorId)).toEqual(items.map((i: Any) => i.id));
    expect(data.invoice.items[0]).toMatchObject({ description: items[0].description, sku: items[0].product.code, product: { vendorId: items[0].product.id } });
  });

  it('Get Invoice Custom Fields: the custom fields of an invoice', async () => {
    const [row] = await sim.all('/api/invoices');
    const groups = await sim.get(`/api/invoices/${row.id}/customfields`);
    const data = await ok(`{ invoice(id: "${gid('Invoice', row.id)}") { customFields { id name group values } } }`);
    expect(data.invoice.customFields).toEqual(groups.flatMap((g: Any) => g.groupFields.map((f: Any) => ({ id: String(f.id), name: f.name, group: g.group.name, values: f.values.map((v: Any) => v.value) }))));
    expect(data.invoice.customFields.map((f: Any) => f.name)).toContain('Accounting reference');
  });

  it('Get Invoice Orders: the orders billed on an invoice, as full orders', async () => {
    const invoices = await sim.all('/api/invoices');
    const row = invoices.find(() => true)!;
    const stubs = await sim.get(`/api/invoices/${row.id}/orders`);
    expect(stubs.length).toBeGreaterThan(0);
    const data = await ok(`{ invoice(id: "${gid('Invoice', row.id)}") { orders { vendorId number status } } }`);
    expect(data.invoice.orders.map((o: Any) => [o.vendorId, o.number])).toEqual(stubs.map((o: Any) => [o.id, o.code]));
  });

  // ---- orders ----------------------------------------------------------------------------

  const ORDER = '{ id vendorId number status vendorStatus customer { vendorId } items { sku quantity unitPrice { amount currency } product { vendorId } subscription { vendorId } } }';
  const CREATE_ORDER = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { order ${ORDER} userErrors { field message code } } }`;
  const POLL = 'query($id: ID!) { order(id: $id) { status vendorStatus executionStatus { status vendorStatus } } }';

  /** Advances the simulator clock until the order is executed; the statuses seen on the way. */
  async function pollUntilCompleted(orderId: string): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const data = await ok(POLL, { id: orderId });
      seen.push(`${data.order.status}/${data.order.executionStatus.status}`);
      if (data.order.status === 'COMPLETED') return seen;
      control().advance(1_000);
    }
    throw new Error(`order ${orderId} did not complete: ${seen.join(', ')}`);
  }

  it('List Orders: drafts (stage=Draft), confirmed orders by status, and a customer\'s orders', async () => {
    const drafts = await sim.all('/api/orders?stage=Draft');
    const data = await ok('{ orders(vendor: LEADERCLOUD, first: 500, filter: { status: DRAFT }) { nodes { vendorId status vendorStatus } } }');
    expect(data.orders.nodes.map((o: Any) => o.vendorId).sort()).toEqual(drafts.map((o) => o.id).sort());
    expect(new Set(data.orders.nodes.map((o: Any) => o.status))).toEqual(new Set(['DRAFT']));
    const confirmed = await sim.all('/api/orders');
    const executed = await ok('{ orders(vendor: LEADERCLOUD, first: 500, filter: { status: COMPLETED }) { nodes { vendorId } } }');
    expect(executed.orders.nodes.map((o: Any) => o.vendorId).sort()).toEqual(confirmed.filter((o) => ['Executed', 'Delivered'].includes(o.status.type)).map((o) => o.id).sort());
  });

  it('Get Order Details: an order by id', async () => {
    const [row] = await sim.all('/api/orders');
    const data = await ok(`{ order(id: "${gid('Order', row.id)}") { vendorId number status vendorStatus total { amount currency } customer { vendorId } } }`);
    expect(data.order).toMatchObject({ vendorId: row.id, number: row.code, vendorStatus: row.status.name, customer: { vendorId: String(row.account.id) }, total: { currency: row.currency } });
  });

  it('Get Order Items: the lines of an order, with their products and subscriptions', async () => {
    const [row] = await sim.all('/api/orders');
    const items = await sim.get(`/api/orders/${row.id}/items`);
    const data = await ok(`{ order(id: "${gid('Order', row.id)}") ${ORDER} }`);
    expect(data.order.items.map((i: Any) => [i.sku, i.quantity])).toEqual(items.map((i: Any) => [i.product.code, i.quantity]));
    expect(data.order.items[0].product.vendorId).toBe(items[0].product.id);
  });

  it('Create Order (for licences): a draft with its items (one POST each), the unit found from the product, the order as read after', async () => {
    const account = accountWithSubscriptions();
    const monthly = product('CFQ7TTC0RM8K:0001'); // Teams Essentials: sold per month only
    const annual = product('CFQ7TTC0LH18:0001'); // Business Basic: Annual or Month
    graph.resetCalls();
    const payload = await mutate('createOrder', CREATE_ORDER, {
      input: {
        customerId: gid('Customer', account.id),
        items: [
          { productId: gid('Product', monthly.id), quantity: 4 },
          { productId: gid('Product', annual.id), quantity: 10, unitId: 'Annual', parameters: [{ name: 'Tenant domain', value: 'wattle' }] },
        ],
      },
    });
    expect(payload.order).toMatchObject({ status: 'DRAFT', vendorStatus: 'Draft', customer: { vendorId: String(account.id) } });
    expect(payload.order.items.map((i: Any) => [i.sku, i.quantity])).toEqual([
      [monthly.code, 4],
      [annual.code, 10],
    ]);
    expect(calls()[ROUTE.createOrder]).toBe(1);
    expect(calls()[ROUTE.createOrderItem]).toBe(2);
    expect(calls()[ROUTE.checkout]).toBeUndefined();
    const items = await sim.get(`/api/orders/${payload.order.vendorId}/items?include=characteristics`);
    expect(items[1].unit.name).toBe('Annual');
    expect(items[1].characteristics.groups.flatMap((g: Any) => g.characteristics).find((c: Any) => c.name === 'Tenant domain').value).toBe('wattle');

    // A product sold in several units needs one: a user error, and nothing is created.
    graph.resetCalls();
    const ambiguous = await ok(CREATE_ORDER, { input: { customerId: gid('Customer', account.id), items: [{ productId: gid('Product', annual.id), quantity: 1 }] } });
    expect(ambiguous.createOrder.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining('Annual') })]);
    expect(calls()[ROUTE.createOrder]).toBeUndefined();

    // With checkout: true the draft is checked out at once and runs on the vendor's clock.
    const bought = await mutate('createOrder', CREATE_ORDER, { input: { customerId: gid('Customer', account.id), items: [{ productId: gid('Product', monthly.id), quantity: 2 }], checkout: true } });
    expect(bought.order.status).toBe('SUBMITTED');
    expect(await pollUntilCompleted(bought.order.id)).toContain('COMPLETED/COMPLETED');
  });

  it('Create Order Item: a line added to a draft, shown by the order it returns and by a later read', async () => {
    const account = accountWithSubscriptions(1);
    const draft = await mutate('createOrder', CREATE_ORDER, { input: { customerId: gid('Customer', account.id) } });
    expect(draft.order.items).toEqual([]);
    const exchange = product('CFQ7TTC0LH16:0001');
    graph.resetCalls();
    const payload = await mutate(
      'addOrderItem',
      `mutation($orderId: ID!, $item: OrderItemInput!) { addOrderItem(orderId: $orderId, item: $item) { order ${ORDER} userErrors { field message code } } }`,
      { orderId: draft.order.id, item: { productId: gid('Product', exchange.id), quantity: 7 } },
    );
    expect(payload.order.items.map((i: Any) => [i.sku, i.quantity])).toEqual([[exchange.code, 7]]);
    expect(calls()[ROUTE.createOrderItem]).toBe(1);
    const after = await ok(`{ order(id: "${draft.order.id}") ${ORDER} }`);
    expect(after.order.items).toEqual(payload.order.items);
  });

  it('Checkout Order: a draft sent for execution (202), answered as SUBMITTED at once; a second checkout is the vendor\'s refusal', async () => {
    const account = accountWithSubscriptions(2);
    const draft = await mutate('createOrder', CREATE_ORDER, { input: { customerId: gid('Customer', account.id), items: [{ productId: gid('Product', product('CFQ7TTC0LH16:0001').id), quantity: 1 }] } });
    const CHECKOUT = `mutation($id: ID!) { checkoutOrder(id: $id) { order { status vendorStatus } userErrors { code message } } }`;
    const payload = await mutate('checkoutOrder', CHECKOUT, { id: draft.order.id });
    expect(payload.order).toEqual({ status: 'SUBMITTED', vendorStatus: 'Submitted' });
    const again = await ok(CHECKOUT, { id: draft.order.id });
    expect(again.checkoutOrder.userErrors).toEqual([expect.objectContaining({ code: 'UPSTREAM_BAD_REQUEST' })]);
  });

  it('Get Order Execution Status: Draft without a call, then Submitted → Executing → Executed on the simulator clock', async () => {
    const account = accountWithSubscriptions(3);
    const draft = await mutate('createOrder', CREATE_ORDER, { input: { customerId: gid('Customer', account.id), items: [{ productId: gid('Product', product('CFQ7TTC0LH16:0001').id), quantity: 3 }] } });
    graph.resetCalls();
    const before = await ok(POLL, { id: draft.order.id });
    expect(before.order.executionStatus).toEqual({ status: 'DRAFT', vendorStatus: 'Draft' });
    expect(calls()[ROUTE.executionStatus]).toBeUndefined();
    await mutate('checkoutOrder', 'mutation($id: ID!) { checkoutOrder(id: $id) { order { status } userErrors { code message } } }', { id: draft.order.id });
    const seen = await pollUntilCompleted(draft.order.id);
    expect(seen[0]).toBe('SUBMITTED/SUBMITTED');
    expect(seen).toContain('PROCESSING/PROCESSING');
    expect(seen.at(-1)).toBe('COMPLETED/COMPLETED');
    const status = await sim.get(`/api/orders/${draft.order.vendorId}/execute/status`);
    expect(status).toEqual({ status: 'Executed' });
  });

  it('end to end: createOrder → addOrderItem → checkoutOrder → poll order { status executionStatus { status } } until completed; the new subscription is the customer\'s', async () => {
    const account = accountWithSubscriptions(4);
    const customerId = gid('Customer', account.id);
    const teams = product('CFQ7TTC0RM8K:0001');
    const draft = await mutate('createOrder', CREATE_ORDER, { input: { customerId } });
    const added = await mutate(
      'addOrderItem',
      `mutation($orderId: ID!, $item: OrderItemInput!) { addOrderItem(orderId: $orderId, item: $item) { order ${ORDER} userErrors { field message code } } }`,
      { orderId: draft.order.id, item: { productId: gid('Product', teams.id), quantity: 12 } },
    );
    expect(added.order.status).toBe('DRAFT');
    const checkedOut = await mutate('checkoutOrder', 'mutation($id: ID!) { checkoutOrder(id: $id) { order { status } userErrors { code message } } }', { id: draft.order.id });
    expect(checkedOut.order.status).toBe('SUBMITTED');
    const seen = await pollUntilCompleted(draft.order.id);
    expect(seen.at(-1)).toBe('COMPLETED/COMPLETED');
    expect(control().clockOffsetMs).toBeGreaterThanOrEqual(ORDER_EXECUTED_MS);
    // Execution created the subscription: the order's line and the customer show it.
    const done = await ok(`{ order(id: "${draft.order.id}") { items { subscription { vendorId sku quantity status } } customer { subscriptions(status: ACTIVE) { nodes { vendorId } } } } }`);
    const sub = done.order.items[0].subscription;
    expect(sub).toMatchObject({ sku: teams.code, quantity: 12, status: 'ACTIVE' });
    expect(done.order.customer.subscriptions.nodes.map((s: Any) => s.vendorId)).toContain(sub.vendorId);
  });

  // ---- products --------------------------------------------------------------------------

  it('List Products (incl. Microsoft SKUs): by Microsoft SKU and by name, matching the vendor', async () => {
    const data = await ok('{ products(vendor: LEADERCLOUD, first: 500) { totalCount nodes { vendorId sku name } } }');
    expect(data.products.totalCount).toBe(products.length);
    expect(data.products.nodes.map((p: Any) => p.sku)).toContain('CFQ7TTC0LFLX:0001');
    const bySku = await ok('{ products(vendor: LEADERCLOUD, filter: { sku: "CFQ7TTC0LFLX:0001" }) { nodes { vendorId name } } }');
    expect(bySku.products.nodes).toEqual([{ vendorId: product('CFQ7TTC0LFLX:0001').id, name: 'Microsoft 365 E3' }]);
    const byName = await ok('{ products(vendor: LEADERCLOUD, first: 100, filter: { name: "microsoft 365" }) { nodes { sku } } }');
    expect(byName.products.nodes.map((p: Any) => p.sku).sort()).toEqual(products.filter((p) => /microsoft 365/i.test(p.name)).map((p) => p.code).sort());
    const byPublisher = await ok('{ products(vendor: LEADERCLOUD, first: 100, filter: { publisher: "acronis" }) { totalCount nodes { sku publisher } } }');
    expect(byPublisher.products.nodes.map((p: Any) => p.sku).sort()).toEqual(products.filter((p) => p.productGroup?.name === 'Acronis').map((p) => p.code).sort());
    expect(byPublisher.products.totalCount).toBeGreaterThan(0);
  });

  it('Get Product Details: a product by id', async () => {
    const p = product('CFQ7TTC0LFLZ:0002');
    const detail = await sim.get(`/api/products/${p.id}`);
    const data = await ok(`{ product(id: "${gid('Product', p.id)}") { vendorId name sku publisher term } }`);
    expect(data.product).toEqual({ vendorId: p.id, name: detail.name, sku: detail.code, publisher: detail.productGroup?.name ?? null, term: detail.chargeType ?? null });
  });

  it('Get Product Addons: the add-ons sold with a product, each a product itself', async () => {
    const parent = products.find((p) => products.some((a) => a.type === 'Addon') && p.type === 'Primary' && p.code === 'CFQ7TTC0LFLX:0001')!;
    const addons = await sim.get(`/api/products/${parent.id}/addons`);
    const data = await ok(`{ product(id: "${gid('Product', parent.id)}") { addons { vendorId name sku product { sku } } } }`);
    expect(data.product.addons.map((a: Any) => [a.vendorId, a.sku, a.product.sku])).toEqual(addons.map((a: Any) => [a.id, a.code, a.code]));
  });

  it('Get Product Billing Frequency Options: an annual product paid in monthly installments', async () => {
    const p = product('CFQ7TTC0LH18:0001');
    const options = (await sim.get(`/api/products/${p.id}/billingfrequencyoptions?pageSize=500`)).data;
    const data = await ok(`{ product(id: "${gid('Product', p.id)}") { billingFrequencies { vendorId name billingFrequency } } }`);
    expect(data.product.billingFrequencies).toEqual(options.map((o: Any) => ({ vendorId: o.id, name: `${o.unit.name}, ${o.installments} installments`, billingFrequency: 'Monthly' })));
    expect(data.product.billingFrequencies).toHaveLength(1);
  });

  it('Get Product Pricing: sell and cost price per unit and currency', async () => {
    const p = product('CFQ7TTC0LH18:0001');
    const pricing = await sim.get(`/api/products/${p.id}/pricing`);
    const data = await ok(`{ product(id: "${gid('Product', p.id)}") { prices { unit price { amount currency } cost { amount } } } }`);
    const expected = pricing.prices.flatMap((pr: Any) => pr.units.map((u: Any) => [u.name, pr.currency, u.sellPrice, u.purchasePrice]));
    expect(data.product.prices.map((x: Any) => [x.unit, x.price.currency, Number(x.price.amount), Number(x.cost.amount)])).toEqual(expected);
  });

  it('Get Product External Prices: one GET per unit and currency where the product has external pricing, none where it has not', async () => {
    const azure = product('DZH318Z0BPS6:0001');
    graph.resetCalls();
    const data = await ok(`{ product(id: "${gid('Product', azure.id)}") { externalPrices { sku price { amount currency } raw } } }`);
    const currencies = data.product.externalPrices.map((x: Any) => x.price.currency);
    expect(currencies).toEqual(['AUD', 'EUR', 'USD']);
    expect(calls()[ROUTE.externalPrices]).toBe(3);
    const unitId = data.product.externalPrices[0].raw.unit.id;
    const direct = await sim.get(`/api/products/${azure.id}/externalprices?unitId=${unitId}&currency=AUD`);
    expect(Number(data.product.externalPrices[0].price.amount)).toBe(direct.sellPrice);
    expect(data.product.externalPrices[0].sku).toBe(azure.code);

    graph.resetCalls();
    const none = await ok(`{ product(id: "${gid('Product', product('CFQ7TTC0LH18:0001').id)}") { externalPrices { sku } } }`);
    expect(none.product.externalPrices).toEqual([]);
    expect(calls()[ROUTE.externalPrices]).toBeUndefined();
  });

  it('Get Product Characteristics: grouped characteristics with their values', async () => {
    const p = product('CFQ7TTC0LFLX:0001');
    const body = await sim.get(`/api/products/${p.id}/characteristics`);
    const data = await ok(`{ product(id: "${gid('Product', p.id)}") { characteristics { id name group values } } }`);
    expect(data.product.characteristics).toEqual(
      body.groups.flatMap((g: Any) => g.characteristics.map((c: Any) => ({ id: c.id, name: c.name, group: g.name, values: c.value ? [c.value] : [] }))),
    );
    expect(data.product.characteristics.map((c: Any) => c.name)).toEqual(expect.arrayContaining(['Tenant domain', 'Publisher']));
  });

  it('Get Product Custom Fields: the custom fields of a product', async () => {
    const p = product('CFQ7TTC0LFLX:0001');
    const groups = await sim.get(`/api/products/${p.id}/customfields`);
    const data = await ok(`{ product(id: "${gid('Product', p.id)}") { customFields { id name group values } } }`);
    expect(data.product.customFields).toEqual(groups.flatMap((g: Any) => g.groupFields.map((f: Any) => ({ id: String(f.id), name: f.name, group: g.group.name, values: f.values.map((v: Any) => v.value) }))));
    expect(data.product.customFields.map((f: Any) => f.name)).toContain('Vendor');
  });

  // ---- subscriptions ---------------------------------------------------------------------

  const SUB = '{ id vendorId status vendorStatus quantity autoRenew sku addons { vendorId status vendorStatus } }';

  it('List Subscriptions: by status and by customer, matching the vendor', async () => {
    const active = await ok('{ subscriptions(vendor: LEADERCLOUD, first: 500, filter: { status: ACTIVE }) { nodes { vendorId } } }');
    const now = await sim.all('/api/subscriptions');
    expect(active.subscriptions.nodes.map((s: Any) => s.vendorId).sort()).toEqual(now.filter((s) => s.status === 'Active').map((s) => s.id).sort());
    const account = accountWithSubscriptions(5);
    const mine = await ok(`{ subscriptions(vendor: LEADERCLOUD, first: 500, filter: { customerId: "${gid('Customer', account.id)}" }) { nodes { vendorId customer { vendorId } } } }`);
    expect(mine.subscriptions.nodes.map((s: Any) => s.vendorId).sort()).toEqual(now.filter((s) => s.account.id === account.id).map((s) => s.id).sort());
    const times = now.map((s) => Date.parse(s.createdAt)).sort((x, y) => x - y);
    const from = new Date(times[Math.floor(times.length / 3)]!).toISOString();
    const to = new Date(times[Math.floor((2 * times.length) / 3)]!).toISOString();
    const created = await ok('query($from: DateTime, $to: DateTime) { subscriptions(vendor: LEADERCLOUD, first: 500, filter: { createdFrom: $from, createdTo: $to }) { nodes { vendorId } } }', { from, to });
    const inRange = now.filter((s) => Date.parse(s.createdAt) >= Date.parse(from) && Date.parse(s.createdAt) <= Date.parse(to)).map((s) => s.id);
    expect(created.subscriptions.nodes.map((s: Any) => s.vendorId).sort()).toEqual(inRange.sort());
  });

  it('Get Subscription Details: a subscription by id', async () => {
    const row = subscriptions[0];
    const data = await ok(`{ subscription(id: "${gid('Subscription', row.id)}") { vendorId name vendorStatus quantity sku autoRenew customer { vendorId } product { vendorId } } }`);
    expect(data.subscription).toEqual({ vendorId: row.id, name: row.name, vendorStatus: row.status, quantity: row.quantity, sku: row.product.code, autoRenew: row.automaticRenewal, customer: { vendorId: String(row.account.id) }, product: { vendorId: row.product.id } });
  });

  /** A subscription with an active add-on (and the add-on). */
  async function withAddon(): Promise<{ sub: Any; addon: Any }> {
    for (const sub of subscriptions) {
      const addons = await sim.get(`/api/subscriptions/${sub.id}/addons`);
      const addon = addons.find((a: Any) => a.status === 'Active');
      if (addon && sub.status === 'Active') return { sub, addon };
    }
    throw new Error('no subscription with an active add-on in the seed');
  }

  it('Get Subscription Addons: the add-ons of a subscription', async () => {
    const { sub } = await withAddon();
    const addons = await sim.get(`/api/subscriptions/${sub.id}/addons`);
    const data = await ok(`{ subscription(id: "${gid('Subscription', sub.id)}") { addons { vendorId name sku vendorStatus quantity } } }`);
    expect(data.subscription.addons).toEqual(addons.map((a: Any) => ({ vendorId: a.id, name: a.product.name, sku: a.product.code, vendorStatus: a.status, quantity: a.quantity })));
  });

  it('Get Subscription Custom Fields: the custom fields of a subscription', async () => {
    const sub = subscriptions[1];
    const groups = await sim.get(`/api/subscriptions/${sub.id}/customfields`);
    const data = await ok(`{ subscription(id: "${gid('Subscription', sub.id)}") { customFields { id name group values } } }`);
    expect(data.subscription.customFields).toEqual(groups.flatMap((g: Any) => g.groupFields.map((f: Any) => ({ id: String(f.id), name: f.name, group: g.group.name, values: f.values.map((v: Any) => v.value) }))));
    expect(data.subscription.customFields.map((f: Any) => f.name)).toEqual(['PO number', 'Cost centre']);
  });

  it('Get Subscription Characteristics: grouped characteristics of a subscription', async () => {
    const sub = subscriptions.find((s) => /^CFQ7/.test(s.product.code))!;
    const body = await sim.get(`/api/subscriptions/${sub.id}/characteristics`);
    const data = await ok(`{ subscription(id: "${gid('Subscription', sub.id)}") { characteristics { id name group values } } }`);
    expect(data.subscription.characteristics).toEqual(
      body.groups.flatMap((g: Any) => g.characteristics.map((c: Any) => ({ id: c.id, name: c.name, group: g.name, values: c.value ? [c.value] : [] }))),
    );
    expect(data.subscription.characteristics.length).toBeGreaterThan(0);
  });

  it('Get Subscription Current Installment Plan: the plan where there is one, null where the vendor has none (404)', async () => {
    const plans = await Promise.all(subscriptions.map((s) => sim.call('GET', `/api/subscriptions/${s.id}/currentInstallmentplan`)));
    const withPlan = subscriptions[plans.findIndex((p) => p.status === 200)];
    const without = subscriptions[plans.findIndex((p) => p.status === 404)];
    expect(withPlan && without).toBeTruthy();
    const plan = plans[subscriptions.indexOf(withPlan)]!.body;
    const data = await ok(
      `{ a: subscription(id: "${gid('Subscription', withPlan.id)}") { installmentPlan { vendorId name raw } } b: subscription(id: "${gid('Subscription', without.id)}") { installmentPlan { vendorId } } }`,
    );
    expect(data.a.installmentPlan).toMatchObject({ vendorId: plan.id, name: `${plan.product.name}: ${plan.installments} installments, monthly`, raw: { installments: plan.installments } });
    expect(data.b.installmentPlan).toBeNull();
  });

  it('Update Subscription Quantity (at a date): a quantity request answered at once, PENDING until the vendor applies it', async () => {
    const sub = subscriptions.find((s) => s.status === 'Active' && s.product.code === 'CFQ7TTC0LH16:0001') ?? subscriptions.find((s) => s.status === 'Active' && !/DZH3/.test(s.product.code))!;
    const effectiveDate = new Date(Date.now() + 60_000).toISOString();
    graph.resetCalls();
    const payload = await mutate(
      'updateSubscriptionQuantity',
      `mutation($id: ID!, $q: Int!, $at: DateTime) { updateSubscriptionQuantity(id: $id, quantity: $q, effectiveDate: $at) {
        subscription { quantity } quantityRequest { id status previousQuantity quantity effectiveDate } userErrors { field message code } } }`,
      { id: gid('Subscription', sub.id), q: sub.quantity + 5, at: effectiveDate },
    );
    expect(payload.quantityRequest).toMatchObject({ status: 'PENDING', previousQuantity: sub.quantity, quantity: sub.quantity + 5 });
    expect(Date.parse(payload.quantityRequest.effectiveDate)).toBe(Date.parse(effectiveDate));
    expect(payload.subscription.quantity).toBe(sub.quantity);
    expect(calls()[ROUTE.quantity]).toBe(1);
    // The request id is the vendor's requestId (the SubscriptionChangeQuantityRequest it answered).
    const request = await sim.get(`/api/subscriptions/${sub.id}/quantityrequest/${payload.quantityRequest.id}`);
    expect(request).toMatchObject({ requestId: payload.quantityRequest.id, subscriptionId: sub.id, nextSubscriptionQuantity: sub.quantity + 5, status: 0 });
  });

  it('Get Subscription Quantity Request: a quantity change polled to completion on the simulator clock, then the new quantity', async () => {
    const sub = subscriptions.find((s) => s.status === 'Active' && s.quantity > 2 && !/DZH3/.test(s.product.code) && s.product.code !== 'CFQ7TTC0LH16:0001')!;
    const id = gid('Subscription', sub.id);
    const payload = await mutate(
      'updateSubscriptionQuantity',
      `mutation($id: ID!, $q: Int!) { updateSubscriptionQuantity(id: $id, quantity: $q) { quantityRequest { id status } userErrors { field message code } } }`,
      { id, q: sub.quantity - 1 },
    );
    const requestId = payload.quantityRequest.id;
    const POLL_REQUEST = 'query($id: ID!, $r: String!) { subscription(id: $id) { quantity quantityRequest(id: $r) { id status vendorStatus previousQuantity quantity } } }';
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const data = await ok(POLL_REQUEST, { id, r: requestId });
      statuses.push(data.subscription.quantityRequest.status);
      if (data.subscription.quantityRequest.status === 'COMPLETED') {
        expect(data.subscription.quantity).toBe(sub.quantity - 1);
        expect(data.subscription.quantityRequest).toMatchObject({ id: requestId, vendorStatus: '1', previousQuantity: sub.quantity, quantity: sub.quantity - 1 });
        break;
      }
      control().advance(QUANTITY_PROCESSING_MS / 3);
    }
    expect(statuses[0]).toBe('PENDING');
    expect(statuses.at(-1)).toBe('COMPLETED');
    // An unknown request id is null; one that is not a GUID costs no call.
    graph.resetCalls();
    const unknown = await ok(`{ subscription(id: "${id}") { quantityRequest(id: "00000000-0000-4000-8000-000000000000") { id } other: quantityRequest(id: "abc") { id } } }`);
    expect(unknown.subscription).toEqual({ quantityRequest: null, other: null });
    expect(calls()['GET /api/subscriptions/:subscriptionId/quantityrequest/:requestId']).toBe(1);
  });

  it('Set Subscription Auto Renewal: off and on again, shown by a later read; a cancelled subscription is refused', async () => {
    const sub = subscriptions.filter((s) => s.status === 'Active' && s.automaticRenewal === true).at(-1)!;
    const id = gid('Subscription', sub.id);
    const SET = 'mutation($id: ID!, $on: Boolean!) { setSubscriptionAutoRenewal(id: $id, enabled: $on) { subscription { autoRenew } userErrors { code message } } }';
    expect((await mutate('setSubscriptionAutoRenewal', SET, { id, on: false })).subscription.autoRenew).toBe(false);
    expect((await ok(`{ subscription(id: "${id}") { autoRenew } }`)).subscription.autoRenew).toBe(false);
    expect((await sim.get(`/api/subscriptions/${sub.id}`)).automaticRenewal).toBe(false);
    expect((await mutate('setSubscriptionAutoRenewal', SET, { id, on: true })).subscription.autoRenew).toBe(true);

    const cancelled = subscriptions.find((s) => s.status === 'Cancelled');
    if (cancelled) {
      const refused = await ok(SET, { id: gid('Subscription', cancelled.id), on: true });
      expect(refused.setSubscriptionAutoRenewal.userErrors).toEqual([expect.objectContaining({ message: expect.stringContaining('did not change the auto renewal') })]);
    }
  });

  it('Cancel Subscription: cancelled at once, shown by the payload and a later read; cancelling again is the vendor\'s refusal', async () => {
    const sub = subscriptions.filter((s) => s.status === 'Active').at(-2)!;
    const id = gid('Subscription', sub.id);
    const CANCEL = `mutation($id: ID!) { cancelSubscription(id: $id) { subscription ${SUB} userErrors { code message } } }`;
    const payload = await mutate('cancelSubscription', CANCEL, { id });
    expect(payload.subscription).toMatchObject({ status: 'CANCELLED', vendorStatus: 'Cancelled' });
    expect((await ok(`{ subscription(id: "${id}") { status } }`)).subscription.status).toBe('CANCELLED');
    const again = await ok(CANCEL, { id });
    expect(again.cancelSubscription.userErrors).toEqual([expect.objectContaining({ code: 'UPSTREAM_BAD_REQUEST' })]);
  });

  it('Cancel Subscription Addon at End of Billing Period: PENDING_CANCELLATION now, CANCELLED at the end of the period (simulator clock)', async () => {
    const { sub, addon } = await withAddon();
    const id = gid('Subscription', sub.id);
    const payload = await mutate(
      'cancelSubscriptionAddon',
      `mutation($id: ID!, $addon: String!) { cancelSubscriptionAddon(subscriptionId: $id, addonId: $addon) { subscription ${SUB} userErrors { code message } } }`,
      { id, addon: addon.id },
    );
    expect(payload.subscription.addons.find((a: Any) => a.vendorId === addon.id)).toEqual({ vendorId: addon.id, status: 'PENDING_CANCELLATION', vendorStatus: 'PendingCancellation' });
    expect(payload.subscription.status).toBe('ACTIVE');
    // The end of the current billing period: at most a year away (tokens expire on the way: the graph refreshes them).
    const end = Date.parse((await sim.get(`/api/subscriptions/${sub.id}`)).endDate);
    control().advance(Math.max(0, end - control().now()) + 366 * 24 * 3600 * 1000);
    const after = await ok(`{ subscription(id: "${id}") ${SUB} }`);
    expect(after.subscription.addons.find((a: Any) => a.vendorId === addon.id).status).toBe('CANCELLED');
  });

  // ---- what every write shares -------------------------------------------------------------

  it('input the graph can check comes back as userErrors with zero upstream calls', async () => {
    const account = gid('Customer', accounts[0].id);
    const sub = gid('Subscription', subscriptions[0].id);
    graph.resetCalls();
    const data = await ok(`mutation {
      a: createCustomer(input: { vendor: LEADERCLOUD, name: " ", email: "not-an-email", leaderCloud: { noteType: "Memo", creditLimit: "-5" } }) { customer { id } userErrors { field code } }
      b: createOrder(input: { customerId: "${account}", items: [{ productId: "${gid('Product', 'not-a-guid')}", quantity: 0 }], checkout: true }) { order { id } userErrors { field code } }
      c: updateSubscriptionQuantity(id: "${sub}", quantity: 0, effectiveDate: "2001-01-01T00:00:00Z") { subscription { id } userErrors { field code } }
      d: setCustomerCustomFields(id: "${account}", values: [{ id: "abc", value: "x" }]) { customer { id } userErrors { field code } }
      e: updateCustomer(id: "${account}", input: { patch: [{ op: REPLACE, path: "name" }] }) { customer { id } userErrors { field code } }
      f: cancelSubscription(id: "${gid('Subscription', '12')}") { subscription { id } userErrors { field code } }
      g: createCustomer(input: { vendor: LEADERCLOUD, name: "X", ingram: { language: "en" } }) { customer { id } userErrors { field code } }
    }`);
    const fields = (key: string) => data[key].userErrors.map((e: Any) => e.field.join('.'));
    expect(fields('a')).toEqual(expect.arrayContaining(['input.name', 'input.email', 'input.leaderCloud.noteType', 'input.leaderCloud.creditLimit']));
    expect(fields('b')).toEqual(expect.arrayContaining(['input.items.0.productId', 'input.items.0.quantity']));
    expect(fields('c')).toEqual(['quantity', 'effectiveDate']);
    expect(fields('d')).toEqual(['values.0.id']);
    expect(fields('e')).toEqual(expect.arrayContaining(['input.patch.0.path', 'input.patch.0.value']));
    expect(fields('f')).toEqual(['id']);
    expect(fields('g')).toEqual(['input.ingram']);
    for (const key of 'abcdefg') expect(data[key].userErrors.every((e: Any) => e.code === 'BAD_USER_INPUT')).toBe(true);
    expect(graph.calls().total).toBe(0);
  });

  it('never sends the same POST twice: not after an injected 503, not after a timeout', async () => {
    const customerId = gid('Customer', accountWithSubscriptions(6).id);
    graph.resetCalls();
    control().addFault({ status: 503, method: 'POST', path: '^/api/orders$', times: 1 });
    const failed = await graph.query(CREATE_ORDER, { input: { customerId } });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LEADERCLOUD', httpStatus: 503 });
    expect(calls()[ROUTE.createOrder]).toBe(1);

    // A write the vendor is too slow to answer: the graph gives up after its timeout (5 s here) and does not send it again.
    const sub = subscriptions.filter((s) => s.status === 'Active' && !/DZH3/.test(s.product.code)).at(-3)!;
    graph.resetCalls();
    control().addFault({ delayMs: 6_000, method: 'POST', path: '/quantity$', times: 1 });
    const slow = await graph.query(`mutation { updateSubscriptionQuantity(id: "${gid('Subscription', sub.id)}", quantity: ${sub.quantity + 1}) { quantityRequest { id } userErrors { code } } }`);
    expect(slow.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', vendor: 'LEADERCLOUD' });
    expect(calls()[ROUTE.quantity]).toBe(1);
  }, 20_000);

  it('an idempotencyKey replay sends one upstream write; the same key with another input is IDEMPOTENCY_KEY_REUSED', async () => {
    const customerId = gid('Customer', accountWithSubscriptions(7).id);
    const items = [{ productId: gid('Product', product('CFQ7TTC0LH16:0001').id), quantity: 2 }];
    const key = 'lc-order-2f0c7d3e-5d1a-4a7e-9d6b-1e2f3a4b5c6d';
    graph.resetCalls();
    const first = await mutate('createOrder', CREATE_ORDER, { input: { customerId, items, idempotencyKey: key } });
    const replay = await mutate('createOrder', CREATE_ORDER, { input: { customerId, items, idempotencyKey: key } });
    expect(replay.order.id).toBe(first.order.id);
    expect(calls()[ROUTE.createOrder]).toBe(1);
    expect(calls()[ROUTE.createOrderItem]).toBe(1);
    const reused = await ok(CREATE_ORDER, { input: { customerId, items: [{ ...items[0], quantity: 3 }], idempotencyKey: key } });
    expect(reused.createOrder.userErrors).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' })]);
    expect(calls()[ROUTE.createOrder]).toBe(1);
  });

  it('the generic request refuses hostile paths with BAD_USER_INPUT and zero upstream calls', async () => {
    const hostile = [
      'https://evil.example/api/accounts',
      '//evil.example/api/accounts',
      '../oauth/token',
      'api/../oauth/token',
      'api/%2e%2e/oauth/token',
      'api/%252e%252e/%252e%252e/oauth/token',
      'api\\accounts',
      'api/accounts\r\nX-Injected: 1',
      'oauth/token',
      '/OAuth/Token',
      '__sim/clock/advance',
      'api/accounts?pageSize=1',
    ];
    graph.resetCalls();
    for (const path of hostile) {
      const read = await graph.query('query($path: String!) { vendorRequest(vendor: LEADERCLOUD, path: $path) { status } }', { path });
      expect(read.errors?.[0]?.extensions?.code, path).toBe('BAD_USER_INPUT');
      const write = await ok('mutation($path: String!) { sendVendorRequest(input: { vendor: LEADERCLOUD, method: POST, path: $path, body: {} }) { response { status } userErrors { code } } }', { path });
      expect(write.sendVendorRequest.userErrors, path).toEqual([{ code: 'BAD_USER_INPUT' }]);
    }
    expect(graph.calls().total).toBe(0);
  });
});
