/**
 * One concurrency limit per vendor account for the whole process, whatever the number of
 * GraphQL requests: the simulator never sees more calls at once than configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/http/client.js';
import { startGraph, type Graph } from '../helpers/graph.js';

describe('vendor concurrency across requests', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['ingram'], seed: 6, size: 40, vendorConfig: (v) => ({ ...v, ingram: { ...v.ingram!, maxConcurrency: 3 } }) });
    expect((await graph.query('{ customers(first: 1) { nodes { name } } }')).errors).toBeUndefined();
    graph.sims.ingram.control.setLatency({ fixedMs: 25 });
  });
  afterAll(() => graph.close());

  it('keeps 20 concurrent dashboards within the vendor limit of 3 calls at once', async () => {
    graph.resetCalls();
    const query = '{ subscriptions(vendor: INGRAM, first: 30) { nodes { name quantity } } }';
    const answers = await Promise.all(Array.from({ length: 20 }, () => graph.query(query)));
    for (const a of answers) expect(a.errors).toBeUndefined();
    const stats = graph.sims.ingram.control.stats();
    expect(stats.total).toBeGreaterThan(100);
    expect(stats.peakInFlight).toBe(3);
  });
});

describe('AdaptiveLimit', () => {
  it('halves on a rate limit and grows back by one per current-many successes, up to its maximum', () => {
    const limit = new AdaptiveLimit(16);
    limit.rateLimited();
    expect(limit.current).toBe(8);
    limit.rateLimited();
    limit.rateLimited();
    limit.rateLimited();
    limit.rateLimited();
    expect(limit.current).toBe(1);
    limit.succeeded();
    expect(limit.current).toBe(2);
    limit.succeeded();
    expect(limit.current).toBe(2);
    limit.succeeded();
    expect(limit.current).toBe(3);
    for (let i = 0; i < 500; i++) limit.succeeded();
    expect(limit.current).toBe(16);
  });
});
