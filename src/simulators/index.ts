/**
 * Starts the vendor simulators in-process (tests, demo mode) and reports where they listen.
 *
 *   const sims = await startSimulators({ seed: 7, size: 200 });
 *   sims.leadercloud.baseUrl  // http://127.0.0.1:41xxx
 *   sims.leadercloud.control.stats()
 *   await sims.close();
 */
import { listen } from './shared/server.js';
import type { FaultRule, LatencySettings, RateLimit, SimControl, SimProfile } from './shared/control.js';
import type { VendorSimulator, VendorSimulatorFactory } from './shared/vendor.js';
import { createWorld, type VendorKey, type World } from './shared/world.js';
import leadercloud from './leadercloud/index.js';
import cloudmore from './cloudmore/index.js';
import ingram from './ingram/index.js';

export { createWorld, type World, type VendorKey } from './shared/world.js';
export type { FaultRule, LatencySettings, RateLimit, SimProfile } from './shared/control.js';
export { SIM_PROFILES } from './shared/control.js';

export const SIMULATOR_FACTORIES: Record<VendorKey, VendorSimulatorFactory> = { leadercloud, cloudmore, ingram };

export const DEFAULT_PORTS: Record<VendorKey, number> = { leadercloud: 4101, cloudmore: 4102, ingram: 4103 };

export interface StartSimulatorsOptions {
  seed?: number;
  size?: number;
  anchor?: Date;
  /** Ports per vendor; 0 (the default in-process) picks a free port. */
  ports?: Partial<Record<VendorKey, number>>;
  host?: string;
  latency?: Partial<LatencySettings>;
  faults?: FaultRule[];
  tokenTtlSeconds?: number;
  /** Vendor behaviour: `documented` (default, only what the vendors document) or `extended`. */
  profile?: SimProfile;
  /** Throttle vendor requests above this rate (off by default; Leader Cloud answers a 403 with a retriable error body). */
  rateLimit?: RateLimit;
  /** Which simulators to start (all three by default). */
  vendors?: VendorKey[];
  /** Echo each request (headers, query string, body) into the vendors' error bodies, as a careless vendor would. */
  echoRequests?: boolean;
  /** Per vendor, credentials accepted instead of the demo ones (keyed like `credentials`; see SimControlOptions). */
  credentials?: Partial<Record<VendorKey, Record<string, string>>>;
}

export interface RunningSimulator {
  vendor: VendorKey;
  /** The origin, e.g. http://127.0.0.1:4101 (where `/__sim` lives). */
  origin: string;
  /** The API base URL a client is configured with (origin + vendor base path). */
  baseUrl: string;
  credentials: Record<string, string>;
  control: SimControl;
  simulator: VendorSimulator;
}

export interface RunningSimulators extends Partial<Record<VendorKey, RunningSimulator>> {
  world: World;
  profile: SimProfile;
  all: RunningSimulator[];
  close(): Promise<void>;
}

export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<RunningSimulators & Record<VendorKey, RunningSimulator>> {
  const world = createWorld({ seed: options.seed, size: options.size, anchor: options.anchor });
  const vendors = options.vendors ?? (Object.keys(SIMULATOR_FACTORIES) as VendorKey[]);
  const running: RunningSimulator[] = [];
  try {
    for (const vendor of vendors) {
      const simulator = SIMULATOR_FACTORIES[vendor](world, {
        latency: options.latency,
        faults: options.faults,
        tokenTtlSeconds: options.tokenTtlSeconds,
        profile: options.profile ?? 'documented',
        rateLimit: options.rateLimit,
        echoRequests: options.echoRequests,
        credentials: options.credentials?.[vendor],
      });
      const origin = await listen(simulator.app, options.ports?.[vendor] ?? 0, options.host ?? '127.0.0.1');
      running.push({
        vendor,
        origin,
        baseUrl: origin + simulator.basePath,
        credentials: simulator.credentials,
        control: simulator.control,
        simulator,
      });
    }
  } catch (error) {
    await Promise.all(running.map((r) => r.simulator.app.close()));
    throw error;
  }
  const result = {
    world,
    profile: options.profile ?? 'documented',
    all: running,
    async close() {
      await Promise.all(running.map((r) => r.simulator.app.close()));
    },
  } as RunningSimulators;
  for (const r of running) result[r.vendor] = r;
  return result as RunningSimulators & Record<VendorKey, RunningSimulator>;
}
