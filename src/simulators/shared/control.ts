/**
 * The knobs every simulator shares: a clock that tests can move forward, request counters,
 * injected latency and faults, and the token store (so tokens can be expired or revoked on
 * demand). One instance per simulated vendor.
 */
import { randomBytes } from 'node:crypto';

export interface LatencySettings {
  /** Every vendor answer's response time, in milliseconds: sent this long after its request arrived (or when built, if later). */
  fixedMs: number;
  /** A uniformly random extra delay of up to this many milliseconds. */
  jitterMs: number;
}

export interface FaultRule {
  /** HTTP status to answer with (429, 500, 503, ...). Omit for a pure slow-down. */
  status?: number;
  /** Seconds to put in `Retry-After` (429 and 503). */
  retryAfter?: number;
  /** Extra delay before answering (or before handling normally when no status is set). */
  delayMs?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only requests whose path matches this regular expression (case-insensitive). */
  path?: string;
  /** Apply to this many matching requests, then drop the rule. Unlimited when absent. */
  times?: number;
  /** Apply with this probability (0..1); 1 when absent. */
  probability?: number;
}

export interface RequestStats {
  total: number;
  /** Vendor requests being handled right now, and the most at once since the last reset. */
  inFlight: number;
  peakInFlight: number;
  /** Counts keyed by `METHOD /route/{template}`. */
  byRoute: Record<string, number>;
}

export type TokenCheck = 'valid' | 'expired' | 'revoked' | 'unknown';

/**
 * Which vendor behaviour a simulator follows. `documented` (the default everywhere)
 * accepts only what the vendor documents and answers everything else with the vendor's
 * real error; `extended` also serves what we infer (filters, fields, shortcuts) on top.
 */
export type SimProfile = 'documented' | 'extended';
export const SIM_PROFILES: readonly SimProfile[] = ['documented', 'extended'];

/** One request as a client sent it: method, path (no query) and the query parameter names. */
export interface RequestSignature {
  method: string;
  path: string;
  query: string[];
}

/** Request headers the simulators keep of each request received (correlation ids), see `received()`. */
export const RECORDED_HEADERS = ['x-request-id', 'x-correlation-id', 'traceparent'] as const;

/** One request received, with the RECORDED_HEADERS it carried. */
export interface ReceivedRequest extends RequestSignature {
  headers: Partial<Record<(typeof RECORDED_HEADERS)[number], string>>;
}

/** How many received requests `received()` keeps (the most recent). */
const RECEIVED_KEPT = 2000;

interface TokenRecord {
  subject: string;
  expiresAt: number;
  revoked: boolean;
}

/** At most `requests` vendor requests in any `perMs` milliseconds (simulated clock); more are throttled. */
export interface RateLimit {
  requests: number;
  perMs: number;
}

export interface SimControlOptions {
  latency?: Partial<LatencySettings>;
  faults?: FaultRule[];
  /** Override every token lifetime (seconds); the vendor's own lifetime otherwise. */
  tokenTtlSeconds?: number;
  /** Vendor behaviour: `documented` (default) or `extended`. */
  profile?: SimProfile;
  /** Throttle vendor requests above this rate (off when absent); each vendor answers in its own way. */
  rateLimit?: RateLimit;
  /**
   * Echo the request into every error body (status ≥ 400): its method, URL, headers
   * (Authorization and keys included), query string and body, as a careless vendor would.
   * Off by default; the secrets tests turn it on to prove the graph leaks none of it.
   */
  echoRequests?: boolean;
  /**
   * Credentials the simulator accepts instead of its demo ones, keyed like its
   * `credentials` (e.g. `{ clientSecret: '…', password: '…' }`). Values sent in request
   * headers (HTTP Basic included) and bodies are mapped to the demo values before the
   * vendor routes see them, so the vendor code keeps checking its own constants. Not for
   * values that appear in paths (Cloudmore's reseller id).
   */
  credentials?: Record<string, string>;
}

export class SimControl {
  private offsetMs = 0;
  private counts = new Map<string, number>();
  private total = 0;
  private inFlight = 0;
  private peakInFlight = 0;
  latency: LatencySettings;
  faults: FaultRule[];
  private tokens = new Map<string, TokenRecord>();
  readonly tokenTtlOverride: number | undefined;
  /** The vendor routes this simulator serves (method + `{param}` template). */
  readonly routes: Array<{ method: string; url: string }> = [];
  /** `documented` or `extended` vendor behaviour (see SimProfile). */
  readonly profile: SimProfile;
  /** Every distinct request received (method, path, query names), for client contract tests. */
  private signatures = new Map<string, RequestSignature>();
  /** The most recent requests received, with their correlation headers (see received()). */
  private receivedLog: ReceivedRequest[] = [];
  /** The request rate above which the vendor throttles (off when undefined). */
  rateLimit: RateLimit | undefined;
  /** When the requests admitted in the current rate window arrived (simulated clock). */
  private admitted: number[] = [];
  private throttledCount = 0;
  /** Error bodies carry the request that caused them (see SimControlOptions.echoRequests). */
  readonly echoRequests: boolean;

  constructor(options: SimControlOptions = {}) {
    this.echoRequests = options.echoRequests === true;
    this.profile = options.profile ?? 'documented';
    this.rateLimit = options.rateLimit ? { ...options.rateLimit } : undefined;
    this.latency = { fixedMs: options.latency?.fixedMs ?? 0, jitterMs: options.latency?.jitterMs ?? 0 };
    this.faults = [...(options.faults ?? [])];
    this.tokenTtlOverride = options.tokenTtlSeconds;
  }

  // ---- clock -------------------------------------------------------------------------
  /** The simulator's notion of now (real time plus any advance). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the simulated clock forward, e.g. to finish async work without waiting. */
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }

  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  // ---- request counting --------------------------------------------------------------
  count(method: string, route: string): void {
    const key = `${method.toUpperCase()} ${route}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  /**
   * Records the shape of a request a client sent (kept across resets of the counters) and,
   * given its headers, the request itself with its RECORDED_HEADERS (see `received()`).
   */
  record(method: string, url: string, headers?: Record<string, string | string[] | undefined>): void {
    const [path = '/', search = ''] = url.split('?', 2);
    const query = [...new Set([...new URLSearchParams(search).keys()])].sort();
    const signature = { method: method.toUpperCase(), path, query };
    this.signatures.set(`${signature.method} ${path}?${query.join('&')}`, signature);
    if (!headers) return;
    const kept: ReceivedRequest['headers'] = {};
    for (const name of RECORDED_HEADERS) {
      const value = headers[name];
      if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.receivedLog.push({ ...signature, headers: kept });
    if (this.receivedLog.length > RECEIVED_KEPT) this.receivedLog.splice(0, this.receivedLog.length - RECEIVED_KEPT);
  }

  /** The most recent requests received (up to 2,000, oldest first) with their correlation headers; emptied by resetStats. */
  received(): ReceivedRequest[] {
    return [...this.receivedLog];
  }

  /** The distinct requests received since start (see record). */
  requests(): RequestSignature[] {
    return [...this.signatures.values()];
  }

  /** A vendor request started; call `finished()` once it has been answered (or abandoned). */
  started(): void {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
  }

  finished(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  stats(): RequestStats {
    return {
      total: this.total,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      byRoute: Object.fromEntries([...this.counts.entries()].sort()),
    };
  }

  resetStats(): void {
    this.counts.clear();
    this.receivedLog = [];
    this.total = 0;
    this.peakInFlight = this.inFlight;
  }

  // ---- latency and faults ------------------------------------------------------------
  setLatency(settings: Partial<LatencySettings>): void {
    this.latency = {
      fixedMs: Math.max(0, settings.fixedMs ?? this.latency.fixedMs),
      jitterMs: Math.max(0, settings.jitterMs ?? this.latency.jitterMs),
    };
  }

  addFault(rule: FaultRule): void {
    this.faults.push({ ...rule });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Finds (and consumes one use of) the first fault rule that applies to a request. */
  takeFault(method: string, path: string): FaultRule | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const rule = this.faults[i] as FaultRule;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path && !new RegExp(rule.path, 'i').test(path)) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      if (rule.times !== undefined) {
        rule.times--;
        if (rule.times <= 0) this.faults.splice(i, 1);
      }
      return rule;
    }
    return undefined;
  }

  delayFor(): number {
    const { fixedMs, jitterMs } = this.latency;
    return fixedMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
  }

  // ---- rate limit --------------------------------------------------------------------
  /** Sets (or, with undefined, removes) the request rate limit; the window starts afresh. */
  setRateLimit(limit: RateLimit | undefined): void {
    this.rateLimit = limit ? { ...limit } : undefined;
    this.admitted = [];
  }

  /**
   * Admits one vendor request under the rate limit (sliding window on the simulated
   * clock): true when it may be served, false when it is over the limit (and then does
   * not count against the window). Always true without a limit.
   */
  admit(): boolean {
    const limit = this.rateLimit;
    if (!limit) return true;
    const now = this.now();
    while (this.admitted.length && (this.admitted[0] as number) <= now - limit.perMs) this.admitted.shift();
    if (this.admitted.length >= limit.requests) {
      this.throttledCount++;
      return false;
    }
    this.admitted.push(now);
    return true;
  }

  /** How many requests the rate limit has refused since start. */
  get throttled(): number {
    return this.throttledCount;
  }

  // ---- tokens ------------------------------------------------------------------------
  /** Issues a JWT-shaped bearer token valid for `ttlSeconds` of simulated time. */
  issueToken(subject: string, ttlSeconds: number, claims: Record<string, unknown> = {}): { token: string; ttl: number } {
    const ttl = this.tokenTtlOverride ?? ttlSeconds;
    const now = this.now();
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = b64({ alg: 'RS256', typ: 'JWT' });
    const payload = b64({ sub: subject, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + ttl, ...claims });
    const token = `${header}.${payload}.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { subject, expiresAt: now + ttl * 1000, revoked: false });
    return { token, ttl };
  }

  /** Every token issued so far (tests look for them where they must not be). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  checkToken(token: string): TokenCheck {
    const record = this.tokens.get(token);
    if (!record) return 'unknown';
    if (record.revoked) return 'revoked';
    if (record.expiresAt <= this.now()) return 'expired';
    return 'valid';
  }

  /** Makes every token issued so far expired (as if its lifetime had passed). */
  expireTokens(): number {
    const now = this.now();
    for (const record of this.tokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
    return this.tokens.size;
  }

  /** Revokes every token issued so far. */
  revokeTokens(): number {
    for (const record of this.tokens.values()) record.revoked = true;
    return this.tokens.size;
  }
}
