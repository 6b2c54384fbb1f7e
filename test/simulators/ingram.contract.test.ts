/**
 * The Ingram simulator against the published SimpleAPI 1.15 spec, in both simulator
 * profiles: every served route is in the spec and every spec operation is served, and a
 * broad sample of real responses validates against the spec's schemas. The 1.15 spec
 * documents only `default` (success) responses, so error bodies are checked against the
 * v1.1 spec's `errorMessage` instead.
 *
 * One deliberate allowance, forced by the vendor's own documents: under `documented`,
 * customer and reseller list rows carry only `id, externalId, name, status`, as the docs'
 * one list example does (1.5 customers how-to) and as the list operations' "basic details"
 * say, although the spec reuses the full `Customer`/`Reseller` schema (which requires
 * address, contactPersons, language and, for resellers, currency) for list items. Those
 * list responses must validate except for exactly those missing required properties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_PROFILES, startSimulators } from '../../src/simulators/index.js';
import type { RunningSimulator } from '../../src/simulators/index.js';
import { SpecValidator, missingSpecMessage, specAvailable } from '../helpers/openapi.js';

const SPEC = 'ingram-cloud-marketplace-1.15.yaml';
const LEGACY = 'ingram-marketplace-1.1.yaml';
const PREFIX = '/marketplace/{region}';

type Json = Record<string, unknown>;
interface Page {
  data: Json[];
  pagination: { offset: number; limit: number; total: number };
}

/** Required properties of full accounts that documented list rows leave out (see the header). */
const THIN_ROW_OMITS: Record<string, readonly string[]> = {
  '/customers': ['address', 'contactPersons', 'language'],
  '/resellers/{}/customers': ['address', 'contactPersons', 'language'],
  '/resellers': ['address', 'contactPersons', 'language', 'currency'],
};
const thinListOf = (path: string) => THIN_ROW_OMITS[(path.split('?')[0] as string).replace(/^\/resellers\/[^/]+\/customers$/, '/resellers/{}/customers')];

describe.skipIf(!specAvailable(SPEC) || !specAvailable(LEGACY)).each(SIM_PROFILES)('Ingram simulator contract (SimpleAPI 1.15), %s profile', (profile) => {
  if (!specAvailable(SPEC)) console.warn(missingSpecMessage(SPEC));
  if (!specAvailable(LEGACY)) console.warn(missingSpecMessage(LEGACY));

  let sims: Awaited<ReturnType<typeof startSimulators>>;
  let ingram: RunningSimulator;
  let spec: SpecValidator;
  let legacy: SpecValidator;
  let headers: Record<string, string>;
  let checked = 0;
  /** Thin (documented) list responses checked with the allowance above. */
  let thin = 0;

  beforeAll(async () => {
    spec = new SpecValidator(SPEC);
    legacy = new SpecValidator(LEGACY);
    sims = await startSimulators({ vendors: ['ingram'], seed: 11, size: 150, profile });
    ingram = sims.ingram;
    const c = ingram.credentials;
    const response = await fetch(`${ingram.baseUrl}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
        'x-subscription-key': c.subscriptionKey as string,
      },
      body: JSON.stringify({ marketplace: c.marketplace }),
    });
    const body = (await response.json()) as Json;
    expectValid('POST', '/token', response.status, body);
    headers = { authorization: `Bearer ${String(body.token)}`, 'x-subscription-key': c.subscriptionKey as string };
  });
  afterAll(() => sims?.close());

  function expectValid(method: string, path: string, status: number, body: unknown, validator = spec): void {
    const result = validator.validate(method, path.split('?')[0] as string, status, body);
    const omits = validator === spec && method === 'GET' && profile === 'documented' ? thinListOf(path) : undefined;
    if (omits && !result.ok) {
      // Every error must be a documented list row's missing required property, nothing else.
      const lines = result.errors.split('\n').filter(Boolean);
      const allowed = new RegExp(`^data/data/\\d+ must have required property '(${omits.join('|')})'$`);
      const other = lines.filter((l) => !allowed.test(l));
      expect(other, `${method} ${path}: ${other.join('; ')}`).toEqual([]);
      const rows = (body as Page).data;
      for (const row of rows) expect(Object.keys(row).sort(), `${method} ${path} row keys`).toEqual(expect.arrayContaining(['id', 'name', 'status']));
      for (const row of rows) for (const key of Object.keys(row)) expect(['id', 'externalId', 'name', 'status']).toContain(key);
      checked++;
      thin++;
      return;
    }
    if (!result.ok) console.error(`${method} ${path} (${status}) does not match the spec:\n${result.errors}`);
    expect(result.ok, `${method} ${path}: ${result.errors}`).toBe(true);
    if (result.checked) checked++;
  }

  /** Every row of a list, page by page (each page validated), advancing by the rows received. */
  async function callAll(path: string): Promise<Json[]> {
    const rows: Json[] = [];
    for (;;) {
      const page = await call<Page>('GET', `${path}${path.includes('?') ? '&' : '?'}offset=${rows.length}&limit=1000`);
      rows.push(...page.data);
      if (page.data.length === 0 || rows.length >= page.pagination.total) return rows;
    }
  }

  /** Calls the simulator and validates a success body against the 1.15 spec. */
  async function call<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(ingram.baseUrl + path, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (response.status !== 200) console.error(method, path, response.status, json);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBeTruthy();
    expectValid(method, path, response.status, json);
    return json;
  }

  /** Calls the simulator expecting an error and validates it against v1.1's errorMessage. */
  async function callError(method: string, legacyTemplate: string, path: string, status: number, body?: unknown, extraHeaders = headers) {
    const response = await fetch(ingram.baseUrl + path, {
      method,
      headers: body === undefined ? extraHeaders : { ...extraHeaders, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(response.status).toBe(status);
    const json = (await response.json()) as Json;
    expect(json.correlationId).toBe(response.headers.get('x-correlation-id'));
    expectValid(method, legacyTemplate, status, json, legacy);
  }

  it('serves exactly the operations of the spec', () => {
    const served = ingram.control.routes.map((r) => ({ method: r.method, url: r.url }));
    expect(served.length).toBeGreaterThan(0);
    for (const route of served) {
      expect(route.url.startsWith(PREFIX), `${route.method} ${route.url} is outside ${PREFIX}`).toBe(true);
      const template = route.url.slice(PREFIX.length);
      expect(spec.hasTemplate(route.method, template), `${route.method} ${template} is not in the spec`).toBe(true);
    }
    const shape = (t: string) => t.replace(/\{[^}]+\}/g, '{}');
    for (const op of spec.operations()) {
      const found = served.some((r) => r.method === op.method && shape(r.url.slice(PREFIX.length)) === shape(op.path));
      expect(found, `${op.method} ${op.path} is not served`).toBe(true);
    }
    expect(spec.operations().length).toBe(28);
  });

  it('lists and details validate', async () => {
    const customers = await call<Page>('GET', '/customers?limit=100');
    expect(customers.data.length).toBe(Math.min(100, customers.pagination.total));
    expect((await callAll('/customers')).length).toBe(customers.pagination.total);
    for (const c of customers.data.slice(0, 20)) await call('GET', `/customers/${String(c.id)}`);
    await call('GET', `/customers?externalId=${String(customers.data[0]?.externalId)}`);

    const resellers = await call<Page>('GET', '/resellers?limit=100');
    for (const r of resellers.data) {
      await call('GET', `/resellers/${String(r.id)}`);
      await call('GET', `/resellers/${String(r.id)}/customers?limit=50`);
      await call('GET', `/resellers/${String(r.id)}/orders?limit=50`);
    }

    const orders = { data: await callAll('/orders') };
    const byStatus = new Map<string, Json>();
    for (const o of orders.data) if (!byStatus.has(String(o.status))) byStatus.set(String(o.status), o);
    for (const status of ['completed', 'submitted', 'processing', 'error', 'cancelled']) {
      expect(byStatus.has(status), `a seeded order in status ${status}`).toBe(true);
      await call('GET', `/orders?status=${status}&limit=5`);
    }
    const byType = new Map<string, Json>();
    for (const o of orders.data) if (!byType.has(String(o.type))) byType.set(String(o.type), o);
    for (const o of [...byStatus.values(), ...byType.values(), ...orders.data.slice(0, 10)]) await call('GET', `/orders/${String(o.id)}`);

    const subscriptions = { data: await callAll('/subscriptions') };
    const subStatus = new Map<string, Json>();
    for (const s of subscriptions.data) if (!subStatus.has(String(s.status))) subStatus.set(String(s.status), s);
    for (const s of [...subStatus.values(), ...subscriptions.data.slice(0, 15)]) await call('GET', `/subscriptions/${String(s.id)}`);

    const products = await call<Page>('GET', '/products?limit=1000');
    expect(products.data.length).toBe(products.pagination.total);
    await call('GET', '/products?vendor=Microsoft');

    const plans = { data: await callAll('/plans') };
    for (const p of plans.data) await call('GET', `/plans/${String(p.id)}`);

    const reports = await call<Page>('GET', '/reports?limit=100');
    for (const r of reports.data) await call('GET', `/reports/${String(r.id)}`);
  });

  it('writes validate, including the async results', async () => {
    const address = { streetAddress: '555 Main Street', postalCode: '92612', city: 'Irvine', state: 'CA', countryCode: 'US' };
    const contactPersons = [
      { type: 'admin', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', phoneNumber: '+1 949 555 0100', login: 'janedoe', password: 'Ecx$cvdazv1' },
    ];
    const customer = await call('POST', '/customers', { name: 'Contract Co', externalId: 'EXT-C1', address, contactPersons, language: 'en_US', taxRegId: '00-0000000' });
    await call('PATCH', `/customers/${String(customer.id)}`, { name: 'Contract Co Renamed', status: 'creditHold' });
    await call('PATCH', `/customers/${String(customer.id)}`, { status: 'active' });

    const reseller = await call('POST', '/resellers', { name: 'Contract Reseller', address, contactPersons, language: 'en_US', currency: 'USD' });
    await call('PATCH', `/resellers/${String(reseller.id)}`, { taxRegId: '11-1111111' });
    await call('POST', `/resellers/${String(reseller.id)}/customers`, { name: 'Reseller Co', address, contactPersons, language: 'en_US' });

    const products = await call<Page>('GET', '/products?mpn=CFQ7TTC0LDPB:0001_P1Y_M');
    const mpn = String(products.data[0]?.mpn);
    const order = { customerId: String(customer.id), type: 'sales', poNumber: 'PO-1', products: [{ mpn, quantity: 5, parameters: [{ name: 'domain', value: 'contract.onmicrosoft.com' }] }] };
    await call('POST', '/orders/estimate', order);
    const created = await call('POST', '/orders', order);
    await call('PATCH', `/orders/${String(created.id)}`, { creditCheck: false });
    ingram.control.advance(120_000);
    const done = await call('GET', `/orders/${String(created.id)}`);
    expect(done.status).toBe('completed');
    const subId = String(done.subscriptionId);
    await call('GET', `/subscriptions/${subId}`);
    await call('PATCH', `/subscriptions/${subId}`, { renewalStatus: false, attributes: { costCenter: 'CC-1' } });
    await call('PATCH', `/subscriptions/${subId}`, { products: [{ mpn, unitPrice: { currency: 'USD', amount: '11.25' } }] });
    await call('POST', `/subscriptions/${subId}/specialPricing`, { products: [{ mpn, unitCost: { currency: 'USD', amount: '9.5' } }] });
    const change = await call('POST', '/orders', { customerId: String(customer.id), type: 'change', subscriptionId: subId, products: [{ mpn, quantity: 8 }] });
    const cancelled = await call('PATCH', `/orders/${String(change.id)}`, { statusCode: 'CL' });
    expect(cancelled.status).toBe('cancelled');

    const report = await call('POST', '/reports', { name: 'Contract report', startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-31T23:59:59Z', format: 'json' });
    ingram.control.advance(60_000);
    const completed = await call('GET', `/reports/${String(report.id)}`);
    expect(completed.downloadUrl).toBeTruthy();

    await call('POST', '/validation/parameters', {
      customerId: String(customer.id),
      products: [{ mpn, quantity: 1, parameters: [{ name: 'domain', value: 'ok.example.com' }, { name: 'domain', value: 'not a domain' }] }],
    });
  });

  it('error bodies match errorMessage (v1.1)', async () => {
    await callError('GET', '/customers/{id}', '/customers/999999999', 404);
    await callError('GET', '/reports/{id}', '/reports/not-a-uuid', 400);
    await callError('GET', '/reports/{id}', '/reports/00000000-0000-4000-8000-000000000000', 404);
    await callError('POST', '/customers', '/customers', 400, '{"name": ');
    await callError('POST', '/customers', '/customers', 400, { name: 'Missing everything' });
    await callError('POST', '/token', '/token', 401, { marketplace: 'us' }, { 'x-subscription-key': String(ingram.credentials.subscriptionKey), authorization: 'Basic Zm9vOmJhcg==' });
    expect(checked).toBeGreaterThan(100);
    // Customer, reseller and reseller-customer lists were thin under `documented`, full under `extended`.
    if (profile === 'documented') expect(thin).toBeGreaterThan(5);
    else expect(thin).toBe(0);
  });
});
