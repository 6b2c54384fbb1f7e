/**
 * Leader Cloud (Infiterra BSS API v3). OAuth2 password grant with the client id/secret in
 * HTTP Basic only; every call sends `X-Api-Version: 3`; lists are `pageIndex`/`pageSize`
 * (≤ 500) pages in a `{data, paging, links}` envelope with an OData-style `$filter`.
 *
 * The client stands on what the vendor documents. Forms that would be cheaper but rest on
 * inferred facts are inferred shortcuts (config `shortcuts`, see InferredShortcut), each
 * with a documented fallback chosen at run time when the vendor refuses it (a 400):
 *
 * | shortcut | documented fallback |
 * |---|---|
 * | `$filter=id in (…)` / `accountId in (…)` (the `in` operator, `guid'…'` literals, the `accountId` name) | by id: `GET /api/<entity>/{id}` per id, or the whole list 500 a page, whichever costs fewer calls; relations: the whole list, grouped here |
 * | `$filter=contains(name,'…')` (no function is documented) | the whole list, filtered here |
 * | `$filter=<DTO property> eq …` (`status`, `code`, `email`: properties of the DTO, not documented as filterable) | the whole list, filtered here |
 * | `include=customFields` on accounts (the value is not documented for accounts) | `GET /api/accounts/{id}/customfields`, only when a query selects a field it holds |
 *
 * `in (…)` batches are cut by the length of the query string (IIS rejects query strings
 * over 2,048 characters with a 404.15). A 403 whose body says `isRetriableError: true`, or
 * that carries Retry-After, is throttling (the vendor KB: a 403 can mean a rate limit):
 * UPSTREAM_RATE_LIMITED, and reads retry it like a 429.
 *
 * Files: `core.ts` (auth, HTTP, paging, the endpoint table), `loaders.ts` (one request's
 * loaders), one file per domain (`customers`, `subscriptions`, `orders`, `invoices`,
 * `products`), `mappers.ts` (vendor JSON → models).
 */
import type { LeaderCloudConfig } from '../../config.js';
import { PAGE_INDEX_PAGING, genericRequests } from '../../http/generic.js';
import type { VendorAdapter, VendorSession } from '../types.js';
import { GUID, describeSession, timedHealthCheck } from '../shared.js';
import type { ResponseCache } from '../../cache.js';
import { ENDPOINTS, VENDOR, createCore } from './core.js';
import { customersPart } from './customers.js';
import { invoicesPart } from './invoices.js';
import { SessionLoaders } from './loaders.js';
import { ordersPart } from './orders.js';
import { productsPart } from './products.js';
import { subscriptionsPart } from './subscriptions.js';

/** What health checks: the credentials (the cached token, or one login) and the API, with one cheap read. */
const HEALTH_CHECK = 'Authenticated read of one account (GET /api/accounts?pageIndex=1&pageSize=1; cached OAuth2 token)';

export function createLeaderCloudAdapter(config: LeaderCloudConfig, options: { simulated: boolean; cache?: ResponseCache }): VendorAdapter {
  const core = createCore(config, options.cache);
  const request = genericRequests(core.http, PAGE_INDEX_PAGING);

  function session(): VendorSession {
    const loaders = new SessionLoaders(core);
    return {
      vendor: VENDOR,
      customers: customersPart(core, loaders),
      subscriptions: subscriptionsPart(core, loaders),
      orders: ordersPart(core, loaders),
      invoices: invoicesPart(core, loaders),
      products: productsPart(core, loaders),
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
    reservedPaths: [ENDPOINTS.token],
    isValidId(kind, vendorId) {
      if (kind === 'Customer') return /^[1-9]\d{0,9}$/.test(vendorId) && Number(vendorId) <= 2 ** 31 - 1;
      return GUID.test(vendorId);
    },
    health: () => timedHealthCheck(HEALTH_CHECK, core.probe),
    circuit: () => core.http.circuit,
    prefetch: () => core.http.prefetchToken(),
    needsLogin: () => core.http.needsLogin(),
    session,
  };
}
