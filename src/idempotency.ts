/**
 * Idempotency keys for writes that create or buy something. The same key with the same
 * input answers with the first outcome (success or failure, even while the first call is
 * still running) and sends nothing upstream again; the same key with a different input is
 * refused with IDEMPOTENCY_KEY_REUSED. Keys live 24 hours. The store is in memory (one
 * process); it is scoped per operation and vendor so that keys of unrelated writes never
 * collide.
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';

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

export class IdempotencyStore {
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
    if (!validIdempotencyKey(key)) {
      throw new GraphQLError('Invalid idempotencyKey: use 8 to 255 printable ASCII characters (a UUID is ideal).', {
        extensions: { code: 'BAD_USER_INPUT', argument: 'idempotencyKey' },
      });
    }
    this.purge();
    const id = `${scope}\u0000${key}`;
    const print = fingerprint(input);
    const existing = this.entries.get(id);
    if (existing) {
      if (existing.fingerprint !== print) {
        throw new GraphQLError('This idempotencyKey was already used with a different input: use a new key for a new request.', {
          extensions: { code: 'IDEMPOTENCY_KEY_REUSED' },
        });
      }
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
