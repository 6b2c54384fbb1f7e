/**
 * The two simulator profiles side by side. `npm run simulators -- --profile documented`
 * (the CLI, as a child process) with the graph pointed at it answers the README's
 * dashboard query for every vendor with no error, and with the same customers and
 * subscriptions as the graph over `extended` simulators of the same seed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import { simulatorVendorConfig } from '../src/demo.js';
import { createGraphServer } from '../src/server.js';
import { startSimulators, type RunningSimulators } from '../src/simulators/index.js';
import { buildAdapters } from '../src/vendors/registry.js';
import { DASHBOARD } from './helpers/queries.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const SEED = '11';
const SIZE = '45';


interface Printed {
  vendor: string;
  baseUrl: string;
  credentials: Record<string, string>;
}

/** Reads what the CLI prints: a vendor line, then `base URL`, `control API` and credential lines. */
function parseCli(text: string): Printed[] {
  const out: Printed[] = [];
  for (const line of text.split('\n')) {
    if (/^(leadercloud|cloudmore|ingram)$/.test(line.trim())) out.push({ vendor: line.trim(), baseUrl: '', credentials: {} });
    const current = out[out.length - 1];
    const m = /^ {2}(\S+(?: \S+)?)\s{2,}(\S+)$/.exec(line);
    if (!current || !m) continue;
    if (m[1] === 'base URL') current.baseUrl = m[2]!;
    else if (m[1] !== 'control API') current.credentials[m[1]!] = m[2]!;
  }
  return out;
}

async function serve(vendors: Config['vendors']) {
  const { app } = await createGraphServer({ adapters: buildAdapters(vendors, { simulated: true }), sandbox: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as FastifyInstance).server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  return { app, url };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
async function post(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

/** Every customer of one vendor with its active subscriptions, following the cursor; fails on any error. */
async function dashboard(url: string, vendor: string) {
  const customers: unknown[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await post(url, DASHBOARD, { after, vendor });
    expect(res.errors, `${vendor}: ${JSON.stringify(res.errors)}`).toBeUndefined();
    customers.push(...res.data.customers.nodes);
    after = res.data.customers.pageInfo.endCursor;
    if (!res.data.customers.pageInfo.hasNextPage) break;
  }
  return customers;
}

describe('simulator profiles', () => {
  let cli: ChildProcess;
  let documented: Awaited<ReturnType<typeof serve>>;
  let extended: Awaited<ReturnType<typeof serve>>;
  let extendedSims: RunningSimulators;

  beforeAll(async () => {
    cli = spawn(
      tsx,
      ['src/simulators/cli.ts', '--profile', 'documented', '--seed', SEED, '--size', SIZE, '--for', '120', '--leadercloud-port', '0', '--cloudmore-port', '0', '--ingram-port', '0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    cli.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    for (let i = 0; i < 200 && !/ingram[\s\S]*marketplace\s+\S+/.test(printed); i++) await new Promise((r) => setTimeout(r, 50));
    expect(printed).toContain('profile documented');
    const vendors = parseCli(printed);
    expect(vendors.map((v) => v.vendor)).toEqual(['leadercloud', 'cloudmore', 'ingram']);
    const running = Object.fromEntries(vendors.map((v) => [v.vendor, { baseUrl: v.baseUrl, credentials: v.credentials }]));
    documented = await serve(simulatorVendorConfig({ ...running, all: [] } as unknown as RunningSimulators, 10_000));

    extendedSims = await startSimulators({ seed: Number(SEED), size: Number(SIZE), profile: 'extended' });
    extended = await serve(simulatorVendorConfig(extendedSims, 10_000));
  }, 60_000);

  afterAll(async () => {
    await documented?.app.close();
    await extended?.app.close();
    await extendedSims?.close();
    if (cli && cli.exitCode === null) {
      cli.kill('SIGTERM');
      await once(cli, 'exit');
    }
  });

  it.each(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM'])('%s: the README dashboard over the documented CLI simulators equals extended', async (vendor) => {
    const [a, b] = await Promise.all([dashboard(documented.url, vendor), dashboard(extended.url, vendor)]);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    const subscriptions = (a as Array<{ subscriptions: { nodes: unknown[] } }>).reduce((n, c) => n + c.subscriptions.nodes.length, 0);
    expect(subscriptions).toBeGreaterThan(0);
  });

  it('npm run simulators -- --help prints usage and exits 0', async () => {
    const child = spawn(tsx, ['src/simulators/cli.ts', '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toContain('--profile P');
  });

  it('--vendors serves only the vendors it lists (the bench runs each vendor in a process of its own)', async () => {
    const child = spawn(tsx, ['src/simulators/cli.ts', '--vendors', 'ingram', '--seed', SEED, '--size', SIZE, '--for', '30', '--ingram-port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let printed = '';
      child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      for (let i = 0; i < 200 && !/marketplace\s+\S+/.test(printed); i++) await new Promise((r) => setTimeout(r, 50));
      const vendors = parseCli(printed);
      expect(vendors.map((v) => v.vendor)).toEqual(['ingram']);
      const control = await fetch(`${new URL(vendors[0]!.baseUrl).origin}/__sim`);
      expect(((await control.json()) as { name: string }).name.toLowerCase()).toContain('ingram');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  /** The CLI run with `args`: its exit code and what it wrote to stderr. */
  async function runCli(...args: string[]): Promise<{ code: number; err: string }> {
    const child = spawn(tsx, ['src/simulators/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    return { code, err };
  }

  it('rejects a vendor it does not simulate', async () => {
    const { code, err } = await runCli('--vendors', 'ingram,pax8');
    expect(code).toBe(2);
    expect(err).toContain('--vendors/SIM_VENDORS must list some of leadercloud, cloudmore, ingram, got "ingram,pax8"');
  });

  it('rejects an unknown profile by name', async () => {
    const { code, err } = await runCli('--profile', 'lenient');
    expect(code).toBe(2);
    expect(err).toContain('--profile/SIM_PROFILE must be one of documented, extended');
  });
});
