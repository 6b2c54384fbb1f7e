/**
 * The Ingram Micro core every domain part of a session builds on: configuration → the
 * `POST /token` flow (TokenCache), the authenticated client (`VendorHttp`: reads retried,
 * writes sent once through `send`), the endpoint table (every path in one place), the
 * offset/limit paging of SimpleAPI lists, and the id shapes.
 *
 * Auth: `POST /token` with HTTP Basic (API user) and `{"marketplace": ...}` gives a bearer
 * token (about 25 minutes, no refresh token); every call also sends `X-Subscription-Key`.
 *
 * Lists are `offset`/`limit` windows in a `{data, pagination: {offset, limit, total}}`
 * envelope, newest first. No maximum `limit` is documented and a gateway may return fewer
 * rows than asked, so reads advance by the rows received until `pagination.total` (as the
 * public n8n client does); only an empty page ends a list early.
 */
import { ResponseCache } from '../../cache.js';
import type { IngramConfig } from '../../config.js';
import { isNotFound } from '../../errors.js';
import { VendorHttp, type Query } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type { PageResult } from '../../paging.js';
import { mapLimit } from '../shared.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
export type J = any;

/**
 * The largest `limit` this client asks for. No maximum is documented, and a gateway may
 * return fewer rows than asked (the simulator's `documented` profile caps pages at 100), so
 * nothing here assumes a page holds this many: reads advance by the rows received.
 */
export const MAX_LIMIT = 1000;
/** More ids (or customers) than this in one tick: read the whole list once instead of one call each. */
export const MANY = 10;
/** Parallel single GETs per loader. */
export const CONCURRENCY = 8;

/** Digit-string ids (customers, resellers, subscriptions, orders, service plans). */
export const DIGITS = /^[1-9]\d{0,17}$/;
/** An MPN (or a catalogue id): letters, digits and `. _ : -`, starting with a letter or digit, at most 128 characters. */
export const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The token endpoint (relative to the API root): the graph calls it itself, a generic request never may. */
export const TOKEN_PATH = 'token';

const enc = encodeURIComponent;

/** Every SimpleAPI 1.15 path this adapter calls, relative to `https://api.cloud.im/marketplace/<region>`. */
export const ENDPOINTS = {
  token: () => TOKEN_PATH,
  customers: () => 'customers',
  customer: (id: string) => `customers/${enc(id)}`,
  resellers: () => 'resellers',
  reseller: (id: string) => `resellers/${enc(id)}`,
  resellerCustomers: (id: string) => `resellers/${enc(id)}/customers`,
  resellerOrders: (id: string) => `resellers/${enc(id)}/orders`,
  subscriptions: () => 'subscriptions',
  subscription: (id: string) => `subscriptions/${enc(id)}`,
  specialPricing: (id: string) => `subscriptions/${enc(id)}/specialPricing`,
  orders: () => 'orders',
  order: (id: string) => `orders/${enc(id)}`,
  estimate: () => 'orders/estimate',
  products: () => 'products',
  plans: () => 'plans',
  plan: (id: string) => `plans/${enc(id)}`,
  reports: () => 'reports',
  report: (id: string) => `reports/${enc(id)}`,
  validateParameters: () => 'validation/parameters',
} as const;

interface Envelope {
  data?: J[];
  pagination?: { offset?: number; limit?: number; total?: number };
}

export type IngramCore = ReturnType<typeof createCore>;

export function createCore(config: IngramConfig, cache?: ResponseCache) {
  const secrets = [config.password, config.subscriptionKey];
  const errorMessage = (body: J) => (body && typeof body === 'object' && typeof body.message === 'string' ? body.message : undefined);
  const keyHeader = { 'x-subscription-key': config.subscriptionKey };
  const basic = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  const authHttp = new VendorHttp({ vendor: 'INGRAM', baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: keyHeader, secrets, errorMessage, readRetries: 0, tokenEndpoint: true });

  /** A fresh token (never cached here: the TokenCache caches it). */
  const requestToken = async () => {
    const { body } = await authHttp.request<J>('POST', ENDPOINTS.token(), { body: { marketplace: config.marketplace }, headers: { authorization: basic } });
    return { token: String(body?.token ?? ''), expiresInSeconds: Number(body?.expiresInSeconds ?? 1500) };
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ vendor: 'INGRAM', baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, headers: keyHeader, token, secrets, errorMessage, circuit: { resetMs: config.circuitResetMs }, maxConcurrency: config.maxConcurrency, identity: ResponseCache.identity('INGRAM', [config.baseUrl, config.username, config.marketplace]), cache });

  const sizes = listSizes(config.baseUrl);

  /** One list page: at most `limit` rows from `offset` (the vendor may return fewer). */
  async function page(path: string, query: Query, offset: number, limit: number): Promise<{ rows: J[]; total: number | null }> {
    const body = await http.get<Envelope>(path, { ...query, offset, limit });
    const rows = Array.isArray(body?.data) ? body.data.slice(0, limit) : [];
    const total = typeof body?.pagination?.total === 'number' ? body.pagination.total : null;
    sizes.saw(path, query, offset, limit, rows.length, total);
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

  /** A write (never retried); the vendor's answer body. A 4xx stays an UpstreamError (the resolver makes it a userError). */
  async function write(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<J> {
    return (await http.send<J>(method, path, body)).body;
  }

  /**
   * The health probe: the cheapest documented authenticated read (one customer), through
   * the normal client, so its token comes from the TokenCache: no login while a token is
   * cached, none while a refused login backs off. Not retried: health answers at once.
   */
  async function probe(): Promise<null> {
    const { body } = await http.request<Envelope>('GET', ENDPOINTS.customers(), { query: { offset: 0, limit: 1 }, retries: 0 });
    const total = body?.pagination?.total;
    if (typeof total === 'number') sizes.saw(ENDPOINTS.customers(), {}, 0, 1, Array.isArray(body?.data) ? body.data.length : 0, total);
    return null;
  }

  return { config, http, token, requestToken, page, read, range, all, getOrNull, write, probe, sizes };
}

/** The rows a page holds, per API base URL: a gateway's cap is the API's, whoever calls it (shared by every adapter of the process). */
const pageCaps = new Map<string, number>();

/**
 * What this adapter has seen of its lists' sizes, for its lifetime: the last
 * `pagination.total` of each list (path and filters), and the rows a page holds at this API
 * (the smallest page the vendor cut short of `limit` while more rows remained: a gateway's
 * cap, shared by every adapter of the same base URL; MAX_LIMIT until one is seen). Loaders use it to choose the cheaper plan before they read
 * (a list page instead of single GETs); it is only a hint: a list that grew since costs
 * what its first page then says, and every plan that uses it reads that first page before
 * committing to the rest.
 */
function listSizes(baseUrl: string) {
  /** Totals per list; the oldest forgotten past this many (per-customer lists add one each). */
  const KEEP = 2000;
  const totals = new Map<string, number>();
  const rowsPerPage = () => pageCaps.get(baseUrl) ?? MAX_LIMIT;
  const keyOf = (path: string, query: Query) =>
    `${path}?${Object.entries(query)
      .filter(([k, v]) => k !== 'offset' && k !== 'limit' && v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${String(v)}`)
      .sort()
      .join('&')}`;
  return {
    saw(path: string, query: Query, offset: number, limit: number, rows: number, total: number | null): void {
      if (total === null) return;
      const key = keyOf(path, query);
      totals.delete(key);
      totals.set(key, total);
      if (totals.size > KEEP) totals.delete(totals.keys().next().value as string);
      if (rows > 0 && rows < limit && offset + rows < total) pageCaps.set(baseUrl, Math.min(rowsPerPage(), rows));
    },
    /** The pages a whole read of this list would take, from its last known total; null when never seen. */
    pages(path: string, query: Query = {}): number | null {
      const total = totals.get(keyOf(path, query));
      return total === undefined ? null : Math.max(1, Math.ceil(total / rowsPerPage()));
    },
    /** Whether a page of this API was seen to hold fewer rows than asked while more remained (a cap). */
    capped: (): boolean => pageCaps.has(baseUrl),
  };
}

export const EMPTY: PageResult<never> = { items: [], total: 0, hasMore: false };

/** A DataLoader.loadMany result: the value, or the error it failed with. */
export function toValue<T>(result: T | Error | undefined): T | null {
  if (result instanceof Error) throw result;
  return result ?? null;
}

/** Query parameters from a record, dropping empty values (the API treats `name=` as a filter). */
export function pushDown(query: Record<string, string | null | undefined>): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') out[k] = v;
  return out;
}

/**
 * A DateTime input as ISO-8601 UTC. Inputs typed `string` arrive as Date objects from the
 * DateTime scalar; `new Date(...)` takes either without losing milliseconds.
 */
export function isoOf(value: string | Date): string {
  return new Date(value).toISOString();
}

/** `YYYY-MM-DD` (UTC) of a date-time, moved by `days`. */
export function dateOnly(value: string | Date, days = 0): string {
  return new Date(new Date(value).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Is a vendor timestamp within the filter's createdFrom/createdTo (inclusive)? */
export function createdWithin(value: unknown, filter: { createdFrom?: string | null; createdTo?: string | null }): boolean {
  const t = Date.parse(String(value ?? ''));
  if (filter.createdFrom && !(t >= new Date(filter.createdFrom).getTime())) return false;
  if (filter.createdTo && !(t <= new Date(filter.createdTo).getTime())) return false;
  return true;
}

/**
 * `format: date` bounds that cover a date-time range whatever the vendor's day semantics
 * (inclusive or not): the day of `from`, and the day after `to`. Exact bounds are then
 * applied in the graph (`createdWithin`).
 */
export function coveringDates(filter: { createdFrom?: string | null; createdTo?: string | null }): { from: string | null; to: string | null } {
  return { from: filter.createdFrom ? dateOnly(filter.createdFrom) : null, to: filter.createdTo ? dateOnly(filter.createdTo, 1) : null };
}
