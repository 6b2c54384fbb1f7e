/**
 * Who may call: API keys with scopes, the router's shared secret, and what each may see.
 * Refusals happen before execution, with zero upstream calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/auth.js';
import { startGraph, type Graph } from '../helpers/graph.js';

const KEYS = { reader: 'reader-key-0123456789', writer: 'writer-key-0123456789', admin: 'admin-key-0123456789' };
const ROUTER_SECRET = 'router-secret-0123456789';

describe('auth', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({
      vendors: ['leadercloud'],
      seed: 3,
      size: 10,
      introspection: false,
      auth: {
        mode: 'keys',
        routerSecret: ROUTER_SECRET,
        keys: [
          { name: 'reader', sha256: sha256(KEYS.reader), scopes: ['read'] },
          { name: 'writer', sha256: sha256(KEYS.writer), scopes: ['read', 'write'] },
          { name: 'admin', sha256: sha256(KEYS.admin), scopes: ['read', 'write', 'admin'] },
        ],
      },
    });
  });
  afterAll(() => graph.close());

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const LIST = '{ customers(first: 2) { nodes { name } } }';
  const MUTATION = 'mutation { setSubscriptionAutoRenewal(id: "x", enabled: true) { userErrors { code } } }';

  it('answers 401 without a key or with an unknown one, and calls no vendor', async () => {
    graph.resetCalls();
    const attempts: Array<Record<string, string>> = [{}, bearer('wrong-key-0123456789'), { 'x-api-key': 'wrong' }, { authorization: 'Basic abc' }];
    for (const headers of attempts) {
      const res = await graph.query(LIST, {}, headers);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(graph.calls().total).toBe(0);
  });

  it('lets every key read, by Bearer or X-Api-Key', async () => {
    for (const key of Object.values(KEYS)) {
      const res = await graph.query(LIST, {}, bearer(key));
      expect(res.errors).toBeUndefined();
      expect(res.data.customers.nodes).toHaveLength(2);
    }
    expect((await graph.query(LIST, {}, { 'x-api-key': KEYS.reader })).errors).toBeUndefined();
  });

  it('needs write for mutations and admin for the generic write request, refused before execution', async () => {
    graph.resetCalls();
    const denied = await graph.query(MUTATION, {}, bearer(KEYS.reader));
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'write' });
    expect(denied.data ?? null).toBeNull();
    const generic = 'mutation { sendVendorRequest(input: { vendor: LEADERCLOUD, method: POST, path: "api/orders", body: {} }) { userErrors { code } } }';
    expect((await graph.query(generic, {}, bearer(KEYS.writer))).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'admin' });
    expect(graph.calls().total).toBe(0);
    // The writer may run the mutation (its bad id is a userError, not a refusal).
    const allowed = await graph.query(MUTATION, {}, bearer(KEYS.writer));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.setSubscriptionAutoRenewal.userErrors[0].code).toBe('BAD_USER_INPUT');
  });

  it('shows vendors { baseUrl } to admins only', async () => {
    const query = '{ vendors { vendor baseUrl } }';
    const reader = await graph.query(query, {}, bearer(KEYS.reader));
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await graph.query(query, {}, bearer(KEYS.admin));
    expect(admin.errors).toBeUndefined();
    expect(admin.data.vendors[0].baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('with introspection off, serves _service to the router and admins only', async () => {
    const sdl = '{ _service { sdl } }';
    expect((await graph.query(sdl, {}, bearer(KEYS.reader))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graph.query(sdl, {}, bearer(KEYS.admin))).data._service.sdl).toContain('type Customer');
    expect((await graph.query(sdl, {}, { 'x-router-secret': ROUTER_SECRET })).data._service.sdl).toContain('type Customer');
    expect((await graph.query('{ __schema { queryType { name } } }', {}, bearer(KEYS.admin))).errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('returns inline federation traces to the router with its secret only', async () => {
    const traced = { 'apollo-federation-include-trace': 'ftv1' };
    const plain = await graph.query(LIST, {}, { ...bearer(KEYS.admin), ...traced });
    expect(plain.errors).toBeUndefined();
    expect((plain as { extensions?: { ftv1?: string } }).extensions?.ftv1).toBeUndefined();
    const router = await graph.query(LIST, {}, { 'x-router-secret': ROUTER_SECRET, ...traced });
    expect((router as { extensions?: { ftv1?: string } }).extensions?.ftv1).toEqual(expect.any(String));
    const wrongSecret = await graph.query(LIST, {}, { 'x-router-secret': 'not-the-secret-0000', ...traced });
    expect(wrongSecret.status).toBe(401);
  });

  it('keeps /healthz open', async () => {
    const res = await fetch(graph.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(200);
  });
});

describe('rate limits and CORS', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({
      vendors: ['leadercloud'],
      seed: 3,
      size: 10,
      rateLimitPerMinute: 5,
      auth: { mode: 'keys', keys: [{ name: 'a', sha256: sha256(KEYS.reader), scopes: ['read'] }, { name: 'b', sha256: sha256(KEYS.writer), scopes: ['read'] }] },
    });
  });
  afterAll(() => graph.close());

  it('limits requests per key, with a GraphQL-shaped 429 and a retry hint, and keeps keys apart', async () => {
    const query = '{ vendors { vendor } }';
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await graph.query(query, {}, { authorization: `Bearer ${KEYS.reader}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await graph.query(query, {}, { authorization: `Bearer ${KEYS.reader}` });
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    // Another key has its own budget.
    expect((await graph.query(query, {}, { authorization: `Bearer ${KEYS.writer}` })).status).toBe(200);
    // /healthz is not limited.
    for (let i = 0; i < 8; i++) expect((await fetch(graph.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });

  it('answers a CORS preflight from Apollo Studio, and none for other origins', async () => {
    const preflight = (origin: string) =>
      fetch(graph.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const studio = await preflight('https://studio.apollographql.com');
    expect(studio.status).toBe(204);
    expect(studio.headers.get('access-control-allow-origin')).toBe('https://studio.apollographql.com');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
