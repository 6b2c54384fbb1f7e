/**
 * The workloads of the benchmark (issue 11) and of test/graph/workloads.test.ts: GraphQL
 * documents, and how to run each one through a graph and count what it cost upstream.
 * The minimum each should cost is in bench/minimum.ts.
 */
import http from 'node:http';
import { toGlobalId } from '../src/ids.js';
import type { VendorName } from '../src/model.js';
import type { SimProfile, startSimulators, VendorKey } from '../src/simulators/index.js';
import { customer360Minimum, entitiesMinimum, invoicesMinimum, lastQuarter, licenseOverviewMinimum, openOrdersMinimum, type Minimum, type WorldData } from './minimum.js';

export const VENDOR_OF: Record<VendorKey, VendorName> = { leadercloud: 'LEADERCLOUD', cloudmore: 'CLOUDMORE', ingram: 'INGRAM' };
export const KEYS: readonly VendorKey[] = ['leadercloud', 'cloudmore', 'ingram'];

/**
 * Customers per graph request. `first` may be 500, but the README dashboard shape
 * (`subscriptions(first: 100)` per customer, 10 fields each) weighs about 1,106 per
 * customer in the query cost limit (250,000, src/limits.ts), so it takes at most 225
 * customers a request: the workloads page by 200.
 */
export const GRAPH_PAGE = 200;

/** License overview of one vendor (the README dashboard shape, examples/license-overview.graphql): one page of customers. */
export const licenseOverview = (vendor: VendorName | null) => `query LicenseOverview($first: Int!, $after: String) {
  customers(${vendor ? `vendor: ${vendor}, ` : ''}first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id vendor name externalId
      subscriptions(status: ACTIVE, first: 100) { nodes { id name quantity price { amount currency } product { name sku } } }
    }
  }
}`;

/** Customer 360 (examples/customer-360.graphql) with add-ons, asking only for what the vendor has (orders: not Cloudmore; invoices: Leader Cloud only). */
export function customer360(vendor: VendorName): string {
  const orders = vendor === 'CLOUDMORE' ? '' : 'orders(first: 20) { nodes { id number status createdAt total { amount currency } } }';
  const invoices = vendor === 'LEADERCLOUD' ? 'invoices(first: 20) { nodes { id number status invoiceDate dueDate total { amount currency } } }' : '';
  return `query Customer360($id: ID!) {
  customer(id: $id) {
    id vendor vendorId name status email phone externalId
    subscriptions(first: 100) {
      totalCount
      nodes { id name status quantity renewalDate autoRenew price { amount currency } product { name sku } addons { vendorId name sku status quantity } }
    }
    ${orders}
    ${invoices}
  }
}`;
}

/** Open orders across vendors (examples/open-orders.graphql). */
export const OPEN_ORDERS = `query OpenOrders($first: Int = 100) {
  submitted: orders(first: $first, filter: { status: SUBMITTED }) { ...OpenOrderList }
  processing: orders(first: $first, filter: { status: PROCESSING }) { ...OpenOrderList }
}
fragment OpenOrderList on OrderConnection {
  pageInfo { hasNextPage endCursor }
  nodes { id vendor number status vendorStatus createdAt total { amount currency } customer { id name } }
}`;

/**
 * Leader Cloud invoices of a date range (`from` inclusive, `to` exclusive) with their
 * customer, one page. The workload pages by INVOICE_PAGE: an invoice weighs little in the
 * query cost limit, and 500 is both the graph's largest `first` and Leader Cloud's page.
 */
export const INVOICES = `query Invoices($first: Int!, $after: String, $from: DateTime!, $to: DateTime!) {
  invoices(vendor: LEADERCLOUD, first: $first, after: $after, filter: { invoiceDate: { from: $from, to: $to } }) {
    pageInfo { hasNextPage endCursor }
    nodes { id number status invoiceDate total { amount currency } customer { id name } }
  }
}`;

export const INVOICE_PAGE = 500;

/** Customers by federation reference (what a router sends), 100 at most per request. */
export const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Customer { id vendor name externalId } }
}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read loosely
export type Data = any;

export interface Bench {
  sims: Awaited<ReturnType<typeof startSimulators>>;
  url: string;
  query(document: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Data>;
  /** Upstream calls since the last reset, per vendor (token calls included: a warm graph has its token). */
  calls(): Promise<Record<VendorKey, number>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Counts of the requests each simulator received (in this process, or in one of its own: bench/process.ts). */
export interface CallCounter {
  calls(): Promise<Record<VendorKey, number>>;
  reset(): Promise<void>;
}

/** The counts of simulators running in this process. */
export function localCounter(sims: Bench['sims']): CallCounter {
  const running = sims.all.map((s) => s.vendor);
  return {
    calls: async () => Object.fromEntries(KEYS.map((k) => [k, running.includes(k) ? sims[k].control.stats().total : 0])) as Record<VendorKey, number>,
    reset: async () => running.forEach((k) => sims[k].control.resetStats()),
  };
}

/**
 * The bench's client: `node:http` over one keep-alive agent, the answer read as bytes and
 * parsed once. A lean client, so that the timings are the graph's more than the client's,
 * which runs in the same process (undici's `fetch` took about 1 ms more a request from the
 * call to the graph's first hook and from its last byte to the parsed answer).
 */
const agent = new http.Agent({ keepAlive: true });

/** POSTs a JSON body through the bench's client: the answer's status and text. */
export function postText(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A GET through the bench's client (e.g. `/healthz`), its body dropped. */
export function touch(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (response) => response.resume().on('end', resolve).on('error', reject)).on('error', reject);
  });
}

/** The bench's view of a graph at `url` over running simulators (calls counted by the simulators). */
export function httpBench(sims: Bench['sims'], url: string, counter: CallCounter = localCounter(sims)): Omit<Bench, 'close'> {
  return {
    sims,
    url,
    async query(document, variables = {}, headers = {}) {
      const { status, text } = await postText(url, JSON.stringify({ query: document, variables }), headers);
      let body: { data?: Data; errors?: unknown[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new Error(`bench query: HTTP ${status}, not JSON: ${text.slice(0, 200)}`);
      }
      if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors).slice(0, 600)}`);
      return body.data;
    },
    calls: () => counter.calls(),
    reset: () => counter.reset(),
  };
}

export async function allPages(bench: Bench, document: string, path: string, limit = Infinity, variables: Record<string, unknown> = {}, pageSize = GRAPH_PAGE): Promise<Data[]> {
  const nodes: Data[] = [];
  let after: string | null = null;
  for (;;) {
    const first = Math.min(pageSize, limit - nodes.length);
    const data: Data = await bench.query(document, { ...variables, first, after });
    const connection = data[path];
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage || nodes.length >= limit) return nodes;
    after = connection.pageInfo.endCursor;
  }
}

/** The workloads, each a function of the running bench (one call = one run of the workload). */
export interface Workload {
  name: string;
  /** The vendors whose calls this workload is about. */
  vendors: VendorKey[];
  run(bench: Bench): Promise<unknown>;
}

export function customerIdOf(vendor: VendorKey, vendorId: string): string {
  return toGlobalId(VENDOR_OF[vendor], 'Customer', vendorId);
}

// ---- the workloads of issue 11, with their API minimum per vendor ----

export interface WorkloadSpec {
  name: string;
  /** Per vendor it involves: the API minimum for this profile. */
  minimum: Partial<Record<VendorKey, Minimum>>;
  run(bench: Bench): Promise<unknown>;
}

/** The customer a customer-360 workload shows, per vendor: the first with two subscriptions or more (and orders / invoices where the vendor has them). */
export function customer360Ids(d: WorldData): Record<VendorKey, string> {
  const lc = d.lc.accounts.find((a) => d.lc.subscriptions.filter((s) => s.accountId === a.id).length >= 2 && d.lc.orders.some((o) => o.accountId === a.id) && d.lc.invoices.some((i) => i.accountId === a.id));
  const cm = [...d.cm.organizations.values()].find((o) => o.subscriptions.length >= 2);
  const subs = [...d.im.subscriptions.values()];
  const orders = [...d.im.orders.values()];
  const im = [...d.im.customers.values()].find((c) => subs.filter((s) => s.customerId === c.id).length >= 2 && orders.some((o) => o.customerId === c.id));
  if (!lc || !cm || !im) throw new Error('the world is too small for a customer 360 at every vendor');
  return { leadercloud: String(lc.id), cloudmore: cm.id, ingram: im.id };
}

/** 100 customer references, spread over the vendors (a third each, as far as they have customers). */
export function entityIds(d: WorldData, count = 100): Record<VendorKey, string[]> {
  const lists: Record<VendorKey, string[]> = {
    leadercloud: d.lc.accounts.map((a) => String(a.id)),
    cloudmore: [...d.cm.organizations.values()].map((o) => o.id),
    ingram: [...d.im.customers.values()].map((c) => c.id),
  };
  const out: Record<VendorKey, string[]> = { leadercloud: [], cloudmore: [], ingram: [] };
  for (let i = 0, taken = 0; taken < count && KEYS.some((k) => lists[k].length > i); i++) {
    for (const k of KEYS) {
      const id = lists[k][i];
      if (id !== undefined && taken < count) {
        out[k].push(id);
        taken++;
      }
    }
  }
  return out;
}

export function workloads(d: WorldData, profile: SimProfile): WorkloadSpec[] {
  const specs: WorkloadSpec[] = [];
  for (const k of KEYS) {
    specs.push({
      name: `license overview ${VENDOR_OF[k]}`,
      minimum: { [k]: licenseOverviewMinimum(d, k, profile) },
      run: (b) => allPages(b, licenseOverview(VENDOR_OF[k]), 'customers'),
    });
  }
  const ids = customer360Ids(d);
  for (const k of KEYS) {
    specs.push({
      name: `customer 360 ${VENDOR_OF[k]}`,
      minimum: { [k]: customer360Minimum(d, k, profile, ids[k]) },
      run: (b) => b.query(customer360(VENDOR_OF[k]), { id: customerIdOf(k, ids[k]) }),
    });
  }
  specs.push({
    name: 'open orders',
    minimum: { leadercloud: openOrdersMinimum(d, 'leadercloud', profile), ingram: openOrdersMinimum(d, 'ingram', profile) },
    run: (b) => b.query(OPEN_ORDERS),
  });
  const { from, to } = lastQuarter(d.world);
  specs.push({
    name: 'invoices last quarter LEADERCLOUD',
    minimum: { leadercloud: invoicesMinimum(d) },
    run: (b) => allPages(b, INVOICES, 'invoices', Infinity, { from: from.toISOString(), to: to.toISOString() }, INVOICE_PAGE),
  });
  const refs = entityIds(d);
  const representations = KEYS.flatMap((k) => refs[k].map((id) => ({ __typename: 'Customer', id: customerIdOf(k, id) })));
  specs.push({
    name: `_entities ${representations.length} customers`,
    minimum: Object.fromEntries(KEYS.map((k) => [k, entitiesMinimum(d, k, profile, refs[k])])),
    run: (b) => b.query(ENTITIES, { representations }),
  });
  return specs;
}
