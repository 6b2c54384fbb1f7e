/**
 * Cloudmore error bodies and request-body validation.
 *
 * Which 400 shape is used where (the split is our choice [I]; both shapes are [C]):
 *   - ASP.NET model-state dictionary `{"Name": ["The Name field is required."]}`: model
 *     binding/validation of a JSON request body (missing/ill-typed/too long/out-of-range
 *     fields, bad e-mail addresses, unparsable dates, a body that is not a JSON object,
 *     malformed JSON (key "")).
 *   - ApiError array `[{errorCode, errorName, errorMessage}]`: everything else: invalid
 *     query values (e.g. `showActive=maybe`), business rules (unknown productId, service
 *     already added, end date before start date, cancelled subscription) and every
 *     non-400 error (401, 403, 404, 415, 429, 5xx).
 *   - `/connect/token` answers IdentityServer-style `{"error": ..., "error_description": ...}`.
 */
import type { FastifyRequest } from 'fastify';
import { SimError, type ErrorContext } from '../shared/server.js';
import { API_ERROR_CODES, type ApiError, type ModelState, type TokenError } from './models.js';

const FASTIFY_NAMES: Record<number, string> = { 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType' };

function errorName(code: string, status: number): string {
  if (code in API_ERROR_CODES) return code;
  if (FASTIFY_NAMES[status]) return FASTIFY_NAMES[status];
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status >= 500) return 'ServiceError';
  return status === 400 ? 'InvalidRequest' : 'GeneralError';
}

const JSON_CODES = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY', 'InvalidJson']);

export function errorBody(ctx: ErrorContext): unknown {
  if (ctx.extra.oauth) {
    const body: TokenError = { error: ctx.code as TokenError['error'] };
    if (ctx.message) body.error_description = ctx.message;
    return body;
  }
  if (ctx.extra.modelState) return ctx.extra.modelState as ModelState;
  if (ctx.status === 400 && JSON_CODES.has(ctx.code)) {
    const message =
      ctx.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'A non-empty request body is required.' : 'The request body is not valid JSON.';
    return { '': [message] } satisfies ModelState;
  }
  const name = errorName(ctx.code, ctx.status);
  const error: ApiError = { errorCode: API_ERROR_CODES[name] ?? 1, errorName: name, errorMessage: ctx.message };
  return [error];
}

/** A 400 with an ApiError array body. */
export function invalid(message: string, name = 'InvalidValue'): SimError {
  return new SimError(400, name, message);
}

export function notFound(message: string): SimError {
  return new SimError(404, 'NotFound', message);
}

export function tokenError(error: TokenError['error'], description = ''): SimError {
  return new SimError(400, error, description, { oauth: true });
}

export function modelStateError(state: ModelState): SimError {
  const first = Object.values(state)[0]?.[0] ?? 'The request is invalid.';
  return new SimError(400, 'ModelState', first, { modelState: state });
}

/** The JSON object body of a create/update request, or a Cloudmore-shaped error. */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null || body === '') {
    throw modelStateError({ '': ['A non-empty request body is required.'] });
  }
  const type = String(request.headers['content-type'] ?? '');
  if (!/json/i.test(type)) {
    throw new SimError(415, 'UnsupportedMediaType', `Content type '${type}' is not supported; send application/json.`);
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw modelStateError({ '': ['The request body must be a JSON object.'] });
  }
  return body as Record<string, unknown>;
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Collects ASP.NET-style model errors. Keys are PascalCase dotted paths ("Contact.Email"),
 * as in Cloudmore's documented example; body properties are read case-insensitively
 * (ASP.NET binds `Name` and `name` alike).
 */
export class ModelValidator {
  readonly errors: ModelState = {};

  add(key: string, message: string): void {
    (this.errors[key] ??= []).push(message);
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfInvalid(): void {
    if (!this.ok) throw modelStateError(this.errors);
  }

  /** The value of `name` in `obj`, matched case-insensitively. */
  static get(obj: Record<string, unknown> | undefined, name: string): unknown {
    if (!obj) return undefined;
    if (name in obj) return obj[name];
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  string(
    obj: Record<string, unknown> | undefined,
    name: string,
    key: string,
    opts: { required?: boolean; max?: number; email?: boolean; oneOf?: readonly string[] } = {},
  ): string | null | undefined {
    const value = ModelValidator.get(obj, name);
    const field = key.split('.').pop() ?? key;
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (opts.required) this.add(key, `The ${field} field is required.`);
      return value === undefined ? undefined : null;
    }
    if (typeof value !== 'string') {
      this.add(key, `The value '${shown(value)}' is not valid for ${field}.`);
      return undefined;
    }
    const max = opts.max ?? 255;
    if (value.length > max) this.add(key, `The field ${field} must be a string with a maximum length of ${max}.`);
    if (opts.email && !EMAIL.test(value)) this.add(key, `The ${field} field is not a valid e-mail address.`);
    if (opts.oneOf && !opts.oneOf.includes(value.toUpperCase())) {
      this.add(key, `The field ${field} must be one of ${opts.oneOf.join(', ')}.`);
    }
    return value;
  }

  integer(
    obj: Record<string, unknown> | undefined,
    name: string,
    key: string,
    opts: { required?: boolean; min: number; max: number },
  ): number | undefined {
    const value = ModelValidator.get(obj, name);
    if (value === undefined || value === null) {
      if (opts.required) this.add(key, `The ${key} field is required.`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(key, `The value '${shown(value)}' is not valid for ${key}.`);
      return undefined;
    }
    if (value < opts.min || value > opts.max) {
      this.add(key, `The field ${key} must be between ${opts.min} and ${opts.max}.`);
      return undefined;
    }
    return value;
  }

  boolean(obj: Record<string, unknown> | undefined, name: string, key: string): boolean | undefined {
    const value = ModelValidator.get(obj, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.add(key, `The value '${shown(value)}' is not valid for ${key}.`);
      return undefined;
    }
    return value;
  }

  /** A date (`2026-10-01` or ISO date-time); returned as a UTC Date. */
  date(obj: Record<string, unknown> | undefined, name: string, key: string, required: boolean): Date | undefined {
    const value = ModelValidator.get(obj, name);
    if (value === undefined || value === null || value === '') {
      if (required) this.add(key, `The ${key} field is required.`);
      return undefined;
    }
    const parsed = typeof value === 'string' && DATE.test(value) ? new Date(value) : undefined;
    // Reject dates JavaScript would roll over (2026-02-30 → 2026-03-02).
    const day = typeof value === 'string' ? value.slice(0, 10) : '';
    const dayDate = new Date(day);
    const rolled = Number.isNaN(dayDate.getTime()) || dayDate.toISOString().slice(0, 10) !== day;
    if (!parsed || Number.isNaN(parsed.getTime()) || rolled) {
      this.add(key, `The value '${shown(value)}' is not valid for ${key}.`);
      return undefined;
    }
    return parsed;
  }

  /** A nested object (contact, address); undefined when absent. */
  object(obj: Record<string, unknown> | undefined, name: string, key: string): Record<string, unknown> | undefined {
    const value = ModelValidator.get(obj, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.add(key, `The value '${shown(value)}' is not valid for ${key}.`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
