/**
 * A cached upstream access token: fetched on first use, reused until shortly before it
 * expires, refreshed by exactly one request however many callers wait (single flight),
 * and dropped when the vendor answers 401 so the next caller fetches a fresh one.
 */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export class TokenCache {
  private current: { value: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly options: { now?: () => number } = {},
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A valid token, fetching one if none is cached or the cached one is about to expire. */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<string> {
    const issued = await this.fetchToken();
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
