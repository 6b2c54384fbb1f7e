/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * An ISO-8601 date-time with offset (e.g. 2026-11-01T09:30:00.000Z). Vendor offsets are
   * normalised to UTC.
   */
  DateTime: { input: string; output: string; }
  /** A decimal number serialised as a string (e.g. "12.50"), so money is never a float. */
  Decimal: { input: string; output: string; }
  /** Arbitrary JSON: the vendor's own payload (`raw` fields), with secrets removed. */
  JSON: { input: unknown; output: unknown; }
};

export type AddCustomerServiceInput = {
  /** Global id of the organization. */
  customerId: Scalars['ID']['input'];
  /** Values of the service's custom properties, by property id or name. */
  properties?: InputMaybe<Scalars['JSON']['input']>;
  /** The service's vendor id (from `estore` or `vendorServices`). */
  serviceId: Scalars['String']['input'];
};

export type AddressInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  /** ISO 3166-1 alpha-2. */
  countryCode?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  street?: InputMaybe<Scalars['String']['input']>;
  street2?: InputMaybe<Scalars['String']['input']>;
};

/** A quantity the host bills an organisation for one product. */
export type BilledQuantityInput = {
  quantity: Scalars['Int']['input'];
  /** The host's SKU or MPN (looked up in the SKU alias table). */
  sku: Scalars['String']['input'];
};

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type CircuitState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

/** Cloudmore organization details. */
export type CloudmoreOrganizationInput = {
  notificationEmail?: InputMaybe<Scalars['String']['input']>;
  registrationNumber?: InputMaybe<Scalars['String']['input']>;
  vat?: InputMaybe<Scalars['String']['input']>;
};

export type ContactInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCustomerInput = {
  address?: InputMaybe<AddressInput>;
  cloudmore?: InputMaybe<CloudmoreOrganizationInput>;
  /** The main contact. */
  contact?: InputMaybe<ContactInput>;
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** The same key with the same input within 24 h returns the first result and creates nothing more. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  ingram?: InputMaybe<IngramAccountInput>;
  leaderCloud?: InputMaybe<LeaderCloudAccountInput>;
  name: Scalars['String']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Ingram Micro: create the customer under this reseller (global Reseller id). */
  resellerId?: InputMaybe<Scalars['ID']['input']>;
  vendor: Vendor;
};

export type CreateOrderInput = {
  /** Leader Cloud: check the draft out at once (create, add the items, checkout). */
  checkout?: InputMaybe<Scalars['Boolean']['input']>;
  /** Global id of the customer the order is for; it decides the vendor. */
  customerId: Scalars['ID']['input'];
  /** The same key with the same input within 24 h returns the first result and orders nothing more. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  items?: InputMaybe<Array<OrderItemInput>>;
  /** Ingram Micro purchase-order number. */
  poNumber?: InputMaybe<Scalars['String']['input']>;
  /** Ingram Micro order type (SALES by default). */
  type?: InputMaybe<OrderType>;
};

export type CreateResellerInput = {
  address?: InputMaybe<AddressInput>;
  contact?: InputMaybe<ContactInput>;
  currency?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  ingram?: InputMaybe<IngramAccountInput>;
  name: Scalars['String']['input'];
  vendor: Vendor;
};

/** A custom field value (Leader Cloud custom field ids are integers). */
export type CustomFieldValueInput = {
  id: Scalars['ID']['input'];
  /** The new value; null clears it. */
  value?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerFilter = {
  /** Billing address changed at or after this time (Leader Cloud). */
  billingAddressUpdatedSince?: InputMaybe<Scalars['DateTime']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive substring of the name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Customers of this reseller (global Reseller id; Ingram Micro). */
  resellerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<CustomerStatus>;
  /** Changed at or after this time (Leader Cloud `updatedAt gt`). */
  updatedSince?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Order of a customer list, applied by each vendor (Leader Cloud `$orderBy`) or in the graph. */
export type CustomerSort = {
  direction?: InputMaybe<SortDirection>;
  field: CustomerSortField;
};

export type CustomerSortField =
  | 'CREATED_AT'
  | 'NAME'
  | 'UPDATED_AT';

export type CustomerStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'PENDING'
  | 'SUSPENDED'
  | 'UNKNOWN';

/**
 * A span of time: `from` inclusive, `to` exclusive (either may be left out). `from` must be
 * before `to`.
 */
export type DateRange = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type EntityType =
  | 'CUSTOMER'
  | 'INVOICE'
  | 'ORDER'
  | 'PRODUCT'
  | 'REPORT'
  | 'RESELLER'
  | 'SERVICE_PLAN'
  | 'SUBSCRIPTION';

export type HttpMethod =
  | 'DELETE'
  | 'GET'
  | 'PATCH'
  | 'POST'
  | 'PUT';

/** Ingram Micro account details. */
export type IngramAccountInput = {
  /** Free-form attributes, as the marketplace names them. */
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  /** Language code (required by Ingram Micro), e.g. en. */
  language?: InputMaybe<Scalars['String']['input']>;
  taxRegId?: InputMaybe<Scalars['String']['input']>;
};

export type InvoiceFilter = {
  /** Global id of a customer. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Invoices whose invoice date is in this range (Leader Cloud filters it at the vendor). */
  invoiceDate?: InputMaybe<DateRange>;
  status?: InputMaybe<InvoiceStatus>;
};

export type InvoiceStatus =
  | 'CANCELLED'
  | 'PAID'
  | 'UNKNOWN'
  | 'UNPAID';

export type JsonPatchOp =
  | 'ADD'
  | 'COPY'
  | 'MOVE'
  | 'REMOVE'
  | 'REPLACE'
  | 'TEST';

/** An RFC 6902 JSON Patch operation. */
export type JsonPatchOperation = {
  /** The source pointer for move and copy. */
  from?: InputMaybe<Scalars['String']['input']>;
  op: JsonPatchOp;
  /** A JSON Pointer, e.g. /name or /billingAddress/city. */
  path: Scalars['String']['input'];
  /** The value for add, replace and test. */
  value?: InputMaybe<Scalars['JSON']['input']>;
};

/** Leader Cloud account settings (AccountCreate). Defaults are the storefront's. */
export type LeaderCloudAccountInput = {
  autoInvoiceNotification?: InputMaybe<Scalars['Boolean']['input']>;
  billingFrequencyEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  billingFrequencyMarkup?: InputMaybe<Scalars['Decimal']['input']>;
  /** The billing address country and state, as Leader Cloud ids (GET api/organization/countries). */
  countryId?: InputMaybe<Scalars['Int']['input']>;
  creditLimit?: InputMaybe<Scalars['Decimal']['input']>;
  customFields?: InputMaybe<Array<CustomFieldValueInput>>;
  isAffiliate?: InputMaybe<Scalars['Boolean']['input']>;
  /** INVOICE or RECEIPT. */
  noteType?: InputMaybe<Scalars['String']['input']>;
  orderingEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  resellingEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  separateInvoices?: InputMaybe<Scalars['Boolean']['input']>;
  stateId?: InputMaybe<Scalars['Int']['input']>;
  taxable?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Why two records look like the same company. */
export type MatchReason =
  /** The same e-mail domain (registrable domain; free-mail domains never match). */
  | 'EMAIL_DOMAIN'
  /** The same external id (normalised). */
  | 'EXTERNAL_ID'
  /** Both are mapped to the same host organisation. */
  | 'MAPPING'
  /** The same name once case, accents, punctuation and legal suffixes (Pty Ltd, GmbH, Inc...) are removed. */
  | 'NAME'
  /** A similar name (token overlap), weaker than NAME. */
  | 'SIMILAR_NAME';

export type OrderFilter = {
  createdFrom?: InputMaybe<Scalars['DateTime']['input']>;
  createdTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Global id of a customer. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** The order number people see. */
  number?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<OrderStatus>;
  /** Orders of this subscription (global id; Ingram Micro). */
  subscriptionId?: InputMaybe<Scalars['ID']['input']>;
  /** The vendor's status code (Ingram Micro statusCode). */
  vendorStatusCode?: InputMaybe<Scalars['String']['input']>;
};

export type OrderItemInput = {
  /** Leader Cloud: the billing frequency option (Product.billingFrequencies). */
  billingFrequencyOptionId?: InputMaybe<Scalars['String']['input']>;
  /** Leader Cloud: custom end date of the line. */
  customEndDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** Ingram Micro: product activation parameters. */
  parameters?: InputMaybe<Array<ParameterValueInput>>;
  /** Global id of the product. */
  productId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  /** The subscription this line changes (global id): Leader Cloud related subscription, Ingram Micro change order. */
  subscriptionId?: InputMaybe<Scalars['ID']['input']>;
  /** Leader Cloud: the unit (Product.prices unit id). */
  unitId?: InputMaybe<Scalars['String']['input']>;
};

export type OrderStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'DRAFT'
  | 'FAILED'
  | 'PROCESSING'
  | 'SUBMITTED'
  | 'UNKNOWN';

export type OrderType =
  | 'CANCELLATION'
  | 'CHANGE'
  | 'RENEWAL'
  | 'SALES';

/** The billed quantities of one organisation. */
export type OrganizationBilledInput = {
  billed: Array<BilledQuantityInput>;
  organizationId: Scalars['ID']['input'];
};

/** A host organisation that may own a vendor customer, as given in `candidates`. */
export type OrganizationCandidateInput = {
  /** Its e-mail or web domain, e.g. acme.com.au. */
  domain?: InputMaybe<Scalars['String']['input']>;
  /** Its id as the vendors may know it (the vendor customer's externalId). */
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** The organisation's key in the host graph. */
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};

export type ParameterValueInput = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type ProductFilter = {
  /** Case-insensitive substring of the name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** The publisher or vendor (Ingram Micro `vendor`). */
  publisher?: InputMaybe<Scalars['String']['input']>;
  /** Ingram Micro: the service name. */
  serviceName?: InputMaybe<Scalars['String']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
};

export type QuantityRequestStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'UNKNOWN';

/** Which way a product's vendor seats and billed quantity differ. */
export type ReconciliationDirection =
  | 'MATCHED'
  /** The host bills more than the vendors have. */
  | 'OVER_BILLED'
  /** More seats at the vendors than the host bills: licences paid for and not billed on. */
  | 'UNDER_BILLED';

export type ReportFilter = {
  format?: InputMaybe<ReportFormat>;
  /** Created at or after. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<ReportStatus>;
  /** Created at or before. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
  /** The vendor's report type (Ingram Micro: periodic, daily, monthly, onetime, on_invoice). */
  type?: InputMaybe<Scalars['String']['input']>;
};

export type ReportFormat =
  | 'CSV'
  | 'JSON'
  | 'XLSX'
  | 'XML';

export type ReportStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'PROCESSING'
  | 'UNKNOWN';

export type ResellerCustomerFilter = {
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type ResellerFilter = {
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive substring of the name (pushed down where the vendor can). */
  name?: InputMaybe<Scalars['String']['input']>;
};

export type ScheduleReportInput = {
  /** Ingram Micro report customization. */
  customizationName?: InputMaybe<Scalars['String']['input']>;
  endDate?: InputMaybe<Scalars['DateTime']['input']>;
  format?: InputMaybe<ReportFormat>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  startDate: Scalars['DateTime']['input'];
  vendor: Vendor;
};

/** Sort direction of a list. */
export type SortDirection =
  | 'ASC'
  | 'DESC';

export type StartBillingReportInput = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 12. */
  month: Scalars['Int']['input'];
  vendor: Vendor;
  year: Scalars['Int']['input'];
};

export type SubscriptionFilter = {
  createdFrom?: InputMaybe<Scalars['DateTime']['input']>;
  createdTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Global id of a customer. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<SubscriptionStatus>;
};

export type SubscriptionProductPriceInput = {
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Global id of the product (its MPN at Ingram Micro). */
  productId: Scalars['ID']['input'];
  unitCost?: InputMaybe<Scalars['Decimal']['input']>;
  unitPrice?: InputMaybe<Scalars['Decimal']['input']>;
};

export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'PENDING'
  | 'PENDING_CANCELLATION'
  | 'SUSPENDED'
  | 'UNKNOWN';

export type UpdateCustomerInput = {
  address?: InputMaybe<AddressInput>;
  cloudmore?: InputMaybe<CloudmoreOrganizationInput>;
  contact?: InputMaybe<ContactInput>;
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  ingram?: InputMaybe<IngramAccountInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Leader Cloud: RFC 6902 operations on the account, applied after the fields above. */
  patch?: InputMaybe<Array<JsonPatchOperation>>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateOrderInput = {
  /** Ingram Micro: run the credit check. */
  creditCheck?: InputMaybe<Scalars['Boolean']['input']>;
  /** Ingram Micro: the order's status code. */
  statusCode?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateResellerInput = {
  address?: InputMaybe<AddressInput>;
  contact?: InputMaybe<ContactInput>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  ingram?: InputMaybe<IngramAccountInput>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateSubscriptionInput = {
  /** Ingram Micro: free-form subscription attributes (the 'description details'). */
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  autoRenew?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ValidateActivationParametersInput = {
  /** Global id of the customer. */
  customerId: Scalars['ID']['input'];
  items: Array<OrderItemInput>;
  type?: InputMaybe<OrderType>;
};

/** The distributors channelgraph speaks to. */
export type Vendor =
  | 'CLOUDMORE'
  | 'INGRAM'
  | 'LEADERCLOUD';

export type VendorRequestInput = {
  /** The JSON body. */
  body?: InputMaybe<Scalars['JSON']['input']>;
  method: HttpMethod;
  /** Relative to the vendor's API root, e.g. api/accounts/12 (Leader Cloud) or customers/1000001 (Ingram Micro). */
  path: Scalars['String']['input'];
  /** Query parameters: a JSON object of names to strings, numbers, booleans or arrays of them. */
  query?: InputMaybe<Scalars['JSON']['input']>;
  vendor: Vendor;
};

export type Customer360QueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type Customer360Query = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, vendor: Vendor, vendorId: string, name: string, status: CustomerStatus, email?: string | null, phone?: string | null, externalId?: string | null, reseller?: { __typename?: 'Reseller', name: string } | null, address?: { __typename?: 'Address', city?: string | null, country?: string | null } | null, subscriptions?: { __typename?: 'SubscriptionConnection', totalCount?: number | null, nodes: Array<{ __typename?: 'ServiceSubscription', id: string, name?: string | null, status: SubscriptionStatus, quantity?: number | null, renewalDate?: string | null, autoRenew?: boolean | null, price?: { __typename?: 'Money', amount: string, currency: string } | null, product?: { __typename?: 'Product', name: string, sku?: string | null } | null }> } | null, orders?: { __typename?: 'OrderConnection', nodes: Array<{ __typename?: 'Order', id: string, number?: string | null, status: OrderStatus, createdAt?: string | null, total?: { __typename?: 'Money', amount: string, currency: string } | null }> } | null, invoices?: { __typename?: 'InvoiceConnection', nodes: Array<{ __typename?: 'Invoice', id: string, number?: string | null, status: InvoiceStatus, invoiceDate?: string | null, dueDate?: string | null, total?: { __typename?: 'Money', amount: string, currency: string } | null }> } | null } | null };

export type LicenseOverviewQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type LicenseOverviewQuery = { __typename?: 'Query', customers?: { __typename?: 'CustomerConnection', totalCount?: number | null, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Customer', id: string, vendor: Vendor, name: string, externalId?: string | null, subscriptions?: { __typename?: 'SubscriptionConnection', nodes: Array<{ __typename?: 'ServiceSubscription', id: string, name?: string | null, quantity?: number | null, price?: { __typename?: 'Money', amount: string, currency: string } | null, product?: { __typename?: 'Product', name: string, sku?: string | null } | null }> } | null }> } | null };

export type OpenOrdersQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type OpenOrdersQuery = { __typename?: 'Query', submitted?: { __typename?: 'OrderConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Order', id: string, vendor: Vendor, number?: string | null, status: OrderStatus, vendorStatus?: string | null, createdAt?: string | null, total?: { __typename?: 'Money', amount: string, currency: string } | null, customer?: { __typename?: 'Customer', id: string, name: string } | null }> } | null, processing?: { __typename?: 'OrderConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Order', id: string, vendor: Vendor, number?: string | null, status: OrderStatus, vendorStatus?: string | null, createdAt?: string | null, total?: { __typename?: 'Money', amount: string, currency: string } | null, customer?: { __typename?: 'Customer', id: string, name: string } | null }> } | null };

export type OpenOrderListFragment = { __typename?: 'OrderConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Order', id: string, vendor: Vendor, number?: string | null, status: OrderStatus, vendorStatus?: string | null, createdAt?: string | null, total?: { __typename?: 'Money', amount: string, currency: string } | null, customer?: { __typename?: 'Customer', id: string, name: string } | null }> };

export type SpendPerVendorQueryVariables = Exact<{
  vendor?: InputMaybe<Vendor>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SpendPerVendorQuery = { __typename?: 'Query', vendors: Array<{ __typename?: 'VendorInfo', vendor: Vendor, name: string, simulated: boolean }>, subscriptions?: { __typename?: 'SubscriptionConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'ServiceSubscription', vendor: Vendor, quantity?: number | null, price?: { __typename?: 'Money', amount: string, currency: string } | null }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const OpenOrderListFragmentDoc = new TypedDocumentString(`
    fragment OpenOrderList on OrderConnection {
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    vendor
    number
    status
    vendorStatus
    createdAt
    total {
      amount
      currency
    }
    customer {
      id
      name
    }
  }
}
    `, {"fragmentName":"OpenOrderList"}) as unknown as TypedDocumentString<OpenOrderListFragment, unknown>;
export const Customer360Document = new TypedDocumentString(`
    query Customer360($id: ID!) {
  customer(id: $id) {
    id
    vendor
    vendorId
    name
    status
    email
    phone
    externalId
    reseller {
      name
    }
    address {
      city
      country
    }
    subscriptions(first: 100) {
      totalCount
      nodes {
        id
        name
        status
        quantity
        renewalDate
        autoRenew
        price {
          amount
          currency
        }
        product {
          name
          sku
        }
      }
    }
    orders(first: 20) {
      nodes {
        id
        number
        status
        createdAt
        total {
          amount
          currency
        }
      }
    }
    invoices(first: 20) {
      nodes {
        id
        number
        status
        invoiceDate
        dueDate
        total {
          amount
          currency
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<Customer360Query, Customer360QueryVariables>;
export const LicenseOverviewDocument = new TypedDocumentString(`
    query LicenseOverview($first: Int = 100, $after: String) {
  customers(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      vendor
      name
      externalId
      subscriptions(status: ACTIVE, first: 100) {
        nodes {
          id
          name
          quantity
          price {
            amount
            currency
          }
          product {
            name
            sku
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<LicenseOverviewQuery, LicenseOverviewQueryVariables>;
export const OpenOrdersDocument = new TypedDocumentString(`
    query OpenOrders($first: Int = 100) {
  submitted: orders(first: $first, filter: {status: SUBMITTED}) {
    ...OpenOrderList
  }
  processing: orders(first: $first, filter: {status: PROCESSING}) {
    ...OpenOrderList
  }
}
    fragment OpenOrderList on OrderConnection {
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    vendor
    number
    status
    vendorStatus
    createdAt
    total {
      amount
      currency
    }
    customer {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<OpenOrdersQuery, OpenOrdersQueryVariables>;
export const SpendPerVendorDocument = new TypedDocumentString(`
    query SpendPerVendor($vendor: Vendor, $first: Int = 500, $after: String) {
  vendors {
    vendor
    name
    simulated
  }
  subscriptions(
    vendor: $vendor
    first: $first
    after: $after
    filter: {status: ACTIVE}
  ) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      vendor
      quantity
      price {
        amount
        currency
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SpendPerVendorQuery, SpendPerVendorQueryVariables>;