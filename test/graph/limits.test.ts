/**
 * Query limits: the hostile queries of the safety review are refused before execution,
 * each naming the limit it broke, with zero upstream calls; ordinary dashboards pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

/** customers → subscriptions → customer → subscriptions ... (`levels` odd, so it ends on a customer). */
function deep(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `customer { ${inner} }` : `subscriptions { nodes { ${inner} } }`;
  return `{ customers(first: 500) { nodes { subscriptions { nodes { ${inner} } } } } }`;
}

describe('query limits', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await startGraph({ seed: 2, size: 20 });
  });
  afterAll(() => graph.close());

  async function refused(query: string, variables: Record<string, unknown> = {}) {
    graph.resetCalls();
    const res = await graph.query(query, variables);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(graph.calls().total).toBe(0);
    return res.errors![0]!;
  }

  it('refuses a deeply nested query by depth', async () => {
    const error = await refused(deep(17));
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/depth limit of 10/i);
  });

  it('refuses 2,000 aliases', async () => {
    const aliases = Array.from({ length: 2000 }, (_, i) => `a${i}: vendors { health { ok } }`).join(' ');
    const error = await refused(`{ ${aliases} }`);
    expect(error.message).toMatch(/token|alias/i);
  });

  it('refuses 40 aliases of a big list by aliases, and 25 of them by cost', async () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `c${i}: customers(first: 500) { nodes { name subscriptions(first: 500) { nodes { name } } } }`).join(' ');
    expect((await refused(`{ ${list(40)} }`)).message).toMatch(/aliases limit of 30/i);
    const cost = await refused(`{ ${list(25)} }`);
    expect(cost.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', max: 250000 });
  });

  it('counts list sizes from variables too', async () => {
    const query = 'query($n: Int) { customers(first: $n) { nodes { subscriptions(first: $n) { nodes { name product { name } } } } } }';
    const error = await refused(query, { n: 500 });
    expect(error.extensions?.limit).toBe('cost');
    graph.resetCalls();
    const ok = await graph.query(query, { n: 5 });
    expect(ok.errors).toBeUndefined();
    expect(graph.calls().total).toBeGreaterThan(0);
  });

  it('counts a variable the request leaves out at its default, as execution will', async () => {
    const costly = await refused('query($n: Int = 500) { customers(first: $n) { nodes { subscriptions(first: $n) { nodes { name product { name } } } } } }');
    expect(costly.extensions?.limit).toBe('cost');
    const huge = await refused('query($n: Int = 100000) { customers(first: $n) { nodes { name } } }');
    expect(huge.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    // Given explicitly, the variable wins over its default.
    const ok = await graph.query('query($n: Int = 500) { customers(first: $n) { nodes { subscriptions(first: $n) { nodes { name } } } } }', { n: 3 });
    expect(ok.errors).toBeUndefined();
  });

  it('refuses fragments that spread each other twice, 20 deep, by cost, with no upstream call', async () => {
    // 20 deep, so that a walk regressed to 2^depth paths still ends (in seconds) and fails
    // here; test/walks.test.ts walks 60 deep in a process of its own, under a deadline.
    let fragments = '';
    for (let i = 1; i < 20; i++) fragments += ` fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`;
    const error = await refused(`{ customers(first: 1) { nodes { ...F1 } } }${fragments} fragment F20 on Customer { name subscriptions(first: 1) { nodes { id } } }`);
    expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
    // The same shape 10 deep is 512 customers' names: cheap enough, and its Cache-Control is the subscriptions' (one walk per fragment).
    let small = '';
    for (let i = 1; i < 10; i++) small += ` fragment G${i} on Customer { ...G${i + 1} ...G${i + 1} }`;
    const ok = await graph.query(`{ customers(first: 1) { nodes { ...G1 } } }${small} fragment G10 on Customer { name subscriptions(first: 1) { nodes { id } } }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.customers.nodes[0].name).toEqual(expect.any(String));
  });

  it('checks a nested first before anything is fetched', async () => {
    const error = await refused('{ customers(first: 5) { nodes { subscriptions(first: -1) { nodes { name } } } } }');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('bounds filter strings', async () => {
    const error = await refused('query($n: String) { customers(first: 5, filter: { name: $n }) { nodes { name } } }', { n: 'x'.repeat(400_000) });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter' });
  });

  it('caps _entities representations like nodes', async () => {
    const representations = Array.from({ length: 101 }, (_, i) => ({ __typename: 'Customer', id: `x${i}` }));
    const error = await refused('query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name } } }', { r: representations });
    expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'entities', max: 100, found: 101 });
  });

  it('refuses a forged cursor far past any list, before calling the vendor', async () => {
    const query = 'query($a: String) { customers(vendor: LEADERCLOUD, first: 5, after: $a) { pageInfo { endCursor } nodes { name } } }';
    const real = (await graph.query(query, { a: null })).data.customers.pageInfo.endCursor as string;
    // The same list's own cursor, with its offset pushed past anything a vendor can page to.
    const decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as { o: number };
    expect(decoded.o).toBe(5);
    const forged = Buffer.from(JSON.stringify({ ...decoded, o: 2 ** 53 - 1 })).toString('base64url');
    graph.resetCalls();
    const res = await graph.query(query, { a: forged });
    expect(res.data?.customers ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(graph.calls().total).toBe(0);
  });
});
