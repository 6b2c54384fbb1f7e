/**
 * Ingram Micro Cloud Marketplace (CloudBlue Commerce "SimpleAPI" 1.15) at
 * `https://api.cloud.im/marketplace/<region>`: the adapter and its sessions.
 *
 * - core.ts: auth (`POST /token` + `X-Subscription-Key`), the HTTP client, the endpoint
 *   table and offset/limit paging;
 * - loaders.ts: the per-request loaders every domain part shares (and the upstream cost);
 * - customers.ts (customers, resellers), subscriptions.ts, orders.ts, catalog.ts (products,
 *   service plans), reports.ts: one part per domain, reads and writes;
 * - mappers.ts: vendor JSON ↔ models, the request bodies of the writes.
 *
 * Ids: customers, resellers, subscriptions, orders and service plans are digit strings
 * (`1000001`); reports are UUIDs; a product's vendorId is its MPN (`CFQ7TTC0LH18:0001_P1Y_A`).
 * Writes go out once (never retried, except once after a 401) and refresh the request's
 * loaders; orders and reports then move on asynchronously at the vendor and are polled.
 */
import type { ResponseCache } from '../../cache.js';
import type { IngramConfig } from '../../config.js';
import { OFFSET_PAGING, genericRequests } from '../../http/generic.js';
import { GUID, describeSession, timedHealthCheck } from '../shared.js';
import type { VendorAdapter, VendorSession } from '../types.js';
import { productOps, planOps } from './catalog.js';
import { DIGITS, PRODUCT_ID, TOKEN_PATH, createCore } from './core.js';
import { customerOps, resellerOps } from './customers.js';
import { createLoaders } from './loaders.js';
import { orderOps } from './orders.js';
import { reportOps } from './reports.js';
import { subscriptionOps } from './subscriptions.js';

export { MANY, MAX_LIMIT, PRODUCT_ID } from './core.js';

/** What health checks: the credentials (the cached token, or one login) and the API, with one cheap read. */
const HEALTH_CHECK = 'Authenticated read of one customer (GET /customers?offset=0&limit=1; cached token)';

export function createIngramAdapter(config: IngramConfig, options: { simulated: boolean; cache?: ResponseCache }): VendorAdapter {
  const core = createCore(config, options.cache);

  function session(): VendorSession {
    const loaders = createLoaders(core);
    return {
      vendor: 'INGRAM',
      customers: customerOps(core, loaders),
      resellers: resellerOps(core, loaders),
      subscriptions: subscriptionOps(core, loaders),
      orders: orderOps(core, loaders),
      products: productOps(core, loaders),
      plans: planOps(core, loaders),
      reports: reportOps(core, loaders),
      request: genericRequests(core.http, OFFSET_PAGING),
    };
  }

  const { supports, listable } = describeSession(session());

  return {
    vendor: 'INGRAM',
    baseUrl: config.baseUrl,
    simulated: options.simulated,
    supports,
    listable,
    reservedPaths: [TOKEN_PATH],
    isValidId(kind, vendorId) {
      switch (kind) {
        case 'Customer':
        case 'Reseller':
        case 'Subscription':
        case 'Order':
        case 'ServicePlan':
          return DIGITS.test(vendorId);
        case 'Report':
          return GUID.test(vendorId);
        case 'Product':
          return PRODUCT_ID.test(vendorId);
        default:
          return false;
      }
    },
    health: () => timedHealthCheck(HEALTH_CHECK, core.probe),
    circuit: () => core.http.circuit,
    prefetch: () => core.http.prefetchToken(),
    needsLogin: () => core.http.needsLogin(),
    session,
  };
}
