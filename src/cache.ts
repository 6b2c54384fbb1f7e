/**
 * A cross-request cache of upstream GET responses. In memory by default (bounded in bytes,
 * least recently used out first); in Redis when `REDIS_URL` is set, so every instance shares
 * entries and invalidations.
 *
 * Keys carry the vendor, a fingerprint of the credential set (base URL and account names,
 * hashed: never a secret), the tenant, and the vendor's write generation. Every write a
 * client sends (any non-GET) bumps that vendor's generation once it has an answer, so the
 * next read of anything at that vendor is fresh: coarse, but always correct, including the
 * side effects a write has on other resources (an order that creates subscriptions). What
 * changes at the vendor by itself is bounded by the TTL of its resource class; polled
 * resources (order execution status, quantity requests, reports) are never cached. A request
 * with `Cache-Control: no-cache` reads fresh (and refreshes the entry).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { metrics } from './metrics.js';
import { deepFreeze } from './vendors/shared.js';

export interface CacheTtls {
  /** Products, prices, plans, services, price lists. */
  catalogueMs: number;
  /** Customers, organizations, resellers, accounts and their details. */
  accountsMs: number;
  /** Everything else: subscriptions, orders, invoices. */
  activityMs: number;
}

export const DEFAULT_TTLS: CacheTtls = { catalogueMs: 10 * 60_000, accountsMs: 5 * 60_000, activityMs: 30_000 };

export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
}

interface Store {
  /** The value stored under `key`: parsed, and frozen (shared by every reader). */
  get(key: string): Promise<unknown>;
  /** Stores `value`; `json` is its JSON text (what Redis keeps, and the in-memory size). */
  set(key: string, value: unknown, json: string, ttlMs: number): Promise<void>;
  generation(scope: string): Promise<number>;
  bump(scope: string): Promise<void>;
}

/**
 * In memory, entries are kept parsed: a hit costs no JSON parse and no copy, and returns the
 * same frozen object to every reader (mappers never write into a response body; a write
 * would throw). The byte bound counts each entry's JSON text.
 */
class MemoryStore implements Store {
  private readonly entries: LRUCache<string, { value: unknown }>;
  private readonly generations = new Map<string, number>();

  constructor(maxBytes: number, onEvict: (key: string) => void) {
    this.entries = new LRUCache<string, { value: unknown }, unknown>({
      maxSize: maxBytes,
      ttlAutopurge: false,
      dispose: (_value, key, reason) => {
        if (reason === 'evict') onEvict(key);
      },
    });
  }
  async get(key: string) {
    return this.entries.get(key)?.value;
  }
  async set(key: string, value: unknown, json: string, ttlMs: number) {
    this.entries.set(key, { value: deepFreeze(value) }, { ttl: ttlMs, size: json.length + key.length });
  }
  async generation(scope: string) {
    return this.generations.get(scope) ?? 0;
  }
  async bump(scope: string) {
    this.generations.set(scope, (this.generations.get(scope) ?? 0) + 1);
  }
}

class RedisStore implements Store {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'cg:cache:',
  ) {}
  async get(key: string) {
    const text = await this.redis.get(this.prefix + key);
    return text === null ? undefined : (JSON.parse(text) as unknown);
  }
  async set(key: string, _value: unknown, json: string, ttlMs: number) {
    await this.redis.set(this.prefix + key, json, 'PX', ttlMs);
  }
  async generation(scope: string) {
    return Number((await this.redis.get(`${this.prefix}gen:${scope}`)) ?? 0);
  }
  async bump(scope: string) {
    await this.redis.incr(`${this.prefix}gen:${scope}`);
  }
}

/** The resource class of a vendor path, for its TTL; null for what must never be cached. */
export function ttlOf(path: string, ttls: CacheTtls): number | null {
  const p = path.toLowerCase();
  if (/execute\/status|quantityrequest|\/reports?(\/|$)|^reports|billing\/reports|async/.test(p)) return null;
  if (/(^|\/)(products|plans|services|pricelist|pricing|estore|billingfrequencyoptions|externalprices|characteristics|organization\/)/.test(p)) return ttls.catalogueMs;
  if (/(^|\/)(accounts|customers|organizations|resellers)(\/[^/]+)?(\/(customfields|billingaddress))?$/.test(p)) return ttls.accountsMs;
  return ttls.activityMs;
}

/** The vendor part of an identity or key (`LEADERCLOUD:…`). */
const vendorOf = (identityOrKey: string) => identityOrKey.split(':')[0] ?? 'unknown';

export class ResponseCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, evictions: 0 };
  private readonly store: Store;

  constructor(options: { redis?: Redis; maxBytes?: number; ttls?: Partial<CacheTtls> } = {}) {
    this.ttls = { ...DEFAULT_TTLS, ...options.ttls };
    this.store = options.redis
      ? new RedisStore(options.redis)
      : new MemoryStore(options.maxBytes ?? 64 * 2 ** 20, (key) => {
          this.stats.evictions++;
          metrics.cache.eviction(vendorOf(key));
        });
  }

  readonly ttls: CacheTtls;

  /** A fingerprint of a credential set: never the secret itself. */
  static identity(vendor: string, parts: readonly (string | undefined)[]): string {
    return `${vendor}:${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22)}`;
  }

  /**
   * A GET through the cache: `load` on a miss (or when `fresh`), stored for its class's TTL
   * unless `store` is false (the client's `no-store`: neither read nor written).
   */
  async read<T>(identity: string, tenant: string | undefined, path: string, query: string, mode: { fresh: boolean; store: boolean }, load: () => Promise<T>): Promise<T> {
    const ttl = ttlOf(path, this.ttls);
    if (ttl === null || ttl <= 0 || !mode.store) return load();
    const fresh = mode.fresh;
    const generation = await this.store.generation(identity);
    const key = `${identity}:${tenant ?? '-'}:${generation}:${path}?${query}`;
    if (!fresh) {
      const hit = await this.store.get(key);
      if (hit !== undefined) {
        this.stats.hits++;
        metrics.cache.hit(vendorOf(identity));
        return hit as T;
      }
    }
    this.stats.misses++;
    metrics.cache.miss(vendorOf(identity));
    const value = await load();
    // Stored only if no write bumped the generation meanwhile (else it may be stale already).
    // In memory the value itself is stored, frozen: the caller that loaded it gets it frozen too, like every later reader.
    if ((await this.store.generation(identity)) === generation) await this.store.set(key, value ?? null, JSON.stringify(value ?? null), ttl);
    return value;
  }

  /** After a write: everything cached for this credential set is stale. */
  async invalidate(identity: string): Promise<void> {
    await this.store.bump(identity);
  }
}
