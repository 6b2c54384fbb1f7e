/**
 * How many calls at once go to a vendor account: one limit per vendor and credential set,
 * whatever the number of GraphQL requests. Adaptive: a rate-limited answer halves it, it
 * grows back by one after as many successes as its current value, and while the vendor has
 * said "retry after N s" new calls wait instead of hammering it.
 *
 * In process by default (AdaptiveLimit). With Redis (SharedLimits, `REDIS_URL`), the limit
 * holds across every instance sharing that Redis (SharedLimit): each call holds a lease in a
 * sorted set per credential fingerprint (`cg:limit:{<identity>}:leases`, never a secret),
 * the current (adapted) limit and the Retry-After pause live next to it in a hash
 * (`…:state`), and Lua scripts on Redis's own clock take and give back leases atomically.
 * A lease expires unless its holder refreshes it, so a process that dies frees its slots
 * within `leaseMs`. One round trip to take a slot and one to give it back; a waiting
 * instance asks again when one of its own calls ends or at most every 50 ms (one request,
 * however many calls wait). If Redis is unreachable the limit is per instance (logged once)
 * until Redis answers again: a GraphQL request never fails because Redis is down.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import pLimit, { type LimitFunction } from 'p-limit';
import { logger } from '../logger.js';

/** What VendorHttp needs of a concurrency limit. */
export interface ConcurrencyLimit {
  readonly max: number;
  /** The limit now (after halvings and growth). */
  readonly current: number;
  /** Calls running now through this limit in this process. */
  readonly active: number;
  /** Runs `fn` once a slot is free and no Retry-After pause is on (waiting stops early if `signal` aborts). */
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The vendor answered "rate limited" (asking to wait `retryAfterMs`, if it said so). */
  rateLimited(retryAfterMs?: number): void;
  succeeded(): void;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A concurrency limit that halves on a rate limit and grows back by one per `current` successes, up to `max`. */
export class AdaptiveLimit implements ConcurrencyLimit {
  private readonly run: LimitFunction;
  private successes = 0;
  /** Until when (epoch ms) the vendor asked not to be called (Retry-After). */
  private pausedUntil = 0;

  constructor(readonly max: number) {
    this.run = pLimit(Math.max(1, max));
  }

  get current(): number {
    return this.run.concurrency;
  }

  get active(): number {
    return this.run.activeCount;
  }

  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run(async () => {
      // A later rate limit may extend the pause while waiting.
      while (Date.now() < this.pausedUntil && !signal?.aborted) await sleep(this.pausedUntil - Date.now(), signal);
      return fn();
    });
  }

  rateLimited(retryAfterMs = 0): void {
    this.run.concurrency = Math.max(1, Math.floor(this.run.concurrency / 2));
    this.successes = 0;
    if (retryAfterMs > 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
  }

  succeeded(): void {
    if (this.run.concurrency >= this.max) return;
    if (++this.successes >= this.run.concurrency) {
      this.run.concurrency += 1;
      this.successes = 0;
    }
  }
}

// ---- Redis ----------------------------------------------------------------------------

/** Redis's clock in ms (every instance sees the same one). */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: leases, state. ARGV: lease id, max, lease ms. 1: taken; 0: every slot is held;
 * negative: paused by a Retry-After for that many more ms.
 */
const ACQUIRE = `${NOW}
local pause = tonumber(redis.call('HGET', KEYS[2], 'pause') or '0')
if pause > now then return now - pause end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local max = tonumber(ARGV[2])
local cur = math.min(max, tonumber(redis.call('HGET', KEYS[2], 'cur') or ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= cur then return 0 end
local lease = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 1`;

/** KEYS: leases, state. ARGV: lease id, successes since the last release, max, state ttl ms. Growth: one per `cur` successes. */
const RELEASE = `redis.call('ZREM', KEYS[1], ARGV[1])
local ok = tonumber(ARGV[2])
if ok <= 0 then return 0 end
local max = tonumber(ARGV[3])
local cur = tonumber(redis.call('HGET', KEYS[2], 'cur') or ARGV[3])
if cur >= max then return 0 end
if redis.call('HINCRBY', KEYS[2], 'ok', ok) >= cur then redis.call('HSET', KEYS[2], 'cur', cur + 1, 'ok', 0) end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`;

/** KEYS: state. ARGV: max, pause ms, state ttl ms. Halves the shared limit; returns it. */
const RATE_LIMITED = `${NOW}
local max = tonumber(ARGV[1])
local cur = math.max(1, math.floor(math.min(max, tonumber(redis.call('HGET', KEYS[1], 'cur') or ARGV[1])) / 2))
redis.call('HSET', KEYS[1], 'cur', cur, 'ok', 0)
local untilMs = now + tonumber(ARGV[2])
if untilMs > now and untilMs > tonumber(redis.call('HGET', KEYS[1], 'pause') or '0') then redis.call('HSET', KEYS[1], 'pause', untilMs) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return cur`;

/** KEYS: leases. ARGV: lease ms, lease ids… Extends the leases still held (an expired one is not taken again). */
const REFRESH = `${NOW}
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 1`;

interface Script {
  lua: string;
  sha: string;
}
const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });
const SCRIPTS = { acquire: script(ACQUIRE), release: script(RELEASE), rateLimited: script(RATE_LIMITED), refresh: script(REFRESH) };

const POLL_MIN_MS = 5;
const POLL_MAX_MS = 50;

export interface SharedLimitsOptions {
  /** How long a slot stays taken without a refresh (a dead process's slots free after this). Default 10 s. */
  leaseMs?: number;
  /** A Redis command slower than this counts as Redis being unreachable. Default 1 s. */
  commandTimeoutMs?: number;
  /** How long the adapted limit and a pause are remembered without activity. Default 10 min. */
  stateTtlMs?: number;
}

/**
 * The concurrency limits of one process, shared through Redis with every instance using the
 * same Redis: one SharedLimit per credential fingerprint (a vendor's `cache.identity`).
 * The connection is the caller's (it closes it); `close()` stops the lease refreshes.
 */
export class SharedLimits {
  readonly leaseMs: number;
  readonly commandTimeoutMs: number;
  readonly stateTtlMs: number;
  private readonly limits = new Map<string, SharedLimit>();
  private down = false;
  /** After a failed or slow command, Redis is not asked again before this (epoch ms). */
  private retryAt = 0;

  constructor(
    readonly redis: Redis,
    options: SharedLimitsOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1_000;
    this.stateTtlMs = options.stateTtlMs ?? 600_000;
    redis.on('error', (error: Error) => this.unreachable(error));
  }

  /** The limit of a credential set (one per identity and maximum in this process). */
  limitFor(identity: string, max: number): SharedLimit {
    const key = `${identity}\u0000${max}`;
    let limit = this.limits.get(key);
    if (!limit) this.limits.set(key, (limit = new SharedLimit(this, identity, max)));
    return limit;
  }

  /** Stops refreshing leases (they expire); the connection stays the caller's. */
  close(): void {
    for (const limit of this.limits.values()) limit.stop();
  }

  /** Runs a script, or resolves `undefined` when Redis is not connected, fails or is too slow (then logged once). */
  async run(name: keyof typeof SCRIPTS, keys: string[], args: Array<string | number>): Promise<number | undefined> {
    const status = this.redis.status;
    if (status !== 'ready') {
      // Still connecting at start-up is not an outage (a failed connection emits an error).
      if (status !== 'wait' && status !== 'connecting') this.unreachable(new Error(`connection ${status}`));
      return undefined;
    }
    if (Date.now() < this.retryAt) return undefined;
    const { lua, sha } = SCRIPTS[name];
    const send = async () => {
      try {
        return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.redis.eval(lua, keys.length, ...keys, ...args);
        throw error;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        send(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
        }),
      ]);
      if (this.down) {
        this.down = false;
        logger.info('redis reachable again: vendor concurrency limits are shared by every instance again');
      }
      return Number(answer);
    } catch (error) {
      this.retryAt = Date.now() + 1_000;
      this.unreachable(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private unreachable(error: unknown): void {
    if (this.down) return;
    this.down = true;
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'redis unreachable: vendor concurrency limits are per instance until it answers again');
  }
}

interface Waiter {
  resolve: (lease: string | undefined) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * The limit of one credential set across every instance sharing a Redis. Calls first take
 * a slot of this instance's own AdaptiveLimit (so it never exceeds `max` by itself, and is
 * the limit when Redis is unreachable), then a lease in Redis. Halving and growth apply to
 * both: the shared limit in Redis adapts to the rate limits and successes of every instance.
 */
export class SharedLimit implements ConcurrencyLimit {
  private readonly local: AdaptiveLimit;
  private readonly keys: [leases: string, state: string];
  /** Leases this process holds now (refreshed every leaseMs / 3). */
  private readonly held = new Set<string>();
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  private wake?: () => void;
  /** One of our leases went back while an attempt was under way: try again at once. */
  private freed = false;
  private refresher?: NodeJS.Timeout;
  /** Successes not yet reported to Redis (sent with the next release). */
  private successes = 0;

  constructor(
    private readonly shared: SharedLimits,
    identity: string,
    readonly max: number,
  ) {
    this.local = new AdaptiveLimit(max);
    // One hash tag: both keys in one Redis Cluster slot, as a script needs.
    this.keys = [`cg:limit:{${identity}}:leases`, `cg:limit:{${identity}}:state`];
  }

  get current(): number {
    return this.local.current;
  }

  get active(): number {
    return this.local.active;
  }

  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.local.schedule(async () => {
      const lease = await this.acquire(signal);
      try {
        return await fn();
      } finally {
        if (lease) this.release(lease);
      }
    }, signal);
  }

  rateLimited(retryAfterMs = 0): void {
    this.local.rateLimited(retryAfterMs);
    void this.shared.run('rateLimited', [this.keys[1]], [this.max, Math.max(0, Math.round(retryAfterMs)), this.shared.stateTtlMs]);
  }

  succeeded(): void {
    this.local.succeeded();
    this.successes++;
  }

  stop(): void {
    clearInterval(this.refresher);
    this.refresher = undefined;
  }

  /** A lease id once Redis gave a slot; undefined when Redis is unreachable (the local limit alone then) or `signal` aborted. */
  private acquire(signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, signal };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          resolve(undefined);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      void this.pump();
    });
  }

  /** One attempt at a time for the first waiter, whatever the number of waiting calls. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    let poll = POLL_MIN_MS;
    try {
      while (this.waiters.length) {
        const id = randomUUID();
        this.freed = false;
        const answer = await this.shared.run('acquire', this.keys, [id, this.max, this.shared.leaseMs]);
        if (answer === undefined) {
          // Redis unreachable: every waiting call goes on under the local limit alone.
          for (const waiter of this.waiters.splice(0)) this.serve(waiter, undefined);
          continue;
        }
        if (answer === 1) {
          const waiter = this.waiters.shift();
          if (waiter) {
            this.hold(id);
            this.serve(waiter, id);
          } else {
            // Its caller went away meanwhile: the lease goes back at once.
            void this.shared.run('release', this.keys, [id, 0, this.max, this.shared.stateTtlMs]);
          }
          poll = POLL_MIN_MS;
          continue;
        }
        if (answer === 0 && this.freed) continue;
        // Paused by a Retry-After (negative), or full: wait for one of our calls to end, or poll.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, answer < 0 ? -answer : poll * (0.5 + Math.random()));
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.wake = done;
        });
        this.wake = undefined;
        poll = Math.min(POLL_MAX_MS, poll * 2);
      }
    } finally {
      this.pumping = false;
    }
  }

  private serve(waiter: Waiter, lease: string | undefined): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(lease);
  }

  private hold(id: string): void {
    this.held.add(id);
    if (this.refresher) return;
    this.refresher = setInterval(() => {
      if (!this.held.size) return this.stop();
      void this.shared.run('refresh', [this.keys[0]], [this.shared.leaseMs, ...this.held]);
    }, Math.max(50, Math.floor(this.shared.leaseMs / 3)));
    this.refresher.unref();
  }

  private release(id: string): void {
    this.held.delete(id);
    const successes = this.successes;
    this.successes = 0;
    // Sent before the next attempt on the same connection, so Redis sees the slot free first.
    void this.shared.run('release', this.keys, [id, successes, this.max, this.shared.stateTtlMs]);
    this.freed = true;
    this.wake?.();
  }
}

// ---- which limit a new client gets ----------------------------------------------------

const building = new AsyncLocalStorage<SharedLimits>();

/** Runs `build` (the construction of vendor adapters) so that the clients it creates share their limits through `limits`. */
export function withSharedLimits<T>(limits: SharedLimits | undefined, build: () => T): T {
  return limits ? building.run(limits, build) : build();
}

/**
 * The limit of a new vendor client: shared through Redis when adapters are being built
 * with SharedLimits and the client has a credential fingerprint (`identity`), else its own
 * in-process AdaptiveLimit.
 */
export function limitFor(max: number, identity: string | undefined): ConcurrencyLimit {
  const shared = building.getStore();
  return shared && identity ? shared.limitFor(identity, max) : new AdaptiveLimit(max);
}
