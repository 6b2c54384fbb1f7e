/**
 * The loaders of one Ingram session (one GraphQL request), shared by its domain parts so
 * that a customer read by the reseller relation and by `customer(id:)` is one call, and a
 * write can drop (`clear`) what it made stale and prime the fresh model.
 *
 * Upstream cost (all deterministic, see README "Upstream cost per query"):
 * - the catalogue (`GET /products?limit=1000`, all pages) is read at most once and serves
 *   every Product by id, Subscription.product and OrderItem.product;
 * - customers by id: `GET /customers/{id}` each (≤ 8 at once) for up to MANY ids in a tick,
 *   else the customer list once (`GET /customers?limit=1000`, all pages);
 * - detail-only customer/reseller fields of list rows that lack them: one
 *   `GET /customers/{id}` (`/resellers/{id}`) per entity, deduplicated, ≤ 8 at once;
 * - subscriptions / orders of customers: `GET /subscriptions?customerId=` (or `/orders`)
 *   per customer for up to MANY customers in a tick, else the whole list once, grouped;
 * - subscriptions are read in detail (`GET /subscriptions/{id}`, ≤ 8 at once): only
 *   SubscriptionDetailed carries the products, quantity and prices;
 * - resellers, orders, plans and reports by id: single GETs (≤ 8 at once).
 */
import { isNotFound } from '../../errors.js';
import type { CustomerModel, OrderModel, ProductModel, ResellerModel, SubscriptionModel } from '../../model.js';
import { groupBy, keyedLoader, mapLimit, singleGetLoader } from '../shared.js';
import type { ListFilter } from '../types.js';
import { CONCURRENCY, ENDPOINTS, MANY, MAX_LIMIT, pushDown, toValue, type IngramCore, type J } from './core.js';
import * as map from './mappers.js';

/** A whole list, read at most once per session until a write drops it. */
class Once<T> {
  private value?: Promise<T>;
  constructor(private readonly load: () => Promise<T>) {}
  get(): Promise<T> {
    this.value ??= this.load();
    return this.value;
  }
  get started(): boolean {
    return this.value !== undefined;
  }
  clear(): void {
    this.value = undefined;
  }
}

export type IngramLoaders = ReturnType<typeof createLoaders>;

export function createLoaders(core: IngramCore) {
  const { all, getOrNull } = core;

  /** The catalogue, indexed by lower-cased MPN and product id. */
  const catalogue = new Once(() =>
    all(ENDPOINTS.products()).then((rows) => {
      const list = rows.map(map.toProduct);
      const byKey = new Map<string, ProductModel>();
      list.forEach((p, i) => {
        byKey.set(p.vendorId.toLowerCase(), p);
        const id = rows[i]?.id;
        if (id && !byKey.has(String(id).toLowerCase())) byKey.set(String(id).toLowerCase(), p);
      });
      return { list, byKey };
    }),
  );
  const allCustomers = new Once(() => all(ENDPOINTS.customers()));
  const allSubscriptions = new Once(() => all(ENDPOINTS.subscriptions()));
  const allOrders = new Once(() => all(ENDPOINTS.orders()));

  /** One GET per id (≤ 8 at once per loader), mapped; null when the vendor answers 404. */
  const byId = <M>(path: (id: string) => string, toModel: (row: J) => M) =>
    singleGetLoader(
      async (id) => {
        const row = await getOrNull(path(id));
        return row ? toModel(row) : null;
      },
      null as M | null,
      CONCURRENCY,
    );

  /** Full customers, `GET /customers/{id}` each: by-id loads of a few, and detail(). */
  const customerDetails = byId(ENDPOINTS.customer, (c) => map.toCustomer(c));
  /** Customers by id: list rows (possibly lacking detail-only fields) or full customers. */
  const customers = keyedLoader(
    async (ids) => {
      if (ids.length > MANY || allCustomers.started) {
        const wanted = new Set(ids);
        const rows = (await allCustomers.get()).filter((c) => wanted.has(String(c.id)));
        return new Map(rows.map((c) => [String(c.id), map.toCustomerRow(c)]));
      }
      const found = await customerDetails.loadMany(ids);
      return new Map(ids.map((id, i) => [id, toValue(found[i])]));
    },
    null as CustomerModel | null,
    MAX_LIMIT,
  );
  /** Full resellers, `GET /resellers/{id}` each. */
  const resellerDetails = byId(ENDPOINTS.reseller, (r) => map.toReseller(r));
  /** Resellers by id: list rows once a list was read (primed), else full resellers. */
  const resellers = keyedLoader(
    async (ids) => {
      const found = await resellerDetails.loadMany(ids);
      return new Map(ids.map((id, i) => [id, toValue(found[i])]));
    },
    null as ResellerModel | null,
    MAX_LIMIT,
  );
  /** SubscriptionDetailed by id: the only form with products, quantity and prices. */
  const subscriptions = byId(ENDPOINTS.subscription, map.toSubscription);
  /** OrderDetailed by id (with its product lines). */
  const orders = byId(ENDPOINTS.order, map.toOrder);
  const plans = byId(ENDPOINTS.plan, map.toServicePlan);
  const reports = byId(ENDPOINTS.report, map.toReport);

  /**
   * The list rows (subscriptions or orders) of some customers: `?customerId=` per customer
   * for a few, the whole list once for many (or when it is already being read).
   */
  async function rowsOfCustomers(customerIds: readonly string[], path: string, whole: Once<J[]>): Promise<J[]> {
    if (customerIds.length > MANY || whole.started) {
      const wanted = new Set(customerIds);
      return (await whole.get()).filter((r) => wanted.has(String(r.customerId)));
    }
    return (await mapLimit(customerIds, CONCURRENCY, (customerId) => all(path, { customerId }))).flat();
  }

  /** Subscription list rows → detailed models, in the same order (vanished ones dropped). */
  async function detailed(rows: J[]): Promise<SubscriptionModel[]> {
    const models = await Promise.all(rows.map((r) => subscriptions.load(String(r.id))));
    return models.filter((m): m is SubscriptionModel => m !== null);
  }

  /** The list rows of customers' subscriptions (no detail GETs yet), grouped by customer. */
  const subscriptionRowsByCustomer = keyedLoader(
    async (customerIds) => groupBy(await rowsOfCustomers(customerIds, ENDPOINTS.subscriptions(), allSubscriptions), (r) => String(r.customerId)),
    [] as J[],
    MAX_LIMIT,
  );
  /**
   * A customer's subscriptions in detail; with a status, only the rows of that status are
   * read in detail (the list row carries the status): no detail GET for what is filtered out.
   */
  const subscriptionsByCustomer = {
    async load(customerId: string, status?: SubscriptionModel['status'] | null): Promise<SubscriptionModel[]> {
      const rows = await subscriptionRowsByCustomer.load(customerId);
      const wanted = status ? rows.filter((r) => map.toSubscription(r).status === status) : rows;
      return detailed(wanted);
    },
    clear(customerId: string) {
      subscriptionRowsByCustomer.clear(customerId);
    },
    clearAll() {
      subscriptionRowsByCustomer.clearAll();
    },
  };
  const ordersByCustomer = keyedLoader(
    async (customerIds) => groupBy((await rowsOfCustomers(customerIds, ENDPOINTS.orders(), allOrders)).map(map.toOrder), (o) => o.customerVendorId),
    [] as OrderModel[],
    MAX_LIMIT,
  );

  /** A reseller's customers (`GET /resellers/{id}/customers`, with its filters), keyed by reseller and filter. */
  const resellerCustomers = singleGetLoader(
    async (key) => {
      const { resellerId, query } = JSON.parse(key) as { resellerId: string; query: Record<string, string> };
      const rows = await all(ENDPOINTS.resellerCustomers(resellerId), query).catch(emptyWhenNotFound);
      const models = rows.map((c) => map.toResellerCustomerRow(c, resellerId));
      for (const c of models) customers.prime(c.vendorId, c);
      return models;
    },
    [] as CustomerModel[],
    CONCURRENCY,
  );
  /** A reseller's orders (`GET /resellers/{id}/orders`). */
  const resellerOrders = singleGetLoader(
    async (resellerId) => (await all(ENDPOINTS.resellerOrders(resellerId)).catch(emptyWhenNotFound)).map(map.toOrder),
    [] as OrderModel[],
    CONCURRENCY,
  );

  return {
    catalogue,
    allCustomers,
    allSubscriptions,
    allOrders,
    customers,
    customerDetails,
    resellers,
    resellerDetails,
    subscriptions,
    orders,
    plans,
    reports,
    subscriptionsByCustomer,
    ordersByCustomer,
    resellerCustomers,
    resellerOrders,
    detailed,
    /** The loader key of a reseller's customers under a filter. */
    resellerCustomersKey(resellerId: string, filter: ListFilter): string {
      return JSON.stringify({ resellerId, query: pushDown({ name: filter.name, email: filter.email, externalId: filter.externalId }) });
    },
  };
}

/** A 404 on a relation list (the reseller is gone): no rows. */
function emptyWhenNotFound(error: unknown): J[] {
  if (isNotFound(error)) return [];
  throw error;
}
