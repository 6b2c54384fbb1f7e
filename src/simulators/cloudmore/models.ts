/**
 * Cloudmore wire shapes, in ONE place.
 *
 * IMPORTANT: these shapes are PLAUSIBLE, NOT CONFIRMED. Cloudmore's Swagger (API v1.07.0)
 * names the models (OrganizationViewModel, OrganizationDetailViewModel,
 * OrganizationServiceSubscriptionViewModel, MbpoOrganizationViewModel, ...) but their field
 * names are not published in any source we have [U]. The few fields that ARE confirmed:
 *   - organization create body: name, registrationNumber, vat, contact{name,email,phone,
 *     cellPhone}, customerNumber, notificationEmail (developer.cloudmore.com) [C];
 *   - broker-create sibling: domain, supportEmail, contact{jobTitle,phonePrefix,
 *     cellPhonePrefix}, address{address,postalCode,city,countryCode}, invoiceContact,
 *     allowCmpAccess [C];
 *   - product: id, name, description, itemCode [C];
 *   - service: id, name, vendorName [C];
 *   - 400 body: [{errorCode:int, errorName, errorMessage}] (e.g. 5 / "InvalidValue") or an
 *     ASP.NET model-state dictionary {"Contact.Phone": ["..."]} [C].
 * Everything else below is a guess in camelCase (ASP.NET's default JSON casing). A client
 * must map these shapes in one place too, so a correction touches one file on each side.
 */
import type { Currency } from '../shared/world.js';

// ---- errors ----------------------------------------------------------------------------

/** `ApiError`: an element of the 400 array body. Only 5/InvalidValue is confirmed [C]. */
export interface ApiError {
  errorCode: number;
  errorName: string;
  errorMessage: string;
}

/** ASP.NET model-state dictionary: `{"Contact.Email": ["The Email field is ..."]}`. */
export type ModelState = Record<string, string[]>;

/** errorName → errorCode. 5 = InvalidValue is confirmed; the other numbers are invented [U]. */
export const API_ERROR_CODES: Record<string, number> = {
  GeneralError: 1,
  NotFound: 2,
  Unauthorized: 3,
  Forbidden: 4,
  InvalidValue: 5,
  InvalidRequest: 6,
  UnsupportedMediaType: 7,
  ServiceAlreadyAdded: 8,
  ServiceNotAvailable: 9,
  ServiceHasActiveSubscriptions: 10,
  SubscriptionCancelled: 11,
  PayloadTooLarge: 12,
  TooManyRequests: 13,
  ServiceUnavailable: 14,
  ServiceError: 15,
};

/** IdentityServer-style token error [I]. */
export interface TokenError {
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';
  error_description?: string;
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
}

/** `GET /api/healthcheck`: maybe the `StatusViewModel` [I]; fields [U]. */
export interface HealthStatusView {
  status: 'Healthy';
  version: string;
  timestamp: string;
}

// ---- organizations ---------------------------------------------------------------------

export interface OrganizationContactView {
  name: string;
  jobTitle: string | null;
  email: string;
  phonePrefix: string | null;
  phone: string | null;
  cellPhonePrefix: string | null;
  cellPhone: string | null;
}

export interface OrganizationAddressView {
  address: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string | null;
}

export interface OrganizationInvoiceContactView {
  name: string | null;
  email: string | null;
  phonePrefix: string | null;
  phone: string | null;
}

/** `OrganizationViewModel` (list item). */
export interface OrganizationView {
  id: string;
  name: string;
  customerNumber: string | null;
  registrationNumber: string | null;
  vat: string | null;
  domain: string | null;
  isActive: boolean;
  currencyCode: Currency;
  countryCode: string | null;
  createdDate: string;
}

/** `OrganizationDetailViewModel` (GET by id, create and update responses). */
export interface OrganizationDetailView extends OrganizationView {
  notificationEmail: string | null;
  supportEmail: string | null;
  languageCode: string | null;
  allowCmpAccess: boolean;
  contact: OrganizationContactView | null;
  address: OrganizationAddressView | null;
  invoiceContact: OrganizationInvoiceContactView | null;
  modifiedDate: string;
}

// ---- services, Estore, products, price lists --------------------------------------------

/** `ResellerServiceViewModel`. `type` separates Microsoft CSP/Azure from custom services [I]. */
export interface ResellerServiceView {
  id: string;
  name: string;
  vendorName: string;
  category: string;
  type: 'MicrosoftCsp' | 'MicrosoftAzure' | 'Custom';
  description: string;
  isActive: boolean;
}

/** `ProductViewModel`-ish: id, name, description, itemCode are confirmed [C]; the rest [U]. */
export interface ProductView {
  id: string;
  name: string;
  description: string;
  itemCode: string;
  unit: string;
  billingFrequency: 'Monthly';
  commitment: 'Monthly' | 'Annual';
  usageBased: boolean;
  isAddon: boolean;
  parentProductId: string | null;
}

/** `ResellerServiceDetailViewModel`. */
export interface ResellerServiceDetailView extends ResellerServiceView {
  products: ProductView[];
}

/** `EstoreViewModel` / `EstoreDetailViewModel`. */
export interface EstoreView {
  id: string;
  name: string;
  vendorName: string;
  category: string;
  description: string;
}
export interface EstoreDetailView extends EstoreView {
  products: ProductView[];
}

/** `OrganizationServiceViewModel` / `OrganizationServiceDetailViewModel`. */
export interface OrganizationServiceView {
  id: string;
  serviceId: string;
  organizationId: string;
  name: string;
  vendorName: string;
  category: string;
  status: 'Active';
  addedDate: string;
}
export interface OrganizationServiceDetailView extends OrganizationServiceView {
  subscriptionCount: number;
  activeSubscriptionCount: number;
}

/** `Price`: one currency's numbers. `cost` is what the reseller pays [U]. */
export interface PriceView {
  currencyCode: Currency;
  price: number;
  cost: number;
}

/** `OrganizationPriceListViewModel` / `ResellerPriceListViewModel` item. */
export interface PriceListItemView {
  productId: string;
  serviceId: string;
  name: string;
  itemCode: string;
  description: string;
  unit: string;
  commitment: 'Monthly' | 'Annual';
  usageBased: boolean;
  isAddon: boolean;
  parentProductId: string | null;
  prices: PriceView[];
}

// ---- subscriptions ---------------------------------------------------------------------

export type SubscriptionStatus = 'Active' | 'Suspended' | 'Cancelled' | 'Pending';

/**
 * The kinds of service a subscription can belong to. Each has its own endpoints in the
 * index [C paths]: Microsoft CSP new commerce (`…/services/csp/nce/subscriptions`), legacy
 * CSP (`…/services/csp/subscriptions`), legacy Azure (`…/services/azure/subscriptions`),
 * Azure plan (`…/services/azureplan/subscriptions`, organization level only) and custom
 * services (`…/services/{serviceId}/subscriptions`).
 */
export type SubscriptionKind = 'nce' | 'csp' | 'azure' | 'azureplan' | 'custom';

/**
 * One subscription row, the same plausible shape on every subscription endpoint
 * (`OrganizationServiceSubscriptionViewModel`, `OrganizationCspNceSubscriptionViewModel`,
 * `CspNceSubscriptionViewModel`, `OrganizationAzureSubscriptionViewModel`, … [C names];
 * every field name [U]).
 *
 * The three fields that say whom a row belongs to (`organizationId`, `organizationName`,
 * `serviceId`) are named by no source, and a client that groups by a guessed field
 * silently gives every customer zero subscriptions when the guess is wrong; so only the
 * `extended` profile sends them. The `documented` profile leaves them out: an
 * organization-level row belongs to the organization in its path, a reseller-level row
 * says nothing (see README.md, "Subscriptions").
 */
export interface SubscriptionView {
  id: string;
  organizationId?: string;
  organizationName?: string;
  serviceId?: string;
  productId: string;
  productName: string;
  itemCode: string;
  name: string;
  quantity: number;
  status: SubscriptionStatus;
  unitPrice: number;
  currencyCode: Currency;
  autoRenew: boolean;
  startDate: string;
  renewalDate: string | null;
  cancelledDate: string | null;
  createdDate: string;
  modifiedDate: string;
}

/** An Azure subscription (entitlement) under an organization's Azure plan [U fields]. */
export interface AzurePlanEntitlementView {
  id: string;
  friendlyName: string;
  status: SubscriptionStatus;
}

/** `GET …/services/azureplan/subscriptions`: "Azure plan subscription and its entitlements" [C summary]. */
export interface AzurePlanSubscriptionView extends SubscriptionView {
  entitlements: AzurePlanEntitlementView[];
}

// ---- monthly billing per organization (async) ------------------------------------------

/** `MonthlyBillingPerOrganizationCreateAsyncViewModel` (POST body) [I: a date range]. */
export interface MonthlyBillingCreateBody {
  startDate: string;
  endDate: string;
}

/** One billing line (UI hierarchy: Billing Date → Organization → Service → Subscription → Billing Line [C]). */
export interface MbpoServiceItemView {
  subscriptionId: string;
  subscriptionName: string;
  billingDate: string;
  periodStart: string;
  periodEnd: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  cost: number;
  currencyCode: Currency;
}

export interface MbpoProductView {
  productId: string;
  productName: string;
  itemCode: string;
  unit: string;
  quantity: number;
  /** null when lines differ in price (usage-based products). */
  unitPrice: number | null;
  totalAmount: number;
  totalCost: number;
  currencyCode: Currency;
  billingLines: MbpoServiceItemView[];
}

export interface MbpoServiceView {
  serviceId: string;
  serviceName: string;
  vendorName: string;
  totalAmount: number;
  currencyCode: Currency;
  products: MbpoProductView[];
}

export interface MbpoOrganizationView {
  organizationId: string;
  organizationName: string;
  customerNumber: string | null;
  currencyCode: Currency;
  totalAmount: number;
  services: MbpoServiceView[];
}

/** Task states of the async report [U]: Pending → InProgress → Completed. */
export type ReportTaskStatus = 'Pending' | 'InProgress' | 'Completed';

/** `MonthlyBillingPerOrganizationAsyncViewModel`. `organizations` is null until Completed. */
export interface MonthlyBillingAsyncView {
  taskId: string;
  status: ReportTaskStatus;
  startDate: string;
  endDate: string;
  requestedDate: string;
  completedDate: string | null;
  totals: Array<{ currencyCode: Currency; amount: number }> | null;
  organizations: MbpoOrganizationView[] | null;
}

/** Body of the 202 answer to the POST (the task id is also in `Location`). */
export interface MonthlyBillingTaskAccepted {
  taskId: string;
  status: ReportTaskStatus;
}
