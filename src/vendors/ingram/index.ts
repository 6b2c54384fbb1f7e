/**
 * Ingram Micro Cloud Marketplace (CloudBlue Commerce "SimpleAPI" 1.15) at
 * `https://api.cloud.im/marketplace/<region>`.
 *
 * Auth: `POST /token` with HTTP Basic (API user) and `{"marketplace": ...}` gives a bearer
 * token (about 25 minutes, no refresh token); every call also sends `X-Subscription-Key`.
 * Lists are `offset`/`limit` windows in a `{data, pagination: {offset, limit, total}}`
 * envelope, newest first. No maximum `limit` is documented and a gateway may return fewer
 * rows than asked, so reads advance by the rows received until `pagination.total` (as the
 * public n8n client does); only an empty page ends a list early. There is no batch-by-id
 * endpoint, so by-id loads are single GETs with bounded concurrency while few ids are asked
 * in one tick, and one paged read of the whole list (indexed here) when many are.
 *
 * List rows of customers and resellers are documented as "basic details" (the docs' one
 * example has `id, externalId, name, status`); address, contacts, language and reseller id
 * come from `GET /customers/{id}` / `GET /resellers/{id}`. A model mapped from a row that
 * lacks them says so (`lacks`, computed from the row's keys), and `detail()` reads the
 * detail GET only when a query selects such a field.
 *
 * Ids: customers, resellers, subscriptions, orders and service plans are digit strings
 * (`1000001`); reports are UUIDs. A product's vendorId is its **MPN** (`CFQ7TTC0LH18:0001_P1Y_A`,
 * `ACR-CPC-WKS-M`): subscriptions and order lines name products by MPN, orders are placed
 * by MPN, and `/products?mpn=` is the API's only product lookup (1.15 has no
 * `GET /products/{id}`). A product is also found by its catalogue id (`PRD326501`), but the
 * ids the graph hands out always carry the MPN.
 *
 * Upstream cost per GraphQL request (all through per-request loaders, so deterministic):
 * - a list window costs one call if the vendor returns every row asked for, else one call
 *   per page the vendor serves (the first, then the rest in parallel, ≤ 8 at once);
 * - the catalogue (`GET /products?limit=1000`, all pages) is read at most once and serves
 *   every Product by id, Subscription.product and OrderItem.product;
 * - customers by id: `GET /customers/{id}` each (≤ 8 at once) for up to MANY ids in a tick,
 *   else the customer list once (`GET /customers?limit=1000`, all pages);
 * - detail-only customer/reseller fields of list rows that lack them: one
 *   `GET /customers/{id}` (`/resellers/{id}`) per entity, deduplicated, ≤ 8 at once, only
 *   when selected;
 * - subscriptions / orders of customers: `GET /subscriptions?customerId=` (or `/orders`)
 *   per customer for up to MANY customers in a tick, else the whole list once, grouped;
 * - subscriptions are read in detail (`GET /subscriptions/{id}`, ≤ 8 at once, deduplicated):
 *   only SubscriptionDetailed carries the products, quantity and prices;
 * - order items come from OrderDetailed (`GET /orders/{id}`) when the order is a list item;
 * - resellers, plans and reports by id: single GETs (≤ 8 at once).
 */
import type { IngramConfig } from '../../config.js';
import { isNotFound } from '../../errors.js';
import { VendorHttp, type Query } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type {
  CustomerModel,
  EntityByKind,
  EntityKind,
  EntityModel,
  OrderModel,
  ProductModel,
  ReportModel,
  ResellerModel,
  ServicePlanModel,
  SubscriptionModel,
} from '../../model.js';
import type { PageResult } from '../../paging.js';
import { BaseSession, GUID, groupBy, keyedLoader, mapLimit, singleGetLoader, timedHealthCheck } from '../shared.js';
import type { ListFilter, VendorAdapter } from '../types.js';
import * as map from './mappers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

/**
 * The largest `limit` this client asks for. No maximum is documented, and a gateway may
 * return fewer rows than asked (the simulator's `documented` profile caps pages at 100), so
 * nothing here assumes a page holds this many: reads advance by the rows received.
 */
export const MAX_LIMIT = 1000;
/** More ids (or customers) than this in one tick: read the whole list once instead of one call each. */
export const MANY = 10;
/** Parallel single GETs per loader batch. */
const CONCURRENCY = 8;

/** Digit-string ids (customers, resellers, subscriptions, orders, service plans). */
const DIGITS = /^[1-9]\d{0,17}$/;
/** An MPN (or a catalogue id): letters, digits and `. _ : -`, starting with a letter or digit, at most 128 characters. */
export const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const TOKEN_CHECK = 'Token request (POST /token)';

interface Envelope {
  data?: J[];
  pagination?: { offset?: number; limit?: number; total?: number };
}

const EMPTY: PageResult<never> = { items: [], total: 0, hasMore: false };

export function createIngramAdapter(config: IngramConfig, options: { simulated: boolean }): VendorAdapter {
  const secrets = [config.password, config.subscriptionKey];
  const errorMessage = (body: J) => (body && typeof body === 'object' && typeof body.message === 'string' ? body.message : undefined);
  const keyHeader = { 'x-subscription-key': config.subscriptionKey };
  const basic = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  const authHttp = new VendorHttp({ vendor: 'INGRAM', baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: keyHeader, secrets, errorMessage, readRetries: 0 });

  /** A fresh token (never cached here: TokenCache caches, health() checks). */
  const requestToken = async () => {
    const { body } = await authHttp.request<J>('POST', 'token', { body: { marketplace: config.marketplace }, headers: { authorization: basic } });
    return { token: String(body?.token ?? ''), expiresInSeconds: Number(body?.expiresInSeconds ?? 1500) };
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ vendor: 'INGRAM', baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: keyHeader, token, secrets, errorMessage });

  /** One list page: at most `limit` rows from `offset` (the vendor may return fewer). */
  async function page(path: string, query: Query, offset: number, limit: number): Promise<{ rows: J[]; total: number | null }> {
    const body = await http.get<Envelope>(path, { ...query, offset, limit });
    const rows = Array.isArray(body?.data) ? body.data.slice(0, limit) : [];
    const total = typeof body?.pagination?.total === 'number' ? body.pagination.total : null;
    return { rows, total };
  }

  /**
   * Rows [start, end) of a list (`end` Infinity: to the end) and the reported total. The
   * first page says how many rows a page holds here (the rows it returned: the vendor may
   * cap `limit` below what was asked, and documents no maximum) and how many there are
   * (`pagination.total`); the remaining windows of that size are then read in parallel (at
   * most CONCURRENCY at once). A page shorter than asked ends the list only when it is empty;
   * otherwise the rest of its window is read the same way. Without a total, pages are read
   * one after another until one is empty or `end` is reached.
   */
  async function read(path: string, query: Query, start: number, end: number): Promise<{ rows: J[]; total: number | null }> {
    const first = await page(path, query, start, Math.min(end - start, MAX_LIMIT));
    const { total } = first;
    const rows = first.rows;
    const stop = total === null ? end : Math.min(end, total);
    if (rows.length === 0 || start + rows.length >= stop) return { rows, total };
    if (total === null) {
      const rest = await read(path, query, start + rows.length, end);
      return { rows: [...rows, ...rest.rows], total: null };
    }
    const step = rows.length;
    const windows: Array<{ offset: number; limit: number }> = [];
    for (let offset = start + step; offset < stop; offset += step) windows.push({ offset, limit: Math.min(step, stop - offset) });
    const pages = await mapLimit(windows, CONCURRENCY, (w) => page(path, query, w.offset, w.limit));
    for (const [i, w] of windows.entries()) {
      const got = pages[i]?.rows ?? [];
      rows.push(...got);
      if (got.length === 0) break; // the list ended early (it shrank since the first page)
      if (got.length < w.limit) {
        const gap = await read(path, query, w.offset + got.length, w.offset + w.limit);
        rows.push(...gap.rows);
        if (gap.rows.length < w.limit - got.length) break;
      }
    }
    return { rows, total };
  }

  /** Items [offset, offset + limit) of a list: as many pages as the vendor needs to give `limit` rows. */
  async function range(path: string, query: Query, offset: number, limit: number): Promise<PageResult<J>> {
    if (limit <= 0) {
      // The API has no limit=0: ask for one item to learn the total.
      const first = await page(path, query, offset, 1);
      return { items: [], total: first.total, hasMore: first.total !== null ? offset < first.total : first.rows.length > 0 };
    }
    const { rows, total } = await read(path, query, offset, offset + limit);
    return { items: rows, total, hasMore: total !== null ? offset + rows.length < total : rows.length === limit };
  }

  /** Every item of a (filtered) list, paged as `read` does. */
  async function all(path: string, query: Query = {}): Promise<J[]> {
    return (await read(path, query, 0, Infinity)).rows;
  }

  /** A single GET; null when the vendor answers 404. */
  async function getOrNull(path: string): Promise<J | null> {
    try {
      return await http.get<J>(path);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  const enc = encodeURIComponent;

  class IngramSession extends BaseSession {
    readonly vendor = 'INGRAM' as const;

    // ---- whole lists, read at most once per request --------------------------------

    private catalogueOnce?: Promise<{ list: ProductModel[]; byKey: Map<string, ProductModel> }>;
    private allCustomersOnce?: Promise<J[]>;
    private allSubscriptionsOnce?: Promise<J[]>;
    private allOrdersOnce?: Promise<J[]>;

    /** The catalogue, indexed by lower-cased MPN and product id. */
    private catalogue() {
      this.catalogueOnce ??= all('products').then((rows) => {
        const list = rows.map(map.toProduct);
        const byKey = new Map<string, ProductModel>();
        list.forEach((p, i) => {
          byKey.set(p.vendorId.toLowerCase(), p);
          const id = rows[i]?.id;
          if (id && !byKey.has(String(id).toLowerCase())) byKey.set(String(id).toLowerCase(), p);
        });
        return { list, byKey };
      });
      return this.catalogueOnce;
    }
    private allCustomers() {
      this.allCustomersOnce ??= all('customers');
      return this.allCustomersOnce;
    }
    private allSubscriptions() {
      this.allSubscriptionsOnce ??= all('subscriptions');
      return this.allSubscriptionsOnce;
    }
    private allOrders() {
      this.allOrdersOnce ??= all('orders');
      return this.allOrdersOnce;
    }

    // ---- loaders -------------------------------------------------------------------

    /** Customers by id: list rows (possibly lacking detail-only fields) or full customers. */
    private readonly customers = keyedLoader(
      async (ids) => {
        if (ids.length > MANY || this.allCustomersOnce) {
          const wanted = new Set(ids);
          const rows = (await this.allCustomers()).filter((c) => wanted.has(String(c.id)));
          return new Map(rows.map((c) => [String(c.id), map.toCustomerRow(c)]));
        }
        const found = await this.customerDetails.loadMany(ids);
        return new Map(ids.map((id, i) => [id, toValue(found[i])]));
      },
      null as CustomerModel | null,
      MAX_LIMIT,
    );
    /** Full customers, `GET /customers/{id}` each (≤ 8 at once): by-id loads of a few, and detail(). */
    private readonly customerDetails = singleGetLoader(
      async (id) => {
        const c = await getOrNull(`customers/${enc(id)}`);
        return c ? map.toCustomer(c) : null;
      },
      null as CustomerModel | null,
      CONCURRENCY,
    );
    /** Resellers by id: list rows once a list was read, else full resellers. */
    private readonly resellers = keyedLoader(
      async (ids) => {
        const found = await this.resellerDetails.loadMany(ids);
        return new Map(ids.map((id, i) => [id, toValue(found[i])]));
      },
      null as ResellerModel | null,
      MAX_LIMIT,
    );
    /** Full resellers, `GET /resellers/{id}` each (≤ 8 at once). */
    private readonly resellerDetails = singleGetLoader(
      async (id) => {
        const r = await getOrNull(`resellers/${enc(id)}`);
        return r ? map.toReseller(r) : null;
      },
      null as ResellerModel | null,
      CONCURRENCY,
    );
    /** SubscriptionDetailed by id: the only form with products, quantity and prices. */
    private readonly subscriptions = singleGetLoader(
      async (id) => {
        const s = await getOrNull(`subscriptions/${enc(id)}`);
        return s ? map.toSubscription(s) : null;
      },
      null as SubscriptionModel | null,
      CONCURRENCY,
    );
    /** OrderDetailed by id (with its product lines). */
    private readonly orders = singleGetLoader(
      async (id) => {
        const o = await getOrNull(`orders/${enc(id)}`);
        return o ? map.toOrder(o) : null;
      },
      null as OrderModel | null,
      CONCURRENCY,
    );
    private readonly plans = singleGetLoader(
      async (id) => {
        const p = await getOrNull(`plans/${enc(id)}`);
        return p ? map.toServicePlan(p) : null;
      },
      null as ServicePlanModel | null,
      CONCURRENCY,
    );
    private readonly reports = singleGetLoader(
      async (id) => {
        const r = await getOrNull(`reports/${enc(id)}`);
        return r ? map.toReport(r) : null;
      },
      null as ReportModel | null,
      CONCURRENCY,
    );
    private readonly subscriptionsByCustomer = keyedLoader(
      async (customerIds) => {
        const rows = await this.rowsOfCustomers(customerIds, 'subscriptions', () => this.allSubscriptions(), this.allSubscriptionsOnce);
        const detailed = await this.detailed(rows);
        return groupBy(detailed, (s) => s.customerVendorId);
      },
      [] as SubscriptionModel[],
      MAX_LIMIT,
    );
    private readonly ordersByCustomer = keyedLoader(
      async (customerIds) => {
        const rows = await this.rowsOfCustomers(customerIds, 'orders', () => this.allOrders(), this.allOrdersOnce);
        return groupBy(rows.map(map.toOrder), (o) => o.customerVendorId);
      },
      [] as OrderModel[],
      MAX_LIMIT,
    );
    private readonly resellerCustomers = singleGetLoader(
      async (resellerId) => {
        try {
          const rows = (await all(`resellers/${enc(resellerId)}/customers`)).map((c) => map.toResellerCustomerRow(c, resellerId));
          for (const c of rows) this.customers.prime(c.vendorId, c);
          return rows;
        } catch (error) {
          if (isNotFound(error)) return [];
          throw error;
        }
      },
      [] as CustomerModel[],
      CONCURRENCY,
    );

    /**
     * The list rows (subscriptions or orders) of some customers: `?customerId=` per customer
     * for a few, the whole list once for many (or when it is already being read).
     */
    private async rowsOfCustomers(customerIds: readonly string[], path: string, whole: () => Promise<J[]>, started: unknown): Promise<J[]> {
      if (customerIds.length > MANY || started) {
        const wanted = new Set(customerIds);
        return (await whole()).filter((r) => wanted.has(String(r.customerId)));
      }
      return (await mapLimit(customerIds, CONCURRENCY, (customerId) => all(path, { customerId }))).flat();
    }

    /** Subscription list rows → detailed models, in the same order (vanished ones dropped). */
    private async detailed(rows: J[]): Promise<SubscriptionModel[]> {
      const models = await Promise.all(rows.map((r) => this.subscriptions.load(String(r.id))));
      return models.filter((m): m is SubscriptionModel => m !== null);
    }

    // ---- VendorSession -------------------------------------------------------------

    async get<K extends EntityKind>(kind: K, vendorId: string): Promise<EntityByKind[K] | null> {
      let found: Promise<unknown>;
      switch (kind) {
        case 'Customer':
          found = this.customers.load(vendorId);
          break;
        case 'Reseller':
          found = this.resellers.load(vendorId);
          break;
        case 'Subscription':
          found = this.subscriptions.load(vendorId);
          break;
        case 'Order':
          found = this.orders.load(vendorId);
          break;
        case 'ServicePlan':
          found = this.plans.load(vendorId);
          break;
        case 'Report':
          found = this.reports.load(vendorId.toLowerCase());
          break;
        case 'Product':
          found = this.catalogue().then((c) => c.byKey.get(vendorId.toLowerCase()) ?? null);
          break;
        default:
          return this.unsupported(`${kind} objects`);
      }
      return (await found) as EntityByKind[K] | null;
    }

    async list<K extends EntityKind>(kind: K, offset: number, limit: number, filter: ListFilter = {}): Promise<PageResult<EntityByKind[K]>> {
      const page = await this.listModels(kind, offset, limit, filter);
      return page as PageResult<EntityByKind[K]>;
    }

    private async listModels(kind: EntityKind, offset: number, limit: number, filter: ListFilter): Promise<PageResult<unknown>> {
      switch (kind) {
        case 'Customer': {
          const query: Query = { name: filter.name || undefined, email: filter.email || undefined, externalId: filter.externalId || undefined };
          let page: PageResult<CustomerModel>;
          if (filter.customerStatus) {
            // No status filter upstream: read the (otherwise filtered) list and filter here.
            const wanted = filter.customerStatus;
            const rows = (await all('customers', query)).map(map.toCustomerRow).filter((c) => c.status === wanted);
            page = slice(rows, offset, limit);
          } else {
            const raw = await range('customers', query, offset, limit);
            page = { ...raw, items: raw.items.map(map.toCustomerRow) };
          }
          for (const c of page.items) this.customers.prime(c.vendorId, c);
          return page;
        }
        case 'Reseller': {
          const raw = await range('resellers', {}, offset, limit);
          const items = raw.items.map(map.toResellerRow);
          for (const r of items) this.resellers.prime(r.vendorId, r);
          return { ...raw, items };
        }
        case 'Subscription': {
          const query: Query = { customerId: filter.customerVendorId || undefined };
          const statuses = filter.subscriptionStatus ? map.SUB_STATUS_VENDOR[filter.subscriptionStatus] : undefined;
          let raw: PageResult<J>;
          if (statuses === undefined) raw = await range('subscriptions', query, offset, limit);
          else if (statuses.length === 0) return EMPTY;
          else if (statuses.length === 1) raw = await range('subscriptions', { ...query, status: statuses[0] }, offset, limit);
          else {
            // One `status` per call: read each status's list and merge them newest first.
            const lists = await Promise.all(statuses.map((status) => all('subscriptions', { ...query, status })));
            raw = slice(lists.flat().sort(newestFirst), offset, limit);
          }
          return { ...raw, items: await this.detailed(raw.items) };
        }
        case 'Order': {
          const query: Query = { customerId: filter.customerVendorId || undefined };
          if (filter.orderStatus) {
            const status = map.ORDER_STATUS_VENDOR[filter.orderStatus];
            if (!status) return EMPTY;
            query.status = status;
          }
          const raw = await range('orders', query, offset, limit);
          return { ...raw, items: raw.items.map(map.toOrder) };
        }
        case 'Product': {
          const raw = await range('products', { name: filter.name || undefined, mpn: filter.sku || undefined }, offset, limit);
          return { ...raw, items: raw.items.map(map.toProduct) };
        }
        case 'ServicePlan': {
          const raw = await range('plans', {}, offset, limit);
          const items = raw.items.map(map.toServicePlan);
          for (const p of items) this.plans.prime(p.vendorId, p);
          return { ...raw, items };
        }
        case 'Report': {
          const raw = await range('reports', {}, offset, limit);
          const items = raw.items.map(map.toReport);
          for (const r of items) this.reports.prime(r.vendorId, r);
          return { ...raw, items };
        }
        default:
          return this.unsupported(`${kind} lists`);
      }
    }

    /**
     * The full form of a list row that lacks detail-only fields: `GET /customers/{id}` or
     * `GET /resellers/{id}`, deduplicated per request and at most 8 at once.
     */
    override async detail<M extends EntityModel>(entity: M): Promise<M | null> {
      if (!entity.lacks?.length) return entity;
      switch (entity.kind) {
        case 'Customer':
          return (await this.customerDetails.load(entity.vendorId)) as M | null;
        case 'Reseller':
          return (await this.resellerDetails.load(entity.vendorId)) as M | null;
        default:
          return super.detail(entity);
      }
    }

    override async subscriptionsOf(c: CustomerModel) {
      return this.subscriptionsByCustomer.load(c.vendorId);
    }
    override async ordersOf(c: CustomerModel) {
      return this.ordersByCustomer.load(c.vendorId);
    }
    override async customersOfReseller(resellerVendorId: string) {
      return this.resellerCustomers.load(resellerVendorId);
    }
    override async orderItems(o: OrderModel) {
      if (o.items) return o.items;
      return (await this.orders.load(o.vendorId))?.items ?? [];
    }
    override async productPrices(productVendorId: string) {
      return (await this.catalogue()).byKey.get(productVendorId.toLowerCase())?.prices ?? [];
    }
  }

  return {
    vendor: 'INGRAM',
    baseUrl: config.baseUrl,
    simulated: options.simulated,
    supports: ['Customer', 'Reseller', 'Subscription', 'Order', 'Product', 'ServicePlan', 'Report'],
    isValidId(kind, vendorId) {
      switch (kind) {
        case 'Customer':
        case 'Reseller':
        case 'Subscription':
        case 'Order':
        case 'ServicePlan':
          return DIGITS.test(vendorId);
        case 'Report':
          return GUID.test(vendorId);
        case 'Product':
          return PRODUCT_ID.test(vendorId);
        default:
          return false;
      }
    },
    health: () => timedHealthCheck(TOKEN_CHECK, async () => {
      await requestToken();
      return null;
    }),
    session: () => new IngramSession(),
  };
}

/** A DataLoader.loadMany result: the value, or the error it failed with. */
function toValue<T>(result: T | Error | undefined): T | null {
  if (result instanceof Error) throw result;
  return result ?? null;
}

function slice<T>(items: T[], offset: number, limit: number): PageResult<T> {
  return { items: items.slice(offset, offset + limit), total: items.length, hasMore: offset + limit < items.length };
}

/** The API's own order for subscriptions: creation date, then id, newest first. */
function newestFirst(a: J, b: J): number {
  const byDate = String(b.creationDate ?? '').localeCompare(String(a.creationDate ?? ''));
  return byDate !== 0 ? byDate : Number(b.id) - Number(a.id);
}
