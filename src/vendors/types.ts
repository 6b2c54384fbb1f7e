/**
 * The contract between the graph and a distributor, split by domain. Each vendor folder
 * exports a factory that builds a `VendorAdapter`; the adapter opens a `VendorSession`
 * per GraphQL request holding that request's DataLoaders, so every REST call goes through
 * a loader and is batched and deduplicated within the request.
 *
 * A session has one part per domain the vendor has (`customers`, `subscriptions`, ...),
 * each with a typed input/output per operation; an operation only some vendors can do is
 * an optional method. What a vendor has follows from which parts and methods exist:
 * `supports` and `listable` are derived from them (see `describeAdapter`), and the
 * resolvers raise VENDOR_UNSUPPORTED in one place (resolvers/common.ts `ops`/`op`) when a
 * part or method is missing. Relations live with the entity they return: the
 * subscriptions of a customer are `subscriptions.ofCustomer`.
 *
 * Every id in this contract is the vendor's own (resolvers decode and check global ids
 * first). Writes return the changed model and drop the request's loader entries they make
 * stale.
 *
 * Adding a fourth distributor means adding a folder that implements this, and a line in
 * registry.ts; resolvers do not change.
 */
import type {
  ActivationResultModel,
  AddressModel,
  BillingFrequencyModel,
  BillingLineModel,
  CharacteristicModel,
  ContactModel,
  CustomFieldModel,
  CustomerModel,
  CustomerServiceModel,
  CustomerStatusModel,
  EntityKind,
  ExternalPriceModel,
  InstallmentPlanModel,
  InvoiceItemModel,
  InvoiceModel,
  InvoiceStatusModel,
  OrderEstimateModel,
  OrderExecutionStatusModel,
  OrderItemModel,
  OrderModel,
  OrderStatusModel,
  ProductAddonModel,
  ProductModel,
  ProductPriceModel,
  QuantityRequestModel,
  ReportModel,
  ReportStatusModel,
  ResellerModel,
  ServicePlanModel,
  SubscriptionAddonModel,
  SubscriptionModel,
  SubscriptionStatusModel,
  VendorName,
  VendorServiceModel,
} from '../model.js';
import type { PageResult } from '../paging.js';
import type { CircuitState } from '../http/client.js';

// ---- reads -------------------------------------------------------------------------

/** Filters in vendor terms: ids are the vendor's own. Adapters push down what they can. */
export interface ListFilter {
  name?: string | null;
  externalId?: string | null;
  email?: string | null;
  sku?: string | null;
  customerVendorId?: string | null;
  resellerVendorId?: string | null;
  subscriptionVendorId?: string | null;
  customerStatus?: CustomerStatusModel | null;
  subscriptionStatus?: SubscriptionStatusModel | null;
  orderStatus?: OrderStatusModel | null;
  invoiceStatus?: InvoiceStatusModel | null;
  reportStatus?: ReportStatusModel | null;
  /** ISO date-times. */
  updatedSince?: string | null;
  billingAddressUpdatedSince?: string | null;
  createdFrom?: string | null;
  createdTo?: string | null;
  /** An invoice's invoice date: ISO date-times, `from` inclusive, `to` exclusive. */
  invoiceDate?: { from?: string | null; to?: string | null } | null;
  /** An order number. */
  number?: string | null;
  /** The vendor's own status code (Ingram order statusCode). */
  vendorStatusCode?: string | null;
  serviceName?: string | null;
  publisher?: string | null;
  /** Report format (lower case: csv, xml, xlsx, json) and the vendor's report type. */
  format?: string | null;
  type?: string | null;
  sort?: { field: 'NAME' | 'CREATED_AT' | 'UPDATED_AT'; direction: 'ASC' | 'DESC' } | null;
}

/** What every domain has: one entity by id (batched; null when it does not exist) and, when the vendor can, a list. */
export interface EntityOps<M> {
  get(vendorId: string): Promise<M | null>;
  /** One page of the vendor's list, filters applied. Absent: the vendor cannot list these. */
  list?(offset: number, limit: number, filter: ListFilter): Promise<PageResult<M>>;
  /** The complete form of a model mapped from a list row that `lacks` fields (default: `get`). */
  detail?(entity: M): Promise<M | null>;
}

// ---- write inputs (vendor ids; validated by the resolvers before any call) ----------

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

export interface CustomFieldValue {
  id: string;
  value: string | null;
}

export interface CustomerWrite {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  address?: AddressModel | null;
  contact?: ContactModel | null;
  /** Leader Cloud: RFC 6902 operations (update only). */
  patch?: JsonPatchOp[] | null;
  /** Ingram: the reseller to create the customer under (create only). */
  resellerVendorId?: string | null;
  /** Leader Cloud AccountCreate settings as given (create only); the adapter fills in its defaults. */
  leaderCloud?: {
    orderingEnabled?: boolean | null;
    separateInvoices?: boolean | null;
    taxable?: boolean | null;
    creditLimit?: string | null;
    autoInvoiceNotification?: boolean | null;
    noteType?: string | null;
    resellingEnabled?: boolean | null;
    isAffiliate?: boolean | null;
    billingFrequencyEnabled?: boolean | null;
    billingFrequencyMarkup?: string | null;
    countryId?: number | null;
    stateId?: number | null;
    customFields?: Array<{ id: string; value?: string | null }> | null;
  } | null;
  cloudmore?: { registrationNumber?: string | null; vat?: string | null; notificationEmail?: string | null } | null;
  ingram?: { language?: string | null; taxRegId?: string | null; attributes?: Record<string, unknown> | null } | null;
  currency?: string | null;
}

export interface CustomerCreate extends CustomerWrite {
  name: string;
}

export interface OrderLine {
  productVendorId: string;
  quantity: number;
  billingFrequencyOptionId?: string | null;
  unitId?: string | null;
  subscriptionVendorId?: string | null;
  customEndDate?: string | null;
  parameters?: Array<{ name: string; value: string }> | null;
}

export interface OrderCreate {
  customerVendorId: string;
  items: OrderLine[];
  /** Leader Cloud: check the draft out after adding the items. */
  checkout: boolean;
  /** Ingram order type, lower case (sales, change, renewal, cancellation). */
  type?: string | null;
  poNumber?: string | null;
}

export interface ProductPriceWrite {
  productVendorId: string;
  unitPrice?: string | null;
  unitCost?: string | null;
  currency?: string | null;
}

export interface ReportSchedule {
  name: string;
  startDate: string;
  endDate?: string | null;
  /** Lower case: csv, xml, xlsx, json. */
  format?: string | null;
  customizationName?: string | null;
}

// ---- domains -----------------------------------------------------------------------

/** A relation a customer list's rows select, with the arguments it is selected with (`subscriptions(status: ACTIVE)`). */
export interface RelationSelection {
  name: string;
  args: Readonly<Record<string, unknown>>;
}

/** The page a list field asks of one vendor: at most `first` rows, from the list's start or not. */
export interface ListPage {
  first: number;
  fromStart: boolean;
}

export interface CustomerOps extends EntityOps<CustomerModel> {
  /**
   * A customer list is about to be read whose rows select these relations (`subscriptions`,
   * `orders`, `invoices`): a vendor may start what it will read anyway (no extra calls).
   * `page`: the page asked of this vendor alone (a list of one vendor).
   */
  lookahead?(relations: readonly RelationSelection[], page?: ListPage): void;
  ofReseller?(resellerVendorId: string, filter: ListFilter): Promise<CustomerModel[]>;
  customFields?(customer: CustomerModel): Promise<CustomFieldModel[] | null>;
  billingAddress?(customer: CustomerModel): Promise<AddressModel | null>;
  services?(customer: CustomerModel): Promise<CustomerServiceModel[]>;
  estore?(customer: CustomerModel): Promise<VendorServiceModel[]>;
  create?(input: CustomerCreate): Promise<CustomerModel>;
  update?(vendorId: string, input: CustomerWrite): Promise<CustomerModel>;
  delete?(vendorId: string): Promise<void>;
  setCustomFields?(vendorId: string, values: CustomFieldValue[]): Promise<CustomerModel>;
  addService?(customerVendorId: string, serviceVendorId: string, properties: Record<string, unknown> | null): Promise<CustomerServiceModel>;
  removeService?(customerVendorId: string, serviceVendorId: string): Promise<void>;
}

export interface ResellerOps extends EntityOps<ResellerModel> {
  create?(input: CustomerCreate): Promise<ResellerModel>;
  update?(vendorId: string, input: CustomerWrite): Promise<ResellerModel>;
}

export interface SubscriptionOps extends EntityOps<SubscriptionModel> {
  /** With `status`, a vendor may skip what is filtered out (the resolver filters again). */
  ofCustomer?(customer: CustomerModel, status?: SubscriptionStatusModel | null): Promise<SubscriptionModel[]>;
  ofCustomerService?(service: CustomerServiceModel): Promise<SubscriptionModel[]>;
  addons?(subscription: SubscriptionModel): Promise<SubscriptionAddonModel[]>;
  customFields?(subscription: SubscriptionModel): Promise<CustomFieldModel[]>;
  characteristics?(subscription: SubscriptionModel): Promise<CharacteristicModel[]>;
  installmentPlan?(subscription: SubscriptionModel): Promise<InstallmentPlanModel | null>;
  quantityRequest?(subscription: SubscriptionModel, requestId: string): Promise<QuantityRequestModel | null>;
  cancel?(vendorId: string): Promise<SubscriptionModel | null>;
  cancelAddon?(vendorId: string, addonVendorId: string): Promise<SubscriptionModel | null>;
  /** `effectiveDate` is ISO; the vendor applies the change then (Leader Cloud: asynchronously). */
  updateQuantity?(vendorId: string, quantity: number, effectiveDate: string): Promise<{ subscription: SubscriptionModel | null; request: QuantityRequestModel | null }>;
  setAutoRenewal?(vendorId: string, enabled: boolean): Promise<SubscriptionModel | null>;
  update?(vendorId: string, input: { attributes?: Record<string, unknown> | null; autoRenew?: boolean | null }): Promise<SubscriptionModel | null>;
  updatePricing?(vendorId: string, products: ProductPriceWrite[]): Promise<SubscriptionModel | null>;
}

export interface OrderOps extends EntityOps<OrderModel> {
  ofCustomer?(customer: CustomerModel): Promise<OrderModel[]>;
  ofReseller?(resellerVendorId: string): Promise<OrderModel[]>;
  ofInvoice?(invoice: InvoiceModel): Promise<OrderModel[]>;
  items?(order: OrderModel): Promise<OrderItemModel[]>;
  executionStatus?(order: OrderModel): Promise<OrderExecutionStatusModel | null>;
  create?(input: OrderCreate): Promise<OrderModel>;
  addItem?(orderVendorId: string, line: OrderLine): Promise<OrderModel>;
  checkout?(orderVendorId: string): Promise<OrderModel>;
  update?(orderVendorId: string, input: { creditCheck?: boolean | null; statusCode?: string | null }): Promise<OrderModel>;
  estimate?(input: OrderCreate): Promise<OrderEstimateModel>;
  validateParameters?(input: OrderCreate): Promise<ActivationResultModel>;
}

export interface InvoiceOps extends EntityOps<InvoiceModel> {
  ofCustomer?(customer: CustomerModel): Promise<InvoiceModel[]>;
  items?(invoice: InvoiceModel): Promise<InvoiceItemModel[]>;
  customFields?(invoice: InvoiceModel): Promise<CustomFieldModel[]>;
}

export interface ProductOps extends EntityOps<ProductModel> {
  prices?(product: ProductModel): Promise<ProductPriceModel[]>;
  addons?(product: ProductModel): Promise<ProductAddonModel[]>;
  billingFrequencies?(product: ProductModel): Promise<BillingFrequencyModel[]>;
  externalPrices?(product: ProductModel): Promise<ExternalPriceModel[]>;
  characteristics?(product: ProductModel): Promise<CharacteristicModel[]>;
  customFields?(product: ProductModel): Promise<CustomFieldModel[]>;
  /** An organization's price list for one of its services (Cloudmore). */
  ofCustomerService?(service: CustomerServiceModel): Promise<ProductModel[]>;
}

export type PlanOps = EntityOps<ServicePlanModel>;

export interface ReportOps extends EntityOps<ReportModel> {
  /** Starts the vendor's monthly billing report (Cloudmore); the report is then polled by id. */
  startBilling?(year: number, month: number): Promise<ReportModel>;
  /** Schedules a one-time report (Ingram). */
  schedule?(input: ReportSchedule): Promise<ReportModel>;
  lines?(report: ReportModel): Promise<BillingLineModel[] | null>;
}

/** The vendor's catalogue of services (Cloudmore reseller services). */
export interface ServiceOps {
  list(): Promise<VendorServiceModel[]>;
  get?(vendorId: string): Promise<VendorServiceModel | null>;
}

/** Generic requests; paths are checked by the resolver (http/path.ts) before they get here. */
export interface RequestOps {
  send(method: string, path: string, query: Record<string, string | string[]>, body: unknown): Promise<{ status: number; body: unknown }>;
  /** Follows the vendor's own paging from `query` on, at most `maxPages` pages; items of every page in one array. */
  paginate(path: string, query: Record<string, string | string[]>, maxPages: number): Promise<{ status: number; items: unknown[]; pages: number; truncated: boolean }>;
}

export interface VendorSession {
  readonly vendor: VendorName;
  readonly customers?: CustomerOps;
  readonly resellers?: ResellerOps;
  readonly subscriptions?: SubscriptionOps;
  readonly orders?: OrderOps;
  readonly invoices?: InvoiceOps;
  readonly products?: ProductOps;
  readonly plans?: PlanOps;
  readonly reports?: ReportOps;
  readonly services?: ServiceOps;
  readonly request: RequestOps;
}

/** Which session part holds each entity family. */
export const DOMAIN_OF = {
  Customer: 'customers',
  Reseller: 'resellers',
  Subscription: 'subscriptions',
  Order: 'orders',
  Invoice: 'invoices',
  Product: 'products',
  ServicePlan: 'plans',
  Report: 'reports',
} as const satisfies Record<EntityKind, keyof VendorSession>;

export type Domain = Exclude<keyof VendorSession, 'vendor'>;

export interface VendorHealthModel {
  ok: boolean;
  check: string;
  latencyMs: number | null;
  message: string | null;
}

export interface VendorAdapter {
  readonly vendor: VendorName;
  readonly baseUrl: string;
  readonly simulated: boolean;
  /** The entity families the vendor has (derived from the session's parts). */
  readonly supports: readonly EntityKind[];
  /** The families it can list (derived: parts with a `list`). */
  readonly listable: readonly EntityKind[];
  /** Paths (lower case, relative to the API root) a generic request may never reach: the token endpoints. */
  readonly reservedPaths: readonly string[];
  /** Is `vendorId` a well-formed id of `kind` at this vendor (checked before any call)? */
  isValidId(kind: EntityKind, vendorId: string): boolean;
  health(): Promise<VendorHealthModel>;
  /** The state of the circuit breaker over the vendor's API calls. */
  circuit(): CircuitState;
  /** Starts the login when no token is held (VendorHttp.prefetchToken; true: a login is under way); prefetch.ts calls it as an operation's execution starts. */
  prefetch(): boolean;
  /** Would `prefetch` start a login now (VendorHttp.needsLogin)? */
  needsLogin(): boolean;
  session(): VendorSession;
}
