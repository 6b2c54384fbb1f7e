/**
 * The offline explorer: GET /graphiql serves GraphiQL from the gateway's own assets, in a
 * real headless chromium. It loads with no request outside the gateway (React, GraphiQL,
 * Monaco and its workers included), and runs a query against /graphql.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { startGraph, type Graph } from '../helpers/graph.js';
import { artefactPath, buildTestAssets, launchBrowser, skipBrowserTests, watchPage } from '../helpers/browser.js';

describe.skipIf(skipBrowserTests('GraphiQL browser test'))('GraphiQL at /graphiql in chromium', () => {
  let browser: Browser;
  let assets: Awaited<ReturnType<typeof buildTestAssets>>;
  let graph: Graph;

  beforeAll(async () => {
    assets = await buildTestAssets();
    browser = await launchBrowser();
    graph = await startGraph({ pages: { dashboard: false, graphiql: true, assetsDir: assets.dir }, checkContract: false });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await graph?.close();
    await assets?.remove();
  });

  it('loads from the gateway alone and runs a query', async () => {
    const origin = new URL(graph.url).origin;
    const expected = await graph.query('{ vendors { vendor name } }');
    expect(expected.errors).toBeUndefined();

    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const watch = watchPage(page);
    const response = await page.goto(`${origin}/graphiql`, { waitUntil: 'load', timeout: 30_000 });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // GraphiQL is up once its editors and run button are there.
    await page.waitForSelector('.graphiql-container .graphiql-execute-button', { timeout: 60_000 });
    await page.waitForSelector('.graphiql-query-editor .monaco-editor', { timeout: 60_000 });

    const ran = page.waitForResponse((r) => new URL(r.url()).pathname === '/graphql' && (r.request().postData() ?? '').includes('vendors'), { timeout: 30_000 });
    await page.click('.graphiql-execute-button');
    const answer = await ran;
    expect(answer.status()).toBe(200);
    // The result pane shows what the graph answered.
    await page.waitForFunction(`(document.querySelector('.graphiql-response')?.textContent ?? '').includes('"vendors"')`, { timeout: 30_000 });
    // Monaco renders spaces as no-break spaces.
    const shown = (await page.$eval('.graphiql-response', (el) => el.textContent ?? '')).replace(/\s+/g, ' ');
    // What the graph answered GraphiQL is what it answers this test, and the pane shows it
    // (Monaco draws only the lines in view: the first vendor is).
    const body = (await answer.json()) as { data?: { vendors?: unknown }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.vendors).toEqual(expected.data.vendors.map((v: { vendor: string; name: string }) => expect.objectContaining(v)));
    const first = expected.data.vendors[0] as { vendor: string; name: string };
    expect(shown).toContain(`"vendor": "${first.vendor}"`);
    expect(shown).toContain(`"name": "${first.name}"`);

    const paths = watch.requests.map((r) => new URL(r.url()).pathname);
    expect(paths).toContain('/graphiql/assets/graphiql.js');
    expect(paths.some((p) => p.endsWith('.worker.js'))).toBe(true);
    expect(watch.foreign(origin)).toEqual([]);
    expect(watch.problems).toEqual([]);
    await page.screenshot({ path: await artefactPath('graphiql.png') });
    await page.close();
  }, 120_000);
});
