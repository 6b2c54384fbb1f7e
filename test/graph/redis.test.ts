/**
 * Idempotency keys in a real Redis, shared by two gateway instances over the same vendor:
 * a replay on the other instance answers the first outcome and writes nothing more, and a
 * different input under the same key is refused there too.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorVendorConfig } from '../../src/demo.js';
import { createGraphServer } from '../../src/server.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { suiteProfile } from '../helpers/graph.js';
import { redisServerAvailable, startRedis } from '../helpers/redis.js';

const available = redisServerAvailable();
if (!available && process.env.CI) throw new Error('redis-server is not installed: .ci/run installs it (apt-get install -y redis-server)');

describe.skipIf(!available)(`idempotency keys in Redis, across instances${available ? '' : ' (redis-server not installed: apt-get install -y redis-server)'}`, () => {
  let sims: RunningSimulators;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const instances: Array<{ app: FastifyInstance; url: string }> = [];

  beforeAll(async () => {
    redis = await startRedis();
    sims = await startSimulators({ seed: 9, size: 12, vendors: ['leadercloud'], profile: suiteProfile() });
    for (let i = 0; i < 2; i++) {
      // Each instance has its own adapters (tokens, loaders), as separate processes would.
      const { app } = await createGraphServer({ adapters: buildAdapters(simulatorVendorConfig(sims, 5_000), { simulated: true }), sandbox: false, redisUrl: redis.url });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      instances.push({ app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql` });
    }
  });
  afterAll(async () => {
    for (const i of instances) await i.app.close();
    await sims?.close();
    await redis?.stop();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
  const query = async (n: number, document: string, variables: Record<string, unknown> = {}): Promise<any> =>
    (await fetch(instances[n]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document, variables }) })).json();
  const CREATE = 'mutation($c: ID!, $k: String!) { createOrder(input: { customerId: $c, idempotencyKey: $k }) { order { id } userErrors { code } } }';
  const posts = () => sims.leadercloud!.control.stats().byRoute['POST /api/orders'] ?? 0;

  it('answers a replay on the other instance with the first order, writing once', async () => {
    const customers = (await query(0, '{ customers(first: 2) { nodes { id } } }')).data.customers.nodes as Array<{ id: string }>;
    const before = posts();
    const first = await query(0, CREATE, { c: customers[0]!.id, k: 'redis-key-0001' });
    const replay = await query(1, CREATE, { c: customers[0]!.id, k: 'redis-key-0001' });
    expect(first.data.createOrder.userErrors).toEqual([]);
    expect(replay.data.createOrder.order.id).toBe(first.data.createOrder.order.id);
    expect(posts() - before).toBe(1);
    const other = await query(1, CREATE, { c: customers[1]!.id, k: 'redis-key-0001' });
    expect(other.data.createOrder.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(posts() - before).toBe(1);
  });

  it('writes once when both instances get the same key at the same moment', async () => {
    const customer = (await query(0, '{ customers(first: 1) { nodes { id } } }')).data.customers.nodes[0].id as string;
    const before = posts();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => query(i % 2, CREATE, { c: customer, k: 'redis-key-0002' })));
    expect(new Set(answers.map((a) => a.data.createOrder.order.id)).size).toBe(1);
    expect(posts() - before).toBe(1);
  });
});
