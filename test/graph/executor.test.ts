/**
 * Execution (src/executor.ts): graphql-jit answers exactly what graphql-js answers.
 *
 * Two graphs over two copies of the same simulated world (same seed and size): one as
 * deployed (graphql-jit), one with `executor: 'graphql-js'`. Each operation goes once to
 * the graphql-js graph and twice to the graphql-jit one, whose second run is compiled
 * (the first is graphql-js: a document is compiled the second time it is seen, or the
 * first when its request waits for a vendor login); the two answers must be equal, data
 * and errors (messages, paths, codes) alike. /metrics counts which executor ran what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';
import { DASHBOARD } from '../helpers/queries.js';

const METRICS_TOKEN = 'scraper-token-0123456789abcdef';

/** Operations and variables that exercise what a compiler could get wrong. */
const CASES: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  { name: 'the README dashboard, one vendor', query: DASHBOARD, variables: { vendor: 'LEADERCLOUD', first: 20 } },
  { name: 'the README dashboard, across vendors', query: DASHBOARD, variables: { first: 30 } },
  {
    name: 'fragments on an interface, aliases, __typename, @include and @skip on spreads and fields',
    query: `query Mixed($withSubs: Boolean!, $skipName: Boolean!) {
      first: customers(vendor: CLOUDMORE, first: 3) { nodes { ...Who ...Subs @include(if: $withSubs) } }
      second: customers(vendor: INGRAM, first: 2) { nodes { __typename id name @skip(if: $skipName) ... on Customer { vendorId } } }
    }
    fragment Who on Node { __typename id ... on Customer { name vendor } }
    fragment Subs on Customer { subscriptions(first: 2) { totalCount nodes { id quantity price { amount currency } } } }`,
    variables: { withSubs: true, skipName: true },
  },
  {
    name: 'node and nodes: abstract types, unknown and malformed ids (errors with paths)',
    query: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Customer { name } } bad: node(id: "not-an-id") { id } }`,
  },
  { name: 'argument defaults and null arguments', query: `{ orders(vendor: LEADERCLOUD, first: 5, after: null) { nodes { id status total { amount currency } } pageInfo { hasNextPage } } }` },
  { name: 'introspection, as Sandbox sends it', query: `{ __schema { queryType { name } } __type(name: "Customer") { name kind fields { name type { name kind ofType { name kind } } } } }` },
];

let jit: Graph;
/** Documents the graphql-jit graph has seen. */
const sent = new Set<string>();
let js: Graph;

beforeAll(async () => {
  [jit, js] = await Promise.all([startGraph({ metricsToken: METRICS_TOKEN }), startGraph({ executor: 'graphql-js' })]);
  // The `nodes` case: ids of real customers (the same in both worlds) and one that does not exist.
  const found = await js.query('{ customers(vendor: LEADERCLOUD, first: 2) { nodes { id } } }');
  // Every vendor's login, so that the cases' first runs do not wait for one (they would be compiled at once).
  expect((await jit.query('{ customers(first: 1) { nodes { id } } }')).errors).toBeUndefined();
  const ids = found.data.customers.nodes.map((n: { id: string }) => n.id);
  CASES.find((c) => c.name.startsWith('node and nodes'))!.variables = { ids: [...ids, ids[0]!.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'))] };
});

afterAll(async () => {
  await Promise.all([jit?.close(), js?.close()]);
});

async function executions(graph: Graph = jit): Promise<Record<string, number>> {
  const res = await fetch(graph.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  return Object.fromEntries([...text.matchAll(/^channelgraph_graphql_executions_total\{executor="([^"]+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

describe('graphql-jit against graphql-js', () => {
  it.each(CASES)('$name: the compiled run answers as graphql-js does', async ({ query, variables }) => {
    const before = await executions();
    const expected = await js.query(query, variables);
    const first = await jit.query(query, variables);
    const compiled = await jit.query(query, variables);
    expect(compiled).toEqual(expected);
    expect(first).toEqual(expected);
    const after = await executions();
    // A new document: one graphql-js run (its first sight), then one compiled run. One seen
    // before (the dashboard with other variables): compiled both times.
    const seen = sent.has(query);
    sent.add(query);
    expect((after['graphql-js'] ?? 0) - (before['graphql-js'] ?? 0)).toBe(seen ? 0 : 1);
    expect((after['graphql-jit'] ?? 0) - (before['graphql-jit'] ?? 0)).toBe(seen ? 2 : 1);
  });

  it('compiles a document at first sight when its request waits for a login anyway, and at second sight once tokens are held', async () => {
    const fresh = await startGraph({ metricsToken: METRICS_TOKEN });
    try {
      const count = async () => {
        const e = await executions(fresh);
        return [e['graphql-jit'] ?? 0, e['graphql-js'] ?? 0];
      };
      const query = '{ customers(vendor: INGRAM, first: 3) { nodes { id name } } }';
      const expected = await js.query(query);
      expect(await fresh.query(query)).toEqual(expected); // no Ingram token yet: compiled during the login
      expect(await count()).toEqual([1, 0]);
      const other = '{ customers(vendor: INGRAM, first: 2) { nodes { id vendorId } } }';
      expect(await fresh.query(other)).toEqual(await js.query(other)); // the token is held: graphql-js first
      expect(await count()).toEqual([1, 1]);
      await fresh.query(other);
      expect(await count()).toEqual([2, 1]);
    } finally {
      await fresh.close();
    }
  });

  it('answers a vendor failure with the same partial result and errors', async () => {
    for (const g of [jit, js]) g.sims.cloudmore.control.addFault({ status: 400, method: 'GET', path: 'organizations' });
    try {
      const query = 'query Partial { customers(first: 40) { nodes { id vendor name } } leader: customers(vendor: LEADERCLOUD, first: 3) { nodes { id } } cm: customers(vendor: CLOUDMORE, first: 3) { nodes { id } } }';
      const expected = await js.query(query);
      expect(expected.errors?.length).toBeGreaterThan(0);
      expect(expected.data?.leader?.nodes).toHaveLength(3);
      await jit.query(query);
      expect(await jit.query(query)).toEqual(expected);
    } finally {
      for (const g of [jit, js]) g.sims.cloudmore.control.clearFaults();
    }
  });

  it('refuses bad variables as graphql-js does (BAD_USER_INPUT), and runs nothing', async () => {
    const query = 'query Page($first: Int) { customers(vendor: LEADERCLOUD, first: $first) { nodes { id } } }';
    await jit.query(query, { first: 1 });
    jit.resetCalls();
    const refused = await jit.query(query, { first: 'many' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused).toEqual(await js.query(query, { first: 'many' }));
    expect(jit.calls().total).toBe(0);
  });
});
