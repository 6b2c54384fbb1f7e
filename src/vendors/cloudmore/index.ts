/**
 * Cloudmore broker (reseller) API v1.07.0.
 *
 * Auth: OAuth2 password grant at `POST {baseUrl}/connect/token` (IdentityServer), scope
 * `api`, client id/secret in HTTP Basic; the 24 h token is cached by a TokenCache (single
 * flight, one refresh + retry on a 401). Every other call is under
 * `/api/resellers/{resellerId}/…` (R); the healthcheck needs no token.
 *
 * Cloudmore lists are bare arrays with no paging and no filters (except
 * `Organizations?showActive`), so this adapter reads whole lists once per request and pages
 * and filters them in the graph (`filteredPage`).
 *
 * Ids: every vendorId is the plain Cloudmore GUID (organization, subscription, product,
 * report task id), validated with GUID before any call and compared case-insensitively
 * (keyed in lower case).
 *
 * The adapter is one core (core.ts: auth, HTTP, the endpoint table, the per-request
 * loaders) and one part per domain Cloudmore has: customers.ts (organizations, their
 * services and Estore), subscriptions.ts, products.ts, reports.ts (the async billing
 * report), services.ts (reseller services). Each GET path is fetched at most once per
 * request, at most 8 at a time for the whole request; see each file for its upstream cost.
 * Orders and invoices do not exist at Cloudmore: the session has no such parts, so the
 * resolvers answer VENDOR_UNSUPPORTED. Generic requests (`vendorRequest`,
 * `sendVendorRequest`) go through the same authenticated client; Cloudmore lists are not
 * paged.
 */
import type { ResponseCache } from '../../cache.js';
import type { CloudmoreConfig } from '../../config.js';
import { NO_PAGING, genericRequests } from '../../http/generic.js';
import { GUID, describeSession, timedHealthCheck } from '../shared.js';
import type { VendorAdapter, VendorSession } from '../types.js';
import { TOKEN_PATH, VENDOR, createCore, sessionLoaders } from './core.js';
import { customersPart } from './customers.js';
import { productsPart } from './products.js';
import { reportsPart } from './reports.js';
import { servicesPart } from './services.js';
import { subscriptionsPart } from './subscriptions.js';

/** What health checks: the API (its healthcheck) and the credentials (the cached token, or one login) with one cheap read. */
const HEALTH_CHECK = 'Cloudmore healthcheck (GET /api/healthcheck) and an authenticated read of the reseller services (GET /api/resellers/{resellerId}/services; cached token)';

export function createCloudmoreAdapter(config: CloudmoreConfig, options: { simulated: boolean; cache?: ResponseCache }): VendorAdapter {
  const core = createCore(config, options.cache);
  const request = genericRequests(core.http, NO_PAGING);

  function session(): VendorSession {
    const loaders = sessionLoaders(core);
    return {
      vendor: VENDOR,
      customers: customersPart(core, loaders),
      subscriptions: subscriptionsPart(core, loaders),
      products: productsPart(core, loaders),
      reports: reportsPart(core, loaders),
      services: servicesPart(loaders),
      request,
    };
  }

  const { supports, listable } = describeSession(session());

  return {
    vendor: VENDOR,
    baseUrl: config.baseUrl,
    simulated: options.simulated,
    supports,
    listable,
    reservedPaths: [TOKEN_PATH],
    isValidId: (kind, vendorId) => supports.includes(kind) && GUID.test(vendorId),
    health: () => timedHealthCheck(HEALTH_CHECK, core.probe),
    circuit: () => core.http.circuit,
    prefetch: () => core.http.prefetchToken(),
    needsLogin: () => core.http.needsLogin(),
    session,
  };
}
