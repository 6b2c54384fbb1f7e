/**
 * Multi-tenant mode: each API key's tenant has its own vendor credentials (here: its own
 * simulators), and tenant A can never reach tenant B's data through any path: lists,
 * node, _entities, the generic request, health, or idempotency keys.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/auth.js';
import { simulatorVendorConfig } from '../../src/demo.js';
import { createGraphServer } from '../../src/server.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { suiteProfile } from '../helpers/graph.js';

const KEY_A = 'tenant-a-key-0123456789';
const KEY_B = 'tenant-b-key-0123456789';
const KEY_NONE = 'no-tenant-key-0123456789';

describe('multi-tenant mode', () => {
  let a: RunningSimulators;
  let b: RunningSimulators;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    const vendors: Array<'leadercloud' | 'ingram'> = ['leadercloud', 'ingram'];
    a = await startSimulators({ seed: 101, size: 12, vendors, profile: suiteProfile() });
    b = await startSimulators({ seed: 202, size: 15, vendors, profile: suiteProfile() });
    const tenants = new Map([
      ['a', buildAdapters(simulatorVendorConfig(a, 5_000), { simulated: true })],
      ['b', buildAdapters(simulatorVendorConfig(b, 5_000), { simulated: true })],
    ]);
    ({ app } = await createGraphServer({
      adapters: new Map(),
      tenants,
      sandbox: false,
      auth: {
        mode: 'keys',
        keys: [
          { name: 'a', sha256: sha256(KEY_A), scopes: ['read', 'write', 'admin'], tenant: 'a' },
          { name: 'b', sha256: sha256(KEY_B), scopes: ['read', 'write', 'admin'], tenant: 'b' },
          { name: 'none', sha256: sha256(KEY_NONE), scopes: ['read'] },
        ],
      },
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  });
  afterAll(async () => {
    await app?.close();
    await a?.close();
    await b?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
  async function as(key: string, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; data?: any; errors?: any[] }> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, ...((await res.json()) as object) };
  }
  const calls = (sims: RunningSimulators) => sims.all.reduce((n, s) => n + s.control.stats().total, 0);
  const reset = () => [...a.all, ...b.all].forEach((s) => s.control.resetStats());

  const NAMES = '{ customers(first: 100) { nodes { id vendor vendorId name } } }';

  it('serves each tenant its own vendors only', async () => {
    reset();
    const resA = await as(KEY_A, NAMES);
    expect(resA.errors).toBeUndefined();
    expect(calls(b)).toBe(0);
    const resB = await as(KEY_B, NAMES);
    const names = (r: typeof resA) => new Set(r.data.customers.nodes.map((c: { name: string }) => c.name));
    const expected = (sims: RunningSimulators) =>
      new Set([...sims.world.customersOf('leadercloud'), ...sims.world.customersOf('ingram')].map((c) => c.name));
    expect(names(resA)).toEqual(expected(a));
    expect(names(resB)).toEqual(expected(b));
    expect(names(resA)).not.toEqual(names(resB));
  });

  it("never answers tenant B's objects to tenant A, by node, nodes or _entities", async () => {
    const bCustomers = (await as(KEY_B, NAMES)).data.customers.nodes as Array<{ id: string; name: string }>;
    const aNames = new Set([...a.world.customersOf('leadercloud'), ...a.world.customersOf('ingram')].map((c) => c.name));
    reset();
    const ids = bCustomers.slice(0, 20).map((c) => c.id);
    const byNodes = await as(KEY_A, 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name } } }', { ids });
    const entities = await as(KEY_A, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name } } }', {
      r: ids.map((id) => ({ __typename: 'Customer', id })),
    });
    expect(calls(b)).toBe(0);
    const found = [...(byNodes.data?.nodes ?? []), ...(entities.data?._entities ?? [])].filter(Boolean);
    // Either nothing, or tenant A's own customer that happens to have that vendor id.
    for (const customer of found) expect(aNames).toContain(customer.name);
  });

  it("sends a tenant's generic requests with its own credentials to its own vendor", async () => {
    reset();
    const res = await as(KEY_A, '{ vendorRequest(vendor: INGRAM, path: "customers", query: { limit: 2 }) { status body } }');
    expect(res.data.vendorRequest.status).toBe(200);
    expect(a.ingram!.control.stats().total).toBeGreaterThan(0);
    expect(calls(b)).toBe(0);
  });

  it('keeps idempotency keys apart: the same key in two tenants is two writes', async () => {
    const subscriptionOf = async (key: string) =>
      (await as(key, '{ subscriptions(vendor: LEADERCLOUD, first: 1, filter: { status: ACTIVE }) { nodes { id } } }')).data.subscriptions.nodes[0].id as string;
    const mutation = 'mutation($c: ID!, $k: String!) { createOrder(input: { customerId: $c, idempotencyKey: $k }) { order { id } userErrors { code message } } }';
    const customerOf = async (key: string) => (await as(key, '{ customers(vendor: LEADERCLOUD, first: 1) { nodes { id } } }')).data.customers.nodes[0].id as string;
    await subscriptionOf(KEY_A);
    reset();
    const first = await as(KEY_A, mutation, { c: await customerOf(KEY_A), k: 'shared-key-000001' });
    const second = await as(KEY_B, mutation, { c: await customerOf(KEY_B), k: 'shared-key-000001' });
    expect(first.data.createOrder.userErrors).toEqual([]);
    expect(second.data.createOrder.userErrors).toEqual([]);
    expect(a.leadercloud!.control.stats().byRoute['POST /api/orders']).toBe(1);
    expect(b.leadercloud!.control.stats().byRoute['POST /api/orders']).toBe(1);
  });

  it('refuses a key that names no tenant, before any call', async () => {
    reset();
    const res = await as(KEY_NONE, NAMES);
    expect(res.status).toBe(403);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(calls(a) + calls(b)).toBe(0);
  });
});
