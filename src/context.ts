/**
 * The per-request context: the configured vendor adapters, one session (with its own
 * DataLoaders) per vendor opened lazily for this request, and the non-fatal errors
 * (a vendor down in a cross-vendor list) that are appended to the response.
 */
import type { GraphQLError } from 'graphql';
import { vendorNotConfigured } from './errors.js';
import { IdempotencyStore, type IdempotencyKeys } from './idempotency.js';
import { SCOPES, type Principal } from './auth.js';
import type { VendorName } from './model.js';
import type { VendorAdapter, VendorSession } from './vendors/types.js';

export interface GraphContext {
  adapters: ReadonlyMap<VendorName, VendorAdapter>;
  /** The session of a vendor for this request; throws VENDOR_NOT_CONFIGURED if absent. */
  session(vendor: VendorName): VendorSession;
  /** Errors to report next to partial data. */
  warnings: GraphQLError[];
  /** Idempotency keys of writes (one store per server, shared by its requests). */
  idempotency: IdempotencyKeys;
  /** Who is calling (every scope when auth is off). */
  principal: Principal;
  /** Multi-tenant mode: the tenant whose adapters serve this request. */
  tenant?: string;
  /** This request started a vendor login as its execution started (prefetch.ts): it waits a round trip for it (executor.ts compiles meanwhile). */
  awaitsLogin?: boolean;
  /**
   * Drops this request's sessions (their loaders and all they read) once its response is
   * sent (server.ts). Something may still reach a finished request's context for a while:
   * Apollo's gateway request context, which carries it, has a getter (a closure of the
   * request), and V8 keeps each object with its own accessor in a hidden class of its own in
   * the old generation, so what the closure reaches survives the young-generation
   * collections until a full one. Without the sessions, what survives is a few objects
   * instead of the vendor payloads (a no-cache 100-customer overview promoted 430 KB a
   * request; 160 KB once released). A session asked for afterwards is a new one.
   */
  release(): void;
  /** What `make` gives, made once for this request under `key` and dropped on release (e.g. the join's whole customer lists). */
  memo<T>(key: symbol, make: () => T): T;
}

const ANONYMOUS: Principal = { name: 'anonymous', scopes: new Set(SCOPES), router: false };

export function createContext(
  adapters: ReadonlyMap<VendorName, VendorAdapter>,
  idempotency: IdempotencyKeys = new IdempotencyStore(),
  principal: Principal = ANONYMOUS,
  tenant?: string,
): GraphContext {
  const sessions = new Map<VendorName, VendorSession>();
  const memos = new Map<symbol, unknown>();
  return {
    adapters,
    warnings: [],
    idempotency,
    principal,
    tenant,
    awaitsLogin: false,
    release() {
      sessions.clear();
      memos.clear();
    },
    memo<T>(key: symbol, make: () => T): T {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
    session(vendor) {
      let session = sessions.get(vendor);
      if (!session) {
        const adapter = adapters.get(vendor);
        if (!adapter) throw vendorNotConfigured(vendor);
        session = adapter.session();
        sessions.set(vendor, session);
      }
      return session;
    },
  };
}
