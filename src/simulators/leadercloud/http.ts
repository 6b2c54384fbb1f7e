/**
 * Paging, filtering and body helpers for the Leader Cloud list endpoints: `pageIndex`
 * (1-based, ^[1-9]\d*$), `pageSize` (1..500, default 10) and the PagedResultDto envelope
 * with absolute links.
 */
import type { FastifyRequest } from 'fastify';
import type { SimControl } from '../shared/control.js';
import { originOf } from '../shared/server.js';
import type { LcState } from './data.js';
import { applyOrderBy, compileFilter, type FieldMap } from './filter.js';
import { badRequest } from './util.js';

export interface RouteContext {
  state: LcState;
  control: SimControl;
}

export type Query = Record<string, string | string[] | undefined>;

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

/** A single-valued query parameter (the first when repeated), looked up case-insensitively like ASP.NET. */
export function q(request: FastifyRequest, name: string): string | undefined {
  const query = queryOf(request);
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(query)) {
    if (k.toLowerCase() !== lower) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export interface Paging {
  page: number;
  size: number;
}

export function parsePaging(request: FastifyRequest): Paging {
  const rawPage = q(request, 'pageIndex');
  const rawSize = q(request, 'pageSize');
  let page = 1;
  let size = 10;
  if (rawPage !== undefined && rawPage !== '') {
    if (!/^[1-9]\d*$/.test(rawPage) || Number(rawPage) > 2147483647) {
      throw badRequest(`The value '${rawPage}' is not valid for pageIndex: it must be a whole number from 1.`, 'InvalidPagingError');
    }
    page = Number(rawPage);
  }
  if (rawSize !== undefined && rawSize !== '') {
    if (!/^\d+$/.test(rawSize) || Number(rawSize) < 1 || Number(rawSize) > 500) {
      throw badRequest(`The value '${rawSize}' is not valid for pageSize: it must be a whole number from 1 to 500.`, 'InvalidPagingError');
    }
    size = Number(rawSize);
  }
  return { page, size };
}

function link(request: FastifyRequest, page: number, size: number): string {
  const [path = '/', search = ''] = request.url.split('?');
  const params = new URLSearchParams(search);
  for (const key of [...params.keys()]) {
    if (/^(pageindex|pagesize)$/i.test(key)) params.delete(key);
  }
  params.set('pageIndex', String(page));
  params.set('pageSize', String(size));
  return `${originOf(request)}${path}?${params.toString()}`;
}

/** The PagedResultDto envelope. `previous` is null on page 1 and `next` null on the last page (as the live API sends). */
export function paged<T>(request: FastifyRequest, items: readonly T[], map: (item: T) => unknown, paging = parsePaging(request)) {
  const { page, size } = paging;
  const totalRecords = items.length;
  const totalPages = Math.ceil(totalRecords / size);
  const data = items.slice((page - 1) * size, page * size).map(map);
  return {
    data,
    paging: { page, size, totalPages, totalRecords },
    links: {
      self: link(request, page, size),
      first: link(request, 1, size),
      last: link(request, Math.max(1, totalPages), size),
      next: page < totalPages ? link(request, page + 1, size) : null,
      previous: page > 1 ? link(request, Math.min(page - 1, Math.max(1, totalPages)), size) : null,
    },
  };
}

/**
 * Applies $filter then $orderBy (both validated first, so a bad query is a 400 even on an
 * empty list), with the grammar of the simulator's profile.
 */
export function query<T>(ctx: RouteContext, request: FastifyRequest, items: readonly T[], fields: FieldMap<T>, resource: string): T[] {
  const profile = ctx.control.profile;
  const predicate = compileFilter(q(request, '$filter'), fields, resource, profile);
  const filtered = predicate ? items.filter(predicate) : [...items];
  return applyOrderBy(filtered, q(request, '$orderBy'), fields, resource, profile);
}

/** The JSON body as an object, or a 400. */
export function objectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.', 'InvalidBodyError');
  return body as Record<string, unknown>;
}

/** The JSON body as an array, or a 400. */
export function arrayBody(request: FastifyRequest): unknown[] {
  const body = request.body;
  if (!Array.isArray(body)) throw badRequest('The request body must be a JSON array.', 'InvalidBodyError');
  return body;
}
