/**
 * A cached upstream access token: fetched on first use, reused until shortly before it
 * expires, refreshed by exactly one request however many callers wait (single flight),
 * and dropped when the vendor answers 401 so the next caller fetches a fresh one.
 *
 * A token request the vendor refused (HTTP 4xx: bad credentials) is cached too (negative
 * cache): until its back-off ends, every caller gets the same error at once and no new
 * login is attempted, so bad credentials cannot lock the vendor account out. The back-off
 * grows with each consecutive refusal (1 s, 2 s, 4 s ... up to 5 minutes) and ends with the
 * first success. A vendor that is unreachable or failing (no answer, 5xx) is not cached:
 * the next caller tries again.
 */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export class TokenCache {
  private current: { value: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private failure: { error: unknown; retryAt: number; count: number } | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly options: { now?: () => number; backoffStartMs?: number; backoffMaxMs?: number } = {},
  ) {}

  /** Token requests sent since creation (for health and tests). */
  requests = 0;

  /** The cached token, if one is valid now (no request is made). */
  peek(): string | undefined {
    return this.current && this.now() < this.current.refreshAt ? this.current.value : undefined;
  }

  /** While a failed token request is backing off: when the next attempt may be made. */
  get backingOffUntil(): number | null {
    return this.failure && this.now() < this.failure.retryAt ? this.failure.retryAt : null;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A valid token, fetching one if none is cached or the cached one is about to expire. */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    if (this.failure && this.now() < this.failure.retryAt) throw this.failure.error;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<string> {
    this.requests++;
    let issued: IssuedToken;
    try {
      issued = await this.fetchToken();
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const count = (this.failure?.count ?? 0) + 1;
      const start = this.options.backoffStartMs ?? BACKOFF_START_MS;
      const delay = Math.min(this.options.backoffMaxMs ?? BACKOFF_MAX_MS, start * 2 ** (count - 1));
      this.failure = { error, retryAt: this.now() + delay, count };
      throw error;
    }
    this.failure = undefined;
    const lifetimeMs = Math.max(0, issued.expiresInSeconds) * 1000;
    // Refresh a minute early, or at 90% of a short lifetime.
    const margin = Math.min(60_000, lifetimeMs * 0.1);
    this.current = { value: issued.token, refreshAt: this.now() + lifetimeMs - margin };
    return issued.token;
  }

  /** Forgets `token` if it is still the cached one (another caller may have refreshed). */
  invalidate(token: string): void {
    if (this.current?.value === token) this.current = undefined;
  }
}

/** Did the vendor refuse the token request (a 4xx), rather than fail to answer it? */
function isRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  // A 429 is the vendor asking to slow down, not a verdict on the credentials.
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
}
