/**
 * The loaders of one Ingram session (one GraphQL request), shared by its domain parts so
 * that a customer read by the reseller relation and by `customer(id:)` is one call, and a
 * write can drop (`clear`) what it made stale and prime the fresh model.
 *
 * Upstream cost (all deterministic, see README "Upstream cost per query"). Where two plans
 * give the same rows, the one with fewer calls is taken, from what the adapter has seen of
 * each list's size (`core.sizes`: the last `pagination.total` of every list it read, and
 * the rows a page holds):
 * - the catalogue (`GET /products?limit=1000`, all pages) is read at most once, and only for
 *   what a subscription's own payload does not carry (a Subscription.product beyond name,
 *   MPN and vendor; Product by id; OrderItem.product);
 * - customers by id: `GET /customers/{id}` each (≤ 8 at once), or the customer list when it
 *   is known to take fewer pages than that (unknown: for more than MANY ids), see `customers`;
 * - detail-only customer/reseller fields of list rows that lack them: one
 *   `GET /customers/{id}` (`/resellers/{id}`) per entity, deduplicated, ≤ 8 at once;
 * - subscriptions / orders of customers: `GET /subscriptions?customerId=` (or `/orders`)
 *   per customer, or the whole list once, grouped, when that is known to take fewer pages
 *   (unknown: for more than MANY customers); a subscription status goes along as
 *   `?status=` (one vendor status a call), see `rowsOfCustomers`;
 * - subscriptions are read in detail (`GET /subscriptions/{id}`, ≤ 8 at once): only
 *   SubscriptionDetailed carries the products, quantity and prices;
 * - resellers, orders, plans and reports by id: single GETs (≤ 8 at once).
 */
import { isNotFound } from '../../errors.js';
import type { CustomerModel, OrderModel, ProductModel, ResellerModel, SubscriptionModel } from '../../model.js';
import { groupBy, keyedLoader, mapLimit, singleGetLoader } from '../shared.js';
import type { ListFilter } from '../types.js';
import type { Query } from '../../http/client.js';
import DataLoader from 'dataloader';
import type { PageResult } from '../../paging.js';
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

/** The list rows of one vendor status (`?status=` values are the lower-cased statuses). */
const ofStatus = (rows: J[], status: string): J[] => rows.filter((r) => String(r.status ?? '').toLowerCase() === status);

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
  const customersPath = ENDPOINTS.customers();
  /** The customer list's first page (as many rows as the vendor gives, and the total). */
  const customerHead = new Once(() => core.page(customersPath, {}, 0, MAX_LIMIT));
  /** The whole customer list: its first page, then the rest (as `core.all` reads it). */
  const allCustomers = new Once(async () => {
    const first = await customerHead.get();
    if (first.rows.length === 0 || (first.total !== null && first.rows.length >= first.total)) return first.rows;
    return [...first.rows, ...(await core.read(customersPath, {}, first.rows.length, Infinity)).rows];
  });
  const subscriptionsPath = ENDPOINTS.subscriptions();
  /** Whole subscription lists, per `status` query value ('' for none): read at most once each. */
  const subscriptionLists = new Map<string, Once<J[]>>();
  const subscriptionList = (status: string) => {
    let list = subscriptionLists.get(status);
    if (!list) subscriptionLists.set(status, (list = new Once(() => all(subscriptionsPath, pushDown({ status })))));
    return list;
  };
  const allSubscriptions = subscriptionList('');
  const allOrders = new Once(() => all(ENDPOINTS.orders()));
  /**
   * The order lists of several statuses asked from their start in one tick (`orders(filter:
   * { status })` in aliases: the open orders of a dashboard), as rows of each status: the
   * whole order list once, filtered here, when it takes no more pages than the `?status=`
   * lists would (`core.sizes`; each list never seen counts one page). Never seen, and no
   * page cap seen at this API, the whole list's first page is asked for and kept when it
   * holds the whole list: a guess that costs one call and one round trip when it does not,
   * once per process (the cap, or the list's total, is known from then on). null for each
   * status: read `?status=` (one status, a whole list that is longer, or a failed read).
   */
  const ordersOfStatus = new DataLoader<string, J[] | null>(
    async (statuses) => {
      const none = statuses.map(() => null);
      if (new Set(statuses).size < 2) return none;
      const path = ENDPOINTS.orders();
      const filtered = [...new Set(statuses)].reduce((n, status) => n + (core.sizes.pages(path, { status }) ?? 1), 0);
      const whole = core.sizes.pages(path);
      let rows: J[] | null = null;
      try {
        if (allOrders.started || (whole !== null && whole <= filtered)) rows = await allOrders.get();
        else if (whole === null && !core.sizes.capped()) {
          const first = await core.page(path, {}, 0, MAX_LIMIT);
          if (first.total !== null && first.rows.length >= first.total) rows = first.rows;
        }
      } catch {
        return none;
      }
      return rows ? statuses.map((status) => ofStatus(rows, status)) : none;
    },
    { cache: false },
  );

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

  /** Customers by id from the customer list: its first page, then the rest or a GET per id still missing, whichever is fewer calls. */
  async function customersFromList(ids: readonly string[]): Promise<Map<string, CustomerModel | null>> {
    const wanted = new Set(ids);
    const found = new Map<string, CustomerModel | null>();
    const take = (rows: J[]) => {
      for (const c of rows) if (wanted.has(String(c.id))) found.set(String(c.id), map.toCustomerRow(c));
    };
    if (allCustomers.started) {
      take(await allCustomers.get());
      return found;
    }
    const first = await customerHead.get();
    take(first.rows);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length === 0) return found;
    const complete = first.rows.length === 0 || (first.total !== null && first.rows.length >= first.total);
    // The pages still to read (the first one says how many rows a page holds here).
    const remaining = complete ? 0 : first.total === null ? Infinity : Math.ceil((first.total - first.rows.length) / first.rows.length);
    if (remaining <= missing.length) {
      // As many calls as the GETs or fewer, and later loads of this request need none.
      take(await allCustomers.get());
      return found;
    }
    const details = await customerDetails.loadMany(missing);
    missing.forEach((id, i) => found.set(id, toValue(details[i])));
    return found;
  }

  /** Customer ids that this request's order lists named (their rows carry only the id), and those lists still in flight. */
  const namedCustomers = new Set<string>();
  const orderListsInFlight = new Set<Promise<unknown>>();
  /** Customer ids this request has loaded (or asked for) by id. */
  const loadedCustomers = new Set<string>();

  /**
   * Customers by id: list rows (possibly lacking detail-only fields) or full customers.
   * The ids of one batch (`n`) cost `n` detail GETs, or the customer list's pages. The list
   * is taken when it is being read anyway (its first page, or all of it); when it is known
   * to take fewer pages than `n` (`core.sizes`, from any earlier read of it by this
   * adapter); as many pages as `n` when this request's order lists name more customers
   * still to load (`customer` of orders in another alias resolves in a later batch: the list
   * then serves it with no call, a GET would not); or, never seen, for more than MANY ids.
   * Read that way, its first page comes first, then whichever is fewer of its other pages or
   * the GETs of the ids still missing: a list that grew since it was seen costs at most one
   * call more than the GETs would. With no earlier read, a few ids are never a probe of the
   * list: that could cost the probe on top of every GET. The cost of the choice is counted
   * in calls: where list rows lack detail-only fields (`documented`: contacts, address) a
   * query that selects them pays the detail GETs on top.
   */
  const customers = keyedLoader(
    async (ids) => {
      let pages = core.sizes.pages(customersPath);
      // A tie: the order lists in flight may name more customers. They are sent with this
      // request's first calls and its answer waits for them anyway.
      if (pages === ids.length && !customerHead.started && orderListsInFlight.size > 0) {
        await Promise.allSettled([...orderListsInFlight]);
        pages = core.sizes.pages(customersPath);
      }
      for (const id of ids) loadedCustomers.add(id);
      const more = [...namedCustomers].some((id) => !loadedCustomers.has(id));
      const list = pages === null ? ids.length > MANY : pages < ids.length || (pages === ids.length && more);
      if (customerHead.started || list) return customersFromList(ids);
      const found = await customerDetails.loadMany(ids);
      return new Map(ids.map((id, i) => [id, toValue(found[i])]));
    },
    null as CustomerModel | null,
    MAX_LIMIT,
  );

  /** An orders list read of this request: the customers its rows name may be loaded next (see `customers`). */
  function listingOrders(read: Promise<PageResult<J>>): Promise<PageResult<J>> {
    const named = read.then((page) => {
      for (const o of page.items) if (o?.customerId) namedCustomers.add(String(o.customerId));
      return page;
    });
    orderListsInFlight.add(named);
    named.then(
      () => orderListsInFlight.delete(named),
      () => orderListsInFlight.delete(named),
    );
    return named;
  }
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
   * The list rows (subscriptions or orders) of some customers, under `query` (a subscription
   * `status`, or nothing): the whole (filtered) list once when it is being read anyway, or
   * when it is known to take fewer pages than one `?customerId=` call per customer
   * (`core.sizes`; never seen: for more than MANY customers); else `?customerId=` per
   * customer. The unfiltered list serves a filtered read when it is being read anyway.
   */
  async function rowsOfCustomers(customerIds: readonly string[], path: string, query: Query, whole: Once<J[]>, unfiltered: Once<J[]>): Promise<J[]> {
    const wanted = new Set(customerIds);
    const ofThese = async (list: Once<J[]>) => (await list.get()).filter((r) => wanted.has(String(r.customerId)));
    if (unfiltered.started) return ofThese(unfiltered);
    const pages = core.sizes.pages(path, query);
    if (whole.started || (pages === null ? customerIds.length > MANY : pages < customerIds.length)) return ofThese(whole);
    return (await mapLimit(customerIds, CONCURRENCY, (customerId) => all(path, { ...query, customerId }))).flat();
  }

  /** Subscription list rows → detailed models, in the same order (vanished ones dropped). */
  async function detailed(rows: J[]): Promise<SubscriptionModel[]> {
    const models = await Promise.all(rows.map((r) => subscriptions.load(String(r.id))));
    return models.filter((m): m is SubscriptionModel => m !== null);
  }

  /**
   * The list rows of customers' subscriptions (no detail GETs yet), grouped by customer, per
   * key `customerId` + `\n` + vendor status ('' for every status). One batch, one read per
   * status asked.
   */
  const rowsKey = (customerId: string, status: string) => `${customerId}\n${status}`;
  const subscriptionRows = keyedLoader(
    async (keys) => {
      const split = (k: string) => ({ customerId: k.slice(0, k.indexOf('\n')), status: k.slice(k.indexOf('\n') + 1) });
      const byStatus = groupBy(keys.map(split), (k) => k.status);
      // '' sorts first: when the unfiltered list is read, the filtered reads of this batch use it.
      const statuses = [...byStatus.keys()].sort();
      const reads = statuses.map((status) =>
        rowsOfCustomers(byStatus.get(status)!.map((k) => k.customerId), subscriptionsPath, pushDown({ status }), subscriptionList(status), allSubscriptions),
      );
      const out = new Map<string, J[]>();
      for (const [i, rows] of (await Promise.all(reads)).entries()) {
        const status = statuses[i]!;
        const own = status ? ofStatus(rows, status) : rows;
        for (const [customerId, list] of groupBy(own, (r) => String(r.customerId))) out.set(rowsKey(customerId, status), list);
      }
      return out;
    },
    [] as J[],
    MAX_LIMIT,
  );
  /** Every status key a customer's subscription rows may be held under. */
  const statusKeys = ['', ...map.SUB_STATUS_FILTER];
  /**
   * A customer's subscriptions in detail. With a status of one vendor status, the list is
   * read with `?status=` (a spec filter); with several (CANCELLED: terminated and removed)
   * or one the filter does not document (UNKNOWN), unfiltered. Either way only the rows of
   * that status are read in detail (the list row carries the status).
   */
  const subscriptionsByCustomer = {
    async load(customerId: string, status?: SubscriptionModel['status'] | null): Promise<SubscriptionModel[]> {
      const vendorStatuses = status ? map.SUB_STATUS_VENDOR[status] : undefined;
      if (vendorStatuses?.length === 0) return [];
      const one = vendorStatuses?.length === 1 && map.SUB_STATUS_FILTER.has(vendorStatuses[0]!) ? vendorStatuses[0]! : '';
      const rows = await subscriptionRows.load(rowsKey(customerId, one));
      const wanted = status ? rows.filter((r) => map.subscriptionStatus(r.status) === status) : rows;
      return detailed(wanted);
    },
    clear(customerId: string) {
      for (const status of statusKeys) subscriptionRows.clear(rowsKey(customerId, status));
    },
    clearAll() {
      subscriptionRows.clearAll();
    },
  };
  const ordersByCustomer = keyedLoader(
    async (customerIds) => groupBy((await rowsOfCustomers(customerIds, ENDPOINTS.orders(), {}, allOrders, allOrders)).map(map.toOrder), (o) => o.customerVendorId),
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
    allOrders,
    ordersOfStatus,
    listingOrders,
    /** After a customer write: the lists of this request that may hold it. */
    clearCustomerLists() {
      customerHead.clear();
      allCustomers.clear();
    },
    /** After a subscription write: every subscription list of this request. */
    clearSubscriptionLists() {
      for (const list of subscriptionLists.values()) list.clear();
    },
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
