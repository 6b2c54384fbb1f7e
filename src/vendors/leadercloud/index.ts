/**
 * Leader Cloud (Infiterra BSS API v3). OAuth2 password grant with the client id/secret in
 * HTTP Basic only; every call sends `X-Api-Version: 3`; lists are `pageIndex`/`pageSize`
 * (≤ 500) pages in a `{data, paging, links}` envelope with OData `$filter`, which lets one
 * call fetch many ids (`id in (...)`) or the subscriptions of many accounts at once.
 */
import type { LeaderCloudConfig } from '../../config.js';
import { VendorHttp, type Query } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type { EntityByKind, EntityKind, OrderModel, SubscriptionModel, InvoiceModel, CustomerModel } from '../../model.js';
import { pagesCovering, type PageResult } from '../../paging.js';
import type { ListFilter, VendorAdapter } from '../types.js';
import { BaseSession, GUID, groupBy, keyedLoader, singleGetLoader, timedHealthCheck } from '../shared.js';
import * as map from './mappers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

const MAX_PAGE_SIZE = 500;
/** How many ids one `$filter=... in (...)` carries (keeps URLs well under common limits). */
const IN_BATCH = 100;

interface Envelope {
  data: J[];
  paging?: { page: number; size: number; totalPages: number; totalRecords: number };
}

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

export function createLeaderCloudAdapter(config: LeaderCloudConfig, options: { simulated: boolean }): VendorAdapter {
  const secrets = [config.clientSecret, config.password];
  const errorMessage = (body: J) => (body && typeof body === 'object' ? (body.developerMessage ?? body.error_description ?? body.error) : undefined);
  const basic = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`;
  const authHttp = new VendorHttp({ vendor: 'LEADERCLOUD', baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: { 'x-api-version': '3' }, secrets, errorMessage, readRetries: 0 });
  const requestToken = async () => {
    const { body } = await authHttp.request<J>('POST', 'oauth/token', {
      form: { grant_type: 'password', username: config.username, password: config.password },
      headers: { authorization: basic },
    });
    return { token: String(body.access_token), expiresInSeconds: Number(body.expires_in ?? 3600) };
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ vendor: 'LEADERCLOUD', baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: { 'x-api-version': '3' }, token, secrets, errorMessage });

  /** Items [offset, offset+limit) of a paged list, in one or two calls. */
  async function range(path: string, query: Query, offset: number, limit: number): Promise<PageResult<J>> {
    if (limit === 0) {
      const page = await http.get<Envelope>(path, { ...query, pageIndex: 1, pageSize: 1 });
      return { items: [], total: page.paging?.totalRecords ?? null, hasMore: (page.paging?.totalRecords ?? 0) > offset };
    }
    const { pageSize, pages } = pagesCovering(offset, limit, MAX_PAGE_SIZE);
    const results = await Promise.all(pages.map((pageIndex) => http.get<Envelope>(path, { ...query, pageIndex, pageSize })));
    const all = results.flatMap((r) => r.data ?? []);
    const skip = offset - ((pages[0] ?? 1) - 1) * pageSize;
    const total = results[0]?.paging?.totalRecords ?? null;
    const items = all.slice(skip, skip + limit);
    return { items, total, hasMore: total !== null ? offset + items.length < total : items.length === limit };
  }

  /** Every item of a filtered list, 500 a page. */
  async function all(path: string, query: Query): Promise<J[]> {
    const first = await http.get<Envelope>(path, { ...query, pageIndex: 1, pageSize: MAX_PAGE_SIZE });
    const pages = first.paging?.totalPages ?? 1;
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, pages - 1) }, (_, i) => http.get<Envelope>(path, { ...query, pageIndex: i + 2, pageSize: MAX_PAGE_SIZE })),
    );
    return [first, ...rest].flatMap((r) => r.data ?? []);
  }

  /** Loads many records by a property with `$filter=<prop> in (...)`, chunked. */
  async function byProperty(path: string, prop: string, values: readonly string[], literal: (v: string) => string, extra: Query = {}): Promise<J[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < values.length; i += IN_BATCH) chunks.push(values.slice(i, i + IN_BATCH) as string[]);
    const results = await Promise.all(chunks.map((chunk) => all(path, { ...extra, $filter: `${prop} in (${chunk.map(literal).join(',')})` })));
    return results.flat();
  }

  const int = (v: string) => v;
  const guid = (v: string) => `guid'${v}'`;

  class LeaderCloudSession extends BaseSession {
    readonly vendor = 'LEADERCLOUD' as const;

    private readonly customers = keyedLoader(async (ids) => {
      const rows = await byProperty('api/accounts', 'id', ids, int);
      return new Map(rows.map((r) => [String(r.id), map.toCustomer(r)]));
    }, null as CustomerModel | null);
    private readonly subscriptions = keyedLoader(async (ids) => {
      const rows = await byProperty('api/subscriptions', 'id', ids, guid);
      return new Map(rows.map((r) => [String(r.id).toLowerCase(), map.toSubscription(r)]));
    }, null as SubscriptionModel | null);
    private readonly orders = keyedLoader(async (ids) => {
      const rows = await byProperty('api/orders', 'id', ids, guid, { stage: 'All' });
      return new Map(rows.map((r) => [String(r.id).toLowerCase(), map.toOrder(r)]));
    }, null as OrderModel | null);
    private readonly invoices = keyedLoader(async (ids) => {
      const rows = await byProperty('api/invoices', 'id', ids, guid);
      return new Map(rows.map((r) => [String(r.id).toLowerCase(), map.toInvoice(r)]));
    }, null as InvoiceModel | null);
    private readonly products = keyedLoader(async (ids) => {
      const rows = await byProperty('api/products', 'id', ids, guid);
      return new Map(rows.map((r) => [String(r.id).toLowerCase(), map.toProduct(r)]));
    }, null as EntityByKind['Product'] | null);
    private readonly subscriptionsByAccount = keyedLoader(async (ids) => {
      const rows = (await byProperty('api/subscriptions', 'accountId', ids, int)).map(map.toSubscription);
      for (const s of rows) this.subscriptions.prime(s.vendorId.toLowerCase(), s);
      return groupBy(rows, (s) => s.customerVendorId);
    }, [] as SubscriptionModel[]);
    private readonly ordersByAccount = keyedLoader(async (ids) => {
      const rows = (await byProperty('api/orders', 'accountId', ids, int, { stage: 'All' })).map(map.toOrder);
      for (const o of rows) this.orders.prime(o.vendorId.toLowerCase(), o);
      return groupBy(rows, (o) => o.customerVendorId);
    }, [] as OrderModel[]);
    private readonly invoicesByAccount = keyedLoader(async (ids) => {
      const rows = (await byProperty('api/invoices', 'accountId', ids, int)).map(map.toInvoice);
      for (const i of rows) this.invoices.prime(i.vendorId.toLowerCase(), i);
      return groupBy(rows, (i) => i.customerVendorId);
    }, [] as InvoiceModel[]);
    private readonly orderItemsLoader = singleGetLoader((id) => http.get<J[]>(`api/orders/${id}/items`).then(unwrapList), [] as J[]);
    private readonly invoiceItemsLoader = singleGetLoader((id) => http.get<J[]>(`api/invoices/${id}/items`).then(unwrapList), [] as J[]);
    private readonly invoiceOrdersLoader = singleGetLoader((id) => http.get<J[]>(`api/invoices/${id}/orders`).then(unwrapList), [] as J[]);
    private readonly pricing = singleGetLoader((id) => http.get<J>(`api/products/${id}/pricing`), null as J);
    private readonly addons = singleGetLoader((id) => http.get<J[]>(`api/subscriptions/${id}/addons`).then(unwrapList), [] as J[]);
    private readonly customFieldsLoader = singleGetLoader((id) => http.get<J[]>(`api/accounts/${id}/customfields`).then(unwrapList), [] as J[]);

    async get<K extends EntityKind>(kind: K, vendorId: string): Promise<EntityByKind[K] | null> {
      const key = vendorId.toLowerCase();
      const loaders: Partial<Record<EntityKind, { load(k: string): Promise<unknown> }>> = {
        Customer: this.customers,
        Subscription: this.subscriptions,
        Order: this.orders,
        Invoice: this.invoices,
        Product: this.products,
      };
      const loader = loaders[kind];
      if (!loader) return this.unsupported(`${kind} objects`);
      return (await loader.load(key)) as EntityByKind[K] | null;
    }

    async list<K extends EntityKind>(kind: K, offset: number, limit: number, filter: ListFilter = {}): Promise<PageResult<EntityByKind[K]>> {
      const clauses: string[] = [];
      const query: Query = {};
      let path: string;
      let mapper: (j: J) => EntityByKind[K];
      switch (kind) {
        case 'Customer':
          path = 'api/accounts';
          mapper = map.toCustomer as never;
          if (filter.name) clauses.push(`contains(name,${quote(filter.name)})`);
          if (filter.email) clauses.push(`email eq ${quote(filter.email)}`);
          // Accounts have no external id and no status in v3: nothing can match those.
          if (filter.externalId || (filter.customerStatus && filter.customerStatus !== 'ACTIVE')) return { items: [], total: 0, hasMore: false };
          break;
        case 'Subscription':
          path = 'api/subscriptions';
          mapper = map.toSubscription as never;
          if (filter.customerVendorId) clauses.push(`accountId eq ${filter.customerVendorId}`);
          if (filter.subscriptionStatus) {
            const vendorStatus = map.SUB_STATUS_VENDOR[filter.subscriptionStatus];
            if (!vendorStatus) return { items: [], total: 0, hasMore: false };
            clauses.push(`status eq ${quote(vendorStatus)}`);
          }
          break;
        case 'Order':
          path = 'api/orders';
          mapper = map.toOrder as never;
          query.stage = filter.orderStatus === 'DRAFT' ? 'Draft' : 'All';
          if (filter.customerVendorId) clauses.push(`accountId eq ${filter.customerVendorId}`);
          if (filter.orderStatus && filter.orderStatus !== 'DRAFT') {
            return this.filteredInGraph(path, query, clauses, mapper, offset, limit, (o) => (o as OrderModel).status === filter.orderStatus);
          }
          break;
        case 'Invoice':
          path = 'api/invoices';
          mapper = map.toInvoice as never;
          if (filter.customerVendorId) clauses.push(`accountId eq ${filter.customerVendorId}`);
          if (filter.invoiceStatus) {
            return this.filteredInGraph(path, query, clauses, mapper, offset, limit, (i) => (i as InvoiceModel).status === filter.invoiceStatus);
          }
          break;
        case 'Product':
          path = 'api/products';
          mapper = map.toProduct as never;
          if (filter.name) clauses.push(`contains(name,${quote(filter.name)})`);
          if (filter.sku) clauses.push(`code eq ${quote(filter.sku)}`);
          break;
        default:
          return this.unsupported(`${kind} lists`);
      }
      if (clauses.length) query.$filter = clauses.join(' and ');
      const page = await range(path, query, offset, limit);
      return { ...page, items: page.items.map(mapper) };
    }

    /** For filters the API cannot express: read the (pre-filtered) list and filter here. */
    private async filteredInGraph<T>(path: string, query: Query, clauses: string[], mapper: (j: J) => T, offset: number, limit: number, keep: (item: T) => boolean): Promise<PageResult<T>> {
      if (clauses.length) query.$filter = clauses.join(' and ');
      const items = (await all(path, query)).map(mapper).filter(keep);
      return { items: items.slice(offset, offset + limit), total: items.length, hasMore: offset + limit < items.length };
    }

    override async subscriptionsOf(c: CustomerModel) {
      return this.subscriptionsByAccount.load(c.vendorId);
    }
    override async ordersOf(c: CustomerModel) {
      return this.ordersByAccount.load(c.vendorId);
    }
    override async invoicesOf(c: CustomerModel) {
      return this.invoicesByAccount.load(c.vendorId);
    }
    override async orderItems(o: OrderModel) {
      const currency = (o.raw as J)?.currency ?? o.total?.currency;
      return (await this.orderItemsLoader.load(o.vendorId)).map((i) => map.toOrderItem(i, currency));
    }
    override async invoiceItems(i: InvoiceModel) {
      if (i.items) return i.items;
      const currency = i.total?.currency;
      return (await this.invoiceItemsLoader.load(i.vendorId)).map((it) => map.toInvoiceItem(it, currency));
    }
    override async invoiceOrders(i: InvoiceModel) {
      return (await this.invoiceOrdersLoader.load(i.vendorId)).map(map.toOrder);
    }
    override async productPrices(productVendorId: string) {
      return map.toPrices(await this.pricing.load(productVendorId));
    }
    override async subscriptionAddons(s: SubscriptionModel) {
      return (await this.addons.load(s.vendorId)).map(map.toAddon);
    }
    override async customFields(c: CustomerModel) {
      if (c.customFields) return c.customFields;
      return map.toCustomFields(await this.customFieldsLoader.load(c.vendorId));
    }
  }

  return {
    vendor: 'LEADERCLOUD',
    baseUrl: config.baseUrl,
    simulated: options.simulated,
    supports: ['Customer', 'Subscription', 'Order', 'Invoice', 'Product'],
    isValidId(kind, vendorId) {
      if (kind === 'Customer') return /^[1-9]\d{0,9}$/.test(vendorId) && Number(vendorId) <= 2 ** 31 - 1;
      return GUID.test(vendorId);
    },
    health: () => timedHealthCheck('OAuth2 password grant (POST /oauth/token)', async () => {
      await requestToken();
      return null;
    }),
    session: () => new LeaderCloudSession(),
  };
}

/** Some sub-resources answer a bare array, others a paged envelope. */
function unwrapList(body: J): J[] {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.data)) return body.data;
  return [];
}
