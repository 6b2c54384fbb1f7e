/**
 * Small helpers shared by the Leader Cloud routes: the vendor's error shapes, id parsing
 * the way an ASP.NET model binder would do it, dates in the platform's local offset, and
 * money rounding.
 */
import { SimError } from '../shared/server.js';

// ---- errors ------------------------------------------------------------------------------

/**
 * A typed Leader Cloud error. `code` becomes both `type` and `code` in the body (the spec
 * names the error classes; the separate code strings are not documented).
 */
export function lcError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): SimError {
  return new SimError(status, code, message, extra);
}

export function badRequest(message: string, code = 'ValidationError'): SimError {
  return lcError(400, code, message);
}

/** The NotFound errors that carry entity/property/value in the spec. */
const WITH_ENTITY = new Set([
  'AccountNotFoundError',
  'InvoiceNotFoundError',
  'OrderNotFoundError',
  'ProductNotFoundError',
  'LeaseNotFoundError',
  'OrganizationCountryNotFoundError',
  'ExternalSystemNotFoundError',
]);

export function notFound(code: string, entity: string, value: string | number, message?: string): SimError {
  const text = message ?? `${entity} with Id '${value}' was not found!`;
  const extra: Record<string, unknown> = WITH_ENTITY.has(code) ? { entity, property: 'Id', value: String(value) } : {};
  return lcError(404, code, text, extra);
}

// ---- ids -----------------------------------------------------------------------------------

const GUID_D = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_N = /^[0-9a-f]{32}$/i;
const GUID_B = /^[{(]([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})[})]$/i;

/** Parses a GUID in the formats .NET's Guid.Parse accepts (D, N, B, P); lower-case D form, or undefined. */
export function parseGuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (GUID_D.test(v)) return v.toLowerCase();
  const b = GUID_B.exec(v);
  if (b?.[1]) return b[1].toLowerCase();
  if (GUID_N.test(v)) {
    const h = v.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return undefined;
}

/** A GUID path parameter: malformed values are a 400, as ASP.NET model binding answers. */
export function guidParam(value: unknown, name: string): string {
  const id = parseGuid(value);
  if (!id) throw badRequest(`The value '${String(value)}' is not valid for ${name}: a GUID is expected.`, 'InvalidParameterError');
  return id;
}

/** An int32 path parameter (account ids): malformed or out of range is a 400. */
export function intParam(value: unknown, name: string): number {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > 2147483647) {
    throw badRequest(`The value '${String(value)}' is not valid for ${name}: an integer (int32) is expected.`, 'InvalidParameterError');
  }
  return Number(text);
}

/** A boolean query parameter (`true`/`false`, any case); malformed is a 400. */
export function boolQuery(value: unknown, name: string): boolean {
  if (value === undefined || value === '') return false;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw badRequest(`The value '${String(value)}' is not valid for ${name}: true or false is expected.`, 'InvalidParameterError');
}

// ---- include ---------------------------------------------------------------------------------

/** Parses `include=a,b` against the values a resource supports (case-insensitive); unknown values are a 400. */
export function parseInclude(value: unknown, allowed: readonly string[], resource: string): Set<string> {
  const out = new Set<string>();
  if (value === undefined || value === '') return out;
  if (typeof value !== 'string') throw badRequest('include must be given once, as a comma-separated list.', 'InvalidIncludeError');
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const match = allowed.find((a) => a.toLowerCase() === part.toLowerCase());
    if (!match) {
      throw badRequest(
        `The include value '${part}' is not supported for ${resource}. Supported values: ${allowed.length ? allowed.join(', ') : '(none)'}.`,
        'InvalidIncludeError',
      );
    }
    out.add(match);
  }
  return out;
}

// ---- money ---------------------------------------------------------------------------------

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

// ---- dates ---------------------------------------------------------------------------------

/** The platform's time zone (Leader Cloud is an Australian distributor). */
export const PLATFORM_TIME_ZONE = 'Australia/Sydney';

const offsetFormatter = new Intl.DateTimeFormat('en-AU', { timeZone: PLATFORM_TIME_ZONE, timeZoneName: 'longOffset' });
const offsetCache = new Map<number, number>();

/** Minutes east of UTC in Sydney at an instant (cached per hour). */
export function sydneyOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  const cached = offsetCache.get(hour);
  if (cached !== undefined) return cached;
  const part = offsetFormatter.formatToParts(new Date(hour * 3_600_000)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(part);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(hour, minutes);
  return minutes;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Formats an instant the way the live API does: ISO 8601 in the platform's local offset
 * with a variable number of fractional digits, e.g. `2021-11-26T12:17:22.327+11:00`.
 */
export function lcDate(ms: number): string {
  const offset = sydneyOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000);
  const frac = local.getUTCMilliseconds();
  const fraction = frac === 0 ? '' : `.${pad(frac, 3).replace(/0+$/, '')}`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date or date-time. Values with `Z` or an offset are exact; values
 * without one are read as platform-local (Sydney) time, as the .NET backend would.
 * Returns undefined when malformed.
 */
export function parseLcDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31 || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
    return undefined;
  }
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const naive = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
  if (zone) {
    if (zone.toUpperCase() === 'Z') return naive;
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!zm) return undefined;
    const minutes = (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3]));
    return naive - minutes * 60_000;
  }
  // Local time: guess the offset, then correct once (handles DST edges well enough).
  let guess = naive - sydneyOffsetMinutes(naive) * 60_000;
  guess = naive - sydneyOffsetMinutes(guess) * 60_000;
  return guess;
}

export const DAY_MS = 86_400_000;
