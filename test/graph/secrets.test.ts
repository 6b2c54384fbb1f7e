/**
 * Secrets never leak, in any encoding. The simulators accept distinctive credentials and,
 * like a careless vendor, echo every request (headers with Authorization and the
 * subscription key, query string, body) into their error bodies. The graph is driven
 * through vendor errors of every kind (injected 400/500/503 faults, unknown ids, refused
 * logins, revoked tokens, generic requests to missing paths, refused writes) and every
 * response and every log line (pino at trace level, as written after redaction) is
 * searched for each secret and issued bearer token: as is, URL/form-encoded, JSON-escaped
 * (once and twice), base64/base64url at any alignment, and HTTP Basic `id:secret`.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorVendorConfig } from '../../src/demo.js';
import { toGlobalId } from '../../src/ids.js';
import { captureLogs } from '../../src/logger.js';
import { createGraphServer } from '../../src/server.js';
import type { VendorKey } from '../../src/simulators/index.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { startGraph, type Graph } from '../helpers/graph.js';

// Distinctive values, with characters every encoding changes (space, + / = & % " \ : and non-ASCII).
const SECRETS = {
  leadercloud: { clientSecret: 'LC-client-SECRET-7Qx "quoted" +/=&%\\ mañana', password: 'LC-pass:word-9Rk/+?&= "x" \\ über-geheim' },
  cloudmore: { clientSecret: 'CM-client-SECRET-4Tz +/=&% "q" \\ kaffe-ø', password: 'CM-pass word-2Wv:/+?&= "y" \\ naïve' },
  ingram: { password: 'IM-pass:word-5Hj/+?&=% "z" \\ façade', subscriptionKey: 'IM-subkey-8Lp"\\+/=&%-3c2b1a0f9e8d7c6b' },
} satisfies Record<VendorKey, Record<string, string>>;
/** What a misconfigured graph sends: wrong, but just as secret. */
const WRONG = {
  leadercloud: { clientSecret: 'LC-WRONG-secret-1Aa "w" +/=& \\ é', password: 'LC-WRONG-pass:3Bb/+?&= "w" \\ ü' },
  cloudmore: { clientSecret: 'CM-WRONG-secret-5Cc +/=& "w" \\ ø', password: 'CM-WRONG-pass:7Dd/+?&= "w" \\ ï' },
  ingram: { password: 'IM-WRONG-pass:9Ee/+?&= "w" \\ ç', subscriptionKey: 'IM-WRONG-subkey-0Ff"\\+/=&-77aa99bb' },
} satisfies Record<VendorKey, Record<string, string>>;

const VENDOR_KEYS: VendorKey[] = ['leadercloud', 'cloudmore', 'ingram'];
const ENUM: Record<VendorKey, 'LEADERCLOUD' | 'CLOUDMORE' | 'INGRAM'> = { leadercloud: 'LEADERCLOUD', cloudmore: 'CLOUDMORE', ingram: 'INGRAM' };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const toUrl = (base64: string) => base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Substrings of the base64 of `text` wherever it sits in a longer base64 text (all three alignments). */
function base64Fragments(text: string): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = b64('x'.repeat(shift) + text).replace(/=+$/, '');
    // The first group holds the prefix bytes when shifted; the last may hold what follows.
    const inner = encoded.slice(shift ? 4 : 0, encoded.length - 4);
    if (inner.length >= 8) out.push(inner, toUrl(inner));
  }
  return out;
}

/** Every form in which `secret` could show up in a response or a log line. */
function secretForms(secret: string, basicUsers: string[] = []): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    json,
    JSON.stringify(json).slice(1, -1),
    JSON.stringify(encodeURIComponent(secret)).slice(1, -1),
    b64(secret),
    toUrl(b64(secret)),
    ...base64Fragments(secret),
  ]);
  for (const user of basicUsers) {
    for (const pair of [`${user}:${secret}`, `${encodeURIComponent(user)}:${encodeURIComponent(secret)}`]) {
      forms.add(b64(pair));
      forms.add(toUrl(b64(pair)));
    }
  }
  return [...forms].filter((f) => f.length >= 8);
}

interface Captured {
  what: string;
  text: string;
}

describe('secrets never leak', () => {
  let graph: Graph;
  let wrongApp: FastifyInstance;
  let wrongUrl: string;
  const captured: Captured[] = [];
  const logLines: string[] = [];
  let restoreLogs: () => void;
  const ids: Record<string, string[]> = {};
  /** Error and userError codes seen, by scenario: proof the scenarios produced the vendor errors they are meant to. */
  const codes = new Set<string>();

  async function post(url: string, what: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    captured.push({ what, text: `${response.status} ${JSON.stringify([...response.headers.entries()])}\n${text}` });
    expect(response.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
    const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: string } }> };
    for (const error of body.errors ?? []) expect(error.extensions?.code, `${what}: ${text.slice(0, 300)}`).not.toBe('INTERNAL_SERVER_ERROR');
    for (const error of body.errors ?? []) codes.add(String(error.extensions?.code));
    for (const match of text.matchAll(/"code":"([A-Z_]+)"/g)) codes.add(match[1]!);
    return body;
  }
  const ask = (what: string, query: string, variables?: Record<string, unknown>) => post(graph.url, what, query, variables);

  beforeAll(async () => {
    restoreLogs = captureLogs((line) => logLines.push(line), 'trace');
    graph = await startGraph({ echoRequests: true, credentials: SECRETS, checkContract: false });
    // A second graph over the same simulators with wrong credentials (refused logins).
    const config = simulatorVendorConfig(graph.sims, 5_000);
    const wrong = {
      leadercloud: { ...config.leadercloud!, ...WRONG.leadercloud },
      cloudmore: { ...config.cloudmore!, ...WRONG.cloudmore },
      ingram: { ...config.ingram!, ...WRONG.ingram },
    };
    ({ app: wrongApp } = await createGraphServer({ adapters: buildAdapters(wrong, { simulated: true }), sandbox: false }));
    await wrongApp.listen({ port: 0, host: '127.0.0.1' });
    const address = wrongApp.server.address();
    wrongUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

    // Some real ids to ask for.
    for (const [field, selection] of [
      ['customers', 'id'],
      ['subscriptions', 'id'],
      ['orders', 'id'],
      ['invoices', 'id'],
      ['products', 'id'],
    ] as const) {
      const res = await ask(`list ${field}`, `{ ${field}(first: 6) { nodes { ${selection} } } }`);
      ids[field] = ((res.data?.[field] as { nodes?: Array<{ id: string }> } | null)?.nodes ?? []).map((n) => n.id);
    }
  });

  afterAll(async () => {
    restoreLogs?.();
    await wrongApp?.close();
    await graph?.close();
  });

  it('the simulators accept the distinctive credentials and echo requests, secrets included, into their error bodies', async () => {
    expect(graph.sims.leadercloud.credentials.clientSecret).toBe(SECRETS.leadercloud.clientSecret);
    expect(ids.customers!.length).toBeGreaterThan(0);
    // A careless vendor indeed: a refused token request repeats the form and the Basic header.
    const response = await fetch(`${graph.sims.leadercloud.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${b64(`channelgraph-demo:${SECRETS.leadercloud.clientSecret}`)}` },
      body: new URLSearchParams({ grant_type: 'password', username: 'nobody', password: SECRETS.leadercloud.password }).toString(),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toContain(JSON.stringify(SECRETS.leadercloud.password).slice(1, -1));
    expect(text).toContain(b64(`channelgraph-demo:${SECRETS.leadercloud.clientSecret}`));
    // ...and so would a missing path at Ingram: the subscription key and the bearer token.
    const token = await fetch(`${graph.sims.ingram.baseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-subscription-key': SECRETS.ingram.subscriptionKey, authorization: `Basic ${b64(`DEMO-MSP.API:${SECRETS.ingram.password}`)}` },
      body: JSON.stringify({ marketplace: 'us' }),
    });
    expect(token.status).toBe(200);
    const { token: bearer } = (await token.json()) as { token: string };
    const missing = await fetch(`${graph.sims.ingram.baseUrl}/no-such-thing?x=1`, { headers: { 'x-subscription-key': SECRETS.ingram.subscriptionKey, authorization: `Bearer ${bearer}` } });
    const missingText = await missing.text();
    expect(missing.status).toBe(404);
    expect(missingText).toContain(bearer);
    expect(missingText).toContain(JSON.stringify(SECRETS.ingram.subscriptionKey).slice(1, -1));
  });

  it('reads that succeed, across every vendor', async () => {
    await ask('vendors', '{ vendors { vendor name simulated health { ok check message } supports } }');
    await ask(
      'dashboard',
      '{ customers(first: 20) { totalCount nodes { id vendor name raw subscriptions { nodes { name quantity raw product { name sku } } } } } }',
    );
    await ask('nodes', 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { name raw } ... on ServiceSubscription { name raw } ... on Order { number raw } ... on Invoice { number raw } ... on Product { name raw } } }', {
      ids: Object.values(ids).flat(),
    });
  });

  it('ids the vendors do not know (404s with the request echoed)', async () => {
    const unknown = [
      toGlobalId('LEADERCLOUD', 'Customer', '987654'),
      toGlobalId('LEADERCLOUD', 'Subscription', '0d3c9e2a-1111-4222-8333-944455556666'),
      toGlobalId('LEADERCLOUD', 'Order', '0d3c9e2a-1111-4222-8333-944455556667'),
      toGlobalId('LEADERCLOUD', 'Invoice', '0d3c9e2a-1111-4222-8333-944455556668'),
      toGlobalId('LEADERCLOUD', 'Product', '0d3c9e2a-1111-4222-8333-944455556669'),
      toGlobalId('CLOUDMORE', 'Customer', '0d3c9e2a-1111-4222-8333-94445555666a'),
      toGlobalId('CLOUDMORE', 'Subscription', '0d3c9e2a-1111-4222-8333-94445555666b'),
      toGlobalId('INGRAM', 'Customer', '98765432'),
      toGlobalId('INGRAM', 'Reseller', '98765433'),
      toGlobalId('INGRAM', 'Subscription', '98765434'),
      toGlobalId('INGRAM', 'Order', '98765435'),
      toGlobalId('INGRAM', 'ServicePlan', '98765436'),
      toGlobalId('INGRAM', 'Report', '98765437'),
    ];
    for (const id of unknown) await ask(`node ${id}`, 'query($id: ID!) { node(id: $id) { id ... on Customer { name } } }', { id });
    await ask('nodes unknown', 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: unknown });
    const [lcCustomer] = unknown;
    await ask('update unknown', 'mutation($id: ID!) { updateCustomer(id: $id, input: { name: "Nobody" }) { customer { id } userErrors { field message code } } }', { id: lcCustomer });
    await ask('cancel unknown', 'mutation($id: ID!) { cancelSubscription(id: $id) { subscription { id } userErrors { field message code } } }', { id: unknown[1] });
    await ask('delete unknown', 'mutation($id: ID!) { deleteCustomer(id: $id) { userErrors { field message code } } }', { id: unknown[5] });
  });

  it('generic requests to missing paths, reads and writes, with and without paging', async () => {
    const missing: Record<VendorKey, string> = {
      leadercloud: 'api/no-such-resource',
      cloudmore: 'api/resellers/6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01/NoSuchThing',
      ingram: 'no-such-resource',
    };
    for (const vendor of VENDOR_KEYS) {
      const v = ENUM[vendor];
      await ask(`vendorRequest ${vendor}`, 'query($v: Vendor!, $p: String!, $q: JSON) { vendorRequest(vendor: $v, path: $p, query: $q) { status body } }', {
        v,
        p: missing[vendor],
        q: { search: 'x y', n: 1 },
      });
      await ask(`vendorRequest paginate ${vendor}`, 'query($v: Vendor!, $p: String!) { vendorRequest(vendor: $v, path: $p, paginate: true, maxPages: 3) { status body pages } }', {
        v,
        p: missing[vendor],
      });
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        await ask(`sendVendorRequest ${method} ${vendor}`, 'mutation($input: VendorRequestInput!) { sendVendorRequest(input: $input) { response { status body } userErrors { code message } } }', {
          input: { vendor: v, method, path: missing[vendor], query: { a: 'b' }, body: { hello: 'world', nested: { list: [1, 2] } } },
        });
      }
    }
  });

  it('injected 400, 500 and 503 faults on reads and writes, the token endpoint included', async () => {
    for (const sim of graph.sims.all) sim.control.addFault({ status: 400, method: 'GET', times: 3 });
    await ask('customers fault 400', '{ customers(first: 5) { nodes { id name } } }');
    for (const sim of graph.sims.all) sim.control.clearFaults();
    // Reads are retried twice with backoff (about 3 s): one customer read per vendor, at once.
    for (const status of [500, 503]) {
      await Promise.all(
        VENDOR_KEYS.map(async (vendor) => {
          const id = (ids.customers ?? []).find((one) => Buffer.from(one, 'base64url').toString().includes(`:${ENUM[vendor]}:`));
          graph.sims[vendor].control.addFault({ status, method: 'GET', times: 3 });
          await ask(`customer fault ${status} ${vendor}`, 'query($id: ID!) { customer(id: $id) { id name } }', { id });
          graph.sims[vendor].control.clearFaults();
        }),
      );
    }
    for (const status of [400, 500, 503]) {
      for (const vendor of VENDOR_KEYS) {
        graph.sims[vendor].control.addFault({ status, method: 'POST', times: 1 });
        await ask(`createCustomer fault ${status} ${vendor}`, 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { field message code } } }', {
          input: { vendor: ENUM[vendor], name: `Fault ${status} Pty`, email: 'fault@example.com' },
        });
        graph.sims[vendor].control.clearFaults();
      }
    }
    // A revoked token, then a failing login: the 401 and the token endpoint's 500 are echoed.
    await Promise.all(
      VENDOR_KEYS.map(async (vendor) => {
        const control = graph.sims[vendor].control;
        control.revokeTokens();
        control.addFault({ status: 500, path: 'token', method: 'POST', times: 1 });
        await ask(`revoked then login 500 ${vendor}`, 'mutation($v: Vendor!) { sendVendorRequest(input: { vendor: $v, method: POST, path: "x/y" }) { response { status } userErrors { code message } } }', { v: ENUM[vendor] });
        control.clearFaults();
        control.revokeTokens();
        await ask(`revoked then fresh login ${vendor}`, 'query($v: Vendor) { customers(vendor: $v, first: 3) { nodes { id } } }', { v: ENUM[vendor] });
      }),
    );
    await ask('vendors after faults', '{ vendors { vendor health { ok message } } }');
  });

  it('writes the vendors refuse', async () => {
    const [customer] = ids.customers ?? [];
    await ask('createCustomer refused', 'mutation { a: createCustomer(input: { vendor: LEADERCLOUD, name: "x", email: "bad" }) { userErrors { message code } } b: createCustomer(input: { vendor: CLOUDMORE, name: "" }) { userErrors { message code } } c: createCustomer(input: { vendor: INGRAM, name: "y" }) { userErrors { message code } } }');
    if (customer) {
      await ask('createOrder refused', 'mutation($c: ID!) { createOrder(input: { customerId: $c, items: [{ productId: "bm90LWFuLWlk", quantity: 0 }] }) { order { id } userErrors { message code } } }', { c: customer });
    }
    const [subscription] = ids.subscriptions ?? [];
    if (subscription) {
      await ask('quantity refused', 'mutation($s: ID!) { updateSubscriptionQuantity(id: $s, quantity: 100000) { userErrors { message code } } }', { s: subscription });
    }
  });

  it('a graph with wrong credentials: every refused login', async () => {
    for (let round = 0; round < 2; round++) {
      await post(wrongUrl, `wrong vendors ${round}`, '{ vendors { vendor health { ok check message } } }');
      await post(wrongUrl, `wrong customers ${round}`, '{ customers(first: 5) { nodes { id } } }');
      for (const vendor of VENDOR_KEYS) {
        await post(wrongUrl, `wrong vendorRequest ${vendor} ${round}`, 'query($v: Vendor!) { vendorRequest(vendor: $v, path: "x/y") { status body } }', { v: ENUM[vendor] });
      }
      // Past the negative cache's first back-off: the next round logs in again.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  });

  it('no response and no log line carries a secret or an issued token, in any encoding', () => {
    const users: Record<VendorKey, string[]> = {
      leadercloud: [graph.sims.leadercloud.credentials.clientId!, graph.sims.leadercloud.credentials.username!],
      cloudmore: [graph.sims.cloudmore.credentials.clientId!, graph.sims.cloudmore.credentials.username!],
      ingram: [graph.sims.ingram.credentials.username!],
    };
    const needles: Array<{ name: string; forms: string[] }> = [];
    for (const vendor of VENDOR_KEYS) {
      for (const [set, values] of [['configured', SECRETS], ['wrong', WRONG]] as const) {
        for (const [key, secret] of Object.entries(values[vendor])) needles.push({ name: `${set} ${vendor} ${key}`, forms: secretForms(secret, users[vendor]) });
      }
      const tokens = graph.sims[vendor].control.issuedTokens();
      expect(tokens.length, `${vendor} issued tokens`).toBeGreaterThan(0);
      for (const token of tokens) {
        needles.push({ name: `${vendor} bearer token`, forms: [token, token.split('.').pop()!, ...secretForms(token)] });
      }
    }
    // The scenarios did reach the vendors' errors, and the echoed requests reached the graph.
    for (const code of ['UPSTREAM_BAD_REQUEST', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_AUTH_FAILED']) expect([...codes]).toContain(code);
    expect(captured.some(({ text }) => text.includes('"request":{') && text.includes('"authorization":"Bearer [redacted]"'))).toBe(true);
    expect(logLines.some((line) => line.includes('upstream error'))).toBe(true);
    expect(logLines.length).toBeGreaterThan(50);
    expect(captured.length).toBeGreaterThan(60);
    const haystacks = [...captured, ...logLines.map((text, i) => ({ what: `log line ${i}`, text }))];
    const leaks: string[] = [];
    for (const { what, text } of haystacks) {
      const lower = text.toLowerCase();
      for (const needle of needles) {
        const form = needle.forms.find((f) => text.includes(f) || (f.includes('%') && lower.includes(f.toLowerCase())));
        if (form) leaks.push(`${needle.name} in ${what} (as ${JSON.stringify(form)}): ${text.slice(0, 400)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
