/**
 * Token hygiene, for every vendor, over real HTTP against the simulators (counted with
 * their `byRoute` stats, token requests included):
 *
 * - bad credentials are UPSTREAM_AUTH_FAILED (never UPSTREAM_BAD_REQUEST), on queries and
 *   in `vendors { health }`, with the vendor's reason and no secret;
 * - logins with bad credentials are bounded: 50 concurrent queries, then 50 more, then
 *   health, make exactly one token request until the back-off ends (the Date is frozen so
 *   that "until" is deterministic), and exactly one more once it has ended;
 * - health reuses the cached token: 20 health calls after the first cost no token request;
 * - an expired token under 50 concurrent queries costs exactly one token request, and every
 *   query succeeds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import type { VendorName } from '../../src/model.js';
import { startGraph, type Graph, type GraphResponse } from '../helpers/graph.js';

type VendorKey = 'leadercloud' | 'cloudmore' | 'ingram';

interface Case {
  key: VendorKey;
  vendor: VendorName;
  /** The simulator route of the token request. */
  token: string;
  /** The simulator routes one health check reads (besides a login). */
  probe: string[];
  /** What the vendor answers the token request with wrong credentials. */
  refusal: { status: number; reason: RegExp };
  /** Health's `check` names what it reads. */
  check: RegExp;
}

const CASES: Case[] = [
  {
    key: 'leadercloud',
    vendor: 'LEADERCLOUD',
    token: 'POST /oauth/token',
    probe: ['GET /api/accounts'],
    refusal: { status: 400, reason: /token request rejected \(invalid_grant: The user name or password is incorrect\)/ },
    check: /GET \/api\/accounts\?pageIndex=1&pageSize=1/,
  },
  {
    key: 'cloudmore',
    vendor: 'CLOUDMORE',
    token: 'POST /connect/token',
    probe: ['GET /api/healthcheck', 'GET /api/resellers/:resellerId/services'],
    refusal: { status: 400, reason: /token request rejected \(invalid_grant/ },
    check: /GET \/api\/healthcheck.*GET \/api\/resellers\/\{resellerId\}\/services/,
  },
  {
    key: 'ingram',
    vendor: 'INGRAM',
    token: 'POST /marketplace/:region/token',
    probe: ['GET /marketplace/:region/customers'],
    refusal: { status: 401, reason: /token request rejected \(Bad credentials/ },
    check: /GET \/customers\?offset=0&limit=1/,
  },
];

const WRONG_PASSWORD = 'wrong-password-for-tests-0123';

const withWrongPassword = (key: VendorKey) => (vendors: Config['vendors']): Config['vendors'] => {
  const config = vendors[key];
  if (!config) throw new Error(`no ${key} configuration`);
  return { ...vendors, [key]: { ...config, password: WRONG_PASSWORD } };
};

const times = (n: number) => Array.from({ length: n }, (_, i) => i);

describe.each(CASES)('$vendor tokens', (c) => {
  const listQuery = `{ customers(vendor: ${c.vendor}, first: 1) { nodes { id name } } }`;
  const healthQuery = '{ vendors { vendor health { ok check latencyMs message } } }';

  describe('with wrong credentials', () => {
    let graph: Graph;
    const byRoute = () => graph.calls().byVendor[c.key]!.byRoute;
    const logins = () => byRoute()[c.token] ?? 0;

    beforeAll(async () => {
      graph = await startGraph({ vendors: [c.key], vendorConfig: withWrongPassword(c.key) });
    });
    afterAll(async () => {
      await graph?.close();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    const expectAuthFailed = (res: GraphResponse) => {
      expect(res.data?.customers ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error!.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', vendor: c.vendor, httpStatus: c.refusal.status, retryable: false });
      expect(error!.message).toMatch(c.refusal.reason);
      expect(JSON.stringify(res)).not.toContain(WRONG_PASSWORD);
    };

    it('answers UPSTREAM_AUTH_FAILED (not BAD_REQUEST) and logs in once per back-off, however many queries and health checks ask', async () => {
      // Freeze the clock the token cache backs off on: "until the back-off ends" is then exact.
      vi.useFakeTimers({ toFake: ['Date'] });
      graph.resetCalls();

      const first = await Promise.all(times(50).map(() => graph.query(listQuery)));
      for (const res of first) expectAuthFailed(res);
      // One login for all 50 (single flight), and nothing else: no read is sent without a token.
      expect(byRoute()).toEqual({ [c.token]: 1 });

      const again = await Promise.all(times(50).map(() => graph.query(listQuery)));
      for (const res of again) expectAuthFailed(res);
      expect(logins()).toBe(1);

      // Health while backing off: at once ok: false with the refusal, and no login.
      const health = await graph.query(healthQuery);
      expect(health.errors).toBeUndefined();
      expect(health.data.vendors).toEqual([{ vendor: c.vendor, health: { ok: false, check: expect.stringMatching(c.check), latencyMs: expect.any(Number), message: expect.stringMatching(c.refusal.reason) } }]);
      expect(health.data.vendors[0].health.message).toMatch(/request failed \(HTTP \d+\)/);
      expect(health.data.vendors[0].health.message).not.toContain(WRONG_PASSWORD);
      expect(logins()).toBe(1);
      // Cloudmore's healthcheck needs no token, and is still asked; nothing else reaches a vendor.
      expect(byRoute()).toEqual(c.vendor === 'CLOUDMORE' ? { [c.token]: 1, 'GET /api/healthcheck': 1 } : { [c.token]: 1 });

      // The first back-off (1 s) ends: the next 50 queries try exactly one login again, which starts a longer back-off.
      vi.setSystemTime(Date.now() + 1_001);
      const later = await Promise.all(times(50).map(() => graph.query(listQuery)));
      for (const res of later) expectAuthFailed(res);
      expect(logins()).toBe(2);
      const healthLater = await graph.query('{ vendors { health { ok message } } }');
      expect(healthLater.data.vendors[0].health).toEqual({ ok: false, message: expect.stringMatching(c.refusal.reason) });
      expect(logins()).toBe(2);
    });
  });

  describe('with the right credentials', () => {
    let graph: Graph;
    const byRoute = () => graph.calls().byVendor[c.key]!.byRoute;
    const logins = () => byRoute()[c.token] ?? 0;

    beforeAll(async () => {
      graph = await startGraph({ vendors: [c.key] });
    });
    afterAll(async () => {
      await graph?.close();
    });

    it('checks health with the cached token: one login for the first check, none for the next 20', async () => {
      graph.resetCalls();
      const first = await graph.query(healthQuery);
      expect(first.errors).toBeUndefined();
      expect(first.data.vendors).toEqual([{ vendor: c.vendor, health: { ok: true, check: expect.stringMatching(c.check), latencyMs: expect.any(Number), message: null } }]);
      expect(byRoute()).toEqual({ [c.token]: 1, ...Object.fromEntries(c.probe.map((route) => [route, 1])) });

      graph.resetCalls();
      for (const _ of times(20)) {
        const res = await graph.query('{ vendors { health { ok message } } }');
        expect(res.data.vendors[0].health).toEqual({ ok: true, message: null });
      }
      // 20 cheap authenticated reads (Cloudmore: and 20 healthchecks), no token request.
      expect(logins()).toBe(0);
      expect(byRoute()).toEqual(Object.fromEntries(c.probe.map((route) => [route, 20])));
    });

    it('refreshes an expired token under 50 concurrent queries with exactly one token request, and every query succeeds', async () => {
      const warm = await graph.query(listQuery); // a token is cached
      expect(warm.errors).toBeUndefined();
      const expected = warm.data.customers.nodes;
      expect(expected).toHaveLength(1);

      graph.sims[c.key].control.expireTokens();
      graph.resetCalls();
      const results = await Promise.all(times(50).map(() => graph.query(listQuery)));
      for (const res of results) {
        expect(res.errors).toBeUndefined();
        expect(res.data.customers.nodes).toEqual(expected);
      }
      expect(logins()).toBe(1);

      // Health after the refresh uses the new token too.
      graph.resetCalls();
      const health = await graph.query('{ vendors { health { ok } } }');
      expect(health.data.vendors[0].health.ok).toBe(true);
      expect(logins()).toBe(0);
    });
  });
});
