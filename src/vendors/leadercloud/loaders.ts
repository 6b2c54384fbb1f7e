/**
 * One GraphQL request's Leader Cloud loaders, shared by every domain part of the session:
 * the list pages read in this request, by-id loads (`id in (…)` while the vendor accepts
 * it, else detail GETs or whole pages, whichever costs fewer calls), by-account loads for
 * relations, and one single-GET loader per sub-resource. Writes clear what they make stale.
 */
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import { isNotFound } from '../../errors.js';
import type { Query } from '../../http/client.js';
import type { CustomerModel, EntityModel, InvoiceModel, OrderModel, ProductModel, SubscriptionModel, SubscriptionStatusModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { ListFilter, ListPage, RelationSelection } from '../types.js';
import { chunkByEncodedLength, groupBy, keyedLoader, matchesFilter, modelOnce, singleGetLoader } from '../shared.js';
import {
  DETAIL_CONCURRENCY,
  ENDPOINTS,
  ID_LITERAL,
  LISTS,
  MAX_PAGE_SIZE,
  MAX_QUERY_CHARS,
  formWidth,
  overhead,
  quote,
  sizeKey,
  unwrapList,
  type Clause,
  type Envelope,
  type J,
  type LeaderCloudCore,
  type ListSpec,
} from './core.js';
import * as map from './mappers.js';

/** A GET whose 404 means "absent" (the entity is gone, or has no such sub-resource). */
async function orMissing<T>(call: () => Promise<T>, missing: T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return missing;
    throw error;
  }
}

/** `status eq '…'` for a subscription status (none for UNKNOWN: no vendor status maps to it by name). */
function statusClause(status: SubscriptionStatusModel | null | undefined): string | undefined {
  const vendorStatus = status ? map.SUB_STATUS_VENDOR[status] : undefined;
  return vendorStatus ? `status eq ${quote(vendorStatus)}` : undefined;
}

/**
 * At least how many `accountId in (…)` calls `accounts` account ids take: the budget over
 * the narrowest an id can be (one digit and an encoded comma), so never more than the real count.
 */
function inBatchesFor(accounts: number, also?: string): number {
  const budget = MAX_QUERY_CHARS - encodeURIComponent(`accountId in () and ${also ?? ''}`).length;
  return Math.max(1, Math.ceil((accounts * 4) / budget));
}

/** The `subscriptionsByAccount` key of an account's subscriptions, of one status or (null) of every status. */
export const accountStatusKey = (accountId: string, status: SubscriptionStatusModel | string | null | undefined) => (status ? `${accountId} ${status}` : accountId);

export class SessionLoaders {
  /** List pages (500 a page) read in this request, shared by every loader that reads a whole list. */
  private readonly pages = new Map<string, Promise<Envelope>>();
  private readonly detailLimit = pLimit(DETAIL_CONCURRENCY);
  /** Relation lists (by `sizeKey`) this request reads whole instead of by `accountId in (…)`: the lookahead chose them. */
  private readonly wholeLists = new Set<string>();
  /** Relation lists whose first page the lookahead asked for before any length was known (`guessedRight`). */
  private readonly guessedLists = new Set<string>();

  constructor(private readonly core: LeaderCloudCore) {}

  private get http() {
    return this.core.http;
  }

  private page(path: string, query: Query, pageIndex: number): Promise<Envelope> {
    const key = `${path}?${JSON.stringify(query)}#${pageIndex}`;
    let page = this.pages.get(key);
    if (!page) {
      page = this.http.get<Envelope>(path, { ...query, pageIndex, pageSize: MAX_PAGE_SIZE });
      this.pages.set(key, page);
      page.catch(() => this.pages.delete(key));
    }
    return page;
  }

  /** Drops the list pages of this request (after a write, a later list reads afresh). */
  forgetPages(path: string): void {
    for (const key of this.pages.keys()) if (key.startsWith(`${path}?`)) this.pages.delete(key);
  }

  /** Every row of a list, 500 a page: the first page, then the rest at once. */
  async all(path: string, query: Query = {}): Promise<J[]> {
    const first = await this.page(path, query, 1);
    const pages = first.paging?.totalPages ?? 1;
    if (first.paging?.totalRecords !== undefined) this.core.sizes.set(sizeKey(path, query.$filter), first.paging.totalRecords);
    const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => this.page(path, query, i + 2)));
    return [first, ...rest].flatMap((r) => r.data ?? []);
  }

  /** Every row of a paged sub-resource (not cached as list pages). */
  private async allPagesOf(path: string, query: Query = {}): Promise<J[]> {
    const first = await this.http.get<Envelope & { paging?: { pageCount?: number } }>(path, { ...query, pageIndex: 1, pageSize: MAX_PAGE_SIZE });
    // PagedResultDto says totalPages; the older Pageable envelope (organization lists) says pageCount.
    const pages = first.paging?.totalPages ?? first.paging?.pageCount ?? 1;
    const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => this.http.get<Envelope>(path, { ...query, pageIndex: i + 2, pageSize: MAX_PAGE_SIZE })));
    return [first, ...rest].flatMap((r) => unwrapList(r));
  }

  /**
   * Rows whose `prop` is one of `values`, with `$filter=<prop> in (…)` batches that keep the
   * query string short; `also` (e.g. `status eq 'Active'`) is and-ed to every batch, and
   * counted in its length.
   */
  private async byIn(spec: ListSpec, prop: string, values: readonly string[], literal: (v: string) => string, query: Query, also?: string): Promise<J[]> {
    const render = (batch: readonly string[]) => `${prop} in (${batch.map(literal).join(',')})${also ? ` and ${also}` : ''}`;
    const budget = MAX_QUERY_CHARS - overhead(query);
    const batches = chunkByEncodedLength(values, (batch) => formWidth(render(batch)), budget);
    const results = await Promise.all(batches.map((batch) => this.allPagesOf(spec.path, { ...query, $filter: render(batch) })));
    const rows = results.flat();
    // The rows of every account are the whole list (of that status): its size, for the lookahead.
    if (prop === 'accountId' && values.length >= (this.core.sizes.get(ENDPOINTS.accounts) ?? Infinity)) this.core.sizes.set(sizeKey(spec.path, also), rows.length);
    return rows;
  }

  /** One row by id (its detail GET), or null when the vendor says 404. */
  private detailRow(spec: ListSpec, id: string, query: Query): Promise<J | null> {
    return this.detailLimit(() => orMissing(() => this.http.get<J>(spec.detail(id), query), null));
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
    return this.core.shortcuts.inFilter.run(
      () => this.byIn(spec, 'id', ids, spec.literal, { ...spec.query, ...query }),
      () => this.byIdDocumented(spec, ids, query, idOf),
    );
  }

  /**
   * Lookahead: a customer list whose rows will ask for these relations. Where the relation
   * will be read as a whole list anyway (the vendor refused `accountId in (…)`), its pages
   * are requested now, in parallel with the customers, instead of after them: same calls,
   * one round trip less. Where `accountId in (…)` is taken, the whole list is chosen instead
   * when the page holds every account (`page` starts the list, and the accounts seen last
   * time fit in it) and the whole list is known to cost no more calls than the `in (…)`
   * batches every account id needs: the same answer, one round trip less, since it needs no
   * account id (not with the cross-request cache, where the request form must stay the same
   * for a repeated page to be served from it). A fresh adapter, which has seen no length yet,
   * asks for the whole list's first page with the customers, and keeps it when the answers
   * show it the cheaper read (`guessedRight`). Subscriptions selected with a status are the status-filtered list (the one
   * `subscriptionsByAccount` reads for that status).
   */
  prefetchRelations(relations: readonly RelationSelection[], page?: ListPage): void {
    const byIn = this.core.shortcuts.inFilter.enabled;
    const accounts = this.core.sizes.get(ENDPOINTS.accounts);
    // With the cross-request cache a repeated page reads its `in (…)` batches from the cache: the request form stays.
    if (byIn && this.core.cached) return;
    // Never seen (a fresh adapter): whether the page holds every account is not known yet.
    const unseen = page?.fromStart === true && accounts === undefined;
    if (byIn && !unseen && !(page?.fromStart && accounts !== undefined && accounts <= page.first)) return;
    const lists: Record<string, ListSpec> = { subscriptions: LISTS.subscriptions, orders: LISTS.orders, invoices: LISTS.invoices };
    for (const { name, args } of relations) {
      const spec = lists[name];
      if (!spec) continue;
      const clause = name === 'subscriptions' ? statusClause(args.status as SubscriptionStatusModel | null | undefined) : undefined;
      const sent = clause && this.core.shortcuts.propertyFilter.enabled ? clause : undefined;
      const key = sizeKey(spec.path, sent);
      if (byIn) {
        const rows = this.core.sizes.get(key);
        if (rows === undefined || unseen) {
          // Not known yet whether the whole list is cheaper: its first page is asked for now,
          // a guess that costs one call when the answers show `in (…)` cheaper (`byAccounts`
          // decides), once: the lengths are known from then on.
          this.guessedLists.add(key);
          void this.page(spec.path, this.wholeListQuery(spec, sent), 1).catch(() => undefined);
          continue;
        }
        if (Math.max(1, Math.ceil(rows / MAX_PAGE_SIZE)) > inBatchesFor(accounts ?? 0, sent)) continue;
        this.wholeLists.add(key);
      }
      void this.all(spec.path, this.wholeListQuery(spec, sent)).catch(() => undefined);
    }
  }

  /**
   * Whether the whole list the lookahead guessed (its first page asked for with the
   * customers) is the cheaper read for these accounts: they are every account, and its
   * pages are no more than the `in (…)` batches they need.
   */
  private async guessedRight(spec: ListSpec, accountIds: readonly string[], clause?: string): Promise<boolean> {
    const key = sizeKey(spec.path, clause);
    if (!this.guessedLists.has(key)) return false;
    const first = await this.page(spec.path, this.wholeListQuery(spec, clause), 1).catch(() => null);
    const accounts = this.core.sizes.get(ENDPOINTS.accounts);
    if (!first || accounts === undefined || new Set(accountIds).size < accounts) return false;
    if ((first.paging?.totalPages ?? 1) > inBatchesFor(accounts, clause)) return false;
    this.wholeLists.add(key);
    return true;
  }

  /** The query of a whole list read for a relation (the same query the lookahead prefetches). */
  private wholeListQuery(spec: ListSpec, clause?: string): Query {
    return clause ? { ...spec.query, $filter: clause } : { ...spec.query };
  }

  /**
   * Rows of many accounts: `accountId in (…)` while the vendor accepts it, else the whole
   * list; `clause` (a documented filter such as `status eq 'Active'`) goes to either.
   */
  private async byAccounts(spec: ListSpec, accountIds: readonly string[], clause?: string): Promise<J[]> {
    const wanted = new Set(accountIds);
    if (this.wholeLists.has(sizeKey(spec.path, clause)) || (await this.guessedRight(spec, accountIds, clause))) {
      return (await this.all(spec.path, this.wholeListQuery(spec, clause))).filter((r) => wanted.has(String(r.account?.id)));
    }
    return this.core.shortcuts.inFilter.run(
      () => this.byIn(spec, 'accountId', accountIds, ID_LITERAL.INT, spec.query ?? {}, clause),
      async () => (await this.all(spec.path, this.wholeListQuery(spec, clause))).filter((r) => wanted.has(String(r.account?.id))),
    );
  }

  /**
   * Subscriptions of many accounts with one status, the status sent as `status eq '…'`
   * while the vendor takes it (and-ed to `accountId in (…)`, or on the whole list), else
   * matched here. `accountId in (…)` is the more doubtful clause: it is the inner shortcut,
   * so a refusal of the combined filter is blamed on it first (as in `filteredList`).
   */
  private subscriptionsOf(accountIds: readonly string[], status: SubscriptionStatusModel | null): Promise<SubscriptionModel[]> {
    // A row of a cached (shared) page is mapped once for every request that reads it.
    const rows = async (clause?: string) => (await this.byAccounts(LISTS.subscriptions, accountIds, clause)).map((r) => modelOnce(r, 'subscription', map.toSubscription));
    if (!status) return rows();
    const matching = async (clause?: string) => (await rows(clause)).filter((s) => s.status === status);
    const clause = statusClause(status);
    if (!clause) return matching();
    return this.core.shortcuts.propertyFilter.run(
      () => matching(clause),
      () => matching(),
    );
  }

  /**
   * A list with filter clauses pushed to the vendor where it accepts them: paged at the
   * vendor when every clause went there, else read whole and filtered here. `query` may
   * carry documented parameters (`$orderBy`, a documented `$filter` clause, ...).
   */
  filteredList<T extends EntityModel>(
    path: string,
    query: Query,
    clauses: Clause[],
    mapper: (row: J) => T,
    filter: ListFilter,
    offset: number,
    limit: number,
    withQuery: (call: (extra: Query) => Promise<PageResult<T>>) => Promise<PageResult<T>> = (call) => call({}),
    documented: string[] = [],
  ): Promise<PageResult<T>> {
    // The filter clauses are the innermost shortcuts: a refusal is blamed on them first.
    return withQuery((extra) =>
      this.core.withClauses(clauses, async (pushed) => {
        const all = [...documented, ...pushed];
        const q: Query = { ...query, ...extra, ...(all.length ? { $filter: all.join(' and ') } : {}) };
        if (pushed.length === clauses.length) {
          const page = await this.core.range(path, q, offset, limit);
          return { ...page, items: page.items.map(mapper) };
        }
        const items = (await this.all(path, q)).map(mapper).filter((m) => matchesFilter(m, filter));
        return pageOfArray(items, offset, limit);
      }),
    );
  }

  // ---- entities by id ----------------------------------------------------------------

  readonly customers = keyedLoader(
    async (ids) => {
      const rows = await this.core.withAccountFields((query) => this.byIds(LISTS.accounts, ids, query));
      return new Map(rows.map((r) => [String(r.id), map.toCustomer(r)]));
    },
    null as CustomerModel | null,
    Infinity,
  );
  readonly subscriptions = keyedLoader(
    async (ids) => new Map((await this.byIds(LISTS.subscriptions, ids)).map((r) => [String(r.id).toLowerCase(), modelOnce(r, 'subscription', map.toSubscription)])),
    null as SubscriptionModel | null,
    Infinity,
  );
  readonly orders = keyedLoader(
    async (ids) => new Map((await this.byIds(LISTS.orders, ids)).map((r) => [String(r.id).toLowerCase(), map.toOrder(r, 'All')])),
    null as OrderModel | null,
    Infinity,
  );
  readonly invoices = keyedLoader(
    async (ids) => new Map((await this.byIds(LISTS.invoices, ids)).map((r) => [String(r.id).toLowerCase(), map.toInvoice(r)])),
    null as InvoiceModel | null,
    Infinity,
  );
  readonly products = keyedLoader(
    async (ids) => new Map((await this.byIds(LISTS.products, ids)).map((r) => [String(r.id).toLowerCase(), map.toProduct(r)])),
    null as ProductModel | null,
    Infinity,
  );

  // ---- relations by account ------------------------------------------------------------

  /** Keys: `<accountId>` (every status) or `<accountId> <status>` (see `accountStatusKey`). */
  readonly subscriptionsByAccount = keyedLoader(
    async (keys) => {
      const out = new Map<string, SubscriptionModel[]>();
      const byStatus = groupBy(keys, (k) => k.split(' ')[1] ?? '');
      await Promise.all(
        [...byStatus].map(async ([status, group]) => {
          const ids = group.map((k) => k.split(' ')[0] as string);
          const rows = await this.subscriptionsOf(ids, (status || null) as SubscriptionStatusModel | null);
          for (const s of rows) this.subscriptions.prime(s.vendorId.toLowerCase(), s);
          for (const [id, mine] of groupBy(rows, (s) => s.customerVendorId)) out.set(accountStatusKey(id, status || null), mine);
        }),
      );
      return out;
    },
    [] as SubscriptionModel[],
    Infinity,
  );
  readonly ordersByAccount = keyedLoader(
    async (ids) => {
      const rows = (await this.byAccounts(LISTS.orders, ids)).map((o) => map.toOrder(o, 'All'));
      for (const o of rows) this.orders.prime(o.vendorId.toLowerCase(), o);
      return groupBy(rows, (o) => o.customerVendorId);
    },
    [] as OrderModel[],
    Infinity,
  );
  readonly invoicesByAccount = keyedLoader(
    async (ids) => {
      const rows = (await this.byAccounts(LISTS.invoices, ids)).map(map.toInvoice);
      for (const i of rows) this.invoices.prime(i.vendorId.toLowerCase(), i);
      return groupBy(rows, (i) => i.customerVendorId);
    },
    [] as InvoiceModel[],
    Infinity,
  );

  // ---- sub-resources: one GET each (keys are vendor ids, lower case for GUIDs) ----------

  private list(path: (id: string) => string) {
    return singleGetLoader((id) => this.http.get<J>(path(id)).then(unwrapList), [] as J[]);
  }
  private body(path: (id: string) => string) {
    return singleGetLoader((id) => orMissing(() => this.http.get<J>(path(id)), null as J), null as J);
  }

  readonly orderItems = this.list(ENDPOINTS.orderItems);
  readonly invoiceItems = this.list(ENDPOINTS.invoiceItems);
  readonly invoiceOrders = this.list(ENDPOINTS.invoiceOrders);
  readonly invoiceCustomFields = this.list(ENDPOINTS.invoiceCustomFields);
  readonly subscriptionAddons = this.list(ENDPOINTS.subscriptionAddons);
  readonly subscriptionCustomFields = this.list(ENDPOINTS.subscriptionCustomFields);
  readonly productAddons = this.list(ENDPOINTS.productAddons);
  readonly productCustomFields = this.list(ENDPOINTS.productCustomFields);
  readonly pricing = this.body(ENDPOINTS.productPricing);
  readonly productCharacteristics = this.body(ENDPOINTS.productCharacteristics);
  readonly subscriptionCharacteristics = this.body(ENDPOINTS.subscriptionCharacteristics);
  /** The current installment plan (null: the subscription has none, the vendor's 404). */
  readonly installmentPlans = this.body(ENDPOINTS.subscriptionInstallmentPlan);
  readonly billingAddresses = this.body(ENDPOINTS.accountBillingAddress);
  readonly executionStatus = this.body(ENDPOINTS.orderExecutionStatus);
  /** Billing frequency options are a paged list. */
  readonly billingFrequencies = singleGetLoader((id) => this.allPagesOf(ENDPOINTS.productBillingFrequencies(id)), [] as J[]);
  /** An account's custom field groups (null when the account is gone). */
  readonly accountCustomFields = singleGetLoader((id) => orMissing(async () => unwrapList(await this.http.get<J>(ENDPOINTS.accountCustomFields(id))), null as J[] | null), null as J[] | null);
  /** `subscriptionId requestId` → SubscriptionChangeQuantityRequest (null when unknown). */
  readonly quantityRequests = singleGetLoader((key) => {
    const [subscriptionId = '', requestId = ''] = key.split(' ');
    return orMissing(() => this.http.get<J>(ENDPOINTS.subscriptionQuantityRequest(subscriptionId, requestId)), null as J);
  }, null as J);
  /** `productId unitId currency` → ProductPriceSimple (null when the vendor has none). */
  readonly externalPrices = singleGetLoader((key) => {
    const [productId = '', unitId = '', currency = ''] = key.split(' ');
    return orMissing(() => this.http.get<J>(ENDPOINTS.productExternalPrices(productId), { unitId, currency }), null as J);
  }, null as J);
  /** The account custom field definitions (to find the "External ID" field's id for writes). */
  readonly accountFieldDefinitions = new DataLoader<string, J[]>(async (keys) => {
    const rows = await this.allPagesOf(ENDPOINTS.accountCustomFieldDefinitions);
    return keys.map(() => rows);
  });
  /** The organization's countries with their states (to turn ISO codes and state names into Leader Cloud ids). */
  readonly countries = new DataLoader<string, J[]>(async (keys) => {
    const rows = await this.allPagesOf(ENDPOINTS.countries, { include: 'states' });
    return keys.map(() => rows);
  });
}
