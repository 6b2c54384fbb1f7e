/**
 * Every GraphQL example in README.md, run in the order the README shows them against the
 * graph over all three simulators: none may fail validation or answer with an error or a
 * userError. Named operations get their variables here (ids found through the graph);
 * a new named example without an entry below fails the test, so the README cannot drift.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = [...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

type State = Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
type Data = any;

const DAY = 24 * 3600 * 1000;

describe('README examples', () => {
  let graph: Graph;
  const state: State = {};

  beforeAll(async () => {
    graph = await startGraph({ seed: 4, size: 60 });
    const res = await graph.query(`{
      customers(vendor: LEADERCLOUD, first: 5) { nodes { id } }
      invoices(vendor: LEADERCLOUD, first: 1) { nodes { id } }
      products(vendor: LEADERCLOUD, first: 10) { nodes { id prices { unit } } }
      subscriptions(vendor: LEADERCLOUD, first: 1, filter: { status: ACTIVE }) { nodes { id } }
    }`);
    expect(res.errors).toBeUndefined();
    state.customerId = res.data.customers.nodes[0].id;
    state.invoiceId = res.data.invoices.nodes[0].id;
    const product = res.data.products.nodes.find((p: { prices: Array<{ unit: string | null }> }) => p.prices.some((x) => x.unit));
    state.productId = product.id;
    state.unit = product.prices.find((x: { unit: string | null }) => x.unit).unit;
    state.subscriptionId = res.data.subscriptions.nodes[0].id;
  });
  afterAll(() => graph.close());

  /** Variables per named operation, and what to keep from its answer. */
  interface Example {
    variables: (s: State) => Record<string, unknown>;
    after?: (data: Data, s: State) => Promise<void> | void;
  }
  const operations: Record<string, Example> = {
    Dashboard: { variables: () => ({ after: null }) },
    One: {
      variables: (s) => ({ id: s.customerId }),
      after: async (_data, s) => {
        // The same example with an invoice id exercises its Invoice fragment.
        const res = await graph.query(examples.find((e) => e.includes('query One'))!, { id: s.invoiceId });
        expect(res.errors).toBeUndefined();
        expect(res.data.node.number).toBeTruthy();
      },
    },
    CreateDraft: {
      variables: (s) => ({ customerId: s.customerId, key: `readme-${Date.now()}` }),
      after: (data, s) => {
        expect(data.createOrder.order.status).toBe('DRAFT');
        s.orderId = data.createOrder.order.id;
      },
    },
    AddItem: {
      variables: (s) => ({ orderId: s.orderId, productId: s.productId, unit: s.unit }),
      after: (data) => expect(data.addOrderItem.order.items.map((i: { quantity: number }) => i.quantity)).toContain(5),
    },
    Checkout: { variables: (s) => ({ orderId: s.orderId }) },
    PollOrder: {
      variables: (s) => ({ orderId: s.orderId }),
      after: async (data, s) => {
        expect(data.order.status).not.toBe('DRAFT');
        // The vendor carries the order out on its own clock: move it on and poll again.
        graph.sims.leadercloud.control.advance(DAY);
        const res = await graph.query(examples.find((e) => e.includes('query PollOrder'))!, { orderId: s.orderId });
        expect(res.errors).toBeUndefined();
        expect(res.data.order.status).toBe('COMPLETED');
        expect(res.data.order.executionStatus.status).toBe('COMPLETED');
      },
    },
    ChangeSeats: {
      variables: (s) => ({ subscriptionId: s.subscriptionId }),
      after: (data, s) => {
        expect(data.updateSubscriptionQuantity.quantityRequest.quantity).toBe(12);
        s.requestId = data.updateSubscriptionQuantity.quantityRequest.id;
        graph.sims.leadercloud.control.advance(DAY);
      },
    },
    PollSeats: {
      variables: (s) => ({ subscriptionId: s.subscriptionId, requestId: s.requestId }),
      after: (data) => {
        expect(data.subscription.quantityRequest.status).toBe('COMPLETED');
        expect(data.subscription.quantity).toBe(12);
      },
    },
    // Join your graph: one Leader Cloud customer mapped to org-readme, then the organisation read as the router would.
    MapCustomer: {
      variables: (s) => ({ organizationId: 'org-readme', customerId: s.customerId }),
      after: (data, s) => expect(data.mapCustomer.mapping).toMatchObject({ organizationId: 'org-readme', customerId: s.customerId, vendor: 'LEADERCLOUD' }),
    },
    Mappings: { variables: () => ({}), after: (data) => expect(data.customerMappings.map((m: { organizationId: string }) => m.organizationId)).toContain('org-readme') },
    OrganizationLicences: {
      variables: () => ({ representations: [{ __typename: 'Organization', id: 'org-readme' }], billed: [{ sku: 'README-HOST-SKU', quantity: 2 }] }),
      after: (data) => {
        const [org] = data._entities;
        expect(org.vendorCustomers).toHaveLength(1);
        expect(org.reconciliation).toContainEqual({ key: 'README-HOST-SKU', vendorQuantity: 0, billedQuantity: 2, difference: -2, direction: 'OVER_BILLED' });
      },
    },
    LicenceExceptions: {
      variables: () => ({ organizations: [{ organizationId: 'org-readme', billed: [{ sku: 'README-HOST-SKU', quantity: 2 }] }] }),
      after: (data) => expect(data.reconciliationExceptions.length).toBeGreaterThan(0),
    },
    Unmapped: {
      variables: () => ({ candidates: [{ id: 'org-candidate', name: 'Kestrel IT Services', domain: 'kestrelitservices.com.au', externalId: 'MSP-00001' }] }),
      after: (data, s) => expect(data.unmappedCustomers.nodes.map((n: { customer: { id: string } }) => n.customer.id)).not.toContain(s.customerId),
    },
    SameCompany: { variables: (s) => ({ id: s.customerId }), after: (data) => expect(data.customer.organizationId).toBe('org-readme') },
    UnmapCustomer: {
      variables: (s) => ({ organizationId: 'org-readme', customerId: s.customerId }),
      after: (data) => expect(data.unmapCustomer.mapping.organizationId).toBe('org-readme'),
    },
  };

  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.map((e, i) => [i + 1, /^\s*(?:query|mutation)\s+(\w+)/.exec(e)?.[1] ?? '(anonymous)', e]))('example %i: %s', async (_n, name, document) => {
    const op: Example | undefined = name === '(anonymous)' ? { variables: () => ({}) } : operations[name];
    expect(op, `README operation ${name} has variables in test/graph/readme.test.ts`).toBeDefined();
    const res = await graph.query(document, op!.variables(state));
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    for (const payload of Object.values(res.data ?? {})) {
      const userErrors = (payload as { userErrors?: unknown[] } | null)?.userErrors;
      if (userErrors) expect(userErrors).toEqual([]);
    }
    await op!.after?.(res.data, state);
  });
});
