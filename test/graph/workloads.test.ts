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
import { KEYS, customer360, customer360Ids, customerIdOf, licenseOverview, VENDOR_OF, workloads, type Bench, type WorkloadSpec } from '../../bench/workloads.js';
import { captureGets, sameOverview, startFloorProcess } from '../../bench/process.js';
import { startGraph, suiteProfile, type Graph } from '../helpers/graph.js';

const profile = suiteProfile();

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
    calls: async () => Object.fromEntries(KEYS.map((k) => [k, graph.sims[k].control.stats().total])) as Record<VendorKey, number>,
    reset: async () => graph.resetCalls(),
    close: () => graph.close(),
  };
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
      await bench.reset();
      await spec.run(bench);
      const calls = await bench.calls();
      for (const k of KEYS) {
        const minimum = spec.minimum[k]?.calls ?? 0;
        (seen[spec.name] ??= {})[k] = { calls: calls[k], minimum };
        (expected[spec.name] ??= {})[k] = { calls: spec.minimum[k] ? minimum : 0, minimum };
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
        await b.reset();
        await spec.run(b);
        expect({ workload: spec.name, calls: cached.calls().total }).toEqual({ workload: spec.name, calls: 0 });
      }
    } finally {
      await cached.close();
    }
  });

  it("gives the bench's hand-written floor (bench/floor.ts) the graph's GETs, and gets the graph's answer from them", async () => {
    const capture = captureGets(graph.sims.leadercloud!);
    capture.start();
    const answer = await graph.query(licenseOverview('LEADERCLOUD'), { first: 100 });
    capture.stop();
    expect(answer.errors).toBeUndefined();
    const { paths, headers } = capture.taken();
    expect(paths.length).toBe(2); // the accounts page and the active subscriptions, as the graph sends them
    const floor = await startFloorProcess({ FLOOR_ORIGIN: graph.sims.leadercloud!.origin, FLOOR_PATHS: JSON.stringify(paths), FLOOR_HEADERS: JSON.stringify(headers), FLOOR_FIRST: '100' });
    try {
      graph.resetCalls();
      const response = await fetch(floor.url, { method: 'POST', body: '{}' });
      expect(response.status).toBe(200);
      const text = await response.text();
      sameOverview(JSON.stringify(answer), text);
      expect(JSON.parse(text).data.customers.nodes.length).toBe(graph.sims.world.customersOf('leadercloud').length);
      expect(graph.calls().byVendor.leadercloud!.total).toBe(2);
      // An answer that is not the graph's fails the check (the bench then fails).
      expect(() => sameOverview(JSON.stringify(answer), JSON.stringify({ data: { customers: { nodes: [] } } }))).toThrow(/differs/);
    } finally {
      await floor.stop();
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
    // Long enough that three calls overlap however slowly this machine answers them: at 5 ms
    // a busy 2-core machine finished one Ingram call before the graph had sent the third.
    for (const s of graph.sims.all) s.control.setLatency({ fixedMs: 30 });
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
