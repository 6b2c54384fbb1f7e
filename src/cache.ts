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
import { outsideRequest } from './http/deadline.js';
import { logger } from './logger.js';
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
  /** Hits past their TTL, answered while a background read refreshes them (stale-while-revalidate). */
  stale: number;
}

/** What is stored: the vendor's answer and when it was read (ms since the epoch). */
interface Entry {
  v: unknown;
  at: number;
}

interface Store {
  /** The entry stored under `key`, parsed (in memory: frozen, one object for every reader). */
  get(key: string): Promise<Entry | undefined>;
  /** Stores `value`; `json` is its JSON text (what Redis keeps, and the in-memory size). */
  set(key: string, value: Entry, json: string, ttlMs: number): Promise<void>;
  generation(scope: string): Promise<number>;
  bump(scope: string): Promise<void>;
}

/**
 * In memory, entries are kept parsed: a hit costs no JSON parse and no copy, and returns the
 * same frozen object to every reader (mappers never write into a response body; a write
 * would throw). The byte bound counts each entry's JSON text.
 */
class MemoryStore implements Store {
  private readonly entries: LRUCache<string, Entry>;
  private readonly generations = new Map<string, number>();

  constructor(maxBytes: number, onEvict: (key: string) => void) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      ttlAutopurge: false,
      dispose: (_value, key, reason) => {
        if (reason === 'evict') onEvict(key);
      },
    });
  }
  async get(key: string) {
    return this.entries.get(key);
  }
  async set(key: string, value: Entry, json: string, ttlMs: number) {
    this.entries.set(key, deepFreeze(value), { ttl: ttlMs, size: json.length + key.length });
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
    return text === null ? undefined : (JSON.parse(text) as Entry);
  }
  async set(key: string, _value: Entry, json: string, ttlMs: number) {
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
  readonly stats: CacheStats = { hits: 0, misses: 0, evictions: 0, stale: 0 };
  private readonly store: Store;
  /** How long past its TTL an entry may still answer while it is read again in the background (0: never). */
  readonly staleMs: number;
  /** Keys being refreshed in the background (one refresh per key at a time). */
  private readonly refreshing = new Set<string>();

  constructor(options: { redis?: Redis; maxBytes?: number; ttls?: Partial<CacheTtls>; staleMs?: number } = {}) {
    this.ttls = { ...DEFAULT_TTLS, ...options.ttls };
    this.staleMs = Math.max(0, options.staleMs ?? 0);
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
   * unless `store` is false (the client's `no-store`: neither read nor written). With
   * `staleMs`, an entry past its TTL (by at most `staleMs`) still answers at once, and one
   * background read (outside the request: no deadline of its own) replaces it.
   */
  async read<T>(identity: string, tenant: string | undefined, path: string, query: string, mode: { fresh: boolean; store: boolean }, load: () => Promise<T>): Promise<T> {
    const ttl = ttlOf(path, this.ttls);
    if (ttl === null || ttl <= 0 || !mode.store) return load();
    const generation = await this.store.generation(identity);
    const key = `${identity}:${tenant ?? '-'}:${generation}:${path}?${query}`;
    if (!mode.fresh) {
      const hit = await this.store.get(key);
      if (hit !== undefined) {
        this.stats.hits++;
        metrics.cache.hit(vendorOf(identity));
        if (Date.now() - hit.at > ttl) {
          this.stats.stale++;
          this.revalidate(identity, key, generation, ttl, load);
        }
        return hit.v as T;
      }
    }
    this.stats.misses++;
    metrics.cache.miss(vendorOf(identity));
    const value = await load();
    await this.keep(identity, key, generation, ttl, value);
    return value;
  }

  /**
   * Stores a vendor answer, only if no write bumped the generation meanwhile (else it may be
   * stale already). In memory the value itself is stored, frozen: the caller that loaded it
   * gets it frozen too, like every later reader.
   */
  private async keep(identity: string, key: string, generation: number, ttl: number, value: unknown): Promise<void> {
    if ((await this.store.generation(identity)) !== generation) return;
    const entry: Entry = { v: value ?? null, at: Date.now() };
    await this.store.set(key, entry, JSON.stringify(entry), ttl + this.staleMs);
  }

  /** Background refreshes under way. */
  get refreshes(): number {
    return this.refreshing.size;
  }

  private revalidate(identity: string, key: string, generation: number, ttl: number, load: () => Promise<unknown>): void {
    if (this.refreshing.has(key)) return;
    this.refreshing.add(key);
    void outsideRequest(async () => {
      try {
        await this.keep(identity, key, generation, ttl, await load());
      } catch (error) {
        // The stale entry keeps answering until it expires; the next stale hit tries again.
        logger.warn({ vendor: vendorOf(identity), err: error instanceof Error ? error.message : String(error) }, 'cache: background refresh failed');
      } finally {
        this.refreshing.delete(key);
      }
    });
  }

  /** After a write: everything cached for this credential set is stale. */
  async invalidate(identity: string): Promise<void> {
    await this.store.bump(identity);
  }
}
