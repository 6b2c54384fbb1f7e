/**
 * The exact upstream calls of each benchmark workload (bench/workloads.ts), per vendor, in
 * this suite's simulator profile (seed 3, 60 companies), against the API minimum of
 * bench/minimum.ts. Where the graph is at the minimum the test asserts the minimum; where it
 * is not, it asserts the graph's current plan (a formula over the same seed data) and says
 * how far that is from the minimum, and why. Not timed: speed lives in `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/cache.js';
import type { VendorKey } from '../../src/simulators/index.js';
import { customer360Minimum, licenseOverviewMinimum, worldData, type WorldData } from '../../bench/minimum.js';
import { GRAPH_PAGE, KEYS, customer360, customer360Ids, customerIdOf, VENDOR_OF, workloads, type Bench, type WorkloadSpec } from '../../bench/workloads.js';
import { startGraph, suiteProfile, type Graph } from '../helpers/graph.js';

const profile = suiteProfile();
const pages = (rows: number, size: number) => Math.max(1, Math.ceil(rows / size));

/** The bench's view of a test graph (errors fail the workload). */
function benchOf(graph: Graph): Bench {
  return {
    sims: graph.sims,
    url: graph.url,
    async query(document, variables = {}) {
      const r = await graph.query(document, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data;
    },
    calls: () => Object.fromEntries(KEYS.map((k) => [k, graph.sims[k].control.stats().total])) as Record<VendorKey, number>,
    routes: () => Object.fromEntries(KEYS.map((k) => [k, { ...graph.sims[k].control.stats().byRoute }])) as Record<VendorKey, Record<string, number>>,
    reset: () => graph.resetCalls(),
    close: () => graph.close(),
  };
}

/**
 * What the graph sends, where it is above the minimum (seed 3, 60 companies; the same
 * formulas hold at other sizes while a list fits one page).
 */
function graphPlan(d: WorldData, name: string, vendor: VendorKey, minimum: number): number {
  const orgs = [...d.cm.organizations.values()];
  const customServices = new Set(d.cm.services.filter((s) => s.type === 'Custom').map((s) => s.id.toLowerCase()));
  const customOf = (o: (typeof orgs)[number]) => [...o.services.keys()].filter((id) => customServices.has(id.toLowerCase())).length;
  const services = d.cm.services.length;
  if (name === 'license overview CLOUDMORE' && profile === 'documented') {
    // Organizations, services, per organization all four typed lists + its services + one
    // list per custom service it has, and every service's price list. Above the minimum:
    // the organization's services (read anyway) say which Microsoft kinds it has, so the
    // typed lists of kinds it lacks (and price lists of services nobody shows) are not needed.
    return 2 + orgs.length * 5 + orgs.reduce((n, o) => n + customOf(o), 0) + services;
  }
  if (name === 'customer 360 CLOUDMORE') {
    const org = d.cm.organizations.get(customer360Ids(d).cloudmore.toLowerCase())!;
    // The organization's detail, services, and every service's price list (the minimum:
    // only those of its subscriptions' services); documented: its four typed lists, its
    // services and its custom services' lists; extended: the reseller-level lists of every
    // organization (3 + custom services) and its Azure plan list, for one organization.
    return profile === 'documented' ? 1 + 1 + 4 + 1 + customOf(org) + services : 1 + 1 + 3 + customServices.size + 1 + services;
  }
  if (name === 'license overview INGRAM') {
    // The whole subscription list (not `?status=active`: the same page here) and the
    // catalogue (`GET /products`), though SubscriptionDetailed.products carries name and MPN: +1.
    const cap = profile === 'documented' ? 100 : 1000;
    const subs = [...d.im.subscriptions.values()];
    return pages(d.im.customers.size, cap) + pages(subs.length, cap) + subs.filter((s) => s.status === 'active').length + 1;
  }
  if (name === 'customer 360 INGRAM') return minimum + 1; // the catalogue, as above
  if (name === 'open orders' && vendor === 'leadercloud') {
    // Order rows carry `account {id, name}`, yet the graph reads the accounts for
    // `customer { id name }`: documented one whole-list page, extended one `id in (…)` per
    // alias (the two aliases resolve their customers in separate ticks).
    return minimum + (profile === 'documented' ? 1 : 2);
  }
  if (name === 'open orders' && vendor === 'ingram') {
    // One `?status=` list per alias, and `GET /customers/{id}` per distinct customer of the
    // orders shown (up to 10; the minimum: the customer list when it is one page, fewer).
    const orders = [...d.im.orders.values()];
    const shown = (s: string) => orders.filter((o) => o.status === s).slice(0, 100);
    return 2 + new Set([...shown('submitted'), ...shown('processing')].map((o) => o.customerId)).size;
  }
  if (name === 'invoices last quarter LEADERCLOUD') {
    // The graph has no invoice date filter: every invoice, pages of 200 (GRAPH_PAGE), each
    // page one invoices call and one accounts call for `customer { id name }` (the rows carry
    // `account {id, name}`). The minimum: the quarter by `invoiceDate` filter, no accounts.
    return pages(d.lc.invoices.length, GRAPH_PAGE) * 2;
  }
  return minimum;
}

describe(`workload upstream calls (${profile})`, () => {
  let graph: Graph;
  let bench: Bench;
  let data: WorldData;
  let specs: WorkloadSpec[];
  beforeAll(async () => {
    graph = await startGraph({ seed: 3, size: 60 });
    bench = benchOf(graph);
    data = worldData(graph.sims.world);
    specs = workloads(data, profile);
    for (const spec of specs) await spec.run(bench); // token, and each refused shortcut once
  });
  afterAll(() => graph.close());

  it('computes the minima from the seed data', () => {
    expect(licenseOverviewMinimum(data, 'leadercloud', profile)).toEqual({ calls: 2, trips: 1 });
    expect(licenseOverviewMinimum(data, 'cloudmore', profile).calls).toBe(profile === 'documented' ? 126 : 46);
    expect(licenseOverviewMinimum(data, 'ingram', profile).calls).toBe(69);
    expect(customer360Minimum(data, 'cloudmore', profile, customer360Ids(data).cloudmore).calls).toBe(12);
  });

  it('sends exactly the calls of each workload, per vendor', async () => {
    const seen: Record<string, Record<string, { calls: number; minimum: number }>> = {};
    const expected: typeof seen = {};
    for (const spec of specs) {
      bench.reset();
      await spec.run(bench);
      const calls = bench.calls();
      for (const k of KEYS) {
        const minimum = spec.minimum[k]?.calls ?? 0;
        (seen[spec.name] ??= {})[k] = { calls: calls[k], minimum };
        (expected[spec.name] ??= {})[k] = { calls: spec.minimum[k] ? graphPlan(data, spec.name, k, minimum) : 0, minimum };
      }
    }
    expect(seen).toEqual(expected);
  });

  it('answers a repeated workload from the cross-request cache with no upstream call', async () => {
    const cached = await startGraph({ seed: 3, size: 60, cache: new ResponseCache() });
    try {
      const b = benchOf(cached);
      const cachedSpecs = workloads(worldData(cached.sims.world), profile);
      for (const spec of cachedSpecs) {
        await spec.run(b); // refusals change the request form once
        await spec.run(b);
        b.reset();
        await spec.run(b);
        expect({ workload: spec.name, calls: cached.calls().total }).toEqual({ workload: spec.name, calls: 0 });
      }
    } finally {
      await cached.close();
    }
  });
});

describe(`vendor concurrency under 100 concurrent GraphQL requests (${profile})`, () => {
  const LIMIT = 3;
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({
      seed: 3,
      size: 60,
      vendorConfig: (v) => ({ leadercloud: { ...v.leadercloud!, maxConcurrency: LIMIT }, cloudmore: { ...v.cloudmore!, maxConcurrency: LIMIT }, ingram: { ...v.ingram!, maxConcurrency: LIMIT } }),
    });
    for (const s of graph.sims.all) s.control.setLatency({ fixedMs: 5 });
  });
  afterAll(() => graph.close());

  it(`keeps every vendor within its maxConcurrency (${LIMIT} calls at once)`, async () => {
    const ids = customer360Ids(worldData(graph.sims.world));
    const requests = Array.from({ length: 100 }, (_, i) => KEYS[i % 3]!).map((k) => graph.query(customer360(VENDOR_OF[k]), { id: customerIdOf(k, ids[k]) }));
    for (const r of await Promise.all(requests)) expect(r.errors).toBeUndefined();
    for (const s of graph.sims.all) {
      const stats = s.control.stats();
      expect({ vendor: s.vendor, peak: Math.min(stats.peakInFlight, LIMIT) }).toEqual({ vendor: s.vendor, peak: LIMIT }); // reached
      expect({ vendor: s.vendor, peakInFlight: stats.peakInFlight }).toEqual({ vendor: s.vendor, peakInFlight: LIMIT }); // never above
    }
  });
});
