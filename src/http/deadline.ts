/**
 * One deadline per GraphQL request, and its cancellation when the client goes away. The
 * server opens a request scope (AsyncLocalStorage) with an AbortSignal that fires at the
 * deadline or when the client disconnects; every upstream call made while serving that
 * request (retries and token requests included) passes the signal to got, so an abandoned
 * or overdue request stops calling the vendors at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

interface RequestScope {
  signal: AbortSignal;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** The signal of the request being served, if any (none outside a request: start-up, health probes). */
export function currentSignal(): AbortSignal | undefined {
  return scope.getStore()?.signal;
}

/**
 * Enters a request scope for the rest of the current async flow (a Fastify onRequest
 * hook), aborting at `deadlineMs` or when `abort()` is called; returns `abort`.
 */
export function enterRequestScope(deadlineMs: number): { signal: AbortSignal; abort: (reason: string) => void } {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(deadlineMs)]);
  // Every upstream call of the request listens to it (a dashboard makes hundreds): no leak warning.
  setMaxListeners(0, signal);
  scope.enterWith({ signal });
  return { signal, abort: (reason) => controller.abort(new Error(reason)) };
}
