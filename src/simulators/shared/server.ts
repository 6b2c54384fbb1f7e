/**
 * The HTTP shell every vendor simulator runs in: a Fastify app with request counting,
 * injected latency and faults, the `/__sim` control API, and one place that turns any
 * failure (bad JSON, unknown route, thrown SimError, unexpected bug) into the vendor's
 * own error body. Vendor folders only register routes and say what their errors look like.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { SimControl, type FaultRule, type SimControlOptions } from './control.js';

/** Thrown by route handlers: becomes the vendor's error body with this status. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorContext {
  status: number;
  code: string;
  message: string;
  extra: Record<string, unknown>;
  request: FastifyRequest;
}

export interface SimServerOptions extends SimControlOptions {
  /** Label used in logs and the control API. */
  name: string;
  /** ASP.NET backends route case-insensitively; the Ingram (Java) gateway does not. */
  caseSensitive: boolean;
  /** Builds the vendor's error body. */
  errorBody: (ctx: ErrorContext) => unknown;
  /** Content type of error bodies (default application/json). */
  errorContentType?: string;
  /** Headers added to every response (e.g. Ingram's X-Correlation-ID). */
  onSend?: (request: FastifyRequest, reply: FastifyReply) => void;
  /** The vendor's own (demo) credentials, which `credentials` overrides map onto. */
  demoCredentials?: Readonly<Record<string, string>>;
}

export interface SimServer {
  app: FastifyInstance;
  control: SimControl;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Resolves at `due` (a `performance.now()` time), within a few microseconds: a timer to a
 * millisecond before it, then turns of the event loop (setImmediate, which lets other I/O
 * through) until it is due. A timer alone fires up to a millisecond late, as the event loop's
 * clock counts whole milliseconds: every call would take its latency and a bit.
 */
async function until(due: number): Promise<void> {
  const early = due - performance.now() - 1;
  if (early > 0) await sleep(early);
  while (performance.now() < due) await new Promise(setImmediate);
}

/** The absolute origin the client used, for absolute links in paging envelopes. */
export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}`;
}

const isControlPath = (url: string) => url.toLowerCase().startsWith('/__sim');

/** Override value → the vendor's own value, for the credentials option (see SimControlOptions). */
function credentialAliases(demo: Readonly<Record<string, string>> | undefined, override: Record<string, string> | undefined): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [key, value] of Object.entries(override ?? {})) {
    const own = demo?.[key];
    if (own === undefined) throw new Error(`unknown simulator credential "${key}" (known: ${Object.keys(demo ?? {}).join(', ')})`);
    if (value !== own) aliases.set(value, own);
  }
  return aliases;
}

/** An HTTP Basic part: as sent, or form-encoded before Base64 (RFC 6749 §2.3.1, Cloudmore). */
function mapBasicPart(part: string, aliases: Map<string, string>): string {
  const direct = aliases.get(part);
  if (direct !== undefined) return direct;
  try {
    const mapped = aliases.get(decodeURIComponent(part.replace(/\+/g, ' ')));
    return mapped !== undefined ? encodeURIComponent(mapped) : part;
  } catch {
    return part;
  }
}

/** Maps aliased credentials in request headers (HTTP Basic user and secret too), in place. */
function mapHeaders(headers: FastifyRequest['headers'], aliases: Map<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    const basic = name === 'authorization' ? /^(Basic\s+)(\S+)$/i.exec(value) : null;
    if (basic?.[1] && basic[2]) {
      const decoded = Buffer.from(basic[2], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) continue;
      const user = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      headers[name] = basic[1] + Buffer.from(`${mapBasicPart(user, aliases)}:${mapBasicPart(secret, aliases)}`).toString('base64');
      continue;
    }
    const mapped = aliases.get(value);
    if (mapped !== undefined) headers[name] = mapped;
  }
}

/** A copy of a parsed body with aliased credentials mapped, at any depth. */
function mapBody(value: unknown, aliases: Map<string, string>): unknown {
  if (typeof value === 'string') return aliases.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => mapBody(v, aliases));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapBody(v, aliases)]));
  return value;
}

/** The request as the client sent it, echoed into error bodies with `echoRequests`. */
interface SentRequest {
  headers: Record<string, unknown>;
  body?: unknown;
}

export function createSimServer(options: SimServerOptions): SimServer {
  const control = new SimControl(options);
  const aliases = credentialAliases(options.demoCredentials, options.credentials);
  const sendError = (request: FastifyRequest, reply: FastifyReply, err: SimError) => {
    for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
    void reply
      .code(err.status)
      .type(options.errorContentType ?? 'application/json')
      .send(options.errorBody({ status: err.status, code: err.code, message: err.message, extra: err.extra, request }));
    return reply;
  };

  const app = Fastify({
    logger: false,
    routerOptions: { caseSensitive: options.caseSensitive, ignoreTrailingSlash: true },
    bodyLimit: 5 * 1024 * 1024,
    exposeHeadRoutes: false,
    // Router errors (e.g. a bad percent-escape in the URL) come before any hook: shape them too.
    frameworkErrors: (error, request, reply) => sendError(request, reply, new SimError(400, 'BadRequest', error.message)),
  });

  // Every vendor route served, in `{param}` template form, for the contract tests.
  app.addHook('onRoute', (route) => {
    if (route.url.toLowerCase().startsWith('/__sim')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const url = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of methods) control.routes.push({ method: method.toUpperCase(), url });
  });

  // Credential overrides and request echoes: first of all hooks, so the request is seen as sent.
  const sent = new WeakMap<FastifyRequest, SentRequest>();
  if (aliases.size || control.echoRequests) {
    app.addHook('onRequest', async (request) => {
      if (isControlPath(request.url)) return;
      sent.set(request, { headers: { ...request.headers } });
      if (aliases.size) mapHeaders(request.headers, aliases);
    });
    app.addHook('preValidation', async (request) => {
      const original = sent.get(request);
      if (!original) return;
      original.body = request.body === undefined ? undefined : JSON.parse(JSON.stringify(request.body));
      if (aliases.size && request.body !== undefined) request.body = mapBody(request.body, aliases);
    });
  }
  if (control.echoRequests) {
    // A careless vendor: every error body repeats the request, credentials and all.
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode < 400 || isControlPath(request.url) || (typeof payload !== 'string' && payload !== null && payload !== undefined)) return payload;
      const original = sent.get(request);
      const url = request.raw.url ?? request.url;
      const echo = {
        method: request.method,
        url,
        query: url.includes('?') ? url.slice(url.indexOf('?') + 1) : '',
        headers: original?.headers ?? { ...request.headers },
        body: original && 'body' in original ? original.body : request.body,
      };
      const text = typeof payload === 'string' ? payload : '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return `${text}\n${JSON.stringify({ request: echo })}`;
      }
      if (Array.isArray(parsed)) return JSON.stringify([...parsed, { request: echo }]);
      if (parsed && typeof parsed === 'object') return JSON.stringify({ ...parsed, request: echo });
      return JSON.stringify({ error: parsed, request: echo });
    });
  }

  void app.register(formbody);
  // JSON bodies, including RFC 6902 patches (application/json-patch+json). An empty body
  // counts as no body: clients often send `content-type: application/json` on a bodiless POST.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/json', 'application/json-patch+json', 'text/json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = (body as string).trim();
      if (text === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new SimError(400, 'InvalidJson', 'The request body is not valid JSON.'), undefined);
      }
    },
  );

  // Per-response headers on every reply: routes, errors, injected faults, router errors.
  if (options.onSend) {
    const onSend = options.onSend;
    app.addHook('onSend', async (request, reply, payload) => {
      onSend(request, reply);
      return payload;
    });
  }

  /**
   * Injected latency is the vendor's response time: an answer leaves no sooner than that
   * after its request arrived, however long building it took (a real vendor's own work is
   * part of its latency). Building it first keeps the simulator's CPU out of the time a
   * client sees, so that 50 ms is 50 ms even for a 300 KB page: the answer is encoded
   * to bytes too before the wait (encoding a 200 KB page as UTF-8 at the moment it is due
   * made it, and any answer due just after it, leave late), and the wait ends when it is
   * due, not at the next whole millisecond (`until`). A write takes effect as it arrives;
   * only its answer waits.
   */
  const dueAt = new WeakMap<FastifyRequest, number>();
  app.addHook('onSend', async (request, _reply, payload) => {
    const due = dueAt.get(request);
    if (due === undefined) return payload;
    dueAt.delete(request);
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    await until(due);
    return bytes;
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.toLowerCase().startsWith('/__sim')) return;
    control.count(request.method, request.routeOptions.url ?? '(unmatched)');
    control.record(request.method, request.url, request.headers);
    control.started();
    reply.raw.once('close', () => control.finished());
    // The answer is built within the latency, and sent when it is over (onSend below).
    const delay = control.delayFor();
    if (delay > 0) {
      dueAt.set(request, performance.now() + delay);
      // A vendor serves concurrent requests in parallel; this one event loop would build this
      // answer before even accepting a request sent with it on a new connection, and so date
      // that one late by this one's build time (3-4 ms for a 200 KB page). Waiting one
      // millisecond (well within the latency: the answer is due at the same moment) lets
      // the requests of the same burst be dated on arrival first.
      await sleep(1);
    }
    const fault: FaultRule | undefined = control.takeFault(request.method, path);
    if (!fault) return;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const code = fault.status === 429 ? 'TooManyRequests' : fault.status === 503 ? 'ServiceUnavailable' : 'ServiceError';
      const message =
        fault.status === 429 ? 'Rate limit exceeded. Retry later.' : 'The service is temporarily unable to handle the request.';
      return sendError(request, reply, new SimError(fault.status, code, message, { injected: true }, headers));
    }
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new SimError(404, 'NotFound', `No route for ${request.method} ${request.url.split('?')[0]}.`)),
  );

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof SimError) return sendError(request, reply, error);
    const e = error as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      const message =
        e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/i.test(e.message ?? '')
          ? 'The request body is not valid JSON.'
          : (e.message ?? 'Bad request.');
      return sendError(request, reply, new SimError(e.statusCode, e.code ?? 'BadRequest', message));
    }
    // A bug in a simulator must still answer in the vendor's shape, never with a stack.
    request.log.error(error);
    return sendError(request, reply, new SimError(500, 'ServiceError', 'An unexpected error occurred.'));
  });

  registerControlApi(app, control, options.name);
  return { app, control };
}

function registerControlApi(app: FastifyInstance, control: SimControl, name: string): void {
  const prefix = '/__sim';
  app.get(prefix, async () => ({
    name,
    profile: control.profile,
    stats: control.stats(),
    latency: control.latency,
    faults: control.faults,
    clockOffsetMs: control.clockOffsetMs,
  }));
  app.get(`${prefix}/stats`, async () => control.stats());
  app.get(`${prefix}/requests`, async () => control.received());
  app.delete(`${prefix}/stats`, async () => {
    control.resetStats();
    return control.stats();
  });
  app.post(`${prefix}/reset`, async () => {
    control.resetStats();
    control.clearFaults();
    control.setLatency({ fixedMs: 0, jitterMs: 0 });
    return { ok: true };
  });
  app.put(`${prefix}/latency`, async (request) => {
    const body = (request.body ?? {}) as { fixedMs?: unknown; jitterMs?: unknown };
    const fixedMs = Number(body.fixedMs ?? control.latency.fixedMs);
    const jitterMs = Number(body.jitterMs ?? control.latency.jitterMs);
    if (!Number.isFinite(fixedMs) || !Number.isFinite(jitterMs)) {
      throw new SimError(400, 'BadRequest', 'fixedMs and jitterMs must be numbers');
    }
    control.setLatency({ fixedMs, jitterMs });
    return control.latency;
  });
  app.get(`${prefix}/faults`, async () => control.faults);
  app.post(`${prefix}/faults`, async (request) => {
    const rule = (request.body ?? {}) as FaultRule;
    if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 400 && rule.status <= 599)) {
      throw new SimError(400, 'BadRequest', 'status must be an HTTP error status (400-599)');
    }
    if (rule.path !== undefined) {
      try {
        new RegExp(rule.path);
      } catch {
        throw new SimError(400, 'BadRequest', 'path must be a valid regular expression');
      }
    }
    control.addFault(rule);
    return control.faults;
  });
  app.delete(`${prefix}/faults`, async () => {
    control.clearFaults();
    return control.faults;
  });
  app.post(`${prefix}/tokens/expire`, async () => ({ expired: control.expireTokens() }));
  app.post(`${prefix}/tokens/revoke`, async () => ({ revoked: control.revokeTokens() }));
  app.post(`${prefix}/clock/advance`, async (request) => {
    const ms = Number((request.body as { ms?: unknown } | undefined)?.ms);
    if (!Number.isFinite(ms) || ms < 0) throw new SimError(400, 'BadRequest', 'ms must be a non-negative number');
    control.advance(ms);
    return { clockOffsetMs: control.clockOffsetMs, now: new Date(control.now()).toISOString() };
  });
}

/** Reads a bearer token from the Authorization header, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

/** Decodes `Authorization: Basic base64(user:secret)`, or undefined. */
export function basicCredentials(request: FastifyRequest): { user: string; secret: string } | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Starts a simulator on 127.0.0.1 and returns its base URL. Port 0 picks a free port. */
export async function listen(app: FastifyInstance, port: number, host = '127.0.0.1'): Promise<string> {
  await app.listen({ port, host });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return `http://${host}:${actual}`;
}
