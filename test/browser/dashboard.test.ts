/**
 * The dashboard page (/dashboard) in a real headless chromium, over the simulators: it
 * loads, shows every customer with the licences and spend a GraphQL query of this test
 * computes, draws its charts, calls nothing but the gateway, and asks for an API key when
 * auth is on. Saves test-artifacts/dashboard.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { sha256 } from '../../src/auth.js';
import { startGraph, type Graph, type GraphResponse } from '../helpers/graph.js';
import { artefactPath, buildTestAssets, launchBrowser, skipBrowserTests, watchPage } from '../helpers/browser.js';

const KEY = 'dashboard-test-key-0123456789abcdef';

/** The test's own query (not the page's document), every page of it. */
const CUSTOMERS = /* GraphQL */ `
  query TestCustomers($after: String) {
    customers(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name vendor subscriptions(status: ACTIVE, first: 100) { nodes { quantity price { amount currency } } } }
    }
  }
`;

interface Row {
  id: string;
  name: string;
  vendor: string;
  subscriptions: { nodes: Array<{ quantity: number | null; price: { amount: string; currency: string } | null }> } | null;
}

/** Amounts in ten-thousandths, per currency: exact for the vendors' two- to four-decimal prices. */
type Sums = Record<string, number>;
const units = (amount: string) => Math.round(Number(amount) * 10_000);

function expectedSpend(row: Row): Sums {
  const sums: Sums = {};
  for (const s of row.subscriptions?.nodes ?? []) {
    if (!s.price) continue;
    // Cloudmore reports unit prices; the others the subscription's charge (examples/spend.ts).
    const value = units(s.price.amount) * (row.vendor === 'CLOUDMORE' ? (s.quantity ?? 0) : 1);
    sums[s.price.currency] = (sums[s.price.currency] ?? 0) + value;
  }
  return sums;
}

/** "USD 1234.50 · EUR 20.00" (the page's data-spend) → sums per currency. */
function parseShown(text: string | null): Sums {
  const sums: Sums = {};
  if (!text || text === '—') return sums;
  for (const part of text.split(' · ')) {
    const [currency, amount] = part.split(' ');
    sums[currency!] = units(amount!);
  }
  return sums;
}

describe.skipIf(skipBrowserTests('dashboard browser test'))('the dashboard page in chromium', () => {
  let browser: Browser;
  let assets: Awaited<ReturnType<typeof buildTestAssets>>;
  let graph: Graph;

  beforeAll(async () => {
    assets = await buildTestAssets();
    browser = await launchBrowser();
    graph = await startGraph({ pages: { dashboard: true, graphiql: false, assetsDir: assets.dir } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await graph?.close();
    await assets?.remove();
  });

  it('shows every customer with its licences and spend, per vendor too, calling only the gateway', async () => {
    const rows: Row[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const result: GraphResponse<{ customers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Row[] } }> = await graph.query(CUSTOMERS, { after });
      expect(result.errors).toBeUndefined();
      const customers = result.data!.customers;
      totalCount = customers.totalCount;
      rows.push(...customers.nodes);
      after = customers.pageInfo.hasNextPage ? customers.pageInfo.endCursor : null;
    } while (after);
    expect(rows.length).toBe(totalCount);
    expect(rows.length).toBeGreaterThan(40);

    const origin = new URL(graph.url).origin;
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const watch = watchPage(page);
    const response = await page.goto(`${origin}/dashboard`, { waitUntil: 'load', timeout: 30_000 });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });

    // Every customer, by id, with the test's name and spend.
    const shown = await page.$$eval('tr[data-customer-id]', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-customer-id'), name: tr.querySelector('td.name')?.textContent, spend: tr.querySelector('td[data-spend]')?.getAttribute('data-spend') ?? null, licences: tr.querySelector('td[data-licences]')?.getAttribute('data-licences') })),
    );
    expect(shown.length).toBe(rows.length);
    const byId = new Map(shown.map((s) => [s.id, s]));
    let withSpend = 0;
    for (const row of rows) {
      const cell = byId.get(row.id);
      expect(cell?.name, row.id).toBe(row.name);
      expect(parseShown(cell!.spend), row.name).toEqual(expectedSpend(row));
      expect(Number(cell!.licences)).toBe((row.subscriptions?.nodes ?? []).reduce((n, s) => n + (s.quantity ?? 0), 0));
      if (Object.keys(expectedSpend(row)).length) withSpend += 1;
    }
    expect(withSpend).toBeGreaterThan(10);

    // Per vendor: the sums of its customers.
    const vendors = await page.$$eval('[data-vendor][data-spend]', (cards) => cards.map((c) => ({ vendor: c.getAttribute('data-vendor'), spend: c.getAttribute('data-spend'), text: c.textContent })));
    expect(vendors.map((v) => v.vendor).sort()).toEqual(['CLOUDMORE', 'INGRAM', 'LEADERCLOUD']);
    for (const card of vendors) {
      const expected: Sums = {};
      for (const row of rows.filter((r) => r.vendor === card.vendor)) for (const [c, v] of Object.entries(expectedSpend(row))) expected[c] = (expected[c] ?? 0) + v;
      expect(parseShown(card.spend), card.vendor!).toEqual(expected);
    }
    // A name and an amount people can read on the page.
    const text = await page.$eval('main', (m) => m.textContent ?? '');
    expect(text).toContain(rows[0]!.name);

    // The charts: one bar per vendor with spend in the main currency, and top customers.
    const bars = await page.$$eval('svg.chart rect[data-bar]', (rects) => rects.map((r) => ({ id: r.getAttribute('data-bar'), width: Number(r.getAttribute('width')) })));
    expect(bars.filter((b) => ['LEADERCLOUD', 'CLOUDMORE', 'INGRAM'].includes(b.id!)).length).toBeGreaterThanOrEqual(3);
    expect(bars.every((b) => b.width > 0)).toBe(true);

    // Only the gateway: the page, its bundle, its style sheet and /graphql.
    expect(watch.foreign(origin)).toEqual([]);
    const paths = watch.requests.map((r) => new URL(r.url()).pathname);
    expect(paths).toContain('/dashboard/assets/dashboard.js');
    const graphqlCalls = watch.requests.filter((r) => new URL(r.url()).pathname === '/graphql');
    expect(graphqlCalls.length).toBeGreaterThan(0);
    expect(graphqlCalls.every((r) => r.method() === 'POST' && (r.postData() ?? '').includes('query LicenseOverview'))).toBe(true);
    expect(watch.problems).toEqual([]);

    await page.screenshot({ path: await artefactPath('dashboard.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('asks for an API key when the graph needs one, and sends it as Bearer', async () => {
    const keyed = await startGraph({
      pages: { dashboard: true, graphiql: false, assetsDir: assets.dir },
      auth: { mode: 'keys', keys: [{ name: 'dashboard', sha256: sha256(KEY), scopes: ['read'] }] },
      checkContract: false,
    });
    try {
      const origin = new URL(keyed.url).origin;
      const page = await browser.newPage();
      const watch = watchPage(page);
      await page.goto(`${origin}/dashboard`, { waitUntil: 'load' });
      await page.waitForSelector('#app[data-state="auth"] input[type="password"]', { timeout: 30_000 });

      await page.type('input[type="password"]', 'not-the-key');
      await page.click('button[type="submit"]');
      await page.waitForFunction(`document.querySelector('#app')?.textContent?.includes('refused that key')`, { timeout: 30_000 });

      await page.type('input[type="password"]', KEY);
      await page.click('button[type="submit"]');
      await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
      expect(await page.$$eval('tr[data-customer-id]', (trs) => trs.length)).toBeGreaterThan(40);
      // Kept for this tab only.
      expect(await page.evaluate(`sessionStorage.getItem('channelgraph.apiKey')`)).toBe(KEY);
      expect(await page.evaluate('localStorage.length')).toBe(0);

      const calls = watch.requests.filter((r) => new URL(r.url()).pathname === '/graphql');
      expect(calls[0]!.headers().authorization).toBeUndefined();
      expect(calls.at(-1)!.headers().authorization).toBe(`Bearer ${KEY}`);
      expect(watch.foreign(origin)).toEqual([]);
      // The graph's 401s before the key: the first load and the wrong key.
      expect(watch.problems).toEqual([`HTTP 401 POST ${keyed.url}`, `HTTP 401 POST ${keyed.url}`]);
      await page.close();
    } finally {
      await keyed.close();
    }
  }, 120_000);
});
