/**
 * Starts vendor simulators and the graph in-process, both on 127.0.0.1 over real sockets,
 * and gives tests a GraphQL client plus the simulators' upstream-call counters.
 */
import type { FastifyInstance } from 'fastify';
import { simulatorVendorConfig } from '../../src/demo.js';
import { createGraphServer, type GraphServerOptions } from '../../src/server.js';
import type { TracingOptions } from '../../src/tracing.js';
import { SIM_PROFILES, startSimulators, type SimProfile, type StartSimulatorsOptions } from '../../src/simulators/index.js';
import { offContractRequests } from './client-contract.js';
import type { AuthOptions } from '../../src/auth.js';
import type { Config } from '../../src/config.js';
import type { QueryLimits } from '../../src/limits.js';
import type { ResponseCache } from '../../src/cache.js';
import type { BrowserPagesOptions } from '../../src/dashboard/plugin.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import type { JoinOptions } from '../../src/join/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary result shapes
export interface GraphResponse<T = any> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/**
 * The simulator profile the graph suites run against: vitest runs them once per profile
 * (SIM_PROFILE is set per vitest project, see vitest.config.ts); `documented` by default.
 */
export function suiteProfile(): SimProfile {
  const value = process.env.SIM_PROFILE ?? 'documented';
  if (!SIM_PROFILES.includes(value as SimProfile)) throw new Error(`SIM_PROFILE must be one of ${SIM_PROFILES.join(', ')}`);
  return value as SimProfile;
}

export async function startGraph(
  options: StartSimulatorsOptions & {
    sandbox?: boolean;
    checkContract?: boolean;
    auth?: AuthOptions;
    introspection?: boolean;
    limits?: Partial<QueryLimits>;
    deadlineMs?: number;
    rateLimitPerMinute?: number;
    /** A cross-request cache of vendor reads (off by default in tests: they count upstream calls). */
    cache?: ResponseCache;
    /** Browser pages (/dashboard, /graphiql): see src/dashboard/plugin.ts. */
    pages?: BrowserPagesOptions;
    /** Joining the host graph (src/join): organisation type/key, mapping file, SKU aliases, prefixes. */
    join?: Partial<JoinOptions>;
    /** Changes the vendor configuration the graph is built with (e.g. a wrong password). */
    vendorConfig?: (vendors: Config['vendors']) => Config['vendors'];
    /** Observability: METRICS_TOKEN and OpenTelemetry tracing (src/observability.ts). */
    metricsToken?: string;
    tracing?: TracingOptions;
    /** The whole-response cache (src/http-cache.ts); off by default in tests, like the vendor-read cache. */
    responseCache?: GraphServerOptions['responseCache'];
    /** Redis shared by instances (idempotency keys, the response cache, persisted queries). */
    redisUrl?: string;
    /** Execution (src/executor.ts): graphql-jit by default, as deployed. */
    executor?: GraphServerOptions['executor'];
  } = {},
) {
  const sims = await startSimulators({ seed: 7, size: 40, profile: suiteProfile(), ...options });
  const vendors = simulatorVendorConfig(sims, 5_000);
  const adapters = buildAdapters(options.vendorConfig ? options.vendorConfig(vendors) : vendors, { simulated: true, cache: options.cache });
  const { app } = await createGraphServer({ adapters, sandbox: options.sandbox ?? true, auth: options.auth, introspection: options.introspection, limits: options.limits, deadlineMs: options.deadlineMs, rateLimitPerMinute: options.rateLimitPerMinute, pages: options.pages, join: options.join, metricsToken: options.metricsToken, tracing: options.tracing, responseCache: options.responseCache, redisUrl: options.redisUrl, executor: options.executor });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as FastifyInstance).server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary result shapes
  async function query<T = any>(document: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphResponse<T> & { status: number }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: document, variables }),
    });
    return { ...((await response.json()) as GraphResponse<T>), status: response.status };
  }

  /** Upstream calls served by the simulators since the last reset, per vendor and in total. */
  function calls() {
    const byVendor = Object.fromEntries(sims.all.map((s) => [s.vendor, s.control.stats()]));
    const total = sims.all.reduce((n, s) => n + s.control.stats().total, 0);
    return { total, byVendor };
  }

  function resetCalls() {
    for (const s of sims.all) s.control.resetStats();
  }

  return {
    sims,
    profile: sims.profile,
    url,
    query,
    calls,
    resetCalls,
    /** Requests the graph sent that the vendors' specs do not have (see client-contract.ts). */
    offContract: () => offContractRequests(sims),
    /**
     * Stops the graph and the simulators; then fails if the graph sent any request the
     * vendors' published specs do not define (unless `checkContract: false`).
     */
    async close() {
      await app.close();
      await sims.close();
      if (options.checkContract !== false) {
        const off = offContractRequests(sims);
        if (off.length) throw new Error(`the graph sent requests outside the vendor specs:\n  ${off.join('\n  ')}`);
      }
    },
  };
}

export type Graph = Awaited<ReturnType<typeof startGraph>>;
