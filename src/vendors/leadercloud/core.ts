/**
 * The Leader Cloud core: configuration → the OAuth2 password grant (client id/secret in
 * HTTP Basic only) and one VendorHttp that sends `X-Api-Version: 3` on every call, the
 * inferred shortcuts with their documented fallbacks, paging over `pageIndex`/`pageSize`
 * (≤ 500) and the endpoint table: every path the adapter calls, in one place.
 */
import { ResponseCache } from '../../cache.js';
import type { LeaderCloudConfig } from '../../config.js';
import { UpstreamError } from '../../errors.js';
import { VendorHttp, type Query } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import { pagesCovering, type PageResult } from '../../paging.js';
import { InferredShortcut } from '../shared.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
export type J = any;

export const VENDOR = 'LEADERCLOUD' as const;
export const MAX_PAGE_SIZE = 500;
/** A query string stays within this many characters (IIS's default maxQueryString is 2,048). */
export const MAX_QUERY_CHARS = 2000;
/** The key of a list (and its `$filter`) in `core.sizes`. */
export const sizeKey = (path: string, filter: unknown) => (filter ? `${path}?$filter=${String(filter)}` : path);
/** Detail and sub-resource GETs in flight at once per request. */
export const DETAIL_CONCURRENCY = 8;

export interface Envelope {
  data?: J[];
  paging?: { page: number; size: number; totalPages: number; totalRecords: number };
}

const seg = (id: string | number) => encodeURIComponent(String(id));

/** Every path the adapter calls, relative to the API root (swagger v3 paths). */
export const ENDPOINTS = {
  token: 'oauth/token',
  accounts: 'api/accounts',
  account: (id: string) => `api/accounts/${seg(id)}`,
  accountBillingAddress: (id: string) => `api/accounts/${seg(id)}/billingaddress`,
  accountCustomFields: (id: string) => `api/accounts/${seg(id)}/customfields`,
  accountCustomFieldDefinitions: 'api/organization/accounts/customfields',
  countries: 'api/organization/countries',
  invoices: 'api/invoices',
  invoice: (id: string) => `api/invoices/${seg(id)}`,
  invoiceItems: (id: string) => `api/invoices/${seg(id)}/items`,
  invoiceCustomFields: (id: string) => `api/invoices/${seg(id)}/customfields`,
  invoiceOrders: (id: string) => `api/invoices/${seg(id)}/orders`,
  orders: 'api/orders',
  order: (id: string) => `api/orders/${seg(id)}`,
  orderItems: (id: string) => `api/orders/${seg(id)}/items`,
  orderCheckout: (id: string) => `api/orders/${seg(id)}/checkout`,
  orderExecutionStatus: (id: string) => `api/orders/${seg(id)}/execute/status`,
  products: 'api/products',
  product: (id: string) => `api/products/${seg(id)}`,
  productAddons: (id: string) => `api/products/${seg(id)}/addons`,
  productBillingFrequencies: (id: string) => `api/products/${seg(id)}/billingfrequencyoptions`,
  productPricing: (id: string) => `api/products/${seg(id)}/pricing`,
  productExternalPrices: (id: string) => `api/products/${seg(id)}/externalprices`,
  productCharacteristics: (id: string) => `api/products/${seg(id)}/characteristics`,
  productCustomFields: (id: string) => `api/products/${seg(id)}/customfields`,
  subscriptions: 'api/subscriptions',
  subscription: (id: string) => `api/subscriptions/${seg(id)}`,
  subscriptionAddons: (id: string) => `api/subscriptions/${seg(id)}/addons`,
  subscriptionAddonCancel: (id: string, addonId: string) => `api/subscriptions/${seg(id)}/addons/${seg(addonId)}/cancelendofbillingperiod`,
  subscriptionCustomFields: (id: string) => `api/subscriptions/${seg(id)}/customfields`,
  subscriptionCharacteristics: (id: string) => `api/subscriptions/${seg(id)}/characteristics`,
  subscriptionInstallmentPlan: (id: string) => `api/subscriptions/${seg(id)}/currentInstallmentplan`,
  subscriptionCancel: (id: string) => `api/subscriptions/${seg(id)}/cancel`,
  subscriptionQuantity: (id: string) => `api/subscriptions/${seg(id)}/quantity`,
  subscriptionQuantityRequest: (id: string, requestId: string) => `api/subscriptions/${seg(id)}/quantityrequest/${seg(requestId)}`,
  subscriptionAutoRenewal: (id: string) => `api/subscriptions/${seg(id)}/autoRenewalSettings`,
} as const;

/** What the by-id and by-account machinery needs to know about one list. */
export interface ListSpec {
  path: string;
  detail: (id: string) => string;
  /** Fixed query of the list (e.g. `stage=All` for orders). */
  query?: Query;
  /** The `$filter` literal of an id (`5`, `guid'…'`). */
  literal: (id: string) => string;
}

const INT = (v: string) => v;
const GUID_LITERAL = (v: string) => `guid'${v}'`;
export const ID_LITERAL = { INT, GUID: GUID_LITERAL };

export const LISTS = {
  accounts: { path: ENDPOINTS.accounts, detail: ENDPOINTS.account, literal: INT },
  subscriptions: { path: ENDPOINTS.subscriptions, detail: ENDPOINTS.subscription, literal: GUID_LITERAL },
  /** Every stage: drafts too (detail GETs answer either stage). */
  orders: { path: ENDPOINTS.orders, detail: ENDPOINTS.order, query: { stage: 'All' }, literal: GUID_LITERAL },
  invoices: { path: ENDPOINTS.invoices, detail: ENDPOINTS.invoice, literal: GUID_LITERAL },
  products: { path: ENDPOINTS.products, detail: ENDPOINTS.product, literal: GUID_LITERAL },
} satisfies Record<string, ListSpec>;

export const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * A date-time filter value as ISO 8601 in UTC, milliseconds kept. (The DateTime scalar
 * hands the adapter Date objects although the contract types them as strings, and
 * `Date.parse(date)` would go through `String(date)`, which drops the milliseconds.)
 */
export const isoOf = (value: string | Date) => new Date(value).toISOString();

/** An OData v3 date-time literal (the form a public client uses: `updatedAt gt datetime'…'`). */
export const datetimeLiteral = (value: string | Date) => `datetime'${isoOf(value)}'`;

/**
 * The length `text` takes in a form-encoded query string, as got sends `searchParams`
 * (URLSearchParams: `'`, `(`, `)`, `!`, `*` become 3 characters). chunkByEncodedLength
 * measures with encodeURIComponent, which leaves those as 1: widen them first so its
 * measure is never shorter than what is sent.
 */
export const formWidth = (text: string) => text.replace(/['()!*]/g, '~~~');

/** The characters the other query parameters of a list call take (with a 4-digit pageIndex, to be safe). */
export function overhead(query: Query): number {
  const params = new URLSearchParams({ pageIndex: '9999', pageSize: String(MAX_PAGE_SIZE), $filter: '' });
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  return params.toString().length;
}

/** Some sub-resources answer a bare array, others a paged envelope. */
export function unwrapList(body: J): J[] {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.data)) return body.data;
  return [];
}

/** The vendor pages of MAX_PAGE_SIZE rows that hold items [offset, offset+limit). */
export function vendorPagesCovering(offset: number, limit: number): { pageSize: number; pages: number[] } {
  const first = Math.floor(offset / MAX_PAGE_SIZE) + 1;
  const last = Math.floor((offset + Math.max(limit, 1) - 1) / MAX_PAGE_SIZE) + 1;
  return { pageSize: MAX_PAGE_SIZE, pages: Array.from({ length: last - first + 1 }, (_, i) => first + i) };
}

export interface Clause {
  text: string;
  shortcut: InferredShortcut;
}

export type LeaderCloudCore = ReturnType<typeof createCore>;

export function createCore(config: LeaderCloudConfig, cache?: ResponseCache) {
  const secrets = [config.clientSecret, config.password];
  const errorMessage = (body: J) => (body && typeof body === 'object' ? (body.developerMessage ?? body.error_description ?? body.error) : undefined);
  // Throttling (vendor KB: "403 … or you've hit a rate limit"; no 429 is documented).
  const isRateLimited = (status: number, body: unknown, headers: Record<string, string | string[] | undefined>) =>
    status === 403 && ((body as J)?.isRetriableError === true || headers['retry-after'] !== undefined);
  const basic = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`;
  const common = { vendor: VENDOR, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: { 'x-api-version': '3' }, secrets, errorMessage, isRateLimited };
  const authHttp = new VendorHttp({ ...common, readRetries: 0, tokenEndpoint: true });
  /** A fresh token (never cached here: the TokenCache caches it). */
  const requestToken = async () => {
    const { body } = await authHttp.request<J>('POST', ENDPOINTS.token, {
      form: { grant_type: 'password', username: config.username, password: config.password },
      headers: { authorization: basic },
    });
    return { token: String(body.access_token), expiresInSeconds: Number(body.expires_in ?? 3600) };
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ ...common, token, circuit: { resetMs: config.circuitResetMs }, maxConcurrency: config.maxConcurrency, identity: ResponseCache.identity(VENDOR, [config.baseUrl, config.clientId, config.username]), cache });

  // Inferred shortcuts: tried (mode `auto`) until the vendor refuses one with a 400, then the documented form for good (for every adapter of this API in the process).
  const refusal = (error: unknown) => error instanceof UpstreamError && error.status === 400;
  const shortcut = (name: string) => new InferredShortcut(VENDOR, name, config.shortcuts, refusal, config.baseUrl);
  const shortcuts = {
    inFilter: shortcut("$filter with 'in (…)' (by id, by accountId)"),
    containsFilter: shortcut('$filter with contains()'),
    propertyFilter: shortcut('$filter on DTO properties (status, code, email)'),
    accountFields: shortcut('include=customFields on accounts'),
  };

  /**
   * Items [offset, offset+limit) of a paged list, in one or two calls. Without the
   * cross-request cache, pages of the size asked for; with it, whole vendor pages (500
   * rows, always the same pages), so that a client paging through a list in smaller graph
   * pages reads each vendor page once and the later graph pages come from the cache.
   */
  /**
   * Rows in each list as last seen (adapter lifetime), by `sizeKey(path, $filter)`: what a
   * cost choice needs to know before reading (the lookahead of a page spanning every account).
   */
  const sizes = new Map<string, number>();
  async function range(path: string, query: Query, offset: number, limit: number): Promise<PageResult<J>> {
    if (limit === 0) {
      const page = await http.get<Envelope>(path, { ...query, pageIndex: 1, pageSize: 1 });
      return { items: [], total: page.paging?.totalRecords ?? null, hasMore: (page.paging?.totalRecords ?? 0) > offset };
    }
    const { pageSize, pages } = cache ? vendorPagesCovering(offset, limit) : pagesCovering(offset, limit, MAX_PAGE_SIZE);
    const results = await Promise.all(pages.map((pageIndex) => http.get<Envelope>(path, { ...query, pageIndex, pageSize })));
    const all = results.flatMap((r) => r.data ?? []);
    const skip = offset - ((pages[0] ?? 1) - 1) * pageSize;
    const total = results[0]?.paging?.totalRecords ?? null;
    if (total !== null) sizes.set(sizeKey(path, query.$filter), total);
    const items = all.slice(skip, skip + limit);
    return { items, total, hasMore: total !== null ? offset + items.length < total : items.length === limit };
  }

  /** Accounts are read with `include=customFields` (their external id lives there) while the vendor accepts it. */
  const withAccountFields = <T>(call: (query: Query) => Promise<T>): Promise<T> =>
    shortcuts.accountFields.run(
      () => call({ include: 'customFields' }),
      () => call({}),
    );

  /**
   * Tries the list filter clauses pushed down to the vendor, each through its shortcut
   * (the last clause is the innermost, so the most doubtful goes last); `run` gets the
   * clauses to send and filters the others in the graph.
   */
  function withClauses<T>(clauses: Clause[], run: (pushed: string[]) => Promise<T>): Promise<T> {
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

  /**
   * The health probe: the cheapest documented authenticated read (one account), through
   * the normal client, so its token comes from the TokenCache: no login while a token is
   * cached, none while a refused login backs off. Not retried: health answers at once.
   */
  async function probe(): Promise<null> {
    await http.request('GET', ENDPOINTS.accounts, { query: { pageIndex: 1, pageSize: 1 }, retries: 0 });
    return null;
  }

  return { config, http, token, requestToken, shortcuts, sizes, cached: cache !== undefined, range, withAccountFields, withClauses, probe };
}
