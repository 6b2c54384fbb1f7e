/**
 * What the Ingram simulator's two profiles do differently, over real HTTP, on the same
 * seed: `documented` (the default) serves customer and reseller list rows with only the
 * fields the docs show in a list and caps every page at DOCUMENTED_PAGE_CAP rows whatever
 * `limit` asks for; `extended` serves full rows and pages of up to MAX_LIMIT (400 above).
 * Everything else (the other lists, details) is the same in both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulator, type SimProfile } from '../../src/simulators/index.js';
import { DOCUMENTED_PAGE_CAP, MAX_LIMIT } from '../../src/simulators/ingram/index.js';

type Json = Record<string, unknown>;
interface Page {
  data: Json[];
  pagination: { offset: number; limit: number; total: number };
}

/** The fields of a documented customer or reseller list row (the docs' list example). */
const ROW_FIELDS = ['externalId', 'id', 'name', 'status'];

describe('Ingram simulator profiles', () => {
  const running: Partial<Record<SimProfile, { stop: () => Promise<void>; get: (path: string) => Promise<Response> }>> = {};

  async function open(profile: SimProfile) {
    const sims = await startSimulators({ vendors: ['ingram'], seed: 5, size: 200, profile });
    const sim: RunningSimulator = sims.ingram;
    const c = sim.credentials;
    const tokenRes = await fetch(`${sim.baseUrl}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
        'x-subscription-key': c.subscriptionKey!,
      },
      body: JSON.stringify({ marketplace: c.marketplace }),
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'x-subscription-key': c.subscriptionKey! };
    expect(sim.control.profile).toBe(profile);
    running[profile] = { stop: () => sims.close(), get: (path) => fetch(sim.baseUrl + path, { headers }) };
  }

  const get = async <T = Json>(profile: SimProfile, path: string): Promise<T> => {
    const response = await running[profile]!.get(path);
    expect(response.status, `${profile} GET ${path}`).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    await open('documented');
    await open('extended');
  });
  afterAll(async () => {
    await running.documented?.stop();
    await running.extended?.stop();
  });

  describe('list rows', () => {
    for (const path of ['/customers?limit=50', '/resellers', 'reseller-customers']) {
      it(`${path}: basic details under documented, the full account under extended`, async () => {
        let list = path;
        let detailPath = path.startsWith('/resellers') ? '/resellers' : '/customers';
        if (path === 'reseller-customers') {
          const resellers = await get<Page>('documented', '/resellers');
          list = `/resellers/${String(resellers.data[0]!.id)}/customers?limit=50`;
          detailPath = '/customers';
        }
        const thin = await get<Page>('documented', list);
        const full = await get<Page>('extended', list);
        expect(thin.data.length).toBeGreaterThan(0);
        expect(thin.pagination).toEqual(full.pagination);
        expect(thin.data.map((r) => r.id)).toEqual(full.data.map((r) => r.id));
        for (const [i, row] of thin.data.entries()) {
          expect(Object.keys(row).sort()).toEqual(ROW_FIELDS);
          const detail = await get('documented', `${detailPath}/${String(row.id)}`);
          // The detail has what the row lacks; the row's own values are the detail's.
          expect(detail).toMatchObject(row);
          expect(detail).toHaveProperty('address');
          expect(detail).toHaveProperty('contactPersons');
          // Under extended, the row is the detail.
          expect(full.data[i]).toEqual(await get('extended', `${detailPath}/${String(row.id)}`));
          expect(full.data[i]).toEqual(detail);
        }
      });
    }

    it('keeps the other lists as their spec list-item schemas have them, in both profiles', async () => {
      for (const path of ['/subscriptions?limit=50', '/orders?limit=50', '/products?limit=50', '/plans?limit=50', '/reports?limit=50']) {
        const documented = await get<Page>('documented', path);
        const extended = await get<Page>('extended', path);
        expect(documented, path).toEqual(extended);
        expect(documented.data.length, path).toBeGreaterThan(0);
      }
      // Subscription list items are `Subscription` (no products); only the detail has them.
      const row = (await get<Page>('documented', '/subscriptions?limit=1')).data[0]!;
      expect(row).not.toHaveProperty('products');
      expect(await get('documented', `/subscriptions/${String(row.id)}`)).toHaveProperty('products');
    });
  });

  describe('page size', () => {
    it('caps every page at the gateway cap under documented: fewer rows, no error, pagination.limit says so', async () => {
      const total = (await get<Page>('documented', '/customers?limit=1')).pagination.total;
      expect(total).toBe(109);
      for (const limit of [DOCUMENTED_PAGE_CAP, DOCUMENTED_PAGE_CAP + 1, MAX_LIMIT, MAX_LIMIT + 1, 5000]) {
        const page = await get<Page>('documented', `/customers?limit=${limit}`);
        expect(page.data, `limit=${limit}`).toHaveLength(DOCUMENTED_PAGE_CAP);
        expect(page.pagination).toEqual({ offset: 0, limit: DOCUMENTED_PAGE_CAP, total });
      }
      // Below the cap, limit is what was asked; the default is 10.
      expect((await get<Page>('documented', '/customers?limit=30')).pagination.limit).toBe(30);
      expect((await get<Page>('documented', '/customers')).data).toHaveLength(10);
      // A short page is not the end: the rest is at offset + rows received.
      const rest = await get<Page>('documented', `/customers?offset=${DOCUMENTED_PAGE_CAP}&limit=1000`);
      expect(rest.data).toHaveLength(total - DOCUMENTED_PAGE_CAP);
      expect(rest.pagination).toEqual({ offset: DOCUMENTED_PAGE_CAP, limit: DOCUMENTED_PAGE_CAP, total });
      // Every list is capped the same way.
      for (const path of ['/subscriptions', '/orders']) {
        const page = await get<Page>('documented', `${path}?limit=1000`);
        expect(page.pagination.total, path).toBeGreaterThan(DOCUMENTED_PAGE_CAP);
        expect(page.data, path).toHaveLength(DOCUMENTED_PAGE_CAP);
      }
      // limit still has the spec's minimum of 1.
      expect((await running.documented!.get('/customers?limit=0')).status).toBe(400);
    });

    it('serves up to MAX_LIMIT rows a page under extended, and answers 400 above it', async () => {
      const page = await get<Page>('extended', `/customers?limit=${MAX_LIMIT}`);
      expect(page.data).toHaveLength(page.pagination.total);
      expect(page.pagination).toEqual({ offset: 0, limit: MAX_LIMIT, total: 109 });
      for (const limit of [MAX_LIMIT + 1, 5000]) {
        const response = await running.extended!.get(`/subscriptions?limit=${limit}`);
        expect(response.status, `limit=${limit}`).toBe(400);
        expect(((await response.json()) as Json).status).toBe(400);
      }
    });
  });
});
