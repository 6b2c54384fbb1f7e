/**
 * The simulator core shared by the three vendors: control API, counting, latency, faults,
 * tokens, error shaping, and the seeded world.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimServer, listen, SimError, bearerToken } from '../../src/simulators/shared/server.js';
import { createWorld, VENDOR_KEYS } from '../../src/simulators/shared/world.js';

describe('simulator HTTP core', () => {
  const { app, control } = createSimServer({
    name: 'test',
    caseSensitive: false,
    errorBody: ({ status, code, message }) => ({ status, code, message }),
  });
  app.get('/things/:id', async (request) => {
    const token = bearerToken(request);
    if (!token || control.checkToken(token) !== 'valid') throw new SimError(401, 'Unauthorized', 'no valid token');
    const { id } = request.params as { id: string };
    if (id === 'boom') throw new Error('internal detail that must not leak');
    return { id };
  });
  app.post('/things', async (request) => ({ got: request.body }));
  /** When each POST /written was handled (its effect), by the performance clock. */
  const written: number[] = [];
  app.post('/written', async () => {
    written.push(performance.now());
    return { ok: true };
  });
  let base = '';
  let token = '';

  beforeAll(async () => {
    base = await listen(app, 0);
    token = control.issueToken('tester', 60).token;
  });
  afterAll(() => app.close());

  const get = (path: string, auth = token) => fetch(base + path, { headers: { authorization: `Bearer ${auth}` } });

  it('counts requests by route template, not by concrete path', async () => {
    control.resetStats();
    await get('/things/1');
    await get('/things/2');
    await get('/nowhere');
    const stats = control.stats();
    expect(stats.total).toBe(3);
    expect(stats.byRoute['GET /things/:id']).toBe(2);
    expect(stats.byRoute['GET (unmatched)']).toBe(1);
    const viaApi = (await (await fetch(`${base}/__sim/stats`)).json()) as { total: number };
    expect(viaApi.total).toBe(3);
    await fetch(`${base}/__sim/stats`, { method: 'DELETE' });
    expect(control.stats().total).toBe(0);
  });

  it('matches routes case-insensitively when asked to', async () => {
    expect((await get('/THINGS/7')).status).toBe(200);
  });

  it('shapes errors, unknown routes and bugs in the vendor body without leaking internals', async () => {
    const notFound = await get('/nowhere');
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ status: 404, code: 'NotFound' });
    const bug = await get('/things/boom');
    expect(bug.status).toBe(500);
    const text = await bug.text();
    expect(text).not.toContain('internal detail');
    const badJson = await fetch(`${base}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ status: 400 });
    const badEscape = await get('/things/%ZZ');
    expect(badEscape.status).toBe(400);
    expect(await badEscape.json()).toMatchObject({ status: 400, code: 'BadRequest' });
  });

  it('injects faults through the control API, with Retry-After, for a bounded number of calls', async () => {
    const added = await fetch(`${base}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 429, retryAfter: 3, times: 2, path: '^/things/' }),
    });
    expect(added.status).toBe(200);
    const first = await get('/things/1');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await get('/things/1')).status).toBe(429);
    expect((await get('/things/1')).status).toBe(200);
    const bad = await fetch(`${base}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 200 }),
    });
    expect(bad.status).toBe(400);
  });

  it('adds latency when asked and removes it on reset', async () => {
    await fetch(`${base}/__sim/latency`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixedMs: 120 }),
    });
    const started = performance.now();
    await get('/things/1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await fetch(`${base}/__sim/reset`, { method: 'POST' });
    expect(control.latency).toEqual({ fixedMs: 0, jitterMs: 0 });
  });

  it('builds the answer within the latency: a write takes effect on arrival, its answer leaves when the latency is over', async () => {
    control.setLatency({ fixedMs: 600 });
    try {
      const started = performance.now();
      const answer = await fetch(`${base}/written`, { method: 'POST' });
      const answered = performance.now();
      expect(answer.status).toBe(200);
      expect(answered - started).toBeGreaterThanOrEqual(590);
      // Handled as it arrived, not after the 600 ms (a generous margin for a busy machine).
      expect(written).toHaveLength(1);
      expect(written[0]! - started).toBeLessThan(300);
    } finally {
      control.setLatency({ fixedMs: 0 });
    }
  });

  it('expires and revokes tokens on demand, and a moved clock expires them too', async () => {
    const t1 = control.issueToken('a', 60).token;
    expect(control.checkToken(t1)).toBe('valid');
    await fetch(`${base}/__sim/tokens/expire`, { method: 'POST' });
    expect(control.checkToken(t1)).toBe('expired');
    expect((await get('/things/1', t1)).status).toBe(401);
    const t2 = control.issueToken('b', 60).token;
    await fetch(`${base}/__sim/tokens/revoke`, { method: 'POST' });
    expect(control.checkToken(t2)).toBe('revoked');
    const t3 = control.issueToken('c', 60).token;
    await fetch(`${base}/__sim/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 61_000 }),
    });
    expect(control.checkToken(t3)).toBe('expired');
    expect(control.checkToken('made-up')).toBe('unknown');
    token = control.issueToken('tester', 3600).token;
  });
});

describe('seeded world', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createWorld({ seed: 7, size: 50 });
    const b = createWorld({ seed: 7, size: 50 });
    const c = createWorld({ seed: 8, size: 50 });
    expect(JSON.stringify(a.companies)).toBe(JSON.stringify(b.companies));
    expect(JSON.stringify(a.holdings(a.companies[3]!, 'ingram'))).toBe(JSON.stringify(b.holdings(b.companies[3]!, 'ingram')));
    expect(JSON.stringify(a.companies)).not.toBe(JSON.stringify(c.companies));
  });

  it('scales to the requested size with every company at one to three vendors, some at several', () => {
    const world = createWorld({ seed: 1, size: 10_000 });
    expect(world.companies).toHaveLength(10_000);
    const perVendor = VENDOR_KEYS.map((v) => world.customersOf(v).length);
    expect(perVendor.reduce((a, b) => a + b, 0)).toBeGreaterThan(10_000);
    expect(world.companies.filter((c) => c.vendors.length === 3).length).toBeGreaterThan(500);
    for (const c of world.companies.slice(0, 200)) {
      expect(c.vendors.length).toBeGreaterThanOrEqual(1);
      expect(c.contacts.every((p) => p.email.endsWith(`@${c.domain}`))).toBe(true);
    }
    expect(new Set(world.companies.map((c) => c.externalId)).size).toBe(10_000);
  });

  it('has a realistic catalogue with decimal-string prices in three currencies', () => {
    const { catalog } = createWorld({ size: 1 });
    const basic = catalog.find((p) => p.sku === 'CFQ7TTC0LH18:0001');
    expect(basic?.prices).toEqual({ USD: '6.00', AUD: '9.30', EUR: '5.52' });
    expect(catalog.some((p) => p.usageBased)).toBe(true);
    expect(catalog.some((p) => p.addonOf !== null)).toBe(true);
  });
});
