/**
 * Cloudmore broker API (v1.07.0) JSON → vendor-neutral models.
 *
 * Cloudmore publishes its model NAMES but not their fields, so most field names below are
 * guesses in ASP.NET's default camelCase (see src/simulators/cloudmore/models.ts and
 * /work/shared/vendor-apis/cloudmore.md, where [C] marks the few confirmed ones). ALL
 * knowledge of Cloudmore's wire fields lives in this file, index.ts only knows paths, so a
 * correction against the live Swagger touches this one place:
 *
 *   - organizations     `OrganizationViewModel` (list) / `OrganizationDetailViewModel` (by id)
 *   - services          `ResellerServiceViewModel`, `OrganizationServiceViewModel`
 *   - price-list items  `ResellerPriceListViewModel` (productId, itemCode [C], prices[])
 *   - subscriptions     one row shape per kind of service (`CspNceSubscriptionViewModel`,
 *                       `OrganizationCspNceSubscriptionViewModel`, `CspSubscriptionViewModel`,
 *                       `AzureSubscriptionViewModel`, `OrganizationServiceSubscriptionViewModel`
 *                       … [C names, U fields]); the kind and, where the path has it, the
 *                       organization come from the endpoint, never from a row field
 *   - billing report    `MonthlyBillingPerOrganizationAsyncViewModel` (and its `Mbpo*` tree → billing lines)
 *   - write bodies      `OrganizationCreateViewModel`, `OrganizationUpdateViewModel`,
 *                       `OrganizationServiceAddViewModel`, `MonthlyBillingPerOrganizationCreateAsyncViewModel`
 *   - token response    `{access_token, expires_in}` [C], errors IdentityServer style [I]
 *   - error bodies      ApiError array or model-state dictionary [C]
 */
import { UpstreamError } from '../../errors.js';
import type {
  AddressModel,
  BillingLineModel,
  ContactModel,
  CustomerModel,
  CustomerServiceModel,
  CustomerStatusModel,
  MoneyModel,
  ProductModel,
  ProductPriceModel,
  ReportModel,
  ReportStatusModel,
  SubscriptionModel,
  SubscriptionStatusModel,
  VendorServiceModel,
} from '../../model.js';
import { GUID, isoDate, lazyFields, money, scrubRaw, str, withLazy } from '../shared.js';
import type { CustomerCreate, CustomerWrite } from '../types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON is untyped at this boundary */
type J = any;

const VENDOR = 'CLOUDMORE' as const;

/** Cloudmore GUIDs match case-insensitively; the graph keys them in lower case. */
export const idKey = (v: unknown): string => String(v ?? '').toLowerCase();

function amount(value: unknown, currency: unknown): MoneyModel | null {
  return money(value, str(currency));
}

// ---- auth and errors ---------------------------------------------------------------------

/** `POST /connect/token` form body (password grant, scope `api` [C]). */
export function tokenForm(username: string, password: string): Record<string, string> {
  return { grant_type: 'password', username, password, scope: 'api' };
}

/** Token response → what TokenCache needs. Cloudmore tokens live 24 h [C]. */
export function toIssuedToken(body: J): { token: string; expiresInSeconds: number } {
  const token = body?.access_token;
  if (typeof token !== 'string' || token.length === 0) {
    throw new UpstreamError(VENDOR, null, 'UPSTREAM_AUTH_FAILED', 'the token endpoint answered without an access token');
  }
  const expires = Number(body.expires_in);
  return { token, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 86_400 };
}

/**
 * A human message from any Cloudmore error body:
 * - ApiError array `[{errorCode, errorName, errorMessage}]` [C],
 * - ASP.NET model-state dictionary `{"Contact.Email": ["..."]}` [C],
 * - IdentityServer `{error, error_description}` from /connect/token [I],
 * - a single ApiError object or ProblemDetails `{title, detail}` (defensive).
 */
export function errorMessage(body: J): string | undefined {
  if (!body) return undefined;
  if (typeof body === 'string') return body.trim() || undefined;
  if (Array.isArray(body)) {
    const parts = body
      .map((e: J) => (e && typeof e === 'object' ? (e.errorMessage ?? e.message ?? e.errorName) : e))
      .filter((m: unknown) => typeof m === 'string' && m.length > 0);
    return parts.length ? parts.join('; ') : undefined;
  }
  if (typeof body !== 'object') return undefined;
  if (typeof body.error === 'string') return body.error_description ? `${body.error}: ${body.error_description}` : body.error;
  if (typeof body.errorMessage === 'string') return body.errorMessage;
  if (typeof body.detail === 'string' || typeof body.title === 'string') return body.detail ?? body.title;
  if (typeof body.message === 'string') return body.message;
  // Model-state dictionary: every value is an array of messages.
  const entries = Object.entries(body as Record<string, unknown>).filter(([, v]) => Array.isArray(v));
  if (entries.length) {
    return entries.map(([k, v]) => `${k ? `${k}: ` : ''}${(v as unknown[]).map(String).join(' ')}`).join('; ');
  }
  return undefined;
}

// ---- healthcheck -------------------------------------------------------------------------

/** `GET /api/healthcheck` body → a problem, or null when healthy (shape [U]: `{status: "Healthy"}`). */
export function healthProblem(body: J): string | null {
  const status = body && typeof body === 'object' ? body.status : undefined;
  if (status === undefined || status === null || /^healthy$/i.test(String(status))) return null;
  return `status ${String(status)}`;
}

// ---- organizations -----------------------------------------------------------------------

/** The organization's id as Cloudmore sends it. */
export const organizationId = (o: J): string => idKey(o?.id);

function phone(prefix: unknown, number: unknown): string | null {
  const n = str(number);
  if (!n) return null;
  const p = str(prefix);
  return p ? `${p} ${n}` : n;
}

function splitName(name: unknown): { firstName: string | null; lastName: string | null } {
  const text = str(name)?.trim();
  if (!text) return { firstName: null, lastName: null };
  const space = text.indexOf(' ');
  return space < 0 ? { firstName: text, lastName: null } : { firstName: text.slice(0, space), lastName: text.slice(space + 1) };
}

function contacts(o: J): ContactModel[] {
  const out: ContactModel[] = [];
  const c = o.contact;
  if (c && typeof c === 'object') {
    out.push({ role: 'primary', ...splitName(c.name), email: str(c.email), phone: phone(c.phonePrefix, c.phone) ?? phone(c.cellPhonePrefix, c.cellPhone) });
  }
  const i = o.invoiceContact;
  if (i && typeof i === 'object' && (i.name || i.email)) {
    out.push({ role: 'billing', ...splitName(i.name), email: str(i.email), phone: phone(i.phonePrefix, i.phone) });
  }
  return out;
}

function address(o: J): AddressModel | null {
  const a = o.address;
  const countryCode = str(a?.countryCode) ?? str(o.countryCode);
  if (!a && !countryCode) return null;
  return {
    street: str(a?.address),
    street2: null,
    city: str(a?.city),
    postalCode: str(a?.postalCode),
    state: null,
    country: null,
    countryCode,
  };
}

/**
 * Whether `GET R/Organizations` items carry an e-mail. `OrganizationViewModel` is assumed
 * not to (only the detail has notificationEmail/contact [U]), so an e-mail filter on the
 * customer list cannot be answered without one detail call per organization: the adapter
 * says VENDOR_UNSUPPORTED instead of silently matching nothing.
 */
export const ORGANIZATION_LIST_HAS_EMAIL = false;

/**
 * The Customer fields a `GET R/Organizations` row does not carry, judged from the row
 * itself (`OrganizationViewModel`'s fields are [U]): a field is lacking when none of the
 * keys it is read from is present. Their resolvers then read the organization's detail
 * (`GET R/Organizations/{id}`), only when a query selects them.
 */
export function organizationRowLacks(o: J): string[] {
  const has = (...keys: string[]) => keys.some((k) => o !== null && typeof o === 'object' && k in o);
  const lacks: string[] = [];
  if (!has('notificationEmail', 'contact')) lacks.push('email');
  if (!has('contact', 'invoiceContact')) lacks.push('phone', 'contacts');
  if (!has('address')) lacks.push('address');
  if (!has('customerNumber')) lacks.push('externalId');
  if (!has('createdDate')) lacks.push('createdAt');
  if (!has('modifiedDate')) lacks.push('updatedAt');
  if (!has('isActive')) lacks.push('vendorStatus');
  return lacks;
}

const CUSTOMER_LAZY = lazyFields<J, Pick<CustomerModel, 'createdAt' | 'updatedAt' | 'raw'>>({
  createdAt: (o) => isoDate(o.createdDate),
  updatedAt: (o) => isoDate(o.modifiedDate),
  raw: (o) => scrubRaw(o),
});

/**
 * An organization → Customer. A list row (`fromList`) has no contact, address or e-mail
 * (in the simulator, and probably at Cloudmore): the model says so in `lacks`, and those
 * fields are read from the detail when selected (see index.ts). An inactive organization
 * (`isActive: false`) still exists and can be re-activated: SUSPENDED.
 */
export function toCustomer(o: J, options: { fromList?: boolean } = {}): CustomerModel {
  const active = o.isActive;
  const status: CustomerStatusModel = active === true ? 'ACTIVE' : active === false ? 'SUSPENDED' : 'UNKNOWN';
  const contactList = contacts(o);
  return withLazy(CUSTOMER_LAZY, o, {
    kind: 'Customer',
    vendor: VENDOR,
    vendorId: organizationId(o),
    name: str(o.name) ?? `Organization ${organizationId(o)}`,
    status,
    vendorStatus: active === true ? 'Active' : active === false ? 'Inactive' : null,
    email: str(o.notificationEmail) ?? str(o.contact?.email),
    phone: contactList[0]?.phone ?? null,
    externalId: str(o.customerNumber),
    address: address(o),
    contacts: contactList,
    resellerVendorId: null,
    customFields: null,
    ...(options.fromList ? { lacks: organizationRowLacks(o) } : {}),
  });
}

// ---- services and price lists ------------------------------------------------------------

/** A reseller service's id (`GET R/services` item). */
export const serviceId = (s: J): string => idKey(s?.id);

/**
 * Is this reseller service a Microsoft CSP or Azure service, whose subscriptions live on
 * their own endpoints rather than the custom-service ones? Read from the simulator's `type`
 * [I]; a row without one counts as custom (its custom-service subscription lists are read
 * too, and a 404 there is an empty list), so a wrong guess costs calls, never data.
 */
export function isMicrosoftService(s: J): boolean {
  return /csp|azure|microsoft/i.test(String(s?.type ?? ''));
}

/** The service id of a `GET R/organizations/{organizationId}/services` row [U]: `serviceId`, else `id`; null when neither. */
export function organizationServiceId(row: J): string | null {
  const id = row?.serviceId ?? row?.id;
  return id ? idKey(id) : null;
}

/** A price-list item's product id. */
export const priceListProductId = (item: J): string => idKey(item?.productId ?? item?.id);

export function toPrices(item: J): ProductPriceModel[] {
  const out: ProductPriceModel[] = [];
  for (const p of Array.isArray(item?.prices) ? item.prices : []) {
    const price = amount(p?.price, p?.currencyCode);
    if (!price) continue;
    out.push({ unit: str(item.unit), price, cost: amount(p?.cost, p?.currencyCode) });
  }
  return out;
}

/** The row a Product's lazy fields read: the price-list item and its service. */
const PRODUCT_LAZY = lazyFields<{ item: J; service: J }, Pick<ProductModel, 'raw'>>({
  raw: ({ item, service }) => scrubRaw({ ...item, service: service ? { id: service.id, name: service.name, vendorName: service.vendorName } : null }),
});

/** A reseller price-list item of a service → Product (prices inline, one per currency). */
export function toProduct(item: J, service: J): ProductModel {
  return withLazy(PRODUCT_LAZY, { item, service }, {
    kind: 'Product',
    vendor: VENDOR,
    vendorId: priceListProductId(item),
    name: str(item.name) ?? priceListProductId(item),
    sku: str(item.itemCode),
    publisher: str(service?.vendorName),
    description: str(item.description),
    term: str(item.commitment),
    prices: toPrices(item),
  });
}

// ---- subscriptions -----------------------------------------------------------------------

const SUB_STATUS: Record<string, SubscriptionStatusModel> = {
  active: 'ACTIVE',
  pending: 'PENDING',
  provisioning: 'PENDING',
  suspended: 'SUSPENDED',
  disabled: 'SUSPENDED',
  pendingcancellation: 'PENDING_CANCELLATION',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
  deleted: 'CANCELLED',
  expired: 'CANCELLED',
};

export function subscriptionStatus(value: unknown): SubscriptionStatusModel {
  return SUB_STATUS[String(value ?? '').toLowerCase().replace(/[\s_-]/g, '')] ?? 'UNKNOWN';
}

/**
 * The kinds of service Cloudmore keeps subscriptions for, each on its own endpoints
 * (endpoint index [C paths]), with the label `ServiceSubscription.serviceType` shows.
 */
export type SubscriptionKind = 'nce' | 'csp' | 'azure' | 'azureplan' | 'custom';
export const SERVICE_TYPE: Record<SubscriptionKind, string> = {
  nce: 'Microsoft CSP NCE',
  csp: 'Microsoft CSP (legacy)',
  azure: 'Microsoft Azure',
  azureplan: 'Azure plan',
  custom: 'Custom',
};

/**
 * The organization a reseller-level subscription row names, or null when it names none.
 * No source names such a field [U]: `organizationId` (or `organization.id`) is our guess,
 * read only to try the reseller-level shortcut (index.ts), never trusted when absent.
 */
export function rowOrganizationId(row: J): string | null {
  const id = row?.organizationId ?? row?.organization?.id;
  return typeof id === 'string' && id.length > 0 ? idKey(id) : null;
}

/**
 * The product a subscription row is for, as a key the product index answers: `productId`
 * (custom subscriptions are created with a price-list productId [C]; on rows [I]), else
 * the row's `itemCode` (Microsoft CSP price lists are keyed by ItemCode [C, index]), else
 * null (no product rather than a wrong one).
 */
export function subscriptionProductKey(row: J): string | null {
  if (row?.productId) return idKey(row.productId);
  const code = str(row?.itemCode);
  return code ? itemCodeKey(code) : null;
}

/** A product-index key for an item code (never a GUID, so it cannot clash with product ids). */
export const itemCodeKey = (code: string): string => `itemcode:${code.toLowerCase()}`;

const SUBSCRIPTION_LAZY = lazyFields<J, Pick<SubscriptionModel, 'startDate' | 'endDate' | 'renewalDate' | 'createdAt' | 'updatedAt' | 'raw'>>({
  startDate: (s) => isoDate(s.startDate),
  endDate: (s) => isoDate(s.cancelledDate),
  renewalDate: (s) => isoDate(s.renewalDate),
  createdAt: (s) => isoDate(s.createdDate),
  updatedAt: (s) => isoDate(s.modifiedDate),
  raw: (s) => scrubRaw(s),
});

/**
 * A subscription row → Subscription. The kind comes from the endpoint the row was read
 * from and the organization from its path (organization level) or, on the reseller-level
 * shortcut, from the row (`rowOrganizationId`). Every row field is [U] and read
 * tolerantly: an absent one is null, never a guess (`price` needs both `unitPrice` and
 * `currencyCode`: Cloudmore's unit price in the organization's currency, as reported).
 */
export function toSubscription(s: J, context: { kind: SubscriptionKind; organizationId: string | null }): SubscriptionModel {
  return withLazy(SUBSCRIPTION_LAZY, s, {
    kind: 'Subscription',
    vendor: VENDOR,
    vendorId: idKey(s.id),
    name: str(s.name) ?? str(s.productName) ?? str(s.friendlyName),
    status: subscriptionStatus(s.status),
    vendorStatus: str(s.status),
    quantity: typeof s.quantity === 'number' ? s.quantity : null,
    customerVendorId: context.organizationId ? idKey(context.organizationId) : null,
    productVendorId: subscriptionProductKey(s),
    sku: str(s.itemCode),
    serviceType: SERVICE_TYPE[context.kind],
    price: amount(s.unitPrice, s.currencyCode),
    autoRenew: typeof s.autoRenew === 'boolean' ? s.autoRenew : null,
    addons: null,
  });
}

// ---- monthly billing report (async task) ---------------------------------------------------

/** Task states are [U]; the simulator uses Pending → InProgress → Completed. */
const REPORT_STATUS: Record<string, ReportStatusModel> = {
  pending: 'PENDING',
  queued: 'PENDING',
  notstarted: 'PENDING',
  inprogress: 'PROCESSING',
  processing: 'PROCESSING',
  running: 'PROCESSING',
  completed: 'COMPLETED',
  complete: 'COMPLETED',
  succeeded: 'COMPLETED',
  done: 'COMPLETED',
  failed: 'FAILED',
  error: 'FAILED',
};

export function reportStatus(value: unknown): ReportStatusModel {
  return REPORT_STATUS[String(value ?? '').toLowerCase().replace(/[\s_-]/g, '')] ?? 'UNKNOWN';
}

const REPORT_LAZY = lazyFields<J, Pick<ReportModel, 'createdAt' | 'periodStart' | 'periodEnd' | 'raw'>>({
  createdAt: (r) => isoDate(r.requestedDate),
  periodStart: (r) => isoDate(str(r.startDate)),
  periodEnd: (r) => isoDate(str(r.endDate)),
  raw: (r) => scrubRaw(r),
});

/** `GET R/billing/reports/MonthlyBillingPerOrganizationAsync/{taskId}` → Report. */
export function toReport(r: J, taskId: string): ReportModel {
  const status = reportStatus(r.status);
  const start = str(r.startDate);
  const end = str(r.endDate);
  return withLazy(REPORT_LAZY, r, {
    kind: 'Report',
    vendor: VENDOR,
    vendorId: idKey(r.taskId ?? taskId),
    name: start && end ? `Monthly billing per organization ${start} – ${end}` : 'Monthly billing per organization',
    status,
    vendorStatus: str(r.status),
    type: 'MonthlyBillingPerOrganization',
    format: 'JSON',
    downloadUrl: null,
    // The report itself (per-currency totals and the organization → service → product →
    // billing-line tree), once the task has completed.
    content: status === 'COMPLETED' ? scrubRaw({ totals: r.totals ?? null, organizations: r.organizations ?? [] }) : null,
  });
}

// ---- lists -------------------------------------------------------------------------------

/** Cloudmore lists are bare JSON arrays [C]; anything else is read as empty. */
export function listItems(body: J): J[] {
  return Array.isArray(body) ? body : [];
}

/**
 * `GET …/services/azureplan/subscriptions` "returns organization Azure plan subscription
 * and its entitlements" [C summary]: maybe one object, maybe an array [U]; both are read.
 */
export function listOrOne(body: J): J[] {
  if (Array.isArray(body)) return body;
  return body && typeof body === 'object' && body.id ? [body] : [];
}

// ---- services (reseller, organization, Estore) ----------------------------------------------

const VENDOR_SERVICE_LAZY = lazyFields<J, Pick<VendorServiceModel, 'raw'>>({
  raw: (s) => scrubRaw(s),
});

/** A `GET R/services` row (`ResellerServiceViewModel`) or an Estore row (`EstoreViewModel`) → VendorService. */
export function toVendorService(s: J): VendorServiceModel {
  return withLazy(VENDOR_SERVICE_LAZY, s, {
    vendor: VENDOR,
    vendorId: serviceId(s),
    name: str(s?.name) ?? serviceId(s),
    type: str(s?.type) ?? str(s?.category),
    publisher: str(s?.vendorName),
    description: str(s?.description),
  });
}

const CUSTOMER_SERVICE_LAZY = lazyFields<J, Pick<CustomerServiceModel, 'raw'>>({
  raw: (row) => scrubRaw(row),
});

/** A `GET R/organizations/{organizationId}/services` row (`OrganizationServiceViewModel`) → CustomerService. */
export function toCustomerService(row: J, organizationId: string): CustomerServiceModel {
  const service = organizationServiceId(row);
  return withLazy(CUSTOMER_SERVICE_LAZY, row, {
    vendor: VENDOR,
    vendorId: idKey(row?.id ?? service),
    customerVendorId: idKey(organizationId),
    serviceVendorId: service,
    name: str(row?.name),
    type: str(row?.type) ?? str(row?.category),
  });
}

/**
 * The Microsoft subscription kinds of a Microsoft reseller service (`isMicrosoftService`):
 * their subscriptions live on the typed endpoints, not the custom-service ones.
 */
export function microsoftKinds(s: J): SubscriptionKind[] {
  return /azure/i.test(String(s?.type ?? '')) ? ['azure', 'azureplan'] : ['nce', 'csp'];
}

/**
 * The kinds of subscription list a reseller service's subscriptions are on, from its
 * `type` [I]: a Microsoft 365 (CSP) service → NCE and legacy CSP, an Azure service → Azure
 * and Azure plan, a custom service → its own custom-service list; null when the type says
 * neither (absent or unknown: its subscriptions may be anywhere, so every list is read).
 */
export function serviceKinds(s: J): SubscriptionKind[] | null {
  if (isMicrosoftService(s)) return microsoftKinds(s);
  return /custom/i.test(String(s?.type ?? '')) ? ['custom'] : null;
}

/**
 * `OrganizationServiceAddViewModel`: `serviceId` [C: "Adds available custom service from
 * Estore"], custom property values as `customProperties` [I: the seller service model's
 * name], each by `propertyId` (a GUID key) or `name`.
 */
export function organizationServiceAddBody(serviceVendorId: string, properties: Record<string, unknown> | null): J {
  const body: J = { serviceId: serviceVendorId };
  if (properties && Object.keys(properties).length) {
    body.customProperties = Object.entries(properties).map(([key, value]) => ({
      [GUID.test(key) ? 'propertyId' : 'name']: key,
      value: value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value),
    }));
  }
  return body;
}

// ---- organization writes -------------------------------------------------------------------

const joinName = (c: ContactModel | null | undefined): string | null => {
  const name = [c?.firstName, c?.lastName].filter((p) => p && p.trim()).join(' ');
  return name || null;
};

function addressBody(a: AddressModel): J {
  const street = [a.street, a.street2].filter((p) => p && p.trim()).join(', ');
  return { address: street || null, postalCode: a.postalCode ?? null, city: a.city ?? null, countryCode: a.countryCode ?? null };
}

/** The fields of an organization body the graph's input changes (undefined: keep; null: clear). */
function applyWrite(body: J, input: CustomerWrite, fallbackContactName: string): J {
  if (input.name) body.name = input.name;
  if (input.externalId !== undefined) body.customerNumber = input.externalId;
  if (input.email !== undefined) body.notificationEmail = input.email;
  if (input.currency) body.currencyCode = input.currency;
  const cm = input.cloudmore;
  if (cm) {
    if (cm.registrationNumber !== undefined) body.registrationNumber = cm.registrationNumber;
    if (cm.vat !== undefined) body.vat = cm.vat;
    if (cm.notificationEmail !== undefined) body.notificationEmail = cm.notificationEmail;
  }
  if (input.address) body.address = { ...(body.address ?? {}), ...addressBody(input.address) };
  // The main contact: Cloudmore's `contact{name,email,phone}` [C]; the graph's phone is the contact's.
  const c = input.contact;
  if (c || (input.phone !== undefined && input.phone !== null)) {
    const contact: J = { ...(body.contact ?? {}) };
    const name = joinName(c);
    if (name) contact.name = name;
    contact.name ??= fallbackContactName;
    if (c?.email) contact.email = c.email;
    contact.email ??= input.email ?? input.cloudmore?.notificationEmail ?? null;
    const phone = c?.phone ?? input.phone;
    if (phone !== undefined && phone !== null) {
      contact.phone = phone;
      contact.phonePrefix = null;
    }
    body.contact = contact;
  }
  return body;
}

/** `OrganizationCreateViewModel` [C fields: name, registrationNumber, vat, contact, customerNumber, notificationEmail, address]. */
export function organizationCreateBody(input: CustomerCreate): J {
  return applyWrite({ name: input.name }, input, input.name);
}

/** The `OrganizationUpdateViewModel` fields [U] a PUT sends back, read from the organization's detail. */
const UPDATABLE = [
  'name',
  'customerNumber',
  'registrationNumber',
  'vat',
  'domain',
  'notificationEmail',
  'supportEmail',
  'languageCode',
  'currencyCode',
  'allowCmpAccess',
  'isActive',
  'contact',
  'address',
  'invoiceContact',
] as const;

/** A PUT replaces the organization: its current detail with the input's changes on top. */
export function organizationUpdateBody(current: J, input: CustomerWrite): J {
  const body: J = {};
  for (const key of UPDATABLE) if (current && typeof current === 'object' && key in current) body[key] = current[key];
  return applyWrite(body, input, str(current?.name) ?? '');
}

// ---- billing report writes and lines ---------------------------------------------------------

/** `MonthlyBillingPerOrganizationCreateAsyncViewModel` for one calendar month [I: a date range]. */
export function billingPeriod(year: number, month: number): { startDate: string; endDate: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { startDate: `${year}-${pad(month)}-01`, endDate: `${year}-${pad(month)}-${pad(last)}` };
}

/** The task id of a started report: the body's `taskId` [I], else the last segment of `Location` [C for the Azure report]. */
export function taskIdOf(body: J, location: string | string[] | undefined): string | null {
  if (body && typeof body === 'object' && typeof body.taskId === 'string' && body.taskId) return idKey(body.taskId);
  return guidOfLocation(location);
}

/** The id a `Location` header ends with (201 and 202 answers [C]), or null when it ends with no GUID. */
export function guidOfLocation(location: string | string[] | undefined): string | null {
  const url = Array.isArray(location) ? location[0] : location;
  const last = url ? decodeURIComponent(url.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '') : '';
  return GUID.test(last) ? idKey(last) : null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(Number(v)) ? Number(v) : null);
const arr = (v: unknown): J[] => (Array.isArray(v) ? v : []);

/** The row a billing line's lazy fields read: the period its line names (before str()). */
const BILLING_LINE_LAZY = lazyFields<{ periodStart: unknown; periodEnd: unknown }, Pick<BillingLineModel, 'periodStart' | 'periodEnd'>>({
  periodStart: (p) => isoDate(str(p.periodStart)),
  periodEnd: (p) => isoDate(str(p.periodEnd)),
});

/**
 * The billing lines of a completed report: one per billing line of the `Mbpo*` tree
 * Organization → Service → Product → billing lines (a product without lines gives one line
 * of its own totals); null while the task has not completed.
 */
export function toBillingLines(report: ReportModel): BillingLineModel[] | null {
  if (report.status !== 'COMPLETED') return null;
  const raw = report.raw as J;
  const out: BillingLineModel[] = [];
  for (const org of arr(raw?.organizations)) {
    const base = {
      vendor: VENDOR,
      customerVendorId: org?.organizationId ?? org?.id ? idKey(org.organizationId ?? org.id) : null,
      customerName: str(org?.organizationName ?? org?.name),
    };
    for (const service of arr(org?.services)) {
      for (const product of arr(service?.products)) {
        const currency = (line: J) => line?.currencyCode ?? product?.currencyCode ?? service?.currencyCode ?? org?.currencyCode;
        const line = (l: J, total: unknown, periodStart: unknown, periodEnd: unknown): BillingLineModel =>
          withLazy(BILLING_LINE_LAZY, { periodStart, periodEnd }, {
            ...base,
            serviceName: str(service?.serviceName ?? service?.name),
            productName: str(product?.productName ?? product?.name),
            sku: str(product?.itemCode),
            quantity: num(l?.quantity),
            unitPrice: amount(l?.unitPrice, currency(l)),
            total: amount(total, currency(l)),
          });
        const lines = arr(product?.billingLines);
        if (lines.length === 0) out.push(line(product, product?.totalAmount, raw?.startDate, raw?.endDate));
        for (const l of lines) out.push(line(l, l?.amount ?? l?.totalAmount, l?.periodStart ?? l?.billingDate, l?.periodEnd));
      }
    }
  }
  return out;
}
