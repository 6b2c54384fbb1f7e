/**
 * Request plumbing shared by the Ingram route modules: correlation ids, the error body,
 * gateway auth (subscription key + bearer token), paging and query/body validation.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimControl, SimProfile } from '../shared/control.js';
import { SimError, bearerToken, type ErrorContext } from '../shared/server.js';
import { intParam } from '../shared/paging.js';
import { CREDENTIALS, DEFAULT_LIMIT, DOCUMENTED_PAGE_CAP, MAX_LIMIT, MONEY_PATTERN, isoDateTime } from './model.js';

// ---- correlation ids and errors -----------------------------------------------------

const correlationIds = new WeakMap<FastifyRequest, string>();

/** The request's X-Correlation-ID (made once per request, shared by header and error body). */
export function correlationId(request: FastifyRequest): string {
  let id = correlationIds.get(request);
  if (!id) {
    id = `a8n-${randomUUID()}`;
    correlationIds.set(request, id);
  }
  return id;
}

export function setCorrelationHeader(request: FastifyRequest, reply: FastifyReply): void {
  if (!reply.hasHeader('x-correlation-id')) void reply.header('X-Correlation-ID', correlationId(request));
}

/** `errorMessage` of the v1.1 spec: `{timeStamp, status, message, path, correlationId}`. [C] */
export function errorBody(ctx: ErrorContext, now: number): Record<string, unknown> {
  return {
    timeStamp: isoDateTime(now),
    status: ctx.status,
    message: ctx.message,
    path: ctx.request.url.split('?')[0] ?? '/',
    correlationId: correlationId(ctx.request),
  };
}

export const badRequest = (message: string) => new SimError(400, 'BadRequest', message);
export const notFound = (message: string) => new SimError(404, 'NotFound', message);
export const unauthorized = (message: string) => new SimError(401, 'Unauthorized', message);

// ---- gateway auth -------------------------------------------------------------------

/** API-gateway (APIM-style) subscription key check; runs before anything else. [I: 401] */
export function checkSubscriptionKey(request: FastifyRequest): void {
  const key = request.headers['x-subscription-key'];
  if (key === undefined || key === '') {
    throw unauthorized(
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
  }
  if (key !== CREDENTIALS.subscriptionKey) {
    throw unauthorized('Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.');
  }
}

export function requireAuth(control: SimControl) {
  return async (request: FastifyRequest): Promise<void> => {
    checkSubscriptionKey(request);
    const token = bearerToken(request);
    if (!token) throw unauthorized('Full authentication is required to access this resource: missing bearer token.');
    const state = control.checkToken(token);
    if (state === 'expired') throw unauthorized('The token has expired. Request a new token from POST /token.');
    if (state !== 'valid') throw unauthorized('The token is invalid or has been revoked.');
  };
}

// ---- paging -------------------------------------------------------------------------

export interface Paging {
  offset: number;
  /** The page size applied (what `pagination.limit` reports). */
  limit: number;
}

/**
 * `offset` and `limit` of a list request. `extended`: `limit` 1..MAX_LIMIT, 400 above.
 * `documented`: any `limit` ≥ 1 is accepted (no maximum is documented) and a page holds at
 * most DOCUMENTED_PAGE_CAP rows, as a gateway that caps page sizes would answer.
 */
export function paging(request: FastifyRequest, profile: SimProfile): Paging {
  const q = request.query as Record<string, unknown>;
  const offset = intParam(q.offset, 0, 0);
  if (offset === undefined) throw badRequest('Invalid value of the offset parameter: it must be an integer greater than or equal to 0.');
  if (profile === 'documented') {
    const limit = intParam(q.limit, DEFAULT_LIMIT, 1);
    if (limit === undefined) throw badRequest('Invalid value of the limit parameter: it must be an integer greater than or equal to 1.');
    return { offset, limit: Math.min(limit, DOCUMENTED_PAGE_CAP) };
  }
  const limit = intParam(q.limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
  if (limit === undefined) throw badRequest(`Invalid value of the limit parameter: it must be an integer from 1 to ${MAX_LIMIT}.`);
  return { offset, limit };
}

export function page<T, R>(items: readonly T[], p: Paging, render: (item: T) => R) {
  return {
    data: items.slice(p.offset, p.offset + p.limit).map(render),
    pagination: { offset: p.offset, limit: p.limit, total: items.length },
  };
}

// ---- query parameters ---------------------------------------------------------------

/** A single string query parameter (empty counts as absent; repeated → 400). */
export function queryString(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`The ${name} parameter must be given once.`);
  return value;
}

export function queryEnum<T extends string>(request: FastifyRequest, name: string, allowed: readonly T[]): T | undefined {
  const value = queryString(request, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw badRequest(`Invalid value of the ${name} parameter: '${value}'. Allowed values: ${allowed.join(', ')}.`);
  }
  return value as T;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseDate(value: string): number | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : undefined;
}

export function parseDateTime(value: string): number | undefined {
  // `+01:00` arrives as ` 01:00` when the client did not percent-encode the plus sign.
  const v = value.replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (!DATE_TIME.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A `format: date` query parameter, as UTC midnight in ms. */
export function queryDate(request: FastifyRequest, name: string): number | undefined {
  const value = queryString(request, name);
  if (value === undefined) return undefined;
  const ms = parseDate(value);
  if (ms === undefined) throw badRequest(`Invalid value of the ${name} parameter: '${value}'. Expected a date like 2019-12-30.`);
  return ms;
}

/** A `format: date-time` query parameter, in ms. */
export function queryDateTime(request: FastifyRequest, name: string): number | undefined {
  const value = queryString(request, name);
  if (value === undefined) return undefined;
  const ms = parseDateTime(value);
  if (ms === undefined) {
    throw badRequest(`Invalid value of the ${name} parameter: '${value}'. Expected a date-time like 2019-12-11T17:32:28Z.`);
  }
  return ms;
}

export function containsCi(haystack: string | undefined, needle: string): boolean {
  return haystack !== undefined && haystack.toLowerCase().includes(needle.toLowerCase());
}

// ---- bodies -------------------------------------------------------------------------

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonBody(request: FastifyRequest): Json {
  if (!isObject(request.body)) throw badRequest('The request body must be a JSON object.');
  return request.body;
}

export function optString(body: Json, field: string, label = field): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${label} must be a string.`);
  return value;
}

export function reqString(body: Json, field: string, label = field): string {
  const value = optString(body, field, label);
  if (value === undefined || value.trim() === '') throw badRequest(`${label} is required.`);
  return value;
}

export function optBoolean(body: Json, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${field} must be a boolean.`);
  return value;
}

export function optEnum<T extends string>(body: Json, field: string, allowed: readonly T[], label = field): T | undefined {
  const value = optString(body, field, label);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw badRequest(`Invalid value of ${label}: '${value}'. Allowed values: ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function optAttributes(body: Json, field = 'attributes'): Record<string, string> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw badRequest(`${field} must be an object whose values are strings.`);
  }
  return value as Record<string, string>;
}

/** A money object `{currency, amount}` with a decimal-string amount. */
export function moneyInput(value: unknown, label: string): { currency: string; amount: string } {
  if (!isObject(value)) throw badRequest(`${label} must be an object with currency and amount.`);
  const currency = reqString(value, 'currency', `${label}.currency`);
  const amount = value.amount;
  if (typeof amount !== 'string' || !MONEY_PATTERN.test(amount)) {
    throw badRequest(`${label}.amount must be a decimal number written as a string, e.g. "12.50".`);
  }
  return { currency, amount };
}
