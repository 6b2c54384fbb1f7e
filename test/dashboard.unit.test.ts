/**
 * The dashboard's money arithmetic (examples/spend.ts), the DASHBOARD setting, and the
 * page routes without a browser (test/browser has the real-browser tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { formatScaled, formatTotals, subscriptionCharge, summarise, toScaled, type OverviewCustomer } from '../examples/spend.js';
import { loadConfig } from '../src/config.js';
import { browserPages } from '../src/dashboard/plugin.js';

describe('decimal sums', () => {
  it('parses and formats decimals exactly, never through floats', () => {
    expect(toScaled('12.5')).toBe(12_500_000n);
    expect(toScaled('-0.01')).toBe(-10_000n);
    expect(toScaled('0.1234565')).toBe(123_457n);
    expect(toScaled('1e3')).toBeNull();
    expect(formatScaled(toScaled('0.1')! + toScaled('0.2')!)).toBe('0.30');
    expect(formatScaled(toScaled('90071992547409.93')! * 3n)).toBe('270215977642229.79');
    expect(formatScaled(toScaled('1.2345')!)).toBe('1.2345');
  });

  it('multiplies Cloudmore unit prices by the quantity, and takes the others as charged', () => {
    const price = { amount: '10.50', currency: 'EUR' };
    expect(subscriptionCharge('CLOUDMORE', { quantity: 3, price })).toEqual({ currency: 'EUR', value: toScaled('31.50') });
    expect(subscriptionCharge('INGRAM', { quantity: 3, price })).toEqual({ currency: 'EUR', value: toScaled('10.50') });
    expect(subscriptionCharge('LEADERCLOUD', { quantity: 3, price: null })).toBeNull();
  });

  it('sums per customer and per vendor, per currency, most spent first', () => {
    const sub = (amount: string, currency: string, quantity = 1) => ({ id: amount, name: null, quantity, price: { amount, currency }, product: null });
    const customers: OverviewCustomer[] = [
      { id: 'a', vendor: 'LEADERCLOUD', name: 'Alpha', externalId: null, subscriptions: { nodes: [sub('100.10', 'EUR'), sub('5', 'USD')] } },
      { id: 'b', vendor: 'CLOUDMORE', name: 'Beta', externalId: null, subscriptions: { nodes: [sub('2.25', 'EUR', 4)] } },
      { id: 'c', vendor: 'LEADERCLOUD', name: 'Gamma', externalId: null, subscriptions: { nodes: [sub('200', 'EUR')] } },
      { id: 'd', vendor: 'INGRAM', name: 'Delta', externalId: null, subscriptions: null },
    ];
    const summary = summarise(customers);
    expect(summary.currencies).toEqual(['EUR', 'USD']);
    expect(summary.customers.map((c) => [c.name, formatTotals(c.spend, summary.currencies), c.licences])).toEqual([
      ['Gamma', 'EUR 200.00', 1],
      ['Alpha', 'EUR 100.10 · USD 5.00', 2],
      ['Beta', 'EUR 9.00', 4],
      ['Delta', '—', 0],
    ]);
    expect(summary.vendors.map((v) => [v.vendor, formatTotals(v.spend, summary.currencies), v.customers, v.subscriptions])).toEqual([
      ['LEADERCLOUD', 'EUR 300.10 · USD 5.00', 2, 3],
      ['CLOUDMORE', 'EUR 9.00', 1, 1],
      ['INGRAM', '—', 1, 0],
    ]);
  });
});

describe('DASHBOARD and the page routes', () => {
  it('reads DASHBOARD=on|off and refuses anything else', () => {
    expect(loadConfig({ DASHBOARD: 'off' }).server.dashboard).toBe('off');
    expect(loadConfig({}).server.dashboard).toBeUndefined();
    expect(() => loadConfig({ DASHBOARD: 'maybe' })).toThrow(/DASHBOARD/);
  });

  it('serves the pages with a same-origin CSP, their assets, and nothing when off', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'channelgraph-pages-'));
    const { buildAssets } = await import('../src/dashboard/build.js');
    await buildAssets(dir);
    const on = Fastify();
    await on.register(browserPages, { dashboard: true, graphiql: true, assetsDir: dir });
    const off = Fastify();
    await off.register(browserPages, { dashboard: false, graphiql: false, assetsDir: dir });
    try {
      const page = await on.inject({ method: 'GET', url: '/dashboard' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.body).toContain('/dashboard/assets/dashboard.js');
      expect(page.body).not.toMatch(/https?:\/\//);
      const script = await on.inject({ method: 'GET', url: '/dashboard/assets/dashboard.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toContain('javascript');
      expect(script.body).toContain('query LicenseOverview');
      expect((await on.inject({ method: 'GET', url: '/graphiql' })).statusCode).toBe(200);
      expect((await on.inject({ method: 'GET', url: '/graphiql/assets/graphql.worker.js' })).statusCode).toBe(200);
      expect((await on.inject({ method: 'GET', url: '/dashboard/assets/../../package.json' })).statusCode).toBe(404);
      for (const url of ['/dashboard', '/graphiql', '/dashboard/assets/dashboard.js']) expect((await off.inject({ method: 'GET', url })).statusCode).toBe(404);
    } finally {
      await on.close();
      await off.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
