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
 * (keyed in lower case).
 *
 * Upstream cost per GraphQL request (session); each GET path is fetched at most once per
 * request (the `gets` loader), at most CONCURRENCY at a time for the whole request:
 * - Customers: `GET R/Organizations` (one call) serves every list page and any number of
 *   by-id loads. When one tick asks for at most DETAIL_LIMIT (2) organizations by id and the
 *   list has not been requested in this request, each is read with `GET R/Organizations/{id}`
 *   instead. List rows lack contact, address and e-mail (`lacks`): selecting those fields
 *   costs one `GET R/Organizations/{id}` per organization shown (`detail`, deduplicated).
 * - Subscriptions come from the per-kind endpoints of the endpoint index (Microsoft CSP NCE,
 *   legacy CSP, Azure, Azure plan, custom services), each row typed by the endpoint it came
 *   from (`serviceType`). Which customer a row belongs to must be documented: the
 *   organization-level endpoints say it in their path; the reseller-level ones
 *   (`R/services/csp/nce/subscriptions`, `R/services/csp/Subscriptions`,
 *   `R/services/azure/Subscriptions`, `R/services/{serviceId}/subscriptions`) say it only if
 *   their rows carry an organization id, which no source names. So the reseller-level lists
 *   are an InferredShortcut ("reseller-level subscription rows name their organization"):
 *   - shortcut (rows name their organization, as in the `extended` simulator): `GET
 *     R/services` (1) + the three typed reseller lists (3) + one per custom service (c),
 *     shared by all customers, + `GET R/organizations/{id}/services/azureplan/subscriptions`
 *     per customer (Azure plan has organization-level endpoints only): 4 + c + N;
 *   - documented form (after a refusal, or with `shortcuts: off`): `GET R/services` (1) +
 *     per customer its four typed lists (`…/csp/nce/subscriptions`, `…/csp/subscriptions`,
 *     `…/azure/subscriptions`, `…/azureplan/subscriptions`), its services (`GET
 *     R/organizations/{id}/services`) and one `…/services/{serviceId}/subscriptions` per
 *     custom service it has: 1 + N × 5 + Σ custom services.
 *   In `auto` the shortcut is tried until a reseller-level row without an organization is
 *   seen once (its reseller-level lists were then read in vain, once per adapter); then the
 *   documented form is used for the adapter's lifetime. A subscription by id, or the list of
 *   every subscription, reads every organization that way (plus `GET R/Organizations`).
 * - Products (by id, listed, Subscription.product, prices): `GET R/services` (shared with the
 *   above) + `GET R/services/{serviceId}/pricelist` per service (k), indexed by product id
 *   and by item code (Microsoft CSP price lists are keyed by ItemCode).
 * - Report: `GET R/billing/reports/MonthlyBillingPerOrganizationAsync/{taskId}` per task.
 * Orders and invoices do not exist at Cloudmore: BaseSession answers VENDOR_UNSUPPORTED.
 */
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { CloudmoreConfig } from '../../config.js';
import { UpstreamError, isNotFound } from '../../errors.js';
import { VendorHttp } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type { CustomerModel, EntityByKind, EntityKind, EntityModel, ProductModel, ReportModel, SubscriptionModel } from '../../model.js';
import type { PageResult } from '../../paging.js';
import { BaseSession, GUID, InferredShortcut, filteredPage, mapLimit, timedHealthCheck } from '../shared.js';
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

/** The Microsoft kinds with a reseller-level list, in the order rows are merged. */
const RESELLER_KINDS = ['nce', 'csp', 'azure'] as const;
/** Every Microsoft kind with an organization-level list (Azure plan has no reseller-level one). */
const ORGANIZATION_KINDS = ['nce', 'csp', 'azure', 'azureplan'] as const;

const seg = encodeURIComponent;

/** A reseller-level subscription row that names no organization: the shortcut cannot say whose it is. */
class OwnerUnknown extends UpstreamError {
  constructor(path: string) {
    super('CLOUDMORE', null, 'UPSTREAM_ERROR', `a row of GET ${path} names no organization, so the reseller-level subscription lists cannot be used`);
  }
}

/** The reseller-level subscriptions of one organization (shortcut): Microsoft rows, then custom-service rows. */
interface OwnedRows {
  typed: SubscriptionModel[];
  custom: SubscriptionModel[];
}

/** Reseller services, split the way subscription endpoints need them. */
interface ServiceSets {
  all: Set<string>;
  /** Services whose subscriptions are read on the custom-service endpoints, in `GET R/services` order. */
  custom: string[];
}

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

  /**
   * The reseller-level subscription lists as the source of every organization's Microsoft
   * and custom-service subscriptions: only usable while their rows name their organization
   * (inferred). A row without one, or a 400/405 for the list, is the vendor's refusal.
   */
  const resellerRows = new InferredShortcut(
    'CLOUDMORE',
    'reseller-level subscription lists (rows name their organization)',
    config.shortcuts,
    (error) => error instanceof OwnerUnknown || (error instanceof UpstreamError && (error.status === 400 || error.status === 405)),
  );

  const R = `api/resellers/${seg(config.resellerId)}`;
  const O = (organizationId: string) => `${R}/organizations/${seg(organizationId)}`;
  const paths = {
    organizations: `${R}/Organizations`,
    organization: (id: string) => `${R}/Organizations/${seg(id)}`,
    services: `${R}/services`,
    servicePriceList: (serviceId: string) => `${R}/services/${seg(serviceId)}/pricelist`,
    report: (taskId: string) => `${R}/billing/reports/MonthlyBillingPerOrganizationAsync/${seg(taskId)}`,
    /** Reseller level, every organization (spelled as in the endpoint index). */
    resellerSubscriptions: {
      nce: `${R}/services/csp/nce/subscriptions`,
      csp: `${R}/services/csp/Subscriptions`,
      azure: `${R}/services/azure/Subscriptions`,
    },
    serviceSubscriptions: (serviceId: string) => `${R}/services/${seg(serviceId)}/subscriptions`,
    /** Organization level: the organization is the path's. */
    organizationSubscriptions: {
      nce: (o: string) => `${O(o)}/services/csp/nce/subscriptions`,
      csp: (o: string) => `${O(o)}/services/csp/subscriptions`,
      azure: (o: string) => `${O(o)}/services/azure/subscriptions`,
      azureplan: (o: string) => `${O(o)}/services/azureplan/subscriptions`,
    },
    organizationServices: (o: string) => `${O(o)}/services`,
    organizationServiceSubscriptions: (o: string, serviceId: string) => `${O(o)}/services/${seg(serviceId)}/subscriptions`,
  };

  interface SubscriptionIndex {
    list: SubscriptionModel[];
    byId: Map<string, SubscriptionModel>;
  }
  interface ProductIndex {
    list: ProductModel[];
    byId: Map<string, ProductModel>;
  }

  const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

  /** Keeps the first subscription of each id (Microsoft kinds come before custom services). */
  function distinct(subscriptions: SubscriptionModel[]): SubscriptionModel[] {
    const seen = new Set<string>();
    return subscriptions.filter((s) => (seen.has(s.vendorId) ? false : (seen.add(s.vendorId), true)));
  }

  class CloudmoreSession extends BaseSession {
    readonly vendor = 'CLOUDMORE' as const;

    /** One limiter for every GET of this request, however many loaders and ticks ask. */
    private readonly limit = pLimit(CONCURRENCY);

    /**
     * Every GET of this request, keyed by path: deduplicated, at most CONCURRENCY at once,
     * and a failure rejects only its own path (DataLoader turns Error values into rejections).
     */
    private readonly gets = new DataLoader<string, unknown>((list) => mapLimit(list, this.limit, (path) => fetchJson(path).catch(asError)));

    private organizationsPromise: Promise<CustomerModel[]> | undefined;
    private organizationIndexPromise: Promise<Map<string, CustomerModel>> | undefined;
    private servicesPromise: Promise<ServiceSets> | undefined;
    private resellerRowsPromise: Promise<Map<string, OwnedRows> | null> | undefined;
    private subscriptionsPromise: Promise<SubscriptionIndex> | undefined;
    private productsPromise: Promise<ProductIndex> | undefined;

    /** Organization details (`GET R/Organizations/{id}`): complete customers, null when gone. */
    private readonly organizationDetails = new DataLoader<string, CustomerModel | null>((ids) =>
      Promise.all(
        ids.map((id) =>
          this.gets.load(paths.organization(id)).then(
            (body) => map.toCustomer(body),
            (error: unknown) => (isNotFound(error) ? null : asError(error)),
          ),
        ),
      ),
    );

    private readonly customers = new DataLoader<string, CustomerModel | null>(async (ids) => {
      if (ids.length <= DETAIL_LIMIT && !this.organizationsPromise) {
        return this.organizationDetails.loadMany(ids);
      }
      const index = await this.organizationIndex();
      return ids.map((id) => index.get(id) ?? null);
    });

    /** Every subscription of one organization, in a fixed order: NCE, legacy CSP, Azure, Azure plan, custom services. */
    private readonly organizationSubscriptions = new DataLoader<string, SubscriptionModel[]>(async (ids) => {
      const [services, reseller] = await Promise.all([this.serviceSets(), this.resellerLevel()]);
      return Promise.all(ids.map((id) => this.readOrganization(id, services, reseller).catch(asError)));
    });

    private readonly reports = new DataLoader<string, ReportModel | null>((ids) =>
      Promise.all(
        ids.map((id) =>
          this.gets.load(paths.report(id)).then(
            (body) => map.toReport(body, id),
            (error: unknown) => (isNotFound(error) ? null : asError(error)),
          ),
        ),
      ),
    );

    private async getList(path: string): Promise<J[]> {
      return map.listItems(await this.gets.load(path));
    }

    /**
     * A subscription or service list where 404 means none: an organization (or reseller)
     * without that kind of service, or a service that is not a custom one [U].
     */
    private async listOrNone(path: string, read: (body: J) => J[] = map.listItems): Promise<J[]> {
      try {
        return read(await this.gets.load(path));
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    }

    /** All organizations of the reseller, in Cloudmore's order (one call per request). */
    private organizations(): Promise<CustomerModel[]> {
      this.organizationsPromise ??= this.getList(paths.organizations).then((rows) => rows.map((row) => map.toCustomer(row, { fromList: true })));
      return this.organizationsPromise;
    }

    private organizationIndex(): Promise<Map<string, CustomerModel>> {
      this.organizationIndexPromise ??= this.organizations().then((list) => new Map(list.map((c) => [c.vendorId, c])));
      return this.organizationIndexPromise;
    }

    private async services(): Promise<J[]> {
      return this.getList(paths.services);
    }

    private serviceSets(): Promise<ServiceSets> {
      this.servicesPromise ??= this.services().then((services) => ({
        all: new Set(services.map(map.serviceId)),
        custom: services.filter((s) => !map.isMicrosoftService(s)).map(map.serviceId),
      }));
      return this.servicesPromise;
    }

    /** The reseller-level subscriptions grouped by organization (the shortcut), or null for the documented form. */
    private resellerLevel(): Promise<Map<string, OwnedRows> | null> {
      this.resellerRowsPromise ??= resellerRows.run(
        () => this.readResellerLevel(),
        async () => null,
      );
      return this.resellerRowsPromise;
    }

    private async readResellerLevel(): Promise<Map<string, OwnedRows>> {
      const { custom } = await this.serviceSets();
      const sources = [
        ...RESELLER_KINDS.map((kind) => ({ kind: kind as map.SubscriptionKind, path: paths.resellerSubscriptions[kind] })),
        ...custom.map((serviceId) => ({ kind: 'custom' as map.SubscriptionKind, path: paths.serviceSubscriptions(serviceId) })),
      ];
      const lists = await Promise.all(sources.map((source) => this.listOrNone(source.path)));
      const byOrganization = new Map<string, OwnedRows>();
      sources.forEach((source, i) => {
        for (const row of lists[i] ?? []) {
          const organizationId = map.rowOrganizationId(row);
          if (!organizationId) throw new OwnerUnknown(source.path);
          let owned = byOrganization.get(organizationId);
          if (!owned) byOrganization.set(organizationId, (owned = { typed: [], custom: [] }));
          (source.kind === 'custom' ? owned.custom : owned.typed).push(map.toSubscription(row, { kind: source.kind, organizationId }));
        }
      });
      return byOrganization;
    }

    /** One organization's subscriptions: from the reseller-level rows where the shortcut holds, else from its own endpoints. */
    private async readOrganization(id: string, services: ServiceSets, reseller: Map<string, OwnedRows> | null): Promise<SubscriptionModel[]> {
      const read = (kind: map.SubscriptionKind, path: string, body?: (b: J) => J[]) =>
        this.listOrNone(path, body).then((rows) => rows.map((row) => map.toSubscription(row, { kind, organizationId: id })));
      const typedKinds = reseller ? (['azureplan'] as const) : ORGANIZATION_KINDS;
      const [typed, custom] = await Promise.all([
        Promise.all(typedKinds.map((kind) => read(kind, paths.organizationSubscriptions[kind](id), kind === 'azureplan' ? map.listOrOne : undefined))),
        reseller ? Promise.resolve(reseller.get(id)?.custom ?? []) : this.organizationCustom(id, services, read),
      ]);
      const owned = reseller?.get(id)?.typed ?? [];
      return distinct([...owned, ...typed.flat(), ...custom]);
    }

    /** Custom-service subscriptions of one organization: its services, then one list per custom service it has. */
    private async organizationCustom(
      id: string,
      services: ServiceSets,
      read: (kind: map.SubscriptionKind, path: string) => Promise<SubscriptionModel[]>,
    ): Promise<SubscriptionModel[]> {
      const ids = (await this.listOrNone(paths.organizationServices(id))).map(map.organizationServiceId);
      // A row without a service id: read every custom service (a 404 is an empty list).
      const wanted = ids.some((s) => s === null)
        ? services.custom
        : [...services.custom.filter((s) => ids.includes(s)), ...(ids as string[]).filter((s) => !services.all.has(s))];
      const lists = await Promise.all(wanted.map((serviceId) => read('custom', paths.organizationServiceSubscriptions(id, serviceId))));
      return lists.flat();
    }

    /** Every subscription of every organization, in organization order. */
    private subscriptionIndex(): Promise<SubscriptionIndex> {
      this.subscriptionsPromise ??= (async () => {
        const organizations = await this.organizations();
        const lists = await this.organizationSubscriptions.loadMany(organizations.map((o) => o.vendorId));
        const failed = lists.find((l): l is Error => l instanceof Error);
        if (failed) throw failed;
        const list = distinct((lists as SubscriptionModel[][]).flat());
        return { list, byId: new Map(list.map((s) => [s.vendorId, s])) };
      })();
      return this.subscriptionsPromise;
    }

    /** Every product of every reseller service's price list: services (1) + one per service (k). */
    private productIndex(): Promise<ProductIndex> {
      this.productsPromise ??= (async () => {
        const services = await this.services();
        const lists = await Promise.all(services.map((s) => this.getList(paths.servicePriceList(map.serviceId(s)))));
        const byId = new Map<string, ProductModel>();
        const list: ProductModel[] = [];
        services.forEach((service, i) => {
          for (const item of lists[i] ?? []) {
            const product = map.toProduct(item, service);
            if (byId.has(product.vendorId)) continue;
            byId.set(product.vendorId, product);
            list.push(product);
            // Microsoft CSP price lists are keyed by item code [C, index]: subscriptions without a productId find their product by it.
            const code = item?.itemCode ? map.itemCodeKey(String(item.itemCode)) : null;
            if (code && !byId.has(code)) byId.set(code, product);
          }
        });
        return { list, byId };
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

    /** An organization list row lacks contact, address and e-mail: its detail GET has them (batched, deduplicated). */
    override async detail<M extends EntityModel>(entity: M): Promise<M | null> {
      if (!entity.lacks?.length) return entity;
      if (entity.kind !== 'Customer') return super.detail(entity);
      return (await this.organizationDetails.load(map.idKey(entity.vendorId))) as M | null;
    }

    async list<K extends EntityKind>(kind: K, offset: number, limit: number, filter?: ListFilter): Promise<PageResult<EntityByKind[K]>> {
      // Vendor ids in filters come from global ids: compare them in Cloudmore's (lower) case.
      const f = filter?.customerVendorId ? { ...filter, customerVendorId: map.idKey(filter.customerVendorId) } : filter;
      switch (kind) {
        case 'Customer':
          if (f?.email && !map.ORGANIZATION_LIST_HAS_EMAIL) return this.unsupported('filtering customers by e-mail');
          return filteredPage(await this.organizations(), offset, limit, f) as PageResult<EntityByKind[K]>;
        case 'Subscription': {
          // One customer's subscriptions need only that organization's lists.
          const source = f?.customerVendorId ? await this.organizationSubscriptions.load(f.customerVendorId) : (await this.subscriptionIndex()).list;
          return filteredPage(source, offset, limit, f) as PageResult<EntityByKind[K]>;
        }
        case 'Product':
          return filteredPage((await this.productIndex()).list, offset, limit, f) as PageResult<EntityByKind[K]>;
        default:
          return this.unsupported(`${kind} lists`);
      }
    }

    override async subscriptionsOf(customer: CustomerModel): Promise<SubscriptionModel[]> {
      return this.organizationSubscriptions.load(map.idKey(customer.vendorId));
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
