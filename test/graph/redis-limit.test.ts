/**
 * Vendor concurrency shared by every instance through a real Redis (src/http/limit.ts): two
 * graph instances over the same simulators, each with maxConcurrency 3, never have more
 * than 3 calls at once at the vendor together; a Retry-After seen by one instance holds the
 * other's new calls too; a dead instance's slots free when their leases expire; and with
 * Redis gone every request still succeeds, under each instance's own limit.
 */
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/cache.js';
import { simulatorVendorConfig } from '../../src/demo.js';
import { SharedLimits } from '../../src/http/limit.js';
import { createGraphServer } from '../../src/server.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { offContractRequests } from '../helpers/client-contract.js';
import { suiteProfile } from '../helpers/graph.js';
import { redisServerAvailable, startRedis } from '../helpers/redis.js';

const available = redisServerAvailable();
if (!available && process.env.CI) throw new Error('redis-server is not installed: .ci/run installs it (apt-get install -y redis-server)');

const LIMIT = 3;
const QUERY = '{ subscriptions(vendor: INGRAM, first: 5) { nodes { name quantity } } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection as main.ts makes it for the limits: no offline queue. */
async function connect(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  redis.on('error', () => {});
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  return redis;
}

describe.skipIf(!available)(`vendor concurrency shared through Redis${available ? '' : ' (redis-server not installed: apt-get install -y redis-server)'}`, () => {
  let sims: RunningSimulators;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let admin: Redis;
  const instances: Array<{ app: FastifyInstance; url: string; redis: Redis; limits: SharedLimits }> = [];
  const connections: Redis[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    admin = await connect(redis.url);
    sims = await startSimulators({ seed: 6, size: 40, vendors: ['ingram'], profile: suiteProfile() });
    const vendors = simulatorVendorConfig(sims, 5_000);
    for (let i = 0; i < 2; i++) {
      // Each instance has its own adapters, Redis connection and limits, as separate processes would;
      // a cache that keeps nothing (CACHE=off in main.ts) gives the clients their credential fingerprint.
      const connection = await connect(redis.url);
      const limits = new SharedLimits(connection);
      const cache = new ResponseCache({ maxBytes: 1, ttls: { catalogueMs: 0, accountsMs: 0, activityMs: 0 } });
      const adapters = buildAdapters({ ingram: { ...vendors.ingram!, maxConcurrency: LIMIT } }, { simulated: true, cache, limits });
      const { app } = await createGraphServer({ adapters, sandbox: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      instances.push({ app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`, redis: connection, limits });
    }
    // Tokens first (the token requests have their own limit), then every call a little slow.
    for (let i = 0; i < 2; i++) expect((await query(i, '{ customers(first: 1) { nodes { name } } }')).errors).toBeUndefined();
    sims.ingram!.control.setLatency({ fixedMs: 25 });
  });
  afterAll(async () => {
    for (const i of instances) {
      await i.app.close();
      i.limits.close();
      i.redis.disconnect();
    }
    for (const c of connections) c.disconnect();
    admin?.disconnect();
    await sims?.close();
    await redis?.stop();
    const off = sims ? offContractRequests(sims) : [];
    if (off.length) throw new Error(`the graph sent requests outside the vendor specs:\n  ${off.join('\n  ')}`);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
  async function query(n: number, document: string): Promise<any> {
    return (await fetch(instances[n]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) })).json();
  }
  const control = () => sims.ingram!.control;

  it('keeps 60 concurrent requests over two instances within one limit of 3 calls at once', async () => {
    control().resetStats();
    const pending = Promise.all(Array.from({ length: 60 }, (_, i) => query(i % 2, QUERY)));
    // The leases while calls run: one set per credential fingerprint, and no secret in its key.
    let keys: string[] = [];
    while (!keys.length) keys = await admin.keys('cg:limit:*:leases');
    expect(keys).toEqual([expect.stringMatching(/^cg:limit:\{INGRAM:[A-Za-z0-9_-]{22}\}:leases$/)]);
    const answers = await pending;
    for (const a of answers) expect(a.errors).toBeUndefined();
    const stats = control().stats();
    expect(stats.total).toBeGreaterThan(100);
    expect(stats.peakInFlight).toBe(LIMIT); // reached, and never above
    // Every slot given back: the last releases may still be on their way to Redis (a busy
    // machine took longer than 20 ms), so wait for them, well within the 10 s a leaked lease lives.
    for (const until = Date.now() + 2_000; Date.now() < until && (await admin.zcard(keys[0]!)) > 0; ) await sleep(10);
    expect(await admin.zcard(keys[0]!)).toBe(0);
  });

  it('holds new calls on both instances while the vendor says Retry-After, and halves the shared limit', async () => {
    await admin.flushall();
    control().addFault({ status: 429, retryAfter: 1, path: 'subscriptions', times: 1 });
    const first = query(0, QUERY);
    // The 429 has reached the graph once the shared limit is halved (the simulator takes the
    // fault as the request arrives and answers it when the latency is over).
    const halved = async () => {
      const [key] = await admin.keys('cg:limit:*:state');
      return key !== undefined && Number((await admin.hgetall(key)).cur) === 1;
    };
    while (!(await halved())) await sleep(5);
    const limitedAt = Date.now();
    await sleep(20);
    const before = control().stats().total;
    const others = [query(1, QUERY), query(0, QUERY), query(1, QUERY)];
    await sleep(600);
    expect(control().stats().total).toBe(before); // nothing sent while the vendor asked to wait
    const state = await admin.hgetall((await admin.keys('cg:limit:*:state'))[0]!);
    expect(Number(state.cur)).toBe(1);
    for (const a of await Promise.all([first, ...others])) expect(a.errors).toBeUndefined();
    expect(Date.now() - limitedAt).toBeGreaterThanOrEqual(900);
  });

  it('frees the slots of an instance that died once their leases expire', async () => {
    await admin.flushall();
    const identity = 'INGRAM:lease-test-fingerprint-0';
    const dying = await connect(redis.url);
    connections.push(dying);
    const dead = new SharedLimits(dying, { leaseMs: 300 });
    const gone = dead.limitFor(identity, LIMIT);
    const held = Array.from({ length: LIMIT }, () => gone.schedule(() => new Promise<never>(() => {})));
    void held;
    while ((await admin.zcard(`cg:limit:{${identity}}:leases`)) < LIMIT) await sleep(5);
    dying.disconnect(); // no refresh, no release: as if the process died
    const alive = await connect(redis.url);
    connections.push(alive);
    const started = Date.now();
    const living = new SharedLimits(alive, { leaseMs: 300 });
    expect(await living.limitFor(identity, LIMIT).schedule(async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    dead.close();
    living.close();
  });

  it('answers every request when Redis is gone, each instance keeping its own limit', async () => {
    await redis.stop();
    for (const i of instances) while (i.redis.status === 'ready') await sleep(5);
    control().resetStats();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => query(i % 2, QUERY)));
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(control().stats().peakInFlight).toBeLessThanOrEqual(2 * LIMIT);
  });
});
