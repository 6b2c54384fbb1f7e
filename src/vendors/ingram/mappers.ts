/**
 * Ingram Micro Cloud Marketplace (CloudBlue Commerce SimpleAPI 1.15) JSON → vendor-neutral
 * models. Every wire field name and vendor enum value of the Ingram adapter lives here.
 *
 * Products are identified by their MPN (see `PRODUCT_ID` in index.ts): subscriptions and
 * order lines refer to products by `mpn`, and `/products?mpn=` is how the API finds one.
 */
import type {
  AddressModel,
  ContactModel,
  CustomerModel,
  CustomerStatusModel,
  MoneyModel,
  OrderItemModel,
  OrderModel,
  OrderStatusModel,
  ProductModel,
  ProductPriceModel,
  ReportModel,
  ReportStatusModel,
  ResellerModel,
  ServicePlanModel,
  SubscriptionAddonModel,
  SubscriptionModel,
  SubscriptionStatusModel,
} from '../../model.js';
import { isoDate, money, scrubRaw, str } from '../shared.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

const VENDOR = 'INGRAM' as const;

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/** `{amount: "12.50", currency}`: the amount string is kept as the API wrote it. */
export function toMoney(m: J): MoneyModel | null {
  if (!m || typeof m !== 'object') return null;
  return money(typeof m.amount === 'number' || typeof m.amount === 'string' ? m.amount : null, m.currency);
}

// ---- accounts (customers, resellers) -------------------------------------------------

/** Account statuses: pending, active, creditHold, adminHold, cancelled, error. */
const ACCOUNT_STATUS: Record<string, CustomerStatusModel> = {
  pending: 'PENDING',
  active: 'ACTIVE',
  credithold: 'SUSPENDED',
  adminhold: 'SUSPENDED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

export function accountStatus(value: unknown): CustomerStatusModel {
  return ACCOUNT_STATUS[lower(value)] ?? 'UNKNOWN';
}

function toAddress(a: J): AddressModel | null {
  if (!a || typeof a !== 'object') return null;
  return {
    street: str(a.streetAddress),
    street2: str(a.addressExtension),
    city: str(a.city),
    postalCode: str(a.postalCode),
    state: str(a.state),
    country: null,
    countryCode: str(a.countryCode),
  };
}

function toContacts(list: J): ContactModel[] {
  if (!Array.isArray(list)) return [];
  return list.map((c: J) => ({
    role: str(c.type),
    firstName: str(c.firstName),
    lastName: str(c.lastName),
    email: str(c.email),
    phone: str(c.phoneNumber),
  }));
}

/** The account's main contact: the admin contact, else the first one. */
function mainContact(contacts: ContactModel[]): ContactModel | undefined {
  return contacts.find((c) => c.role === 'admin') ?? contacts[0];
}

/**
 * The keys the 1.15 schema requires of a full account (`Account`: name, address,
 * contactPersons, language; a Reseller also currency). A payload that has them all is the
 * full form, whatever optional keys (externalId, taxRegId, ...) it leaves out.
 */
const ACCOUNT_REQUIRED = ['name', 'address', 'contactPersons', 'language'] as const;
const RESELLER_REQUIRED = [...ACCOUNT_REQUIRED, 'currency'] as const;

/** Customer model fields that a list row may lack, and the payload key each is read from. */
const CUSTOMER_SOURCES = {
  email: 'contactPersons',
  phone: 'contactPersons',
  contacts: 'contactPersons',
  address: 'address',
  externalId: 'externalId',
  vendorStatus: 'status',
  resellerVendorId: 'resellerId',
} as const satisfies Partial<Record<keyof CustomerModel, string>>;

/** Reseller model fields that a list row may lack, and the payload key each is read from. */
const RESELLER_SOURCES = {
  externalId: 'externalId',
  currency: 'currency',
  address: 'address',
  contacts: 'contactPersons',
  vendorStatus: 'status',
} as const satisfies Partial<Record<keyof ResellerModel, string>>;

/**
 * The model fields a list row lacks (see `EntityBase.lacks`): none when the row carries
 * every required key of the full form (it is the full form), else those whose payload key
 * is absent from this row. Computed from the row itself, so a list that does carry full
 * accounts costs no detail reads.
 */
function lacking(row: J, required: readonly string[], sources: Record<string, string>): string[] | undefined {
  if (!row || typeof row !== 'object') return undefined;
  if (required.every((key) => key in row)) return undefined;
  const lacks = Object.entries(sources)
    .filter(([, key]) => !(key in row))
    .map(([field]) => field);
  return lacks.length > 0 ? lacks : undefined;
}

/**
 * A customer from `GET /customers/{id}` (the full `Customer`) or, with `from: 'list'`, from
 * a row of `GET /customers` / `GET /resellers/{id}/customers`, which may carry only the
 * "basic details" (`id, externalId, name, status` in the docs' example): the fields it lacks
 * are marked and read from the detail when a query selects them.
 */
export function toCustomer(c: J, from: 'detail' | 'list' = 'detail'): CustomerModel {
  const contacts = toContacts(c.contactPersons);
  const main = mainContact(contacts);
  const lacks = from === 'list' ? lacking(c, ACCOUNT_REQUIRED, CUSTOMER_SOURCES) : undefined;
  return {
    ...(lacks ? { lacks } : {}),
    kind: 'Customer',
    vendor: VENDOR,
    vendorId: String(c.id),
    name: c.name ?? `Customer ${c.id}`,
    status: accountStatus(c.status),
    vendorStatus: str(c.status),
    email: main?.email ?? null,
    phone: main?.phone ?? null,
    externalId: str(c.externalId),
    address: toAddress(c.address),
    contacts,
    createdAt: null,
    updatedAt: null,
    resellerVendorId: str(c.resellerId),
    customFields: null,
    raw: scrubRaw(c),
  };
}

/** A customer list row (see toCustomer). */
export const toCustomerRow = (c: J): CustomerModel => toCustomer(c, 'list');

/**
 * A row of `GET /resellers/{id}/customers`: whatever the row carries, its reseller is the
 * one in the path, so `reseller` needs no detail read.
 */
export function toResellerCustomerRow(c: J, resellerId: string): CustomerModel {
  const m = toCustomer(c, 'list');
  if (m.resellerVendorId) return m;
  const lacks = m.lacks?.filter((f) => f !== 'resellerVendorId');
  const { lacks: _old, ...rest } = m;
  return { ...rest, resellerVendorId: resellerId, ...(lacks?.length ? { lacks } : {}) };
}

/** A reseller from `GET /resellers/{id}`, or (`from: 'list'`) a row of `GET /resellers` (see toCustomer). */
export function toReseller(r: J, from: 'detail' | 'list' = 'detail'): ResellerModel {
  const lacks = from === 'list' ? lacking(r, RESELLER_REQUIRED, RESELLER_SOURCES) : undefined;
  return {
    ...(lacks ? { lacks } : {}),
    kind: 'Reseller',
    vendor: VENDOR,
    vendorId: String(r.id),
    name: r.name ?? `Reseller ${r.id}`,
    status: accountStatus(r.status),
    vendorStatus: str(r.status),
    externalId: str(r.externalId),
    currency: str(r.currency),
    address: toAddress(r.address),
    contacts: toContacts(r.contactPersons),
    raw: scrubRaw(r),
  };
}

/** A reseller list row (see toReseller). */
export const toResellerRow = (r: J): ResellerModel => toReseller(r, 'list');

// ---- periods ---------------------------------------------------------------------------

/** `{type: month, duration: 1}` → "monthly"; `{year, 1}` → "annual"; others as ISO-8601 durations (P3Y, P30D). */
export function periodLabel(p: J): string | null {
  if (!p || typeof p !== 'object' || !p.type) return null;
  const n = Number(p.duration ?? 1);
  if (p.type === 'month' && n === 1) return 'monthly';
  if (p.type === 'year' && n === 1) return 'annual';
  const unit = ({ day: 'D', month: 'M', year: 'Y' } as Record<string, string>)[p.type];
  return unit ? `P${n}${unit}` : String(p.type);
}

// ---- subscriptions ---------------------------------------------------------------------

const SUB_STATUS: Record<string, SubscriptionStatusModel> = {
  pending: 'PENDING',
  active: 'ACTIVE',
  hold: 'SUSPENDED',
  terminated: 'CANCELLED',
  removed: 'CANCELLED',
};

export function subscriptionStatus(value: unknown): SubscriptionStatusModel {
  return SUB_STATUS[lower(value)] ?? 'UNKNOWN';
}

/**
 * Model status → the Ingram statuses it stands for (`status=` accepts one value per call).
 * PENDING_CANCELLATION has no Ingram counterpart: nothing can match it.
 */
export const SUB_STATUS_VENDOR: Record<SubscriptionStatusModel, readonly string[]> = {
  ACTIVE: ['active'],
  PENDING: ['pending'],
  SUSPENDED: ['hold'],
  CANCELLED: ['terminated', 'removed'],
  PENDING_CANCELLATION: [],
  UNKNOWN: ['unknown'],
};

/**
 * A subscription from `SubscriptionDetailed` (GET /subscriptions/{id}); the list items of
 * GET /subscriptions carry no products or prices, so lists are completed with the detail.
 * The first product line is the subscription's product; further lines (add-ons added by
 * change orders) are its add-ons. `price` is `totalPrice`: per billing period, all lines.
 */
export function toSubscription(s: J): SubscriptionModel {
  const lines: J[] = Array.isArray(s.products) ? s.products : [];
  const main = lines[0];
  const status = subscriptionStatus(s.status);
  return {
    kind: 'Subscription',
    vendor: VENDOR,
    vendorId: String(s.id),
    name: str(s.name) ?? str(main?.name),
    status,
    vendorStatus: str(s.status),
    quantity: typeof main?.quantity === 'number' ? main.quantity : null,
    customerVendorId: str(s.customerId),
    productVendorId: str(main?.mpn),
    sku: str(main?.mpn),
    price: toMoney(s.totalPrice),
    autoRenew: typeof s.renewalStatus === 'boolean' ? s.renewalStatus : null,
    startDate: isoDate(s.creationDate),
    endDate: isoDate(s.expirationDate),
    renewalDate: isoDate(s.renewalDate),
    createdAt: isoDate(s.creationDate),
    updatedAt: isoDate(s.lastModifiedDate),
    addons: lines.slice(1).map(
      (l: J): SubscriptionAddonModel => ({
        vendorId: String(l.mpn ?? l.id),
        name: str(l.name),
        sku: str(l.mpn),
        status,
        vendorStatus: str(s.status),
        quantity: typeof l.quantity === 'number' ? l.quantity : null,
        activationDate: null,
      }),
    ),
    raw: scrubRaw(s),
  };
}

// ---- orders ----------------------------------------------------------------------------

const ORDER_STATUS: Record<string, OrderStatusModel> = {
  submitted: 'SUBMITTED',
  processing: 'PROCESSING',
  error: 'FAILED',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
};

/** Model status → Ingram order status (DRAFT and UNKNOWN have none: nothing matches). */
export const ORDER_STATUS_VENDOR: Partial<Record<OrderStatusModel, string>> = {
  SUBMITTED: 'submitted',
  PROCESSING: 'processing',
  FAILED: 'error',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

/**
 * An order from a list item (`Order`) or an `OrderDetailed`. Items are inline only for the
 * detailed form (it has `products`); list items get theirs from GET /orders/{id}.
 */
export function toOrder(o: J): OrderModel {
  return {
    kind: 'Order',
    vendor: VENDOR,
    vendorId: String(o.id),
    number: str(o.orderNumber),
    status: ORDER_STATUS[lower(o.status)] ?? 'UNKNOWN',
    vendorStatus: str(o.status),
    type: str(o.type),
    customerVendorId: str(o.customerId),
    total: toMoney(o.total),
    items: Array.isArray(o.products) ? toOrderItems(o) : null,
    createdAt: isoDate(o.creationDate),
    updatedAt: null,
    raw: scrubRaw(o),
  };
}

/**
 * The lines of an `OrderDetailed`: `products` (mpn, name, quantity, extendedPrice,
 * subscriptionId); the unit price comes from the matching `details` line, which the
 * product line lacks.
 */
export function toOrderItems(o: J): OrderItemModel[] {
  const details: J[] = Array.isArray(o.details) ? o.details : [];
  const lines: J[] = Array.isArray(o.products) ? o.products : [];
  return lines.map((l: J, i: number): OrderItemModel => {
    const detail = details.find((d: J) => d.mpn && lower(d.mpn) === lower(l.mpn)) ?? details[i];
    return {
      vendorId: null,
      name: str(l.name),
      sku: str(l.mpn),
      quantity: typeof l.quantity === 'number' ? l.quantity : null,
      unitPrice: toMoney(detail?.unitPrice),
      total: toMoney(l.extendedPrice),
      productVendorId: str(l.mpn),
      subscriptionVendorId: str(l.subscriptionId) ?? str(o.subscriptionId),
    };
  });
}

// ---- catalogue -------------------------------------------------------------------------

/** Prices and costs are parallel lists per currency and price type. */
function toPrices(p: J): ProductPriceModel[] {
  const costs: J[] = Array.isArray(p.costs) ? p.costs : [];
  const billing = periodLabel(p.billingPeriod);
  const out: ProductPriceModel[] = [];
  for (const price of Array.isArray(p.prices) ? p.prices : []) {
    const sell = toMoney(price);
    if (!sell) continue;
    const cost = costs.find((c: J) => c.currency === price.currency && (c.type ?? null) === (price.type ?? null));
    const unit = [price.type, billing].filter(Boolean).join(', ') || null;
    out.push({ unit, price: sell, cost: toMoney(cost) });
  }
  return out;
}

export function toProduct(p: J): ProductModel {
  const term = periodLabel(p.subscriptionPeriod);
  const billing = periodLabel(p.billingPeriod);
  return {
    kind: 'Product',
    vendor: VENDOR,
    vendorId: String(p.mpn),
    name: p.name ?? String(p.mpn),
    sku: str(p.mpn),
    publisher: str(p.vendor),
    description: str(p.serviceName),
    term: term && billing && term !== billing ? `${term}, billed ${billing}` : term,
    prices: toPrices(p),
    raw: scrubRaw(p),
  };
}

export function toServicePlan(s: J): ServicePlanModel {
  return {
    kind: 'ServicePlan',
    vendor: VENDOR,
    vendorId: String(s.id),
    name: s.name ?? `Plan ${s.id}`,
    description: str(s.shortDescription) ?? str(s.longDescription),
    published: typeof s.published === 'boolean' ? s.published : null,
    billingPeriod: periodLabel(s.billingPeriod),
    raw: scrubRaw(s),
  };
}

// ---- reports ---------------------------------------------------------------------------

const REPORT_STATUS: Record<string, ReportStatusModel> = {
  submitted: 'PENDING',
  processing: 'PROCESSING',
  error: 'FAILED',
  completed: 'COMPLETED',
};

export function toReport(r: J): ReportModel {
  return {
    kind: 'Report',
    vendor: VENDOR,
    vendorId: String(r.id).toLowerCase(),
    name: str(r.name),
    status: REPORT_STATUS[lower(r.status)] ?? 'UNKNOWN',
    vendorStatus: str(r.status),
    type: str(r.type),
    format: str(r.format),
    createdAt: isoDate(r.creationDate),
    periodStart: isoDate(r.startDate),
    periodEnd: isoDate(r.endDate),
    downloadUrl: str(r.downloadUrl),
    content: null,
    raw: scrubRaw(r),
  };
}
