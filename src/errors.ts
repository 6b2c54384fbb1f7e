/**
 * Every error a client can see, with its `extensions.code`. Messages never carry secrets,
 * upstream bodies or stack traces.
 */
import { GraphQLError } from 'graphql';
import type { VendorName } from './model.js';

export const VENDOR_LABEL: Record<VendorName, string> = {
  LEADERCLOUD: 'Leader Cloud',
  CLOUDMORE: 'Cloudmore',
  INGRAM: 'Ingram Micro',
};

export function badUserInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extra } });
}

/** The vendor has no such operation or entity family. */
export function unsupported(vendor: VendorName, what: string): GraphQLError {
  return new GraphQLError(`${VENDOR_LABEL[vendor]} does not support ${what}.`, {
    extensions: { code: 'VENDOR_UNSUPPORTED', vendor },
  });
}

/** The id routes to a vendor that is not configured in this deployment. */
export function vendorNotConfigured(vendor: VendorName): GraphQLError {
  return new GraphQLError(`${VENDOR_LABEL[vendor]} is not configured in this graph.`, {
    extensions: { code: 'VENDOR_NOT_CONFIGURED', vendor },
  });
}

export type UpstreamCode =
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_ERROR';

/**
 * A failed call to a vendor, thrown by the HTTP client. It is already a GraphQLError, so a
 * resolver can let it through and the client sees which vendor failed, the HTTP status and
 * when to retry.
 */
export class UpstreamError extends GraphQLError {
  constructor(
    readonly vendor: VendorName,
    readonly status: number | null,
    readonly upstreamCode: UpstreamCode,
    detail: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    const statusText = status ? `HTTP ${status}` : 'no response';
    const retry = retryAfterSeconds !== null ? ` Retry after ${retryAfterSeconds}s.` : '';
    super(`${VENDOR_LABEL[vendor]} request failed (${statusText}): ${detail.replace(/[.\s]+$/, '')}.${retry}`, {
      extensions: {
        code: upstreamCode,
        vendor,
        httpStatus: status,
        retryable: upstreamCode !== 'UPSTREAM_BAD_REQUEST' && upstreamCode !== 'UPSTREAM_AUTH_FAILED',
        ...(retryAfterSeconds !== null ? { retryAfterSeconds } : {}),
      },
    });
  }
}

export function upstreamCodeFor(status: number | null): UpstreamCode {
  if (status === null) return 'UPSTREAM_UNAVAILABLE';
  if (status === 429) return 'UPSTREAM_RATE_LIMITED';
  if (status === 401 || status === 403) return 'UPSTREAM_AUTH_FAILED';
  if (status === 408 || status === 504) return 'UPSTREAM_TIMEOUT';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  if (status >= 400) return 'UPSTREAM_BAD_REQUEST';
  return 'UPSTREAM_ERROR';
}

/** Did the vendor answer 404 (the entity does not exist)? */
export function isNotFound(error: unknown): boolean {
  return error instanceof UpstreamError && error.status === 404;
}
