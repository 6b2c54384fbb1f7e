/**
 * `npm run bench` (issue 11): speed, upstream cost and memory, printed as ratios measured in
 * this one run (these machines are noisy; absolute milliseconds mean little between runs).
 * Everything listens on 127.0.0.1 and stops by itself (the graph processes too). Environment:
 *
 *   BENCH_LATENCY_MS (50)        fixed latency of every simulator request
 *   BENCH_SEED (1), BENCH_WORKLOAD_SIZE (200 companies: about 107 customers a vendor)
 *   BENCH_COLD_ROUNDS (15)       cold samples of a workload (its p50 and p95: 7 made p95 the slowest sample)
 *   BENCH_ROUNDS (7)             samples per new-graph / warm / cached figure
 *   BENCH_LOAD_SECONDS (4)       each autocannon run; BENCH_LOAD_CONNECTIONS (10)
 *   BENCH_CPU_REQUESTS (200)     sequential requests of the CPU figure, in BENCH_CPU_ROUNDS (5)
 *                                rounds with the graph processes taking turns (median round), after
 *   BENCH_WARMUP_REQUESTS (200) / BENCH_WARMUP_SECONDS (5), whichever ends first
 *   BENCH_SETTLE_MS (250)        idle time before a cold sample (a new graph's: after its GC)
 *   BENCH_COLD_WARMUP_RUNS (30) / BENCH_COLD_WARMUP_SECONDS (3), whichever ends first: runs of a workload before its cold samples
 *   BENCH_SIZES (100,1000,10000) customers (all vendors) of the growth table, at BENCH_GROWTH_LATENCY_MS (10)
 *   BENCH_PROFILES (documented,extended), BENCH_STARTUP (on|off), BENCH_STARTUP_SIZES (1000,10000)
 *   BENCH_SECTIONS (workloads,load,growth), BENCH_HEAP_CEILING_MB (256: the largest growth size again, heap limited, with
 *                                BENCH_SEMI_SPACE_MB (16: V8's young generation, which Node 24 grows to 3 × 64 MiB))
 *
 * 1. Simulator start-up per thousand companies against its 1 s budget.
 * 2. Per profile, each workload (bench/workloads.ts): upstream calls against the API
 *    minimum (bench/minimum.ts), cold p50/p95 (the running server with new adapters: no
 *    token, no cache, no list length seen; each document unseen, so parsed, validated and
 *    compiled in the sample; shortcut refusals are remembered per process) against the
 *    critical-path bound, the same on a new graph per sample (schema and server built,
 *    garbage-collected and settled before it), warm p50 without and with the
 *    cross-request cache (ResponseCache). Each vendor's simulator runs in a process of its
 *    own (bench/process.ts), so that building their answers counts as vendor latency, not as
 *    the graph's time, as it would with both on one event loop, and one vendor's work does
 *    not hold another's answers back.
 * 3. Per profile, the 100-customer license overview (Leader Cloud alone, as the issue
 *    measured it, then every vendor) at 0 ms upstream latency against the
 *    graph in a process of its own (bench/process.ts: `src/main.ts` configured by the
 *    environment, as deployed), with no cache, the upstream cache, and both caches (the
 *    default): upstream calls and CPU per request once warm (sequential, in rounds with the
 *    processes taking turns, the median round shown; and under load),
 *    requests/s under load (autocannon). Leader Cloud alone also has the graph with no cache
 *    and EXECUTOR=graphql-js (graphql-js for every operation, not graphql-jit), and the
 *    hand-written floor (bench/floor.ts).
 * 4. Per profile, the license overview of every customer at BENCH_SIZES, against the graph
 *    in its own process with the default caches: calls against the minimum, wall time, CPU
 *    and the graph's resident memory (peak), per customer.
 *
 * Results: bench/results/<timestamp>.json (untracked) and bench/results/latest.md (this
 * printout, tracked: the README keeps the same table).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ResponseCache } from '../src/cache.js';
import { simulatorVendorConfig } from '../src/demo.js';
import { createGraphServer } from '../src/server.js';
import { createWorld, startSimulators, type SimProfile, type VendorKey } from '../src/simulators/index.js';
import type { VendorName } from '../src/model.js';
import { buildAdapters } from '../src/vendors/registry.js';
import type { VendorAdapter } from '../src/vendors/types.js';
import { PER_REQUEST, licenseOverviewMinimum, worldData, type Minimum } from './minimum.js';
import { captureGets, sameOverview, startFloorProcess, startGraphProcess, startSimulatorProcess, type GraphProcess } from './process.js';
import { GRAPH_PAGE, KEYS, VENDOR_OF, allPages, httpBench, licenseOverview, postText, touch, workloads, type Bench, type CallCounter, type WorkloadSpec } from './workloads.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const LATENCY = env('BENCH_LATENCY_MS', 50);
const SEED = env('BENCH_SEED', 1);
const WORKLOAD_SIZE = env('BENCH_WORKLOAD_SIZE', 200);
const ROUNDS = env('BENCH_ROUNDS', 7);
/** Cold samples per workload: the targets' cold p50 and p95 (of 7 samples, p95 was the slowest, and one slow moment of the machine moved p50). */
const COLD_ROUNDS = env('BENCH_COLD_ROUNDS', 15);
const LOAD_SECONDS = env('BENCH_LOAD_SECONDS', 4);
/** Enough connections to keep a cached graph busy; an uncached request costs 50-150 ms of CPU, so many more would finish few within a few seconds. */
const LOAD_CONNECTIONS = env('BENCH_LOAD_CONNECTIONS', 10);
const CPU_REQUESTS = env('BENCH_CPU_REQUESTS', 200);
/** The CPU figure's requests run in this many rounds, the graph processes taking turns (the median round is shown). */
const CPU_ROUNDS = env('BENCH_CPU_ROUNDS', 5);
const CPU_BATCH = Math.max(1, Math.ceil(CPU_REQUESTS / CPU_ROUNDS));
/**
 * Requests (or seconds, whichever ends first) a graph process serves before its CPU is
 * measured: V8 optimises the hot paths over the first few hundred requests, and a running
 * server is past them (its first 30 requests cost it about 1.5× the CPU of later ones).
 */
const WARMUP_REQUESTS = env('BENCH_WARMUP_REQUESTS', 200);
const WARMUP_SECONDS = env('BENCH_WARMUP_SECONDS', 5);
/** Idle time before each cold sample (a new graph's: after its full GC). */
const SETTLE_MS = env('BENCH_SETTLE_MS', 250);
/** Runs of a workload on the warm graph before its cold samples, at most (and at most so many seconds). */
const COLD_WARMUP_RUNS = env('BENCH_COLD_WARMUP_RUNS', 30);
const COLD_WARMUP_SECONDS = env('BENCH_COLD_WARMUP_SECONDS', 3);
const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
const SIZES = list('BENCH_SIZES', '100,1000,10000').map(Number);
/** The growth table's upstream latency: 10 ms by default, so that 10,000 customers (about 28,000 calls in `documented`) fit the run's time. */
const GROWTH_LATENCY = env('BENCH_GROWTH_LATENCY_MS', 10);
const PROFILES = list('BENCH_PROFILES', 'documented,extended') as SimProfile[];
const STARTUP_SIZES = list('BENCH_STARTUP_SIZES', '1000,10000').map(Number);
const SECTIONS = list('BENCH_SECTIONS', 'workloads,load,growth');
/** The growth table's largest size runs again with the graph's heap limited to this (0: not). */
const HEAP_CEILING_MB = env('BENCH_HEAP_CEILING_MB', 256);
const SEMI_SPACE_MB = env('BENCH_SEMI_SPACE_MB', 16);

const lines: string[] = [];
const out = (line = '') => {
  lines.push(line);
  console.log(line);
};
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version, latencyMs: LATENCY, seed: SEED, workloadSize: WORKLOAD_SIZE, rounds: ROUNDS, coldRounds: COLD_ROUNDS };
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const median = (xs: number[]) => pct(xs, 50);
const mib = (bytes: number) => bytes / 2 ** 20;
const table = (header: string[], rows: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out(line(header));
  for (const r of rows) out(line(r));
};

// ---- 1. simulator start-up ----------------------------------------------------------------

async function startupMs(size: number): Promise<{ ms: number; heapMiB: number; customers: number }> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const sims = await startSimulators({ seed: 1, size });
  const ms = performance.now() - started;
  globalThis.gc?.(); // what the simulators keep, not what start-up allocated on the way
  const heapMiB = mib(process.memoryUsage().heapUsed - heapBefore);
  const customers = KEYS.reduce((n, v) => n + sims.world.customersOf(v).length, 0);
  await sims.close();
  return { ms, heapMiB, customers };
}

async function simulatorStartup(): Promise<void> {
  await startupMs(100); // warm the module graph and the JIT
  const runs = [];
  for (const size of STARTUP_SIZES) runs.push({ size, ...(await startupMs(size)) });
  out('## Simulator start-up (all three vendors, seed 1)');
  for (const r of runs) {
    const perThousand = (r.ms / r.size) * 1000;
    out(`size ${r.size}: ${r.customers} vendor customers, ${fmt(perThousand, 0)} ms per thousand companies = ${fmt(perThousand / 1000)} of the 1 s budget; heap +${fmt(r.heapMiB, 0)} MiB (${fmt((r.heapMiB * 1024) / r.size, 1)} KiB per company)`);
  }
  results.startup = runs;
}

// ---- graphs over running simulators -----------------------------------------------------

type Sims = Awaited<ReturnType<typeof startSimulators>>;

/** New adapters over running simulators: no token, no list length seen (a shortcut refusal is the process's). */
const newAdapters = (sims: Sims, cache?: ResponseCache) => buildAdapters(simulatorVendorConfig(sims, 60_000), { simulated: true, cache });

/** A graph served in this process; `adapters` is the map its requests read (coldState swaps them). */
type ServedGraph = Bench & { adapters: Map<VendorName, VendorAdapter> };

/** A graph in this process (new adapters) over running simulators. */
async function graphOver(sims: Sims, counter: CallCounter, cache?: ResponseCache): Promise<ServedGraph> {
  const adapters = new Map(newAdapters(sims, cache));
  const { app } = await createGraphServer({ adapters, sandbox: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as FastifyInstance).server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  return { ...httpBench(sims, url, counter), adapters, close: () => app.close() };
}

let coldSamples = 0;

/**
 * The graph `graph` as a cold sample meets it: new adapters (no token, so the sample logs
 * in; no list length seen; no cache), and every document sent with a comment no request
 * had before (`# cold sample <n>`), so that the server parses, validates and compiles it
 * within the sample. The server, its schema and the process's compiled code are the
 * running ones, as in a deployment whose token has expired and whose caches are empty.
 */
function coldState(sims: Sims, graph: ServedGraph): Bench {
  for (const [vendor, adapter] of newAdapters(sims)) graph.adapters.set(vendor, adapter);
  const mark = `\n# cold sample ${++coldSamples}`;
  return { ...graph, query: (document, variables, headers) => graph.query(document + mark, variables, headers) };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** The cold critical-path bound of a workload, in ms: its slowest vendor (vendors run in parallel). */
function boundMs(minimum: Partial<Record<VendorKey, Minimum>>): number {
  const trips = Object.values(minimum).map((m) => (m.calls === 0 ? 0 : Math.max(m.trips, Math.ceil(m.calls / PER_REQUEST)) + 1));
  return Math.max(0, ...trips) * LATENCY;
}

// ---- 2. workloads -----------------------------------------------------------------------

async function workloadTable(profile: SimProfile): Promise<void> {
  // Each vendor's simulator in a process of its own: building their answers is the vendors' time, not the graph's.
  const apart = await startSimulatorProcess({ seed: SEED, size: WORKLOAD_SIZE, profile, latencyMs: LATENCY });
  const { sims } = apart;
  const total = async () => Object.values(await apart.calls()).reduce((a, b) => a + b, 0);
  const data = worldData(sims.world);
  const specs = workloads(data, profile);
  const uncached = await graphOver(sims, apart);
  const cache = new ResponseCache();
  const cached = await graphOver(sims, apart, cache);
  const rows: string[][] = [];
  const json: unknown[] = [];
  try {
    // Tokens, connections, shortcut refusals (a refusal changes the request form, hence the cache keys).
    for (const spec of specs) {
      await spec.run(uncached);
      await spec.run(cached);
    }
    for (const spec of specs) {
      const calls = await callsOf(uncached, spec);
      const cold: number[] = [];
      const newGraph: number[] = [];
      let firstCalls = 0;
      // A running server is past V8's optimisation of this workload's paths (about 1.5× the
      // CPU over the first few hundred requests, see the load section): the warm graph runs
      // it first, up to BENCH_COLD_WARMUP_RUNS times or BENCH_COLD_WARMUP_SECONDS.
      const warmUntil = performance.now() + COLD_WARMUP_SECONDS * 1000;
      for (let i = 0; i < COLD_WARMUP_RUNS && performance.now() < warmUntil; i++) await spec.run(uncached);
      const running = new Map(uncached.adapters);
      for (let i = 0; i < COLD_ROUNDS; i++) {
        // Cold: the running server in its cold state (coldState), after a pause.
        const sample = coldState(sims, uncached);
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        await apart.reset();
        cold.push(await timed(() => spec.run(sample)));
        if (i === 0) firstCalls = await total();
      }
      for (let i = 0; i < ROUNDS; i++) {
        // New graph: a server built for the sample (schema, plugins, adapters), as the bench
        // measured cold up to 2026-12-03, after the cold samples (its GC would deoptimise the
        // code they run). The bench's own connection to it is opened first (a
        // static /healthz, which asks no vendor anything): the sample times the graph, not
        // the client's TCP connect. Building the schema leaves garbage behind: collected
        // before the sample, then the pause. That GC deoptimises V8's optimised code that
        // embeds an object it collected (V8's "weak objects"), and the new schema's objects
        // fail the checks of code optimised for the last one, so the sample also times V8
        // optimising the hot paths again, which no deployment does per request (README).
        const fresh = await graphOver(sims, apart);
        await touch(fresh.url.replace(/graphql$/, 'healthz'));
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        await apart.reset();
        newGraph.push(await timed(() => spec.run(fresh)));
        await fresh.close();
      }
      // The running graph gets its warm adapters back.
      for (const [vendor, adapter] of running) uncached.adapters.set(vendor, adapter);
      const warm: number[] = [];
      for (let i = 0; i < ROUNDS; i++) warm.push(await timed(() => spec.run(uncached)));
      await spec.run(cached); // fills the cache
      await apart.reset();
      const hot: number[] = [];
      for (let i = 0; i < ROUNDS; i++) hot.push(await timed(() => spec.run(cached)));
      const cachedCalls = await total();
      const bound = boundMs(spec.minimum);
      const vendors = Object.keys(spec.minimum) as VendorKey[];
      vendors.forEach((k, i) => {
        const m = spec.minimum[k]!;
        const timing = i === 0 ? [fmt(pct(cold, 50), 0), fmt(pct(cold, 95), 0), fmt(bound, 0), fmt(pct(cold, 50) / bound), fmt(pct(newGraph, 50), 0), fmt(pct(warm, 50), 0), fmt(pct(hot, 50), 1), String(cachedCalls)] : ['', '', '', '', '', '', '', ''];
        rows.push([i === 0 ? spec.name : '', VENDOR_OF[k], String(calls[k]), String(m.calls), m.calls ? fmt(calls[k] / m.calls) : calls[k] ? 'inf' : '1.00', ...timing]);
      });
      json.push({ workload: spec.name, calls, minimum: spec.minimum, firstRunCalls: firstCalls, coldMs: cold, newGraphColdMs: newGraph, boundMs: bound, warmMs: warm, cachedMs: hot, cachedCalls });
    }
  } finally {
    await uncached.close();
    await cached.close();
    await sims.close();
  }
  out();
  out(`## Workloads, ${profile} profile (seed ${SEED}, ${WORKLOAD_SIZE} companies, upstream latency ${LATENCY} ms a call, ${COLD_ROUNDS} cold samples, ${ROUNDS} of the others)`);
  table(['workload', 'vendor', 'calls', 'minimum', 'ratio', 'cold p50', 'cold p95', 'bound', 'p50/bound', 'new graph p50', 'warm p50', 'cached p50', 'cached calls'], rows);
  (results.workloads ??= {} as Record<string, unknown>);
  (results.workloads as Record<string, unknown>)[profile] = json;
}

async function callsOf(bench: Bench, spec: WorkloadSpec): Promise<Record<VendorKey, number>> {
  await bench.reset();
  await spec.run(bench);
  return bench.calls();
}

// ---- 3. load, CPU -----------------------------------------------------------------------

/** The smallest world whose vendors (or one of them) have at least `customers` customers between them. */
function sizeFor(customers: number, vendor?: VendorKey): number {
  const keys = vendor ? [vendor] : KEYS;
  let size = Math.ceil(customers / (vendor ? 0.6 : 1.6));
  while (keys.reduce((n, k) => n + createWorld({ seed: SEED, size }).customersOf(k).length, 0) < customers) size = Math.ceil(size * 1.02) + 1;
  return size;
}

/**
 * The load figures' query: the 100-customer license overview, first of Leader Cloud alone
 * (the issue's own measurement: 101 customers, 0 ms upstream latency), then across every
 * vendor (where Ingram's one GET per subscription makes the upstream calls dominate).
 */
const LOAD_SCENARIOS: Array<{ label: string; vendor?: VendorKey }> = [
  { label: 'Leader Cloud', vendor: 'leadercloud' },
  { label: 'every vendor' },
];

interface LoadMode {
  name: string;
  cache: boolean;
  responseCache: boolean;
}
/** The row of the graph with EXECUTOR=graphql-js (Leader Cloud alone, after the modes). */
const GRAPHQL_JS = 'no cache, graphql-js';
/** The row of the hand-written floor (bench/floor.ts, Leader Cloud alone). */
const FLOOR = 'hand-written floor';
/** The deployment default last: both caches on. */
const LOAD_MODES: LoadMode[] = [
  { name: 'no cache', cache: false, responseCache: false },
  { name: 'upstream cache', cache: true, responseCache: false },
  { name: 'both caches (default)', cache: true, responseCache: true },
];

interface LoadResult {
  requests: { total: number };
  duration: number;
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/**
 * autocannon (its CLI, `--json`) in a process of its own, so that the load generator does
 * not share an event loop with the simulators: POSTs `body` to `url` for LOAD_SECONDS.
 */
async function loadTest(url: string, body: string): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-'));
  const input = join(dir, 'body.json');
  writeFileSync(input, body);
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [cli, '--json', '-c', String(LOAD_CONNECTIONS), '-d', String(LOAD_SECONDS), '-m', 'POST', '-H', 'content-type=application/json', '-i', input, url];
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, args, { maxBuffer: 64 * 2 ** 20, timeout: (LOAD_SECONDS + 30) * 1000 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    return JSON.parse(stdout) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POSTs a query to a graph process (the bench's client); fails on any error. */
async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  const { status, text } = await postText(url, body, headers);
  if (status < 200 || status >= 300 || text.includes('"errors"')) throw new Error(`bench query failed: ${text.slice(0, 600)}`);
  return text;
}

/**
 * The 100-customer license overview (of one scenario: LOAD_SCENARIOS) at 0 ms upstream latency, against the
 * graph in a process of its own (bench/process.ts) in each cache mode: CPU per request over
 * sequential requests, upstream calls per request, then requests/s under autocannon (in a
 * process of its own).
 */
async function loadAndCpu(profile: SimProfile, scenario: (typeof LOAD_SCENARIOS)[number]): Promise<void> {
  const sims = await startSimulators({ seed: SEED, size: sizeFor(100, scenario.vendor), profile });
  const body = JSON.stringify({ query: licenseOverview(scenario.vendor ? VENDOR_OF[scenario.vendor] : null), variables: { first: 100 } });
  const rows: string[][] = [];
  const json: Record<string, unknown> = {};
  const totalCalls = () => KEYS.reduce((n, k) => n + sims[k].control.stats().total, 0);
  // Leader Cloud alone: the GETs the graph sends for one request with no cache, for the floor (bench/floor.ts) to send too.
  const floorCapture = scenario.vendor === 'leadercloud' ? captureGets(sims.leadercloud) : undefined;
  let graphAnswer = '';
  const subjects: Array<{ name: string; server: GraphProcess; cpu: number[]; wall: number[]; calls: number[] }> = [];
  const add = (name: string, server: GraphProcess) => subjects.push({ name, server, cpu: [], wall: [], calls: [] });
  try {
    for (const mode of LOAD_MODES) {
      const graph = await startGraphProcess(sims, mode);
      add(mode.name, graph);
      if (floorCapture && !mode.cache) {
        await post(graph.url, body); // the token
        floorCapture.start();
        graphAnswer = await post(graph.url, body);
        floorCapture.stop();
      }
    }
    if (floorCapture) {
      // The same graph with graphql-js executing every operation (src/executor.ts).
      add(GRAPHQL_JS, await startGraphProcess(sims, { cache: false, responseCache: false, env: { EXECUTOR: 'graphql-js' } }));
      const { paths, headers } = floorCapture.taken();
      const floor = await startFloorProcess({ FLOOR_ORIGIN: sims.leadercloud.origin, FLOOR_PATHS: JSON.stringify(paths), FLOOR_HEADERS: JSON.stringify(headers), FLOOR_FIRST: '100' });
      add(FLOOR, floor);
      sameOverview(graphAnswer, await post(floor.url, body));
    }
    // Tokens, refusals, caches filled; then V8's optimisations, as in a server that has been running.
    for (const { server } of subjects) {
      const warmUntil = performance.now() + WARMUP_SECONDS * 1000;
      for (let i = 0; i < WARMUP_REQUESTS && (i < 3 || performance.now() < warmUntil); i++) await post(server.url, body);
    }
    // CPU per request: rounds of sequential requests, the processes taking turns (each round
    // in another order), so that a noisy moment of the machine falls on every row alike and
    // the ratios between rows hold; each row shows its median round.
    for (let round = 0; round < CPU_ROUNDS; round++) {
      for (let j = 0; j < subjects.length; j++) {
        const subject = subjects[(j + round) % subjects.length]!;
        const calls0 = totalCalls();
        const cpu0 = subject.server.cpuMs();
        const started = performance.now();
        for (let i = 0; i < CPU_BATCH; i++) await post(subject.server.url, body);
        subject.wall.push((performance.now() - started) / CPU_BATCH);
        subject.cpu.push((subject.server.cpuMs() - cpu0) / CPU_BATCH);
        subject.calls.push((totalCalls() - calls0) / CPU_BATCH);
      }
    }
    for (const { name, server, cpu, wall, calls } of subjects) {
      const loadCpu0 = server.cpuMs();
      const result = await loadTest(server.url, body);
      const failed = result.non2xx + result.errors;
      const perSecond = result.requests.total / result.duration;
      // CPU per request under load, as the issue measured it (20 connections then, LOAD_CONNECTIONS now).
      const loadCpuMs = (server.cpuMs() - loadCpu0) / Math.max(1, result.requests.total);
      const [cpuMs, wallMs, callsPer] = [median(cpu), median(wall), median(calls)];
      rows.push([name, fmt(callsPer, 1), fmt(wallMs, 1), fmt(cpuMs, 1), fmt(loadCpuMs, 1), fmt(perSecond, 0), fmt(result.latency.p50, 0), fmt(result.latency.p99, 0), String(failed), fmt(server.memory().peakMiB, 0)]);
      json[name] = { upstreamCallsPerRequest: callsPer, sequentialMs: wallMs, cpuMsPerRequest: cpuMs, cpuMsRounds: cpu, cpuMsPerRequestUnderLoad: loadCpuMs, requestsPerSecond: perSecond, p50: result.latency.p50, p99: result.latency.p99, failed, peakRssMiB: server.memory().peakMiB };
    }
  } finally {
    for (const { server } of subjects) await server.stop();
    await sims.close();
  }
  type Row = { upstreamCallsPerRequest: number; cpuMsPerRequest: number; cpuMsPerRequestUnderLoad: number; requestsPerSecond: number };
  const [none, upstream, both] = LOAD_MODES.map((m) => json[m.name] as Row) as [Row, Row, Row];
  const perCall = (none.cpuMsPerRequest - upstream.cpuMsPerRequest) / Math.max(1, none.upstreamCallsPerRequest);
  out();
  out(`## 100-customer license overview, ${scenario.label}, ${profile} profile: the graph in its own process (0 ms upstream latency; after ${WARMUP_REQUESTS} requests or ${WARMUP_SECONDS} s of warm-up, ${CPU_ROUNDS} rounds of ${CPU_BATCH} sequential requests, the processes taking turns (the median round shown), then autocannon ${LOAD_CONNECTIONS} connections × ${LOAD_SECONDS} s)`);
  table(['graph', 'calls/request', 'sequential ms', 'CPU ms/request', 'CPU under load', 'requests/s', 'p50 ms', 'p99 ms', 'failed', 'peak RSS MiB'], rows);
  out(`CPU ms/request of each round: ${subjects.map((x) => `${x.name} ${x.cpu.map((v) => fmt(v, 1)).join(' / ')}`).join('; ')}`);
  out(`both caches / no cache: ${fmt(both.requestsPerSecond / none.requestsPerSecond, 1)}× the requests/s; CPU per upstream call ${fmt(perCall, 2)} ms ((no cache − upstream cache) / calls); graph CPU with no upstream call ${fmt(upstream.cpuMsPerRequest, 1)} ms a request`);
  const js = json[GRAPHQL_JS] as Row | undefined;
  if (js) out(`no cache: graphql-jit (the default, src/executor.ts) / graphql-js: ${fmt(none.cpuMsPerRequest / js.cpuMsPerRequest)}× the CPU a request sequentially, ${fmt(none.cpuMsPerRequestUnderLoad / js.cpuMsPerRequestUnderLoad)}× under load, ${fmt(none.requestsPerSecond / js.requestsPerSecond)}× the requests/s`);
  const floor = json[FLOOR] as Row | undefined;
  if (floor) out(`no cache / hand-written floor (the same GETs, parse, join, answer; bench/floor.ts): ${fmt(none.cpuMsPerRequest / floor.cpuMsPerRequest)}× the CPU a request, ${fmt(floor.requestsPerSecond / none.requestsPerSecond, 1)}× fewer requests/s`);
  (results.load ??= {} as Record<string, unknown>);
  (results.load as Record<string, unknown>)[`${profile} ${scenario.label}`] = { ...json, cpuMsPerUpstreamCall: perCall };
}

// ---- 4. growth --------------------------------------------------------------------------

/**
 * The license overview of every customer, vendor by vendor in pages of GRAPH_PAGE, against
 * a graph process with the default caches; `heapCeilingMiB`: that process runs with
 * `--max-old-space-size` and `--max-semi-space-size` (SEMI_SPACE_MB), as the README's Deploy
 * advises a container with a memory budget (Node 20 stops the semi-spaces at 16 MiB; Node
 * 24 lets them grow to 64 MiB, so that the old-space limit alone no longer bounds the heap).
 */
async function growthRow(profile: SimProfile, customers: number, heapCeilingMiB?: number): Promise<{ row: string[]; json: unknown }> {
  const size = sizeFor(customers);
  const sims = await startSimulators({ seed: SEED, size, profile, latency: { fixedMs: GROWTH_LATENCY } });
  const data = worldData(sims.world);
  const total = KEYS.reduce((n, k) => n + sims.world.customersOf(k).length, 0);
  const minima = Object.fromEntries(KEYS.map((k) => [k, licenseOverviewMinimum(data, k, profile).calls])) as Record<VendorKey, number>;
  const minimum = KEYS.reduce((n, k) => n + minima[k], 0);
  const semiSpaceMiB = heapCeilingMiB && SEMI_SPACE_MB > 0 ? SEMI_SPACE_MB : null;
  const env = heapCeilingMiB ? { NODE_OPTIONS: `--max-old-space-size=${heapCeilingMiB}${semiSpaceMiB ? ` --max-semi-space-size=${semiSpaceMiB}` : ''}` } : undefined;
  const proc = await startGraphProcess(sims, { cache: true, responseCache: true, env });
  const graph: Bench = { ...httpBench(sims, proc.url), close: () => proc.stop() };
  try {
    // Tokens and shortcut refusals, with `no-store`: nothing this reads stays in the caches.
    for (const k of KEYS) await graph.query(licenseOverview(VENDOR_OF[k]), { first: 1 }, { 'cache-control': 'no-store' });
    const rssBefore = proc.memory().rssMiB;
    await graph.reset();
    let shown = 0;
    const cpu0 = proc.cpuMs();
    const ms = await timed(async () => {
      for (const k of KEYS) shown += (await allPages(graph, licenseOverview(VENDOR_OF[k]), 'customers')).length;
    });
    const cpuMs = proc.cpuMs() - cpu0;
    const peak = proc.memory().peakMiB;
    const byVendor = await graph.calls();
    const calls = KEYS.reduce((n, k) => n + byVendor[k], 0);
    const perVendor = KEYS.map((k) => fmt(byVendor[k] / minima[k])).join(' / ');
    const label = heapCeilingMiB ? `${total} (old space ≤ ${heapCeilingMiB}${semiSpaceMiB ? `, semi-space ≤ ${semiSpaceMiB}` : ''} MiB)` : String(total);
    return {
      row: [label, String(calls), String(minimum), fmt(calls / minimum), perVendor, fmt(calls / total), fmt(ms / 1000, 1), fmt(ms / total, 1), fmt(cpuMs / total, 2), fmt(rssBefore, 0), fmt(peak, 0)],
      json: { customers: total, heapCeilingMiB: heapCeilingMiB ?? null, semiSpaceMiB, shown, worldSize: size, calls, minimum, callsByVendor: byVendor, minimumByVendor: minima, ms, cpuMs, rssBeforeMiB: rssBefore, rssPeakMiB: peak },
    };
  } finally {
    await proc.stop();
    await sims.close();
  }
}

async function growth(profile: SimProfile): Promise<void> {
  const runs = [];
  for (const customers of SIZES) runs.push(await growthRow(profile, customers));
  // V8 grows the heap as it likes below its default limit (a share of the machine's memory):
  // the largest size again under a heap ceiling shows what the graph needs to hold.
  if (HEAP_CEILING_MB > 0 && SIZES.length) runs.push(await growthRow(profile, Math.max(...SIZES), HEAP_CEILING_MB));
  out();
  out(`## License overview of every customer, per vendor in pages of ${GRAPH_PAGE}, ${profile} profile: the graph in its own process with both caches on, the default (upstream latency ${GROWTH_LATENCY} ms a call)`);
  table(['customers', 'calls', 'minimum', 'ratio', 'LC / CM / IM', 'calls/customer', 'wall s', 'ms/customer', 'CPU ms/customer', 'graph RSS MiB', 'graph peak MiB'], runs.map((r) => r.row));
  (results.growth ??= {} as Record<string, unknown>);
  (results.growth as Record<string, unknown>)[profile] = runs.map((r) => r.json);
}

// ---- run --------------------------------------------------------------------------------

const started = performance.now();
if (process.env.BENCH_STARTUP !== 'off') await simulatorStartup();
if (SECTIONS.includes('workloads')) for (const profile of PROFILES) await workloadTable(profile);
if (SECTIONS.includes('load')) for (const profile of PROFILES) for (const scenario of LOAD_SCENARIOS) await loadAndCpu(profile, scenario);
if (SECTIONS.includes('growth')) for (const profile of PROFILES) await growth(profile);
out();
out(`total ${fmt((performance.now() - started) / 1000, 0)} s, Node ${process.version}`);

const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(new URL(`${stamp}.json`, dir), JSON.stringify({ ...results, printed: lines }, null, 2));
writeFileSync(new URL('latest.md', dir), ['```', ...lines, '```', ''].join('\n'));
console.log(`\nsaved bench/results/${stamp}.json and bench/results/latest.md`);
