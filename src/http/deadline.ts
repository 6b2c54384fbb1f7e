/**
 * One deadline per GraphQL request, and its cancellation when the client goes away. The
 * server opens a request scope (AsyncLocalStorage) with an AbortSignal that fires at the
 * deadline or when the client disconnects; every upstream call made while serving that
 * request (retries and token requests included) passes the signal to got, so an abandoned
 * or overdue request stops calling the vendors at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import type { Span, Tracer } from '@opentelemetry/api';
import type { Metrics } from '../metrics.js';

export interface RequestScope {
  signal: AbortSignal;
  /** The request id (X-Request-ID): in the access log, and sent upstream with every vendor call. */
  requestId?: string;
  /** HTTP requests sent upstream while serving it (every attempt: retries, 401 re-sends, token requests). */
  upstreamCalls?: number;
  /** The GraphQL operation's name, once Apollo has resolved it (for the access log). */
  operationName?: string | null;
  /** The serving server's metrics registry (metrics.ts). */
  metrics?: Metrics;
  /** Tracing (tracing.ts), when on: the server's tracer, and the span of the GraphQL operation. */
  tracer?: Tracer;
  span?: Span;
  /** Multi-tenant mode: the tenant being served (part of every cache key). */
  tenant?: string;
  /**
   * The client's `Cache-Control`: `no-cache` asks for fresh data (cached responses are not
   * used, what is read refreshes them); `no-store` also keeps what is read out of the cache.
   */
  fresh?: boolean;
  noStore?: boolean;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being served, if any. */
export function currentScope(): RequestScope | undefined {
  return scope.getStore();
}

/** Runs `fn` outside any request scope: work that outlives the request (a background refresh), with no deadline of the request's. */
export function outsideRequest<T>(fn: () => T): T {
  return scope.exit(fn);
}

/** The signal of the request being served, if any (none outside a request: start-up, health probes). */
export function currentSignal(): AbortSignal | undefined {
  return scope.getStore()?.signal;
}

/**
 * Enters a request scope for the rest of the current async flow (a Fastify onRequest
 * hook), aborting at `deadlineMs` or when `abort()` is called; returns `abort`.
 */
export function enterRequestScope(deadlineMs: number): { scope: RequestScope; signal: AbortSignal; abort: (reason: string) => void } {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(deadlineMs)]);
  // Every upstream call of the request listens to it (a dashboard makes hundreds): no leak warning.
  setMaxListeners(0, signal);
  const store: RequestScope = { signal };
  scope.enterWith(store);
  return { scope: store, signal, abort: (reason) => controller.abort(new Error(reason)) };
}
