/** Leader Cloud (Infiterra BSS API v3) JSON → vendor-neutral models. Field names per the v3 swagger. */
import type {
  AddressModel,
  BillingFrequencyModel,
  CharacteristicModel,
  CustomFieldModel,
  CustomerModel,
  InvoiceItemModel,
  InvoiceModel,
  OrderItemModel,
  OrderModel,
  OrderStatusModel,
  ProductModel,
  ProductPriceModel,
  SubscriptionAddonModel,
  SubscriptionModel,
  SubscriptionStatusModel,
  InvoiceStatusModel,
  ExternalPriceModel,
  InstallmentPlanModel,
  OrderExecutionStatusModel,
  ProductAddonModel,
  QuantityRequestModel,
  QuantityRequestStatusModel,
} from '../../model.js';
import { isoDate, lazyFields, money, scrubRaw, withChanges, withLazy } from '../shared.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

const VENDOR = 'LEADERCLOUD' as const;

const CUSTOMER_LAZY = lazyFields<J, Pick<CustomerModel, 'createdAt' | 'updatedAt' | 'raw'>>({
  createdAt: (a) => isoDate(a.createdAt),
  updatedAt: (a) => isoDate(a.updatedAt),
  raw: (a) => scrubRaw(a),
});

/**
 * An account. AccountDto has no external id: Leader Cloud keeps it in an account custom
 * field ("External ID"). A row that carries its `customFields` (include=customFields) has
 * it; a row without them `lacks` it, and the session reads it from
 * `GET /api/accounts/{id}/customfields` when a query selects it.
 */
export function toCustomer(a: J): CustomerModel {
  const fields = Array.isArray(a.customFields) ? toCustomFields(a.customFields) : null;
  return withLazy(CUSTOMER_LAZY, a, {
    kind: 'Customer',
    vendor: VENDOR,
    vendorId: String(a.id),
    name: a.name ?? `Account ${a.id}`,
    // Accounts have no status in v3; an account that exists is active.
    status: 'ACTIVE',
    vendorStatus: null,
    email: a.email ?? null,
    phone: a.phone ?? null,
    externalId: fields ? externalIdOf(a.customFields) : null,
    address: toAddress(a.billingAddress),
    contacts: [],
    customFields: fields,
    ...(fields ? {} : { lacks: ['externalId'] }),
  });
}

/** What an account named inside another payload (a LiteAccount `{id, name}`) lacks: everything the account itself has. */
export const ACCOUNT_REFERENCE_LACKS = ['email', 'phone', 'externalId', 'address', 'createdAt', 'updatedAt', 'customFields', 'raw'] as const;

/**
 * The account an order, invoice or subscription names (`account {id, name}`), as a
 * Customer that lacks what only the account has: `customer { id name }` then costs no
 * call, and the account is read only when a query selects more of it. (Accounts have no status in v3, and the
 * graph reads no contacts of accounts: those two are the account's too.)
 */
export function toCustomerReference(a: J): CustomerModel | null {
  if (a?.id === undefined || a?.id === null || typeof a.name !== 'string') return null;
  return { kind: 'Customer', vendor: VENDOR, vendorId: String(a.id), name: a.name, status: 'ACTIVE', vendorStatus: null, contacts: [], raw: null, lacks: ACCOUNT_REFERENCE_LACKS };
}

/** Is this customer an account reference (see toCustomerReference), not an account read from the API? */
export const isAccountReference = (c: CustomerModel) => c.lacks?.includes('raw') === true;

/** An AccountAddress (the account's billing address), or null. */
export function toAddress(addr: J): AddressModel | null {
  if (!addr || typeof addr !== 'object') return null;
  return {
    street: addr.address ?? null,
    street2: addr.address2 ?? null,
    city: addr.city ?? null,
    postalCode: addr.postCode ?? null,
    state: addr.state?.name ?? null,
    country: addr.country?.name ?? null,
    countryCode: addr.country?.code ?? null,
  };
}

/** The custom field that holds the account's external id (by its name or API field name). */
export const EXTERNAL_ID_FIELD = /^external[\s_-]*id$/i;

/** The account's external id from its custom field groups (CustomFieldsByGroupingDto[]); null when absent or empty. */
export function externalIdOf(groups: J[]): string | null {
  for (const g of groups ?? []) {
    for (const f of g.groupFields ?? []) {
      if (!EXTERNAL_ID_FIELD.test(String(f.name ?? '')) && !EXTERNAL_ID_FIELD.test(String(f.apiField ?? ''))) continue;
      const value = (f.values ?? []).map((v: J) => String(v.value ?? '')).find((v: string) => v !== '');
      return value ?? null;
    }
  }
  return null;
}

/** A customer completed with its custom fields (read from the custom fields endpoint). */
export function withCustomFields(c: CustomerModel, groups: J[]): CustomerModel {
  return withChanges(c, { customFields: toCustomFields(groups), externalId: externalIdOf(groups) }, 'lacks');
}

export function toCustomFields(groups: J[]): CustomFieldModel[] {
  const out: CustomFieldModel[] = [];
  for (const g of groups ?? []) {
    for (const f of g.groupFields ?? []) {
      out.push({
        id: String(f.id),
        name: f.name ?? f.apiField ?? String(f.id),
        group: g.group?.name ?? null,
        values: (f.values ?? []).map((v: J) => String(v.value ?? '')),
      });
    }
  }
  return out;
}

const SUB_STATUS: Record<string, SubscriptionStatusModel> = {
  active: 'ACTIVE',
  cancelled: 'CANCELLED',
  inactive: 'PENDING',
  suspended: 'SUSPENDED',
  pendingcancellation: 'PENDING_CANCELLATION',
};

export function subscriptionStatus(value: unknown): SubscriptionStatusModel {
  return SUB_STATUS[String(value ?? '').toLowerCase()] ?? 'UNKNOWN';
}

/** Reverse of SUB_STATUS for $filter pushdown. */
export const SUB_STATUS_VENDOR: Partial<Record<SubscriptionStatusModel, string>> = {
  ACTIVE: 'Active',
  CANCELLED: 'Cancelled',
  PENDING: 'Inactive',
  SUSPENDED: 'Suspended',
  PENDING_CANCELLATION: 'PendingCancellation',
};

/**
 * The product a subscription names (`{id, name, code}`), as a Product that lacks what only
 * the product itself has: `product { name sku }` then costs no call at all.
 */
function productStub(p: J): ProductModel | null {
  if (!p?.id || typeof p.name !== 'string') return null;
  return { kind: 'Product', vendor: VENDOR, vendorId: String(p.id), name: p.name, sku: p.code ?? null, raw: null, lacks: ['publisher', 'description', 'term', 'raw'] };
}

const SUBSCRIPTION_LAZY = lazyFields<J, Pick<SubscriptionModel, 'startDate' | 'endDate' | 'renewalDate' | 'createdAt' | 'updatedAt' | 'raw'>>({
  startDate: (s) => isoDate(s.startDate),
  endDate: (s) => isoDate(s.endDate),
  renewalDate: (s) => isoDate(s.endDate),
  createdAt: (s) => isoDate(s.createdAt),
  updatedAt: (s) => isoDate(s.updatedAt),
  raw: (s) => scrubRaw(s),
});

export function toSubscription(s: J): SubscriptionModel {
  return withLazy(SUBSCRIPTION_LAZY, s, {
    kind: 'Subscription',
    vendor: VENDOR,
    vendorId: String(s.id),
    name: s.name ?? s.product?.name ?? null,
    status: subscriptionStatus(s.status),
    vendorStatus: s.status ?? null,
    quantity: typeof s.quantity === 'number' ? s.quantity : null,
    customerVendorId: s.account?.id !== undefined && s.account?.id !== null ? String(s.account.id) : null,
    customerStub: toCustomerReference(s.account),
    productVendorId: s.product?.id ?? null,
    sku: s.product?.code ?? null,
    productStub: productStub(s.product),
    price: money(s.subscriptionAmount, s.currency),
    autoRenew: typeof s.automaticRenewal === 'boolean' ? s.automaticRenewal : null,
  });
}

const ADDON_LAZY = lazyFields<J, Pick<SubscriptionAddonModel, 'activationDate'>>({
  activationDate: (a) => isoDate(a.activationDate),
});

export function toAddon(a: J): SubscriptionAddonModel {
  return withLazy(ADDON_LAZY, a, {
    vendorId: String(a.id),
    name: a.product?.name ?? null,
    sku: a.product?.code ?? null,
    status: subscriptionStatus(a.status),
    vendorStatus: a.status ?? null,
    quantity: typeof a.quantity === 'number' ? a.quantity : null,
  });
}

const ORDER_STATUS: Record<string, OrderStatusModel> = {
  submitted: 'SUBMITTED',
  scheduled: 'PROCESSING',
  locked: 'PROCESSING',
  executing: 'PROCESSING',
  executed: 'COMPLETED',
  delivered: 'COMPLETED',
  cancelled: 'CANCELLED',
};

/**
 * The `stage` a row was read with: `GET /api/orders?stage=Confirmed|Draft|All`, or a
 * detail (`GET /api/orders/{id}`, either stage) which counts as `All`.
 */
export type OrderStage = 'Confirmed' | 'Draft' | 'All';

const ORDER_LAZY = lazyFields<J, Pick<OrderModel, 'createdAt' | 'updatedAt' | 'raw'>>({
  createdAt: (o) => isoDate(o.createdAt ?? o.orderDate),
  updatedAt: (o) => isoDate(o.updatedAt),
  raw: (o) => scrubRaw(o),
});

/**
 * An order. The Order DTO has no stage: Draft is a stage, not an OrderStatusType
 * (Executed, Submitted, Cancelled, Delivered, Locked, Scheduled, Executing). A row read
 * with `stage=Draft` is a draft; a row read with `stage=All` (or by id) that has no status
 * type is one too, since every confirmed order has one.
 */
export function toOrder(o: J, stage: OrderStage): OrderModel {
  const type = String(o.status?.type ?? o.status?.name ?? '');
  const draft = stage === 'Draft' || /draft/i.test(String(o.status?.name ?? '')) || (stage === 'All' && !type);
  return withLazy(ORDER_LAZY, o, {
    kind: 'Order',
    vendor: VENDOR,
    vendorId: String(o.id),
    number: o.code ?? null,
    status: draft ? 'DRAFT' : (ORDER_STATUS[type.toLowerCase()] ?? 'UNKNOWN'),
    vendorStatus: o.status?.name ?? (draft ? 'Draft' : null),
    type: null,
    customerVendorId: o.account?.id !== undefined && o.account?.id !== null ? String(o.account.id) : null,
    customerStub: toCustomerReference(o.account),
    total: money(o.total, o.currency),
    items: null,
  });
}

export function toOrderItem(i: J, currency: string | null | undefined): OrderItemModel {
  return {
    vendorId: i.id ? String(i.id) : null,
    name: i.product?.name ?? null,
    sku: i.product?.code ?? null,
    quantity: typeof i.quantity === 'number' ? i.quantity : null,
    unitPrice: money(i.unitPrice?.value, currency),
    total: money(i.total, currency),
    productVendorId: i.product?.id ?? null,
    subscriptionVendorId: i.subscription?.id ?? i.relatedSubscription ?? null,
  };
}

const INVOICE_STATUS: Record<string, InvoiceStatusModel> = { paid: 'PAID', unpaid: 'UNPAID', canceled: 'CANCELLED', cancelled: 'CANCELLED' };

const INVOICE_LAZY = lazyFields<J, Pick<InvoiceModel, 'invoiceDate' | 'dueDate' | 'paidDate' | 'totalBeforeTax' | 'unpaid' | 'raw'>>({
  invoiceDate: (i) => isoDate(i.invoiceDate),
  totalBeforeTax: (i) => money(i.totalBeforeTax, i.currency ?? null),
  unpaid: (i) => money(i.unpaidAmount, i.currency ?? null),
  dueDate: (i) => isoDate(i.dueDate),
  paidDate: (i) => isoDate(i.paidDate),
  raw: (i) => scrubRaw(i),
});

export function toInvoice(i: J): InvoiceModel {
  const currency = i.currency ?? null;
  return withLazy(INVOICE_LAZY, i, {
    kind: 'Invoice',
    vendor: VENDOR,
    vendorId: String(i.id),
    number: i.code ?? null,
    status: INVOICE_STATUS[String(i.status?.type ?? '').toLowerCase()] ?? 'UNKNOWN',
    vendorStatus: i.status?.name ?? null,
    customerVendorId: i.account?.id !== undefined && i.account?.id !== null ? String(i.account.id) : null,
    customerStub: toCustomerReference(i.account),
    total: money(i.total, currency),
    items: Array.isArray(i.items) ? i.items.map((it: J) => toInvoiceItem(it, currency)) : null,
  });
}

const INVOICE_ITEM_LAZY = lazyFields<J, Pick<InvoiceItemModel, 'startDate' | 'endDate'>>({
  startDate: (it) => isoDate(it.startDate),
  endDate: (it) => isoDate(it.endDate),
});

export function toInvoiceItem(it: J, currency: string | null | undefined): InvoiceItemModel {
  return withLazy(INVOICE_ITEM_LAZY, it, {
    vendorId: it.id ? String(it.id) : null,
    description: it.description ?? null,
    sku: it.product?.code ?? null,
    quantity: typeof it.quantity === 'number' ? it.quantity : null,
    unitPrice: money(it.unitPrice, currency),
    total: money(it.total, currency),
    productVendorId: it.product?.id ?? null,
  });
}

const PRODUCT_LAZY = lazyFields<J, Pick<ProductModel, 'raw'>>({
  raw: (p) => scrubRaw(p),
});

export function toProduct(p: J): ProductModel {
  return withLazy(PRODUCT_LAZY, p, {
    kind: 'Product',
    vendor: VENDOR,
    vendorId: String(p.id),
    name: p.name ?? String(p.id),
    sku: p.code ?? null,
    publisher: p.productGroup?.name ?? null,
    description: p.description ?? p.shortDescription ?? null,
    term: p.chargeType ?? null,
    prices: null,
  });
}

export function toPrices(pricing: J): ProductPriceModel[] {
  const out: ProductPriceModel[] = [];
  for (const price of pricing?.prices ?? []) {
    for (const unit of price.units ?? []) {
      const sell = money(unit.sellPrice, price.currency);
      if (!sell) continue;
      out.push({ unit: unit.name ?? null, price: sell, cost: money(unit.purchasePrice, price.currency) });
    }
  }
  return out;
}

/** `{groups: [{name, characteristics: [...]}]}` (product, subscription) → one model per characteristic. */
export function toCharacteristics(body: J): CharacteristicModel[] {
  const out: CharacteristicModel[] = [];
  for (const g of body?.groups ?? []) {
    for (const c of g.characteristics ?? []) {
      const value = c.value === undefined || c.value === null || c.value === '' ? null : String(c.value);
      out.push({ id: c.id ? String(c.id) : null, name: c.name ?? String(c.id), group: g.name ?? null, values: value === null ? [] : [value], raw: scrubRaw(c) });
    }
  }
  return out;
}

/** Installments are [I] a number of months apart (the spec only says `installmentsFrequency`). */
const FREQUENCY: Record<number, string> = { 1: 'Monthly', 3: 'Quarterly', 6: 'Semi-annually', 12: 'Annually' };

const BILLING_FREQUENCY_LAZY = lazyFields<J, Pick<BillingFrequencyModel, 'raw'>>({
  raw: (o) => scrubRaw(o),
});

/** A ProductBillingFrequencyOption: a unit (e.g. Annual) paid in `installments` instalments. */
export function toBillingFrequency(o: J): BillingFrequencyModel {
  const every = Number(o.installmentsFrequency);
  const unit = o.unit?.name ?? null;
  return withLazy(BILLING_FREQUENCY_LAZY, o, {
    vendorId: String(o.id),
    name: unit && o.installments ? `${unit}, ${o.installments} installments` : unit,
    billingFrequency: Number.isFinite(every) && every > 0 ? (FREQUENCY[every] ?? `Every ${every} months`) : null,
  });
}

/** The row an external price's lazy fields read: the price, and the unit and currency it was read for. */
const EXTERNAL_PRICE_LAZY = lazyFields<{ price: J; unit: { id: string; name?: string | null }; currency: string }, Pick<ExternalPriceModel, 'raw'>>({
  raw: ({ price, unit, currency }) => scrubRaw({ ...price, unit, currency }),
});

/** A ProductPriceSimple read for one unit and currency (`raw`: the price with them). */
export function toExternalPrice(p: J, product: ProductModel, unit: { id: string; name?: string | null }, currency: string): ExternalPriceModel {
  return withLazy(EXTERNAL_PRICE_LAZY, { price: p, unit, currency }, {
    system: null,
    sku: product.sku ?? null,
    price: money(p?.sellPrice, currency),
  });
}

/** A product add-on (a Product of type Addon). */
export function toProductAddon(p: J): ProductAddonModel {
  return { vendor: VENDOR, vendorId: String(p.id), name: p.name ?? null, sku: p.code ?? null, productVendorId: p.id ? String(p.id) : null, raw: scrubRaw(p) };
}

const INSTALLMENT_PLAN_LAZY = lazyFields<J, Pick<InstallmentPlanModel, 'startDate' | 'raw'>>({
  startDate: (p) => isoDate(p.createdAt),
  raw: (p) => scrubRaw(p),
});

/** InstallmentPlanDto: no dates of its own beyond createdAt/updatedAt, and no amount. */
export function toInstallmentPlan(p: J): InstallmentPlanModel {
  const every = Number(p.installmentsFrequency);
  const label = p.installments ? `${p.installments} installments${FREQUENCY[every] ? `, ${FREQUENCY[every]!.toLowerCase()}` : ''}` : null;
  return withLazy(INSTALLMENT_PLAN_LAZY, p, {
    vendorId: p.id ? String(p.id) : null,
    name: [p.product?.name, label].filter(Boolean).join(': ') || null,
    endDate: null,
    total: null,
  });
}

/** SubscriptionChangeQuantityRequest.status is an int32 [I]: 0 pending, 1 completed, 2 failed, 3 cancelled. */
const QUANTITY_STATUS: Record<number, QuantityRequestStatusModel> = { 0: 'PENDING', 1: 'COMPLETED', 2: 'FAILED', 3: 'CANCELLED' };

const QUANTITY_REQUEST_LAZY = lazyFields<J, Pick<QuantityRequestModel, 'effectiveDate' | 'createdAt' | 'updatedAt'>>({
  effectiveDate: (r) => isoDate(r.effectiveDate),
  createdAt: (r) => isoDate(r.createdAt),
  updatedAt: (r) => isoDate(r.updatedAt),
});

export function toQuantityRequest(r: J): QuantityRequestModel {
  const status = typeof r.status === 'number' ? r.status : Number(r.status);
  return withLazy(QUANTITY_REQUEST_LAZY, r, {
    id: String(r.requestId),
    status: QUANTITY_STATUS[status] ?? 'UNKNOWN',
    vendorStatus: r.status === undefined || r.status === null ? null : String(r.status),
    previousQuantity: typeof r.previousSubscriptionQuantity === 'number' ? r.previousSubscriptionQuantity : null,
    quantity: typeof r.nextSubscriptionQuantity === 'number' ? r.nextSubscriptionQuantity : null,
  });
}

/** OrderExecutionStatus `{status: OrderStatusType}`. */
export function toExecutionStatus(body: J): OrderExecutionStatusModel {
  const type = String(body?.status ?? '');
  return { status: ORDER_STATUS[type.toLowerCase()] ?? 'UNKNOWN', vendorStatus: type || null, raw: scrubRaw(body) };
}

/** What a draft order's execution status is: it has not been sent for execution. */
export const DRAFT_EXECUTION: OrderExecutionStatusModel = { status: 'DRAFT', vendorStatus: 'Draft', raw: null };
