/**
 * Behaviour of the Ingram Micro Cloud Marketplace simulator over real HTTP: token flow and
 * gateway auth, paging, filters, ordering, writes, the async order and report lifecycles on
 * the simulated clock, correlation ids, faults, counting, determinism and scale. Runs the
 * default `documented` profile; what differs under `extended` is in ingram.profiles.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, startSimulators, type RunningSimulator } from '../../src/simulators/index.js';
import { seedStore } from '../../src/simulators/ingram/seed.js';
import { DOCUMENTED_PAGE_CAP, ORDER_COMPLETED_MS, ORDER_SUBMITTED_MS, REPORT_COMPLETED_MS, REPORT_SUBMITTED_MS } from '../../src/simulators/ingram/index.js';

type Json = Record<string, unknown>;
interface Page<T = Json> {
  data: T[];
  pagination: { offset: number; limit: number; total: number };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function client(sim: RunningSimulator) {
  const c = sim.credentials as Record<string, string>;
  const tokenRequest = (opts: { user?: string; password?: string; key?: string | null; body?: unknown } = {}) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: basic(opts.user ?? c.username!, opts.password ?? c.password!),
    };
    if (opts.key !== null) headers['x-subscription-key'] = opts.key ?? c.subscriptionKey!;
    return fetch(`${sim.baseUrl}/token`, {
      method: 'POST',
      headers,
      body: JSON.stringify(opts.body ?? { marketplace: c.marketplace }),
    });
  };
  const token = async () => ((await (await tokenRequest()).json()) as { token: string }).token;
  return { c, tokenRequest, token };
}

describe('Ingram simulator', () => {
  let sims: Awaited<ReturnType<typeof startSimulators>>;
  let sim: RunningSimulator;
  let api: ReturnType<typeof client>;
  let auth: Record<string, string>;

  const req = (method: string, path: string, body?: unknown, headers = auth) =>
    fetch(sim.baseUrl + path, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = async <T = Json>(path: string): Promise<T> => {
    const response = await req('GET', path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const send = async <T = Json>(method: string, path: string, body: unknown): Promise<T> => {
    const response = await req(method, path, body);
    const json = (await response.json()) as T;
    expect(response.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
    return json;
  };
  const expectError = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ status });
    expect(typeof body.timeStamp).toBe('string');
    expect(typeof body.message).toBe('string');
    expect(typeof body.path).toBe('string');
    expect(body.correlationId).toBe(response.headers.get('x-correlation-id'));
    return body;
  };

  beforeAll(async () => {
    sims = await startSimulators({ vendors: ['ingram'], seed: 5, size: 200 });
    sim = sims.ingram;
    api = client(sim);
    auth = { authorization: `Bearer ${await api.token()}`, 'x-subscription-key': api.c.subscriptionKey! };
  });
  afterAll(() => sims?.close());

  describe('auth', () => {
    it('issues a JWT-shaped token for good credentials', async () => {
      expect(sim.baseUrl.endsWith('/marketplace/na')).toBe(true);
      const response = await api.tokenRequest();
      expect(response.status).toBe(200);
      const body = (await response.json()) as { token: string; expiresInSeconds: number };
      expect(body.expiresInSeconds).toBe(1500);
      expect(body.token.split('.')).toHaveLength(3);
      const claims = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as Json;
      expect(claims).toMatchObject({ sub: 'DEMO-MSP.API', marketplace: 'us', region: 'na' });
    });

    it('rejects bad credentials, keys and marketplaces', async () => {
      await expectError(await api.tokenRequest({ password: 'wrong' }), 401);
      await expectError(await api.tokenRequest({ user: 'someone.else' }), 401);
      await expectError(await api.tokenRequest({ key: null }), 401);
      await expectError(await api.tokenRequest({ key: 'ffffffffffffffffffffffffffffffff' }), 401);
      await expectError(await api.tokenRequest({ body: {} }), 400);
      await expectError(await api.tokenRequest({ body: { marketplace: 'zz' } }), 400);
      const noBasic = await fetch(`${sim.baseUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-subscription-key': api.c.subscriptionKey! },
        body: JSON.stringify({ marketplace: 'us' }),
      });
      await expectError(noBasic, 401);
    });

    it('needs both the bearer token and the subscription key on every other call', async () => {
      await expectError(await req('GET', '/customers', undefined, { 'x-subscription-key': api.c.subscriptionKey! }), 401);
      await expectError(await req('GET', '/customers', undefined, { authorization: auth.authorization! }), 401);
      await expectError(await req('GET', '/customers', undefined, { ...auth, 'x-subscription-key': 'wrong' }), 401);
      await expectError(await req('GET', '/customers', undefined, { ...auth, authorization: 'Bearer not-a-token' }), 401);
      // Auth is checked before the body is parsed.
      await expectError(await req('POST', '/customers', '{bad json', { 'x-subscription-key': api.c.subscriptionKey! }), 401);
    });

    it('answers 401 once tokens expire or are revoked, and a new token works', async () => {
      const own = { authorization: `Bearer ${await api.token()}`, 'x-subscription-key': api.c.subscriptionKey! };
      expect((await req('GET', '/plans', undefined, own)).status).toBe(200);
      sim.control.expireTokens();
      const expired = await expectError(await req('GET', '/plans', undefined, own), 401);
      expect(String(expired.message)).toMatch(/expired/i);
      const fresh = { ...own, authorization: `Bearer ${await api.token()}` };
      expect((await req('GET', '/plans', undefined, fresh)).status).toBe(200);
      sim.control.revokeTokens();
      await expectError(await req('GET', '/plans', undefined, fresh), 401);
      auth = { ...auth, authorization: `Bearer ${await api.token()}` };
    });

    it('accepts any region code in the base path and routes case-sensitively', async () => {
      const eu = await fetch(`${sim.origin}/marketplace/eu/plans`, { headers: auth });
      expect(eu.status).toBe(200);
      await expectError(await fetch(`${sim.origin}/marketplace/NA/plans`, { headers: auth }), 404);
      await expectError(await fetch(`${sim.origin}/marketplace/toolong/plans`, { headers: auth }), 404);
      await expectError(await req('GET', '/Customers'), 404);
      await expectError(await req('GET', '/nowhere'), 404);
    });
  });

  describe('paging', () => {
    it('walks to the last page with total, offset and limit', async () => {
      const first = await get<Page>('/customers');
      expect(first.pagination).toMatchObject({ offset: 0, limit: 10 });
      expect(first.data).toHaveLength(10);
      const total = first.pagination.total;
      expect(total).toBe(sims.world.customersOf('ingram').length);
      const ids = new Set<string>();
      let offset = 0;
      let last: Page | undefined;
      while (offset < total) {
        last = await get<Page>(`/customers?offset=${offset}&limit=7`);
        expect(last.pagination).toEqual({ offset, limit: 7, total });
        for (const c of last.data) ids.add(String(c.id));
        offset += 7;
      }
      expect(ids.size).toBe(total);
      expect(last?.data.length).toBe(total % 7 || 7);
      const beyond = await get<Page>(`/customers?offset=${total + 5}`);
      expect(beyond.data).toEqual([]);
      expect(beyond.pagination.total).toBe(total);
      // A page holds at most the gateway's cap (documented profile), whatever limit asks for.
      expect(total).toBeGreaterThan(DOCUMENTED_PAGE_CAP);
      const capped = await get<Page>('/customers?limit=1000');
      expect(capped.data).toHaveLength(DOCUMENTED_PAGE_CAP);
      expect(capped.pagination).toEqual({ offset: 0, limit: DOCUMENTED_PAGE_CAP, total });
    });

    it('rejects invalid paging values with 400', async () => {
      for (const q of ['offset=-1', 'offset=abc', 'limit=0', 'limit=-5', 'limit=1.5', 'limit=x', 'offset=1&offset=2']) {
        await expectError(await req('GET', `/subscriptions?${q}`), 400);
      }
    });
  });

  describe('filters and ordering', () => {
    it('filters customers by externalId, email, name and resellerId', async () => {
      const company = sims.world.customersOf('ingram')[3]!;
      const byExt = await get<Page>(`/customers?externalId=${company.externalId}`);
      expect(byExt.data).toHaveLength(1);
      expect(byExt.data[0]).toMatchObject({ name: company.name, externalId: company.externalId });
      const email = company.contacts[1]!.email;
      const byEmail = await get<Page>(`/customers?email=${encodeURIComponent(email.toUpperCase())}`);
      expect(byEmail.data.map((c) => c.externalId)).toContain(company.externalId);
      const word = company.name.split(' ')[0]!.toLowerCase();
      const byName = await get<Page>(`/customers?name=${encodeURIComponent(word)}&limit=1000`);
      expect(byName.data.length).toBeGreaterThan(0);
      for (const c of byName.data) expect(String(c.name).toLowerCase()).toContain(word);
      const resellers = await get<Page>('/resellers');
      const rid = String(resellers.data[0]!.id);
      const byReseller = await get<Page>(`/customers?resellerId=${rid}&limit=1000`);
      expect(byReseller.data.length).toBeGreaterThan(0);
      // List rows are basic details: the reseller id is in the detail.
      for (const c of byReseller.data.slice(0, 10)) expect((await get(`/customers/${String(c.id)}`)).resellerId).toBe(rid);
      const viaReseller = await get<Page>(`/resellers/${rid}/customers?limit=1000`);
      expect(viaReseller.pagination.total).toBe(byReseller.pagination.total);
      await expectError(await req('GET', '/resellers/424242/customers'), 404);
    });

    it('filters products by vendor, mpn, serviceName and name', async () => {
      const ms = await get<Page>('/products?vendor=microsoft&limit=1000');
      expect(ms.data.length).toBeGreaterThan(5);
      for (const p of ms.data) expect(p.vendor).toBe('Microsoft');
      const one = await get<Page>('/products?mpn=CFQ7TTC0LH18:0001_P1Y_A');
      expect(one.data).toHaveLength(1);
      expect(one.data[0]).toMatchObject({ name: expect.stringContaining('Business Basic'), billingPeriod: { type: 'year', duration: 1 } });
      const price = (one.data[0]!.prices as Array<{ currency: string; amount: string }>).find((x) => x.currency === 'USD');
      expect(price?.amount).toBe('72.00');
      const acronis = await get<Page>('/products?serviceName=ACRONIS_CYBER_CLOUD');
      expect(acronis.data.length).toBe(3);
      const dropbox = await get<Page>('/products?name=dropbox');
      expect(dropbox.data.length).toBe(2);
    });

    it('filters subscriptions and rejects bad filter values', async () => {
      const active = await get<Page>('/subscriptions?status=active&limit=1000');
      for (const s of active.data) expect(s.status).toBe('active');
      const customerId = String(active.data[0]!.customerId);
      const mine = await get<Page>(`/subscriptions?customerId=${customerId}&limit=1000`);
      for (const s of mine.data) expect(s.customerId).toBe(customerId);
      const ranged = await get<Page>('/subscriptions?creationDateFrom=2026-01-01&creationDateTo=2026-06-30&limit=1000');
      for (const s of ranged.data) expect(String(s.creationDate) >= '2026-01-01' && String(s.creationDate) <= '2026-06-30').toBe(true);
      await expectError(await req('GET', '/subscriptions?status=sleeping'), 400);
      await expectError(await req('GET', '/subscriptions?creationDateFrom=2026-13-01'), 400);
      await expectError(await req('GET', '/subscriptions?creationDateTo=yesterday'), 400);
    });

    it('filters orders and reports', async () => {
      const errors = await get<Page>('/orders?status=error&limit=1000');
      expect(errors.data.length).toBeGreaterThan(0);
      for (const o of errors.data) expect(o).toMatchObject({ status: 'error', statusCode: 'PF' });
      const completed = await get<Page>('/orders?statusCode=CP&limit=5');
      for (const o of completed.data) expect(o.status).toBe('completed');
      const one = completed.data[0]!;
      expect(String(one.orderNumber)).toMatch(/^SO\d{6}$/);
      const byNumber = await get<Page>(`/orders?orderNumber=${String(one.orderNumber)}`);
      expect(byNumber.data.map((o) => o.id)).toEqual([one.id]);
      const detail = await get(`/orders/${String(one.id)}`);
      const bySub = await get<Page>(`/orders?subscriptionId=${String(detail.subscriptionId)}`);
      expect(bySub.data.map((o) => o.id)).toContain(one.id);
      const from = '2026-10-01T00:00:00Z';
      const to = '2026-10-31T23:59:59+00:00';
      const ranged = await get<Page>(`/orders?creationTimeFrom=${from}&creationTimeTo=${encodeURIComponent(to)}&limit=1000`);
      for (const o of ranged.data) expect(String(o.creationDate) >= from && String(o.creationDate) <= '2026-10-31T23:59:59Z').toBe(true);
      await expectError(await req('GET', '/orders?status=done'), 400);
      await expectError(await req('GET', '/orders?creationTimeFrom=2026-10-01'), 400);
      const csv = await get<Page>('/reports?format=csv&type=monthly&status=completed');
      expect(csv.data.length).toBe(6);
      const nov = await get<Page>('/reports?from=2026-11-01&to=2026-11-30');
      for (const r of nov.data) expect(String(r.creationDate).startsWith('2026-11')).toBe(true);
      await expectError(await req('GET', '/reports?format=pdf'), 400);
      await expectError(await req('GET', '/reports?from=01/11/2026'), 400);
    });

    it('lists customers, subscriptions, orders and reports newest first', async () => {
      const customers = await get<Page>('/customers?limit=50');
      const ids = customers.data.map((c) => Number(c.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      for (const [path, field] of [['/subscriptions', 'creationDate'], ['/orders', 'creationDate'], ['/reports', 'creationDate']] as const) {
        const list = await get<Page>(`${path}?limit=200`);
        const dates = list.data.map((x) => String(x[field]));
        expect(dates, path).toEqual([...dates].sort().reverse());
      }
    });
  });

  describe('writes', () => {
    const address = { streetAddress: '1 Test Way', postalCode: '3000', city: 'Melbourne', state: 'VIC', countryCode: 'AU' };
    const contactPersons = [{ type: 'admin', firstName: 'Tess', lastName: 'Ter', email: 'tess@test.example', phoneNumber: '+61 400 000 000' }];

    it('creates, reads and updates customers and resellers', async () => {
      const created = await send('POST', '/customers', { name: 'Write Test Pty Ltd', externalId: 'WT-1', address, contactPersons, language: 'en_US' });
      expect(String(created.id)).toMatch(/^\d+$/);
      expect(created).toMatchObject({ status: 'active', resellerId: expect.any(String) });
      expect(created.contactPersons).toEqual(contactPersons);
      expect(await get(`/customers/${String(created.id)}`)).toEqual(created);
      const top = await get<Page>('/customers?limit=1');
      expect(top.data[0]!.id).toBe(created.id);
      const patched = await send('PATCH', `/customers/${String(created.id)}`, { name: 'Write Test Renamed', status: 'creditHold', attributes: { a: 'b' } });
      expect(patched).toMatchObject({ name: 'Write Test Renamed', status: 'creditHold', attributes: { a: 'b' }, externalId: 'WT-1' });
      expect((await get(`/customers/${String(created.id)}`)).name).toBe('Write Test Renamed');
      await send('PATCH', `/customers/${String(created.id)}`, { status: 'active' });

      await expectError(await req('PATCH', `/customers/${String(created.id)}`, { status: 'sleepy' }), 400);
      await expectError(await req('PATCH', '/customers/1', { name: 'x' }), 404);
      await expectError(await req('POST', '/customers', { name: 'No address', contactPersons, language: 'en_US' }), 400);
      await expectError(await req('POST', '/customers', { ...{ name: 'Bad contact', address, language: 'en_US' }, contactPersons: [{ type: 'boss' }] }), 400);
      await expectError(await req('POST', '/customers', '{"name": "broken'), 400);
      await expectError(await req('POST', '/customers', '[1,2]'), 400);

      const reseller = await send('POST', '/resellers', { name: 'Sub Reseller', address, contactPersons, language: 'en_US', currency: 'AUD' });
      expect(reseller).toMatchObject({ currency: 'AUD', taxationProviderName: 'Vertex', customerClass: 'Default' });
      await expectError(await req('POST', '/resellers', { name: 'No currency', address, contactPersons, language: 'en_US' }), 400);
      const under = await send('POST', `/resellers/${String(reseller.id)}/customers`, { name: 'Under Co', address, contactPersons, language: 'en_US' });
      expect(under.resellerId).toBe(reseller.id);
      const list = await get<Page>(`/resellers/${String(reseller.id)}/customers`);
      expect(list.data.map((c) => c.id)).toEqual([under.id]);
      const renamed = await send('PATCH', `/resellers/${String(reseller.id)}`, { name: 'Sub Reseller Renamed' });
      expect(renamed.name).toBe('Sub Reseller Renamed');
      await expectError(await req('GET', '/resellers/1'), 404);
    });

    it('moves an order from submitted through processing to completed and creates the subscription', async () => {
      const customer = await send('POST', '/customers', { name: 'Order Co', address, contactPersons, language: 'en_US' });
      const cid = String(customer.id);
      const mpn = 'CFQ7TTC0LDPB:0001_P1Y_M';
      const estimate = await send('POST', '/orders/estimate', { customerId: cid, products: [{ mpn, quantity: 4 }] });
      expect(estimate.total).toEqual({ currency: 'AUD', amount: '77.52' });
      const order = await send('POST', '/orders', { customerId: cid, products: [{ mpn, quantity: 4 }] });
      expect(order).toMatchObject({ status: 'submitted', statusCode: 'OP', type: 'sales', customerId: cid, total: estimate.total });
      expect(String(order.orderNumber)).toMatch(/^SO\d{6}$/);
      const id = String(order.id);
      expect((await get<Page>(`/orders?limit=1`)).data[0]!.id).toBe(id);

      sim.control.advance(ORDER_SUBMITTED_MS);
      expect((await get(`/orders/${id}`)).status).toBe('processing');
      sim.control.advance(ORDER_COMPLETED_MS - ORDER_SUBMITTED_MS);
      const done = await get(`/orders/${id}`);
      expect(done).toMatchObject({ status: 'completed', statusCode: 'CP', provisioningDate: expect.any(String) });
      const subId = String(done.subscriptionId);
      const sub = await get(`/subscriptions/${subId}`);
      expect(sub).toMatchObject({ customerId: cid, status: 'active', renewalStatus: true, subscriptionPeriod: { type: 'year', duration: 1 } });
      expect(sub.products).toEqual([expect.objectContaining({ mpn, quantity: 4, unitPrice: { currency: 'AUD', amount: '19.38' } })]);
      expect(sub.totalSubscriptionPrice).toEqual({ currency: 'AUD', amount: '930.24' });
      const mine = await get<Page>(`/subscriptions?customerId=${cid}`);
      expect(mine.data.map((s) => s.id)).toEqual([subId]);

      // A change order sets the new quantity when it completes.
      const change = await send('POST', '/orders', { customerId: cid, type: 'change', subscriptionId: subId, products: [{ mpn, quantity: 9 }] });
      expect(change.total).toEqual({ currency: 'AUD', amount: '96.90' });
      sim.control.advance(ORDER_COMPLETED_MS);
      const changed = await get(`/subscriptions/${subId}`);
      expect((changed.products as Json[])[0]!.quantity).toBe(9);
      expect((await get<Page>(`/orders?subscriptionId=${subId}`)).pagination.total).toBe(2);

      // Cancellation terminates it.
      await send('POST', '/orders', { customerId: cid, type: 'cancellation', subscriptionId: subId });
      sim.control.advance(ORDER_COMPLETED_MS);
      expect(await get(`/subscriptions/${subId}`)).toMatchObject({ status: 'terminated', renewalStatus: false });
      await expectError(await req('POST', '/orders', { customerId: cid, type: 'change', subscriptionId: subId, products: [{ mpn, quantity: 2 }] }), 400);
    });

    it('validates orders and supports cancel and resubmit through PATCH', async () => {
      const customers = await get<Page>('/customers?limit=1');
      const cid = String(customers.data[0]!.id);
      const mpn = 'ACR-CPC-WKS-M';
      await expectError(await req('POST', '/orders', { customerId: cid, products: [] }), 400);
      await expectError(await req('POST', '/orders', { customerId: cid, products: [{ mpn: 'NOPE', quantity: 1 }] }), 400);
      await expectError(await req('POST', '/orders', { customerId: cid, products: [{ mpn, quantity: 0 }] }), 400);
      await expectError(await req('POST', '/orders', { customerId: 'nobody', products: [{ mpn, quantity: 1 }] }), 400);
      await expectError(await req('POST', '/orders', { customerId: cid, type: 'change', products: [{ mpn, quantity: 1 }] }), 400);
      await expectError(await req('POST', '/orders', { customerId: cid, type: 'bogus', products: [{ mpn, quantity: 1 }] }), 400);

      const order = await send('POST', '/orders', { customerId: cid, products: [{ mpn, quantity: 3 }] });
      const cancelled = await send('PATCH', `/orders/${String(order.id)}`, { statusCode: 'CL', creditCheck: false });
      expect(cancelled).toMatchObject({ status: 'cancelled', statusCode: 'CL', creditCheck: false });
      sim.control.advance(ORDER_COMPLETED_MS);
      expect((await get(`/orders/${String(order.id)}`)).status).toBe('cancelled');
      await expectError(await req('PATCH', `/orders/${String(order.id)}`, { statusCode: 'XX' }), 400);
      await expectError(await req('PATCH', `/orders/${String(order.id)}`, { creditCheck: 'yes' }), 400);
      await expectError(await req('PATCH', '/orders/1', { creditCheck: true }), 404);

      const failing = await send('POST', '/orders', { customerId: cid, poNumber: 'SIM-ERROR-1', products: [{ mpn, quantity: 1 }] });
      sim.control.advance(ORDER_COMPLETED_MS);
      expect(await get(`/orders/${String(failing.id)}`)).toMatchObject({ status: 'error', statusCode: 'PF' });
      const resubmitted = await send('PATCH', `/orders/${String(failing.id)}`, { statusCode: 'OP' });
      expect(resubmitted.status).toBe('submitted');
      const completed = (await get<Page>('/orders?status=completed&limit=1')).data[0]!;
      await expectError(await req('PATCH', `/orders/${String(completed.id)}`, { statusCode: 'CL' }), 400);
    });

    it('updates subscription renewal, attributes and pricing', async () => {
      const active = (await get<Page>('/subscriptions?status=active&limit=1')).data[0]!;
      const id = String(active.id);
      const before = await get(`/subscriptions/${id}`);
      const line = (before.products as Json[])[0]!;
      const currency = (line.unitPrice as { currency: string }).currency;
      const patched = await send('PATCH', `/subscriptions/${id}`, { renewalStatus: false, attributes: { note: 'x' } });
      expect(patched).toMatchObject({ renewalStatus: false, attributes: expect.objectContaining({ note: 'x' }) });
      const priced = await send('PATCH', `/subscriptions/${id}`, { products: [{ mpn: line.mpn, unitPrice: { currency, amount: '1.5' } }] });
      expect((priced.products as Json[])[0]!.unitPrice).toEqual({ currency, amount: '1.50' });
      const special = await send('POST', `/subscriptions/${id}/specialPricing`, { products: [{ id: line.id, unitCost: { currency, amount: '1.2345' } }] });
      expect((special.products as Json[])[0]!.unitCost).toEqual({ currency, amount: '1.2345' });
      await expectError(await req('PATCH', `/subscriptions/${id}`, { products: [{ mpn: line.mpn, quantity: 3 }] }), 400);
      await expectError(await req('PATCH', `/subscriptions/${id}`, { products: [{ mpn: line.mpn, unitPrice: { currency, amount: 1.5 } }] }), 400);
      await expectError(await req('PATCH', `/subscriptions/${id}`, { renewalStatus: 'no' }), 400);
      await expectError(await req('POST', `/subscriptions/${id}/specialPricing`, {}), 400);
      await expectError(await req('GET', '/subscriptions/1'), 404);
    });

    it('schedules a one-time report that completes with a download URL', async () => {
      const report = await send('POST', '/reports', { name: 'Usage export', startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-31T23:59:59Z', format: 'xlsx' });
      expect(String(report.id)).toMatch(/^[0-9a-f-]{36}$/);
      expect(report).toMatchObject({ status: 'submitted', type: 'onetime', format: 'xlsx' });
      expect(report.downloadUrl).toBeUndefined();
      expect((await get<Page>('/reports?limit=1')).data[0]!.id).toBe(report.id);
      sim.control.advance(REPORT_SUBMITTED_MS);
      expect((await get(`/reports/${String(report.id)}`)).status).toBe('processing');
      sim.control.advance(REPORT_COMPLETED_MS - REPORT_SUBMITTED_MS);
      const done = await get(`/reports/${String(report.id)}`);
      expect(done.status).toBe('completed');
      expect(String(done.downloadUrl)).toMatch(/^https:\/\/.+\.xlsx\?/);
      await expectError(await req('POST', '/reports', { name: 'No start' }), 400);
      await expectError(await req('POST', '/reports', { name: 'Bad', startDate: 'soon' }), 400);
      await expectError(await req('POST', '/reports', { name: 'Backwards', startDate: '2026-10-02T00:00:00Z', endDate: '2026-10-01T00:00:00Z' }), 400);
      await expectError(await req('GET', '/reports/not-a-uuid'), 400);
      await expectError(await req('GET', '/reports/00000000-0000-4000-8000-000000000000'), 404);
    });

    it('validates product activation parameters', async () => {
      const cid = String((await get<Page>('/customers?limit=1')).data[0]!.id);
      const result = await send<Page>('POST', '/validation/parameters', {
        customerId: cid,
        products: [{ mpn: 'CFQ7TTC0LH18:0001_P1Y_A', parameters: [{ name: 'domain', value: 'acme.onmicrosoft.com' }, { name: 'domain', value: 'nope' }, { name: 'adminEmail', value: '' }] }],
      });
      const params = result.data[0]!.parameters as Json[];
      expect(params.map((p) => p.result)).toEqual(['success', 'error', 'error']);
      expect(result.pagination.total).toBe(1);
      await expectError(await req('POST', '/validation/parameters', { customerId: cid, products: [{ mpn: 'NOPE', parameters: [] }] }), 400);
      await expectError(await req('POST', '/validation/parameters', { products: [] }), 400);
    });
  });

  describe('platform behaviour', () => {
    it('puts X-Correlation-ID on every response', async () => {
      const responses = [
        await api.tokenRequest(),
        await api.tokenRequest({ password: 'bad' }),
        await req('GET', '/customers'),
        await req('GET', '/customers/0'),
        await req('GET', '/no/such/route'),
        await req('GET', '/customers', undefined, {}),
        await req('POST', '/customers', '{oops'),
        await fetch(`${sim.origin}/totally/elsewhere`),
      ];
      const ids = responses.map((r) => r.headers.get('x-correlation-id'));
      for (const id of ids) expect(id).toMatch(/^a8n-[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('injects a 429 with Retry-After, then answers normally', async () => {
      sim.control.addFault({ status: 429, retryAfter: 1, times: 1 });
      const limited = await req('GET', '/customers');
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.headers.get('x-correlation-id')).toBeTruthy();
      await expectError(limited, 429);
      expect((await req('GET', '/customers')).status).toBe(200);
    });

    it('counts requests by route template', async () => {
      sim.control.resetStats();
      await req('GET', '/customers');
      await req('GET', '/customers?limit=2');
      await req('GET', `/orders/${String((await get<Page>('/orders?limit=1')).data[0]!.id)}`);
      const stats = sim.control.stats();
      expect(stats.byRoute['GET /marketplace/:region/customers']).toBe(2);
      expect(stats.byRoute['GET /marketplace/:region/orders/:id']).toBe(1);
      expect(stats.total).toBe(4);
    });
  });
});

describe('Ingram simulator seed', () => {
  it('is deterministic for a seed and size', async () => {
    const paths = ['/customers?limit=30', '/resellers', '/subscriptions?limit=30', '/orders?limit=30', '/reports', '/products?limit=100', '/plans/10003'];
    const snapshot = async () => {
      const sims = await startSimulators({ vendors: ['ingram'], seed: 99, size: 80 });
      try {
        const api = client(sims.ingram);
        const headers = { authorization: `Bearer ${await api.token()}`, 'x-subscription-key': api.c.subscriptionKey! };
        const out: unknown[] = [];
        for (const p of paths) out.push(await (await fetch(sims.ingram.baseUrl + p, { headers })).json());
        const sub = (out[2] as Page).data[0]!;
        out.push(await (await fetch(`${sims.ingram.baseUrl}/subscriptions/${String(sub.id)}`, { headers })).json());
        return out;
      } finally {
        await sims.close();
      }
    };
    const a = await snapshot();
    const b = await snapshot();
    expect(a).toEqual(b);
  });

  // How fast a world seeds is the bench's (`npm run bench`: simulator start-up against its 1 s budget), not a timed test's.
  it('scales with the size option and seeds 2000 companies', () => {
    const small = seedStore(createWorld({ seed: 3, size: 40 }));
    const world = createWorld({ seed: 3, size: 2000 });
    const large = seedStore(world);
    expect(small.customers.size).toBe(createWorld({ seed: 3, size: 40 }).customersOf('ingram').length);
    expect(large.customers.size).toBe(world.customersOf('ingram').length);
    expect(large.customers.size).toBeGreaterThan(small.customers.size * 20);
    expect(large.subscriptions.size).toBeGreaterThan(large.customers.size);
    expect(large.resellers.size).toBeGreaterThan(small.resellers.size);
    const statuses = new Set([...large.orders.values()].map((o) => o.status));
    expect([...statuses].sort()).toEqual(['cancelled', 'completed', 'error', 'processing', 'submitted']);
  });
});
