/**
 * The one HTTP client every vendor adapter uses (got). It owns what the vendors share:
 * base URL and required headers, timeouts, retries of reads with backoff that honour
 * `Retry-After`, never retrying writes, bearer tokens from a TokenCache with one retry
 * after a 401, and turning every failure into an UpstreamError that names the vendor and
 * carries no secret (a refused token request, on a client made with `tokenEndpoint`, is
 * UPSTREAM_AUTH_FAILED for every vendor).
 */
import got, { HTTPError, RequestError, type Got, type OptionsInit, type Response } from 'got';
import { UpstreamError, upstreamCodeFor } from '../errors.js';
import type { VendorName } from '../model.js';
import { logger } from '../logger.js';
import type { TokenCache } from './token.js';
import { currentScope, currentSignal } from './deadline.js';
import type { ResponseCache } from '../cache.js';
import CircuitBreaker from 'opossum';
import { attemptHooks, callContext, settleAttempt } from './observe.js';
import { activeMetrics, routeTemplate } from '../metrics.js';
import { limitFor, type ConcurrencyLimit } from './limit.js';

export { AdaptiveLimit } from './limit.js';

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface VendorHttpOptions {
  vendor: VendorName;
  baseUrl: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Retries of idempotent reads on 408/429/5xx and network errors. */
  readRetries?: number;
  /** A Retry-After longer than this is not waited for: the error carries it instead. */
  maxRetryAfterMs?: number;
  token?: TokenCache;
  /** Values that must never appear in an error message (passwords, keys, secrets). */
  secrets?: string[];
  /** Pulls a human message out of the vendor's error body. */
  errorMessage?: (body: unknown) => string | undefined;
  /**
   * Does this failed response mean "rate limited" although its status is not 429 (e.g.
   * Leader Cloud throttles with a 403 whose body says `isRetriableError: true`)? Such a
   * response becomes UPSTREAM_RATE_LIMITED and a read is retried like a 429 (honouring
   * Retry-After); writes still are not. Off when absent.
   */
  isRateLimited?: (status: number, body: unknown, headers: Record<string, string | string[] | undefined>) => boolean;
  /**
   * This client sends the vendor's token request (the login). A 4xx answer to it (bad
   * credentials: OAuth's 400 `invalid_grant`/`invalid_client`, a 401, a 403) is then an
   * authentication failure, UPSTREAM_AUTH_FAILED, not a bad request of the client's; its
   * `status` is kept, so the TokenCache's negative cache backs off. A 429 or a vendor rate
   * limit stays UPSTREAM_RATE_LIMITED.
   */
  tokenEndpoint?: boolean;
  /**
   * The circuit breaker over this client's calls (opossum): it opens when at least half of
   * the last `volume` calls within 10 s failed (no answer, timeout, 5xx; a 4xx or a rate
   * limit is an answer), fails fast with UPSTREAM_UNAVAILABLE while open, and lets one call
   * through after `resetMs` (half open) to see whether the vendor is back.
   */
  circuit?: { resetMs?: number; volume?: number };
  /**
   * At most this many calls at once to the vendor through this client, whatever the number
   * of GraphQL requests (default 16). Adaptive: a rate-limited answer halves it, and it grows
   * back by one after as many successes as its current value; while the vendor's Retry-After
   * runs (up to `maxRetryAfterMs`) new calls wait. Shared by every instance through Redis
   * when the adapters are built with SharedLimits and the client has an `identity`
   * (limit.ts).
   */
  maxConcurrency?: number;
  /** A fingerprint of the credential set (`ResponseCache.identity`, never a secret): keys the cache and the shared limits. */
  identity?: string;
  /** The cross-request cache of GET responses (cache.ts), keyed by `identity`. */
  cache?: ResponseCache;
}

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface HttpResult<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/** A vendor's answer: got's response, and its body as the caller asked for it (parsed JSON, or text). */
interface Answer {
  response: Response<unknown>;
  body: unknown;
}

export class VendorHttp {
  private readonly client: Got;
  private readonly breaker: CircuitBreaker<[string, OptionsInit], Answer>;

  private readonly resetMs: number;
  /** Calls at once to the vendor through this client (see `maxConcurrency`). */
  readonly limit: ConcurrencyLimit;

  constructor(private readonly options: VendorHttpOptions) {
    const token = options.token;
    this.limit = limitFor(options.maxConcurrency ?? 16, options.identity);
    // Every rate-limited answer (a retried attempt too) halves the limit and pauses new calls for its Retry-After.
    const limited = (response: Response): Response => {
      const status = response.statusCode;
      const body = () => errorBody(response.body);
      if (status === 429 || (status >= 400 && options.isRateLimited?.(status, body(), response.headers))) {
        const seconds = parseRetryAfter(response.headers['retry-after']) ?? 0;
        this.limit.rateLimited(Math.min(seconds * 1000, options.maxRetryAfterMs ?? 10_000));
      }
      return response;
    };
    this.resetMs = options.circuit?.resetMs ?? 15_000;
    // The body is parsed inside the breaker: an answer that is not JSON counts as a failure, as got's own parse error did.
    this.breaker = new CircuitBreaker(async (path: string, init: OptionsInit): Promise<Answer> => {
      const response = (await this.client(path, init)) as Response<unknown>;
      return { response, body: init.responseType === 'text' ? response.body : this.jsonBody(response.body as Buffer) };
    }, {
      timeout: false, // got has its own timeouts
      resetTimeout: this.resetMs,
      rollingCountTimeout: 10_000,
      volumeThreshold: options.circuit?.volume ?? 10,
      errorThresholdPercentage: 50,
      // Only a vendor that did not answer properly counts: a 4xx (incl. 401, 429) is an answer,
      // and a call the client abandoned says nothing about the vendor.
      errorFilter: (error: unknown) => {
        if (error instanceof HTTPError) return error.response.statusCode < 500;
        // A token request the vendor refused (wrong credentials) fails the call in got's hook: an answer too.
        if (error instanceof RequestError && error.cause instanceof UpstreamError) return (error.cause.status ?? 500) < 500;
        return error instanceof RequestError && (error.code === 'ERR_ABORTED' || error.name === 'AbortError');
      },
    });
    // Request id header, metrics and spans of every attempt (observe.ts).
    const observe = attemptHooks(options.vendor, options.tokenEndpoint === true);
    this.client = got.extend({
      prefixUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { accept: 'application/json', 'user-agent': 'channelgraph', ...options.headers },
      timeout: { request: options.timeoutMs ?? 30_000 },
      // Bodies come as bytes and are parsed here (jsonBody), not by got: a body got parses
      // stays reachable from got's response past the call, so V8's young-generation
      // collections copied and promoted every vendor payload (a no-cache overview spent about
      // a seventh of its CPU in them); the bytes of a Buffer are outside the JavaScript heap.
      responseType: 'buffer',
      retry: {
        limit: options.readRetries ?? 2,
        methods: [...READ_METHODS],
        statusCodes: [408, 429, 500, 502, 503, 504],
        errorCodes: ['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENETUNREACH', 'EAI_AGAIN'],
        maxRetryAfter: options.maxRetryAfterMs ?? 10_000,
        backoffLimit: 2_000,
        // got's own rules decide (computedValue); a vendor-specific rate limit is retried like a 429.
        calculateDelay: ({ attemptCount, retryOptions, error, retryAfter, computedValue }) => {
          const isRateLimited = options.isRateLimited;
          const response = error.response;
          if (computedValue !== 0 || !isRateLimited || !response) return computedValue;
          if (attemptCount > retryOptions.limit || !retryOptions.methods.includes(error.options.method)) return 0;
          if (!isRateLimited(response.statusCode, errorBody(response.body), response.headers)) return 0;
          if (retryAfter !== undefined) return retryAfter > (retryOptions.maxRetryAfter ?? Infinity) ? 0 : retryAfter;
          return Math.min(2 ** (attemptCount - 1) * 1000, retryOptions.backoffLimit) + Math.random() * retryOptions.noise;
        },
      },
      hooks: {
        beforeRequest: token
          ? [
              async (req) => {
                req.headers.authorization = `Bearer ${await token.get()}`;
              },
              observe.beforeRequest,
            ]
          : [observe.beforeRequest],
        beforeRetry: [observe.beforeRetry],
        beforeError: [observe.beforeError],
        afterResponse: token
          ? [
              observe.afterResponse,
              limited,
              async (response, retryWithMergedOptions) => {
                // One retry after a 401: the token may have expired or been revoked early.
                // Safe for writes too: the vendor rejected the call before doing anything.
                if (response.statusCode !== 401 || response.request.options.context.retriedAuth) return response;
                const sent = String(response.request.options.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
                token.invalidate(sent);
                return retryWithMergedOptions({
                  context: { retriedAuth: true },
                  headers: { authorization: `Bearer ${await token.get()}` },
                });
              },
            ]
          : [observe.afterResponse, limited],
      },
    });
  }

  /** The state of this client's circuit breaker. */
  get circuit(): CircuitState {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  }

  /**
   * Starts the login now when no token is held, so that a request's first call finds it on
   * its way instead of asking for it only once compiling and the resolvers are done
   * (prefetch.ts calls this as an operation's execution starts). Nothing when a token is
   * held, a refused login is backing off, or the circuit is open (no call would be sent).
   * A failure is left to the call that needs the token: the same single-flight login
   * answers it. True when a login is under way (started now, or by another request).
   */
  prefetchToken(): boolean {
    if (!this.needsLogin()) return false;
    this.options.token!.get().catch(() => undefined);
    return true;
  }

  /** Would prefetchToken start a login now (no token held, none backing off, the circuit not open)? */
  needsLogin(): boolean {
    const token = this.options.token;
    return token !== undefined && token.peek() === undefined && token.backingOffUntil === null && !this.breaker.opened;
  }

  /** Every call goes through the breaker; a call it refuses never reaches the vendor. */
  private async call(path: string, init: OptionsInit): Promise<Answer> {
    const write = !READ_METHODS.includes(String(init.method ?? 'GET').toUpperCase() as (typeof READ_METHODS)[number]);
    try {
      return await this.limit.schedule(async () => {
        const answer = await this.breaker.fire(path, init);
        this.limit.succeeded();
        return answer;
      }, init.signal ?? undefined);
    } finally {
      // Whatever the write's outcome, what is cached for this vendor account may be stale now.
      if (write && this.options.cache && this.options.identity) await this.options.cache.invalidate(this.options.identity);
    }
  }

  get vendor(): VendorName {
    return this.options.vendor;
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    const { cache, identity } = this.options;
    if (!cache || !identity) return (await this.request<T>('GET', path, { query })).body;
    const scope = currentScope();
    const key = new URLSearchParams(Object.entries(cleanQuery(query) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))).toString();
    return cache.read(identity, scope?.tenant, path.replace(/^\/+/, ''), key, { fresh: scope?.fresh ?? false, store: !scope?.noStore }, async () => (await this.request<T>('GET', path, { query })).body);
  }

  /** A write: never retried (only the 401 re-authentication above). */
  async send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options: { query?: Query; contentType?: string } = {},
  ): Promise<HttpResult<T>> {
    return this.request<T>(method, path, { ...options, body });
  }

  async request<T>(
    method: string,
    path: string,
    options: {
      query?: Query;
      body?: unknown;
      contentType?: string;
      form?: Record<string, string>;
      headers?: Record<string, string>;
      /** Retries of this read, instead of the client's `readRetries` (0 for a health probe: it answers at once). */
      retries?: number;
    } = {},
  ): Promise<HttpResult<T>> {
    const init: OptionsInit = { method: method as OptionsInit['method'], headers: { ...options.headers }, signal: currentSignal(), context: callContext(path) };
    if (options.retries !== undefined) init.retry = { limit: options.retries };
    const searchParams = cleanQuery(options.query);
    if (searchParams) init.searchParams = searchParams;
    if (options.form) init.form = options.form;
    else if (options.body !== undefined) {
      init.body = JSON.stringify(options.body);
      (init.headers as Record<string, string>)['content-type'] = options.contentType ?? 'application/json';
    }
    const started = performance.now();
    try {
      const { response, body } = await this.call(path.replace(/^\/+/, ''), init);
      logger.debug({ vendor: this.options.vendor, method, path, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'upstream');
      return { status: response.statusCode, body: (body ?? null) as T, headers: response.headers };
    } catch (error) {
      throw this.failed(error, method, path, started);
    }
  }

  /**
   * A generic request (vendorRequest): any path under the API root, query parameters that
   * may repeat, an optional JSON body. The vendor's 4xx answers come back as answers, with
   * status and body; 429 and 5xx (after the usual retries of reads) and network failures
   * are UpstreamErrors. Writes are never retried. The body is parsed as JSON when it is
   * JSON, kept as text otherwise, and configured secrets are removed from it.
   */
  async exchange(method: string, path: string, options: { query?: Record<string, string | string[]>; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
    const init: OptionsInit = { method: method as OptionsInit['method'], headers: {}, responseType: 'text', signal: currentSignal(), context: callContext(path, true) };
    const searchParams = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) for (const one of Array.isArray(v) ? v : [v]) searchParams.append(k, one);
    if ([...searchParams.keys()].length) init.searchParams = searchParams;
    if (options.body !== undefined) {
      init.body = JSON.stringify(options.body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const started = performance.now();
    const answer = (status: number, text: unknown) => ({ status, body: this.redactBody(parseMaybeJson(typeof text === 'string' ? text : '')) });
    try {
      const { response, body } = await this.call(path.replace(/^\/+/, ''), init);
      logger.debug({ vendor: this.options.vendor, method, path, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'upstream (generic)');
      return answer(response.statusCode, body);
    } catch (error) {
      if (error instanceof HTTPError) {
        const status = error.response.statusCode;
        const limited = status === 429 || this.options.isRateLimited?.(status, parseMaybeJson(String(error.response.body ?? '')), error.response.headers) === true;
        if (status >= 400 && status < 500 && status !== 401 && !limited) return answer(status, error.response.body);
      }
      throw this.failed(error, method, path, started, true);
    }
  }

  /** Removes configured secret values from a response body, at any depth. */
  private redactBody(body: unknown): unknown {
    if (typeof body === 'string') return this.redactAll(body);
    if (Array.isArray(body)) return body.map((v) => this.redactBody(v));
    if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, this.redactBody(v)]));
    return body;
  }

  private redactAll(text: string): string {
    let out = text;
    for (const form of this.secretForms()) out = out.split(form).join('[redacted]');
    // A vendor that echoes the request's headers echoes the bearer token: the one in use,
    // and any other (an older one after a refresh) in its Authorization form.
    const token = this.options.token?.peek();
    if (token && token.length >= 8) out = out.split(token).join('[redacted]');
    return out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, '$1[redacted]');
  }

  private forms?: string[];

  /**
   * Every encoding in which this client itself sends a secret, longest first: as is, URL
   * and form encoded, JSON-escaped, base64 (and base64url), and the HTTP Basic values the
   * adapter passes in `secrets` (base64 of `id:secret`) are covered the same way.
   */
  private secretForms(): string[] {
    if (!this.forms) {
      const out = new Set<string>();
      for (const secret of this.options.secrets ?? []) {
        if (!secret || secret.length < 4) continue;
        for (const form of [
          secret,
          encodeURIComponent(secret),
          new URLSearchParams({ s: secret }).toString().slice(2),
          JSON.stringify(secret).slice(1, -1),
          Buffer.from(secret).toString('base64'),
          Buffer.from(secret).toString('base64').replace(/=+$/, ''),
          Buffer.from(secret).toString('base64url'),
        ]) {
          if (form.length >= 4) out.add(form);
        }
      }
      this.forms = [...out].sort((a, b) => b.length - a.length);
    }
    return this.forms;
  }

  /** A call failed: its last attempt ends (if no response ended it), and the error is counted by its code. */
  private failed(error: unknown, method: string, path: string, started: number, generic = false): UpstreamError {
    settleAttempt(error);
    const upstream = this.translate(error, method, path, started);
    activeMetrics()?.upstreamError(this.options.vendor, method.toUpperCase(), generic ? '(generic)' : routeTemplate(path), upstream.upstreamCode);
    return upstream;
  }

  private translate(error: unknown, method: string, path: string, started: number): UpstreamError {
    const vendor = this.options.vendor;
    const ms = Math.round(performance.now() - started);
    // got wraps errors thrown in its hooks (a failed token request) in a RequestError.
    if (error instanceof RequestError && error.cause instanceof UpstreamError) return error.cause;
    if (error instanceof HTTPError) {
      const status = error.response.statusCode;
      const retryAfter = parseRetryAfter(error.response.headers['retry-after']);
      const body = errorBody(error.response.body);
      const rateLimited = this.options.isRateLimited?.(status, body, error.response.headers) === true;
      if (this.options.tokenEndpoint && status >= 400 && status < 500 && status !== 429 && !rateLimited) {
        const reason = this.redact(oauthError(body) ?? this.options.errorMessage?.(body) ?? 'credentials refused');
        logger.warn({ vendor, method, path, status, ms }, 'upstream token request rejected');
        return new UpstreamError(vendor, status, 'UPSTREAM_AUTH_FAILED', `token request rejected (${reason.replace(/[.\s]+$/, '')})`, retryAfter);
      }
      const detail = this.redact(this.options.errorMessage?.(body) ?? (status === 404 ? 'not found' : 'request rejected'));
      // Ingram Micro answers with its own X-Correlation-ID (to quote to its support): logged next to ours.
      const correlationId = error.response.headers['x-correlation-id'];
      logger.warn({ vendor, method, path, status, ms, ...(rateLimited ? { rateLimited } : {}), ...(correlationId ? { correlationId } : {}) }, 'upstream error');
      return new UpstreamError(vendor, status, rateLimited ? 'UPSTREAM_RATE_LIMITED' : upstreamCodeFor(status), detail, retryAfter);
    }
    if ((error as { code?: string } | null)?.code === 'EOPENBREAKER') {
      return new UpstreamError(vendor, null, 'UPSTREAM_UNAVAILABLE', 'failing fast: the circuit is open after repeated failures', Math.ceil(this.resetMs / 1000));
    }
    if (error instanceof RequestError && (error.code === 'ERR_ABORTED' || error.name === 'AbortError')) {
      logger.info({ vendor, method, path, ms }, 'upstream call abandoned (deadline or client gone)');
      return new UpstreamError(vendor, null, 'UPSTREAM_TIMEOUT', 'the request deadline passed or the client went away');
    }
    if (error instanceof RequestError) {
      const timedOut = error.code === 'ETIMEDOUT' || error.name === 'TimeoutError';
      logger.warn({ vendor, method, path, code: error.code, ms }, 'upstream unreachable');
      return new UpstreamError(vendor, null, timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE', timedOut ? 'timed out' : 'unreachable');
    }
    if (error instanceof UpstreamError) return error;
    logger.error({ vendor, method, path, err: error instanceof Error ? error.message : String(error) }, 'upstream failure');
    return new UpstreamError(vendor, null, 'UPSTREAM_ERROR', 'unexpected client failure');
  }

  /**
   * A successful answer's body as got's `responseType: 'json'` gave it: parsed, or '' when
   * empty. A body that is not JSON is an UPSTREAM_ERROR that says so (got's parse error
   * came out as the vendor being unreachable).
   */
  private jsonBody(bytes: Buffer): unknown {
    if (bytes.length === 0) return '';
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new UpstreamError(this.options.vendor, null, 'UPSTREAM_ERROR', 'the answer is not JSON');
    }
  }

  /** Removes configured secret values from any text that may reach a client or a log. */
  redact(text: string): string {
    // Redact first, then truncate: a secret cut in half by the truncation would survive.
    return this.redactAll(text).slice(0, 300);
  }
}

/** An OAuth 2.0 error response (RFC 6749 §5.2): `error` and its `error_description`, e.g. `invalid_grant: …`. */
function oauthError(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error !== 'string' || !error) return undefined;
  return typeof description === 'string' && description.trim() ? `${error}: ${description.trim()}` : error;
}

/** A failed answer's body (bytes, or text from `exchange`): parsed when it is JSON, else its text. */
function errorBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) return parseMaybeJson(body.toString('utf8'));
  return typeof body === 'string' ? parseMaybeJson(body) : body;
}

function parseMaybeJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 100_000);
  }
}

function cleanQuery(query: Query | undefined): Record<string, string> | undefined {
  if (!query) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) out[k] = String(v);
  return Object.keys(out).length ? out : undefined;
}

export function parseRetryAfter(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
