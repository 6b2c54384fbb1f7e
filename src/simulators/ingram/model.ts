/**
 * Shapes, constants and small helpers of the Ingram Micro Cloud Marketplace simulator
 * (SimpleAPI 1.15). Records are kept close to the API shapes; `render*` functions in the
 * route modules turn them into response bodies.
 */
import type { Currency } from '../shared/world.js';

// ---- credentials and auth -----------------------------------------------------------

export const CREDENTIALS = {
  username: 'DEMO-MSP.API',
  password: 'ingram-demo-password',
  subscriptionKey: '0f4e3a2b9c8d4e5f8a7b6c5d4e3f2a1b',
  marketplace: 'us',
  region: 'na',
} as const;

/** Token lifetime the real platform reports ("for the moment of writing" 1500 s). [C] */
export const TOKEN_TTL_SECONDS = 1500;

/**
 * Marketplace codes accepted by POST /token. The codes seen in public sources are us, ca,
 * eu, uk, br, se, de, stg [C]; the rest follow the same "control panel sub-domain" rule [I].
 */
export const MARKETPLACES: readonly string[] = [
  'us', 'ca', 'mx', 'br', 'co', 'cl', 'pe', 'ar', 'uk', 'eu', 'de', 'fr', 'nl', 'be', 'es', 'it', 'pt', 'at', 'ch',
  'se', 'dk', 'no', 'fi', 'pl', 'tr', 'au', 'nz', 'in', 'sg', 'my', 'id', 'th', 'stg',
];

// ---- paging -------------------------------------------------------------------------

export const DEFAULT_LIMIT = 10;
/** No documented maximum [U]; the `extended` profile answers 400 above this. */
export const MAX_LIMIT = 1000;
/**
 * The `documented` profile's gateway cap: a list page holds at most this many rows whatever
 * `limit` asks for (no error; `pagination.limit` reports the cap). No maximum is documented,
 * so a client may rely on none: it must advance by the rows it received. See README.md.
 */
export const DOCUMENTED_PAGE_CAP = 100;

// ---- async timings (simulated clock, control.now()) ----------------------------------

/** A created order stays `submitted` this long, then turns `processing`. */
export const ORDER_SUBMITTED_MS = 10_000;
/** ...and is `completed` (or `error`) this long after creation. */
export const ORDER_COMPLETED_MS = 60_000;
/** A scheduled report stays `submitted` this long, then turns `processing`. */
export const REPORT_SUBMITTED_MS = 5_000;
/** ...and is `completed` with a `downloadUrl` this long after creation. */
export const REPORT_COMPLETED_MS = 30_000;
/** An order whose poNumber contains this marker ends in `error` instead of `completed`. */
export const ORDER_ERROR_MARKER = 'SIM-ERROR';

// ---- enums --------------------------------------------------------------------------

export const ACCOUNT_STATUSES = ['pending', 'active', 'creditHold', 'adminHold', 'cancelled', 'error'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export const CONTACT_TYPES = ['admin', 'billing', 'technical'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];
export const ORDER_TYPES = ['sales', 'change', 'renewal', 'cancellation', 'migration', 'unknown'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const ORDER_STATUSES = ['submitted', 'processing', 'error', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Internal order status codes (`statusCode`); only `CP` (completed) and `CL` are documented. [I] */
export const ORDER_STATUS_CODES: Record<OrderStatus, string> = {
  submitted: 'OP',
  processing: 'PR',
  error: 'PF',
  completed: 'CP',
  cancelled: 'CL',
};
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'hold', 'terminated', 'removed', 'unknown'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const REPORT_STATUSES = ['submitted', 'processing', 'error', 'completed', 'unknown'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_TYPES = ['periodic', 'daily', 'monthly', 'onetime', 'on_invoice', 'unknown'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
export const REPORT_FORMATS = ['csv', 'xml', 'xlsx', 'json', 'unknown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type BillingModel =
  | 'chargeBeforeBillingPeriod'
  | 'chargeAfterBillingPeriod'
  | 'chargeBeforeSubscriptionPeriod'
  | 'chargeExternalRating';

// ---- records ------------------------------------------------------------------------

export interface Period {
  type: 'day' | 'month' | 'year';
  duration: number;
}

export interface Address {
  streetAddress: string;
  addressExtension?: string;
  postalCode: string;
  city: string;
  state?: string;
  countryCode: string;
}

export interface ContactPerson {
  type: ContactType;
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
}

export interface AccountRecord {
  id: string;
  externalId?: string;
  attributes: Record<string, string>;
  status: AccountStatus;
  name: string;
  address: Address;
  contactPersons: ContactPerson[];
  language: string;
  taxRegId?: string;
}

export interface CustomerRecord extends AccountRecord {
  resellerId: string;
  /** The currency the customer is billed in (not part of the API's Customer). */
  currency: Currency;
}

export interface ResellerRecord extends AccountRecord {
  currency: string;
  taxationProviderName: string;
  customerClass: string;
}

export interface ProductRecord {
  id: string;
  mpn: string;
  vendor: string;
  serviceName: string;
  name: string;
  /** Base product name (the service plan name), without the term suffix. */
  baseName: string;
  planId: number;
  catalogIndex: number;
  usageBased: boolean;
  minimumQuantity: number;
  maximumQuantity: number;
  /** Price and cost per billing period, in 1/10000 currency units. */
  price: Record<Currency, number>;
  cost: Record<Currency, number>;
  billingPeriod: Period;
  subscriptionPeriod: Period;
  billingModel: BillingModel;
  dependsOn: Array<{ mpn: string; id: string }>;
}

export interface ServicePlanRecord {
  id: string;
  name: string;
  shortDescription: string;
  longDescription: string;
  published: boolean;
  catalogIndex: number;
  family: string;
  subscriptionPeriods: Period[];
  billingPeriod: Period;
  billingModel: BillingModel;
}

export interface ParameterValueRecord {
  name: string;
  value?: unknown;
  structured_value?: unknown;
}

export interface SubscriptionLine {
  product: ProductRecord;
  quantity: number;
  unitPrice: number;
  unitCost: number;
  unitProviderCost: number;
  vendorSubscriptionId: string;
}

export interface SubscriptionRecord {
  id: string;
  customerId: string;
  name: string;
  status: SubscriptionStatus;
  attributes: Record<string, string>;
  renewalStatus: boolean;
  createdAt: number;
  renewalDate: number;
  lastModified: number;
  expirationDate: number;
  billingModel: BillingModel;
  billingPeriod: Period;
  subscriptionPeriod: Period;
  planId: number;
  currency: Currency;
  lines: SubscriptionLine[];
  orderParameters: ParameterValueRecord[];
  fulfillmentParameters: ParameterValueRecord[];
}

export interface OrderLine {
  product: ProductRecord;
  quantity: number;
  /** Price per billing period per unit, in 1/10000 units. */
  unitPrice: number;
  /** Units that are charged by this order (the increase for change orders). */
  chargedQuantity: number;
  subscriptionId?: string;
  parameters: ParameterValueRecord[];
}

export interface OrderRecord {
  id: string;
  orderNumber: string;
  type: OrderType;
  customerId: string;
  poNumber?: string;
  createdAt: number;
  /** The status of a settled order; live orders derive theirs from the clock. */
  status: OrderStatus;
  /** True while the order moves through submitted → processing → completed on the clock. */
  live: boolean;
  /** When the current processing run started (creation, or a resubmit). */
  startedAt: number;
  provisionedAt?: number;
  creditCheck: boolean;
  attributes: Record<string, string>;
  subscriptionId?: string;
  currency: Currency;
  lines: OrderLine[];
}

export interface ReportRecord {
  id: string;
  name: string;
  customizationName?: string;
  type: ReportType;
  format: ReportFormat;
  createdAt: number;
  startDate: number;
  endDate?: number;
  /** Seeded reports keep this status; scheduled ones derive theirs from the clock. */
  fixedStatus?: ReportStatus;
}

// ---- money --------------------------------------------------------------------------

/** Money is held in 1/10000 units; amounts are decimal strings in the API. */
export const UNIT = 10_000;

export function toUnits(amount: string): number {
  const [whole = '0', frac = ''] = amount.replace(/^-/, '').split('.');
  const value = Number(whole) * UNIT + Number((frac + '0000').slice(0, 4));
  return amount.startsWith('-') ? -value : value;
}

export function formatUnits(units: number): string {
  const negative = units < 0;
  const abs = Math.abs(Math.round(units));
  const whole = Math.floor(abs / UNIT);
  const frac = String(abs % UNIT).padStart(4, '0');
  const shown = frac.endsWith('00') ? frac.slice(0, 2) : frac;
  return `${negative ? '-' : ''}${whole}.${shown}`;
}

export function money(units: number, currency: string): { currency: string; amount: string } {
  return { currency, amount: formatUnits(units) };
}

export const MONEY_PATTERN = /^-?\d{1,12}(\.\d{1,4})?$/;

// ---- dates --------------------------------------------------------------------------

export const DAY_MS = 86_400_000;

export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Months in a period (days count as 1/30 month), for totals over a subscription period. */
export function periodMonths(period: Period): number {
  return period.type === 'year' ? 12 * period.duration : period.type === 'month' ? period.duration : period.duration / 30;
}

export function addPeriod(ms: number, period: Period): number {
  const d = new Date(ms);
  if (period.type === 'day') return ms + period.duration * DAY_MS;
  const months = period.type === 'year' ? 12 * period.duration : period.duration;
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/** Currency a new customer is billed in, from its country. [I] */
export function currencyForCountry(countryCode: string): Currency {
  const cc = countryCode.toUpperCase();
  if (cc === 'AU' || cc === 'NZ') return 'AUD';
  const euro = ['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK'];
  return euro.includes(cc) ? 'EUR' : 'USD';
}
