/**
 * The contract between the graph and a distributor. Each vendor folder exports a factory
 * that builds a `VendorAdapter` from its configuration; the adapter opens a
 * `VendorSession` per GraphQL request, holding that request's DataLoaders, so every REST
 * call goes through a loader and is batched and deduplicated within the request.
 *
 * Adding a fourth distributor means adding a folder that implements this, and a line in
 * registry.ts; resolvers do not change.
 */
import type {
  CustomerModel,
  EntityByKind,
  EntityKind,
  InvoiceItemModel,
  InvoiceModel,
  OrderItemModel,
  OrderModel,
  ProductPriceModel,
  SubscriptionAddonModel,
  SubscriptionModel,
  VendorName,
  CustomerStatusModel,
  SubscriptionStatusModel,
  OrderStatusModel,
  InvoiceStatusModel,
  CustomFieldModel,
  EntityModel,
} from '../model.js';
import type { PageResult } from '../paging.js';

/** Filters in vendor terms: ids are the vendor's own. Adapters push down what they can. */
export interface ListFilter {
  name?: string | null;
  externalId?: string | null;
  email?: string | null;
  sku?: string | null;
  customerVendorId?: string | null;
  customerStatus?: CustomerStatusModel | null;
  subscriptionStatus?: SubscriptionStatusModel | null;
  orderStatus?: OrderStatusModel | null;
  invoiceStatus?: InvoiceStatusModel | null;
}

export interface VendorHealthModel {
  ok: boolean;
  check: string;
  latencyMs: number | null;
  message: string | null;
}

export interface VendorSession {
  readonly vendor: VendorName;
  /** One entity by the vendor's id (batched through a loader); null when it does not exist. */
  get<K extends EntityKind>(kind: K, vendorId: string): Promise<EntityByKind[K] | null>;
  /**
   * The complete form of an entity mapped from a list row that `lacks` some fields (one
   * detail GET, batched and deduplicated per request); the entity itself when complete.
   */
  detail<M extends EntityModel>(entity: M): Promise<M | null>;
  /** One page of a vendor list, filters applied. */
  list<K extends EntityKind>(kind: K, offset: number, limit: number, filter?: ListFilter): Promise<PageResult<EntityByKind[K]>>;
  /** All subscriptions / orders / invoices of a customer (batched across customers). */
  subscriptionsOf(customer: CustomerModel): Promise<SubscriptionModel[]>;
  ordersOf(customer: CustomerModel): Promise<OrderModel[]>;
  invoicesOf(customer: CustomerModel): Promise<InvoiceModel[]>;
  customersOfReseller(resellerVendorId: string): Promise<CustomerModel[]>;
  orderItems(order: OrderModel): Promise<OrderItemModel[]>;
  invoiceItems(invoice: InvoiceModel): Promise<InvoiceItemModel[]>;
  invoiceOrders(invoice: InvoiceModel): Promise<OrderModel[]>;
  productPrices(productVendorId: string): Promise<ProductPriceModel[]>;
  subscriptionAddons(subscription: SubscriptionModel): Promise<SubscriptionAddonModel[]>;
  customFields(customer: CustomerModel): Promise<CustomFieldModel[] | null>;
}

export interface VendorAdapter {
  readonly vendor: VendorName;
  readonly baseUrl: string;
  readonly simulated: boolean;
  /** The entity families the vendor has. */
  readonly supports: readonly EntityKind[];
  /** The families it can list (Cloudmore reports exist per task but cannot be listed). Defaults to `supports`. */
  readonly listable?: readonly EntityKind[];
  /** Is `vendorId` a well-formed id of `kind` at this vendor (checked before any call)? */
  isValidId(kind: EntityKind, vendorId: string): boolean;
  health(): Promise<VendorHealthModel>;
  session(): VendorSession;
}
