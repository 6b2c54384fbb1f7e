/**
 * The server around the schema: Federation subgraph SDL that composes next to a foreign
 * subgraph, the Sandbox landing page, CSRF prevention, /healthz, error hygiene.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

const FOREIGN_SUBGRAPH = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
  type Organization @key(fields: "id") {
    id: ID!
    name: String!
  }
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type Query {
    organizations: [Organization!]!
  }
`;

describe('server', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ vendors: ['leadercloud'] });
  });
  afterAll(() => graph.close());

  it('names the date scalar DateTime in introspection, as the SDL does', async () => {
    const res = await graph.query('{ a: __type(name: "DateTime") { name kind } b: __type(name: "DateTimeISO") { name } }');
    expect(res.data).toEqual({ a: { name: 'DateTime', kind: 'SCALAR' }, b: null });
  });

  it('publishes a Federation v2 subgraph SDL that composes with a foreign subgraph', async () => {
    const res = await graph.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = res.data!._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.0"');
    expect(sdl).toMatch(/type Customer implements Node\s+@key\(fields: "id"\)/);
    const composed = composeServices([
      { name: 'channelgraph', typeDefs: parse(sdl), url: 'http://channelgraph' },
      { name: 'organizations', typeDefs: parse(FOREIGN_SUBGRAPH), url: 'http://organizations' },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    expect(composed.supergraphSdl).toContain('type ServiceSubscription');
    expect(composed.supergraphSdl).toContain('type Organization');
  });

  it('serves the Apollo Sandbox landing page on GET /graphql for browsers', async () => {
    const res = await fetch(graph.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html.toLowerCase()).toContain('sandbox');
  });

  it('rejects simple GET requests that could be CSRF (no preflight header)', async () => {
    const res = await fetch(`${graph.url}?query=${encodeURIComponent('{ vendors { vendor } }')}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${graph.url}?query=${encodeURIComponent('{ vendors { vendor } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });

  it('answers /healthz', async () => {
    const res = await fetch(graph.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', vendors: [{ vendor: 'LEADERCLOUD', simulated: true }] });
  });

  it('reports configured vendors with health and capabilities', async () => {
    const res = await graph.query('{ vendors { vendor name simulated supports health { ok check latencyMs } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.vendors).toEqual([
      expect.objectContaining({
        vendor: 'LEADERCLOUD',
        name: 'Leader Cloud',
        simulated: true,
        supports: ['CUSTOMER', 'SUBSCRIPTION', 'ORDER', 'INVOICE', 'PRODUCT'],
        health: expect.objectContaining({ ok: true }),
      }),
    ]);
  });

  it('answers malformed ids with BAD_USER_INPUT and no upstream call', async () => {
    graph.resetCalls();
    for (const id of ['nope', 'Y2cxOkxFQURFUkNMT1VEOkN1c3RvbWVyOmFiYw', 'Y2cxOkFDTUU6Q3VzdG9tZXI6MQ', '']) {
      const res = await graph.query('query($id: ID!) { node(id: $id) { id } }', { id });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).not.toMatch(/at \w+ \(/); // no stack trace
    }
    expect(graph.calls().total).toBe(0);
  });

  it('answers an id of an unconfigured vendor with VENDOR_NOT_CONFIGURED and no upstream call', async () => {
    graph.resetCalls();
    const id = Buffer.from('cg1:INGRAM:Customer:1000001').toString('base64url');
    const res = await graph.query('query($id: ID!) { customer(id: $id) { id } }', { id });
    expect(res.errors?.[0]?.extensions?.code).toBe('VENDOR_NOT_CONFIGURED');
    expect(graph.calls().total).toBe(0);
  });

  it('rejects a foreign cursor and an out-of-range page size', async () => {
    const bad = await graph.query('{ customers(after: "bogus") { totalCount } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await graph.query('{ customers(first: 5000) { totalCount } }');
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
