/**
 * The vendor-neutral models the resolvers work with. Vendor mappers turn vendor JSON into
 * these; codegen binds the GraphQL types to them (mappers in codegen.yml), so resolvers
 * for relations receive a model and hand off to the owning vendor's loaders.
 */
export type VendorName = 'LEADERCLOUD' | 'CLOUDMORE' | 'INGRAM';

export type EntityKind = 'Customer' | 'Reseller' | 'Subscription' | 'Order' | 'Invoice' | 'Product' | 'ServicePlan' | 'Report';

export interface MoneyModel {
  amount: string;
  currency: string;
}

export interface AddressModel {
  street?: string | null;
  street2?: string | null;
  city?: string | null;
  postalCode?: string | null;
  state?: string | null;
  country?: string | null;
  countryCode?: string | null;
}

export interface ContactModel {
  role?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface CustomFieldModel {
  id: string;
  name: string;
  group?: string | null;
  values: string[];
}

interface EntityBase<K extends EntityKind> {
  kind: K;
  vendor: VendorName;
  /** The vendor's own id. */
  vendorId: string;
  /** The vendor payload, secrets removed. */
  raw: unknown;
  /**
   * Fields this payload does not carry because it is a list row and only the vendor's
   * detail endpoint has them (e.g. an Ingram customer's address). Their resolvers read
   * the detail through `VendorSession.detail`, and only when a query selects them.
   */
  lacks?: readonly string[];
}

export type CustomerStatusModel = 'ACTIVE' | 'PENDING' | 'SUSPENDED' | 'CANCELLED' | 'UNKNOWN';

export interface CustomerModel extends EntityBase<'Customer'> {
  name: string;
  status: CustomerStatusModel;
  vendorStatus?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  address?: AddressModel | null;
  contacts: ContactModel[];
  createdAt?: string | null;
  updatedAt?: string | null;
  resellerVendorId?: string | null;
  customFields?: CustomFieldModel[] | null;
}

export interface ResellerModel extends EntityBase<'Reseller'> {
  name: string;
  status: CustomerStatusModel;
  vendorStatus?: string | null;
  externalId?: string | null;
  currency?: string | null;
  address?: AddressModel | null;
  contacts: ContactModel[];
}

export type SubscriptionStatusModel = 'ACTIVE' | 'PENDING' | 'SUSPENDED' | 'PENDING_CANCELLATION' | 'CANCELLED' | 'UNKNOWN';

export interface SubscriptionAddonModel {
  vendorId: string;
  name?: string | null;
  sku?: string | null;
  status: SubscriptionStatusModel;
  vendorStatus?: string | null;
  quantity?: number | null;
  activationDate?: string | null;
}

export interface SubscriptionModel extends EntityBase<'Subscription'> {
  name?: string | null;
  status: SubscriptionStatusModel;
  vendorStatus?: string | null;
  quantity?: number | null;
  customerVendorId?: string | null;
  /** The customer as the subscription's own payload names it (fields it lacks are loaded when selected). */
  customerStub?: CustomerModel | null;
  /** How to find the product: the vendor's product id (or MPN/SKU where that is the key). */
  productVendorId?: string | null;
  sku?: string | null;
  /** The product as the subscription's own payload names it (fields it lacks are loaded when selected). */
  productStub?: ProductModel | null;
  /** The vendor's kind of service the subscription belongs to (Cloudmore: "Microsoft CSP NCE", "Azure plan", "Custom", ...). */
  serviceType?: string | null;
  price?: MoneyModel | null;
  autoRenew?: boolean | null;
  startDate?: string | null;
  endDate?: string | null;
  renewalDate?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  /** Present when the vendor has add-ons; the resolver loads them when absent. */
  addons?: SubscriptionAddonModel[] | null;
}

export type OrderStatusModel = 'DRAFT' | 'SUBMITTED' | 'PROCESSING' | 'COMPLETED' | 'CANCELLED' | 'FAILED' | 'UNKNOWN';

export interface OrderItemModel {
  vendorId?: string | null;
  name?: string | null;
  sku?: string | null;
  quantity?: number | null;
  unitPrice?: MoneyModel | null;
  total?: MoneyModel | null;
  productVendorId?: string | null;
  subscriptionVendorId?: string | null;
}

export interface OrderModel extends EntityBase<'Order'> {
  number?: string | null;
  status: OrderStatusModel;
  vendorStatus?: string | null;
  type?: string | null;
  customerVendorId?: string | null;
  /** The customer as the order's own payload names it (fields it lacks are loaded when selected). */
  customerStub?: CustomerModel | null;
  total?: MoneyModel | null;
  /** Inline items when the vendor returns them with the order; loaded otherwise. */
  items?: OrderItemModel[] | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

export type InvoiceStatusModel = 'PAID' | 'UNPAID' | 'CANCELLED' | 'UNKNOWN';

export interface InvoiceItemModel {
  vendorId?: string | null;
  description?: string | null;
  sku?: string | null;
  quantity?: number | null;
  unitPrice?: MoneyModel | null;
  total?: MoneyModel | null;
  startDate?: string | null;
  endDate?: string | null;
  productVendorId?: string | null;
}

export interface InvoiceModel extends EntityBase<'Invoice'> {
  number?: string | null;
  status: InvoiceStatusModel;
  vendorStatus?: string | null;
  customerVendorId?: string | null;
  /** The customer as the invoice's own payload names it (fields it lacks are loaded when selected). */
  customerStub?: CustomerModel | null;
  invoiceDate?: string | null;
  dueDate?: string | null;
  paidDate?: string | null;
  totalBeforeTax?: MoneyModel | null;
  total?: MoneyModel | null;
  unpaid?: MoneyModel | null;
  items?: InvoiceItemModel[] | null;
}

export interface ProductPriceModel {
  unit?: string | null;
  price: MoneyModel;
  cost?: MoneyModel | null;
}

export interface ProductModel extends EntityBase<'Product'> {
  name: string;
  sku?: string | null;
  publisher?: string | null;
  description?: string | null;
  term?: string | null;
  /** Inline prices when the vendor returns them with the product; loaded otherwise. */
  prices?: ProductPriceModel[] | null;
}

export interface ServicePlanModel extends EntityBase<'ServicePlan'> {
  name: string;
  description?: string | null;
  published?: boolean | null;
  billingPeriod?: string | null;
}

export type ReportStatusModel = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'UNKNOWN';

export interface ReportModel extends EntityBase<'Report'> {
  name?: string | null;
  status: ReportStatusModel;
  vendorStatus?: string | null;
  type?: string | null;
  format?: string | null;
  createdAt?: string | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  downloadUrl?: string | null;
  content?: unknown;
}

export type EntityModel =
  | CustomerModel
  | ResellerModel
  | SubscriptionModel
  | OrderModel
  | InvoiceModel
  | ProductModel
  | ServicePlanModel
  | ReportModel;

export interface EntityByKind {
  Customer: CustomerModel;
  Reseller: ResellerModel;
  Subscription: SubscriptionModel;
  Order: OrderModel;
  Invoice: InvoiceModel;
  Product: ProductModel;
  ServicePlan: ServicePlanModel;
  Report: ReportModel;
}

// ---- value types of the vendor-only reads and the writes -----------------------------

/** A service a vendor sells through the MSP (Cloudmore reseller service). */
export interface VendorServiceModel {
  vendor: VendorName;
  vendorId: string;
  name: string;
  type?: string | null;
  publisher?: string | null;
  description?: string | null;
  raw: unknown;
}

/** A service an organization has (Cloudmore organization service). */
export interface CustomerServiceModel {
  vendor: VendorName;
  vendorId: string;
  customerVendorId: string;
  /** The reseller service it is an instance of (its vendor id). */
  serviceVendorId?: string | null;
  name?: string | null;
  type?: string | null;
  raw: unknown;
}

export interface CharacteristicModel {
  id?: string | null;
  name: string;
  group?: string | null;
  values: string[];
  raw: unknown;
}

export interface BillingFrequencyModel {
  vendorId: string;
  name?: string | null;
  billingFrequency?: string | null;
  raw: unknown;
}

export interface ExternalPriceModel {
  system?: string | null;
  sku?: string | null;
  price?: MoneyModel | null;
  raw: unknown;
}

export interface ProductAddonModel {
  vendor: VendorName;
  vendorId: string;
  name?: string | null;
  sku?: string | null;
  /** The add-on's own product id, where the vendor lists it as a product. */
  productVendorId?: string | null;
  raw: unknown;
}

export interface InstallmentPlanModel {
  vendorId?: string | null;
  name?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  total?: MoneyModel | null;
  raw: unknown;
}

export type QuantityRequestStatusModel = 'PENDING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

export interface QuantityRequestModel {
  id: string;
  status: QuantityRequestStatusModel;
  vendorStatus?: string | null;
  previousQuantity?: number | null;
  quantity?: number | null;
  effectiveDate?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

export interface OrderExecutionStatusModel {
  status: OrderStatusModel;
  vendorStatus?: string | null;
  raw: unknown;
}

export interface OrderEstimateModel {
  vendor: VendorName;
  total?: MoneyModel | null;
  items: OrderItemModel[];
  raw: unknown;
}

export interface ActivationParameterModel {
  sku?: string | null;
  name: string;
  value?: string | null;
  valid?: boolean | null;
  message?: string | null;
}

export interface ActivationResultModel {
  vendor: VendorName;
  valid: boolean;
  parameters: ActivationParameterModel[];
  raw: unknown;
}

/** One billing report line (Cloudmore monthly billing per organization). */
export interface BillingLineModel {
  vendor: VendorName;
  customerVendorId?: string | null;
  customerName?: string | null;
  serviceName?: string | null;
  productName?: string | null;
  sku?: string | null;
  quantity?: number | null;
  unitPrice?: MoneyModel | null;
  total?: MoneyModel | null;
  periodStart?: string | null;
  periodEnd?: string | null;
}

/** What a generic vendor request answered. */
export interface VendorResponseModel {
  vendor: VendorName;
  status: number;
  body: unknown;
  pages: number;
  truncated: boolean;
}
