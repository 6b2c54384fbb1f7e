/**
 * The Cache-Control of a query computed from its selections (src/cache-policy.ts) against
 * Apollo Server's own cache-control plugin, which hooks every resolved field: the same
 * header for every example and test query over the same simulators, and never a looser one
 * where a selection resolved nothing.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GraphContext } from '../../src/context.js';
import { simulatorVendorConfig } from '../../src/demo.js';
import { toGlobalId } from '../../src/ids.js';
import { buildSchema } from '../../src/schema.js';
import { buildAdapters } from '../../src/vendors/registry.js';
import { startGraph, type Graph } from '../helpers/graph.js';

const example = (name: string) => readFileSync(new URL(`../../examples/${name}.graphql`, import.meta.url), 'utf8');

describe('Cache-Control from the selections, against Apollo’s cache-control plugin', () => {
  let graph: Graph;
  let apollo: ApolloServer<GraphContext>;
  let adapters: ReturnType<typeof buildAdapters>;
  beforeAll(async () => {
    graph = await startGraph({ seed: 3, size: 30 });
    adapters = buildAdapters(simulatorVendorConfig(graph.sims, 5_000), { simulated: true });
    apollo = new ApolloServer<GraphContext>({ schema: buildSchema(), plugins: [ApolloServerPluginCacheControl({ defaultMaxAge: 0 })] });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo.stop();
    await graph.close();
  });

  /** The header channelgraph sends, and the one Apollo's plugin computes for the same operation. */
  async function both(query: string, variables: Record<string, unknown> = {}) {
    const ours = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await ours.json()) as { errors?: unknown[] };
    const reference = await apollo.executeOperation({ query, variables }, { contextValue: createContext(adapters) });
    return { ours: ours.headers.get('cache-control'), apollo: reference.http.headers.get('cache-control'), errors: body.errors };
  }
  const maxAge = (header: string | null | undefined) => Number(/max-age=(\d+)/.exec(header ?? '')?.[1] ?? 0);

  it('gives every example and test query the header Apollo’s plugin gives it', async () => {
    const { data } = await graph.query('{ customers(vendor: LEADERCLOUD, first: 1) { nodes { id } } }');
    const id = data.customers.nodes[0].id as string;
    const cases: Array<[string, Record<string, unknown>]> = [
      [example('license-overview'), { first: 20 }],
      [example('customer-360'), { id }],
      [example('open-orders'), {}],
      [example('spend-per-vendor'), { first: 20 }],
      ['{ products(first: 3) { nodes { id name sku prices { price { amount currency } } } } }', {}],
      ['{ customers(first: 3) { totalCount pageInfo { hasNextPage } nodes { id name address { city } } } }', {}],
      ['{ subscriptions(first: 3) { nodes { id quantity price { amount } product { name } } } }', {}],
      ['{ a: customers(first: 2) { nodes { name } } b: products(first: 2) { nodes { name } } }', {}],
      // @skip / @include decide what counts: the 30 s subscriptions only when included.
      ['query($s: Boolean!) { customers(first: 2) { nodes { name subscriptions(first: 2) @include(if: $s) { nodes { id } } } } }', { s: true }],
      ['query($s: Boolean!) { customers(first: 2) { nodes { name subscriptions(first: 2) @include(if: $s) { nodes { id } } } } }', { s: false }],
      ['query($s: Boolean!) { customers(first: 2) { nodes { name ... @skip(if: $s) { subscriptions(first: 2) { nodes { id } } } } } }', { s: true }],
      // A variable not given takes its default.
      ['query($s: Boolean = true) { customers(first: 2) { nodes { name subscriptions(first: 2) @include(if: $s) { nodes { id } } } } }', {}],
      ['{ customers(first: 2) { nodes { ...C } } } fragment C on Customer { name subscriptions(first: 1) { nodes { name } } }', {}],
      // The host graph's organisation inherits its parent's maxAge (the field's own inheritMaxAge).
      ['{ unmappedCustomers(vendor: LEADERCLOUD, candidates: [{ id: "o1", name: "Acme" }], first: 3) { nodes { customer { name } suggestedOrganizations { organization { id } score } } } }', {}],
      // Never cacheable: polled and vendor-state types, introspection.
      ['{ vendors { vendor name health { ok } } }', {}],
      ['{ __schema { queryType { name } } }', {}],
      ['{ __typename }', {}],
    ];
    for (const [query, variables] of cases) {
      const got = await both(query, variables);
      expect(got.errors, query).toBeUndefined();
      expect(got.ours, query).toBe(got.apollo);
    }
    // The cases cover both kinds of answer.
    expect(new Set(await Promise.all(cases.slice(4, 8).map(async ([q, v]) => (await both(q, v)).ours)))).toEqual(new Set(['max-age=600, private', 'max-age=300, private', 'max-age=30, private']));
  });

  it('is never looser than Apollo’s where a selection resolved nothing', async () => {
    const missing = toGlobalId('LEADERCLOUD', 'Customer', '999999999');
    const cases: Array<[string, Record<string, unknown>]> = [
      // A customer that is not there: Apollo saw only the root field (300 s); its subscriptions count here (30 s).
      ['query($id: ID!) { customer(id: $id) { name subscriptions(first: 2) { nodes { id } } } }', { id: missing }],
      // An empty page: Apollo resolved no subscription.
      ['{ customers(first: 0) { nodes { name subscriptions(first: 2) { nodes { id } } } } }', {}],
    ];
    for (const [query, variables] of cases) {
      const got = await both(query, variables);
      expect(got.errors, query).toBeUndefined();
      expect(maxAge(got.ours), query).toBeLessThanOrEqual(maxAge(got.apollo));
    }
    expect((await both(cases[0]![0], cases[0]![1])).ours).toBe('max-age=30, private');
  });
});
