/**
 * The graph as a deployment runs it: the build (`dist/src/main.js`, built first when stale,
 * as `npm start` does) in a child process of its own with NODE_ENV=production, configured
 * only through the environment (the README's variables), pointed at simulators that run in
 * the bench's process. Its CPU time and memory are then the graph's alone, read from
 * /proc/<pid> (Linux): `utime + stime` and `VmRSS` / `VmHWM` (the peak resident set).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { simulatorVendorConfig } from '../src/demo.js';
import { SIMULATOR_FACTORIES, createWorld, type RunningSimulator, type RunningSimulators, type SimProfile, type VendorKey } from '../src/simulators/index.js';
import { freePort, freePorts } from '../test/helpers/ports.js';

export interface GraphProcessOptions {
  /** The cross-request cache of upstream reads (`CACHE`, on by default in a deployment). */
  cache: boolean;
  /** The whole-response cache (`RESPONSE_CACHE`, on by default). */
  responseCache: boolean;
  /** Extra environment, e.g. `<VENDOR>_MAX_CONCURRENCY`. */
  env?: Record<string, string>;
}

export interface GraphProcess {
  url: string;
  pid: number;
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number;
  /** Resident memory now and at its peak, in MiB. */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICK_MS = 10;


/** The README's vendor variables for running simulators. */
export function vendorEnv(sims: RunningSimulators): Record<string, string> {
  const v = simulatorVendorConfig(sims, 60_000);
  const env: Record<string, string> = {};
  const put = (prefix: string, values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined || value === null) continue;
      env[`${prefix}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = String(value);
    }
  };
  if (v.leadercloud) put('LEADERCLOUD', v.leadercloud);
  if (v.cloudmore) put('CLOUDMORE', v.cloudmore);
  if (v.ingram) put('INGRAM', v.ingram);
  return env;
}

function stat(pid: number): string {
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}

let built = false;
/** `dist/` as `npm start` would run it: built when its sources changed (scripts/build-if-stale.mjs). */
function buildOnce(): void {
  if (built) return;
  const result = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
  built = true;
}

/** Starts the graph and waits until /healthz answers (at most 60 s). */
export async function startGraphProcess(sims: RunningSimulators, options: GraphProcessOptions): Promise<GraphProcess> {
  buildOnce();
  const port = await freePort();
  return startServerProcess('graph', ['dist/src/main.js'], port, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    AUTH_MODE: 'off',
    LOG_LEVEL: 'warn',
    SIMULATORS: 'off',
    DASHBOARD: 'off',
    RATE_LIMIT_PER_MINUTE: '1000000',
    CACHE: options.cache ? 'on' : 'off',
    RESPONSE_CACHE: options.responseCache ? 'on' : 'off',
    ...vendorEnv(sims),
    ...options.env,
  });
}

/** The hand-written floor (bench/floor.ts) in a process of its own, measured like the graph. */
export async function startFloorProcess(env: Record<string, string>): Promise<GraphProcess> {
  const port = await freePort();
  return startServerProcess('floor', ['--import', 'tsx', 'bench/floor.ts'], port, { NODE_ENV: 'production', PORT: String(port), ...env });
}

async function startServerProcess(name: string, args: string[], port: number, env: Record<string, string>): Promise<GraphProcess> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${name} process exited (${child.exitCode}): ${stderr}`);
    const up = await fetch(url.replace(/graphql$/, 'healthz')).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${name} process did not start within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid,
    cpuMs() {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    },
    memory() {
      const s = stat(pid);
      const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
      return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
    },
    stop: () => stopChild(child),
  };
}

/**
 * Records the GETs a simulator receives while started, and the headers they carried (the
 * vendor's: credentials, API version), by wrapping its control's `record` (bench only: the
 * simulator keeps no credentials in what it records).
 */
export function captureGets(simulator: RunningSimulator) {
  const control = simulator.control;
  const record = control.record.bind(control);
  const paths: string[] = [];
  let headers: Record<string, string> = {};
  let on = false;
  const PER_CONNECTION = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'user-agent', 'x-request-id', 'x-correlation-id', 'traceparent', 'tracestate']);
  control.record = (method, url, received) => {
    if (on && method.toUpperCase() === 'GET') {
      paths.push(url);
      headers = Object.fromEntries(Object.entries(received ?? {}).filter(([name, value]) => !PER_CONNECTION.has(name) && typeof value === 'string')) as Record<string, string>;
    }
    record(method, url, received);
  };
  return {
    start: () => void (on = true),
    stop: () => void (on = false),
    taken: () => {
      if (!paths.length) throw new Error('the floor: no vendor GET was captured');
      return { paths, headers };
    },
  };
}

/** The floor must give the graph's answer (page info aside: its cursors are the graph's own), or it would not be a floor of the same work. */
export function sameOverview(graph: string, floor: string): void {
  const nodes = (text: string) => (JSON.parse(text) as { data: { customers: { nodes: unknown[] } } }).data.customers.nodes;
  if (JSON.stringify(nodes(graph)) !== JSON.stringify(nodes(floor))) throw new Error(`the floor's answer differs from the graph's:\n${JSON.stringify(nodes(graph)).slice(0, 400)}\n${JSON.stringify(nodes(floor)).slice(0, 400)}`);
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface SimulatorProcessOptions {
  seed: number;
  size: number;
  profile: SimProfile;
  /** Fixed latency of every vendor call, in ms. */
  latencyMs: number;
}

/** The simulators, each vendor's in a process of its own: what a graph needs to reach them, their world, and their request counts. */
export interface SimulatorProcess {
  /** Enough of RunningSimulators for simulatorVendorConfig and the minimums: the world, the profile, each vendor's base URL and credentials. */
  sims: RunningSimulators & Record<VendorKey, RunningSimulator>;
  /** Vendor requests since the last reset (tokens included), per vendor, from each simulator's `/__sim/stats`. */
  calls(): Promise<Record<VendorKey, number>>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const VENDORS = Object.keys(SIMULATOR_FACTORIES) as VendorKey[];

/**
 * The simulators (the built CLI, `dist/src/simulators/cli.js`), each vendor's in a child
 * process of its own (`--vendors`), as the vendors are services of their own: building their
 * answers is not counted as the graph's time, as it would be with both on one event loop,
 * and one vendor's work does not hold another's answers back (on one event loop, building
 * one vendor's 200 KB page or writing it to its socket made the answers of the others that
 * fell due meanwhile leave 2-5 ms late). The world is made again here from the same seed and
 * size (it is deterministic) for the minimums; the base paths and credentials come from the
 * vendors' simulator factories.
 */
export async function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  buildOnce();
  const world = createWorld({ seed: options.seed, size: options.size });
  const ports = await freePorts(VENDORS.length);
  const portOf = Object.fromEntries(VENDORS.map((k, i) => [k, ports[i]!])) as Record<VendorKey, number>;
  const children = VENDORS.map((k) => {
    const args = ['dist/src/simulators/cli.js', '--vendors', k, `--${k}-port`, String(portOf[k]), '--seed', String(options.seed), '--size', String(options.size), '--profile', options.profile, '--latency', String(options.latencyMs), '--for', '3600'];
    const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' } });
    const proc = { vendor: k, child, stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => (proc.stderr = (proc.stderr + chunk.toString()).slice(-4000)));
    return proc;
  });
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c.child)));
  };
  const running: RunningSimulator[] = VENDORS.map((vendor) => {
    const simulator = SIMULATOR_FACTORIES[vendor](world, { profile: options.profile });
    const origin = `http://127.0.0.1:${portOf[vendor]}`;
    return { vendor, origin, baseUrl: origin + simulator.basePath, credentials: simulator.credentials, control: simulator.control, simulator };
  });
  const stats = (k: VendorKey, method = 'GET') => fetch(`http://127.0.0.1:${portOf[k]}/__sim/stats`, { method }).then(async (r) => {
    if (!r.ok) throw new Error(`simulator stats: ${r.status}`);
    return ((await r.json()) as { total: number }).total;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const exited = children.find((c) => c.child.exitCode !== null);
    if (exited) {
      await stop();
      throw new Error(`the ${exited.vendor} simulator process exited (${exited.child.exitCode}): ${exited.stderr}`);
    }
    const up = await Promise.all(VENDORS.map((k) => stats(k).then(() => true, () => false)));
    if (up.every(Boolean)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the simulator processes did not start within 60 s: ${children.map((c) => c.stderr).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const sims = { world, profile: options.profile, all: running, close: stop } as RunningSimulators & Record<VendorKey, RunningSimulator>;
  for (const r of running) sims[r.vendor] = r;
  return {
    sims,
    calls: async () => Object.fromEntries(await Promise.all(VENDORS.map(async (k) => [k, await stats(k)]))) as Record<VendorKey, number>,
    reset: async () => {
      await Promise.all(VENDORS.map((k) => stats(k, 'DELETE')));
    },
    stop,
  };
}
