/**
 * The Cloudmore core every domain part is built from: configuration → the password-grant
 * TokenCache, the authenticated VendorHttp (`get` for reads, `send` for writes, never
 * retried), the endpoint table (every path in one place), the inferred reseller-level
 * shortcut, and the per-request loaders the domains share.
 *
 * Per request (`SessionLoaders`): every GET goes through one path-keyed DataLoader (`gets`),
 * deduplicated and at most CONCURRENCY in flight for the whole request, and derived indexes
 * (the organization list, the service list, one organization's subscriptions, the
 * subscription and product indexes) are memoised by name in `memo`. A write drops the
 * entries it makes stale (`gets.clear(path)`, `memo.forget(key)`) and primes what it got.
 * `productServices` carries what the subscription rows read say about where their products
 * are (which services' price lists), so the products part reads only those.
 */
import { ResponseCache } from '../../cache.js';
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { CloudmoreConfig } from '../../config.js';
import { UpstreamError, isNotFound } from '../../errors.js';
import { VendorHttp } from '../../http/client.js';
import { TokenCache } from '../../http/token.js';
import type { CustomerModel } from '../../model.js';
import { InferredShortcut, derivedOnce, mapLimit } from '../shared.js';
import * as map from './mappers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
export type J = any;

export const VENDOR = 'CLOUDMORE' as const;
/** Upstream GETs in flight at once within one request. */
export const CONCURRENCY = 8;
/** The IdentityServer token endpoint, relative to the API root (a generic request may never reach it). */
export const TOKEN_PATH = 'connect/token';
export const HEALTH_PATH = 'api/healthcheck';

const seg = encodeURIComponent;

/** Every Cloudmore path the adapter uses (R = `api/resellers/{resellerId}`), spelled as in the endpoint index. */
export function endpoints(resellerId: string) {
  const R = `api/resellers/${seg(resellerId)}`;
  const O = (organizationId: string) => `${R}/organizations/${seg(organizationId)}`;
  return {
    token: TOKEN_PATH,
    health: HEALTH_PATH,
    /** GET (list) and POST (create). */
    organizations: `${R}/Organizations`,
    /** GET, PUT, DELETE. */
    organization: (id: string) => `${R}/Organizations/${seg(id)}`,
    services: `${R}/services`,
    servicePriceList: (serviceId: string) => `${R}/services/${seg(serviceId)}/pricelist`,
    /** POST starts a task; GET `{taskId}` polls it. */
    billingAsync: `${R}/billing/reports/MonthlyBillingPerOrganizationAsync`,
    report: (taskId: string) => `${R}/billing/reports/MonthlyBillingPerOrganizationAsync/${seg(taskId)}`,
    /** Reseller level, every organization. */
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
    /** GET (list) and POST (add from the Estore). */
    organizationServices: (o: string) => `${O(o)}/services`,
    /** DELETE removes a custom service. */
    organizationService: (o: string, serviceId: string) => `${O(o)}/services/${seg(serviceId)}`,
    organizationServicePriceList: (o: string, serviceId: string) => `${O(o)}/services/${seg(serviceId)}/pricelist`,
    organizationServiceSubscriptions: (o: string, serviceId: string) => `${O(o)}/services/${seg(serviceId)}/subscriptions`,
    estore: (o: string) => `${O(o)}/Estore`,
  };
}

export type Endpoints = ReturnType<typeof endpoints>;

/** A reseller-level subscription row that names no organization: the shortcut cannot say whose it is. */
export class OwnerUnknown extends UpstreamError {
  constructor(path: string) {
    super(VENDOR, null, 'UPSTREAM_ERROR', `a row of GET ${path} names no organization, so the reseller-level subscription lists cannot be used`);
  }
}

export interface CloudmoreCore {
  readonly config: CloudmoreConfig;
  /** Bearer-authenticated calls. */
  readonly http: VendorHttp;
  /** Calls without a token: the healthcheck. */
  readonly plainHttp: VendorHttp;
  /** The cached token (single flight, negative cache after a refused login). */
  readonly token: TokenCache;
  readonly paths: Endpoints;
  /** Reseller-level subscription lists as the source of every organization's rows (inferred). */
  readonly resellerRows: InferredShortcut;
  /**
   * The health probe: the healthcheck (no token) and, at once, the cheapest authenticated
   * read (the reseller's services) through the normal client, so the credentials are
   * checked too and the token comes from the TokenCache (no login while one is cached,
   * none while a refused login backs off). Neither is retried. The first problem wins.
   */
  probe(): Promise<string | null>;
}

export function createCore(config: CloudmoreConfig, cache?: ResponseCache): CloudmoreCore {
  const secrets = [config.clientSecret, config.password];
  // RFC 6749 §2.3.1: id and secret are form-encoded before Base64 (IdentityServer decodes them).
  const basic = `Basic ${Buffer.from(`${seg(config.clientId)}:${seg(config.clientSecret)}`).toString('base64')}`;
  const common = { vendor: VENDOR, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, secrets, errorMessage: map.errorMessage };
  const plainHttp = new VendorHttp({ ...common, readRetries: 0 });
  // IdentityServer answers 400 (invalid_client, invalid_grant…) for bad credentials: the
  // token endpoint's client makes any 4xx of the login UPSTREAM_AUTH_FAILED.
  const authHttp = new VendorHttp({ ...common, readRetries: 0, tokenEndpoint: true });
  const requestToken = async () => {
    const { body } = await authHttp.request<J>('POST', TOKEN_PATH, {
      form: map.tokenForm(config.username, config.password),
      headers: { authorization: basic },
    });
    return map.toIssuedToken(body);
  };
  const token = new TokenCache(requestToken);
  const http = new VendorHttp({ ...common, token, circuit: { resetMs: config.circuitResetMs }, maxConcurrency: config.maxConcurrency, identity: ResponseCache.identity(VENDOR, [config.baseUrl, config.clientId, config.username, config.resellerId]), cache });
  const resellerRows = new InferredShortcut(
    VENDOR,
    'reseller-level subscription lists (rows name their organization)',
    config.shortcuts,
    (error) => error instanceof OwnerUnknown || (error instanceof UpstreamError && (error.status === 400 || error.status === 405)),
    config.baseUrl,
  );
  const paths = endpoints(config.resellerId);
  async function probe(): Promise<string | null> {
    const ping = plainHttp.request<J>('GET', paths.health, { retries: 0 }).then(({ body }) => map.healthProblem(body));
    const read = http.request<J>('GET', paths.services, { retries: 0 }).then(() => null);
    // Rejects with the first failure (a refused login while backing off fails at once).
    const [problem] = await Promise.all([ping, read]);
    return problem;
  }
  return { config, http, plainHttp, token, paths, resellerRows, probe };
}

export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Per-request memo of derived values by name; a write forgets what it made stale. */
export class Memo {
  private readonly values = new Map<string, Promise<unknown>>();

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.values.get(key) as Promise<T> | undefined;
    if (!value) this.values.set(key, (value = compute()));
    return value;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  forget(...keys: string[]): void {
    for (const key of keys) this.values.delete(key);
  }
}

/** Memo keys shared across domains (what a write in one domain makes stale in another). */
export const MEMO = {
  organizations: 'organizations',
  organizationIndex: 'organizations:index',
  services: 'services',
  serviceSets: 'services:sets',
  resellerRows: 'subscriptions:reseller',
  subscriptionIndex: 'subscriptions:index',
  productIndex: 'products:index',
  organizationSubscriptions: (organizationId: string) => `subscriptions:of:${organizationId}`,
} as const;

/** Reseller services, split the way subscription endpoints need them. */
export interface ServiceSets {
  all: Set<string>;
  /** Services whose subscriptions are read on the custom-service endpoints, in `GET R/services` order. */
  custom: string[];
  /** Service id → the service row. */
  byId: Map<string, J>;
  /** Service id → the kinds of list its subscriptions are on (`map.serviceKinds`; null: its type says neither). */
  kinds: Map<string, map.SubscriptionKind[] | null>;
  /** The services whose subscriptions a kind of list holds (custom: every custom service), in `GET R/services` order. */
  ofKind(kind: map.SubscriptionKind): string[];
}

/**
 * Which reseller services' price lists hold a product, as the subscriptions read in this
 * request tell: a row read from a custom-service list is of that service, a Microsoft row
 * of the services of its kind. Products are then read from those price lists only.
 */
export class ProductServices {
  private readonly byKey = new Map<string, Set<string>>();

  add(productKey: string | null | undefined, serviceIds: readonly string[]): void {
    if (!productKey || serviceIds.length === 0) return;
    let set = this.byKey.get(productKey);
    if (!set) this.byKey.set(productKey, (set = new Set()));
    for (const id of serviceIds) set.add(id);
  }

  of(productKey: string): string[] {
    return [...(this.byKey.get(productKey) ?? [])];
  }
}

/** What every domain part of one session shares. */
export interface SessionLoaders {
  /** Every GET of this request, keyed by path. */
  readonly gets: DataLoader<string, unknown>;
  readonly memo: Memo;
  /** The services whose price lists hold the products of the subscriptions read so far. */
  readonly productServices: ProductServices;
  /** A bare-array list (anything else reads as empty). */
  getList(path: string): Promise<J[]>;
  /** A list where 404 means none (an organization without that kind of service, a non-custom service). */
  listOrNone(path: string, read?: (body: J) => J[]): Promise<J[]>;
  /** All organizations of the reseller, in Cloudmore's order (one call per request). */
  organizations(): Promise<CustomerModel[]>;
  organizationIndex(): Promise<Map<string, CustomerModel>>;
  /** `GET R/services` rows. */
  services(): Promise<J[]>;
  serviceSets(): Promise<ServiceSets>;
  /** Drops what a change to the organization list (create, update, delete) makes stale. */
  organizationsChanged(): void;
  /** Drops what a change to one organization's services (one of them, when given) makes stale. */
  organizationServicesChanged(organizationId: string, serviceId?: string): void;
}

export function sessionLoaders(core: CloudmoreCore): SessionLoaders {
  const { http, paths } = core;
  const limit = pLimit(CONCURRENCY);
  // A failure rejects only its own path (DataLoader turns Error values into rejections).
  const gets = new DataLoader<string, unknown>((list) => mapLimit(list, limit, (path) => http.get<unknown>(path).catch(asError)));
  const memo = new Memo();

  const getList = async (path: string): Promise<J[]> => map.listItems(await gets.load(path));
  const listOrNone = async (path: string, read: (body: J) => J[] = map.listItems): Promise<J[]> => {
    try {
      return read(await gets.load(path));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  };
  // The organization list is read whole for every page: its models are made once per cached body (derivedOnce).
  const organizations = () =>
    memo.get(MEMO.organizations, async () => derivedOnce(await getList(paths.organizations), 'organizations', (rows) => rows.map((row) => map.toCustomer(row, { fromList: true }))));
  const services = () => memo.get(MEMO.services, () => getList(paths.services));

  return {
    gets,
    memo,
    productServices: new ProductServices(),
    getList,
    listOrNone,
    organizations,
    organizationIndex: () => memo.get(MEMO.organizationIndex, async () => derivedOnce(await organizations(), 'index', (all) => new Map(all.map((c) => [c.vendorId, c])))),
    services,
    serviceSets: () =>
      memo.get(MEMO.serviceSets, async () => {
        const rows = await services();
        const ids = rows.map(map.serviceId);
        const kinds = new Map(rows.map((s) => [map.serviceId(s), map.serviceKinds(s)]));
        const custom = rows.filter((s) => !map.isMicrosoftService(s)).map(map.serviceId);
        return {
          all: new Set(ids),
          custom,
          byId: new Map(rows.map((s) => [map.serviceId(s), s])),
          kinds,
          ofKind: (kind) => (kind === 'custom' ? custom : ids.filter((id) => kinds.get(id)?.includes(kind) ?? true)),
        };
      }),
    organizationsChanged() {
      gets.clear(paths.organizations);
      memo.forget(MEMO.organizations, MEMO.organizationIndex, MEMO.subscriptionIndex);
    },
    organizationServicesChanged(organizationId, serviceId) {
      gets.clear(paths.organizationServices(organizationId)).clear(paths.estore(organizationId));
      if (serviceId) {
        gets.clear(paths.organizationServicePriceList(organizationId, serviceId)).clear(paths.organizationServiceSubscriptions(organizationId, serviceId));
      }
      memo.forget(MEMO.organizationSubscriptions(organizationId), MEMO.subscriptionIndex);
    },
  };
}
