/**
 * Behaviour of the Cloudmore simulator over real HTTP: password-grant tokens, bearer and
 * reseller checks, case-insensitive routing, organizations CRUD, organization services and
 * Estore, price lists, subscriptions of every kind of service on their own endpoints and
 * what the `documented` and `extended` profiles serve of them, the async monthly billing
 * report, both 400 shapes, faults, counting, determinism and size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, createWorld } from '../../src/simulators/index.js';
import { seedStore } from '../../src/simulators/cloudmore/data.js';
import { REPORT_PENDING_MS, REPORT_READY_MS } from '../../src/simulators/cloudmore/billing.js';

type Json = Record<string, unknown>;
type Sims = Awaited<ReturnType<typeof startSimulators>>;

const SEED = 20261101;
const SIZE = 80;

interface Org {
  id: string;
  name: string;
  isActive: boolean;
  [k: string]: unknown;
}
interface Sub {
  id: string;
  productId: string;
  serviceId: string;
  quantity: number;
  status: string;
  unitPrice: number;
  currencyCode: string;
  startDate: string;
  cancelledDate: string | null;
  itemCode: string;
}
interface PriceItem {
  productId: string;
  itemCode: string;
  usageBased: boolean;
  prices: Array<{ currencyCode: string; price: number; cost: number }>;
}
interface ApiErrorBody {
  errorCode: number;
  errorName: string;
  errorMessage: string;
}

describe('Cloudmore simulator', () => {
  let sims: Sims;
  let base = '';
  let R = '';
  let creds: Record<string, string>;
  let token = '';

  const tokenForm = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ grant_type: 'password', username: creds.username!, password: creds.password!, scope: 'api', ...extra });

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  async function newToken(): Promise<string> {
    const res = await fetch(`${base}/connect/token`, {
      method: 'POST',
      headers: { authorization: basic(creds.clientId!, creds.clientSecret!) },
      body: tokenForm(),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  const api = (path: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...init.headers };
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const url = path.startsWith('http') ? path : path.startsWith('/api/') ? base + path : R + path;
    return fetch(url, { method: init.method ?? 'GET', headers, body });
  };
  const json = async <T = Json>(res: Response) => (await res.json()) as T;

  beforeAll(async () => {
    sims = await startSimulators({ vendors: ['cloudmore'], seed: SEED, size: SIZE });
    base = sims.cloudmore.baseUrl;
    creds = sims.cloudmore.credentials;
    R = `${base}/api/resellers/${creds.resellerId}`;
    token = await newToken();
  });
  afterAll(() => sims.close());

  // ---- tokens --------------------------------------------------------------------------
  describe('POST /connect/token', () => {
    it('issues a JWT-shaped bearer token with client credentials in HTTP Basic', async () => {
      const res = await fetch(`${base}/connect/token`, {
        method: 'POST',
        headers: { authorization: basic(creds.clientId!, creds.clientSecret!) },
        body: tokenForm(),
      });
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toMatchObject({ expires_in: 86400, token_type: 'Bearer', scope: 'api' });
      expect(String(body.access_token).split('.')).toHaveLength(3);
      expect(creds.clientId).toBe('ro.customer.client');
    });

    it('accepts client_id/client_secret as form fields', async () => {
      const res = await fetch(`${base}/connect/token`, {
        method: 'POST',
        body: tokenForm({ client_id: creds.clientId!, client_secret: creds.clientSecret! }),
      });
      expect(res.status).toBe(200);
      const { access_token } = await json<{ access_token: string }>(res);
      expect((await fetch(`${R}/services`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
    });

    it('grants the api scope when no scope is asked for, and rejects unknown scopes', async () => {
      const form = tokenForm({ client_id: creds.clientId!, client_secret: creds.clientSecret! });
      form.delete('scope');
      const ok = await fetch(`${base}/connect/token`, { method: 'POST', body: form });
      expect(ok.status).toBe(200);
      expect((await json(ok)).scope).toBe('api');
      const bad = await fetch(`${base}/connect/token`, {
        method: 'POST',
        body: tokenForm({ client_id: creds.clientId!, client_secret: creds.clientSecret!, scope: 'admin' }),
      });
      expect(bad.status).toBe(400);
      expect(await json(bad)).toEqual({ error: 'invalid_scope' });
    });

    it('answers invalid_client for a wrong client_id or secret, or none at all', async () => {
      const attempts: Array<Record<string, string>> = [
        { authorization: basic('someone.else', creds.clientSecret!) },
        { authorization: basic(creds.clientId!, 'wrong-secret') },
        {},
      ];
      for (const headers of attempts) {
        const res = await fetch(`${base}/connect/token`, { method: 'POST', headers, body: tokenForm() });
        expect(res.status).toBe(400);
        expect(await json(res)).toEqual({ error: 'invalid_client' });
      }
      const form = await fetch(`${base}/connect/token`, {
        method: 'POST',
        body: tokenForm({ client_id: 'my.client', client_secret: creds.clientSecret! }),
      });
      expect(await json(form)).toEqual({ error: 'invalid_client' });
    });

    it('answers invalid_grant for a wrong password or user', async () => {
      const attempts: Array<Record<string, string>> = [{ password: 'nope' }, { username: 'nobody@example.com' }];
      for (const extra of attempts) {
        const res = await fetch(`${base}/connect/token`, {
          method: 'POST',
          headers: { authorization: basic(creds.clientId!, creds.clientSecret!) },
          body: tokenForm(extra),
        });
        expect(res.status).toBe(400);
        const body = await json(res);
        expect(body.error).toBe('invalid_grant');
        expect(typeof body.error_description).toBe('string');
      }
    });

    it('answers unsupported_grant_type and invalid_request', async () => {
      const grant = await fetch(`${base}/connect/token`, {
        method: 'POST',
        headers: { authorization: basic(creds.clientId!, creds.clientSecret!) },
        body: tokenForm({ grant_type: 'client_credentials' }),
      });
      expect(grant.status).toBe(400);
      expect(await json(grant)).toEqual({ error: 'unsupported_grant_type' });
      const asJson = await fetch(`${base}/connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(creds.clientId!, creds.clientSecret!) },
        body: JSON.stringify({ grant_type: 'password' }),
      });
      expect(asJson.status).toBe(400);
      expect((await json(asJson)).error).toBe('invalid_request');
    });
  });

  // ---- auth on API routes ------------------------------------------------------------
  describe('bearer and reseller checks', () => {
    it('serves the healthcheck without a token', async () => {
      const res = await fetch(`${base}/api/healthcheck`);
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ status: 'Healthy' });
    });

    it('answers 401 without a token or with an unknown one, in the ApiError shape', async () => {
      const none = await fetch(`${R}/organizations`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await json<ApiErrorBody[]>(none);
      expect(body[0]).toMatchObject({ errorName: 'Unauthorized' });
      expect(typeof body[0]?.errorCode).toBe('number');
      const forged = await fetch(`${R}/organizations`, { headers: { authorization: 'Bearer a.b.c' } });
      expect(forged.status).toBe(401);
    });

    it('answers 401 before looking at a malformed body', async () => {
      const res = await fetch(`${R}/organizations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
      expect(res.status).toBe(401);
    });

    it('answers 403 for another reseller id (malformed ones too)', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-guid']) {
        const res = await api(`/api/resellers/${id}/organizations`);
        expect(res.status).toBe(403);
        expect((await json<ApiErrorBody[]>(res))[0]?.errorName).toBe('Forbidden');
      }
      // The reseller id matches case-insensitively, like any GUID.
      expect((await api(`/api/resellers/${creds.resellerId!.toUpperCase()}/organizations`)).status).toBe(200);
    });

    it('matches paths case-insensitively', async () => {
      const lower = await json<Org[]>(await api('/organizations'));
      const upper = await json<Org[]>(await api('/Organizations'));
      const shout = await json<Org[]>(await api(`${base}/API/RESELLERS/${creds.resellerId}/ORGANIZATIONS`));
      expect(upper).toEqual(lower);
      expect(shout).toEqual(lower);
      const org = lower[0]!;
      expect((await api(`/organizations/${org.id}/estore`)).status).toBe(200);
      expect((await api(`/Organizations/${org.id}/Services`)).status).toBe(200);
    });

    it('answers 404 in the ApiError shape for unknown routes and ids', async () => {
      const route = await api('/nothing-here');
      expect(route.status).toBe(404);
      expect((await json<ApiErrorBody[]>(route))[0]?.errorName).toBe('NotFound');
      expect((await api('/organizations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await api('/organizations/garbage')).status).toBe(404);
      expect((await api('/services/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
  });

  // ---- organizations -----------------------------------------------------------------
  describe('organizations', () => {
    it('lists the world customers at Cloudmore as a bare array, with GUID ids', async () => {
      const res = await api('/organizations');
      expect(res.status).toBe(200);
      const orgs = await json<Org[]>(res);
      expect(Array.isArray(orgs)).toBe(true);
      const expected = sims.world.customersOf('cloudmore');
      expect(orgs.length).toBe(expected.length);
      expect(orgs.map((o) => o.name)).toEqual(expected.map((c) => c.name));
      for (const o of orgs) expect(o.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('filters with showActive and rejects a bad value with the ApiError array', async () => {
      const all = await json<Org[]>(await api('/organizations'));
      const active = await json<Org[]>(await api('/organizations?showActive=true'));
      expect(active.length).toBe(all.filter((o) => o.isActive).length);
      expect(active.every((o) => o.isActive)).toBe(true);
      expect(active.length).toBeLessThan(all.length);
      expect((await json<Org[]>(await api('/organizations?showActive=false'))).length).toBe(all.length);
      const bad = await api('/organizations?showActive=maybe');
      expect(bad.status).toBe(400);
      expect(await json(bad)).toEqual([{ errorCode: 5, errorName: 'InvalidValue', errorMessage: expect.any(String) }]);
    });

    it('creates, reads, updates and deletes an organization', async () => {
      const create = await api('/Organizations', {
        method: 'POST',
        body: {
          name: 'Test Widgets Pty Ltd',
          registrationNumber: '12 345 678 901',
          vat: 'AU12345678901',
          customerNumber: 'CUST-1',
          notificationEmail: 'billing@widgets.example',
          currencyCode: 'AUD',
          contact: { name: 'Wendy Widget', email: 'wendy@widgets.example', phonePrefix: '+61', phone: '2 9999 0000' },
          address: { address: '1 George St', postalCode: '2000', city: 'Sydney', countryCode: 'au' },
        },
      });
      expect(create.status).toBe(201);
      const created = await json<Org>(create);
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(create.headers.get('location')).toMatch(new RegExp(`/Organizations/${created.id}$`));
      expect(created).toMatchObject({ name: 'Test Widgets Pty Ltd', isActive: true, currencyCode: 'AUD', countryCode: 'AU' });

      const read = await json<Org>(await api(`/organizations/${created.id}`));
      expect(read).toEqual(created);
      expect((await json<Org[]>(await api('/organizations'))).some((o) => o.id === created.id)).toBe(true);

      const update = await api(`/Organizations/${created.id}`, { method: 'PUT', body: { name: 'Test Widgets Renamed', isActive: false } });
      expect(update.status).toBe(200);
      const updated = await json<Org>(update);
      expect(updated).toMatchObject({ id: created.id, name: 'Test Widgets Renamed', isActive: false, vat: 'AU12345678901' });
      expect((await json<Org>(await api(`/organizations/${created.id}`))).name).toBe('Test Widgets Renamed');
      expect((await json<Org[]>(await api('/organizations?showActive=true'))).some((o) => o.id === created.id)).toBe(false);

      const del = await api(`/organizations/${created.id}`, { method: 'DELETE' });
      expect(del.status).toBe(204);
      expect((await api(`/organizations/${created.id}`)).status).toBe(404);
      expect((await api(`/organizations/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    });

    it('answers model-state dictionaries for invalid create/update bodies', async () => {
      const missing = await api('/organizations', { method: 'POST', body: { vat: 'X' } });
      expect(missing.status).toBe(400);
      expect(await json(missing)).toEqual({ Name: ['The Name field is required.'] });

      const several = await api('/organizations', {
        method: 'POST',
        body: { name: 'x'.repeat(101), notificationEmail: 'not-an-email', contact: { name: 'A' } },
      });
      const state = await json<Record<string, string[]>>(several);
      expect(Object.keys(state).sort()).toEqual(['Contact.Email', 'Name', 'NotificationEmail']);
      for (const messages of Object.values(state)) expect(messages.every((m) => typeof m === 'string')).toBe(true);

      const org = (await json<Org[]>(await api('/organizations')))[0]!;
      const put = await api(`/organizations/${org.id}`, { method: 'PUT', body: { name: '' } });
      expect(put.status).toBe(400);
      expect(await json(put)).toEqual({ Name: ['The Name field is required.'] });
    });

    it('answers 400 for malformed JSON, empty and non-object bodies, and 415 for other media types', async () => {
      const malformed = await api('/organizations', { method: 'POST', raw: '{"name": ' });
      expect(malformed.status).toBe(400);
      expect(await json(malformed)).toEqual({ '': ['The request body is not valid JSON.'] });
      const array = await api('/organizations', { method: 'POST', body: [1, 2] });
      expect(array.status).toBe(400);
      const empty = await api('/organizations', { method: 'POST' });
      expect(empty.status).toBe(400);
      expect(await json(empty)).toEqual({ '': ['A non-empty request body is required.'] });
      const form = await api('/organizations', {
        method: 'POST',
        raw: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      expect((await json<ApiErrorBody[]>(form))[0]?.errorName).toBe('UnsupportedMediaType');
    });
  });

  // ---- services, Estore, price lists, subscriptions ----------------------------------
  describe('services and subscriptions', () => {
    it('lists reseller services grouped by family, each with products', async () => {
      const services = await json<Array<{ id: string; name: string; vendorName: string }>>(await api('/services'));
      const names = services.map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(['Microsoft 365 (CSP)', 'Microsoft Azure', 'Acronis Cyber Protect', 'Dropbox Business']));
      const m365 = services.find((s) => s.name === 'Microsoft 365 (CSP)')!;
      const detail = await json<{ products: Array<{ itemCode: string }> }>(await api(`/services/${m365.id}`));
      expect(detail.products.map((p) => p.itemCode)).toContain('CFQ7TTC0LH18:0001');
      const prices = await json<PriceItem[]>(await api(`/services/${m365.id}/pricelist`));
      expect(prices.length).toBe(detail.products.length);
      // The Azure service also lists the legacy CSP Azure offer beside Azure plan.
      const azure = services.find((s) => s.name === 'Microsoft Azure')!;
      const azurePrices = await json<PriceItem[]>(await api(`/services/${azure.id}/pricelist`));
      expect(azurePrices.map((p) => p.itemCode)).toEqual(['DZH318Z0BPS6:0001', 'MS-AZR-0145P']);
      expect(azurePrices.every((p) => p.usageBased)).toBe(true);
    });

    it('gives each organization the services and subscriptions of its holdings', async () => {
      const company = sims.world.customersOf('cloudmore')[0]!;
      const holdings = sims.world.holdings(company, 'cloudmore');
      const org = (await json<Org[]>(await api('/organizations')))[0]!;
      expect(org.name).toBe(company.name);
      const services = await json<Array<{ id: string; name: string }>>(await api(`/organizations/${org.id}/services`));
      const custom = (await json<Array<{ id: string; type: string }>>(await api('/services'))).filter((s) => s.type === 'Custom').map((s) => s.id);
      const itemCodes: string[] = [];
      for (const path of ['csp/nce/subscriptions', 'csp/subscriptions', 'azure/subscriptions', 'azureplan/subscriptions']) {
        for (const sub of await json<Sub[]>(await api(`/organizations/${org.id}/services/${path}`))) itemCodes.push(sub.itemCode);
      }
      for (const s of services.filter((x) => custom.includes(x.id))) {
        for (const sub of await json<Sub[]>(await api(`/organizations/${org.id}/services/${s.id}/subscriptions`))) itemCodes.push(sub.itemCode);
      }
      // One subscription per holding, each on the endpoints of its kind (a legacy Azure one is for MS-AZR-0145P).
      expect(itemCodes.length).toBe(holdings.length);
      const azureHolding = (code: string) => (code === 'MS-AZR-0145P' ? 'DZH318Z0BPS6:0001' : code);
      expect(itemCodes.map(azureHolding).sort()).toEqual(holdings.map((h) => h.product.sku).sort());
    });

    it('offers in the Estore only services the organization does not have; adds and removes one', async () => {
      const org = (await json<Org[]>(await api('/organizations')))[1]!;
      const have = await json<Array<{ id: string }>>(await api(`/organizations/${org.id}/services`));
      const estore = await json<Array<{ id: string; name: string }>>(await api(`/organizations/${org.id}/Estore`));
      const all = await json<Array<{ id: string }>>(await api('/services'));
      expect(have.length + estore.length).toBe(all.length);
      expect(estore.some((e) => have.some((h) => h.id === e.id))).toBe(false);

      const pick = estore[0]!;
      const detail = await api(`/organizations/${org.id}/Estore/${pick.id}`);
      expect(detail.status).toBe(200);
      expect((await json<{ products: unknown[] }>(detail)).products.length).toBeGreaterThan(0);
      if (have[0]) expect((await api(`/organizations/${org.id}/Estore/${have[0].id}`)).status).toBe(404);

      const add = await api(`/organizations/${org.id}/services`, { method: 'POST', body: { serviceId: pick.id } });
      expect(add.status).toBe(201);
      expect(await json(add)).toMatchObject({ id: pick.id, name: pick.name, organizationId: org.id });
      expect((await json<Array<{ id: string }>>(await api(`/organizations/${org.id}/services`))).some((s) => s.id === pick.id)).toBe(true);
      expect((await json<Array<{ id: string }>>(await api(`/organizations/${org.id}/Estore`))).some((s) => s.id === pick.id)).toBe(false);
      const again = await api(`/organizations/${org.id}/services`, { method: 'POST', body: { serviceId: pick.id } });
      expect(again.status).toBe(400);
      expect((await json<ApiErrorBody[]>(again))[0]?.errorName).toBe('ServiceAlreadyAdded');

      const del = await api(`/organizations/${org.id}/services/${pick.id}`, { method: 'DELETE' });
      expect(del.status).toBe(204);
      expect((await api(`/organizations/${org.id}/services/${pick.id}`)).status).toBe(404);
      expect((await json<Array<{ id: string }>>(await api(`/organizations/${org.id}/Estore`))).some((s) => s.id === pick.id)).toBe(true);
    });

    it('validates the add-service body in both 400 shapes', async () => {
      const org = (await json<Org[]>(await api('/organizations')))[1]!;
      const missing = await api(`/organizations/${org.id}/services`, { method: 'POST', body: {} });
      expect(await json(missing)).toEqual({ ServiceId: ['The ServiceId field is required.'] });
      const unknown = await api(`/organizations/${org.id}/services`, {
        method: 'POST',
        body: { serviceId: '00000000-0000-4000-8000-000000000000' },
      });
      expect(unknown.status).toBe(400);
      expect((await json<ApiErrorBody[]>(unknown))[0]).toMatchObject({ errorCode: 5, errorName: 'InvalidValue' });
    });

    it('creates, updates and cancels a subscription from the price list; cancelled stays listed', async () => {
      const org = (await json<Org[]>(await api('/organizations')))[2]!;
      const detail = await json<Org & { currencyCode: string }>(await api(`/organizations/${org.id}`));
      const dropbox = (await json<Array<{ id: string; name: string }>>(await api('/services'))).find((s) => s.name === 'Dropbox Business')!;
      const owned = await json<Array<{ id: string }>>(await api(`/organizations/${org.id}/services`));
      if (!owned.some((s) => s.id === dropbox.id)) {
        expect((await api(`/organizations/${org.id}/services`, { method: 'POST', body: { serviceId: dropbox.id } })).status).toBe(201);
      }
      const S = `/organizations/${org.id}/services/${dropbox.id}`;
      const prices = await json<PriceItem[]>(await api(`${S}/pricelist`));
      expect(prices.map((p) => p.itemCode)).toEqual(['DBX-BUS-STD-A', 'DBX-BUS-ADV-A']);
      expect(prices[0]!.prices[0]!.currencyCode).toBe(detail.currencyCode);
      expect(prices[0]!.prices.map((p) => p.currencyCode).sort()).toEqual(['AUD', 'EUR', 'USD']);
      expect(typeof prices[0]!.prices[0]!.price).toBe('number');
      const before = (await json<Sub[]>(await api(`${S}/subscriptions`))).length;

      const create = await api(`${S}/subscriptions`, { method: 'POST', body: { productId: prices[1]!.productId, quantity: 7 } });
      expect(create.status).toBe(201);
      const sub = await json<Sub>(create);
      expect(sub).toMatchObject({ productId: prices[1]!.productId, quantity: 7, status: 'Active', itemCode: 'DBX-BUS-ADV-A' });
      expect(sub.unitPrice).toBe(prices[1]!.prices[0]!.price);
      expect(create.headers.get('location')).toMatch(new RegExp(`/subscriptions/${sub.id}$`));
      expect(await json(await api(`${S}/subscriptions/${sub.id}`))).toEqual(sub);

      const put = await api(`${S}/subscriptions/${sub.id}`, { method: 'PUT', body: { quantity: 12 } });
      expect(put.status).toBe(200);
      expect((await json<Sub>(put)).quantity).toBe(12);
      expect((await json<Sub>(await api(`${S}/subscriptions/${sub.id}`))).quantity).toBe(12);

      // A service with open subscriptions cannot be removed.
      const remove = await api(S, { method: 'DELETE' });
      expect(remove.status).toBe(400);
      expect((await json<ApiErrorBody[]>(remove))[0]?.errorName).toBe('ServiceHasActiveSubscriptions');

      const cancel = await api(`${S}/subscriptions/${sub.id}`, { method: 'DELETE' });
      expect(cancel.status).toBe(204);
      const list = await json<Sub[]>(await api(`${S}/subscriptions`));
      expect(list.length).toBe(before + 1);
      const cancelled = list.find((s) => s.id === sub.id)!;
      expect(cancelled.status).toBe('Cancelled');
      expect(cancelled.cancelledDate).not.toBeNull();
      expect((await api(`${S}/subscriptions/${sub.id}`, { method: 'DELETE' })).status).toBe(204);
      const late = await api(`${S}/subscriptions/${sub.id}`, { method: 'PUT', body: { quantity: 3 } });
      expect(late.status).toBe(400);
      expect((await json<ApiErrorBody[]>(late))[0]?.errorName).toBe('SubscriptionCancelled');
    });

    it('validates subscription bodies in both 400 shapes and answers 404 for unknown ids', async () => {
      const custom = (await json<Array<{ id: string; type: string }>>(await api('/services'))).filter((s) => s.type === 'Custom').map((s) => s.id);
      const orgs = await json<Org[]>(await api('/organizations'));
      let org: Org | undefined;
      let service: { id: string } | undefined;
      for (const o of orgs) {
        service = (await json<Array<{ id: string }>>(await api(`/organizations/${o.id}/services`))).find((s) => custom.includes(s.id));
        if (service) {
          org = o;
          break;
        }
      }
      const S = `/organizations/${org!.id}/services/${service!.id}/subscriptions`;
      const missing = await api(S, { method: 'POST', body: {} });
      expect(missing.status).toBe(400);
      expect(await json(missing)).toEqual({ ProductId: ['The ProductId field is required.'], Quantity: ['The Quantity field is required.'] });
      const range = await api(S, { method: 'POST', body: { productId: '00000000-0000-4000-8000-000000000000', quantity: 0 } });
      expect(await json(range)).toEqual({ Quantity: ['The field Quantity must be between 1 and 100000.'] });
      const foreign = await api(S, { method: 'POST', body: { productId: '00000000-0000-4000-8000-000000000000', quantity: 1 } });
      expect(foreign.status).toBe(400);
      expect((await json<ApiErrorBody[]>(foreign))[0]).toMatchObject({ errorCode: 5, errorName: 'InvalidValue' });
      expect((await api(`${S}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
      const estore = (await json<Array<{ id: string }>>(await api(`/organizations/${org!.id}/Estore`)))[0]!;
      expect((await api(`/organizations/${org!.id}/services/${estore.id}/subscriptions`)).status).toBe(404);
      expect((await api(`/organizations/${org!.id}/services/${estore.id}/pricelist`)).status).toBe(404);
    });
  });

  // ---- async billing -----------------------------------------------------------------
  describe('monthly billing per organization (async)', () => {
    const PATH = '/billing/reports/MonthlyBillingPerOrganizationAsync';

    /** An organization's subscriptions to one service's products, from every endpoint that may list them (typed or custom). */
    async function subscriptionsOfService(organizationId: string, serviceId: string): Promise<Sub[]> {
      const products = new Set((await json<PriceItem[]>(await api(`/services/${serviceId}/pricelist`))).map((p) => p.productId));
      const out: Sub[] = [];
      for (const path of ['csp/nce/subscriptions', 'csp/subscriptions', 'azure/subscriptions', 'azureplan/subscriptions']) {
        out.push(...(await json<Sub[]>(await api(`/organizations/${organizationId}/services/${path}`))));
      }
      const custom = await api(`/organizations/${organizationId}/services/${serviceId}/subscriptions`);
      if (custom.status === 200) out.push(...(await json<Sub[]>(custom)));
      return out.filter((sub) => products.has(sub.productId));
    }

    it('answers 202 with the task in Location and body, is pending, then completes', async () => {
      const start = await api(PATH, { method: 'POST', body: { startDate: '2026-10-01', endDate: '2026-10-31' } });
      expect(start.status).toBe(202);
      const accepted = await json<{ taskId: string; status: string }>(start);
      const location = start.headers.get('location')!;
      expect(location).toMatch(new RegExp(`${PATH}/${accepted.taskId}$`));
      expect(accepted.status).toBe('Pending');

      const pending = await json<{ status: string; organizations: unknown }>(await api(location));
      expect(pending.status).toBe('Pending');
      expect(pending.organizations).toBeNull();
      sims.cloudmore.control.advance(REPORT_PENDING_MS);
      expect((await json<{ status: string }>(await api(location))).status).toBe('InProgress');
      sims.cloudmore.control.advance(REPORT_READY_MS);

      const done = await api(location);
      expect(done.status).toBe(200);
      const report = await json<{
        status: string;
        totals: Array<{ currencyCode: string; amount: number }>;
        organizations: Array<{
          organizationId: string;
          currencyCode: string;
          totalAmount: number;
          services: Array<{
            serviceId: string;
            totalAmount: number;
            products: Array<{
              productId: string;
              quantity: number;
              unitPrice: number | null;
              totalAmount: number;
              billingLines: Array<{ subscriptionId: string; quantity: number; unitPrice: number; amount: number; billingDate: string }>;
            }>;
          }>;
        }>;
      }>(done);
      expect(report.status).toBe('Completed');
      expect(report.organizations.length).toBeGreaterThan(0);
      expect(report.totals.length).toBeGreaterThan(0);

      // Consistent with the subscriptions of a seeded organization.
      const first = report.organizations[0]!;
      let orgTotal = 0;
      for (const service of first.services) {
        const subs = await subscriptionsOfService(first.organizationId, service.serviceId);
        let serviceTotal = 0;
        for (const product of service.products) {
          for (const line of product.billingLines) {
            const sub = subs.find((s) => s.id === line.subscriptionId)!;
            expect(sub.productId).toBe(product.productId);
            expect(['Active', 'Cancelled']).toContain(sub.status);
            expect(line.billingDate).toBe('2026-10-01');
            if (product.unitPrice !== null) {
              expect(line.quantity).toBe(sub.quantity);
              expect(line.unitPrice).toBe(sub.unitPrice);
            }
            expect(line.amount).toBeCloseTo(line.quantity * line.unitPrice, 2);
          }
          const sum = product.billingLines.reduce((a, l) => a + l.amount, 0);
          expect(product.totalAmount).toBeCloseTo(sum, 2);
          serviceTotal += product.totalAmount;
        }
        expect(service.totalAmount).toBeCloseTo(serviceTotal, 2);
        orgTotal += service.totalAmount;
        // Every active subscription that started by the end of October is billed.
        const billed = new Set(service.products.flatMap((p) => p.billingLines.map((l) => l.subscriptionId)));
        for (const s of subs) {
          if (s.status === 'Active' && s.startDate <= '2026-10-31T23:59:59.999Z') expect(billed.has(s.id)).toBe(true);
        }
      }
      expect(first.totalAmount).toBeCloseTo(orgTotal, 2);
    });

    it('validates the date range in both 400 shapes and answers 404 for an unknown task', async () => {
      const missing = await api(PATH, { method: 'POST', body: { endDate: '2026-10-31' } });
      expect(missing.status).toBe(400);
      expect(await json(missing)).toEqual({ StartDate: ['The StartDate field is required.'] });
      const garbage = await api(PATH, { method: 'POST', body: { startDate: 'yesterday', endDate: '2026-10-31' } });
      expect(await json(garbage)).toEqual({ StartDate: ["The value 'yesterday' is not valid for StartDate."] });
      const rolled = await api(PATH, { method: 'POST', body: { startDate: '2026-02-30', endDate: '2026-03-31' } });
      expect(await json(rolled)).toEqual({ StartDate: ["The value '2026-02-30' is not valid for StartDate."] });
      const reversed = await api(PATH, { method: 'POST', body: { startDate: '2026-10-31', endDate: '2026-10-01' } });
      expect(reversed.status).toBe(400);
      expect(await json(reversed)).toEqual([{ errorCode: 5, errorName: 'InvalidValue', errorMessage: expect.any(String) }]);
      const tooLong = await api(PATH, { method: 'POST', body: { startDate: '2024-01-01', endDate: '2026-10-01' } });
      expect(tooLong.status).toBe(400);
      expect((await api(`${PATH}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    });

    it('serves the synchronous report with the same numbers', async () => {
      const sync = await api('/billing/reports/MonthlyBillingPerOrganization?startDate=2026-09-01&endDate=2026-09-30');
      expect(sync.status).toBe(200);
      const orgs = await json<Array<{ totalAmount: number }>>(sync);
      expect(Array.isArray(orgs)).toBe(true);
      expect(orgs.length).toBeGreaterThan(0);
      const bad = await api('/billing/reports/MonthlyBillingPerOrganization?startDate=2026-09-01');
      expect(bad.status).toBe(400);
      expect((await json<ApiErrorBody[]>(bad))[0]?.errorName).toBe('InvalidValue');
    });
  });

  // ---- control knobs -----------------------------------------------------------------
  describe('control', () => {
    it('injects faults in the ApiError shape, then recovers', async () => {
      sims.cloudmore.control.addFault({ status: 503, times: 1 });
      const failed = await api('/services');
      expect(failed.status).toBe(503);
      expect((await json<ApiErrorBody[]>(failed))[0]?.errorName).toBe('ServiceUnavailable');
      expect((await api('/services')).status).toBe(200);
    });

    it('counts requests by route template', async () => {
      const control = sims.cloudmore.control;
      control.resetStats();
      const orgs = await json<Org[]>(await api('/organizations'));
      await api(`/organizations/${orgs[0]!.id}`);
      await api(`/Organizations/${orgs[1]!.id}`);
      const stats = control.stats();
      expect(stats.total).toBe(3);
      expect(stats.byRoute['GET /api/resellers/:resellerId/Organizations/:id']).toBe(2);
      expect(stats.byRoute['GET /api/resellers/:resellerId/Organizations']).toBe(1);
    });

    it('answers 401 once tokens expire or are revoked, and a new token works', async () => {
      sims.cloudmore.control.expireTokens();
      const expired = await api('/organizations');
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toMatch(/invalid_token/);
      token = await newToken();
      expect((await api('/organizations')).status).toBe(200);
      sims.cloudmore.control.revokeTokens();
      expect((await api('/organizations')).status).toBe(401);
      token = await newToken();
      expect((await api('/organizations')).status).toBe(200);
    });
  });
});

describe('Cloudmore seed', () => {
  it('is deterministic for a seed and follows the size option', async () => {
    const a = await startSimulators({ vendors: ['cloudmore'], seed: 5, size: 30 });
    const b = await startSimulators({ vendors: ['cloudmore'], seed: 5, size: 30 });
    const c = await startSimulators({ vendors: ['cloudmore'], seed: 5, size: 90 });
    try {
      const list = async (s: Sims) => {
        const creds = s.cloudmore.credentials;
        const form = new URLSearchParams({
          grant_type: 'password',
          username: creds.username!,
          password: creds.password!,
          scope: 'api',
          client_id: creds.clientId!,
          client_secret: creds.clientSecret!,
        });
        const { access_token } = (await (await fetch(`${s.cloudmore.baseUrl}/connect/token`, { method: 'POST', body: form })).json()) as {
          access_token: string;
        };
        const res = await fetch(`${s.cloudmore.baseUrl}/api/resellers/${creds.resellerId}/organizations`, {
          headers: { authorization: `Bearer ${access_token}` },
        });
        return (await res.json()) as Org[];
      };
      const [la, lb, lc] = [await list(a), await list(b), await list(c)];
      expect(la).toEqual(lb);
      expect(la.length).toBe(a.world.customersOf('cloudmore').length);
      expect(lc.length).toBe(c.world.customersOf('cloudmore').length);
      expect(lc.length).toBeGreaterThan(la.length);
      // A company keeps its organization id whatever the world size.
      expect(lc.slice(0, la.length).map((o) => o.id)).toEqual(la.map((o) => o.id));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  // How fast a world seeds is the bench's (`npm run bench`: simulator start-up against its 1 s budget), not a timed test's.
  it('seeds a 2000-company world', () => {
    const world = createWorld({ seed: 3, size: 2000 });
    const store = seedStore(world);
    expect(store.organizations.size).toBe(world.customersOf('cloudmore').length);
    expect(store.subscriptions.size).toBeGreaterThan(store.organizations.size);
  });
});

describe('Cloudmore subscriptions per kind of service, in each profile', () => {
  type Profile = 'documented' | 'extended';
  interface Row extends Sub {
    organizationId?: string;
    organizationName?: string;
    entitlements?: Array<{ id: string; status: string }>;
    name: string;
  }
  const sims: Partial<Record<Profile, Sims>> = {};
  const tokens: Partial<Record<Profile, string>> = {};
  const RESELLER_TYPED: Array<[kind: string, path: string]> = [
    ['nce', '/services/csp/nce/subscriptions'],
    ['csp', '/services/csp/Subscriptions'],
    ['azure', '/services/azure/Subscriptions'],
  ];
  const ORGANIZATION_TYPED: Array<[kind: string, path: string]> = [
    ['nce', 'csp/nce/subscriptions'],
    ['csp', 'csp/subscriptions'],
    ['azure', 'azure/subscriptions'],
    ['azureplan', 'azureplan/subscriptions'],
  ];

  beforeAll(async () => {
    for (const profile of ['documented', 'extended'] as const) {
      const s = await startSimulators({ vendors: ['cloudmore'], seed: SEED, size: SIZE, profile });
      sims[profile] = s;
      const c = s.cloudmore.credentials;
      const res = await fetch(`${s.cloudmore.baseUrl}/connect/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', username: c.username!, password: c.password!, scope: 'api', client_id: c.clientId!, client_secret: c.clientSecret! }),
      });
      tokens[profile] = ((await res.json()) as { access_token: string }).access_token;
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(sims).map((s) => s.close()));
  });

  const call = (profile: Profile, path: string, init: { method?: string; body?: unknown } = {}) => {
    const s = sims[profile]!;
    return fetch(`${s.cloudmore.baseUrl}/api/resellers/${s.cloudmore.credentials.resellerId}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${tokens[profile]}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
  };
  const rows = async (profile: Profile, path: string): Promise<Row[]> => {
    const res = await call(profile, path);
    expect(res.status, `${profile} GET ${path}`).toBe(200);
    return (await res.json()) as Row[];
  };
  /** The seeded truth (the same store the simulators hold): kind, organization and service of every subscription. */
  const truth = () => {
    const store = seedStore(sims.documented!.world);
    const subs = [...store.organizations.values()].flatMap((o) => o.subscriptions);
    return { store, subs, ofKind: (kind: string) => subs.filter((s) => s.kind === kind) };
  };

  it('seeds subscriptions of every kind: CSP NCE, legacy CSP, Azure, Azure plan and custom services', () => {
    const { ofKind } = truth();
    for (const kind of ['nce', 'csp', 'azure', 'azureplan', 'custom']) expect(ofKind(kind).length, kind).toBeGreaterThan(0);
    // One Azure plan per organization at most; legacy Azure subscriptions are to MS-AZR-0145P.
    const plans = ofKind('azureplan').map((s) => s.organizationId);
    expect(new Set(plans).size).toBe(plans.length);
    const { store } = truth();
    expect(ofKind('azure').every((s) => store.productsById.get(s.productId)!.catalog.sku === 'MS-AZR-0145P')).toBe(true);
  });

  it.each(['documented', 'extended'] as const)('%s: each reseller-level list serves its own kind, for every organization', async (profile) => {
    const { ofKind } = truth();
    for (const [kind, path] of RESELLER_TYPED) {
      expect((await rows(profile, path)).map((r) => r.id)).toEqual(ofKind(kind).map((s) => s.id));
    }
    // Azure plan has organization-level endpoints only: the reseller-level path is no route
    // of its own (it would be custom service "azureplan", which does not exist).
    expect((await call(profile, '/services/azureplan/subscriptions')).status).toBe(404);
  });

  it.each(['documented', 'extended'] as const)('%s: each organization-level list serves that organization\'s subscriptions of its kind, by id too', async (profile) => {
    const { store, ofKind } = truth();
    for (const org of [...store.organizations.values()].slice(0, 12)) {
      for (const [kind, path] of ORGANIZATION_TYPED) {
        const expected = ofKind(kind).filter((s) => s.organizationId === org.id);
        const list = await rows(profile, `/organizations/${org.id}/services/${path}`);
        expect(list.map((r) => r.id)).toEqual(expected.map((s) => s.id));
        if (kind === 'azureplan') for (const r of list) expect(r.entitlements).toEqual([{ id: expect.any(String), friendlyName: 'Azure subscription 1', status: r.status }]);
        for (const r of list) {
          if (kind === 'azure') continue; // the index has no GET by id for Azure subscriptions
          const one = await call(profile, `/organizations/${org.id}/services/${path}/${r.id.toUpperCase()}`);
          expect(one.status).toBe(200);
          expect(await one.json()).toEqual(r);
        }
      }
    }
    // A subscription of another kind, or of another organization, is not found there.
    const nce = ofKind('nce')[0]!;
    const other = [...store.organizations.values()].find((o) => o.id !== nce.organizationId)!;
    expect((await call(profile, `/organizations/${nce.organizationId}/services/csp/subscriptions/${nce.id}`)).status).toBe(404);
    expect((await call(profile, `/organizations/${other.id}/services/csp/nce/subscriptions/${nce.id}`)).status).toBe(404);
    expect((await call(profile, `/organizations/00000000-0000-4000-8000-000000000000/services/csp/nce/subscriptions`)).status).toBe(404);
  });

  it('documented: no subscription row says whose it is (no source names organizationId, organizationName or serviceId)', async () => {
    const { store, ofKind } = truth();
    const all: Row[] = [];
    for (const [, path] of RESELLER_TYPED) all.push(...(await rows('documented', path)));
    for (const service of store.services.filter((s) => s.type === 'Custom')) all.push(...(await rows('documented', `/services/${service.id}/subscriptions`)));
    const org = ofKind('azureplan')[0]!.organizationId;
    for (const [, path] of ORGANIZATION_TYPED) all.push(...(await rows('documented', `/organizations/${org}/services/${path}`)));
    expect(all.length).toBeGreaterThan(50);
    for (const r of all) {
      expect(r).not.toHaveProperty('organizationId');
      expect(r).not.toHaveProperty('organizationName');
      expect(r).not.toHaveProperty('serviceId');
      // What the row does say: id, product, item code, name, quantity, status, price [all U names].
      expect(r).toMatchObject({ id: expect.any(String), productId: expect.any(String), itemCode: expect.any(String), status: expect.any(String) });
    }
  });

  it('extended: every row also names its organization and service (inferred), and they are right', async () => {
    const { subs, store } = truth();
    const byId = new Map(subs.map((s) => [s.id, s]));
    const all: Row[] = [];
    for (const [, path] of RESELLER_TYPED) all.push(...(await rows('extended', path)));
    for (const service of store.services) all.push(...(await rows('extended', `/services/${service.id}/subscriptions`)));
    expect(all.length).toBeGreaterThan(subs.length); // Microsoft ones twice: typed lists and their service's list
    for (const r of all) {
      const s = byId.get(r.id)!;
      expect(r.organizationId).toBe(s.organizationId);
      expect(r.organizationName).toBe(store.organizations.get(s.organizationId)!.name);
      expect(r.serviceId).toBe(s.serviceId);
    }
  });

  it('the custom-service endpoints: custom services only in documented (a Microsoft service is 404), every kind of the service in extended', async () => {
    const { store, ofKind } = truth();
    const m365 = store.services.find((s) => s.type === 'MicrosoftCsp')!;
    const azure = store.services.find((s) => s.type === 'MicrosoftAzure')!;
    const nce = ofKind('nce')[0]!;
    const S = `/organizations/${nce.organizationId}/services/${m365.id}/subscriptions`;
    // documented
    expect((await call('documented', `/services/${m365.id}/subscriptions`)).status).toBe(404);
    expect((await call('documented', `/services/${azure.id}/subscriptions`)).status).toBe(404);
    const missing = await call('documented', S);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ApiErrorBody[])[0]).toMatchObject({ errorName: 'NotFound', errorMessage: expect.stringContaining('not a custom service') });
    expect((await call('documented', `${S}/${nce.id}`)).status).toBe(404);
    expect((await call('documented', S, { method: 'POST', body: { productId: nce.productId, quantity: 1 } })).status).toBe(404);
    // extended: the earlier behaviour, Microsoft 365 and Azure served like custom services too
    const ids = (await rows('extended', `/services/${m365.id}/subscriptions`)).map((r) => r.id);
    expect(new Set(ids)).toEqual(new Set([...ofKind('nce'), ...ofKind('csp')].map((s) => s.id)));
    expect((await rows('extended', S)).map((r) => r.id)).toContain(nce.id);
    expect((await call('extended', `${S}/${nce.id}`)).status).toBe(200);
    const created = await call('extended', S, { method: 'POST', body: { productId: nce.productId, quantity: 2 } });
    expect(created.status).toBe(201);
    const sub = (await created.json()) as Row;
    // A subscription created on the Microsoft 365 service is a new-commerce one.
    expect((await rows('extended', `/organizations/${nce.organizationId}/services/csp/nce/subscriptions`)).map((r) => r.id)).toContain(sub.id);
    // Custom services answer the same in both profiles (apart from the owner fields).
    const custom = ofKind('custom')[0]!;
    const C = `/organizations/${custom.organizationId}/services/${custom.serviceId}/subscriptions`;
    const strip = (r: Row) => ({ ...r, organizationId: undefined, organizationName: undefined, serviceId: undefined });
    expect((await rows('documented', C)).map(strip)).toEqual((await rows('extended', C)).map(strip));
  });
});
