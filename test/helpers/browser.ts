/**
 * A real headless browser for the page tests: Debian's chromium driven by puppeteer-core
 * (no browser download). Tests skip, with a message, only when no chromium is installed
 * and not in CI; in CI (process.env.CI) a missing browser fails them.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { buildAssets } from '../../src/dashboard/build.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The chromium executable, or undefined when none is installed. */
export const chromiumPath = CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));

/** True when the browser tests must be skipped (no chromium, not CI); says why once. */
export function skipBrowserTests(suite: string): boolean {
  if (chromiumPath) return false;
  if (process.env.CI) return false; // fail instead: the suite's beforeAll throws
  console.warn(`${suite}: skipped, no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH); in CI this fails.`);
  return true;
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error(`no chromium binary found (tried ${CANDIDATES.filter(Boolean).join(', ')}): CI installs Debian's chromium in .ci/run`);
  return puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    protocolTimeout: 60_000,
    args: [
      // Root (CI) cannot use chromium's sandbox.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=en-US',
    ],
  });
}

/** The page assets bundled into a temporary directory (removed by `remove`). */
export async function buildTestAssets(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'channelgraph-assets-'));
  await buildAssets(dir, { minify: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every request a page makes, and every error it logs or throws. */
export function watchPage(page: Page) {
  const requests: HTTPRequest[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request));
  page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('console', (message) => {
    // Chromium logs every HTTP error response as a console error too: those are reported above with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`));
  return {
    requests,
    problems,
    /** Requests to anything but the gateway's origin (data: and blob: URLs are local). */
    foreign(origin: string): string[] {
      return requests.map((r) => r.url()).filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
    },
  };
}

/** Where test artefacts (screenshots) go: test-artifacts/ at the package root, gitignored. */
export async function artefactPath(name: string): Promise<string> {
  const dir = path.resolve(import.meta.dirname, '../../test-artifacts');
  await mkdir(dir, { recursive: true });
  return path.join(dir, name);
}
