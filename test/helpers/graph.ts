/**
 * Starts vendor simulators and the graph in-process, both on 127.0.0.1 over real sockets,
 * and gives tests a GraphQL client plus the simulators' upstream-call counters.
 */
import type { FastifyInstance } from 'fastify';
import { simulatorVendorConfig } from '../../src/demo.js';
import { createGraphServer } from '../../src/server.js';
import { startSimulators, type StartSimulatorsOptions } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary result shapes
export interface GraphResponse<T = any> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export async function startGraph(options: StartSimulatorsOptions & { sandbox?: boolean } = {}) {
  const sims = await startSimulators({ seed: 7, size: 40, ...options });
  const adapters = buildAdapters(simulatorVendorConfig(sims, 5_000), { simulated: true });
  const { app } = await createGraphServer({ adapters, sandbox: options.sandbox ?? true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as FastifyInstance).server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary result shapes
  async function query<T = any>(document: string, variables: Record<string, unknown> = {}): Promise<GraphResponse<T>> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document, variables }),
    });
    return (await response.json()) as GraphResponse<T>;
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
    url,
    query,
    calls,
    resetCalls,
    async close() {
      await app.close();
      await sims.close();
    },
  };
}

export type Graph = Awaited<ReturnType<typeof startGraph>>;
