/**
 * Every Cloudmore action of actions.md through the graph, over real HTTP against the
 * Cloudmore simulator, in both profiles: one test per action (its title carries the action's
 * name as actions.md writes it), each checking the result and, after a write, a read that
 * shows the change; the async billing report driven to completion with the simulator clock.
 * Then what every write shares: input checks answered as userErrors before any upstream call,
 * no POST sent twice under 5xx and timeouts, idempotency keys, and the generic request with
 * its hostile-path checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/ids.js';
import { REPORT_READY_MS } from '../../src/simulators/cloudmore/billing.js';
import { cloudmoreClient } from '../helpers/vendor-clients.js';
import { startGraph, type Graph } from '../helpers/graph.js';

const R = '/api/resellers/:resellerId';
const ROUTE = {
  token: 'POST /connect/token',
  organizations: `GET ${R}/Organizations`,
  organization: `GET ${R}/Organizations/:id`,
  createOrganization: `POST ${R}/Organizations`,
  updateOrganization: `PUT ${R}/Organizations/:id`,
  deleteOrganization: `DELETE ${R}/Organizations/:id`,
  services: `GET ${R}/services`,
  orgServices: `GET ${R}/organizations/:organizationId/services`,
  addService: `POST ${R}/organizations/:organizationId/services`,
  removeService: `DELETE ${R}/organizations/:organizationId/services/:serviceId`,
  estore: `GET ${R}/organizations/:organizationId/Estore`,
  orgPriceList: `GET ${R}/organizations/:organizationId/services/:serviceId/pricelist`,
  orgServiceSubscriptions: `GET ${R}/organizations/:organizationId/services/:serviceId/subscriptions`,
  startBilling: `POST ${R}/billing/reports/MonthlyBillingPerOrganizationAsync`,
  report: `GET ${R}/billing/reports/MonthlyBillingPerOrganizationAsync/:taskId`,
  health: 'GET /api/healthcheck',
};

interface Org {
  id: string;
  name: string;
  isActive: boolean;
}
interface ServiceRow {
  id: string;
  name: string;
  vendorName: string;
  type?: string;
}
interface SubRow {
  id: string;
  status: string;
  quantity: number;
}
interface PriceRow {
  productId: string;
  name: string;
  itemCode: string;
  prices: Array<{ currencyCode: string; price: number }>;
}

const gid = (kind: Parameters<typeof toGlobalId>[1], vendorId: string) => toGlobalId('CLOUDMORE', kind, vendorId);
const STATUS: Record<string, string> = { Active: 'ACTIVE', Suspended: 'SUSPENDED', Cancelled: 'CANCELLED', Pending: 'PENDING' };

/** A client straight to the simulator (not through the graph): the ground truth to compare with. */
function simulatorClient(graph: Graph) {
  const sim = graph.sims.cloudmore;
  const call = cloudmoreClient(sim);
  const c = sim.credentials;
  const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).body;
  return { call, get, resellerId: c.resellerId! };
}

describe('Cloudmore actions through the graph', () => {
  let graph: Graph;
  let sim: ReturnType<typeof simulatorClient>;
  let orgs: Org[];
  let services: ServiceRow[];

  const byRoute = () => graph.calls().byVendor.cloudmore!.byRoute;
  /** Upstream calls since the last reset, the token request left out (it is cached after the first call). */
  const calls = () => Object.fromEntries(Object.entries(byRoute()).filter(([route]) => route !== ROUTE.token));

  /** Creates an organization through the graph; its vendor id. */
  async function createOrganization(name: string): Promise<string> {
    const res = await graph.query(
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { vendorId } userErrors { code message } } }`,
      { input: { vendor: 'CLOUDMORE', name } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createCustomer.userErrors).toEqual([]);
    return res.data.createCustomer.customer.vendorId as string;
  }

  beforeAll(async () => {
    graph = await startGraph({ vendors: ['cloudmore'] });
    sim = simulatorClient(graph);
    orgs = await sim.get<Org[]>('/Organizations');
    services = await sim.get<ServiceRow[]>('/services');
    // Cache a token, so that counts below are of the action's own calls.
    await graph.query('{ vendorServices(vendor: CLOUDMORE) { vendorId } }');
  });
  afterAll(() => graph.close());

  // ---- organizations ---------------------------------------------------------------------

  it('Organizations: list: every organization, paged in the graph over one GET R/Organizations', async () => {
    graph.resetCalls();
    const res = await graph.query('{ customers(vendor: CLOUDMORE, first: 500) { totalCount nodes { id vendor vendorId name status } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.customers.totalCount).toBe(orgs.length);
    expect(res.data.customers.nodes.map((c: { vendorId: string }) => c.vendorId)).toEqual(orgs.map((o) => o.id));
    expect(res.data.customers.nodes[0]).toMatchObject({ id: gid('Customer', orgs[0]!.id), vendor: 'CLOUDMORE', name: orgs[0]!.name, status: orgs[0]!.isActive ? 'ACTIVE' : 'SUSPENDED' });
    expect(calls()).toEqual({ [ROUTE.organizations]: 1 });
  });

  it('Organizations: get: one organization by id with its detail-only fields, one GET R/Organizations/{id}', async () => {
    const org = orgs[2]!;
    const detail = await sim.get<{ name: string; notificationEmail: string | null; contact: { email: string } | null; address: { city: string | null } | null }>(`/Organizations/${org.id}`);
    graph.resetCalls();
    const res = await graph.query('query($id: ID!) { customer(id: $id) { vendorId name email address { city countryCode } contacts { email } } }', { id: gid('Customer', org.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.customer).toMatchObject({ vendorId: org.id, name: detail.name, email: detail.notificationEmail ?? detail.contact?.email ?? null });
    expect(res.data.customer.address?.city ?? null).toBe(detail.address?.city ?? null);
    expect(calls()).toEqual({ [ROUTE.organization]: 1 });
  });

  it('Organizations: create: POST R/Organizations once; the payload is the created organization, and it is listed and readable', async () => {
    graph.resetCalls();
    const res = await graph.query(
      `mutation($input: CreateCustomerInput!) {
        createCustomer(input: $input) {
          customer { id vendorId name email phone externalId status address { street city postalCode countryCode } contacts { firstName lastName email } }
          userErrors { field message code }
        }
      }`,
      {
        input: {
          vendor: 'CLOUDMORE',
          name: 'Fjord Analytics AB',
          email: 'billing@fjord.example',
          phone: '+46 8 555 0100',
          externalId: 'CUST-9001',
          address: { street: 'Sveavägen 1', city: 'Stockholm', postalCode: '111 57', countryCode: 'SE' },
          contact: { firstName: 'Astrid', lastName: 'Berg', email: 'astrid@fjord.example' },
          cloudmore: { registrationNumber: '556000-0001', vat: 'SE556000000101' },
        },
      },
    );
    expect(res.errors).toBeUndefined();
    const payload = res.data.createCustomer;
    expect(payload.userErrors).toEqual([]);
    expect(payload.customer).toMatchObject({
      name: 'Fjord Analytics AB',
      email: 'billing@fjord.example',
      externalId: 'CUST-9001',
      status: 'ACTIVE',
      address: { street: 'Sveavägen 1', city: 'Stockholm', postalCode: '111 57', countryCode: 'SE' },
      contacts: [{ firstName: 'Astrid', lastName: 'Berg', email: 'astrid@fjord.example' }],
    });
    expect(payload.customer.phone).toContain('555 0100');
    // The created detail served every field: nothing was read back.
    expect(calls()).toEqual({ [ROUTE.createOrganization]: 1 });

    const id = payload.customer.vendorId as string;
    const upstream = await sim.get<{ registrationNumber: string; vat: string; customerNumber: string }>(`/Organizations/${id}`);
    expect(upstream).toMatchObject({ registrationNumber: '556000-0001', vat: 'SE556000000101', customerNumber: 'CUST-9001' });
    const read = await graph.query('query($id: ID!) { customer(id: $id) { name } customers(vendor: CLOUDMORE, first: 500, filter: { name: "Fjord" }) { nodes { vendorId } } }', {
      id: payload.customer.id,
    });
    expect(read.data.customer.name).toBe('Fjord Analytics AB');
    expect(read.data.customers.nodes).toEqual([{ vendorId: id }]);
  });

  it('Organizations: update: GET + PUT R/Organizations/{id}; changed fields change, the rest is kept', async () => {
    const id = await createOrganization('Update Me Ltd');
    await sim.call('PUT', `/Organizations/${id}`, { name: 'Update Me Ltd', vat: 'GB123', contact: { name: 'Kim Lee', email: 'kim@update.example' } });
    graph.resetCalls();
    const res = await graph.query(
      `mutation($id: ID!, $input: UpdateCustomerInput!) {
        updateCustomer(id: $id, input: $input) { customer { vendorId name externalId email contacts { firstName email } } userErrors { code message } }
      }`,
      { id: gid('Customer', id), input: { name: 'Updated Ltd', externalId: 'EXT-42', cloudmore: { notificationEmail: 'ops@updated.example' } } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateCustomer.userErrors).toEqual([]);
    expect(res.data.updateCustomer.customer).toMatchObject({
      vendorId: id,
      name: 'Updated Ltd',
      externalId: 'EXT-42',
      email: 'ops@updated.example',
      contacts: [{ firstName: 'Kim', email: 'kim@update.example' }],
    });
    expect(calls()).toEqual({ [ROUTE.organization]: 1, [ROUTE.updateOrganization]: 1 });
    const upstream = await sim.get<{ name: string; vat: string; customerNumber: string }>(`/Organizations/${id}`);
    expect(upstream).toMatchObject({ name: 'Updated Ltd', vat: 'GB123', customerNumber: 'EXT-42' });
    const read = await graph.query('query($id: ID!) { customer(id: $id) { name externalId } }', { id: gid('Customer', id) });
    expect(read.data.customer).toEqual({ name: 'Updated Ltd', externalId: 'EXT-42' });

    // Two updates in one request: the second starts from the first one's answer (primed), not a stale read.
    graph.resetCalls();
    const twice = await graph.query(
      `mutation($id: ID!) {
        a: updateCustomer(id: $id, input: { name: "First Ltd" }) { customer { name } userErrors { code } }
        b: updateCustomer(id: $id, input: { externalId: "EXT-43" }) { customer { name externalId } userErrors { code } }
      }`,
      { id: gid('Customer', id) },
    );
    expect(twice.errors).toBeUndefined();
    expect(twice.data.b).toEqual({ customer: { name: 'First Ltd', externalId: 'EXT-43' }, userErrors: [] });
    expect(calls()).toEqual({ [ROUTE.organization]: 1, [ROUTE.updateOrganization]: 2 });
    expect(await sim.get<{ name: string; customerNumber: string }>(`/Organizations/${id}`)).toMatchObject({ name: 'First Ltd', customerNumber: 'EXT-43' });

    // An unknown organization: the vendor's 404 is a NOT_FOUND userError.
    const missing = await graph.query(`mutation($id: ID!) { updateCustomer(id: $id, input: { name: "x" }) { customer { id } userErrors { code } } }`, {
      id: gid('Customer', '00000000-0000-4000-8000-000000000000'),
    });
    expect(missing.data.updateCustomer).toEqual({ customer: null, userErrors: [{ code: 'NOT_FOUND' }] });
  });

  it('Organizations: delete: DELETE R/Organizations/{id}; the organization is gone', async () => {
    const id = await createOrganization('Short-lived Pty');
    graph.resetCalls();
    const res = await graph.query('mutation($id: ID!) { deleteCustomer(id: $id) { deletedId userErrors { code message } } }', { id: gid('Customer', id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.deleteCustomer).toEqual({ deletedId: gid('Customer', id), userErrors: [] });
    expect(calls()).toEqual({ [ROUTE.deleteOrganization]: 1 });
    expect((await sim.call('GET', `/Organizations/${id}`)).status).toBe(404);
    const read = await graph.query('query($id: ID!) { customer(id: $id) { id } }', { id: gid('Customer', id) });
    expect(read.errors).toBeUndefined();
    expect(read.data.customer).toBeNull();
    const again = await graph.query('mutation($id: ID!) { deleteCustomer(id: $id) { deletedId userErrors { code } } }', { id: gid('Customer', id) });
    expect(again.data.deleteCustomer).toEqual({ deletedId: null, userErrors: [{ code: 'NOT_FOUND' }] });
  });

  // ---- organization services, Estore, price lists, subscriptions -------------------------------

  it('Organization services: list: Customer.services from GET R/organizations/{id}/services, each linked to its reseller service', async () => {
    const org = orgs[1]!;
    const rows = await sim.get<Array<{ id: string; serviceId: string; name: string }>>(`/organizations/${org.id}/services`);
    expect(rows.length).toBeGreaterThan(0);
    graph.resetCalls();
    const res = await graph.query('query($id: ID!) { customer(id: $id) { services { vendor vendorId name service { vendorId name publisher } } } }', { id: gid('Customer', org.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.customer.services.map((s: { vendorId: string }) => s.vendorId)).toEqual(rows.map((r) => r.id));
    const first = services.find((s) => s.id === rows[0]!.serviceId)!;
    expect(res.data.customer.services[0]).toMatchObject({ vendor: 'CLOUDMORE', name: rows[0]!.name, service: { vendorId: first.id, name: first.name, publisher: first.vendorName } });
    expect(calls()).toEqual({ [ROUTE.organization]: 1, [ROUTE.orgServices]: 1, [ROUTE.services]: 1 });
  });

  it('Organization Estore: Customer.estore lists the services the organization can still add', async () => {
    const org = orgs[1]!;
    const estore = await sim.get<ServiceRow[]>(`/organizations/${org.id}/Estore`);
    graph.resetCalls();
    const res = await graph.query('query($id: ID!) { customer(id: $id) { estore { vendorId name publisher } services { vendorId } } }', { id: gid('Customer', org.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.customer.estore).toEqual(estore.map((s) => ({ vendorId: s.id, name: s.name, publisher: s.vendorName })));
    const have = new Set(res.data.customer.services.map((s: { vendorId: string }) => s.vendorId));
    expect(res.data.customer.estore.some((s: { vendorId: string }) => have.has(s.vendorId))).toBe(false);
    expect(have.size + estore.length).toBe(services.length);
    expect(calls()[ROUTE.estore]).toBe(1);
  });

  it('Organization services: create: addCustomerService sends one POST R/organizations/{id}/services; the service moves from the Estore to the services', async () => {
    const id = await createOrganization('Adds Services GmbH');
    const pick = (await sim.get<ServiceRow[]>(`/organizations/${id}/Estore`))[0]!;
    graph.resetCalls();
    const res = await graph.query(
      `mutation($input: AddCustomerServiceInput!) { addCustomerService(input: $input) { service { vendorId name service { vendorId } } userErrors { code message } } }`,
      { input: { customerId: gid('Customer', id), serviceId: pick.id, properties: { tenantDomain: 'adds.example' } } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.addCustomerService.userErrors).toEqual([]);
    expect(res.data.addCustomerService.service).toMatchObject({ vendorId: pick.id, name: pick.name, service: { vendorId: pick.id } });
    expect(byRoute()[ROUTE.addService]).toBe(1);
    const read = await graph.query('query($id: ID!) { customer(id: $id) { services { vendorId } estore { vendorId } } }', { id: gid('Customer', id) });
    expect(read.data.customer.services).toEqual([{ vendorId: pick.id }]);
    expect(read.data.customer.estore.map((s: { vendorId: string }) => s.vendorId)).not.toContain(pick.id);

    // Adding it again: Cloudmore refuses (ServiceAlreadyAdded), a userError.
    const again = await graph.query(
      `mutation($input: AddCustomerServiceInput!) { addCustomerService(input: $input) { service { vendorId } userErrors { code message } } }`,
      { input: { customerId: gid('Customer', id), serviceId: pick.id } },
    );
    expect(again.data.addCustomerService.service).toBeNull();
    expect(again.data.addCustomerService.userErrors).toEqual([{ code: 'UPSTREAM_BAD_REQUEST', message: expect.stringMatching(/already added/) }]);
  });

  it('Organization services: delete: removeCustomerService sends DELETE R/organizations/{id}/services/{serviceId}; refused while subscriptions are open', async () => {
    const id = await createOrganization('Removes Services SA');
    const pick = (await sim.get<ServiceRow[]>(`/organizations/${id}/Estore`))[0]!;
    expect((await sim.call('POST', `/organizations/${id}/services`, { serviceId: pick.id })).status).toBe(201);
    graph.resetCalls();
    const doc = `mutation($c: ID!, $s: String!) { removeCustomerService(customerId: $c, serviceId: $s) { deletedId userErrors { code message } } }`;
    const res = await graph.query(doc, { c: gid('Customer', id), s: pick.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.removeCustomerService).toEqual({ deletedId: null, userErrors: [] });
    expect(calls()).toEqual({ [ROUTE.removeService]: 1 });
    const read = await graph.query('query($id: ID!) { customer(id: $id) { services { vendorId } estore { vendorId } } }', { id: gid('Customer', id) });
    expect(read.data.customer.services).toEqual([]);
    expect(read.data.customer.estore.map((s: { vendorId: string }) => s.vendorId)).toContain(pick.id);

    // A seeded organization's service with open subscriptions: Cloudmore refuses.
    let refused: { org: string; service: string } | null = null;
    for (const org of orgs) {
      for (const s of await sim.get<Array<{ serviceId: string; activeSubscriptionCount?: number }>>(`/organizations/${org.id}/services`)) {
        const detail = await sim.get<{ activeSubscriptionCount: number; subscriptionCount: number }>(`/organizations/${org.id}/services/${s.serviceId}`);
        if (detail.activeSubscriptionCount > 0) refused = { org: org.id, service: s.serviceId };
        if (refused) break;
      }
      if (refused) break;
    }
    expect(refused).not.toBeNull();
    const no = await graph.query(doc, { c: gid('Customer', refused!.org), s: refused!.service });
    expect(no.data.removeCustomerService).toEqual({ deletedId: null, userErrors: [{ code: 'UPSTREAM_BAD_REQUEST', message: expect.stringMatching(/not cancelled/) }] });
    expect((await sim.get<Array<{ serviceId: string }>>(`/organizations/${refused!.org}/services`)).map((s) => s.serviceId)).toContain(refused!.service);
  });

  it('Organization price list: CustomerService.priceList from GET R/organizations/{id}/services/{serviceId}/pricelist, in the organization currency first', async () => {
    const org = orgs[0]!;
    const rows = await sim.get<Array<{ serviceId: string }>>(`/organizations/${org.id}/services`);
    const serviceId = rows[0]!.serviceId;
    const prices = await sim.get<PriceRow[]>(`/organizations/${org.id}/services/${serviceId}/pricelist`);
    graph.resetCalls();
    const res = await graph.query('query($id: ID!) { customer(id: $id) { services { vendorId priceList { id vendorId name sku prices { price { amount currency } } } } } }', {
      id: gid('Customer', org.id),
    });
    expect(res.errors).toBeUndefined();
    const list = res.data.customer.services.find((s: { vendorId: string }) => s.vendorId === serviceId).priceList;
    expect(list.map((p: { vendorId: string; sku: string }) => [p.vendorId, p.sku])).toEqual(prices.map((p) => [p.productId, p.itemCode]));
    expect(list[0].prices[0].price.currency).toBe(prices[0]!.prices[0]!.currencyCode);
    expect(calls()[ROUTE.orgPriceList]).toBe(rows.length);
    // The same product by its global id (the reseller price lists know it).
    const product = await graph.query('query($id: ID!) { product(id: $id) { vendorId name } }', { id: list[0].id });
    expect(product.data.product).toEqual({ vendorId: prices[0]!.productId, name: prices[0]!.name });
  });

  it('Organization service subscriptions: CustomerService.subscriptions, cancelled ones included', async () => {
    const custom = new Set(services.filter((s) => s.type === 'Custom').map((s) => s.id));
    // An organization with a custom service that has subscriptions; cancel one of them upstream.
    let found: { org: string; service: string; subs: SubRow[] } | null = null;
    for (const org of orgs) {
      for (const s of await sim.get<Array<{ serviceId: string }>>(`/organizations/${org.id}/services`)) {
        if (!custom.has(s.serviceId)) continue;
        const subs = await sim.get<SubRow[]>(`/organizations/${org.id}/services/${s.serviceId}/subscriptions`);
        if (subs.some((x) => x.status !== 'Cancelled')) found = { org: org.id, service: s.serviceId, subs };
        if (found) break;
      }
      if (found) break;
    }
    expect(found).not.toBeNull();
    const { org, service } = found!;
    const cancel = found!.subs.find((x) => x.status !== 'Cancelled')!;
    expect((await sim.call('DELETE', `/organizations/${org}/services/${service}/subscriptions/${cancel.id}`)).status).toBe(204);
    const subs = await sim.get<SubRow[]>(`/organizations/${org}/services/${service}/subscriptions`);

    graph.resetCalls();
    const res = await graph.query('query($id: ID!) { customer(id: $id) { services { vendorId subscriptions { id vendorId status quantity serviceType customer { vendorId } } } } }', {
      id: gid('Customer', org),
    });
    expect(res.errors).toBeUndefined();
    const got = res.data.customer.services.find((s: { vendorId: string }) => s.vendorId === service).subscriptions;
    expect(got.map((s: { vendorId: string; status: string }) => [s.vendorId, s.status])).toEqual(subs.map((s) => [s.id, STATUS[s.status]]));
    expect(got.find((s: { vendorId: string }) => s.vendorId === cancel.id)).toMatchObject({ status: 'CANCELLED', serviceType: 'Custom', customer: { vendorId: org } });
    expect(calls()[ROUTE.orgServiceSubscriptions]).toBeGreaterThanOrEqual(1);

    // A Microsoft service's subscriptions come from their typed endpoints, the same in both profiles.
    const microsoft = services.find((s) => s.type === 'MicrosoftCsp')!;
    let owner: string | undefined;
    for (const o of orgs) {
      if ((await sim.get<Array<{ serviceId: string }>>(`/organizations/${o.id}/services`)).some((s) => s.serviceId === microsoft.id)) owner = o.id;
      if (owner) break;
    }
    expect(owner).toBeDefined();
    const all = await graph.query('query($id: ID!) { customer(id: $id) { subscriptions(first: 500) { nodes { vendorId serviceType } } services { vendorId subscriptions { vendorId serviceType } } } }', {
      id: gid('Customer', owner!),
    });
    expect(all.errors).toBeUndefined();
    const ms = all.data.customer.services.find((s: { vendorId: string }) => s.vendorId === microsoft.id);
    const expected = all.data.customer.subscriptions.nodes.filter((s: { serviceType: string }) => s.serviceType.startsWith('Microsoft CSP'));
    expect(expected.length).toBeGreaterThan(0);
    expect(ms.subscriptions).toEqual(expected);
  });

  it('Reseller services: vendorServices(vendor: CLOUDMORE) from one GET R/services', async () => {
    graph.resetCalls();
    const res = await graph.query('{ vendorServices(vendor: CLOUDMORE) { vendor vendorId name type publisher description } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.vendorServices.map((s: { vendorId: string; name: string; publisher: string }) => [s.vendorId, s.name, s.publisher])).toEqual(
      services.map((s) => [s.id, s.name, s.vendorName]),
    );
    expect(res.data.vendorServices[0]).toMatchObject({ vendor: 'CLOUDMORE', type: services[0]!.type });
    expect(calls()).toEqual({ [ROUTE.services]: 1 });
    // Products of one reseller service: filtered in the graph by the service their price list belongs to.
    const service = services.find((s) => s.type === 'Custom')!;
    const items = await sim.get<PriceRow[]>(`/services/${service.id}/pricelist`);
    const products = await graph.query('query($s: String) { products(vendor: CLOUDMORE, first: 500, filter: { serviceName: $s }) { totalCount nodes { vendorId } } }', { s: service.name });
    expect(products.errors).toBeUndefined();
    expect(products.data.products.nodes.map((p: { vendorId: string }) => p.vendorId)).toEqual(items.map((i) => i.productId));
  });

  // ---- billing report (async) ------------------------------------------------------------

  it('Billing reports async: start: startBillingReport returns at once with a PENDING report (one POST), pollable by id', async () => {
    graph.resetCalls();
    const res = await graph.query(
      `mutation { startBillingReport(input: { vendor: CLOUDMORE, year: 2026, month: 10 }) { report { id vendorId status vendorStatus type periodStart periodEnd lines { sku } } userErrors { code } } }`,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data.startBillingReport.report;
    expect(res.data.startBillingReport.userErrors).toEqual([]);
    expect(report).toMatchObject({
      status: 'PENDING',
      vendorStatus: 'Pending',
      type: 'MonthlyBillingPerOrganization',
      periodStart: '2026-10-01T00:00:00.000Z',
      periodEnd: '2026-10-31T00:00:00.000Z',
      lines: null,
    });
    expect(report.id).toBe(gid('Report', report.vendorId));
    expect(calls()).toEqual({ [ROUTE.startBilling]: 1 });
    const poll = await graph.query('query($id: ID!) { report(id: $id) { status } }', { id: report.id });
    expect(poll.data.report.status).toBe('PENDING');
    expect(calls()).toEqual({ [ROUTE.startBilling]: 1, [ROUTE.report]: 1 });
  });

  it('Billing reports async: result: report(id) polls GET …/{taskId} until COMPLETED, with typed billing lines', async () => {
    const start = await graph.query(`mutation { startBillingReport(input: { vendor: CLOUDMORE, year: 2026, month: 10 }) { report { id } } }`);
    const id = start.data.startBillingReport.report.id as string;
    const doc = `query($id: ID!) { report(id: $id) { status content lines { customer { vendorId name } customerName serviceName productName sku quantity unitPrice { amount currency } total { amount currency } periodStart periodEnd } } }`;
    const processing = await graph.query(doc, { id });
    expect(processing.data.report).toMatchObject({ status: 'PENDING', lines: null, content: null });
    graph.sims.cloudmore.control.advance(REPORT_READY_MS);
    graph.resetCalls();
    const done = await graph.query(doc, { id });
    expect(done.errors).toBeUndefined();
    const { status, content, lines } = done.data.report;
    expect(status).toBe('COMPLETED');
    expect(lines.length).toBeGreaterThan(0);
    const expected = content.organizations.flatMap((o: { services: Array<{ products: Array<{ billingLines: unknown[] }> }> }) =>
      o.services.flatMap((s) => s.products.flatMap((p) => p.billingLines)),
    );
    expect(lines).toHaveLength(expected.length);
    const org = content.organizations[0];
    const product = org.services[0].products[0];
    const line = product.billingLines[0];
    expect(lines[0]).toMatchObject({
      customer: { vendorId: org.organizationId, name: org.organizationName },
      customerName: org.organizationName,
      serviceName: org.services[0].serviceName,
      productName: product.productName,
      sku: product.itemCode,
      quantity: line.quantity,
      unitPrice: { currency: line.currencyCode },
      total: { currency: line.currencyCode },
      periodStart: '2026-10-01T00:00:00.000Z',
      periodEnd: expect.stringMatching(/^2026-10-31T/),
    });
    expect(Number(lines[0].total.amount)).toBeCloseTo(line.amount, 2);
    expect(calls()[ROUTE.report]).toBe(1);
  });

  // ---- health and generic requests -----------------------------------------------------------

  it('Healthcheck: vendors { health } from GET /api/healthcheck and an authenticated read with the cached token', async () => {
    await graph.query('{ customers(vendor: CLOUDMORE, first: 1) { nodes { id } } }'); // a token is cached
    graph.resetCalls();
    const res = await graph.query('{ vendors { vendor health { ok check latencyMs message } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.vendors).toEqual([{ vendor: 'CLOUDMORE', health: { ok: true, check: 'Cloudmore healthcheck (GET /api/healthcheck) and an authenticated read of the reseller services (GET /api/resellers/{resellerId}/services; cached token)', latencyMs: expect.any(Number), message: null } }]);
    // The healthcheck (no token) and the cheapest authenticated read: the credentials are checked, no login is sent.
    expect(byRoute()).toEqual({ [ROUTE.health]: 1, [ROUTE.services]: 1 });
  });

  it('Generic Request: vendorRequest (with and without paginate) and sendVendorRequest, authenticated, 4xx as answers', async () => {
    const base = `api/resellers/${sim.resellerId}`;
    graph.resetCalls();
    const plain = await graph.query('query($p: String!) { vendorRequest(vendor: CLOUDMORE, path: $p) { vendor status body pages truncated } }', { p: `${base}/Organizations` });
    expect(plain.errors).toBeUndefined();
    expect(plain.data.vendorRequest).toMatchObject({ vendor: 'CLOUDMORE', status: 200, pages: 1, truncated: false });
    expect(plain.data.vendorRequest.body.map((o: { id: string }) => o.id)).toEqual((await sim.get<Org[]>('/Organizations')).map((o) => o.id));

    const active = await graph.query('query($p: String!, $q: JSON) { vendorRequest(vendor: CLOUDMORE, path: $p, query: $q, paginate: true) { status body pages truncated } }', {
      p: `/${base}/Organizations`,
      q: { showActive: true },
    });
    expect(active.errors).toBeUndefined();
    expect(active.data.vendorRequest).toMatchObject({ status: 200, pages: 1, truncated: false });
    expect(active.data.vendorRequest.body.every((o: Org) => o.isActive)).toBe(true);
    expect(active.data.vendorRequest.body.map((o: Org) => o.id)).toEqual((await sim.get<Org[]>('/Organizations?showActive=true')).map((o) => o.id));

    const missing = await graph.query('query($p: String!) { vendorRequest(vendor: CLOUDMORE, path: $p) { status body } }', { p: `${base}/Organizations/00000000-0000-4000-8000-000000000000` });
    expect(missing.errors).toBeUndefined();
    expect(missing.data.vendorRequest.status).toBe(404);

    const send = await graph.query('mutation($input: VendorRequestInput!) { sendVendorRequest(input: $input) { response { status body } userErrors { code } } }', {
      input: { vendor: 'CLOUDMORE', method: 'POST', path: `${base}/Organizations`, body: { name: 'Generic Request Oy' } },
    });
    expect(send.errors).toBeUndefined();
    expect(send.data.sendVendorRequest.userErrors).toEqual([]);
    expect(send.data.sendVendorRequest.response).toMatchObject({ status: 201, body: { name: 'Generic Request Oy' } });
    const created = send.data.sendVendorRequest.response.body.id as string;
    const read = await graph.query('query($id: ID!) { customer(id: $id) { name } }', { id: gid('Customer', created) });
    expect(read.data.customer.name).toBe('Generic Request Oy');

    const invalid = await graph.query('mutation($input: VendorRequestInput!) { sendVendorRequest(input: $input) { response { status body } } }', {
      input: { vendor: 'CLOUDMORE', method: 'POST', path: `${base}/Organizations`, body: {} },
    });
    expect(invalid.data.sendVendorRequest.response).toEqual({ status: 400, body: { Name: ['The Name field is required.'] } });
    expect(byRoute()[ROUTE.createOrganization]).toBe(2);
  });
});

describe('Cloudmore writes: validation, no double POST, idempotency, hostile generic paths', () => {
  let graph: Graph;
  const byRoute = () => graph.calls().byVendor.cloudmore!.byRoute;
  const some = (id: string) => gid('Customer', id);
  let orgId: string;

  beforeAll(async () => {
    graph = await startGraph({ vendors: ['cloudmore'] });
    const res = await graph.query('{ customers(vendor: CLOUDMORE, first: 1) { nodes { vendorId } } }');
    orgId = res.data.customers.nodes[0].vendorId;
  });
  afterAll(() => graph.close());

  it('refuses invalid input as userErrors before any upstream call', async () => {
    graph.resetCalls();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['mutation($input: CreateCustomerInput!) { r: createCustomer(input: $input) { userErrors { field code } } }', { input: { vendor: 'CLOUDMORE', name: ' ', email: 'not-an-email' } }, 'r'],
      ['mutation($input: CreateCustomerInput!) { r: createCustomer(input: $input) { userErrors { field code } } }', { input: { vendor: 'CLOUDMORE', name: 'X', ingram: { language: 'en' } } }, 'r'],
      ['mutation($id: ID!) { r: updateCustomer(id: $id, input: { name: "x" }) { userErrors { field code } } }', { id: gid('Customer', 'not-a-guid') }, 'r'],
      ['mutation($id: ID!) { r: deleteCustomer(id: $id) { userErrors { field code } } }', { id: toGlobalId('INGRAM', 'Customer', '1000001') }, 'r'],
      ['mutation($c: ID!) { r: addCustomerService(input: { customerId: $c, serviceId: "Azure" }) { userErrors { field code } } }', { c: some(orgId) }, 'r'],
      ['mutation($c: ID!) { r: addCustomerService(input: { customerId: $c, serviceId: "x", properties: [1] }) { userErrors { field code } } }', { c: some(orgId) }, 'r'],
      ['mutation($c: ID!) { r: removeCustomerService(customerId: $c, serviceId: "../Csp") { userErrors { field code } } }', { c: some(orgId) }, 'r'],
      ['mutation { r: startBillingReport(input: { vendor: CLOUDMORE, year: 2026, month: 13 }) { userErrors { field code } } }', {}, 'r'],
      ['mutation { r: startBillingReport(input: { vendor: CLOUDMORE, year: 2999, month: 1 }) { userErrors { field code } } }', {}, 'r'],
      ['mutation { r: startBillingReport(input: { vendor: CLOUDMORE, year: 2026, month: 1, idempotencyKey: "short" }) { userErrors { field code } } }', {}, 'r'],
    ];
    for (const [doc, variables, field] of cases) {
      const res = await graph.query(doc, variables);
      expect(res.errors, doc).toBeUndefined();
      const errors = res.data[field].userErrors as Array<{ code: string }>;
      expect(errors.length, doc).toBeGreaterThan(0);
      for (const e of errors) expect(['BAD_USER_INPUT', 'VENDOR_NOT_CONFIGURED'], doc).toContain(e.code);
    }
    expect(graph.calls().total).toBe(0);
  });

  it('never sends a POST twice: not after a 503, not after a timeout', async () => {
    const control = graph.sims.cloudmore.control;
    const create = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { vendorId } userErrors { code } } }`;
    await graph.query('{ vendorServices(vendor: CLOUDMORE) { vendorId } }'); // a cached token
    graph.resetCalls();
    control.addFault({ status: 503, method: 'POST', path: 'Organizations', times: 1 });
    const failed = await graph.query(create, { input: { vendor: 'CLOUDMORE', name: 'Retry Never Inc' } });
    expect(failed.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'CLOUDMORE', httpStatus: 503 });
    expect(byRoute()[`POST /api/resellers/:resellerId/Organizations`]).toBe(1);

    graph.resetCalls();
    control.addFault({ status: 503, method: 'POST', path: 'MonthlyBillingPerOrganizationAsync', times: 1 });
    const report = await graph.query('mutation { startBillingReport(input: { vendor: CLOUDMORE, year: 2026, month: 9 }) { report { id } } }');
    expect(report.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(byRoute()['POST /api/resellers/:resellerId/billing/reports/MonthlyBillingPerOrganizationAsync']).toBe(1);

    // Slower than the adapter's 5 s timeout: the write may have happened, so it is not sent again.
    graph.resetCalls();
    control.addFault({ delayMs: 6_000, method: 'POST', path: 'Organizations', times: 1 });
    const slow = await graph.query(create, { input: { vendor: 'CLOUDMORE', name: 'Timeout Once Ltd' } });
    expect(slow.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', vendor: 'CLOUDMORE' });
    expect(byRoute()[`POST /api/resellers/:resellerId/Organizations`]).toBe(1);
    control.clearFaults();
  }, 20_000);

  it('an idempotencyKey replay sends one upstream write; another input under the same key is IDEMPOTENCY_KEY_REUSED', async () => {
    const doc = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { vendorId name } userErrors { code } } }`;
    const input = { vendor: 'CLOUDMORE', name: 'Idempotent AS', idempotencyKey: 'cm-create-0001-abcdef' };
    graph.resetCalls();
    const first = await graph.query(doc, { input });
    const second = await graph.query(doc, { input });
    expect(first.data.createCustomer.userErrors).toEqual([]);
    expect(second.data.createCustomer).toEqual(first.data.createCustomer);
    expect(byRoute()['POST /api/resellers/:resellerId/Organizations']).toBe(1);
    const other = await graph.query(doc, { input: { ...input, name: 'Someone Else AS' } });
    expect(other.data.createCustomer).toEqual({ customer: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED' }] });
    expect(byRoute()['POST /api/resellers/:resellerId/Organizations']).toBe(1);

    const start = 'mutation($k: String) { startBillingReport(input: { vendor: CLOUDMORE, year: 2026, month: 8, idempotencyKey: $k }) { report { vendorId } userErrors { code } } }';
    const a = await graph.query(start, { k: 'cm-billing-2026-08' });
    const b = await graph.query(start, { k: 'cm-billing-2026-08' });
    expect(b.data.startBillingReport.report.vendorId).toBe(a.data.startBillingReport.report.vendorId);
    expect(byRoute()['POST /api/resellers/:resellerId/billing/reports/MonthlyBillingPerOrganizationAsync']).toBe(1);
  });

  it('rejects hostile generic request paths with BAD_USER_INPUT and no upstream call', async () => {
    const base = `api/resellers/${graph.sims.cloudmore.credentials.resellerId}`;
    const hostile = [
      'https://evil.example/api/healthcheck',
      '//evil.example/x',
      `${base}/../../../connect/token`,
      `${base}/%2e%2e/%2e%2e/connect/token`,
      `${base}/%252e%252e/secret`,
      `${base}\\..\\x`,
      `${base}/Organizations\r\nX-Injected: 1`,
      `${base}/Organizations%0d%0aX: 1`,
      'connect/token',
      '/Connect/Token',
      '__sim/stats',
      '/__SIM/faults',
      `${base}/Organizations?showActive=true`,
    ];
    graph.resetCalls();
    for (const path of hostile) {
      const read = await graph.query('query($p: String!) { vendorRequest(vendor: CLOUDMORE, path: $p) { status } }', { p: path });
      expect(read.errors?.[0]?.extensions?.code, path).toBe('BAD_USER_INPUT');
      const write = await graph.query('mutation($input: VendorRequestInput!) { sendVendorRequest(input: $input) { response { status } userErrors { code } } }', {
        input: { vendor: 'CLOUDMORE', method: 'POST', path, body: {} },
      });
      expect(write.data?.sendVendorRequest?.userErrors ?? write.errors?.map((e) => ({ code: e.extensions?.code })), path).toEqual([{ code: 'BAD_USER_INPUT' }]);
    }
    expect(graph.calls().total).toBe(0);
  });
});
