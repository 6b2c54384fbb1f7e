/**
 * Cloudmore broker (reseller) API v1.07.0.
 *
 * Auth: OAuth2 password grant at `POST {baseUrl}/connect/token` (IdentityServer), scope
 * `api`, client id/secret in HTTP Basic; the 24 h token is cached by a TokenCache (single
 * flight, one refresh + retry on a 401). Every other call is under
 * `/api/resellers/{resellerId}/…` (R below); the healthcheck needs no token.
 *
 * Cloudmore lists are bare arrays with no paging and no filters (except
 * `Organizations?showActive`), so this adapter reads whole lists once per request and pages
 * and filters them in the graph (`filteredPage`).
 *
 * Ids: every vendorId is the plain Cloudmore GUID (organization, subscription, product,
 * report task id), validated with GUID before any call and compared case-insensitively
 * (keyed in lower case). No composite ids are needed: subscriptions and products are found
 * through the request's shared reseller-level lists below.
 *
 * Upstream cost per GraphQL request (session); each GET path is fetched at most once per
 * request (the `gets` loader), at most CONCURRENCY at a time:
 * - Customers: `GET R/Organizations` (one call) serves every list page and any number of
 *   by-id loads. Exception: when one tick asks for at most DETAIL_LIMIT (2) organizations by
 *   id and the list has not been requested in this request, each is read with
 *   `GET R/Organizations/{id}` (the detail also carries contact, address and e-mail, which
 *   the list item lacks). Deterministic for a given query.
 * - Subscriptions (by customer, by id, or listed): `GET R/services` (1) + `GET
 *   R/services/{serviceId}/subscriptions` per service (k), grouped by organization:
 *   1 + k calls whatever the number of customers.
 * - Products (by id, listed, Subscription.product, prices): `GET R/services` (shared with the
 *   above) + `GET R/services/{serviceId}/pricelist` per service (k), indexed by product id.
 * - Report: `GET R/billing/reports/MonthlyBillingPerOrganizationAsync/{taskId}` per task.
 * Orders and invoices do not exist at Cloudmore: BaseSession answers VENDOR_UNSUPPORTED.
 */
import DataLoader from 'dataloader';
import type { CloudmoreConfig } from '../../config.js';
import { UpstreamError, isNotFound } from '../../errors.js';
import { VendorHttp } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type { CustomerModel, EntityByKind, EntityKind, ProductModel, ReportModel, SubscriptionModel } from '../../model.js';
import type { PageResult } from '../../paging.js';
import { BaseSession, GUID, filteredPage, groupBy, mapLimit, timedHealthCheck } from '../shared.js';
import type { ListFilter, VendorAdapter } from '../types.js';
import * as map from './mappers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

/** By-id organization loads of one tick up to this many use the detail GET, more use the list. */
const DETAIL_LIMIT = 2;
/** Upstream GETs in flight at once within one request. */
const CONCURRENCY = 8;
const HEALTH_CHECK = 'Cloudmore healthcheck (GET /api/healthcheck)';

const SUPPORTS: readonly EntityKind[] = ['Customer', 'Subscription', 'Product', 'Report'];
/** Reports exist per task id but Cloudmore has no list of them. */
const LISTABLE: readonly EntityKind[] = ['Customer', 'Subscription', 'Product'];

const seg = encodeURIComponent;

export function createCloudmoreAdapter(config: CloudmoreConfig, options: { simulated: boolean }): VendorAdapter {
  const secrets = [config.clientSecret, config.password];
  // RFC 6749 §2.3.1: id and secret are form-encoded before Base64 (IdentityServer decodes them).
  const basic = `Basic ${Buffer.from(`${seg(config.clientId)}:${seg(config.clientSecret)}`).toString('base64')}`;
  const common = { vendor: 'CLOUDMORE' as const, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, secrets, errorMessage: map.errorMessage };
  /** Calls without a bearer token: the token request itself and the healthcheck. */
  const plainHttp = new VendorHttp({ ...common, readRetries: 0 });
  const requestToken = async () => {
    try {
      const { body } = await plainHttp.request<J>('POST', 'connect/token', {
        form: map.tokenForm(config.username, config.password),
        headers: { authorization: basic },
      });
      return map.toIssuedToken(body);
    } catch (error) {
      // IdentityServer answers 400 (invalid_client, invalid_grant…) for bad credentials:
      // that is an authentication failure, not a bad request of the client's.
      if (error instanceof UpstreamError && (error.status === 400 || error.status === 401)) {
        const detail = error.message.replace(/^[^:]*\):\s*/, '').replace(/\.$/, '');
        throw new UpstreamError('CLOUDMORE', error.status, 'UPSTREAM_AUTH_FAILED', `token request rejected (${detail})`);
      }
      throw error;
    }
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ ...common, token });

  const fetchJson = (path: string): Promise<unknown> => http.get<unknown>(path);

  const R = `api/resellers/${seg(config.resellerId)}`;
  const paths = {
    organizations: `${R}/Organizations`,
    organization: (id: string) => `${R}/Organizations/${seg(id)}`,
    services: `${R}/services`,
    serviceSubscriptions: (serviceId: string) => `${R}/services/${seg(serviceId)}/subscriptions`,
    servicePriceList: (serviceId: string) => `${R}/services/${seg(serviceId)}/pricelist`,
    report: (taskId: string) => `${R}/billing/reports/MonthlyBillingPerOrganizationAsync/${seg(taskId)}`,
  };

  interface SubscriptionIndex {
    list: SubscriptionModel[];
    byId: Map<string, SubscriptionModel>;
    byOrganization: Map<string, SubscriptionModel[]>;
  }
  interface ProductIndex {
    list: ProductModel[];
    byId: Map<string, ProductModel>;
  }

  class CloudmoreSession extends BaseSession {
    readonly vendor = 'CLOUDMORE' as const;

    /**
     * Every GET of this request, keyed by path: deduplicated, at most CONCURRENCY at once,
     * and a failure rejects only its own path (DataLoader turns Error values into rejections).
     */
    private readonly gets = new DataLoader<string, unknown>((list) =>
      mapLimit(list, CONCURRENCY, (path) => fetchJson(path).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
    );

    private organizationsPromise: Promise<CustomerModel[]> | undefined;
    private organizationIndexPromise: Promise<Map<string, CustomerModel>> | undefined;
    private subscriptionsPromise: Promise<SubscriptionIndex> | undefined;
    private productsPromise: Promise<ProductIndex> | undefined;

    private readonly customers = new DataLoader<string, CustomerModel | null>(async (ids) => {
      if (ids.length <= DETAIL_LIMIT && !this.organizationsPromise) {
        return Promise.all(
          ids.map((id) =>
            this.gets.load(paths.organization(id)).then(
              (body) => map.toCustomer(body),
              (error: unknown) => (isNotFound(error) ? null : (error as Error)),
            ),
          ),
        );
      }
      const index = await this.organizationIndex();
      return ids.map((id) => index.get(id) ?? null);
    });

    private readonly reports = new DataLoader<string, ReportModel | null>((ids) =>
      Promise.all(
        ids.map((id) =>
          this.gets.load(paths.report(id)).then(
            (body) => map.toReport(body, id),
            (error: unknown) => (isNotFound(error) ? null : (error as Error)),
          ),
        ),
      ),
    );

    private async getList(path: string): Promise<J[]> {
      return map.listItems(await this.gets.load(path));
    }

    /** All organizations of the reseller, in Cloudmore's order (one call per request). */
    private organizations(): Promise<CustomerModel[]> {
      this.organizationsPromise ??= this.getList(paths.organizations).then((rows) => rows.map(map.toCustomer));
      return this.organizationsPromise;
    }

    private organizationIndex(): Promise<Map<string, CustomerModel>> {
      this.organizationIndexPromise ??= this.organizations().then((list) => new Map(list.map((c) => [c.vendorId, c])));
      return this.organizationIndexPromise;
    }

    private async services(): Promise<J[]> {
      return this.getList(paths.services);
    }

    /** Every subscription of every organization: services (1) + one list per service (k). */
    private subscriptionIndex(): Promise<SubscriptionIndex> {
      this.subscriptionsPromise ??= (async () => {
        const services = await this.services();
        const lists = await Promise.all(services.map((s) => this.getList(paths.serviceSubscriptions(map.serviceId(s)))));
        const byId = new Map<string, SubscriptionModel>();
        for (const row of lists.flat()) {
          const sub = map.toSubscription(row);
          if (!byId.has(sub.vendorId)) byId.set(sub.vendorId, sub);
        }
        const list = [...byId.values()];
        return { list, byId, byOrganization: groupBy(list, (s) => s.customerVendorId) };
      })();
      return this.subscriptionsPromise;
    }

    /** Every product of every reseller service's price list: services (1) + one per service (k). */
    private productIndex(): Promise<ProductIndex> {
      this.productsPromise ??= (async () => {
        const services = await this.services();
        const lists = await Promise.all(services.map((s) => this.getList(paths.servicePriceList(map.serviceId(s)))));
        const byId = new Map<string, ProductModel>();
        services.forEach((service, i) => {
          for (const item of lists[i] ?? []) {
            const product = map.toProduct(item, service);
            if (!byId.has(product.vendorId)) byId.set(product.vendorId, product);
          }
        });
        return { list: [...byId.values()], byId };
      })();
      return this.productsPromise;
    }

    async get<K extends EntityKind>(kind: K, vendorId: string): Promise<EntityByKind[K] | null> {
      const key = map.idKey(vendorId);
      let found: EntityByKind[EntityKind] | null;
      switch (kind) {
        case 'Customer':
          found = await this.customers.load(key);
          break;
        case 'Subscription':
          found = (await this.subscriptionIndex()).byId.get(key) ?? null;
          break;
        case 'Product':
          found = (await this.productIndex()).byId.get(key) ?? null;
          break;
        case 'Report':
          found = await this.reports.load(key);
          break;
        default:
          return this.unsupported(`${kind} objects`);
      }
      return found as EntityByKind[K] | null;
    }

    async list<K extends EntityKind>(kind: K, offset: number, limit: number, filter?: ListFilter): Promise<PageResult<EntityByKind[K]>> {
      // Vendor ids in filters come from global ids: compare them in Cloudmore's (lower) case.
      const f = filter?.customerVendorId ? { ...filter, customerVendorId: map.idKey(filter.customerVendorId) } : filter;
      switch (kind) {
        case 'Customer':
          if (f?.email && !map.ORGANIZATION_LIST_HAS_EMAIL) return this.unsupported('filtering customers by e-mail');
          return filteredPage(await this.organizations(), offset, limit, f) as PageResult<EntityByKind[K]>;
        case 'Subscription':
          return filteredPage((await this.subscriptionIndex()).list, offset, limit, f) as PageResult<EntityByKind[K]>;
        case 'Product':
          return filteredPage((await this.productIndex()).list, offset, limit, f) as PageResult<EntityByKind[K]>;
        default:
          return this.unsupported(`${kind} lists`);
      }
    }

    override async subscriptionsOf(customer: CustomerModel): Promise<SubscriptionModel[]> {
      return (await this.subscriptionIndex()).byOrganization.get(map.idKey(customer.vendorId)) ?? [];
    }

    override async productPrices(productVendorId: string) {
      return (await this.productIndex()).byId.get(map.idKey(productVendorId))?.prices ?? [];
    }
  }

  return {
    vendor: 'CLOUDMORE',
    baseUrl: config.baseUrl,
    simulated: options.simulated,
    supports: SUPPORTS,
    listable: LISTABLE,
    isValidId(kind, vendorId) {
      return SUPPORTS.includes(kind) && GUID.test(vendorId);
    },
    health: () => timedHealthCheck(HEALTH_CHECK, async () => map.healthProblem(await plainHttp.get<J>('api/healthcheck'))),
    session: () => new CloudmoreSession(),
  };
}
