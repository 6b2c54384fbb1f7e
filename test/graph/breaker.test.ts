/**
 * The circuit breaker per vendor: after repeated failures it opens and fails fast (no
 * upstream call), shows in vendors { health { circuit } }, lets one call through after its
 * reset time (half open), and closes again when the vendor answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIST = '{ customers(vendor: INGRAM, first: 3) { nodes { name } } }';

describe('circuit breaker', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({
      vendors: ['ingram'],
      seed: 5,
      size: 20,
      vendorConfig: (v) => ({ ...v, ingram: { ...v.ingram!, circuitResetMs: 600 } }),
    });
    expect((await graph.query(LIST)).errors).toBeUndefined(); // a token, cached
  });
  afterAll(() => graph.close());

  const circuit = async () => (await graph.query('{ vendors { health { circuit } } }')).data.vendors[0].health.circuit as string;

  it('opens after repeated failures, fails fast while open, and closes once the vendor is back', async () => {
    // 501 is not retried by the client: one failed call per query.
    graph.sims.ingram.control.addFault({ status: 501, path: '/customers' });
    try {
      // Ten calls in the window (one success before), nine of them failed: it opens.
      for (let i = 0; i < 9; i++) expect((await graph.query(LIST)).errors?.[0]?.extensions?.httpStatus).toBe(501);
      expect(await circuit()).toBe('OPEN');
      graph.resetCalls();
      const fast = await graph.query(LIST);
      expect(fast.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'INGRAM', retryable: true });
      expect(fast.errors?.[0]?.message).toMatch(/circuit is open/);
      expect(graph.calls().total).toBe(0);
    } finally {
      graph.sims.ingram.control.clearFaults();
    }
    await sleep(700);
    expect(await circuit()).toBe('HALF_OPEN');
    const back = await graph.query(LIST);
    expect(back.errors).toBeUndefined();
    expect(await circuit()).toBe('CLOSED');
  });

  it('does not count answers: 4xx refusals never open it', async () => {
    graph.sims.ingram.control.addFault({ status: 404, path: '/customers' });
    try {
      for (let i = 0; i < 12; i++) await graph.query(LIST);
      expect(await circuit()).toBe('CLOSED');
    } finally {
      graph.sims.ingram.control.clearFaults();
    }
  });
});
