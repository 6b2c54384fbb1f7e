/**
 * Generic vendor requests (`vendorRequest`, `sendVendorRequest`): any path under the
 * vendor's API root (checked by http/path.ts before it gets here), through the vendor's
 * own authenticated client, so auth, retries of reads, the 401 refresh and redaction are
 * the same as for every modelled call. A vendor's 4xx is an answer, not an error: it comes
 * back with its status and body. With pagination, the vendor's own paging is followed.
 */
import type { VendorHttp } from './client.js';
import { scrubRaw } from '../vendors/shared.js';

export type GenericQuery = Record<string, string | string[]>;

/** How a vendor pages its lists: the query of the next page, or null at the end, and where the items are. */
export interface PagingStyle {
  /** The query of the first page (e.g. default a page size when none was given). */
  first(query: GenericQuery): GenericQuery;
  /** The query of the page after `body` (page number `read`, 1-based), or null when it was the last. */
  next(query: GenericQuery, body: unknown, read: number): GenericQuery | null;
  items(body: unknown): unknown[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

/** Leader Cloud: `pageIndex`/`pageSize` (≤ 500) and a `{data, paging: {totalPages}}` envelope. */
export const PAGE_INDEX_PAGING: PagingStyle = {
  first: (q) => ({ pageSize: '500', ...q, pageIndex: String(q.pageIndex ?? '1') }),
  next(q, body: J) {
    const index = Number(q.pageIndex ?? 1);
    const pages = Number(body?.paging?.totalPages ?? 0);
    if (!Array.isArray(body?.data) || body.data.length === 0 || index >= pages) return null;
    return { ...q, pageIndex: String(index + 1) };
  },
  items: (body: J) => (Array.isArray(body?.data) ? body.data : Array.isArray(body) ? body : []),
};

/** Ingram Micro: `offset`/`limit` and `{data, pagination: {total}}`; the offset advances by the rows received. */
export const OFFSET_PAGING: PagingStyle = {
  first: (q) => ({ limit: '100', ...q, offset: String(q.offset ?? '0') }),
  next(q, body: J) {
    const rows = Array.isArray(body?.data) ? body.data.length : 0;
    const offset = Number(q.offset ?? 0) + rows;
    const total = Number(body?.pagination?.total ?? NaN);
    if (rows === 0 || !(offset < total)) return null;
    return { ...q, offset: String(offset) };
  },
  items: (body: J) => (Array.isArray(body?.data) ? body.data : Array.isArray(body) ? body : []),
};

/** Cloudmore: lists are bare arrays without paging. */
export const NO_PAGING: PagingStyle = {
  first: (q) => q,
  next: () => null,
  items: (body) => (Array.isArray(body) ? body : [body]),
};

export const MAX_GENERIC_PAGES = 50;

export function genericRequests(http: VendorHttp, paging: PagingStyle) {
  return {
    async send(method: string, path: string, query: GenericQuery, body: unknown) {
      const answer = await http.exchange(method, path, { query, body });
      return { status: answer.status, body: scrubRaw(answer.body) };
    },
    async paginate(path: string, query: GenericQuery, maxPages: number) {
      const items: unknown[] = [];
      let current: GenericQuery | null = paging.first(query);
      let pages = 0;
      let status = 200;
      while (current && pages < Math.min(maxPages, MAX_GENERIC_PAGES)) {
        const answer = await http.exchange('GET', path, { query: current });
        pages++;
        status = answer.status;
        if (status >= 400) return { status, items: [scrubRaw(answer.body)], pages, truncated: false };
        items.push(...paging.items(answer.body).map(scrubRaw));
        current = paging.next(current, answer.body, pages);
      }
      return { status, items, pages, truncated: current !== null };
    },
  };
}
