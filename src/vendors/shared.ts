/**
 * Mechanisms every vendor adapter shares: loaders over by-id and by-key fetches,
 * bounded concurrency where a vendor has no batch endpoint, in-graph filtering where it
 * cannot filter, what a session supports, inferred shortcuts, money and date helpers.
 */
import DataLoader from 'dataloader';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ShortcutMode } from '../config.js';
import { logger } from '../logger.js';
import type { EntityKind, EntityModel, VendorName } from '../model.js';
import { pageOfArray, type PageResult } from '../paging.js';
import { DOMAIN_OF, type ListFilter, type VendorHealthModel, type VendorSession } from './types.js';

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number | LimitFunction, fn: (item: T) => Promise<R>): Promise<R[]> {
  const run = typeof limit === 'number' ? pLimit(limit) : limit;
  return Promise.all(items.map((item) => run(() => fn(item))));
}

/**
 * A per-request loader from keys to values. `batch` gets the distinct keys of one tick and
 * returns what it found; missing keys resolve to `missing` (null or []). One failing
 * batch rejects only the keys of that batch.
 */
export function keyedLoader<V>(batch: (keys: readonly string[]) => Promise<Map<string, V>>, missing: V, maxBatchSize = 100): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async (keys) => {
      const found = await batch(keys);
      return keys.map((k) => (found.has(k) ? (found.get(k) as V) : missing));
    },
    { maxBatchSize },
  );
}

/**
 * A loader for vendors without a batch endpoint: one GET per key, at most `concurrency`
 * in flight for this loader however many keys and batches there are (one limiter spans
 * every batch of the loader, i.e. of one GraphQL request).
 */
export function singleGetLoader<V>(fetchOne: (key: string) => Promise<V>, missing: V, concurrency = 8): DataLoader<string, V> {
  const limit = pLimit(concurrency);
  return keyedLoader(
    async (keys) => {
      const values = await mapLimit(keys, limit, fetchOne);
      return new Map(keys.map((k, i) => [k, values[i] ?? missing]));
    },
    missing,
    Infinity,
  );
}

/** Groups items by a key, in order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | null | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null || k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const lower = (v: string | null | undefined) => (v ?? '').toLowerCase();

/** Applies a ListFilter in the graph, for vendors (or fields) that cannot filter upstream. */
export function matchesFilter(item: EntityModel, filter: ListFilter | undefined): boolean {
  if (!filter) return true;
  const any = item as unknown as Record<string, unknown>;
  if (filter.name && !lower(any.name as string).includes(lower(filter.name))) return false;
  if (filter.externalId && any.externalId !== filter.externalId) return false;
  if (filter.email && lower(any.email as string) !== lower(filter.email)) return false;
  if (filter.sku && lower(any.sku as string) !== lower(filter.sku)) return false;
  if (filter.customerVendorId && any.customerVendorId !== filter.customerVendorId) return false;
  if (item.kind === 'Customer' && filter.customerStatus && item.status !== filter.customerStatus) return false;
  if (item.kind === 'Subscription' && filter.subscriptionStatus && item.status !== filter.subscriptionStatus) return false;
  if (item.kind === 'Order' && filter.orderStatus && item.status !== filter.orderStatus) return false;
  if (item.kind === 'Invoice' && filter.invoiceStatus && item.status !== filter.invoiceStatus) return false;
  if (item.kind === 'Report' && filter.reportStatus && item.status !== filter.reportStatus) return false;
  if (filter.resellerVendorId && any.resellerVendorId !== filter.resellerVendorId) return false;
  if (filter.number && any.number !== filter.number) return false;
  if (filter.publisher && lower(any.publisher as string) !== lower(filter.publisher)) return false;
  if (filter.format && lower(any.format as string) !== lower(filter.format)) return false;
  if (filter.type && lower(any.type as string) !== lower(filter.type)) return false;
  const created = Date.parse(String(any.createdAt ?? ''));
  if (filter.createdFrom && !(created >= Date.parse(filter.createdFrom))) return false;
  if (filter.createdTo && !(created <= Date.parse(filter.createdTo))) return false;
  if (filter.updatedSince && !(Date.parse(String(any.updatedAt ?? '')) >= Date.parse(filter.updatedSince))) return false;
  return true;
}

/** Filters and pages a complete in-memory list. */
export function filteredPage<T extends EntityModel>(items: T[], offset: number, limit: number, filter?: ListFilter): PageResult<T> {
  return pageOfArray(filter ? items.filter((i) => matchesFilter(i, filter)) : items, offset, limit);
}

/**
 * What a vendor has, derived from its session's parts: the entity families whose domain
 * part exists, and those whose part can `list`. Adapters compute it once from a session.
 */
export function describeSession(session: VendorSession): { supports: EntityKind[]; listable: EntityKind[] } {
  const kinds = Object.keys(DOMAIN_OF) as EntityKind[];
  const supports = kinds.filter((k) => session[DOMAIN_OF[k]] !== undefined);
  const listable = supports.filter((k) => typeof (session[DOMAIN_OF[k]] as { list?: unknown }).list === 'function');
  return { supports, listable };
}

/** Removes secrets (passwords, tokens, keys) from a vendor payload before it is exposed as `raw`. */
const SECRET_KEY = /password|secret|token|apikey|api_key|subscriptionkey/i;

/** Does a payload hold a secret-named key anywhere (checked without copying)? */
function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (!value || typeof value !== 'object') return false;
  for (const k in value as Record<string, unknown>) {
    if (SECRET_KEY.test(k) || holdsSecret((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function copyWithoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyWithoutSecrets) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(k)) continue;
    out[k] = copyWithoutSecrets(v);
  }
  return out as T;
}

const derivations = new WeakMap<object, Map<string, unknown>>();

/** Freezes a value in place, deeply (what is frozen already is left as it is). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * What `derive` makes of a response body (mapped models, an index), computed once per
 * body when the body is shared: an entry of the in-memory cross-request cache is frozen and
 * handed to every request that reads it, so what is derived from it is made once and shared
 * too (no mapping and no garbage per request). Any other body is derived for this caller
 * alone. `derive` must depend on the body only; `name` tells derivations apart. The result
 * itself is frozen, not the models in it: @apollo/subgraph writes `__typename` into what an
 * entity reference resolves to (the same value every time); nothing else may change them.
 */
export function derivedOnce<B, R>(body: B, name: string, derive: (body: B) => R, freeze = true): R {
  if (!body || typeof body !== 'object' || !Object.isFrozen(body)) return derive(body);
  let byName = derivations.get(body);
  if (!byName) derivations.set(body, (byName = new Map()));
  if (!byName.has(name)) {
    const derived = derive(body);
    byName.set(name, freeze ? Object.freeze(derived) : derived);
  }
  return byName.get(name) as R;
}

/**
 * The model of one row of a shared (frozen) body, made once and shared (not frozen: see
 * derivedOnce); of any other row, made for this caller.
 */
export const modelOnce = <B, R>(row: B, name: string, make: (row: B) => R): R => derivedOnce(row, name, make, false);

/**
 * The payload without its secret-named keys. Most payloads hold none: those are returned
 * as they are, with no copy (mapping every row used to deep-copy it for a `raw` few ask for).
 */
export function scrubRaw<T>(value: T): T {
  return holdsSecret(value) ? copyWithoutSecrets(value) : value;
}

/**
 * A JSON number or numeric string as a decimal string with at least two decimals, never
 * rounded through a float (0.0045 stays "0.0045"); null when it is not a number.
 */
export function decimal(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // The shortest round-trip form ("12.5"), already `-?digits[.digits]`; tiny values print as 1e-7: expand those.
    text = String(value);
    if (text.includes('e')) {
      text = value.toFixed(12).replace(/\.?0+$/, '');
      if (!DECIMAL.test(text)) return null;
    }
  } else {
    text = String(value).trim();
    if (!DECIMAL.test(text)) return null;
  }
  // At least two decimals (a money amount, every row of a page: no split, no template).
  const dot = text.indexOf('.');
  if (dot < 0) return text + '.00';
  return text.length - dot === 2 ? text + '0' : text;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Money from a number or decimal string and a currency, or null when either is missing. */
export function money(amount: unknown, currency: string | null | undefined) {
  const text = decimal(amount);
  if (text === null || !currency) return null;
  return { amount: text, currency };
}

// ---- lazy model fields ------------------------------------------------------------------

const ROW = Symbol('the vendor row');

/** Fields of a model made from its vendor row when read (see lazyFields). */
export type LazyFields<R, L> = L & { readonly [ROW]?: R };

/**
 * Model fields computed from the vendor row only when a query reads them (dates
 * normalised, `raw` scrubbed of secrets): getters on one prototype shared by every model
 * of a kind, reading the row the model keeps (`withLazy`). An object literal with getters
 * would do the same, but V8 builds such a literal on its slow path, with new closures per
 * object: about 1.2 µs a row against 0.08 µs (a 100-customer overview maps about 1,000
 * subscriptions a request). Worse, each such object gets a hidden class of its own in
 * the old generation, which keeps the row its getters close over alive through every
 * young-generation collection until a full one (see GraphContext.release). Like any
 * prototype getter, they are not own properties: a changed copy of a model is made with
 * `withChanges`, not a spread.
 */
export function lazyFields<R, L extends object>(getters: { [K in keyof L]: (row: R) => L[K] }): LazyFields<R, L> {
  const proto = {} as LazyFields<R, L>;
  for (const [name, get] of Object.entries(getters) as Array<[string, (row: R) => unknown]>) {
    Object.defineProperty(proto, name, {
      get(this: { [ROW]: R }) {
        return get(this[ROW]);
      },
      enumerable: true,
    });
  }
  return proto;
}

/** A model of `row` (M: the mapper's return type): its `fields`, and the `lazy` ones computed from the row when read. */
export function withLazy<M extends L, R, L extends object>(lazy: LazyFields<R, L>, row: R, fields: Omit<M, keyof L>): M {
  (fields as { [ROW]?: R })[ROW] = row;
  return Object.setPrototypeOf(fields, lazy) as M;
}

/** A copy of a model with some fields changed (and `without` one removed); its lazy fields (withLazy) still read its row. */
export function withChanges<M extends object>(model: M, changes: Partial<M>, without?: keyof M): M {
  const copy: Partial<M> = { ...model, ...changes };
  if (without !== undefined) delete copy[without];
  return Object.setPrototypeOf(copy, Object.getPrototypeOf(model)) as M;
}

/** A vendor value as a string; null when it is absent or empty. */
export const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** ISO-8601 in UTC, or null. */
const CANONICAL_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?Z$/;

export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  // Most vendor dates are UTC already: only the milliseconds may be missing (no Date object to make).
  if (CANONICAL_UTC.test(value)) return value.length === 24 ? value : `${value.slice(0, -1)}.000Z`;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs a vendor's health probe and times it. The probe resolves to a problem message, or
 * null when the vendor is fine; a thrown error is a failed check with its message.
 */
export async function timedHealthCheck(check: string, probe: () => Promise<string | null>): Promise<VendorHealthModel> {
  const started = performance.now();
  let message: string | null;
  try {
    message = await probe();
  } catch (error) {
    message = (error as Error).message;
  }
  return { ok: message === null, check, latencyMs: Math.round(performance.now() - started), message };
}

/** Shortcuts refused in this process, by vendor, API base URL and shortcut name. */
const refusedShortcuts = new Set<string>();

/**
 * An efficient request form that rests on an inferred vendor fact (e.g. Leader Cloud's
 * `$filter=id in (...)`), with the documented form as its fallback. In `auto` mode the
 * shortcut is tried until the vendor refuses it once; then that is remembered, logged once,
 * and the fallback is used from then on: for the process and every adapter of the same
 * vendor API (`api`, its base URL: other credential sets and tenants too, since what the
 * API refuses is the API's), or for this adapter when no `api` is given. `on` always uses
 * the shortcut (a refusal is an error), `off` never does.
 */
export class InferredShortcut {
  private refusedHere = false;
  private readonly key: string | undefined;

  constructor(
    readonly vendor: VendorName,
    readonly name: string,
    private readonly mode: ShortcutMode,
    /** Is this error the vendor saying it does not support the shortcut (e.g. a 400)? */
    private readonly isRefusal: (error: unknown) => boolean,
    api?: string,
  ) {
    this.key = api ? `${vendor} ${api.replace(/\/+$/, '').toLowerCase()} ${name}` : undefined;
  }

  private get refused(): boolean {
    return this.key ? refusedShortcuts.has(this.key) : this.refusedHere;
  }

  /** Should the shortcut be tried now? */
  get enabled(): boolean {
    return this.mode === 'on' || (this.mode === 'auto' && !this.refused);
  }

  /** Runs the shortcut while enabled, else (or once it is refused, in `auto`) the fallback. */
  async run<T>(shortcut: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!this.enabled) return fallback();
    try {
      return await shortcut();
    } catch (error) {
      if (this.mode !== 'auto' || !this.isRefusal(error)) throw error;
      if (!this.refused) {
        if (this.key) refusedShortcuts.add(this.key);
        else this.refusedHere = true;
        logger.warn(
          { vendor: this.vendor, shortcut: this.name, err: error instanceof Error ? error.message : String(error) },
          'vendor refused an inferred request form; using the documented form from now on',
        );
      }
      return fallback();
    }
  }
}

/**
 * Splits `values` into batches whose rendered text (`render(batch)`, e.g. a `$filter`
 * expression) stays within `maxChars` once URL-encoded. A single value longer than the
 * budget still gets a batch of its own.
 */
export function chunkByEncodedLength<T>(values: readonly T[], render: (batch: readonly T[]) => string, maxChars: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  for (const value of values) {
    const candidate = [...current, value];
    if (current.length > 0 && encodeURIComponent(render(candidate)).length > maxChars) {
      batches.push(current);
      current = [value];
    } else {
      current = candidate;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}
