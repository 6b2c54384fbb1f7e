/**
 * Ingram Micro Cloud Marketplace (CloudBlue Commerce SimpleAPI 1.15) JSON → vendor-neutral
 * models. Every wire field name and vendor enum value of the Ingram adapter lives here.
 *
 * Request bodies of the writes (model → SimpleAPI JSON) are built here too.
 *
 * Products are identified by their MPN (see `PRODUCT_ID` in core.ts): subscriptions and
 * order lines refer to products by `mpn`, and `/products?mpn=` is how the API finds one.
 */
import type {
  ActivationParameterModel,
  ActivationResultModel,
  AddressModel,
  ContactModel,
  CustomerModel,
  CustomerStatusModel,
  MoneyModel,
  OrderEstimateModel,
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
import { isoDate, lazyFields, money, scrubRaw, str, withChanges, withLazy } from '../shared.js';
import type { CustomerCreate, CustomerWrite, OrderCreate, ProductPriceWrite, ReportSchedule } from '../types.js';

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

const CUSTOMER_LAZY = lazyFields<J, Pick<CustomerModel, 'raw'>>({
  raw: (c) => scrubRaw(c),
});

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
  return withLazy(CUSTOMER_LAZY, c, {
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
  });
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
  return lacks?.length ? withChanges(m, { resellerVendorId: resellerId, lacks }) : withChanges(m, { resellerVendorId: resellerId }, 'lacks');
}

const RESELLER_LAZY = lazyFields<J, Pick<ResellerModel, 'raw'>>({
  raw: (r) => scrubRaw(r),
});

/** A reseller from `GET /resellers/{id}`, or (`from: 'list'`) a row of `GET /resellers` (see toCustomer). */
export function toReseller(r: J, from: 'detail' | 'list' = 'detail'): ResellerModel {
  const lacks = from === 'list' ? lacking(r, RESELLER_REQUIRED, RESELLER_SOURCES) : undefined;
  return withLazy(RESELLER_LAZY, r, {
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
  });
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

/** The statuses the `status` filter of GET /subscriptions documents (one a call). */
export const SUB_STATUS_FILTER: ReadonlySet<string> = new Set(['pending', 'active', 'hold', 'terminated', 'removed']);

/**
 * The product a subscription line names (`SubscriptionProduct`: mpn, name, vendor), as a
 * Product that lacks what only the catalogue has: `product { name sku }` (and `publisher`,
 * where the line names the vendor) costs no catalogue read.
 */
function productStub(line: J): ProductModel | null {
  if (!line?.mpn || typeof line.name !== 'string') return null;
  const publisher = str(line.vendor);
  return {
    kind: 'Product',
    vendor: VENDOR,
    vendorId: String(line.mpn),
    name: line.name,
    sku: String(line.mpn),
    ...(publisher ? { publisher } : {}),
    raw: null,
    lacks: [...(publisher ? [] : ['publisher']), 'description', 'term', 'prices', 'raw'],
  };
}

const SUBSCRIPTION_LAZY = lazyFields<J, Pick<SubscriptionModel, 'startDate' | 'endDate' | 'renewalDate' | 'createdAt' | 'updatedAt' | 'raw'>>({
  startDate: (s) => isoDate(s.creationDate),
  endDate: (s) => isoDate(s.expirationDate),
  renewalDate: (s) => isoDate(s.renewalDate),
  createdAt: (s) => isoDate(s.creationDate),
  updatedAt: (s) => isoDate(s.lastModifiedDate),
  raw: (s) => scrubRaw(s),
});

/**
 * A subscription from `SubscriptionDetailed` (GET /subscriptions/{id}); the list items of
 * GET /subscriptions carry no products or prices, so lists are completed with the detail.
 * The first product line is the subscription's product (`productStub`: its name, MPN and
 * vendor as the line has them); further lines (add-ons added by change orders) are its
 * add-ons. `price` is `totalPrice`: per billing period, all lines.
 */
export function toSubscription(s: J): SubscriptionModel {
  const lines: J[] = Array.isArray(s.products) ? s.products : [];
  const main = lines[0];
  const status = subscriptionStatus(s.status);
  return withLazy(SUBSCRIPTION_LAZY, s, {
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
    productStub: productStub(main),
    price: toMoney(s.totalPrice),
    autoRenew: typeof s.renewalStatus === 'boolean' ? s.renewalStatus : null,
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
  });
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

const ORDER_LAZY = lazyFields<J, Pick<OrderModel, 'createdAt' | 'raw'>>({
  createdAt: (o) => isoDate(o.creationDate),
  raw: (o) => scrubRaw(o),
});

/**
 * An order from a list item (`Order`) or an `OrderDetailed`. Items are inline only for the
 * detailed form (it has `products`); list items get theirs from GET /orders/{id}.
 */
export function toOrder(o: J): OrderModel {
  return withLazy(ORDER_LAZY, o, {
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
    updatedAt: null,
  });
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

const PRODUCT_LAZY = lazyFields<J, Pick<ProductModel, 'raw'>>({
  raw: (p) => scrubRaw(p),
});

export function toProduct(p: J): ProductModel {
  const term = periodLabel(p.subscriptionPeriod);
  const billing = periodLabel(p.billingPeriod);
  return withLazy(PRODUCT_LAZY, p, {
    kind: 'Product',
    vendor: VENDOR,
    vendorId: String(p.mpn),
    name: p.name ?? String(p.mpn),
    sku: str(p.mpn),
    publisher: str(p.vendor),
    description: str(p.serviceName),
    term: term && billing && term !== billing ? `${term}, billed ${billing}` : term,
    prices: toPrices(p),
  });
}

const SERVICE_PLAN_LAZY = lazyFields<J, Pick<ServicePlanModel, 'raw'>>({
  raw: (s) => scrubRaw(s),
});

export function toServicePlan(s: J): ServicePlanModel {
  return withLazy(SERVICE_PLAN_LAZY, s, {
    kind: 'ServicePlan',
    vendor: VENDOR,
    vendorId: String(s.id),
    name: s.name ?? `Plan ${s.id}`,
    description: str(s.shortDescription) ?? str(s.longDescription),
    published: typeof s.published === 'boolean' ? s.published : null,
    billingPeriod: periodLabel(s.billingPeriod),
  });
}

// ---- reports ---------------------------------------------------------------------------

const REPORT_STATUS: Record<string, ReportStatusModel> = {
  submitted: 'PENDING',
  processing: 'PROCESSING',
  error: 'FAILED',
  completed: 'COMPLETED',
};

const REPORT_LAZY = lazyFields<J, Pick<ReportModel, 'createdAt' | 'periodStart' | 'periodEnd' | 'raw'>>({
  createdAt: (r) => isoDate(r.creationDate),
  periodStart: (r) => isoDate(r.startDate),
  periodEnd: (r) => isoDate(r.endDate),
  raw: (r) => scrubRaw(r),
});

export function toReport(r: J): ReportModel {
  return withLazy(REPORT_LAZY, r, {
    kind: 'Report',
    vendor: VENDOR,
    vendorId: String(r.id).toLowerCase(),
    name: str(r.name),
    status: REPORT_STATUS[lower(r.status)] ?? 'UNKNOWN',
    vendorStatus: str(r.status),
    type: str(r.type),
    format: str(r.format),
    downloadUrl: str(r.downloadUrl),
    content: null,
  });
}

/** Model report status → the Ingram report status (`status=` filter of GET /reports). */
export const REPORT_STATUS_VENDOR: Record<ReportStatusModel, string> = {
  PENDING: 'submitted',
  PROCESSING: 'processing',
  FAILED: 'error',
  COMPLETED: 'completed',
  UNKNOWN: 'unknown',
};

// ---- write bodies (model inputs → SimpleAPI 1.15 request JSON) ---------------------------

const CONTACT_TYPES = ['admin', 'billing', 'technical'];

/** `en`, `en-US` or `en_us` → the API's `en` / `en_US`. */
export function language(code: string | null | undefined): string {
  const [lang = 'en', region] = (code || 'en').split(/[-_]/);
  return region ? `${lang.toLowerCase()}_${region.toUpperCase()}` : lang.toLowerCase();
}

/** Free-form attributes as the API's string map (numbers and booleans written as text); null when a value is not a scalar. */
export function attributesBody(attributes: Record<string, unknown> | null | undefined): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return null;
    out[k] = String(v);
  }
  return out;
}

/** An `Address` from the input merged over the account's current one (all keys the API has). */
function addressBody(input: AddressModel | null | undefined, current: J): J {
  const pick = (value: string | null | undefined, key: string) => (value !== undefined && value !== null ? value : current?.[key]);
  const out: J = {
    streetAddress: pick(input?.street, 'streetAddress'),
    addressExtension: pick(input?.street2, 'addressExtension'),
    postalCode: pick(input?.postalCode, 'postalCode'),
    city: pick(input?.city, 'city'),
    state: pick(input?.state, 'state'),
    countryCode: pick(input?.countryCode, 'countryCode'),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/**
 * `contactPersons`: the input contact (and the input's top-level email/phone) merged into
 * the account's main contact (admin, else the first); the other contacts stay as they are.
 */
function contactsBody(input: CustomerWrite, current: J[]): J[] {
  const contacts: J[] = current.map((c) => ({ type: c.type, firstName: c.firstName, lastName: c.lastName, email: c.email, phoneNumber: c.phoneNumber }));
  let main = contacts.find((x) => x.type === 'admin') ?? contacts[0];
  if (!main) contacts.push((main = { type: 'admin' }));
  const c = input.contact;
  const role = c?.role?.toLowerCase();
  if (role && CONTACT_TYPES.includes(role)) main.type = role;
  if (c?.firstName) main.firstName = c.firstName;
  if (c?.lastName) main.lastName = c.lastName;
  const email = c?.email ?? input.email;
  const phone = c?.phone ?? input.phone;
  if (email) main.email = email;
  if (phone) main.phoneNumber = phone;
  return contacts.map((x) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null && v !== '')));
}

/** The required keys of an Address and a ContactPerson that a body still lacks, as input field names. */
function missingAccountFields(body: J): string[] {
  const missing: string[] = [];
  for (const [key, field] of [['streetAddress', 'address.street'], ['postalCode', 'address.postalCode'], ['city', 'address.city'], ['countryCode', 'address.countryCode']] as const) {
    if (!body.address?.[key]) missing.push(field);
  }
  const main = body.contactPersons?.[0] ?? {};
  for (const [key, field] of [['firstName', 'contact.firstName'], ['lastName', 'contact.lastName'], ['email', 'contact.email (or email)'], ['phoneNumber', 'contact.phone (or phone)']] as const) {
    if (!main[key]) missing.push(field);
  }
  return missing;
}

/**
 * The `Customer` (or, with a currency, `Reseller`) body of a create: name, address,
 * contactPersons and language are required by the API (language defaults to `en`).
 * `missing` names the input fields the API needs that were not given.
 */
export function accountCreateBody(input: CustomerCreate): { body: J; missing: string[] } {
  const attributes = attributesBody(input.ingram?.attributes);
  const body: J = {
    name: input.name,
    ...(input.externalId ? { externalId: input.externalId } : {}),
    address: addressBody(input.address, {}),
    contactPersons: contactsBody(input, []),
    language: language(input.ingram?.language),
    ...(input.ingram?.taxRegId ? { taxRegId: input.ingram.taxRegId } : {}),
    ...(attributes && Object.keys(attributes).length ? { attributes } : {}),
    ...(input.currency ? { currency: input.currency } : {}),
  };
  const missing = missingAccountFields(body);
  if (attributes === null) missing.push('ingram.attributes (string, number or boolean values)');
  return { body, missing };
}

/**
 * A `CustomerUpdate` / `ResellerUpdate` body: the changed scalars, and a full address and
 * contact list merged over `current` (the account's own payload) when the input changes any
 * of them, since the API replaces them whole. Language and attributes cannot be changed.
 */
export function accountUpdateBody(input: CustomerWrite, current: J | null): J {
  const body: J = {};
  if (input.name) body.name = input.name;
  if (input.externalId) body.externalId = input.externalId;
  if (input.ingram?.taxRegId) body.taxRegId = input.ingram.taxRegId;
  if (input.address) body.address = addressBody(input.address, current?.address ?? {});
  if (input.contact || input.email || input.phone) body.contactPersons = contactsBody(input, Array.isArray(current?.contactPersons) ? current.contactPersons : []);
  return body;
}

/** Does an update need the account's current address or contacts (they are replaced whole)? */
export const updateNeedsCurrent = (input: CustomerWrite) => Boolean(input.address || input.contact || input.email || input.phone);

/** An `OrderDetailed` request (create, estimate): products by MPN with quantity, parameters and the subscription a line changes. */
export function orderBody(input: OrderCreate): J {
  const subscriptionId = input.items.find((l) => l.subscriptionVendorId)?.subscriptionVendorId;
  return {
    type: input.type ?? 'sales',
    customerId: input.customerVendorId,
    ...(input.poNumber ? { poNumber: input.poNumber } : {}),
    ...(subscriptionId ? { subscriptionId } : {}),
    products: input.items.map((l) => ({
      mpn: l.productVendorId,
      quantity: l.quantity,
      ...(l.subscriptionVendorId ? { subscriptionId: l.subscriptionVendorId } : {}),
      ...(l.parameters?.length ? { parameters: l.parameters.map((p) => ({ name: p.name, value: p.value })) } : {}),
    })),
  };
}

/** A `ParameterValidationRequest`: every line with its parameters (required, possibly empty). */
export function validationBody(input: OrderCreate): J {
  return {
    customerId: input.customerVendorId,
    type: input.type ?? 'sales',
    products: input.items.map((l) => ({ mpn: l.productVendorId, quantity: l.quantity, parameters: (l.parameters ?? []).map((p) => ({ name: p.name, value: p.value })) })),
  };
}

/** The answer of POST /orders/estimate (an `OrderDetailed` that is not placed). */
export function toEstimate(o: J): OrderEstimateModel {
  return { vendor: VENDOR, total: toMoney(o?.total), items: toOrderItems(o ?? {}), raw: scrubRaw(o) };
}

/** The answer of POST /validation/parameters: `{data: [ParameterValidationResult]}`, valid when no parameter is an error. */
export function toActivationResult(body: J): ActivationResultModel {
  const rows: J[] = Array.isArray(body?.data) ? body.data : [];
  const parameters = rows.flatMap((r: J) =>
    (Array.isArray(r.parameters) ? r.parameters : []).map(
      (p: J): ActivationParameterModel => ({
        sku: str(r.mpn) ?? str(r.id),
        name: String(p.name ?? ''),
        value: p.value === undefined || p.value === null ? null : typeof p.value === 'string' ? p.value : JSON.stringify(p.value),
        valid: p.result ? lower(p.result) === 'success' : null,
        message: str(p.valueError) ?? str(p.message),
      }),
    ),
  );
  return { vendor: VENDOR, valid: parameters.every((p) => p.valid !== false), parameters, raw: scrubRaw(body) };
}

/** `SubscriptionProductUpdate[]`: unit price and cost per product (MPN) in `currency` (the subscription's unless given). */
export function priceUpdatesBody(products: ProductPriceWrite[], currency: string | null): J[] {
  return products.map((p) => {
    const c = p.currency ?? currency;
    return {
      mpn: p.productVendorId,
      ...(p.unitPrice ? { unitPrice: { currency: c, amount: p.unitPrice } } : {}),
      ...(p.unitCost ? { unitCost: { currency: c, amount: p.unitCost } } : {}),
    };
  });
}

/** A `Report` to schedule (POST /reports): name and startDate required, format lower case. */
export function reportBody(input: ReportSchedule): J {
  return {
    name: input.name,
    startDate: new Date(input.startDate).toISOString(),
    ...(input.endDate ? { endDate: new Date(input.endDate).toISOString() } : {}),
    ...(input.format ? { format: input.format } : {}),
    ...(input.customizationName ? { customizationName: input.customizationName } : {}),
  };
}
