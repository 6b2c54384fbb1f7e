/**
 * Lookahead: when a customer list selects a relation that the vendor will be asked for as a
 * whole list anyway (Leader Cloud once it refused `accountId in (...)`, i.e. the documented
 * profile), that list is requested together with the customers, not after them: the same
 * calls, one round trip less.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

const DASHBOARD = '{ customers(vendor: LEADERCLOUD, first: 20) { nodes { name subscriptions(status: ACTIVE) { nodes { name quantity } } } } }';

describe('lookahead', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'], seed: 12, size: 60 });
    expect((await graph.query(DASHBOARD)).errors).toBeUndefined(); // learns what the vendor refuses
    graph.sims.leadercloud.control.setLatency({ fixedMs: 150 });
  });
  afterAll(() => graph.close());

  it('asks for the subscriptions together with the customers where the documented form reads them whole', async () => {
    graph.resetCalls();
    const res = await graph.query(DASHBOARD);
    expect(res.errors).toBeUndefined();
    const stats = graph.sims.leadercloud.control.stats();
    expect(stats.byRoute).toEqual({ 'GET /api/accounts': 1, 'GET /api/subscriptions': 1 });
    // documented: both on the wire at once; extended: `accountId in (...)` needs the account ids first.
    expect(stats.peakInFlight).toBe(graph.profile === 'documented' ? 2 : 1);
  });
});
