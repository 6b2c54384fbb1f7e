/**
 * Leader Cloud (Infiterra BSS API v3). OAuth2 password grant with the client id/secret in
 * HTTP Basic only; every call sends `X-Api-Version: 3`; lists are `pageIndex`/`pageSize`
 * (≤ 500) pages in a `{data, paging, links}` envelope with an OData-style `$filter`.
 *
 * The client stands on what the vendor documents. Forms that would be cheaper but rest on
 * inferred facts are inferred shortcuts (config `shortcuts`, see InferredShortcut), each
 * with a documented fallback chosen at run time when the vendor refuses it (a 400):
 *
 * | shortcut | documented fallback |
 * |---|---|
 * | `$filter=id in (…)` / `accountId in (…)` (the `in` operator, `guid'…'` literals, the `accountId` name) | by id: `GET /api/<entity>/{id}` per id, or the whole list 500 a page, whichever costs fewer calls; relations: the whole list, grouped here |
 * | `$filter=contains(name,'…')` (no function is documented) | the whole list, filtered here |
 * | `$filter=<DTO property> eq …` (`status`, `code`, `email`: properties of the DTO, not documented as filterable) | the whole list, filtered here |
 * | `include=customFields` on accounts (the value is not documented for accounts) | `GET /api/accounts/{id}/customfields`, only when a query selects a field it holds |
 *
 * `in (…)` batches are cut by the length of the query string (IIS rejects query strings
 * over 2,048 characters with a 404.15). A 403 whose body says `isRetriableError: true`, or
 * that carries Retry-After, is throttling (the vendor KB: a 403 can mean a rate limit):
 * UPSTREAM_RATE_LIMITED, and reads retry it like a 429.
 */
import pLimit from 'p-limit';
import type { LeaderCloudConfig } from '../../config.js';
import { UpstreamError, isNotFound } from '../../errors.js';
import { VendorHttp, type Query } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type { CustomerModel, EntityByKind, EntityKind, EntityModel, InvoiceModel, OrderModel, ProductModel, SubscriptionModel } from '../../model.js';
import { pagesCovering, type PageResult } from '../../paging.js';
import type { ListFilter, VendorAdapter } from '../types.js';
import { BaseSession, GUID, InferredShortcut, chunkByEncodedLength, groupBy, keyedLoader, matchesFilter, singleGetLoader, timedHealthCheck } from '../shared.js';
import * as map from './mappers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

const MAX_PAGE_SIZE = 500;
/** A query string stays within this many characters (IIS's default maxQueryString is 2,048). */
const MAX_QUERY_CHARS = 2000;
/** Detail GETs in flight at once per request. */
const DETAIL_CONCURRENCY = 8;

interface Envelope {
  data?: J[];
  paging?: { page: number; size: number; totalPages: number; totalRecords: number };
}

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * The length `text` takes in a form-encoded query string, as got sends `searchParams`
 * (URLSearchParams: `'`, `(`, `)`, `!`, `*` become 3 characters). chunkByEncodedLength
 * measures with encodeURIComponent, which leaves those as 1: widen them first so its
 * measure is never shorter than what is sent.
 */
const formWidth = (text: string) => text.replace(/['()!*]/g, '~~~');

/** The characters the other query parameters of a list call take (with a 4-digit pageIndex, to be safe). */
function overhead(query: Query): number {
  const params = new URLSearchParams({ pageIndex: '9999', pageSize: String(MAX_PAGE_SIZE), $filter: '' });
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  return params.toString().length;
}

/** What the by-id and by-account machinery needs to know about one list. */
interface ListSpec {
  /** `api/subscriptions` etc. */
  path: string;
  /** Fixed query of the list (e.g. `stage=All` for orders). */
  query?: Query;
  /** The `$filter` literal of an id (`5`, `guid'…'`). */
  literal: (id: string) => string;
}

const INT = (v: string) => v;
const GUID_LITERAL = (v: string) => `guid'${v}'`;

export function createLeaderCloudAdapter(config: LeaderCloudConfig, options: { simulated: boolean }): VendorAdapter {
  const secrets = [config.clientSecret, config.password];
  const errorMessage = (body: J) => (body && typeof body === 'object' ? (body.developerMessage ?? body.error_description ?? body.error) : undefined);
  // Throttling (vendor KB: "403 … or you've hit a rate limit"; no 429 is documented).
  const isRateLimited = (status: number, body: unknown, headers: Record<string, string | string[] | undefined>) =>
    status === 403 && ((body as J)?.isRetriableError === true || headers['retry-after'] !== undefined);
  const basic = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`;
  const common = { vendor: 'LEADERCLOUD' as const, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: { 'x-api-version': '3' }, secrets, errorMessage, isRateLimited };
  const authHttp = new VendorHttp({ ...common, readRetries: 0 });
  const requestToken = async () => {
    const { body } = await authHttp.request<J>('POST', 'oauth/token', {
      form: { grant_type: 'password', username: config.username, password: config.password },
      headers: { authorization: basic },
    });
    return { token: String(body.access_token), expiresInSeconds: Number(body.expires_in ?? 3600) };
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ ...common, token });

  // Inferred shortcuts: tried (mode `auto`) until the vendor refuses one with a 400, then the documented form for good.
  const refusal = (error: unknown) => error instanceof UpstreamError && error.status === 400;
  const shortcut = (name: string) => new InferredShortcut('LEADERCLOUD', name, config.shortcuts, refusal);
  const inFilter = shortcut("$filter with 'in (…)' (by id, by accountId)");
  const containsFilter = shortcut("$filter with contains()");
  const propertyFilter = shortcut('$filter on DTO properties (status, code, email)');
  const accountFields = shortcut('include=customFields on accounts');

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

  /** Accounts are read with `include=customFields` (their external id lives there) while the vendor accepts it. */
  const withAccountFields = <T>(call: (query: Query) => Promise<T>): Promise<T> =>
    accountFields.run(
      () => call({ include: 'customFields' }),
      () => call({}),
    );

  /**
   * Tries the list filter clauses pushed down to the vendor, each through its shortcut
   * (the last clause is the innermost, so the most doubtful goes last); `run` gets the
   * clauses to send and filters the others in the graph.
   */
  function withClauses<T>(clauses: Array<{ text: string; shortcut: InferredShortcut }>, run: (pushed: string[]) => Promise<T>): Promise<T> {
    const step = (i: number, pushed: string[]): Promise<T> => {
      const clause = clauses[i];
      if (!clause) return run(pushed);
      return clause.shortcut.run(
        () => step(i + 1, [...pushed, clause.text]),
        () => step(i + 1, pushed),
      );
    };
    return step(0, []);
  }

  class LeaderCloudSession extends BaseSession {
    readonly vendor = 'LEADERCLOUD' as const;
    /** List pages (500 a page) read in this request, shared by every loader that reads a whole list. */
    private readonly pages = new Map<string, Promise<Envelope>>();
    private readonly detailLimit = pLimit(DETAIL_CONCURRENCY);

    private page(path: string, query: Query, pageIndex: number): Promise<Envelope> {
      const key = `${path}?${JSON.stringify(query)}#${pageIndex}`;
      let page = this.pages.get(key);
      if (!page) {
        page = http.get<Envelope>(path, { ...query, pageIndex, pageSize: MAX_PAGE_SIZE });
        this.pages.set(key, page);
        page.catch(() => this.pages.delete(key));
      }
      return page;
    }

    /** Every row of a list, 500 a page: the first page, then the rest at once. */
    private async all(path: string, query: Query = {}): Promise<J[]> {
      const first = await this.page(path, query, 1);
      const pages = first.paging?.totalPages ?? 1;
      const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => this.page(path, query, i + 2)));
      return [first, ...rest].flatMap((r) => r.data ?? []);
    }

    /** Rows whose `prop` is one of `values`, with `$filter=<prop> in (…)` batches that keep the query string short. */
    private async byIn(spec: ListSpec, prop: string, values: readonly string[], literal: (v: string) => string, query: Query): Promise<J[]> {
      const render = (batch: readonly string[]) => `${prop} in (${batch.map(literal).join(',')})`;
      const budget = MAX_QUERY_CHARS - overhead(query);
      const batches = chunkByEncodedLength(values, (batch) => formWidth(render(batch)), budget);
      const results = await Promise.all(
        batches.map(async (batch) => {
          const filterQuery = { ...query, $filter: render(batch) };
          const first = await http.get<Envelope>(spec.path, { ...filterQuery, pageIndex: 1, pageSize: MAX_PAGE_SIZE });
          const pages = first.paging?.totalPages ?? 1;
          const rest = await Promise.all(
            Array.from({ length: Math.max(0, pages - 1) }, (_, i) => http.get<Envelope>(spec.path, { ...filterQuery, pageIndex: i + 2, pageSize: MAX_PAGE_SIZE })),
          );
          return [first, ...rest].flatMap((r) => r.data ?? []);
        }),
      );
      return results.flat();
    }

    /** One row by id (`GET /api/<entity>/{id}`), or null when the vendor says 404. */
    private detailRow(spec: ListSpec, id: string, query: Query): Promise<J | null> {
      return this.detailLimit(async () => {
        try {
          return await http.get<J>(`${spec.path}/${encodeURIComponent(id)}`, query);
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      });
    }

    /**
     * Rows by id with documented calls only, choosing the cheaper way for these ids: one
     * id is one detail GET; more read the list's first page (500 rows, and its page
     * count), then either a detail GET per id still missing or the remaining pages,
     * whichever is fewer calls.
     */
    private async byIdDocumented(spec: ListSpec, ids: readonly string[], query: Query, idOf: (row: J) => string): Promise<J[]> {
      if (ids.length === 1) {
        const row = await this.detailRow(spec, ids[0] as string, query);
        return row ? [row] : [];
      }
      const listQuery = { ...spec.query, ...query };
      const first = await this.page(spec.path, listQuery, 1);
      const wanted = new Set(ids);
      const found = (first.data ?? []).filter((r) => wanted.has(idOf(r)));
      const have = new Set(found.map(idOf));
      const missing = ids.filter((id) => !have.has(id));
      const remainingPages = Math.max(0, (first.paging?.totalPages ?? 1) - 1);
      if (missing.length === 0 || remainingPages === 0) return found;
      if (missing.length <= remainingPages) {
        const rows = await Promise.all(missing.map((id) => this.detailRow(spec, id, query)));
        return [...found, ...rows.filter((r) => r !== null)];
      }
      const rest = await Promise.all(Array.from({ length: remainingPages }, (_, i) => this.page(spec.path, listQuery, i + 2)));
      return [...found, ...rest.flatMap((r) => r.data ?? []).filter((r) => wanted.has(idOf(r)))];
    }

    /** Rows by id: `id in (…)` while the vendor accepts it, else documented calls. `query` goes to every call (e.g. include). */
    private byIds(spec: ListSpec, ids: readonly string[], query: Query = {}): Promise<J[]> {
      const idOf = (r: J) => String(r.id).toLowerCase();
      return inFilter.run(
        () => this.byIn(spec, 'id', ids, spec.literal, { ...spec.query, ...query }),
        () => this.byIdDocumented(spec, ids, query, idOf),
      );
    }

    /** Rows of many accounts: `accountId in (…)` while the vendor accepts it, else the whole list. */
    private byAccounts(spec: ListSpec, accountIds: readonly string[]): Promise<J[]> {
      const wanted = new Set(accountIds);
      return inFilter.run(
        () => this.byIn(spec, 'accountId', accountIds, INT, spec.query ?? {}),
        async () => (await this.all(spec.path, spec.query)).filter((r) => wanted.has(String(r.account?.id))),
      );
    }

    private readonly customers = keyedLoader(
      async (ids) => {
        const rows = await withAccountFields((query) => this.byIds(ACCOUNTS, ids, query));
        return new Map(rows.map((r) => [String(r.id), map.toCustomer(r)]));
      },
      null as CustomerModel | null,
      Infinity,
    );
    private readonly subscriptions = keyedLoader(
      async (ids) => new Map((await this.byIds(SUBSCRIPTIONS, ids)).map((r) => [String(r.id).toLowerCase(), map.toSubscription(r)])),
      null as SubscriptionModel | null,
      Infinity,
    );
    private readonly orders = keyedLoader(
      async (ids) => new Map((await this.byIds(ORDERS, ids)).map((r) => [String(r.id).toLowerCase(), map.toOrder(r, 'All')])),
      null as OrderModel | null,
      Infinity,
    );
    private readonly invoices = keyedLoader(
      async (ids) => new Map((await this.byIds(INVOICES, ids)).map((r) => [String(r.id).toLowerCase(), map.toInvoice(r)])),
      null as InvoiceModel | null,
      Infinity,
    );
    private readonly products = keyedLoader(
      async (ids) => new Map((await this.byIds(PRODUCTS, ids)).map((r) => [String(r.id).toLowerCase(), map.toProduct(r)])),
      null as ProductModel | null,
      Infinity,
    );
    private readonly subscriptionsByAccount = keyedLoader(
      async (ids) => {
        const rows = (await this.byAccounts(SUBSCRIPTIONS, ids)).map(map.toSubscription);
        for (const s of rows) this.subscriptions.prime(s.vendorId.toLowerCase(), s);
        return groupBy(rows, (s) => s.customerVendorId);
      },
      [] as SubscriptionModel[],
      Infinity,
    );
    private readonly ordersByAccount = keyedLoader(
      async (ids) => {
        const rows = (await this.byAccounts(ORDERS, ids)).map((o) => map.toOrder(o, 'All'));
        for (const o of rows) this.orders.prime(o.vendorId.toLowerCase(), o);
        return groupBy(rows, (o) => o.customerVendorId);
      },
      [] as OrderModel[],
      Infinity,
    );
    private readonly invoicesByAccount = keyedLoader(
      async (ids) => {
        const rows = (await this.byAccounts(INVOICES, ids)).map(map.toInvoice);
        for (const i of rows) this.invoices.prime(i.vendorId.toLowerCase(), i);
        return groupBy(rows, (i) => i.customerVendorId);
      },
      [] as InvoiceModel[],
      Infinity,
    );
    private readonly orderItemsLoader = singleGetLoader((id) => http.get<J[]>(`api/orders/${id}/items`).then(unwrapList), [] as J[]);
    private readonly invoiceItemsLoader = singleGetLoader((id) => http.get<J[]>(`api/invoices/${id}/items`).then(unwrapList), [] as J[]);
    private readonly invoiceOrdersLoader = singleGetLoader((id) => http.get<J[]>(`api/invoices/${id}/orders`).then(unwrapList), [] as J[]);
    private readonly pricing = singleGetLoader((id) => http.get<J>(`api/products/${id}/pricing`), null as J);
    private readonly addons = singleGetLoader((id) => http.get<J[]>(`api/subscriptions/${id}/addons`).then(unwrapList), [] as J[]);
    /** An account's custom field groups (null when the account is gone). */
    private readonly customFieldsLoader = singleGetLoader(async (id) => {
      try {
        return unwrapList(await http.get<J[]>(`api/accounts/${id}/customfields`));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    }, null as J[] | null);

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

    /** A customer row without its custom fields gets them (and its external id) from the custom fields endpoint. */
    override async detail<M extends EntityModel>(entity: M): Promise<M | null> {
      if (!entity.lacks?.length) return entity;
      if (entity.kind !== 'Customer') return super.detail(entity);
      const groups = await this.customFieldsLoader.load(entity.vendorId);
      return groups ? (map.withCustomFields(entity, groups) as M) : null;
    }

    async list<K extends EntityKind>(kind: K, offset: number, limit: number, filter: ListFilter = {}): Promise<PageResult<EntityByKind[K]>> {
      switch (kind) {
        case 'Customer':
          return (await this.listCustomers(offset, limit, filter)) as PageResult<EntityByKind[K]>;
        case 'Subscription':
          return (await this.listSubscriptions(offset, limit, filter)) as PageResult<EntityByKind[K]>;
        case 'Order':
          return (await this.listOrders(offset, limit, filter)) as PageResult<EntityByKind[K]>;
        case 'Invoice':
          return (await this.listInvoices(offset, limit, filter)) as PageResult<EntityByKind[K]>;
        case 'Product':
          return (await this.listProducts(offset, limit, filter)) as PageResult<EntityByKind[K]>;
        default:
          return this.unsupported(`${kind} lists`);
      }
    }

    /**
     * A list with filter clauses pushed to the vendor where it accepts them: paged at the
     * vendor when every clause went there, else read whole and filtered here.
     */
    private async filteredList<T extends EntityModel>(
      path: string,
      query: Query,
      clauses: Array<{ text: string; shortcut: InferredShortcut }>,
      mapper: (row: J) => T,
      filter: ListFilter,
      offset: number,
      limit: number,
      withQuery: (call: (extra: Query) => Promise<PageResult<T>>) => Promise<PageResult<T>> = (call) => call({}),
    ): Promise<PageResult<T>> {
      // The filter clauses are the innermost shortcuts: a refusal is blamed on them first.
      return withQuery((extra) =>
        withClauses(clauses, async (pushed) => {
          const q: Query = { ...query, ...extra, ...(pushed.length ? { $filter: pushed.join(' and ') } : {}) };
          if (pushed.length === clauses.length) {
            const page = await range(path, q, offset, limit);
            return { ...page, items: page.items.map(mapper) };
          }
          const items = (await this.all(path, q)).map(mapper).filter((m) => matchesFilter(m, filter));
          return pageOf(items, offset, limit);
        }),
      );
    }

    private async listCustomers(offset: number, limit: number, filter: ListFilter): Promise<PageResult<CustomerModel>> {
      // Accounts have no status in v3: an account that exists is active.
      if (filter.customerStatus && filter.customerStatus !== 'ACTIVE') return { items: [], total: 0, hasMore: false };
      if (filter.externalId) return this.customersByExternalId(offset, limit, filter);
      const clauses = [];
      if (filter.email) clauses.push({ text: `email eq ${quote(filter.email)}`, shortcut: propertyFilter });
      if (filter.name) clauses.push({ text: `contains(name,${quote(filter.name)})`, shortcut: containsFilter });
      return this.filteredList('api/accounts', {}, clauses, map.toCustomer, { name: filter.name, email: filter.email }, offset, limit, withAccountFields);
    }

    /** No documented filter reaches a custom field: read every account (with its custom fields) and match here. */
    private async customersByExternalId(offset: number, limit: number, filter: ListFilter): Promise<PageResult<CustomerModel>> {
      const rows = await withAccountFields((query) => this.all('api/accounts', query));
      const complete = await Promise.all(rows.map((r) => this.detail(map.toCustomer(r))));
      const items = complete.filter((c): c is CustomerModel => c !== null && matchesFilter(c, filter));
      return pageOf(items, offset, limit);
    }

    private async listSubscriptions(offset: number, limit: number, filter: ListFilter): Promise<PageResult<SubscriptionModel>> {
      if (filter.subscriptionStatus && !map.SUB_STATUS_VENDOR[filter.subscriptionStatus]) return { items: [], total: 0, hasMore: false };
      if (filter.customerVendorId) {
        const mine = await this.subscriptionsByAccount.load(filter.customerVendorId);
        return pageOf(mine.filter((s) => matchesFilter(s, filter)), offset, limit);
      }
      const clauses = [];
      const vendorStatus = filter.subscriptionStatus ? map.SUB_STATUS_VENDOR[filter.subscriptionStatus] : undefined;
      if (vendorStatus) clauses.push({ text: `status eq ${quote(vendorStatus)}`, shortcut: propertyFilter });
      return this.filteredList('api/subscriptions', {}, clauses, map.toSubscription, filter, offset, limit);
    }

    private async listOrders(offset: number, limit: number, filter: ListFilter): Promise<PageResult<OrderModel>> {
      if (filter.customerVendorId) {
        const mine = await this.ordersByAccount.load(filter.customerVendorId);
        return pageOf(mine.filter((o) => matchesFilter(o, filter)), offset, limit);
      }
      // Draft is a stage, not a status: drafts come from stage=Draft, every other status from stage=Confirmed.
      const stage: map.OrderStage = filter.orderStatus === 'DRAFT' ? 'Draft' : filter.orderStatus ? 'Confirmed' : 'All';
      const mapper = (o: J) => map.toOrder(o, stage);
      if (filter.orderStatus && filter.orderStatus !== 'DRAFT') {
        // Order.status is an object: no documented filter reaches its type.
        const items = (await this.all('api/orders', { stage })).map(mapper).filter((o) => o.status === filter.orderStatus);
        return pageOf(items, offset, limit);
      }
      const page = await range('api/orders', { stage }, offset, limit);
      return { ...page, items: page.items.map(mapper) };
    }

    private async listInvoices(offset: number, limit: number, filter: ListFilter): Promise<PageResult<InvoiceModel>> {
      if (filter.customerVendorId) {
        const mine = await this.invoicesByAccount.load(filter.customerVendorId);
        return pageOf(mine.filter((i) => matchesFilter(i, filter)), offset, limit);
      }
      if (filter.invoiceStatus) {
        // Invoice.status is an object: no documented filter reaches its type.
        const items = (await this.all('api/invoices')).map(map.toInvoice).filter((i) => i.status === filter.invoiceStatus);
        return pageOf(items, offset, limit);
      }
      const page = await range('api/invoices', {}, offset, limit);
      return { ...page, items: page.items.map(map.toInvoice) };
    }

    private async listProducts(offset: number, limit: number, filter: ListFilter): Promise<PageResult<ProductModel>> {
      const clauses = [];
      if (filter.sku) clauses.push({ text: `code eq ${quote(filter.sku)}`, shortcut: propertyFilter });
      if (filter.name) clauses.push({ text: `contains(name,${quote(filter.name)})`, shortcut: containsFilter });
      return this.filteredList('api/products', {}, clauses, map.toProduct, { name: filter.name, sku: filter.sku }, offset, limit);
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
    /** `GET /api/invoices/{id}/orders` answers LiteOrder stubs ({id, code}): the orders themselves come through the order loader. */
    override async invoiceOrders(i: InvoiceModel) {
      const stubs = await this.invoiceOrdersLoader.load(i.vendorId);
      const ids = stubs.map((o) => String(o.id ?? '').toLowerCase()).filter((id) => GUID.test(id));
      const orders = await Promise.all(ids.map((id) => this.orders.load(id)));
      return orders.filter((o): o is OrderModel => o !== null);
    }
    override async productPrices(productVendorId: string) {
      return map.toPrices(await this.pricing.load(productVendorId));
    }
    override async subscriptionAddons(s: SubscriptionModel) {
      return (await this.addons.load(s.vendorId)).map(map.toAddon);
    }
    override async customFields(c: CustomerModel) {
      if (c.customFields) return c.customFields;
      const groups = await this.customFieldsLoader.load(c.vendorId);
      return groups ? map.toCustomFields(groups) : null;
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

const ACCOUNTS: ListSpec = { path: 'api/accounts', literal: INT };
const SUBSCRIPTIONS: ListSpec = { path: 'api/subscriptions', literal: GUID_LITERAL };
/** Every stage: drafts too (detail GETs answer either stage). */
const ORDERS: ListSpec = { path: 'api/orders', query: { stage: 'All' }, literal: GUID_LITERAL };
const INVOICES: ListSpec = { path: 'api/invoices', literal: GUID_LITERAL };
const PRODUCTS: ListSpec = { path: 'api/products', literal: GUID_LITERAL };

function pageOf<T>(items: T[], offset: number, limit: number): PageResult<T> {
  return { items: items.slice(offset, offset + limit), total: items.length, hasMore: offset + limit < items.length };
}

/** Some sub-resources answer a bare array, others a paged envelope. */
function unwrapList(body: J): J[] {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.data)) return body.data;
  return [];
}
