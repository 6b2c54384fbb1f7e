/**
 * Behaviour of the Leader Cloud simulator over real HTTP: OAuth password grant, the
 * X-Api-Version gate, paging, the $filter/$orderBy subset, includes, writes that later
 * reads see, clock-driven order execution and quantity changes, faults, request counting,
 * determinism and case-insensitive routing (in the `extended` profile, which serves the
 * inferred filter forms too); then what the `documented` profile refuses (undocumented
 * $filter forms, query strings IIS would refuse), throttling, and the operations of the
 * spec served since (assets, sync options, organization setup).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulator } from '../../src/simulators/index.js';

type Json = Record<string, unknown>;
type Sims = Awaited<ReturnType<typeof startSimulators>>;

interface Paged<T = Json> {
  data: T[];
  paging: { page: number; size: number; totalPages: number; totalRecords: number };
  links: { self: string; first: string; last: string; next: string | null; previous: string | null };
}

async function tokenRequest(sim: RunningSimulator, form: Record<string, string>, basic?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic !== undefined) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  return fetch(`${sim.baseUrl}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
}

async function getToken(sim: RunningSimulator): Promise<string> {
  const c = sim.credentials;
  const res = await tokenRequest(sim, { grant_type: 'password', username: c.username ?? '', password: c.password ?? '' }, `${c.clientId}:${c.clientSecret}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const enc = encodeURIComponent;

describe('Leader Cloud simulator', () => {
  let sims: Sims;
  let lc: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sims = await startSimulators({ vendors: ['leadercloud'], seed: 21, size: 150, profile: 'extended' });
    lc = sims.leadercloud;
    token = await getToken(lc);
  });
  afterAll(() => sims.close());

  async function api<T = Json>(
    path: string,
    init: { method?: string; body?: unknown; contentType?: string; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-api-version': '3', ...init.headers };
    let body: string | undefined;
    if (init.raw !== undefined || init.body !== undefined) {
      body = init.raw ?? JSON.stringify(init.body);
      headers['content-type'] = init.contentType ?? 'application/json';
    }
    const res = await fetch(lc.baseUrl + path, { method: init.method ?? 'GET', headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  const advance = async (ms: number) => {
    const res = await fetch(`${lc.origin}/__sim/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
    expect(res.status).toBe(200);
    // Moving the clock by days also expires the token (1 h): take a fresh one.
    token = await getToken(lc);
  };

  describe('authentication', () => {
    it('issues a bearer token for the password grant with client credentials in Basic auth', async () => {
      const c = lc.credentials;
      const res = await tokenRequest(lc, { grant_type: 'password', username: c.username ?? '', password: c.password ?? '' }, `${c.clientId}:${c.clientSecret}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
      expect(typeof body.access_token).toBe('string');
      expect(c).toEqual({
        clientId: 'channelgraph-demo',
        clientSecret: 'leadercloud-demo-secret',
        username: 'api@demo-msp.example',
        password: 'leadercloud-demo-password',
      });
    });

    it('rejects client credentials sent in the body with invalid_client', async () => {
      const c = lc.credentials;
      const res = await tokenRequest(lc, {
        grant_type: 'password', username: c.username ?? '', password: c.password ?? '', client_id: c.clientId ?? '', client_secret: c.clientSecret ?? '',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_client' });
      const wrong = await tokenRequest(lc, { grant_type: 'password', username: c.username ?? '', password: c.password ?? '' }, `${c.clientId}:nope`);
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('rejects a wrong password with invalid_grant and other grants with unsupported_grant_type', async () => {
      const c = lc.credentials;
      const basic = `${c.clientId}:${c.clientSecret}`;
      const bad = await tokenRequest(lc, { grant_type: 'password', username: c.username ?? '', password: 'wrong' }, basic);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
      const grant = await tokenRequest(lc, { grant_type: 'client_credentials' }, basic);
      expect(grant.status).toBe(400);
      expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('answers 401 in the vendor shape without, with an unknown, an expired or a revoked token', async () => {
      const missing = await api('/api/accounts', { headers: { authorization: '' } });
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ type: 'AuthorizationError', code: 'AuthorizationError', isRetriableError: false });
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await api('/api/accounts', { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);

      lc.control.expireTokens();
      const expired = await api<Json>('/api/accounts');
      expect(expired.status).toBe(401);
      expect(String(expired.body.developerMessage)).toMatch(/expired/);
      token = await getToken(lc);
      expect((await api('/api/accounts')).status).toBe(200);

      lc.control.revokeTokens();
      const revoked = await api<Json>('/api/accounts');
      expect(revoked.status).toBe(401);
      expect(String(revoked.body.developerMessage)).toMatch(/revoked/);
      token = await getToken(lc);
      expect((await api('/api/accounts')).status).toBe(200);
    });

    it('expires tokens on the simulated clock', async () => {
      const own = await getToken(lc);
      await advance(3601 * 1000);
      const res = await fetch(`${lc.baseUrl}/api/accounts`, { headers: { authorization: `Bearer ${own}`, 'x-api-version': '3' } });
      expect(res.status).toBe(401);
      token = await getToken(lc);
    });
  });

  describe('X-Api-Version', () => {
    it('is required: missing or another version is a 404 InvalidApiVersionError, checked before the token', async () => {
      const missing = await api('/api/accounts', { headers: { 'x-api-version': '' } });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ type: 'InvalidApiVersionError', code: 'InvalidApiVersionError', isRetriableError: false });
      expect((await api('/api/accounts', { headers: { 'x-api-version': '2' } })).status).toBe(404);
      const noAuthNoVersion = await api('/api/accounts', { headers: { 'x-api-version': '', authorization: '' } });
      expect(noAuthNoVersion.status).toBe(404);
      expect((await api('/api/accounts', { headers: { 'x-api-version': '3.0' } })).status).toBe(200);
      // Header names are case-insensitive (a public client sends `X-APi-version`).
      const mixed = await fetch(`${lc.baseUrl}/api/accounts`, { headers: { authorization: `Bearer ${token}`, 'X-APi-version': '3' } });
      expect(mixed.status).toBe(200);
    });
  });

  describe('paging', () => {
    it('walks to the last page with absolute links', async () => {
      const first = await api<Paged>('/api/accounts?pageSize=7');
      expect(first.status).toBe(200);
      const { totalPages, totalRecords } = first.body.paging;
      expect(totalRecords).toBeGreaterThan(14);
      expect(totalPages).toBe(Math.ceil(totalRecords / 7));
      expect(first.body.links.previous).toBeNull();
      expect(first.body.links.self).toBe(`${lc.baseUrl}/api/accounts?pageIndex=1&pageSize=7`);
      expect(first.body.links.next).toBe(`${lc.baseUrl}/api/accounts?pageIndex=2&pageSize=7`);

      const next = await fetch(first.body.links.next ?? '', { headers: { authorization: `Bearer ${token}`, 'x-api-version': '3' } });
      expect(((await next.json()) as Paged).paging.page).toBe(2);

      const last = await fetch(first.body.links.last, { headers: { authorization: `Bearer ${token}`, 'x-api-version': '3' } });
      const lastBody = (await last.json()) as Paged;
      expect(lastBody.paging.page).toBe(totalPages);
      expect(lastBody.data.length).toBe(totalRecords - (totalPages - 1) * 7);
      expect(lastBody.links.next).toBeNull();
      expect(lastBody.links.previous).toBe(`${lc.baseUrl}/api/accounts?pageIndex=${totalPages - 1}&pageSize=7`);

      const beyond = await api<Paged>(`/api/accounts?pageSize=7&pageIndex=${totalPages + 5}`);
      expect(beyond.status).toBe(200);
      expect(beyond.body.data).toEqual([]);
      const defaults = await api<Paged>('/api/accounts');
      expect(defaults.body.paging).toMatchObject({ page: 1, size: 10 });
    });

    it('keeps other query parameters in the links', async () => {
      const res = await api<Paged>(`/api/subscriptions?$filter=${enc("status eq 'Active'")}&pageSize=5`);
      const next = new URL(res.body.links.next ?? '');
      expect(next.searchParams.get('$filter')).toBe("status eq 'Active'");
      expect(next.searchParams.get('pageIndex')).toBe('2');
    });

    it('rejects invalid paging with 400', async () => {
      for (const q of ['pageIndex=0', 'pageIndex=-1', 'pageIndex=abc', 'pageIndex=01', 'pageSize=0', 'pageSize=501', 'pageSize=x']) {
        const res = await api(`/api/accounts?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.body).toMatchObject({ code: 'InvalidPagingError', isRetriableError: false });
      }
      expect((await api('/api/accounts?pageSize=500')).status).toBe(200);
    });
  });

  describe('$filter and $orderBy', () => {
    it('filters by id and status with eq/ne, on accountId and account/id', async () => {
      const accounts = await api<Paged<{ id: number }>>('/api/accounts?pageSize=3');
      const id = accounts.body.data[0]?.id ?? 0;
      const one = await api<Paged<{ id: number }>>(`/api/accounts?$filter=${enc(`id eq ${id}`)}`);
      expect(one.body.data.map((a) => a.id)).toEqual([id]);
      const notOne = await api<Paged<{ id: number }>>(`/api/accounts?$filter=${enc(`id ne ${id}`)}`);
      expect(notOne.body.paging.totalRecords).toBe(accounts.body.paging.totalRecords - 1);

      for (const prop of ['accountId', 'account/id']) {
        const subs = await api<Paged<{ account: { id: number } }>>(`/api/subscriptions?pageSize=500&$filter=${enc(`${prop} eq ${id}`)}`);
        expect(subs.status).toBe(200);
        expect(subs.body.data.length).toBeGreaterThan(0);
        expect(subs.body.data.every((s) => s.account.id === id)).toBe(true);
      }
      const active = await api<Paged<{ status: string }>>(`/api/subscriptions?pageSize=500&$filter=${enc("status eq 'active'")}`);
      expect(active.body.data.length).toBeGreaterThan(0);
      expect(active.body.data.every((s) => s.status === 'Active')).toBe(true);
      const inactive = await api<Paged<{ status: string }>>(`/api/subscriptions?pageSize=500&$filter=${enc("status ne 'Active'")}`);
      expect(inactive.body.data.every((s) => s.status !== 'Active')).toBe(true);
    });

    it('fetches the subscriptions, orders and invoices of 50 accounts in one call (or of 50 terms)', async () => {
      const accounts = await api<Paged<{ id: number }>>('/api/accounts?pageSize=50');
      const ids = accounts.body.data.map((a) => a.id);
      expect(ids.length).toBe(50);
      const filter = ids.map((id) => `accountId eq ${id}`).join(' or ');
      for (const resource of ['subscriptions', 'orders', 'invoices']) {
        const res = await api<Paged<{ account: { id: number } }>>(`/api/${resource}?pageSize=500&$filter=${enc(filter)}`);
        expect(res.status, resource).toBe(200);
        const seen = new Set(res.body.data.map((x) => x.account.id));
        expect([...seen].every((id) => ids.includes(id))).toBe(true);
        // Same answer as asking account by account.
        let total = 0;
        for (const id of ids.slice(0, 10)) {
          total += (await api<Paged>(`/api/${resource}?pageSize=1&$filter=${enc(`account/id eq ${id}`)}`)).body.paging.totalRecords;
        }
        const firstTen = res.body.data.filter((x) => ids.slice(0, 10).includes(x.account.id)).length;
        expect(firstTen).toBe(total);
      }
      const viaIn = await api<Paged>(`/api/subscriptions?pageSize=500&$filter=${enc(`accountId in (${ids.join(',')})`)}`);
      const viaOr = await api<Paged>(`/api/subscriptions?pageSize=500&$filter=${enc(filter)}`);
      expect(viaIn.body.paging.totalRecords).toBe(viaOr.body.paging.totalRecords);
    });

    it('compares dates with datetime literals and plain ISO strings, with and/or and parentheses', async () => {
      const oct = await api<Paged<{ invoiceDate: string }>>(
        `/api/invoices?pageSize=500&$filter=${enc("invoiceDate ge datetime'2026-10-01T00:00:00' and invoiceDate lt datetime'2026-11-01T00:00:00'")}`,
      );
      expect(oct.status).toBe(200);
      expect(oct.body.data.length).toBeGreaterThan(0);
      expect(oct.body.data.every((i) => i.invoiceDate.startsWith('2026-10-01'))).toBe(true);

      const after = await api<Paged<{ createdAt: string }>>(`/api/accounts?pageSize=500&$filter=${enc("createdAt gt '2025-06-01T00:00:00Z'")}`);
      expect(after.body.data.every((a) => Date.parse(a.createdAt) > Date.parse('2025-06-01T00:00:00Z'))).toBe(true);
      const before = await api<Paged>(`/api/accounts?pageSize=1&$filter=${enc('createdAt le 2025-06-01T00:00:00Z')}`);
      const all = await api<Paged>('/api/accounts?pageSize=1');
      expect(after.body.paging.totalRecords + before.body.paging.totalRecords).toBe(all.body.paging.totalRecords);

      const accountId = (await api<Paged<{ id: number }>>('/api/accounts?pageSize=1')).body.data[0]?.id;
      const grouped = await api<Paged<{ status: string; account: { id: number } }>>(
        `/api/subscriptions?pageSize=500&$filter=${enc(`(status eq 'Active' or status eq 'Suspended') and not (accountId eq ${accountId})`)}`,
      );
      expect(grouped.status).toBe(200);
      expect(grouped.body.data.every((s) => ['Active', 'Suspended'].includes(s.status) && s.account.id !== accountId)).toBe(true);

      const invoices = await api<Paged<{ status: { type: string } }>>(`/api/invoices?pageSize=500&$filter=${enc("status eq 'Unpaid'")}`);
      expect(invoices.body.data.every((i) => i.status.type === 'Unpaid')).toBe(true);
    });

    it('rejects unsupported properties, operators, values and syntax with a clear 400', async () => {
      const cases: Array<[string, RegExp]> = [
        ['colour eq 1', /property 'colour' is not supported/],
        ['accountId has 1', /operator 'has'/],
        ['accountId eq', /expected a value/],
        ['accountId eq 1 or', /ends too early/],
        ["status eq 'Canceled'", /not a valid value for 'status'/],
        ["accountId eq 'abc'", /is an integer/],
        ["createdAt gt datetime'yesterday'", /not a valid ISO 8601/],
        ['(accountId eq 1', /expected '\)'/],
        ['status gt 1', /is one of|cannot be used/],
      ];
      for (const [filter, message] of cases) {
        const res = await api<Json>(`/api/subscriptions?$filter=${enc(filter)}`);
        expect(res.status, filter).toBe(400);
        expect(res.body.code, filter).toBe('InvalidFilterError');
        expect(String(res.body.developerMessage), filter).toMatch(message);
      }
    });

    it('orders by a few fields and rejects others', async () => {
      const byName = await api<Paged<{ name: string }>>('/api/accounts?pageSize=500&$orderBy=name desc');
      const names = byName.body.data.map((a) => a.name.toLowerCase());
      expect(names).toEqual([...names].sort().reverse());
      const byUpdated = await api<Paged<{ updatedAt: string }>>('/api/invoices?pageSize=500&$orderBy=updatedAt asc');
      const times = byUpdated.body.data.map((i) => Date.parse(i.updatedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const byId = await api<Paged<{ id: number }>>('/api/accounts?pageSize=500&$orderBy=id desc');
      expect(byId.body.data[0]?.id).toBeGreaterThan(byId.body.data[1]?.id ?? Infinity);
      const bad = await api<Json>('/api/accounts?$orderBy=phone');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('InvalidOrderByError');
      expect((await api('/api/accounts?$orderBy=name sideways')).status).toBe(400);
    });
  });

  describe('include', () => {
    it('adds items and custom fields to invoices and custom fields to accounts only when asked', async () => {
      const plain = await api<Paged<Json>>('/api/invoices?pageSize=3');
      expect(plain.body.data[0]).not.toHaveProperty('items');
      expect(plain.body.data[0]).not.toHaveProperty('customFields');
      const full = await api<Paged<{ items: Array<{ subscriptions: unknown[]; total: number }>; customFields: unknown[] }>>(
        '/api/invoices?pageSize=3&include=items,customFields',
      );
      expect(full.body.data[0]?.items.length).toBeGreaterThan(0);
      expect(full.body.data[0]?.items[0]?.subscriptions.length).toBe(1);
      expect(Array.isArray(full.body.data[0]?.customFields)).toBe(true);
      const account = await api<Paged<Json>>('/api/accounts?pageSize=1&include=customFields');
      expect(account.body.data[0]).toHaveProperty('customFields');
      const bad = await api<Json>('/api/invoices?include=everything');
      expect(bad.status).toBe(400);
      expect(String(bad.body.developerMessage)).toMatch(/customFields, items, analysisItems/);
    });
  });

  describe('accounts: writes are read back', () => {
    it('creates, patches and sets custom fields', async () => {
      const created = await api<{ id: number; name: string; billingAddress: Json }>('/api/accounts', {
        method: 'POST',
        body: { name: 'Write Test Pty Ltd', email: 'it@writetest.example', billingAddress: { address: '1 Pitt St', city: 'Sydney', postCode: '2000', countryId: 13, stateId: 1301 } },
      });
      expect(created.status).toBe(201);
      expect(created.body.billingAddress).toMatchObject({ city: 'Sydney', country: { code: 'AU' }, state: { code: 'NSW' } });
      const id = created.body.id;
      expect((await api<{ name: string }>(`/api/accounts/${id}`)).body.name).toBe('Write Test Pty Ltd');
      const listed = await api<Paged>(`/api/accounts?$filter=${enc("name eq 'write test pty ltd'")}`);
      expect(listed.body.paging.totalRecords).toBe(1);

      const patched = await api<{ name: string; email: string; creditLimit: number; billingAddress: { city: string } }>(`/api/accounts/${id}`, {
        method: 'PATCH',
        contentType: 'application/json-patch+json',
        body: [
          { op: 'replace', path: '/name', value: 'Patched Pty Ltd' },
          { op: 'replace', path: '/Email', value: 'billing@patched.example' },
          { op: 'replace', path: '/billingAddress/city', value: 'Parramatta' },
          { op: 'replace', path: '/creditLimit', value: '5000' },
        ],
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Patched Pty Ltd', email: 'billing@patched.example', creditLimit: 5000, billingAddress: { city: 'Parramatta' } });
      expect((await api<{ name: string }>(`/api/accounts/${id}`)).body.name).toBe('Patched Pty Ltd');
      expect((await api<{ city: string }>(`/api/accounts/${id}/billingaddress`)).body.city).toBe('Parramatta');

      for (const body of [
        [{ op: 'frobnicate', path: '/name', value: 'x' }],
        [{ op: 'replace', path: '/id', value: '5' }],
        [{ op: 'replace', path: '/name', value: '' }],
        [{ op: 'test', path: '/name', value: 'Not the name' }],
        { op: 'replace', path: '/name', value: 'x' },
      ]) {
        const res = await api<Json>(`/api/accounts/${id}`, { method: 'PATCH', contentType: 'application/json-patch+json', body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('AccountNotUpdatedError');
      }
      expect((await api<{ name: string }>(`/api/accounts/${id}`)).body.name).toBe('Patched Pty Ltd');

      const put = await api<Array<{ groupFields: Array<{ id: number; values: Array<{ value: string }> }> }>>(`/api/accounts/${id}/customfields`, {
        method: 'PUT',
        body: [{ id: 103, value: 'PSA-42' }],
      });
      expect(put.status).toBe(200);
      const read = await api<Array<{ groupFields: Array<{ id: number; values: Array<{ value: string }> }> }>>(`/api/accounts/${id}/customfields`);
      expect(read.body[0]?.groupFields.find((f) => f.id === 103)?.values[0]?.value).toBe('PSA-42');
      const readOnly = await api<Json>(`/api/accounts/${id}/customfields`, { method: 'PUT', body: [{ id: 104, value: 'x' }] });
      expect(readOnly.status).toBe(403);
      expect(readOnly.body.code).toBe('CustomFieldReadOnlyError');
      expect((await api(`/api/accounts/${id}/customfields`, { method: 'PUT', body: [{ id: 999, value: 'x' }] })).status).toBe(400);
    });

    it('validates account creation', async () => {
      expect((await api('/api/accounts', { method: 'POST', body: { email: 'x@y.example' } })).status).toBe(400);
      expect((await api('/api/accounts', { method: 'POST', body: { name: 'X', email: 'not-an-email' } })).status).toBe(400);
      const country = await api<Json>('/api/accounts', { method: 'POST', body: { name: 'X', billingAddress: { countryId: 9999 } } });
      expect(country.status).toBe(400);
      expect(country.body.code).toBe('AccountNotCreatedError');
    });
  });

  describe('orders', () => {
    async function firstProduct(code: string) {
      const res = await api<Paged<{ id: string }>>(`/api/products?$filter=${enc(`code eq '${code}'`)}&include=addons`);
      const product = res.body.data[0] as { id: string; addons: Array<{ id: string }> };
      const pricing = await api<{ prices: Array<{ currency: string; units: Array<{ id: string; name: string; sellPrice: number }> }> }>(
        `/api/products/${product.id}/pricing`,
      );
      return { product, pricing: pricing.body };
    }

    it('creates a draft, adds items, checks out and executes on the simulated clock', async () => {
      const accountId = (await api<Paged<{ id: number }>>('/api/accounts?pageSize=1&$orderBy=id asc')).body.data[0]?.id ?? 0;
      const before = await api<Paged>(`/api/subscriptions?pageSize=1&$filter=${enc(`accountId eq ${accountId}`)}`);

      const draft = await api<{ id: string; status?: unknown; code: string; customFields: unknown[] }>('/api/orders', {
        method: 'POST',
        body: { accountId, customFields: [{ id: 301, value: 'PO-777' }] },
      });
      expect(draft.status).toBe(201);
      expect(draft.body.status).toBeUndefined();
      const orderId = draft.body.id;

      const confirmed = await api<Paged<{ id: string }>>(`/api/orders?pageSize=500&$filter=${enc(`id eq guid'${orderId}'`)}`);
      expect(confirmed.body.data).toEqual([]);
      const drafts = await api<Paged<{ id: string }>>(`/api/orders?stage=Draft&pageSize=500&$filter=${enc(`id eq '${orderId}'`)}`);
      expect(drafts.body.data.map((o) => o.id)).toEqual([orderId]);
      expect((await api('/api/orders?stage=Bogus')).status).toBe(400);

      const checkoutEmpty = await api<Json>(`/api/orders/${orderId}/checkout`, { method: 'POST' });
      expect(checkoutEmpty.status).toBe(400);

      const { product, pricing } = await firstProduct('CFQ7TTC0LH18:0001');
      const unit = pricing.prices[0]?.units.find((u) => u.name === 'Month');
      expect((await api(`/api/orders/${orderId}/items`, { method: 'POST', body: { unitId: unit?.id, quantity: 1 } })).status).toBe(400);
      expect((await api(`/api/orders/${orderId}/items`, { method: 'POST', body: { productId: product.id, unitId: product.id, quantity: 1 } })).status).toBe(400);
      expect((await api(`/api/orders/${orderId}/items`, { method: 'POST', body: { productId: product.id, unitId: unit?.id, quantity: 0 } })).status).toBe(400);
      expect((await api(`/api/orders/${orderId}/items`, { method: 'POST', body: { productId: 'nope', unitId: unit?.id, quantity: 1 } })).status).toBe(400);

      const item = await api<{ id: string; quantity: number; total: number; unitPrice: { value: number } }>(`/api/orders/${orderId}/items`, {
        method: 'POST',
        body: { productId: product.id, unitId: unit?.id, quantity: 4 },
      });
      expect(item.status).toBe(201);
      expect(item.body.quantity).toBe(4);
      expect(item.body.total).toBeCloseTo(item.body.unitPrice.value * 4, 2);
      expect((await api<unknown[]>(`/api/orders/${orderId}/items`)).body).toHaveLength(1);
      const order = await api<{ total: number; totalBeforeTax: number }>(`/api/orders/${orderId}`);
      expect(order.body.totalBeforeTax).toBeCloseTo(item.body.total, 2);

      const checkout = await api(`/api/orders/${orderId}/checkout`, { method: 'POST' });
      expect(checkout.status).toBe(202);
      expect((await api(`/api/orders/${orderId}/execute/status`)).body).toEqual({ status: 'Submitted' });
      const again = await api<Json>(`/api/orders/${orderId}/checkout`, { method: 'POST' });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('OrderIsNotDraftError');
      expect((await api(`/api/orders/${orderId}/items`, { method: 'POST', body: { productId: product.id, unitId: unit?.id, quantity: 1 } })).status).toBe(400);

      lc.control.advance(2000);
      expect((await api(`/api/orders/${orderId}/execute/status`)).body).toEqual({ status: 'Executing' });
      await advance(3000);
      expect((await api(`/api/orders/${orderId}/execute/status`)).body).toEqual({ status: 'Executed' });
      expect((await api<{ status: { type: string } }>(`/api/orders/${orderId}`)).body.status.type).toBe('Executed');

      const after = await api<Paged<{ order: { id: string }; quantity: number; status: string }>>(
        `/api/subscriptions?pageSize=500&$filter=${enc(`accountId eq ${accountId}`)}`,
      );
      expect(after.body.paging.totalRecords).toBe(before.body.paging.totalRecords + 1);
      const created = after.body.data.find((s) => s.order.id === orderId);
      expect(created).toMatchObject({ quantity: 4, status: 'Active' });
      const items = await api<Array<{ subscription?: { id: string } }>>(`/api/orders/${orderId}/items`);
      expect(items.body[0]?.subscription?.id).toBeDefined();
    });

    it('deletes draft items and sets item characteristics', async () => {
      const accountId = (await api<Paged<{ id: number }>>('/api/accounts?pageSize=1')).body.data[0]?.id ?? 0;
      const draft = await api<{ id: string }>('/api/orders', { method: 'POST', body: { accountId } });
      const { product, pricing } = await firstProduct('CFQ7TTC0LDPB:0001');
      const annual = pricing.prices[0]?.units.find((u) => u.name === 'Annual');
      const item = await api<{ id: string }>(`/api/orders/${draft.body.id}/items`, { method: 'POST', body: { productId: product.id, unitId: annual?.id, quantity: 2 } });
      expect(item.status).toBe(201);
      const addonWithoutParent = await api(`/api/orders/${draft.body.id}/items`, { method: 'POST', body: { productId: product.addons[0]?.id, unitId: annual?.id, quantity: 1 } });
      expect(addonWithoutParent.status).toBe(400);
      const addon = await api<{ relatedItem: string }>(`/api/orders/${draft.body.id}/items`, {
        method: 'POST',
        body: { productId: product.addons[0]?.id, unitId: annual?.id, quantity: 1, relatedItemId: item.body.id },
      });
      expect(addon.status).toBe(201);
      expect(addon.body.relatedItem).toBe(item.body.id);

      const chars = await api<{ groups: Array<{ characteristics: Array<{ id: string; name: string }> }> }>(
        `/api/orders/${draft.body.id}/items/${item.body.id}/characteristics`,
      );
      const domain = chars.body.groups.flatMap((g) => g.characteristics).find((c) => c.name === 'Tenant domain');
      const put = await api<{ groups: Array<{ characteristics: Array<{ id: string; value?: string }> }> }>(
        `/api/orders/${draft.body.id}/items/${item.body.id}/characteristics`,
        { method: 'PUT', body: [{ id: domain?.id, value: 'writetest' }] },
      );
      expect(put.body.groups.flatMap((g) => g.characteristics).find((c) => c.id === domain?.id)?.value).toBe('writetest');

      expect((await api(`/api/orders/${draft.body.id}/items/${item.body.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await api<unknown[]>(`/api/orders/${draft.body.id}/items`)).body).toEqual([]);
      expect((await api(`/api/orders/${draft.body.id}/items/${item.body.id}`)).status).toBe(404);
    });
  });

  describe('subscriptions', () => {
    async function activeSubscription(skip = 0) {
      const res = await api<Paged<{ id: string; quantity: number; account: { id: number } }>>(
        `/api/subscriptions?pageSize=50&$filter=${enc("status eq 'Active' and isUsageBased eq false")}`,
      );
      return res.body.data[skip] as { id: string; quantity: number };
    }

    it('changes quantity asynchronously: pending, then completed and applied', async () => {
      const sub = await activeSubscription(0);
      const requested = await api<{ requestId: string; status: number; previousSubscriptionQuantity: number; nextSubscriptionQuantity: number }>(
        `/api/subscriptions/${sub.id}/quantity`,
        { method: 'POST', body: { quantity: sub.quantity + 5, effectiveDate: new Date(lc.control.now()).toISOString() } },
      );
      expect(requested.status).toBe(200);
      expect(requested.body).toMatchObject({ status: 0, previousSubscriptionQuantity: sub.quantity, nextSubscriptionQuantity: sub.quantity + 5 });
      const path = `/api/subscriptions/${sub.id}/quantityrequest/${requested.body.requestId}`;
      expect((await api<{ status: number }>(path)).body.status).toBe(0);
      expect((await api<{ quantity: number }>(`/api/subscriptions/${sub.id}`)).body.quantity).toBe(sub.quantity);
      await advance(3000);
      expect((await api<{ status: number }>(path)).body.status).toBe(1);
      expect((await api<{ quantity: number }>(`/api/subscriptions/${sub.id}`)).body.quantity).toBe(sub.quantity + 5);
    });

    it('applies a future-dated quantity change at its effective date', async () => {
      const sub = await activeSubscription(1);
      const effective = new Date(lc.control.now() + 2 * 86_400_000).toISOString();
      const requested = await api<{ requestId: string }>(`/api/subscriptions/${sub.id}/quantity`, { method: 'POST', body: { quantity: 1, effectiveDate: effective } });
      await advance(86_400_000);
      expect((await api<{ quantity: number }>(`/api/subscriptions/${sub.id}`)).body.quantity).toBe(sub.quantity);
      await advance(86_400_000);
      expect((await api<{ status: number }>(`/api/subscriptions/${sub.id}/quantityrequest/${requested.body.requestId}`)).body.status).toBe(1);
      expect((await api<{ quantity: number }>(`/api/subscriptions/${sub.id}`)).body.quantity).toBe(1);
      const bad = await api(`/api/subscriptions/${sub.id}/quantity`, { method: 'POST', body: { quantity: 2 } });
      expect(bad.status).toBe(400);
    });

    it('cancels, cancels add-ons at the end of the billing period, and sets auto-renewal', async () => {
      const sub = await activeSubscription(2);
      const renewal = await api<Json>(`/api/subscriptions/${sub.id}/autoRenewalSettings`, { method: 'POST', body: { autoRenewalEnabled: false } });
      expect(renewal.body).toMatchObject({ succeed: true, errors: [] });
      expect((await api<{ automaticRenewal: boolean }>(`/api/subscriptions/${sub.id}`)).body.automaticRenewal).toBe(false);

      const all = await api<Paged<{ id: string }>>(`/api/subscriptions?pageSize=500&$filter=${enc("status eq 'Active'")}`);
      let done = false;
      for (const s of all.body.data) {
        const addons = await api<Array<{ id: string; status: string }>>(`/api/subscriptions/${s.id}/addons`);
        const active = addons.body.find((a) => a.status === 'Active');
        if (!active) continue;
        const res = await api(`/api/subscriptions/${s.id}/addons/${active.id}/cancelendofbillingperiod`, { method: 'POST' });
        expect(res.status).toBe(200);
        const after = await api<Array<{ id: string; status: string }>>(`/api/subscriptions/${s.id}/addons`);
        expect(after.body.find((a) => a.id === active.id)?.status).toBe('PendingCancellation');
        expect((await api(`/api/subscriptions/${s.id}/addons/${active.id}/cancelendofbillingperiod`, { method: 'POST' })).status).toBe(400);
        await advance(400 * 86_400_000);
        const later = await api<Array<{ id: string; status: string }>>(`/api/subscriptions/${s.id}/addons`);
        expect(later.body.find((a) => a.id === active.id)?.status).toBe('Cancelled');
        done = true;
        break;
      }
      expect(done).toBe(true);
      token = await getToken(lc);

      expect((await api(`/api/subscriptions/${sub.id}/cancel`, { method: 'POST' })).status).toBe(200);
      expect((await api<{ status: string }>(`/api/subscriptions/${sub.id}`)).body.status).toBe('Cancelled');
      const again = await api<Json>(`/api/subscriptions/${sub.id}/cancel`, { method: 'POST' });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('SubscriptionCancellationPlatformError');
      const cancelledRenewal = await api<Json>(`/api/subscriptions/${sub.id}/autoRenewalSettings`, { method: 'POST', body: { autoRenewalEnabled: true } });
      expect(cancelledRenewal.body).toMatchObject({ succeed: false });
    });
  });

  describe('products', () => {
    it('requires unitId and currency for external prices', async () => {
      const product = (await api<Paged<{ id: string }>>('/api/products?pageSize=1')).body.data[0]?.id;
      const pricing = await api<{ prices: Array<{ currency: string; units: Array<{ id: string; sellPrice: number }> }> }>(`/api/products/${product}/pricing`);
      const unit = pricing.body.prices[0]?.units[0];
      expect((await api(`/api/products/${product}/externalprices?currency=AUD`)).status).toBe(400);
      expect((await api(`/api/products/${product}/externalprices?unitId=${unit?.id}`)).status).toBe(400);
      expect((await api(`/api/products/${product}/externalprices?unitId=${unit?.id}&currency=XYZ`)).status).toBe(400);
      const ok = await api<{ sellPrice: number }>(`/api/products/${product}/externalprices?unitId=${unit?.id}&currency=AUD`);
      expect(ok.body.sellPrice).toBe(pricing.body.prices.find((p) => p.currency === 'AUD')?.units[0]?.sellPrice);
    });

    it('serves Microsoft SKUs with AUD/EUR/USD prices in Month and Annual units', async () => {
      const res = await api<Paged<{ code: string }>>(`/api/products?pageSize=50&$filter=${enc("startswith(code, 'CFQ7TTC0')")}`);
      expect(res.body.data.map((p) => p.code)).toContain('CFQ7TTC0LH18:0001');
      const id = ((await api<Paged<{ id: string }>>(`/api/products?$filter=${enc("code eq 'CFQ7TTC0LH18:0001'")}`)).body.data[0] as { id: string }).id;
      const pricing = await api<{ prices: Array<{ currency: string; units: Array<{ name: string }> }> }>(`/api/products/${id}/pricing`);
      expect(pricing.body.prices.map((p) => p.currency)).toEqual(['AUD', 'EUR', 'USD']);
      expect(pricing.body.prices[0]?.units.map((u) => u.name).sort()).toEqual(['Annual', 'Month']);
    });
  });

  describe('errors and robustness', () => {
    it('answers malformed ids, unknown ids and malformed JSON in the vendor shape', async () => {
      const badInt = await api<Json>('/api/accounts/abc');
      expect(badInt.status).toBe(400);
      expect(badInt.body).toMatchObject({ code: 'InvalidParameterError', isRetriableError: false });
      expect((await api('/api/accounts/99999999999')).status).toBe(400);
      expect((await api('/api/subscriptions/not-a-guid')).status).toBe(400);
      const missing = await api<Json>('/api/accounts/5');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        entity: 'Account', property: 'Id', value: '5', type: 'AccountNotFoundError', code: 'AccountNotFoundError',
        developerMessage: "Account with Id '5' was not found!", isRetriableError: false,
      });
      const sub = await api<Json>('/api/subscriptions/00000000-0000-4000-8000-000000000000');
      expect(sub.status).toBe(404);
      expect(sub.body.code).toBe('SubscriptionNotFoundError');
      const json = await api<Json>('/api/accounts', { method: 'POST', raw: '{"name": ' });
      expect(json.status).toBe(400);
      expect(json.body).toMatchObject({ isRetriableError: false });
      expect(String(json.body.developerMessage)).toMatch(/JSON/);
    });

    it('injects a 429 with Retry-After once, then answers normally', async () => {
      lc.control.addFault({ status: 429, retryAfter: 2, times: 1 });
      const limited = await api<Json>('/api/accounts');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.body).toMatchObject({ isRetriableError: true });
      expect((await api('/api/accounts')).status).toBe(200);
    });

    it('counts requests by route template', async () => {
      lc.control.resetStats();
      const id = (await api<Paged<{ id: number }>>('/api/accounts?pageSize=1')).body.data[0]?.id;
      await api(`/api/accounts/${id}`);
      await api('/api/accounts/5');
      const stats = lc.control.stats();
      expect(stats.byRoute['GET /api/accounts']).toBe(1);
      expect(stats.byRoute['GET /api/accounts/:accountId']).toBe(2);
      expect(stats.total).toBe(3);
    });

    it('routes case-insensitively', async () => {
      expect((await api('/api/Accounts?pageSize=1')).status).toBe(200);
      expect((await api('/API/SUBSCRIPTIONS?pageSize=1')).status).toBe(200);
      const id = (await api<Paged<{ id: string }>>('/api/subscriptions?pageSize=1')).body.data[0]?.id;
      expect((await api(`/api/Subscriptions/${id?.toUpperCase()}/CurrentInstallmentPlan`)).status).not.toBe(400);
    });
  });
});

describe('Leader Cloud simulator seed', () => {
  it('is deterministic: two worlds with the same seed serve the same data', async () => {
    const a = await startSimulators({ vendors: ['leadercloud'], seed: 99, size: 60 });
    const b = await startSimulators({ vendors: ['leadercloud'], seed: 99, size: 60 });
    const c = await startSimulators({ vendors: ['leadercloud'], seed: 100, size: 60 });
    try {
      const page = async (sim: RunningSimulator, path: string) => {
        const res = await fetch(`${sim.baseUrl}${path}`, { headers: { authorization: `Bearer ${await getToken(sim)}`, 'x-api-version': '3' } });
        return ((await res.json()) as Paged).data;
      };
      for (const path of [
        '/api/accounts?pageSize=20', '/api/subscriptions?pageSize=50', '/api/invoices?pageSize=20&include=items', '/api/orders?stage=All&pageSize=30',
        '/api/assets?pageSize=20&include=customFields', '/api/organization/unitGroups?include=units',
      ]) {
        expect(await page(a.leadercloud, path)).toEqual(await page(b.leadercloud, path));
      }
      expect(await page(a.leadercloud, '/api/subscriptions?pageSize=5')).not.toEqual(await page(c.leadercloud, '/api/subscriptions?pageSize=5'));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  // How fast the simulators start is the bench's (`npm run bench`: simulator start-up against its 1 s budget), not a timed test's.
  it('seeds every order state, and starts with 2000 companies', async () => {
    const sims = await startSimulators({ vendors: ['leadercloud'], seed: 3, size: 2000, profile: 'extended' });
    try {
      const lc = sims.leadercloud;
      const headers = { authorization: `Bearer ${await getToken(lc)}`, 'x-api-version': '3' };
      const accounts = (await (await fetch(`${lc.baseUrl}/api/accounts?pageSize=1`, { headers })).json()) as Paged;
      expect(accounts.paging.totalRecords).toBe(sims.world.customersOf('leadercloud').length);
      for (const status of ['Executed', 'Submitted', 'Cancelled', 'Delivered', 'Locked', 'Scheduled', 'Executing']) {
        const res = (await (await fetch(`${lc.baseUrl}/api/orders?pageSize=1&$filter=${enc(`status eq '${status}'`)}`, { headers })).json()) as Paged;
        expect(res.paging.totalRecords, status).toBeGreaterThan(0);
      }
      const drafts = (await (await fetch(`${lc.baseUrl}/api/orders?pageSize=1&stage=Draft`, { headers })).json()) as Paged;
      expect(drafts.paging.totalRecords).toBeGreaterThan(0);
      for (const status of ['Paid', 'Unpaid', 'Canceled']) {
        const res = (await (await fetch(`${lc.baseUrl}/api/invoices?pageSize=1&$filter=${enc(`status eq '${status}'`)}`, { headers })).json()) as Paged;
        expect(res.paging.totalRecords, status).toBeGreaterThan(0);
      }
    } finally {
      await sims.close();
    }
  });
});

/** A Leader Cloud API client over one simulator: a token, then JSON (or text) answers. */
async function clientFor(sim: RunningSimulator) {
  const token = await getToken(sim);
  return async function api<T = Json>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-api-version': '3', ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(sim.baseUrl + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json');
    return { status: res.status, body: (json && text ? JSON.parse(text) : text) as T, headers: res.headers };
  };
}

describe('Leader Cloud simulator profiles: what `documented` refuses and `extended` accepts', () => {
  let documented: Sims;
  let extended: Sims;
  let doc: Awaited<ReturnType<typeof clientFor>>;
  let ext: Awaited<ReturnType<typeof clientFor>>;

  beforeAll(async () => {
    [documented, extended] = await Promise.all([
      startSimulators({ vendors: ['leadercloud'], seed: 21, size: 80 }),
      startSimulators({ vendors: ['leadercloud'], seed: 21, size: 80, profile: 'extended' }),
    ]);
    expect(documented.leadercloud.control.profile).toBe('documented');
    [doc, ext] = await Promise.all([clientFor(documented.leadercloud), clientFor(extended.leadercloud)]);
  });
  afterAll(() => Promise.all([documented.close(), extended.close()]));

  const guid = '00000000-0000-4000-8000-000000000000';

  it.each([
    ['subscriptions', 'accountId in (1000,1001)', /property 'accountId' is not supported/],
    ['subscriptions', 'quantity in (1,2)', /operator 'in'/],
    ['accounts', 'id in (1000,1001)', /operator 'in'/],
    ['subscriptions', 'accountId eq 1000', /property 'accountId' is not supported for subscriptions/],
    ['subscriptions', 'account/id eq 1000', /property 'account\/id' is not supported/],
    ['orders', "status eq 'Executed'", /property 'status' is not supported for orders/],
    ['invoices', "status/type eq 'Paid'", /property 'status\/type' is not supported/],
    ['orders', `id eq guid'${guid}'`, /literal guid'.*' is not supported/],
    ['subscriptions', `id eq '${guid}'`, /'id' is a GUID; no documented literal/],
    ['accounts', "contains(name,'a')", /function 'contains'/],
    ['products', "startswith(code,'CFQ7')", /function 'startswith'/],
    ['accounts', "createdAt gt datetimeoffset'2025-06-01T00:00:00Z'", /datetimeoffset'.*' is not supported/],
    ['accounts', 'createdAt gt 2025-06-01T00:00:00Z', /2025-06-01T00:00:00Z is not supported/],
    ['accounts', "createdAt gt '2025-06-01T00:00:00Z'", /'createdAt' is a date-time/],
    ['accounts', "billingAddress/city eq 'Sydney'", /property 'billingAddress\/city' is not supported/],
  ])('%s?$filter=%s: 400 InvalidFilterError in documented, 200 in extended', async (resource, filter, message) => {
    const path = `/api/${resource}?pageSize=5${resource === 'orders' ? '&stage=All' : ''}&$filter=${enc(filter)}`;
    const refused = await doc<Json>(path);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ type: 'InvalidFilterError', code: 'InvalidFilterError', developerMessage: expect.stringMatching(message), isRetriableError: false });
    expect((await ext(path)).status).toBe(200);
  });

  it('accepts the documented forms in both: OData v3 comparisons on DTO properties with and/or/not, datetime literals, strings, numbers', async () => {
    for (const [resource, filter] of [
      ['subscriptions', "updatedAt gt datetime'2026-07-21T00:00:00'"],
      ['subscriptions', "status eq 'Active' and isUsageBased eq false and quantity ge 2"],
      ['subscriptions', "(status eq 'Active' or status eq 'Suspended') and not (currency eq 'USD')"],
      ['accounts', 'id eq 1000 or id eq 1001'],
      ['accounts', "email ne null and name ne 'x'"],
      ['orders', "code eq 'SO0000001' and total gt 0"],
      ['invoices', "invoiceDate ge datetime'2026-10-01T00:00:00' and unpaidAmount gt 0"],
      ['products', "code eq 'CFQ7TTC0LH18:0001' and type eq 'Primary'"],
      ['assets', "provisioningStatus eq 'Completed successfully' and assetAmount gt 0"],
      ['organization/countries', "code eq 'AU'"],
      ['organization/unitGroups', 'isRecurringChargeUnit eq true'],
      ['organization/accounts/customfields', 'isUnique eq true'],
    ]) {
      const path = `/api/${resource}?pageSize=500${resource === 'orders' ? '&stage=All' : ''}&$filter=${enc(filter as string)}`;
      const [a, b] = await Promise.all([doc<Paged>(path), ext<Paged>(path)]);
      expect(a.status, `${resource}: ${filter}`).toBe(200);
      expect(a.body.data.length, `${resource}: ${filter}`).toBeGreaterThan(0);
      expect(a.body.data).toEqual(b.body.data);
    }
    const two = await doc<Paged<{ id: number }>>(`/api/accounts?$filter=${enc('id eq 1000 or id eq 1001')}`);
    expect(two.body.data.map((a) => a.id)).toEqual([1000, 1001]);
  });

  it('orders only by DTO properties in documented', async () => {
    expect((await doc('/api/subscriptions?$orderBy=accountId desc')).status).toBe(400);
    expect((await ext('/api/subscriptions?$orderBy=accountId desc')).status).toBe(200);
    expect((await doc('/api/subscriptions?$orderBy=quantity desc')).status).toBe(200);
  });

  it('answers a query string over 2,048 characters as IIS does (404.15, HTML) in documented, before any API check', async () => {
    const long = `/api/accounts?$filter=${enc(Array.from({ length: 200 }, (_, i) => `id eq ${1000 + i}`).join(' or '))}`;
    expect(long.split('?')[1]!.length).toBeGreaterThan(2048);
    const refused = await doc<string>(long);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.body).toContain('HTTP Error 404.15 - Not Found');
    expect(refused.body).toContain('The request filtering module is configured to deny a request where the query string is too long.');
    // Before the version and token checks: a bare request gets the same page.
    const bare = await fetch(documented.leadercloud.baseUrl + long);
    expect(bare.status).toBe(404);
    expect(await bare.text()).toContain('404.15');
    // 2,048 characters exactly still reach the API.
    const base = '/api/accounts?pageSize=1&$orderBy=';
    const exact = `${base}${'id'.padEnd(2048 - 'pageSize=1&$orderBy='.length, ' ')}`.replace(/ /g, '+');
    expect(exact.split('?')[1]!.length).toBe(2048);
    expect((await doc(exact)).status).toBe(200);
    // extended has no limit (the inferred forms are served however long).
    const ok = await ext<Paged>(long);
    expect(ok.status).toBe(200);
    expect(ok.body.paging.totalRecords).toBeGreaterThan(40);
  });
});

describe('Leader Cloud simulator throttling (rateLimit)', () => {
  it.each(['documented', 'extended'] as const)('%s: over the rate a 403 with isRetriableError true, then served again once the window has passed', async (profile) => {
    const sims = await startSimulators({ vendors: ['leadercloud'], seed: 4, size: 20, profile, rateLimit: { requests: 3, perMs: 1000 } });
    try {
      const lc = sims.leadercloud;
      const api = await clientFor(lc); // the token endpoint is not throttled
      for (let i = 0; i < 3; i++) expect((await api('/api/accounts?pageSize=1')).status).toBe(200);
      const throttled = await api<Json>('/api/accounts?pageSize=1');
      expect(throttled.status).toBe(403);
      expect(throttled.body).toEqual({
        type: 'RateLimitExceededError',
        code: 'RateLimitExceededError',
        developerMessage: expect.stringMatching(/Rate limit exceeded: at most 3 requests per 1000 ms/),
        isRetriableError: true,
      });
      expect(throttled.headers.get('retry-after')).toBeNull(); // not documented
      expect((await api('/api/products')).status).toBe(403); // every route, one window
      expect(lc.control.throttled).toBe(2);
      lc.control.advance(1000);
      expect((await api('/api/accounts?pageSize=1')).status).toBe(200);
      lc.control.setRateLimit(undefined);
      for (let i = 0; i < 5; i++) expect((await api('/api/accounts?pageSize=1')).status).toBe(200);
    } finally {
      await sims.close();
    }
  });

  it('is off unless set', async () => {
    const sims = await startSimulators({ vendors: ['leadercloud'], seed: 4, size: 20 });
    try {
      const api = await clientFor(sims.leadercloud);
      const answers = await Promise.all(Array.from({ length: 30 }, () => api('/api/accounts?pageSize=1')));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(sims.leadercloud.control.rateLimit).toBeUndefined();
    } finally {
      await sims.close();
    }
  });

  it('npm run simulators -- --rate-limit rejects a malformed rate', async () => {
    const child = spawn('node_modules/.bin/tsx', ['src/simulators/cli.ts', '--rate-limit', 'fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('--rate-limit/SIM_RATE_LIMIT must be N/MS');
  });
});

describe('Leader Cloud simulator: assets, account sync options, organization setup', () => {
  let sims: Sims;
  let api: Awaited<ReturnType<typeof clientFor>>;
  beforeAll(async () => {
    sims = await startSimulators({ vendors: ['leadercloud'], seed: 21, size: 80 });
    api = await clientFor(sims.leadercloud);
  });
  afterAll(() => sims.close());

  it('lists assets with filters and includes, and reads one; unknown ids are LeaseNotFoundError', async () => {
    const list = await api<Paged<Json & { id: string; customer: { id: number }; product: { id: string; quantity: number } }>>('/api/assets?pageSize=500');
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(5);
    const first = list.body.data[0]!;
    expect(first).toMatchObject({ provisioningStatus: expect.any(String), assetAmount: expect.any(Number), unit: 'Annual', isBackOrdering: false });
    expect(first).not.toHaveProperty('customFields');
    const one = await api<Json>(`/api/assets/${first.id}?include=customFields,characteristics`);
    expect(one.body).toMatchObject({ id: first.id, customFields: [{ group: { name: 'Asset details' } }], characteristics: [{ groups: expect.any(Array) }] });
    const active = await api<Paged<{ status: string }>>(`/api/assets?pageSize=500&$filter=${enc("status eq 'Active'")}`);
    expect(active.body.data.every((a) => a.status === 'Active')).toBe(true);
    expect(active.body.paging.totalRecords).toBeLessThan(list.body.paging.totalRecords + 1);
    const missing = await api<Json>('/api/assets/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'LeaseNotFoundError', entity: 'Asset', developerMessage: "Asset with id '00000000-0000-4000-8000-000000000000' was not found!" });
    expect((await api('/api/assets?include=everything')).status).toBe(400);
  });

  it('reads and saves account sync options, and synchronizes an account with an external system', async () => {
    const systems = await api<{ data: Array<{ id: number; code: string; isActive: boolean }>; paging: Json }>('/api/organization/externalSystems');
    expect(systems.body.data.map((s) => s.code)).toEqual(['MSCSP', 'ACRONIS', 'DROPBOX', 'XERO']);
    expect(systems.body.paging).toMatchObject({ page: 1, totalCount: 4, isPageIndexValid: true });

    const account = 1001;
    const before = await api<{ systems: Array<{ id: number; options: Array<{ alias: string; value?: string; isMandatory: boolean }> }> }>(`/api/accounts/${account}/syncoptions/3`);
    expect(before.status).toBe(200);
    expect(before.body.systems).toHaveLength(1);
    const saved = await api<{ id: number; options: Array<{ alias: string; value?: string }> }>(`/api/accounts/${account}/syncoptions/3`, {
      method: 'POST',
      body: [{ alias: 'teamname', value: 'Team Blue' }],
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ id: 3, code: 'DROPBOX', options: [{ alias: 'TeamName', value: 'Team Blue', isMandatory: true }] });
    const synced = await api<Json>(`/api/accounts/${account}/synchronizations/3`, { method: 'POST' });
    expect(synced.body).toEqual({ success: true, syncStatus: 'Completed successfully' });

    await api(`/api/accounts/${account}/syncoptions/3`, { method: 'POST', body: [{ alias: 'TeamName', value: '' }] });
    const failed = await api<Json>(`/api/accounts/${account}/synchronizations/3`, { method: 'POST' });
    expect(failed.body).toMatchObject({ success: false, syncStatus: 'Failed', error: { code: 1, message: expect.stringContaining('Team name') } });
    const inactive = await api<Json>(`/api/accounts/${account}/synchronizations/4`, { method: 'POST' });
    expect(inactive.body).toMatchObject({ success: false, error: { code: 2 } });

    const badAlias = await api<Json>(`/api/accounts/${account}/syncoptions/1`, { method: 'POST', body: [{ alias: 'Colour', value: 'x' }] });
    expect(badAlias.status).toBe(400);
    expect((await api(`/api/accounts/${account}/syncoptions/1`, { method: 'POST', body: { alias: 'TenantDomain' } })).status).toBe(400);
    const unknownSystem = await api<Json>(`/api/accounts/${account}/syncoptions/99`);
    expect(unknownSystem.status).toBe(404);
    expect(unknownSystem.body).toMatchObject({ code: 'ExternalSystemNotFoundError', entity: 'ExternalSystem', value: '99' });
    expect((await api('/api/accounts/999999/syncoptions/1')).status).toBe(404);
  });

  it('serves the custom field definitions of accounts, invoices and products, and unit groups with their units', async () => {
    const accountFields = await api<{ data: Array<{ id: number; name: string; isUnique: boolean; isReadOnly: boolean }> }>('/api/organization/accounts/customfields');
    expect(accountFields.body.data.map((f) => f.name)).toEqual(['External ID', 'Tax number', 'PSA company ID', 'Microsoft tenant ID']);
    expect(accountFields.body.data[0]).toMatchObject({ isUnique: true, editableInStorefront: true, valueDetails: { type: 'Text', apiField: 'externalId' } });
    expect(accountFields.body.data[3]).toMatchObject({ isReadOnly: true });
    const invoiceFields = await api<{ data: Array<{ type: string }> }>('/api/organization/invoices/customfields');
    expect(invoiceFields.body.data.map((f) => f.type)).toEqual(['Boolean', 'SimpleValue']);
    const productFields = await api<{ data: Array<{ id: number }> }>(`/api/organization/products/customfields?$filter=${enc('isReadOnly eq true')}&$orderby=${enc('id desc')}`);
    expect(productFields.body.data.map((f) => f.id)).toEqual([502, 501]);

    const groups = await api<{ data: Array<{ id: number; name: string; units?: Array<{ id: string; name: string }> }> }>('/api/organization/unitGroups?include=units');
    expect(groups.body.data.map((g) => g.name)).toEqual(['Recurring Charge', 'One Time Charge']);
    const products = await api<Paged<{ unitGroup: { id: number } }>>('/api/products?pageSize=1');
    expect(groups.body.data[0]?.id).toBe(products.body.data[0]?.unitGroup.id);
    const pricing = await api<{ prices: Array<{ units: Array<{ id: string }> }> }>(`/api/products/${(products.body.data[0] as unknown as { id: string }).id}/pricing`);
    const unitIds = new Set(groups.body.data[0]?.units?.map((u) => u.id));
    expect(pricing.body.prices[0]?.units.every((u) => unitIds.has(u.id))).toBe(true);
    const plain = await api<{ data: Json[] }>('/api/organization/unitGroups');
    expect(plain.body.data[0]).not.toHaveProperty('units');
  });
});
