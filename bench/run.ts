/**
 * `npm run bench`: speed and memory figures, printed as ratios measured in this one run
 * (these machines are noisy; absolute milliseconds mean little from one run to the next).
 *
 * 1. Simulator start-up: seconds per thousand world companies at two sizes, against the
 *    budget of one second per thousand (ratio < 1 is within budget), and how start-up
 *    scales from the smaller size to the larger (≈ 1 is linear).
 * 2. The graph over the simulators with a fixed upstream latency, in both simulator
 *    profiles (`documented`: only what the vendors document; `extended`: the inferred
 *    shortcuts too): how many upstream calls and how many upstream round trips' worth of
 *    wall time a dashboard query costs for 10 and for 50 customers per vendor. Batching
 *    shows as calls that do not grow with rows.
 *
 * Everything listens on 127.0.0.1 and stops by itself.
 */
import type { FastifyInstance } from 'fastify';
import { simulatorVendorConfig } from '../src/demo.js';
import { createGraphServer } from '../src/server.js';
import { startSimulators, type SimProfile, type VendorKey } from '../src/simulators/index.js';
import { buildAdapters } from '../src/vendors/registry.js';

const BUDGET_MS_PER_THOUSAND = 1000;
const SMALL = Number(process.env.BENCH_SMALL ?? 1_000);
const LARGE = Number(process.env.BENCH_LARGE ?? 10_000);
const LATENCY_MS = 20;
const ROUNDS = 5;

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function startupMs(size: number): Promise<{ ms: number; heapMiB: number; customers: number }> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const sims = await startSimulators({ seed: 1, size });
  const ms = performance.now() - started;
  globalThis.gc?.(); // what the simulators keep, not what start-up allocated on the way
  const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const customers = (['leadercloud', 'cloudmore', 'ingram'] as VendorKey[]).reduce((n, v) => n + sims.world.customersOf(v).length, 0);
  await sims.close();
  return { ms, heapMiB, customers };
}

async function simulatorStartup(): Promise<void> {
  await startupMs(100); // warm the module graph and the JIT
  const small = await startupMs(SMALL);
  const large = await startupMs(LARGE);
  const perThousand = (r: { ms: number }, size: number) => (r.ms / size) * 1000;
  console.log('\n## Simulator start-up (all three vendors, seed 1)');
  for (const [size, r] of [[SMALL, small], [LARGE, large]] as const) {
    console.log(
      `size ${size}: ${r.customers} vendor customers, ${fmt(perThousand(r, size), 0)} ms per thousand companies = ` +
        `${fmt(perThousand(r, size) / BUDGET_MS_PER_THOUSAND)} of the 1 s budget; heap +${fmt(r.heapMiB, 0)} MiB ` +
        `(${fmt((r.heapMiB * 1024) / size, 1)} KiB per company)`,
    );
  }
  console.log(`scaling ${SMALL} → ${LARGE}: per-thousand cost ratio ${fmt(perThousand(large, LARGE) / perThousand(small, SMALL))} (1 = linear)`);
}

const DASHBOARD = (vendor: string, first: number) => `{
  customers(vendor: ${vendor}, first: ${first}) {
    nodes { name subscriptions { nodes { name quantity price { amount currency } product { name sku } } } }
  }
}`;

async function graphCost(profile: SimProfile): Promise<void> {
  const sims = await startSimulators({ seed: 1, size: 400, latency: { fixedMs: LATENCY_MS }, profile });
  const adapters = buildAdapters(simulatorVendorConfig(sims, 30_000), { simulated: true });
  const { app } = await createGraphServer({ adapters, sandbox: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as FastifyInstance).server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const query = async (document: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors)}`);
  };
  try {
    console.log(`\n## Dashboard query through the graph, ${profile} profile (upstream latency ${LATENCY_MS} ms a call, median of ${ROUNDS})`);
    console.log('vendor       customers  upstream calls  wall / one round trip');
    for (const [vendor, key] of [['LEADERCLOUD', 'leadercloud'], ['CLOUDMORE', 'cloudmore'], ['INGRAM', 'ingram']] as const) {
      await query(DASHBOARD(vendor, 1)); // token, connections
      for (const first of [10, 50]) {
        const times: number[] = [];
        let calls = 0;
        for (let round = 0; round < ROUNDS; round++) {
          sims[key].control.resetStats();
          const started = performance.now();
          await query(DASHBOARD(vendor, first));
          times.push(performance.now() - started);
          calls = sims[key].control.stats().total;
        }
        console.log(`${vendor.padEnd(12)} ${String(first).padStart(9)}  ${String(calls).padStart(14)}  ${fmt(median(times) / LATENCY_MS, 1).padStart(21)}`);
      }
    }
  } finally {
    await app.close();
    await sims.close();
  }
}

await simulatorStartup();
await graphCost('documented');
await graphCost('extended');
