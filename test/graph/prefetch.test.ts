/**
 * Logins on the way (src/prefetch.ts): as an operation's execution starts, the vendors its
 * root fields name log in when they hold no token, and no other vendor does. Each case
 * runs on a fresh graph (no token held) over all three simulators and reads what each
 * simulator was sent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toGlobalId } from '../../src/ids.js';
import type { VendorKey } from '../../src/simulators/index.js';
import { startGraph, type Graph } from '../helpers/graph.js';

const LOGIN: Record<VendorKey, string> = { leadercloud: 'POST /oauth/token', cloudmore: 'POST /connect/token', ingram: 'POST /marketplace/:region/token' };
const GUID = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

let graph: Graph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

/** Runs `query` on a fresh graph; gives the vendors that were sent anything, and whether each logged in once. */
async function sent(query: string, variables: Record<string, unknown> = {}, options: Parameters<typeof startGraph>[0] = {}) {
  graph = await startGraph({ seed: 3, size: 20, ...options });
  const res = await graph.query(query, variables);
  const byVendor = graph.calls().byVendor;
  const reached = (Object.keys(LOGIN) as VendorKey[]).filter((k) => (byVendor[k]?.total ?? 0) > 0).sort();
  const logins = Object.fromEntries(reached.map((k) => [k, byVendor[k]!.byRoute[LOGIN[k]] ?? 0]));
  return { res, reached, logins };
}

describe('logins started as execution starts', () => {
  it('a query naming one vendor logs in to it alone', async () => {
    const { res, reached, logins } = await sent('{ customers(vendor: LEADERCLOUD, first: 2) { nodes { id name } } }');
    expect(res.errors).toBeUndefined();
    expect(reached).toEqual(['leadercloud']);
    expect(logins).toEqual({ leadercloud: 1 });
  });

  it('the login starts with execution, not with the first call: a cursor refused by its resolver has already logged in', async () => {
    // The trade-off of starting early: an operation whose resolvers refuse an argument after
    // execution started has logged in (once a token lifetime), though it sent nothing else.
    const { res } = await sent('{ customers(vendor: LEADERCLOUD, first: 2, after: "not-a-cursor") { nodes { id } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The answer does not wait for the login: it reaches the simulator soon after.
    await vi.waitFor(() => expect(graph!.calls().byVendor.leadercloud!.byRoute).toEqual({ [LOGIN.leadercloud]: 1 }), { timeout: 5_000 });
    expect(graph!.calls().total).toBe(1);
  });

  it('a list without a vendor logs in to the vendors that list it: invoices, Leader Cloud alone', async () => {
    const { res, reached } = await sent('{ invoices(first: 3) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(reached).toEqual(['leadercloud']);
  });

  it('a global id in a variable names its vendor, and a skipped field names none', async () => {
    const { reached, logins } = await sent('query ($id: ID!, $skip: Boolean!) { customer(id: $id) { name } other: customers(vendor: INGRAM, first: 1) @skip(if: $skip) { nodes { id } } }', {
      id: toGlobalId('CLOUDMORE', 'Customer', GUID),
      skip: true,
    });
    expect(reached).toEqual(['cloudmore']);
    expect(logins).toEqual({ cloudmore: 1 });
  });

  it('a malformed id and a refused operation log in nowhere', async () => {
    const malformed = await sent('query ($id: ID!) { customer(id: $id) { name } }', { id: toGlobalId('CLOUDMORE', 'Customer', 'not-a-guid') });
    expect(malformed.res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.reached).toEqual([]);
    await graph!.close();
    const refused = await sent('{ a: customers(vendor: INGRAM, first: 1) { nodes { id } } b: customers(vendor: INGRAM, first: 1) { nodes { id } } }', {}, { limits: { aliases: 1 } });
    expect(refused.res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.reached).toEqual([]);
  });

  it('leaves variables execution refuses to execution: a missing @skip variable is BAD_USER_INPUT as before, and logs in nowhere', async () => {
    const { res, reached } = await sent('query ($skip: Boolean!) { customers(vendor: INGRAM, first: 1) @skip(if: $skip) { nodes { id } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/\$skip/);
    expect(reached).toEqual([]);
  });

  it('federation references name their vendors', async () => {
    const representations = [
      { __typename: 'Customer', id: toGlobalId('INGRAM', 'Customer', '1000001') },
      { __typename: 'Customer', id: toGlobalId('CLOUDMORE', 'Customer', GUID) },
    ];
    const { reached, logins } = await sent('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { name } } }', { representations });
    expect(reached).toEqual(['cloudmore', 'ingram']);
    expect(logins).toEqual({ cloudmore: 1, ingram: 1 });
  });
});
