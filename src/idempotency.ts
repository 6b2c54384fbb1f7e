/**
 * Idempotency keys for writes that create or buy something. The same key with the same
 * input answers with the first outcome (success or failure, even while the first call is
 * still running) and sends nothing upstream again; the same key with a different input is
 * refused with IDEMPOTENCY_KEY_REUSED. Keys live 24 hours, scoped per operation and vendor
 * so that keys of unrelated writes never collide (and per tenant: each tenant has its own
 * store or key prefix). In memory by default (one process); with `REDIS_URL`, in Redis, so
 * every instance of the gateway sharing it answers a replay with the first outcome.
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { UpstreamError, type UpstreamCode } from './errors.js';
import type { VendorName } from './model.js';

/** What the resolvers use: one write per (scope, key, input). */
export interface IdempotencyKeys {
  run<T>(scope: string, key: string | null | undefined, input: unknown, write: () => Promise<T>): Promise<T>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Above this many live keys the oldest are dropped first (bounded memory). */
const MAX_KEYS = 50_000;

interface Entry {
  fingerprint: string;
  outcome: Promise<unknown>;
  expiresAt: number;
}

/** A stable hash of a JSON value: object keys sorted, so `{a,b}` and `{b,a}` match. */
export function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, canonical(x)]),
      );
    }
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canonical(value) ?? null)).digest('base64url');
}

export function validIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{8,255}$/.test(key);
}

function checkKey(key: string): void {
  if (!validIdempotencyKey(key)) {
    throw new GraphQLError('Invalid idempotencyKey: use 8 to 255 printable ASCII characters (a UUID is ideal).', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'idempotencyKey' },
    });
  }
}

function reused(): GraphQLError {
  return new GraphQLError('This idempotencyKey was already used with a different input: use a new key for a new request.', {
    extensions: { code: 'IDEMPOTENCY_KEY_REUSED' },
  });
}

export class IdempotencyStore implements IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = DAY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Runs `write` once per (scope, key). Without a key it simply runs. `input` is what makes
   * two calls "the same": compared by fingerprint.
   */
  async run<T>(scope: string, key: string | null | undefined, input: unknown, write: () => Promise<T>): Promise<T> {
    if (!key) return write();
    checkKey(key);
    this.purge();
    const id = `${scope}\u0000${key}`;
    const print = fingerprint(input);
    const existing = this.entries.get(id);
    if (existing) {
      if (existing.fingerprint !== print) throw reused();
      return existing.outcome as Promise<T>;
    }
    const outcome = write();
    // The outcome is kept whatever it is: a failed write may still have happened upstream.
    outcome.catch(() => undefined);
    this.entries.set(id, { fingerprint: print, outcome, expiresAt: this.now() + this.ttlMs });
    return outcome;
  }

  get size(): number {
    return this.entries.size;
  }

  private purge(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      // Insertion order is expiry order (one TTL for all): stop at the first live entry.
      if (entry.expiresAt > now && this.entries.size < MAX_KEYS) break;
      this.entries.delete(id);
    }
  }
}

/** An outcome as stored in Redis: the result, or the error (an UpstreamError keeps its kind). */
type Stored =
  | { f: string; state: 'pending' }
  | { f: string; state: 'done'; result: unknown }
  | { f: string; state: 'failed'; message: string; upstream?: { vendor: VendorName; status: number | null; code: UpstreamCode; retryAfter: number | null }; extensions?: Record<string, unknown> };

function revive(stored: Extract<Stored, { state: 'failed' }>): Error {
  if (stored.upstream) {
    const u = stored.upstream;
    const error = new UpstreamError(u.vendor, u.status, u.code, 'replayed', u.retryAfter);
    error.message = stored.message;
    return error;
  }
  return new GraphQLError(stored.message, { extensions: stored.extensions ?? { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * Idempotency keys in Redis, shared by every gateway instance on it: `SET NX` claims a key
 * (pending), the first outcome replaces it, and a replay waits for a pending first call
 * (polling, bounded) before answering with its outcome.
 */
export class RedisIdempotencyStore implements IdempotencyKeys {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'cg:idem:',
    private readonly ttlSeconds = DAY_MS / 1000,
    private readonly waitMs = 60_000,
  ) {}

  async run<T>(scope: string, key: string | null | undefined, input: unknown, write: () => Promise<T>): Promise<T> {
    if (!key) return write();
    checkKey(key);
    const id = `${this.prefix}${createHash('sha256').update(`${scope}\u0000${key}`).digest('base64url')}`;
    const f = fingerprint(input);
    const claimed = await this.redis.set(id, JSON.stringify({ f, state: 'pending' } satisfies Stored), 'EX', this.ttlSeconds, 'NX');
    if (claimed === 'OK') {
      try {
        const result = await write();
        await this.redis.set(id, JSON.stringify({ f, state: 'done', result } satisfies Stored), 'KEEPTTL');
        return result;
      } catch (error) {
        const failed: Stored =
          error instanceof UpstreamError
            ? { f, state: 'failed', message: error.message, upstream: { vendor: error.vendor, status: error.status, code: error.upstreamCode, retryAfter: error.retryAfterSeconds } }
            : { f, state: 'failed', message: error instanceof Error ? error.message : String(error), extensions: error instanceof GraphQLError ? { ...error.extensions } : undefined };
        // The outcome is kept whatever it is: a failed write may still have happened upstream.
        await this.redis.set(id, JSON.stringify(failed), 'KEEPTTL');
        throw error;
      }
    }
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const text = await this.redis.get(id);
      if (!text) return this.run(scope, key, input, write); // expired meanwhile: a new first call
      const stored = JSON.parse(text) as Stored;
      if (stored.f !== f) throw reused();
      if (stored.state === 'done') return stored.result as T;
      if (stored.state === 'failed') throw revive(stored);
      if (Date.now() > deadline) {
        throw new GraphQLError('The first request with this idempotencyKey is still running: retry later with the same key.', { extensions: { code: 'IDEMPOTENCY_KEY_IN_USE' } });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
