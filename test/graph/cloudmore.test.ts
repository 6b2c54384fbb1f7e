/**
 * The graph over the Cloudmore simulator, over real HTTP, in both simulator profiles
 * (`graph.profile`): paging and filters applied in the graph over Cloudmore's bare arrays,
 * subscriptions of every kind of service from their own endpoints (with `serviceType`),
 * relations, node(id), detail-only customer fields, the async billing report, exact
 * upstream cost per profile, inferred-shortcut modes, id validation, unsupported families,
 * outages and token expiry. Both profiles must give the same customers and subscriptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/ids.js';
import { REPORT_PENDING_MS, REPORT_READY_MS } from '../../src/simulators/cloudmore/billing.js';
import { simulatorVendorConfig } from '../../src/demo.js';
import type { ShortcutMode } from '../../src/config.js';
import type { SubscriptionModel } from '../../src/model.js';
import { createCloudmoreAdapter } from '../../src/vendors/cloudmore/index.js';
import { errorMessage, listOrOne, organizationRowLacks, toCustomer, toSubscription } from '../../src/vendors/cloudmore/mappers.js';
import { decimal } from '../../src/vendors/shared.js';
import { cloudmoreClient } from '../helpers/vendor-clients.js';
import { startGraph, suiteProfile, type Graph, type GraphResponse } from '../helpers/graph.js';
import { vendorProxy, type VendorProxy } from '../helpers/proxy.js';

const SEED = 20261101;
/** 80 world companies give 45 Cloudmore organizations for this seed; the catalogue gives 7 services (5 custom). */
const SIZE = 80;

interface Org {
  id: string;
  name: string;
  isActive: boolean;
  customerNumber: string | null;
}
interface Sub {
  id: string;
  /** From the organization-level path it was read from (rows carry it in `extended` only). */
  organizationId: string;
  /** The kind of the endpoint it was read from. */
  serviceType: string;
  productId: string;
  name: string;
  status: string;
  quantity: number;
  unitPrice: number;
  currencyCode: string;
  itemCode: string;
  renewalDate: string | null;
}
interface PriceItem {
  productId: string;
  name: string;
  itemCode: string;
  unit: string;
  prices: Array<{ currencyCode: string; price: number; cost: number }>;
}
interface Service {
  id: string;
  name: string;
  vendorName: string;
  type: string;
}
interface SimData {
  orgs: Org[];
  services: Service[];
  /** Every subscription, organization by organization, in the order the graph gives them. */
  subs: Sub[];
  products: PriceItem[];
  /** Product id → the reseller service whose price list has it. */
  serviceOfProduct: Map<string, string>;
  /** The custom services each organization has (its `GET …/services` rows that are custom). */
  customServicesOf: Map<string, string[]>;
  /** The types of the Microsoft services each organization has (`MicrosoftCsp`, `MicrosoftAzure`). */
  microsoftOf: Map<string, string[]>;
}

const R = '/api/resellers/:resellerId';
const OS = `${R}/organizations/:organizationId/services`;
const ROUTE = {
  token: 'POST /connect/token',
  organizations: `GET ${R}/Organizations`,
  organization: `GET ${R}/Organizations/:id`,
  services: `GET ${R}/services`,
  pricelist: `GET ${R}/services/:serviceId/pricelist`,
  report: `GET ${R}/billing/reports/MonthlyBillingPerOrganizationAsync/:taskId`,
  // reseller level
  nce: `GET ${R}/services/csp/nce/subscriptions`,
  csp: `GET ${R}/services/csp/Subscriptions`,
  azure: `GET ${R}/services/azure/Subscriptions`,
  serviceSubscriptions: `GET ${R}/services/:serviceId/subscriptions`,
  // organization level
  orgNce: `GET ${OS}/csp/nce/subscriptions`,
  orgCsp: `GET ${OS}/csp/subscriptions`,
  orgAzure: `GET ${OS}/azure/subscriptions`,
  orgAzurePlan: `GET ${OS}/azureplan/subscriptions`,
  orgServices: `GET ${OS}`,
  orgServiceSubscriptions: `GET ${OS}/:serviceId/subscriptions`,
};

/** Organization-level subscription lists of the Microsoft kinds, with the label the graph gives them. */
const TYPED: Array<[path: string, serviceType: string]> = [
  ['csp/nce/subscriptions', 'Microsoft CSP NCE'],
  ['csp/subscriptions', 'Microsoft CSP (legacy)'],
  ['azure/subscriptions', 'Microsoft Azure'],
  ['azureplan/subscriptions', 'Azure plan'],
];
const SERVICE_TYPES = ['Microsoft CSP NCE', 'Microsoft CSP (legacy)', 'Microsoft Azure', 'Azure plan', 'Custom'];

/** A client straight to the simulator (not through the graph), to compare with and to create reports. */
function simulatorClient(graph: Graph) {
  const sim = graph.sims.cloudmore;
  const call = cloudmoreClient(sim);
  /** The ground truth, read from the organization-level endpoints (the same in both profiles). */
  async function data(): Promise<SimData> {
    const orgs = (await call<Org[]>('GET', '/Organizations')).body;
    const services = (await call<Service[]>('GET', '/services')).body;
    const custom = services.filter((s) => s.type === 'Custom').map((s) => s.id);
    const subs: Sub[] = [];
    const products: PriceItem[] = [];
    const customServicesOf = new Map<string, string[]>();
    const microsoftOf = new Map<string, string[]>();
    const serviceOfProduct = new Map<string, string>();
    for (const s of services) {
      const items = (await call<PriceItem[]>('GET', `/services/${s.id}/pricelist`)).body;
      products.push(...items);
      for (const item of items) if (!serviceOfProduct.has(item.productId)) serviceOfProduct.set(item.productId, s.id);
    }
    for (const org of orgs) {
      for (const [path, serviceType] of TYPED) {
        for (const row of (await call<Sub[]>('GET', `/organizations/${org.id}/services/${path}`)).body) subs.push({ ...row, organizationId: org.id, serviceType });
      }
      const has = (await call<Array<{ id: string }>>('GET', `/organizations/${org.id}/services`)).body.map((s) => s.id);
      const mine = custom.filter((id) => has.includes(id));
      customServicesOf.set(org.id, mine);
      microsoftOf.set(org.id, services.filter((s) => s.type !== 'Custom' && has.includes(s.id)).map((s) => s.type));
      for (const id of mine) {
        for (const row of (await call<Sub[]>('GET', `/organizations/${org.id}/services/${id}/subscriptions`)).body) subs.push({ ...row, organizationId: org.id, serviceType: 'Custom' });
      }
    }
    return { orgs, services, subs, products, serviceOfProduct, customServicesOf, microsoftOf };
  }
  return { call, data };
}

const STATUS: Record<string, string> = { Active: 'ACTIVE', Suspended: 'SUSPENDED', Cancelled: 'CANCELLED', Pending: 'PENDING' };
const gid = (kind: Parameters<typeof toGlobalId>[1], vendorId: string) => toGlobalId('CLOUDMORE', kind, vendorId);

describe('graph over Cloudmore', () => {
  let graph: Graph;
  let sim: ReturnType<typeof simulatorClient>;
  let data: SimData;

  beforeAll(async () => {
    graph = await startGraph({ vendors: ['cloudmore'], seed: SEED, size: SIZE });
    sim = simulatorClient(graph);
    data = await sim.data();
  });
  afterAll(() => graph.close());

  const byRoute = () => graph.calls().byVendor.cloudmore!.byRoute;

  it('pages through every organization with first/after, matching the simulator', async () => {
    const n = data.orgs.length;
    expect(n).toBeGreaterThan(40); // at least three pages of 20
    type Node = { id: string; vendor: string; vendorId: string; name: string; status: string; externalId: string | null };
    type Page = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      edges: Array<{ cursor: string; node: Node }>;
    };
    const seen: Node[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GraphResponse<{ customers: Page }> = await graph.query(
        `query($after: String) { customers(vendor: CLOUDMORE, first: 20, after: $after) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id vendor vendorId name status vendorStatus externalId } } } }`,
        { after },
      );
      expect(res.errors).toBeUndefined();
      const c = res.data!.customers;
      expect(c.totalCount).toBe(n);
      expect(c.edges).toHaveLength(Math.min(20, n - pages * 20));
      expect(c.pageInfo.hasPreviousPage).toBe(pages > 0);
      expect(c.pageInfo.startCursor).toBe(c.edges[0]!.cursor);
      expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)!.cursor);
      for (const e of c.edges) {
        expect(e.node.vendor).toBe('CLOUDMORE');
        expect(fromGlobalId(e.node.id)).toEqual({ vendor: 'CLOUDMORE', kind: 'Customer', vendorId: e.node.vendorId });
        seen.push(e.node);
      }
      pages++;
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) break;
    }
    expect(pages).toBe(Math.ceil(n / 20)); // 20 + 20 + 5
    expect(seen.map((n) => n.vendorId)).toEqual(data.orgs.map((o) => o.id));
    expect(seen.map((n) => n.name)).toEqual(data.orgs.map((o) => o.name));
    expect(seen.map((n) => n.status)).toEqual(data.orgs.map((o) => (o.isActive ? 'ACTIVE' : 'SUSPENDED')));
    expect(seen.map((n) => n.externalId)).toEqual(data.orgs.map((o) => o.customerNumber));
    // Some organizations are inactive in the seed, so the status filter (applied in the graph) means something.
    const inactive = data.orgs.filter((o) => !o.isActive);
    expect(inactive.length).toBeGreaterThan(0);
    const res = await graph.query('{ customers(vendor: CLOUDMORE, first: 100, filter: { status: SUSPENDED }) { totalCount nodes { vendorId } } }');
    expect(res.data.customers.totalCount).toBe(inactive.length);
    expect(res.data.customers.nodes.map((n: { vendorId: string }) => n.vendorId)).toEqual(inactive.map((o) => o.id));
  });

  it('resolves a customer by global id with its active subscriptions and their products with prices', async () => {
    // The organization with the most active subscriptions.
    const activeByOrg = new Map<string, Sub[]>();
    for (const s of data.subs) if (s.status === 'Active') activeByOrg.set(s.organizationId, [...(activeByOrg.get(s.organizationId) ?? []), s]);
    const [orgId, active] = [...activeByOrg.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const org = data.orgs.find((o) => o.id === orgId)!;
    const list = await graph.query('{ customers(vendor: CLOUDMORE, first: 100) { nodes { id vendorId } } }');
    const id = list.data.customers.nodes.find((n: { vendorId: string }) => n.vendorId === orgId).id;

    graph.resetCalls();
    const res = await graph.query(
      `query($id: ID!) { customer(id: $id) { id vendorId name status email contacts { role firstName lastName email } address { city countryCode }
          subscriptions(status: ACTIVE) { totalCount nodes { id vendorId name status vendorStatus quantity sku serviceType autoRenew startDate
            price { amount currency } customer { vendorId }
            product { id vendorId name sku publisher term prices { unit price { amount currency } cost { amount currency } } } } } } }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    const c = res.data.customer;
    expect(c).toMatchObject({ id, vendorId: orgId, name: org.name });
    // Loaded alone, the organization comes from its detail GET, which has contact and address.
    expect(c.contacts.length).toBeGreaterThan(0);
    expect(c.contacts[0].role).toBe('primary');
    expect(c.address.countryCode).toMatch(/^[A-Z]{2}$/);
    expect(byRoute()[ROUTE.organization]).toBe(1);
    expect(byRoute()[ROUTE.organizations]).toBeUndefined();

    const subs = c.subscriptions;
    expect(subs.totalCount).toBe(active.length);
    expect(subs.nodes.map((s: { vendorId: string }) => s.vendorId).sort()).toEqual(active.map((s) => s.id).sort());
    for (const s of subs.nodes) {
      const wire = active.find((w) => w.id === s.vendorId)!;
      expect(s).toMatchObject({ status: 'ACTIVE', vendorStatus: 'Active', quantity: wire.quantity, sku: wire.itemCode, serviceType: wire.serviceType, customer: { vendorId: orgId } });
      expect(s.price.currency).toBe(wire.currencyCode);
      expect(s.price.amount).toMatch(/^\d+\.\d{2,}$/);
      expect(Number(s.price.amount)).toBe(wire.unitPrice);
      const item = data.products.find((p) => p.productId === wire.productId)!;
      expect(s.product).toMatchObject({ vendorId: item.productId, name: item.name, sku: item.itemCode });
      expect(s.product.prices).toHaveLength(item.prices.length);
      for (const [i, p] of item.prices.entries()) {
        const got = s.product.prices[i];
        expect(got.unit).toBe(item.unit);
        expect(got.price.currency).toBe(p.currencyCode);
        expect(typeof got.price.amount).toBe('string');
        expect(Number(got.price.amount)).toBe(p.price);
        expect(Number(got.cost.amount)).toBe(p.cost);
      }
    }
  });

  it('lists the subscriptions of one customer with subscriptions(filter: {customerId})', async () => {
    const orgId = data.subs[0]!.organizationId;
    const expected = data.subs.filter((s) => s.organizationId === orgId);
    const res = await graph.query(
      'query($c: ID) { subscriptions(vendor: CLOUDMORE, first: 100, filter: { customerId: $c }) { totalCount nodes { vendorId status customer { vendorId } } } }',
      { c: gid('Customer', orgId) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.subscriptions.totalCount).toBe(expected.length);
    expect(res.data.subscriptions.nodes.map((s: { vendorId: string }) => s.vendorId).sort()).toEqual(expected.map((s) => s.id).sort());
    for (const s of res.data.subscriptions.nodes) {
      expect(s.customer.vendorId).toBe(orgId);
      expect(s.status).toBe(STATUS[data.subs.find((w) => w.id === s.vendorId)!.status]);
    }
    // The same customer id in upper case finds the same subscriptions (Cloudmore GUIDs are case-insensitive).
    const upper = await graph.query('query($c: ID) { subscriptions(vendor: CLOUDMORE, first: 100, filter: { customerId: $c }) { totalCount } }', {
      c: gid('Customer', orgId.toUpperCase()),
    });
    expect(upper.data.subscriptions.totalCount).toBe(expected.length);
    // And the unfiltered list is every subscription of every organization, with a status filter applied in the graph.
    const all = await graph.query('{ subscriptions(vendor: CLOUDMORE, first: 1) { totalCount } cancelled: subscriptions(vendor: CLOUDMORE, filter: { status: CANCELLED }) { totalCount } }');
    expect(all.data.subscriptions.totalCount).toBe(data.subs.length);
    expect(all.data.cancelled.totalCount).toBe(data.subs.filter((s) => s.status === 'Cancelled').length);
  });

  it('lists products with a name filter, with publisher, term and prices', async () => {
    const all = await graph.query('{ products(vendor: CLOUDMORE, first: 100) { totalCount nodes { vendorId } } }');
    expect(all.data.products.totalCount).toBe(data.products.length);
    expect(all.data.products.nodes.map((p: { vendorId: string }) => p.vendorId)).toEqual(data.products.map((p) => p.productId));

    const res = await graph.query('{ products(vendor: CLOUDMORE, first: 2, filter: { name: "acronis" }) { totalCount pageInfo { hasNextPage } nodes { name sku publisher term prices { price { amount currency } } } } }');
    expect(res.errors).toBeUndefined();
    const expected = data.products.filter((p) => p.name.toLowerCase().includes('acronis'));
    expect(expected.length).toBe(3);
    expect(res.data.products.totalCount).toBe(3);
    expect(res.data.products.pageInfo.hasNextPage).toBe(true);
    expect(res.data.products.nodes.map((p: { name: string }) => p.name)).toEqual(expected.slice(0, 2).map((p) => p.name));
    expect(res.data.products.nodes[0]).toMatchObject({ publisher: 'Acronis', term: 'Monthly' });
    expect(res.data.products.nodes[0].prices.map((p: { price: { currency: string } }) => p.price.currency)).toEqual(['EUR', 'USD', 'AUD']);
  });

  it('fetches every supported type with node(id) and nodes(ids)', async () => {
    const org = data.orgs[5]!;
    const sub = data.subs[3]!;
    const product = data.products[2]!;
    const res = await graph.query(
      `query($c: ID!, $s: ID!, $p: ID!) {
          c: node(id: $c) { __typename id ... on Customer { vendorId name } }
          s: node(id: $s) { __typename id ... on ServiceSubscription { vendorId sku customer { vendorId } } }
          p: node(id: $p) { __typename id ... on Product { vendorId sku } }
          missing: node(id: "${gid('Customer', '00000000-0000-4000-8000-000000000000')}") { id } }`,
      { c: gid('Customer', org.id), s: gid('Subscription', sub.id), p: gid('Product', product.productId) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.c).toEqual({ __typename: 'Customer', id: gid('Customer', org.id), vendorId: org.id, name: org.name });
    expect(res.data.s).toEqual({ __typename: 'ServiceSubscription', id: gid('Subscription', sub.id), vendorId: sub.id, sku: sub.itemCode, customer: { vendorId: sub.organizationId } });
    expect(res.data.p).toEqual({ __typename: 'Product', id: gid('Product', product.productId), vendorId: product.productId, sku: product.itemCode });
    expect(res.data.missing).toBeNull();

    const ids = data.orgs.slice(0, 4).map((o) => gid('Customer', o.id));
    const many = await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name } } }', { ids });
    expect(many.data.nodes.map((n: { name: string }) => n.name)).toEqual(data.orgs.slice(0, 4).map((o) => o.name));
  });

  it('reads subscriptions of every kind of service from their own endpoints and types them (serviceType)', async () => {
    const res = await graph.query('{ subscriptions(vendor: CLOUDMORE, first: 500) { totalCount nodes { vendorId serviceType customer { vendorId } product { vendorId sku } } } }');
    expect(res.errors).toBeUndefined();
    const nodes = res.data.subscriptions.nodes as Array<{ vendorId: string; serviceType: string; customer: { vendorId: string }; product: { vendorId: string; sku: string } | null }>;
    // Every subscription of every organization, in organization order, each typed by its endpoint.
    expect(nodes.map((n) => n.vendorId)).toEqual(data.subs.map((s) => s.id));
    expect(nodes.map((n) => n.serviceType)).toEqual(data.subs.map((s) => s.serviceType));
    expect(nodes.map((n) => n.customer.vendorId)).toEqual(data.subs.map((s) => s.organizationId));
    expect(nodes.map((n) => n.product?.vendorId)).toEqual(data.subs.map((s) => s.productId));
    // The seed has every kind, so every per-kind endpoint matters.
    expect(new Set(nodes.map((n) => n.serviceType))).toEqual(new Set(SERVICE_TYPES));
    const legacyAzure = nodes.find((n) => n.serviceType === 'Microsoft Azure')!;
    expect(legacyAzure.product!.sku).toBe('MS-AZR-0145P');
    expect(nodes.find((n) => n.serviceType === 'Azure plan')!.product!.sku).toBe('DZH318Z0BPS6:0001');
  });

  it('finds a subscription of each kind by id, with its customer, product and type', async () => {
    for (const type of SERVICE_TYPES) {
      const sub = data.subs.find((s) => s.serviceType === type)!;
      const res = await graph.query(
        'query($id: ID!) { subscription(id: $id) { id vendorId name status quantity serviceType sku customer { vendorId name } product { vendorId sku } } }',
        { id: gid('Subscription', sub.id) },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.subscription).toEqual({
        id: gid('Subscription', sub.id),
        vendorId: sub.id,
        name: sub.name,
        status: STATUS[sub.status],
        quantity: sub.quantity,
        serviceType: type,
        sku: sub.itemCode,
        customer: { vendorId: sub.organizationId, name: data.orgs.find((o) => o.id === sub.organizationId)!.name },
        product: { vendorId: sub.productId, sku: sub.itemCode },
      });
    }
    const none = await graph.query('query($id: ID!) { subscription(id: $id) { id } }', { id: gid('Subscription', '00000000-0000-4000-8000-000000000000') });
    expect(none.errors).toBeUndefined();
    expect(none.data.subscription).toBeNull();
  });

  it('reads the detail of listed customers only when e-mail, address or contacts are selected', async () => {
    const first = data.orgs.slice(0, 5);
    await graph.query('{ customers(vendor: CLOUDMORE, first: 1) { nodes { id } } }'); // a token is cached
    graph.resetCalls();
    const plain = await graph.query('{ customers(vendor: CLOUDMORE, first: 5) { nodes { vendorId name externalId status vendorStatus createdAt } } }');
    expect(plain.errors).toBeUndefined();
    expect(plain.data.customers.nodes.map((c: { externalId: string }) => c.externalId)).toEqual(first.map((o) => o.customerNumber));
    // The list row carries name, customer number, status and creation date: no detail GET.
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 1 });

    graph.resetCalls();
    const res = await graph.query(
      '{ customers(vendor: CLOUDMORE, first: 5) { nodes { vendorId email phone updatedAt address { street city postalCode countryCode } contacts { role email } } } }',
    );
    expect(res.errors).toBeUndefined();
    // One list + one detail GET per organization shown, however many detail fields are selected.
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 1, [ROUTE.organization]: 5 });
    type Node = { vendorId: string; email: string; phone: string; updatedAt: string; address: Record<string, string>; contacts: Array<{ role: string; email: string }> };
    type Detail = {
      id: string;
      notificationEmail: string;
      modifiedDate: string;
      contact: { email: string };
      address: { address: string; city: string; postalCode: string; countryCode: string };
    };
    for (const [i, node] of (res.data.customers.nodes as Node[]).entries()) {
      const detail = (await sim.call<Detail>('GET', `/Organizations/${first[i]!.id}`)).body;
      expect(node.vendorId).toBe(detail.id);
      expect(node.email).toBe(detail.notificationEmail);
      expect(node.email).toMatch(/@/);
      expect(node.address).toEqual({ street: detail.address.address, city: detail.address.city, postalCode: detail.address.postalCode, countryCode: detail.address.countryCode });
      expect(node.contacts[0]).toEqual({ role: 'primary', email: detail.contact.email });
      expect(node.phone).toBeTruthy();
      expect(node.updatedAt).toBe(new Date(detail.modifiedDate).toISOString());
    }
  });

  it('answers the README dashboard query over every page with no error', async () => {
    const DASHBOARD = `query Dashboard($after: String) {
      customers(first: 50, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id vendor name externalId
          subscriptions(status: ACTIVE) { nodes { name quantity renewalDate price { amount currency } product { name sku } } } } } }`;
    const customers: Array<{ id: string; name: string; externalId: string; subscriptions: { nodes: unknown[] } }> = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphResponse = await graph.query(DASHBOARD, { after });
      expect(res.errors).toBeUndefined();
      expect(res.data.customers.totalCount).toBe(data.orgs.length);
      customers.push(...res.data.customers.nodes);
      after = res.data.customers.pageInfo.endCursor;
      if (!res.data.customers.pageInfo.hasNextPage) break;
    }
    expect(customers.map((c) => c.name)).toEqual(data.orgs.map((o) => o.name));
    for (const [i, c] of customers.entries()) {
      const org = data.orgs[i]!;
      expect(fromGlobalId(c.id).vendorId).toBe(org.id);
      const active = data.subs.filter((s) => s.organizationId === org.id && s.status === 'Active');
      expect(c.subscriptions.nodes).toEqual(
        active.map((s) => {
          const item = data.products.find((p) => p.productId === s.productId)!;
          return {
            name: s.name,
            quantity: s.quantity,
            renewalDate: s.renewalDate,
            price: { amount: decimal(s.unitPrice), currency: s.currencyCode },
            product: { name: item.name, sku: item.itemCode },
          };
        }),
      );
    }
    expect(customers.reduce((n, c) => n + c.subscriptions.nodes.length, 0)).toBe(data.subs.filter((s) => s.status === 'Active').length);
  });

  it.runIf(suiteProfile() === 'documented')('gives the same customers and subscriptions over documented and extended simulators', async () => {
    const other = await startGraph({ vendors: ['cloudmore'], seed: SEED, size: SIZE, profile: 'extended' });
    try {
      const doc = `{ customers(vendor: CLOUDMORE, first: 100) { totalCount nodes { id name externalId status
          subscriptions { totalCount nodes { id name status vendorStatus quantity sku serviceType price { amount currency } autoRenew startDate endDate renewalDate
            customer { id } product { id name sku } } } } }
        subscriptions(vendor: CLOUDMORE, first: 500) { totalCount nodes { id serviceType customer { id } } } }`;
      const [a, b] = await Promise.all([graph.query(doc), other.query(doc)]);
      expect(a.errors).toBeUndefined();
      expect(b.errors).toBeUndefined();
      expect(graph.profile).toBe('documented');
      expect(other.profile).toBe('extended');
      expect(a.data).toEqual(b.data);
      expect(a.data.subscriptions.totalCount).toBe(data.subs.length);
    } finally {
      await other.close();
    }
  });

  it('reads the reseller-level lists only while their rows name their organization (inferred shortcut modes)', async () => {
    const ids = async (mode: ShortcutMode) => {
      const session = createCloudmoreAdapter(simulatorVendorConfig(graph.sims, 5_000, mode).cloudmore!, { simulated: true }).session();
      const page = await session.subscriptions!.list!(0, 500, {});
      return page.items.map((s) => `${s.vendorId} ${s.customerVendorId} ${s.serviceType}`);
    };
    const expected = data.subs.map((s) => `${s.id} ${s.organizationId} ${s.serviceType}`);
    expect(await ids('auto')).toEqual(expected);
    graph.resetCalls();
    expect(await ids('off')).toEqual(expected);
    // Off: no inference either that an organization's services name its Microsoft ones: every typed list of every organization.
    const organizations = new Set(data.subs.map((s) => s.organizationId)).size;
    expect(byRoute()[ROUTE.orgNce]).toBeGreaterThanOrEqual(organizations);
    expect(byRoute()[ROUTE.orgAzurePlan]).toBe(byRoute()[ROUTE.orgNce]);
    if (graph.profile === 'extended') {
      expect(await ids('on')).toEqual(expected);
    } else {
      // `on` insists on the shortcut: documented reseller-level rows name no organization.
      const error = await ids('on').then(
        () => null,
        (e: unknown) => e as Error & { extensions: Record<string, unknown> },
      );
      expect(error?.message).toMatch(/names no organization/);
      expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'CLOUDMORE' });
    }
  });

  it('follows an async monthly billing report from PENDING to COMPLETED with content', async () => {
    const created = await sim.call<{ taskId: string; status: string }>('POST', '/billing/reports/MonthlyBillingPerOrganizationAsync', {
      startDate: '2026-09-01',
      endDate: '2026-10-31',
    });
    expect(created.status).toBe(202);
    const id = gid('Report', created.body.taskId);
    const doc = `query($id: ID!) { report(id: $id) { id vendor vendorId name status vendorStatus type format createdAt periodStart periodEnd content } }`;

    const pending = await graph.query(doc, { id });
    expect(pending.errors).toBeUndefined();
    expect(pending.data.report).toMatchObject({ id, vendor: 'CLOUDMORE', vendorId: created.body.taskId, status: 'PENDING', vendorStatus: 'Pending', type: 'MonthlyBillingPerOrganization', content: null });
    expect(pending.data.report.periodStart).toBe('2026-09-01T00:00:00.000Z');
    expect(pending.data.report.periodEnd).toBe('2026-10-31T00:00:00.000Z');

    graph.sims.cloudmore.control.advance(REPORT_PENDING_MS);
    const processing = await graph.query(doc, { id });
    expect(processing.data.report).toMatchObject({ status: 'PROCESSING', vendorStatus: 'InProgress', content: null });

    graph.sims.cloudmore.control.advance(REPORT_READY_MS);
    const done = await graph.query(doc, { id });
    expect(done.errors).toBeUndefined();
    expect(done.data.report.status).toBe('COMPLETED');
    const content = done.data.report.content;
    expect(content.organizations.length).toBeGreaterThan(0);
    expect(content.organizations[0].services[0].products[0].billingLines.length).toBeGreaterThan(0);
    expect(content.totals.length).toBeGreaterThan(0);

    const node = await graph.query('query($id: ID!) { node(id: $id) { __typename ... on Report { status } } }', { id });
    expect(node.data.node).toEqual({ __typename: 'Report', status: 'COMPLETED' });
    const unknown = await graph.query(doc, { id: gid('Report', '00000000-0000-4000-8000-000000000000') });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data.report).toBeNull();
    // No list endpoint for reports.
    const list = await graph.query('{ reports(vendor: CLOUDMORE) { totalCount } }');
    expect(list.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_UNSUPPORTED', vendor: 'CLOUDMORE' });
  });

  it('rejects a malformed Cloudmore id with BAD_USER_INPUT before any upstream call', async () => {
    graph.resetCalls();
    for (const [kind, field] of [['Customer', 'customer'], ['Subscription', 'subscription'], ['Product', 'product'], ['Report', 'report']] as const) {
      const res = await graph.query(`query($id: ID!) { ${field}(id: $id) { id } }`, { id: gid(kind, '12345') });
      expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(res.data![field]).toBeNull();
    }
    const filter = await graph.query('query($c: ID) { subscriptions(vendor: CLOUDMORE, filter: { customerId: $c }) { totalCount } }', { c: gid('Customer', 'not-a-guid') });
    expect(filter.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(graph.calls().total).toBe(0);
  });

  it('answers VENDOR_UNSUPPORTED for orders and invoices', async () => {
    const guid = data.orgs[0]!.id;
    const res = await graph.query(
      `query($o: ID!, $i: ID!) { order(id: $o) { id } invoice(id: $i) { id } }`,
      { o: gid('Order', guid), i: gid('Invoice', guid) },
    );
    expect(res.errors).toHaveLength(2);
    for (const e of res.errors!) expect(e.extensions).toMatchObject({ code: 'VENDOR_UNSUPPORTED', vendor: 'CLOUDMORE' });

    const lists = await graph.query('{ orders(vendor: CLOUDMORE) { totalCount } invoices(vendor: CLOUDMORE) { totalCount } }');
    expect(lists.errors!.map((e) => e.extensions!.code)).toEqual(['VENDOR_UNSUPPORTED', 'VENDOR_UNSUPPORTED']);

    const relation = await graph.query('query($id: ID!) { customer(id: $id) { name orders { totalCount } invoices { totalCount } } }', { id: gid('Customer', guid) });
    expect(relation.data.customer.name).toBe(data.orgs[0]!.name);
    expect(relation.errors!.map((e) => [e.path!.join('.'), e.extensions!.code])).toEqual([
      ['customer.orders', 'VENDOR_UNSUPPORTED'],
      ['customer.invoices', 'VENDOR_UNSUPPORTED'],
    ]);
  });

  it('says VENDOR_UNSUPPORTED for an e-mail filter that organization lists cannot answer', async () => {
    const res = await graph.query('{ customers(vendor: CLOUDMORE, filter: { email: "a@b.example" }) { totalCount } }');
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_UNSUPPORTED', vendor: 'CLOUDMORE' });
  });

  it('reports rejected credentials as UPSTREAM_AUTH_FAILED without leaking secrets', async () => {
    const config = simulatorVendorConfig(graph.sims).cloudmore!;
    const password = 'wrong-password-0123';
    const clientSecret = 'wrong-client-secret-0123';
    for (const bad of [{ ...config, password }, { ...config, clientSecret }]) {
      const session = createCloudmoreAdapter(bad, { simulated: true }).session();
      const error = await session.customers!.list!(0, 1, {}).then(
        () => null,
        (e: unknown) => e as Error & { extensions: Record<string, unknown> },
      );
      expect(error).not.toBeNull();
      expect(error!.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', vendor: 'CLOUDMORE', httpStatus: 400 });
      expect(error!.message).toMatch(/invalid_grant|invalid_client/);
      expect(error!.message).not.toContain(password);
      expect(error!.message).not.toContain(clientSecret);
    }
  });

  it('reports health from GET /api/healthcheck and an authenticated read with the cached token', async () => {
    await graph.query('{ customers(vendor: CLOUDMORE, first: 1) { nodes { id } } }'); // a token is cached
    graph.resetCalls();
    const res = await graph.query('{ vendors { vendor name simulated supports health { ok check latencyMs message } } }');
    expect(res.data.vendors).toEqual([
      {
        vendor: 'CLOUDMORE',
        name: 'Cloudmore',
        simulated: true,
        supports: ['CUSTOMER', 'SUBSCRIPTION', 'PRODUCT', 'REPORT'],
        health: { ok: true, check: 'Cloudmore healthcheck (GET /api/healthcheck) and an authenticated read of the reseller services (GET /api/resellers/{resellerId}/services; cached token)', latencyMs: expect.any(Number), message: null },
      },
    ]);
    expect(byRoute()).toEqual({ 'GET /api/healthcheck': 1, [ROUTE.services]: 1 });
  });

  it('names Cloudmore with UPSTREAM_UNAVAILABLE when it is down', async () => {
    const control = graph.sims.cloudmore.control;
    control.addFault({ status: 503, times: 50 });
    try {
      const res = await graph.query('{ customers(vendor: CLOUDMORE, first: 5) { nodes { name } } }');
      expect(res.data?.customers ?? null).toBeNull();
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'CLOUDMORE', httpStatus: 503 });
      expect(res.errors![0]!.message).toContain('Cloudmore');
      const health = await graph.query('{ vendors { health { ok message } } }');
      expect(health.data.vendors[0].health.ok).toBe(false);
    } finally {
      control.clearFaults();
    }
  });

  it('fetches exactly one new token after the tokens expire, then succeeds', async () => {
    await graph.query('{ customers(vendor: CLOUDMORE, first: 1) { nodes { name } } }'); // a token is cached
    graph.sims.cloudmore.control.expireTokens();
    graph.resetCalls();
    const res = await graph.query('{ customers(vendor: CLOUDMORE, first: 5) { nodes { name } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.nodes.map((c: { name: string }) => c.name)).toEqual(data.orgs.slice(0, 5).map((o) => o.name));
    // GET Organizations with the expired token → 401 → one POST /connect/token → the same GET again.
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 2, [ROUTE.token]: 1 });
    // Many calls at once after expiry still share one new token (single flight).
    graph.sims.cloudmore.control.expireTokens();
    graph.resetCalls();
    const ids = data.orgs.slice(0, 2).map((o) => gid('Customer', o.id));
    const many = await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name } } }', { ids });
    expect(many.errors).toBeUndefined();
    expect(many.data.nodes.map((c: { name: string }) => c.name)).toEqual(data.orgs.slice(0, 2).map((o) => o.name));
    expect(byRoute()).toEqual({ [ROUTE.organization]: 4, [ROUTE.token]: 1 });
  });
});

describe('graph over Cloudmore: upstream cost', () => {
  let graph: Graph;
  let data: SimData;
  const K = 7; // reseller services in the simulated catalogue
  const C = 5; // of which custom services (the other two: Microsoft 365 (CSP), Microsoft Azure)
  const N = 30;

  beforeAll(async () => {
    graph = await startGraph({ vendors: ['cloudmore'], seed: SEED, size: SIZE });
    data = await simulatorClient(graph).data();
    graph.resetCalls();
  });
  afterAll(() => graph.close());

  const byRoute = () => graph.calls().byVendor.cloudmore!.byRoute;
  /** Custom services the given organizations have: one `…/services/{serviceId}/subscriptions` each in the documented form. */
  const customLists = (orgs: Org[]) => orgs.reduce((n, o) => n + data.customServicesOf.get(o.id)!.length, 0);
  /** The reseller-level lists the shortcut reads: three Microsoft kinds and one per custom service. */
  const resellerLevel = { [ROUTE.nce]: 1, [ROUTE.csp]: 1, [ROUTE.azure]: 1, [ROUTE.serviceSubscriptions]: C };
  /** Organizations with a Microsoft service of this type. */
  const having = (orgs: Org[], type: 'MicrosoftCsp' | 'MicrosoftAzure') => orgs.filter((o) => data.microsoftOf.get(o.id)!.includes(type)).length;
  /** The routes called at least once (byRoute names no other). */
  const called = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  /**
   * The documented plan for these organizations: each one's services, then only the lists
   * they call for: Microsoft 365 (CSP) → NCE and legacy CSP, Azure → Azure and Azure plan,
   * each custom service its own list.
   */
  const organizationLevel = (orgs: Org[]) =>
    called({
      [ROUTE.orgNce]: having(orgs, 'MicrosoftCsp'),
      [ROUTE.orgCsp]: having(orgs, 'MicrosoftCsp'),
      [ROUTE.orgAzure]: having(orgs, 'MicrosoftAzure'),
      [ROUTE.orgAzurePlan]: having(orgs, 'MicrosoftAzure'),
      [ROUTE.orgServices]: orgs.length,
      [ROUTE.orgServiceSubscriptions]: customLists(orgs),
    });
  const organizationCalls = (orgs: Org[]) => Object.values(organizationLevel(orgs)).reduce((n, c) => n + c, 0);
  /** The price lists these subscriptions' products are on: one per service among them. */
  const priceLists = (subs: Sub[]) => new Set(subs.map((s) => data.serviceOfProduct.get(s.productId))).size;
  const DASHBOARD = `{ customers(vendor: CLOUDMORE, first: ${N}) { totalCount nodes { name
      subscriptions { totalCount nodes { vendorId status quantity serviceType price { amount } customer { name } product { name prices { price { amount currency } } } } } } } }`;

  it(`${N} customers with subscriptions and products: the shortcut where rows name their organization, else each organization's lists`, async () => {
    expect(data.services).toHaveLength(K);
    expect(data.services.filter((s) => s.type === 'Custom')).toHaveLength(C);
    const res = await graph.query(DASHBOARD);
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.nodes).toHaveLength(N);
    const subs = res.data.customers.nodes.flatMap((c: { subscriptions: { nodes: unknown[] } }) => c.subscriptions.nodes);
    const orgs = data.orgs.slice(0, N);
    const expected = data.subs.filter((s) => orgs.some((o) => o.id === s.organizationId));
    expect(subs).toHaveLength(expected.length);
    expect(subs.length).toBeGreaterThan(N);
    // The price lists of the services among the subscriptions shown: all 7 here.
    expect(priceLists(expected)).toBe(K);
    const common = { [ROUTE.token]: 1, [ROUTE.organizations]: 1, [ROUTE.services]: 1, [ROUTE.pricelist]: K };
    if (graph.profile === 'extended') {
      // 1 token + 1 GET Organizations + 1 GET services + the reseller-level lists (3 Microsoft
      // kinds + 5 custom services, rows naming their organization; cheaper than the
      // documented plan's 2 calls or more per organization for 30) + 30 GET
      // organizations/{id}/services/azureplan/subscriptions (no reseller-level Azure plan list)
      // + 7 price lists = 3 + 8 + 30 + 7 = 48.
      expect(byRoute()).toEqual({ ...common, ...resellerLevel, [ROUTE.orgAzurePlan]: N });
      expect(graph.calls().total).toBe(3 + 3 + C + N + K);
    } else {
      // The first request tries the reseller-level lists once (their rows name no
      // organization: refused, remembered), then reads each organization's services and
      // the lists they call for.
      expect(byRoute()).toEqual({ ...common, ...resellerLevel, ...organizationLevel(orgs) });
      expect(graph.calls().total).toBe(3 + 3 + C + organizationCalls(orgs) + K);
    }
  });

  it(`the same query again costs the same, without trying a refused shortcut again`, async () => {
    graph.resetCalls();
    const res = await graph.query(DASHBOARD);
    expect(res.errors).toBeUndefined();
    const orgs = data.orgs.slice(0, N);
    const common = { [ROUTE.organizations]: 1, [ROUTE.services]: 1, [ROUTE.pricelist]: K };
    if (graph.profile === 'extended') {
      expect(byRoute()).toEqual({ ...common, ...resellerLevel, [ROUTE.orgAzurePlan]: N });
      expect(graph.calls().total).toBe(2 + 3 + C + N + K); // 47
    } else {
      expect(byRoute()).toEqual({ ...common, ...organizationLevel(orgs) });
      expect(graph.calls().total).toBe(2 + organizationCalls(orgs) + K);
    }
  });

  it('one customer\'s subscriptions, by relation or by filter, read only what that customer needs', async () => {
    const org = data.orgs.find((o) => data.customServicesOf.get(o.id)!.length > 0)!;
    const customer = gid('Customer', org.id);
    for (const doc of [
      'query($c: ID!) { customer(id: $c) { subscriptions { totalCount nodes { serviceType } } } }',
      'query($c: ID) { subscriptions(vendor: CLOUDMORE, first: 100, filter: { customerId: $c }) { totalCount nodes { serviceType } } }',
    ]) {
      graph.resetCalls();
      const res = await graph.query(doc, { c: customer });
      expect(res.errors).toBeUndefined();
      const expected = data.subs.filter((s) => s.organizationId === org.id).length;
      expect((res.data.customer ?? res.data).subscriptions.totalCount).toBe(expected);
      const own = doc.includes('customer(id') ? { [ROUTE.organization]: 1 } : {};
      // One organization: its own lists in both profiles (the reseller-level lists, 3 + C + 1, cost more).
      expect(byRoute()).toEqual({ ...own, [ROUTE.services]: 1, ...organizationLevel([org]) });
    }
  });

  it('reads the price lists of the services among the subscriptions shown only, each once', async () => {
    const orgs = data.orgs.slice(0, 3);
    const doc = `{ customers(vendor: CLOUDMORE, first: 3) { nodes { subscriptions(status: ACTIVE) { nodes { vendorId product { vendorId name sku } } } } } }`;
    graph.resetCalls();
    const res = await graph.query(doc);
    expect(res.errors).toBeUndefined();
    const active = data.subs.filter((s) => s.status === 'Active' && orgs.some((o) => o.id === s.organizationId));
    const shown = res.data.customers.nodes.flatMap((c: { subscriptions: { nodes: unknown[] } }) => c.subscriptions.nodes);
    const product = (id: string) => data.products.find((p) => p.productId === id)!;
    expect(shown).toEqual(active.map((s) => ({ vendorId: s.id, product: { vendorId: s.productId, name: product(s.productId).name, sku: product(s.productId).itemCode } })));
    expect(priceLists(active)).toBeLessThan(K);
    // Three organizations: each one's own lists (cheaper than the reseller-level ones), and one price list per service shown.
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 1, [ROUTE.services]: 1, ...organizationLevel(orgs), [ROUTE.pricelist]: priceLists(active) });
  });

  it('chooses per request: each organization\'s lists for up to 3 + C organizations, the reseller-level lists for more (where rows name their organization)', async () => {
    const doc = (n: number) => `{ customers(vendor: CLOUDMORE, first: ${n}) { nodes { subscriptions { totalCount } } } }`;
    for (const n of [3 + C, 3 + C + 1]) {
      graph.resetCalls();
      const res = await graph.query(doc(n));
      expect(res.errors).toBeUndefined();
      const orgs = data.orgs.slice(0, n);
      expect(res.data.customers.nodes.map((c: { subscriptions: { totalCount: number } }) => c.subscriptions.totalCount)).toEqual(
        orgs.map((o) => data.subs.filter((s) => s.organizationId === o.id).length),
      );
      const common = { [ROUTE.organizations]: 1, [ROUTE.services]: 1 };
      if (graph.profile === 'extended' && n > 3 + C) expect(byRoute()).toEqual({ ...common, ...resellerLevel, [ROUTE.orgAzurePlan]: n });
      else expect(byRoute()).toEqual({ ...common, ...organizationLevel(orgs) });
    }
  });

  it('30 _entities representations cost one organizations call', async () => {
    const representations = data.orgs.slice(10, 40).map((o) => ({ __typename: 'Customer', id: toGlobalId('CLOUDMORE', 'Customer', o.id) }));
    graph.resetCalls();
    const res = await graph.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name } } }', { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.map((e: { name: string }) => e.name)).toEqual(data.orgs.slice(10, 40).map((o) => o.name));
    // Token cached from the previous request; the 30 by-id loads of one tick (more than 2)
    // are served by one GET Organizations instead of 30 GET Organizations/{id}.
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 1 });
  });

  it('one or two customers by id use the detail GET, three or more the list', async () => {
    const ids = data.orgs.map((o) => toGlobalId('CLOUDMORE', 'Customer', o.id));
    graph.resetCalls();
    await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(0, 2) });
    expect(byRoute()).toEqual({ [ROUTE.organization]: 2 });
    graph.resetCalls();
    await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(0, 3) });
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 1 });
    // Three by id with an e-mail selected: the list, then each one's detail.
    graph.resetCalls();
    const res = await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { email } } }', { ids: ids.slice(0, 3) });
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes.every((n: { email: string }) => n.email.includes('@'))).toBe(true);
    expect(byRoute()).toEqual({ [ROUTE.organizations]: 1, [ROUTE.organization]: 3 });
  });

  it('a subscription by id reads every organization; a product by id the price lists; a report one GET', async () => {
    const sub = data.subs[0]!;
    graph.resetCalls();
    const res = await graph.query('query($s: ID!) { subscription(id: $s) { vendorId product { vendorId } } }', { s: toGlobalId('CLOUDMORE', 'Subscription', sub.id) });
    expect(res.data.subscription).toEqual({ vendorId: sub.id, product: { vendorId: sub.productId } });
    const M = data.orgs.length;
    // Its product: from the price list of its own service only.
    const common = { [ROUTE.organizations]: 1, [ROUTE.services]: 1, [ROUTE.pricelist]: 1 };
    if (graph.profile === 'extended') {
      expect(byRoute()).toEqual({ ...common, ...resellerLevel, [ROUTE.orgAzurePlan]: M });
    } else {
      expect(byRoute()).toEqual({ ...common, ...organizationLevel(data.orgs) });
    }
    const product = data.products[0]!;
    graph.resetCalls();
    const p = await graph.query('query($p: ID!) { product(id: $p) { vendorId } }', { p: toGlobalId('CLOUDMORE', 'Product', product.productId) });
    expect(p.data.product).toEqual({ vendorId: product.productId });
    expect(byRoute()).toEqual({ [ROUTE.services]: 1, [ROUTE.pricelist]: K });
    graph.resetCalls();
    await graph.query('query($r: ID!) { report(id: $r) { id } }', { r: toGlobalId('CLOUDMORE', 'Report', '00000000-0000-4000-8000-000000000000') });
    expect(byRoute()).toEqual({ [ROUTE.report]: 1 });
  });

  it('keeps at most 8 Cloudmore calls in flight per request', async () => {
    const control = graph.sims.cloudmore.control;
    control.setLatency({ fixedMs: 5, jitterMs: 0 });
    try {
      graph.resetCalls();
      const res = await graph.query('{ subscriptions(vendor: CLOUDMORE, first: 1) { totalCount } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.subscriptions.totalCount).toBe(data.subs.length);
      expect(graph.calls().byVendor.cloudmore!.peakInFlight).toBe(8);
    } finally {
      control.setLatency({ fixedMs: 0, jitterMs: 0 });
    }
  });
});

describe('Cloudmore mappers', () => {
  it('reads both 400 shapes and IdentityServer token errors', () => {
    expect(errorMessage([{ errorCode: 5, errorName: 'InvalidValue', errorMessage: "The value 'maybe' is not valid for showActive." }])).toBe(
      "The value 'maybe' is not valid for showActive.",
    );
    expect(errorMessage({ Name: ['The Name field is required.'], 'Contact.Email': ['The Email field is not a valid e-mail address.'] })).toBe(
      'Name: The Name field is required.; Contact.Email: The Email field is not a valid e-mail address.',
    );
    expect(errorMessage({ '': ['A non-empty request body is required.'] })).toBe('A non-empty request body is required.');
    expect(errorMessage({ error: 'invalid_grant', error_description: 'invalid_username_or_password' })).toBe('invalid_grant: invalid_username_or_password');
    expect(errorMessage({ error: 'invalid_client' })).toBe('invalid_client');
    expect(errorMessage(null)).toBeUndefined();
  });

  it('reads subscription rows tolerantly: absent inferred fields give null, never a guess', () => {
    const bare = toSubscription({ id: 'AB5E0F7E-1C1B-4C35-9B0E-000000000001' }, { kind: 'nce', organizationId: null });
    expect(bare).toMatchObject({
      vendorId: 'ab5e0f7e-1c1b-4c35-9b0e-000000000001',
      serviceType: 'Microsoft CSP NCE',
      customerVendorId: null,
      productVendorId: null,
      name: null,
      quantity: null,
      price: null,
      status: 'UNKNOWN',
      vendorStatus: null,
    });
    // The organization comes from the caller (the path), not from a row field.
    const owned: SubscriptionModel = toSubscription(
      { id: 'x', organizationId: 'not-this-one', itemCode: 'CFQ7TTC0LH18:0001', unitPrice: 6, status: 'Pending Cancellation' },
      { kind: 'csp', organizationId: 'AAAA' },
    );
    expect(owned).toMatchObject({ customerVendorId: 'aaaa', productVendorId: 'itemcode:cfq7ttc0lh18:0001', price: null, status: 'PENDING_CANCELLATION', serviceType: 'Microsoft CSP (legacy)' });
    expect(toSubscription({ id: 'y', unitPrice: 6, currencyCode: 'EUR', productId: 'P' }, { kind: 'custom', organizationId: 'o' })).toMatchObject({
      price: { amount: '6.00', currency: 'EUR' },
      productVendorId: 'p',
      serviceType: 'Custom',
    });
    // Azure plan: "the subscription and its entitlements", as one object or as an array.
    expect(listOrOne({ id: 'plan', entitlements: [] })).toEqual([{ id: 'plan', entitlements: [] }]);
    expect(listOrOne([{ id: 'plan' }])).toEqual([{ id: 'plan' }]);
    expect(listOrOne(null)).toEqual([]);
    expect(listOrOne({})).toEqual([]);
  });

  it('marks the fields an organization list row lacks, judged from the row', () => {
    expect(organizationRowLacks({ id: 'o', name: 'A', customerNumber: 'C', isActive: true, createdDate: '2026-01-01' })).toEqual(['email', 'phone', 'contacts', 'address', 'updatedAt']);
    expect(organizationRowLacks({ id: 'o', name: 'A' })).toEqual(['email', 'phone', 'contacts', 'address', 'externalId', 'createdAt', 'updatedAt', 'vendorStatus']);
    expect(organizationRowLacks({ id: 'o', contact: null, address: null, notificationEmail: null, customerNumber: null, createdDate: null, modifiedDate: null, isActive: null })).toEqual([]);
    expect(toCustomer({ id: 'o', name: 'A' }, { fromList: true }).lacks).toContain('email');
    expect(toCustomer({ id: 'o', name: 'A' }).lacks).toBeUndefined();
  });

  it('turns amounts into decimal strings without float rounding', () => {
    expect(decimal(12.5)).toBe('12.50');
    expect(decimal(19.99)).toBe('19.99');
    expect(decimal(0.0045)).toBe('0.0045');
    expect(decimal(1e-7)).toBe('0.0000001');
    expect(decimal(7)).toBe('7.00');
    expect(decimal('3.1')).toBe('3.10');
    expect(decimal('abc')).toBeNull();
    expect(decimal(null)).toBeNull();
    expect(decimal(-3.5)).toBe('-3.50');
    expect(decimal(-0)).toBe('0.00');
    expect(decimal(1e-13)).toBe('0.00');
    expect(decimal(1e21)).toBeNull();
    expect(decimal(Number.NaN)).toBeNull();
    expect(decimal(' 12.345 ')).toBe('12.345');
    expect(decimal('1.')).toBeNull();
    expect(decimal('.5')).toBeNull();
    expect(decimal('1e5')).toBeNull();
  });
});

describe('Cloudmore: one organization’s subscriptions', () => {
  let graph: Graph;
  let gate: VendorProxy;
  let id: string;
  const orgServices = () => graph.calls().byVendor.cloudmore!.byRoute[ROUTE.orgServices] ?? 0;
  beforeAll(async () => {
    // The reseller's services list is held until the organization's own services list has been asked for.
    gate = await vendorProxy({ held: /\/api\/resellers\/[^/]+\/services(\?|$)/, release: () => orgServices() > 0 });
    gate.state.on = false;
    graph = await startGraph({ vendors: ['cloudmore'], seed: SEED, size: SIZE, vendorConfig: (v) => ({ ...v, cloudmore: { ...v.cloudmore!, baseUrl: gate.via(v.cloudmore!.baseUrl) } }) });
    const first = await graph.query('{ customers(vendor: CLOUDMORE, first: 1) { nodes { id } } }'); // the token
    expect(first.errors).toBeUndefined();
    id = first.data.customers.nodes[0].id;
    graph.resetCalls();
    gate.state.on = true;
  });
  afterAll(async () => {
    await graph.close();
    await gate.close();
  });

  it("asks for the organization's services along with the reseller's (the lists they call for need both), not after them", async () => {
    const res = await graph.query('query($id: ID!) { customer(id: $id) { name subscriptions { nodes { vendorId } } } }', { id });
    expect(res.errors).toBeUndefined();
    expect(gate.state.held).toBe(1);
    expect(gate.state.timedOut).toBe(0);
    expect(byRouteOf(graph)[ROUTE.services]).toBe(1);
    expect(byRouteOf(graph)[ROUTE.orgServices]).toBe(1);
  });
});

function byRouteOf(graph: Graph): Record<string, number> {
  return graph.calls().byVendor.cloudmore!.byRoute;
}
