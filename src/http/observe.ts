/**
 * What VendorHttp (client.ts) records of every HTTP attempt it sends, through got hooks:
 * the request id header, the request scope's upstream-call count, the metrics of the
 * serving server (metrics.ts) and, when tracing is on, one child span of the GraphQL
 * operation's span per attempt. An attempt is one request on the wire, so retries, the
 * re-send after a 401 and token requests are each one, as the vendor (and the simulators'
 * counters) see them.
 *
 * Correlation header: none of the three vendors documents a request header for a
 * client's correlation id (Ingram Micro's `X-Correlation-ID` is a response header, the
 * platform's own id to quote to support), so every call carries `X-Request-ID`, and
 * Ingram's response id is logged next to the request id (client.ts).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { OptionsInit, RequestError, Response } from 'got';
import type { VendorName } from '../model.js';
import { activeMetrics, routeTemplate } from '../metrics.js';
import { currentScope, type RequestScope } from './deadline.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Set on a call's got options (`context`): what the hooks need to know of it. */
interface CallContext {
  cgRoute?: string;
  cgScope?: RequestScope;
  /** The attempt in flight: ends it (once) with its status. */
  cgAttempt?: (status: string) => void;
}

/** got `context` for one call: its route template (`(generic)` for vendorRequest paths, which clients choose) and the request scope. */
export function callContext(path: string, generic = false): NonNullable<OptionsInit['context']> {
  return { cgRoute: generic ? '(generic)' : routeTemplate(path), cgScope: currentScope() } satisfies CallContext;
}

/** The status label of an attempt that got no response. */
function failureStatus(error: RequestError): string {
  if (error.code === 'ERR_ABORTED' || error.name === 'AbortError') return 'aborted';
  if (error.code === 'ETIMEDOUT' || error.name === 'TimeoutError') return 'timeout';
  return 'network';
}

/** Ends the attempt of a failed call, if no response did (network error, timeout, abort). */
export function settleAttempt(error: unknown): void {
  const e = error as RequestError | undefined;
  const context = (e?.options?.context ?? undefined) as CallContext | undefined;
  if (e && typeof e === 'object' && 'options' in e && context?.cgAttempt) context.cgAttempt(e.response ? String(e.response.statusCode) : failureStatus(e));
}

/** The got hooks of one VendorHttp (`tokenRequests`: its calls are token requests). */
export function attemptHooks(vendor: VendorName, tokenRequests: boolean) {
  return {
    /** Last of the beforeRequest hooks: the attempt starts when it is sent (after any token request it needed). */
    beforeRequest: (options: { method: string; headers: Record<string, string | string[] | undefined>; context: Record<string, unknown>; url?: URL | string }) => {
      const context = options.context as CallContext;
      const scope = context.cgScope ?? currentScope();
      if (scope?.requestId) options.headers[REQUEST_ID_HEADER] = scope.requestId;
      if (scope) scope.upstreamCalls = (scope.upstreamCalls ?? 0) + 1;
      const method = options.method.toUpperCase();
      const route = context.cgRoute ?? '(unknown)';
      const metrics = scope?.metrics ?? activeMetrics();
      let span: Span | undefined;
      if (scope?.tracer && scope.span) {
        const host = options.url instanceof URL ? options.url.host : undefined;
        span = scope.tracer.startSpan(
          `${method} ${route}`,
          { kind: SpanKind.CLIENT, attributes: { vendor, 'http.request.method': method, 'url.template': route, ...(host ? { 'server.address': host } : {}), ...(tokenRequests ? { 'channelgraph.token_request': true } : {}) } },
          trace.setSpan(ROOT_CONTEXT, scope.span),
        );
      }
      const started = performance.now();
      let done = false;
      context.cgAttempt = (status: string) => {
        if (done) return;
        done = true;
        metrics?.upstreamAttempt(vendor, method, route, status, (performance.now() - started) / 1000, tokenRequests);
        if (span) {
          if (/^\d+$/.test(status)) span.setAttribute('http.response.status_code', Number(status));
          if (!/^[23]\d\d$/.test(status)) {
            span.setAttribute('error.type', status);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        }
      };
    },
    /** First of the afterResponse hooks: every response, the 401 that is re-sent included. */
    afterResponse: (response: Response) => {
      (response.request.options.context as CallContext).cgAttempt?.(String(response.statusCode));
      return response;
    },
    /** An attempt that got no response and is retried. */
    beforeRetry: (error: RequestError) => {
      settleAttempt(error);
    },
    beforeError: (error: RequestError) => {
      settleAttempt(error);
      return error;
    },
  };
}
