/**
 * A real federated run: @apollo/gateway in-process over channelgraph (served over HTTP
 * against the simulators) and a fixture PSA subgraph (also over HTTP on 127.0.0.1, built
 * with buildSubgraphSchema) that owns `Organization` with its billed quantities. One query
 * starts at the host's organisations and ends in vendor subscriptions, the licence summary
 * and the reconciliation. Then with CHANNELGRAPH_TYPE_PREFIX / _ROOT_FIELD_PREFIX beside a
 * billing fixture that owns `Customer`, `Product` and `Query.products`: the composition
 * errors it causes unprefixed are gone. And a stitched gateway (The Guild's
 * @graphql-tools/federation) over the same subgraphs runs the same query.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
type Data = any;

interface Billed {
  sku: string;
  quantity: number;
}

/** The PSA subgraph: the host's organisations and what it bills them. */
async function startPsa(billed: Map<string, Billed[]>) {
  const orgs = [
    { id: 'org-boab', name: 'Boab Marketing Partners', domain: 'boabmarketing.com' },
    { id: 'org-meridian', name: 'Meridian Pharmacy', domain: 'meridianpharmacy.com' },
    { id: 'org-kestrel', name: 'Kestrel IT Services', domain: 'kestrelitservices.com.au' },
  ];
  const schema = buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Organization @key(fields: "id") {
        id: ID!
        name: String!
        domain: String
        billed: [BilledLicense!]!
      }
      type BilledLicense { sku: String! quantity: Int! }
      type Query { organizations: [Organization!]! }
    `),
    resolvers: {
      Query: { organizations: () => orgs },
      Organization: {
        __resolveReference: (ref: { id: string }) => orgs.find((o) => o.id === ref.id) ?? null,
        billed: (o: { id: string }) => billed.get(o.id) ?? [],
      },
    },
  });
  return serve(schema);
}

/** A billing subgraph with its own Customer, Product and Query.products. */
function startBilling() {
  return serve(
    buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Customer @key(fields: "id") { id: ID! name: String! status: String! }
        type Product { id: ID! name: String! }
        type Query { products: [Product!]! }
      `),
      resolvers: { Query: { products: () => [{ id: 'p1', name: 'Support plan' }] } },
    }),
  );
}

async function serve(schema: ReturnType<typeof buildSubgraphSchema>) {
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

/** The gateway, asking every subgraph to read fresh (no cross-request cache between the counted runs). */
async function startGateway(subgraphs: Array<{ name: string; url: string }>) {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest: ({ request }) => request.http?.headers.set('cache-control', 'no-cache'),
      }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  return {
    async query(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Data; errors?: Data[] }> {
      const res = await server.executeOperation({ query, variables });
      if (res.body.kind !== 'single') throw new Error('incremental response');
      return res.body.singleResult as { data?: Data; errors?: Data[] };
    },
    stop: () => server.stop(),
  };
}

async function sdlOf(url: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
  return ((await res.json()) as Data).data._service.sdl;
}

/** Maps the channelgraph customers of two companies to the PSA's organisations. */
async function mapCompanies(graph: Graph, root = '', mutation = 'mapCustomer') {
  const field = root ? `${root}Customers` : 'customers';
  const res = await graph.query(`{
    boab: ${field}(first: 10, filter: { name: "Boab Marketing Partners" }) { nodes { id } }
    meridian: ${field}(first: 10, filter: { name: "Meridian Pharmacy" }) { nodes { id } }
  }`);
  expect(res.errors).toBeUndefined();
  const ids: Record<string, string[]> = { 'org-boab': res.data.boab.nodes.map((n: Data) => n.id), 'org-meridian': res.data.meridian.nodes.map((n: Data) => n.id) };
  for (const [org, list] of Object.entries(ids)) {
    for (const id of list) {
      const m = await graph.query(`mutation($o: ID!, $id: ID!) { ${mutation}(organizationId: $o, customerId: $id) { userErrors { code } } }`, { o: org, id });
      expect(m.data[mutation].userErrors).toEqual([]);
    }
  }
  return ids;
}

const JOIN_QUERY = () => `query Join {
  organizations {
    id
    name
    billed { sku quantity }
    vendorCustomers { id vendor name }
    vendorSubscriptions(status: ACTIVE) { totalCount nodes { vendor sku quantity price { amount currency } } }
    licenseSummary { key vendors quantity monthlyCost { amount currency } }
  }
}`;

const EXCEPTIONS = (prefix: string) => `query Exceptions($orgs: [${prefix}OrganizationBilledInput!]!) {
  exceptions: ${prefix ? 'channelReconciliationExceptions' : 'reconciliationExceptions'}(organizations: $orgs) {
    organization { id name domain }
    line { key vendorQuantity billedQuantity difference direction }
  }
}`;

/** The host's billed quantities, read from the host, as the reconciliation's input. */
function billedInput(orgs: Data[]) {
  return orgs.map((o: Data) => ({ organizationId: o.id, billed: o.billed }));
}

function checkJoin(data: Data, ids: Record<string, string[]>) {
  const [boab, meridian, kestrel] = data.organizations;
  expect(boab).toMatchObject({ id: 'org-boab', name: 'Boab Marketing Partners' });
  expect(boab.vendorCustomers.map((c: Data) => c.id)).toEqual(ids['org-boab']);
  expect(new Set(boab.vendorCustomers.map((c: Data) => c.vendor))).toEqual(new Set(['LEADERCLOUD', 'CLOUDMORE', 'INGRAM']));
  expect(meridian.vendorCustomers.map((c: Data) => c.id)).toEqual(ids['org-meridian']);
  expect(kestrel.vendorCustomers).toEqual([]);
  for (const org of [boab, meridian]) {
    expect(org.vendorSubscriptions.totalCount).toBeGreaterThan(0);
    const seats = org.vendorSubscriptions.nodes.reduce((n: number, s: Data) => n + s.quantity, 0);
    // ACTIVE seats are all in the summary (which also counts PENDING_CANCELLATION).
    expect(org.licenseSummary.reduce((n: number, l: Data) => n + l.quantity, 0)).toBeGreaterThanOrEqual(seats);
    expect(org.licenseSummary.every((l: Data) => l.monthlyCost.length > 0)).toBe(true);
  }
}

describe('federation: a gateway over channelgraph and the host PSA subgraph', () => {
  let graph: Graph;
  let psa: Awaited<ReturnType<typeof startPsa>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let ids: Record<string, string[]>;
  const billed = new Map<string, Billed[]>();

  beforeAll(async () => {
    graph = await startGraph({});
    ids = await mapCompanies(graph);
    // What the host bills: Boab's first product one seat short, Meridian's exactly, plus a product no vendor has.
    const summary = await graph.query('query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { licenseSummary { key quantity } } } }', {
      reps: [{ __typename: 'Organization', id: 'org-boab' }, { __typename: 'Organization', id: 'org-meridian' }],
    });
    const [b, m] = summary.data._entities;
    billed.set('org-boab', [{ sku: b.licenseSummary[0].key, quantity: b.licenseSummary[0].quantity - 1 }]);
    billed.set('org-meridian', [...m.licenseSummary.map((l: Data) => ({ sku: l.key, quantity: l.quantity })), { sku: 'PSA-SUPPORT', quantity: 2 }]);
    psa = await startPsa(billed);
    gateway = await startGateway([{ name: 'psa', url: psa.url }, { name: 'channelgraph', url: graph.url }]);
  });
  afterAll(async () => {
    await gateway?.stop();
    await psa?.stop();
    await graph?.close();
  });

  it('starts at the host organisations and ends in vendor customers, subscriptions and the licence summary', async () => {
    const res = await gateway.query(JOIN_QUERY());
    expect(res.errors).toBeUndefined();
    checkJoin(res.data, ids);
  });

  it('reconciles what the host bills (read from the host) against the vendor seats, exceptions only', async () => {
    const host = await gateway.query('{ organizations { id billed { sku quantity } } }');
    const res = await gateway.query(EXCEPTIONS(''), { orgs: billedInput(host.data.organizations) });
    expect(res.errors).toBeUndefined();
    const rows = res.data.exceptions;
    expect(rows.every((r: Data) => r.line.direction !== 'MATCHED')).toBe(true);
    const boabFirst = billed.get('org-boab')![0]!;
    // Names come from the PSA subgraph, lines from channelgraph.
    expect(rows).toContainEqual({ organization: { id: 'org-boab', name: 'Boab Marketing Partners', domain: 'boabmarketing.com' }, line: expect.objectContaining({ key: boabFirst.sku, difference: 1, direction: 'UNDER_BILLED' }) });
    expect(rows.filter((r: Data) => r.organization.id === 'org-meridian')).toEqual([
      { organization: expect.objectContaining({ id: 'org-meridian' }), line: { key: 'PSA-SUPPORT', vendorQuantity: 0, billedQuantity: 2, difference: -2, direction: 'OVER_BILLED' } },
    ]);
    // Per organisation, in the same federated query (argument from the host's data).
    const one = await gateway.query('query($b: [BilledQuantityInput!]!) { organizations { id reconciliation(billed: $b) { key direction } } }', { b: billed.get('org-meridian') });
    expect(one.errors).toBeUndefined();
    const meridian = one.data.organizations.find((o: Data) => o.id === 'org-meridian');
    expect(meridian.reconciliation.filter((l: Data) => l.direction !== 'MATCHED')).toEqual([{ key: 'PSA-SUPPORT', direction: 'OVER_BILLED' }]);
  });

  it('batches the organisations of one _entities fetch through the loaders (simulator counters)', async () => {
    graph.resetCalls();
    const res = await gateway.query('{ organizations { name vendorCustomers { name } vendorSubscriptions { nodes { quantity } } } }');
    expect(res.errors).toBeUndefined();
    const federated = graph.calls();
    graph.resetCalls();
    const all = [...ids['org-boab']!, ...ids['org-meridian']!];
    await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name subscriptions { nodes { quantity } } } } }', { ids: all }, { 'cache-control': 'no-cache' });
    const direct = graph.calls();
    expect(federated.total).toBe(direct.total);
    for (const vendor of Object.keys(direct.byVendor)) expect(federated.byVendor[vendor]!.byRoute, vendor).toEqual(direct.byVendor[vendor]!.byRoute);
  });

  it('runs the same query through a stitched gateway (@graphql-tools/federation)', async () => {
    const { supergraphSdl, errors } = composeServices([
      { name: 'psa', url: psa.url, typeDefs: parse(await sdlOf(psa.url)) },
      { name: 'channelgraph', url: graph.url, typeDefs: parse(await sdlOf(graph.url)) },
    ]);
    expect(errors ?? []).toEqual([]);
    // The stitched schema, served by Apollo Server (executed by the graphql-js the stitching tools load).
    const schema = getStitchedSchemaFromSupergraphSdl({ supergraphSdl: supergraphSdl!, httpExecutorOpts: { headers: { 'cache-control': 'no-cache' } } });
    const stitched = new ApolloServer({ schema });
    await stitched.start();
    const run = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await stitched.executeOperation({ query, variables });
      if (res.body.kind !== 'single') throw new Error('incremental response');
      return res.body.singleResult as { data?: Data; errors?: Data[] };
    };
    try {
      const res = await run(JOIN_QUERY());
      expect(res.errors).toBeUndefined();
      checkJoin(res.data, ids);
      const host = await run('{ organizations { id billed { sku quantity } } }');
      const exceptions = await run(EXCEPTIONS(''), { orgs: billedInput(host.data.organizations) });
      expect(exceptions.errors).toBeUndefined();
      expect(exceptions.data.exceptions.length).toBeGreaterThan(0);
      expect(exceptions.data.exceptions[0].organization.name).toBeTruthy();
    } finally {
      await stitched.stop();
    }
  });
});

describe('federation: namespaced beside a billing subgraph that owns Customer, Product and products', () => {
  let plain: Graph;
  let prefixed: Graph;
  let psa: Awaited<ReturnType<typeof startPsa>>;
  let billing: Awaited<ReturnType<typeof startBilling>>;

  beforeAll(async () => {
    [plain, prefixed] = await Promise.all([startGraph({ vendors: ['leadercloud'] }), startGraph({ join: { typePrefix: 'Channel', rootFieldPrefix: 'channel' } })]);
    psa = await startPsa(new Map());
    billing = await startBilling();
  });
  afterAll(async () => {
    await billing?.stop();
    await psa?.stop();
    await plain?.close();
    await prefixed?.close();
  });

  it('fails to compose unprefixed, and composes with the prefixes', async () => {
    const services = async (g: Graph) => [
      { name: 'psa', url: psa.url, typeDefs: parse(await sdlOf(psa.url)) },
      { name: 'billing', url: billing.url, typeDefs: parse(await sdlOf(billing.url)) },
      { name: 'channelgraph', url: g.url, typeDefs: parse(await sdlOf(g.url)) },
    ];
    const clash = composeServices(await services(plain));
    // The 7 errors of issue 12: code and the field each names.
    const found = (clash.errors ?? []).map((e) => `${String(e.extensions.code)} ${/"([\w.]+)"/.exec(e.message)?.[1]}`).sort();
    expect(found).toEqual([
      'FIELD_TYPE_MISMATCH Customer.status',
      'FIELD_TYPE_MISMATCH Query.products',
      'INVALID_FIELD_SHARING Customer.name',
      'INVALID_FIELD_SHARING Customer.status',
      'INVALID_FIELD_SHARING Product.id',
      'INVALID_FIELD_SHARING Product.name',
      'INVALID_FIELD_SHARING Query.products',
    ]);
    expect(composeServices(await services(prefixed)).errors ?? []).toEqual([]);
  });

  it('serves the federated query under the prefixed names', async () => {
    const ids = await mapCompanies(prefixed, 'channel', 'channelMapCustomer');
    const gateway = await startGateway([
      { name: 'psa', url: psa.url },
      { name: 'billing', url: billing.url },
      { name: 'channelgraph', url: prefixed.url },
    ]);
    try {
      const res = await gateway.query(`query Join {
        products { id name }
        organizations {
          id
          name
          billed { sku quantity }
          vendorCustomers { __typename id vendor name }
          vendorSubscriptions(status: ACTIVE) { totalCount nodes { vendor sku quantity price { amount currency } } }
          licenseSummary { key vendors quantity monthlyCost { amount currency } }
        }
      }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.products).toEqual([{ id: 'p1', name: 'Support plan' }]);
      checkJoin(res.data, ids);
      expect(res.data.organizations[0].vendorCustomers[0].__typename).toBe('ChannelCustomer');
      const exceptions = await gateway.query(EXCEPTIONS('Channel'), { orgs: [{ organizationId: 'org-boab', billed: [] }] });
      expect(exceptions.errors).toBeUndefined();
      expect(exceptions.data.exceptions.every((r: Data) => r.line.direction === 'UNDER_BILLED')).toBe(true);
      expect(exceptions.data.exceptions.some((r: Data) => r.organization.name === 'Boab Marketing Partners')).toBe(true);
    } finally {
      await gateway.stop();
    }
  });
});
