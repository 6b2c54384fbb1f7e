/**
 * The `$filter` / `$orderBy` properties of every Leader Cloud list, and the swagger
 * definition each list returns. Properties of that definition (its primitive-typed
 * properties: the swagger documents `$filter` as a predicate over the listed DTO) are
 * served in both profiles; aliases and nested paths (`accountId`, `account/id`,
 * `status/type`, …) are marked `inferred` and served only in the `extended` profile.
 * The contract test checks every non-inferred name against the swagger definition.
 */
import { COUNTRY_BY_ID, CUSTOM_FIELDS, type CustomFieldDef, type LcAccount, type LcAsset, type LcCountry, type LcInvoice, type LcOrder, type LcProduct, type LcState, type LcSubscription, type OrderStatusName } from './data.js';
import { inferred, type FieldMap } from './filter.js';
import { invoiceDto, invoiceTotals, orderTotals, subscriptionAmount } from './views.js';

// ---- accounts (AccountDto) -------------------------------------------------------------------

export const ACCOUNT_FIELDS: FieldMap<LcAccount> = {
  id: { type: 'int', get: (a) => a.id, sortable: true },
  name: { type: 'string', get: (a) => a.name, sortable: true },
  email: { type: 'string', get: (a) => a.email, sortable: true },
  phone: { type: 'string', get: (a) => a.phone },
  createdAt: { type: 'date', get: (a) => a.createdAt, sortable: true },
  updatedAt: { type: 'date', get: (a) => a.updatedAt, sortable: true },
  'billingAddress/city': inferred({ type: 'string', get: (a) => a.address.city }),
  'billingAddress/postCode': inferred({ type: 'string', get: (a) => a.address.postCode }),
  'billingAddress/country/id': inferred({ type: 'int', get: (a) => a.address.countryId }),
  'billingAddress/country/code': inferred({ type: 'string', get: (a) => COUNTRY_BY_ID.get(a.address.countryId)?.code }),
  'billingAddress/updatedAt': inferred({ type: 'date', get: (a) => a.address.updatedAt }),
};

// ---- subscriptions (Subscription) ----------------------------------------------------------

export const SUBSCRIPTION_STATUSES = ['Active', 'Cancelled', 'Inactive', 'Suspended', 'PendingCancellation'] as const;

export function subscriptionFields(state: LcState): FieldMap<LcSubscription> {
  const account = inferred<LcSubscription>({ type: 'int', get: (s) => s.accountId, sortable: true });
  const product = inferred<LcSubscription>({ type: 'guid', get: (s) => s.productId });
  return {
    id: { type: 'guid', get: (s) => s.id, sortable: true },
    name: { type: 'string', get: (s) => s.name, sortable: true },
    status: { type: 'enum', values: SUBSCRIPTION_STATUSES, get: (s) => s.status, sortable: true },
    currency: { type: 'string', get: (s) => s.currency },
    quantity: { type: 'int', get: (s) => s.quantity, sortable: true },
    subscriptionAmount: { type: 'number', get: (s) => subscriptionAmount(state, s) },
    automaticRenewal: { type: 'bool', get: (s) => s.automaticRenewal },
    isUsageBased: { type: 'bool', get: (s) => s.isUsageBased },
    isBackordering: { type: 'bool', get: () => false },
    isTrial: { type: 'bool', get: () => false },
    startDate: { type: 'date', get: (s) => s.startDate, sortable: true },
    endDate: { type: 'date', get: (s) => s.endDate, sortable: true },
    activationDate: { type: 'date', get: (s) => s.activationDate, sortable: true },
    createdAt: { type: 'date', get: (s) => s.createdAt, sortable: true },
    updatedAt: { type: 'date', get: (s) => s.updatedAt, sortable: true },
    accountId: account,
    'account/id': account,
    'account/name': inferred({ type: 'string', get: (s) => state.accountById.get(s.accountId)?.name }),
    productId: product,
    'product/id': product,
    'product/code': inferred({ type: 'string', get: (s) => state.productById.get(s.productId)?.code }),
    'order/id': inferred({ type: 'guid', get: (s) => s.orderId }),
  };
}

// ---- orders (Order) ------------------------------------------------------------------------

export const ORDER_STATUSES: OrderStatusName[] = ['Executed', 'Submitted', 'Cancelled', 'Delivered', 'Locked', 'Scheduled', 'Executing'];

export function orderFields(state: LcState): FieldMap<LcOrder> {
  // Order.status is an object (OrderStatus {id, name, type}): `status eq 'Executed'` compares its type [I].
  const status = inferred<LcOrder>({ type: 'enum', values: ORDER_STATUSES, get: (o) => o.status, sortable: true });
  const account = inferred<LcOrder>({ type: 'int', get: (o) => o.accountId, sortable: true });
  return {
    id: { type: 'guid', get: (o) => o.id, sortable: true },
    code: { type: 'string', get: (o) => o.code, sortable: true },
    currency: { type: 'string', get: (o) => o.currency },
    totalOriginal: { type: 'number', get: (o) => orderTotals(state, o).totalOriginal },
    totalBeforeTax: { type: 'number', get: (o) => orderTotals(state, o).totalOriginal },
    total: { type: 'number', get: (o) => orderTotals(state, o).total, sortable: true },
    isBackOrder: { type: 'bool', get: () => false },
    creditLimitExceeded: { type: 'bool', get: () => false },
    awaitingPayment: { type: 'bool', get: () => false },
    orderDate: { type: 'date', get: (o) => o.orderDate, sortable: true },
    createdAt: { type: 'date', get: (o) => o.createdAt, sortable: true },
    updatedAt: { type: 'date', get: (o) => o.updatedAt, sortable: true },
    status,
    'status/type': status,
    accountId: account,
    'account/id': account,
    'account/name': inferred({ type: 'string', get: (o) => state.accountById.get(o.accountId)?.name }),
  };
}

// ---- invoices (Invoice) --------------------------------------------------------------------

const NO_INCLUDE = new Set<string>();

export function invoiceFields(state: LcState): FieldMap<LcInvoice> {
  // Invoice.status is an object (InvoiceStatus {id, name, type}).
  const status = inferred<LcInvoice>({ type: 'enum', values: ['Paid', 'Unpaid', 'Canceled'], get: (i) => i.status, sortable: true });
  const account = inferred<LcInvoice>({ type: 'int', get: (i) => i.accountId, sortable: true });
  const dto = (i: LcInvoice, key: string) => invoiceDto(state, i, NO_INCLUDE)[key] as string | undefined;
  return {
    id: { type: 'guid', get: (i) => i.id, sortable: true },
    code: { type: 'string', get: (i) => i.code, sortable: true },
    currency: { type: 'string', get: (i) => i.currency },
    transactionCurrency: { type: 'string', get: (i) => i.currency },
    exchangeRate: { type: 'number', get: () => 1 },
    totalBeforeTax: { type: 'number', get: (i) => invoiceTotals(state, i).before },
    total: { type: 'number', get: (i) => invoiceTotals(state, i).total, sortable: true },
    unpaidAmount: { type: 'number', get: (i) => (i.status === 'Unpaid' ? invoiceTotals(state, i).total : 0) },
    isReceipt: { type: 'bool', get: () => false },
    billingAdress: { type: 'string', get: (i) => dto(i, 'billingAdress') },
    tradeName: { type: 'string', get: (i) => state.accountById.get(i.accountId)?.name },
    taxNumber: { type: 'string', get: (i) => state.accountById.get(i.accountId)?.taxNumber },
    taxAuthority: { type: 'string', get: (i) => dto(i, 'taxAuthority') },
    invoiceDate: { type: 'date', get: (i) => i.invoiceDate, sortable: true },
    dueDate: { type: 'date', get: (i) => i.dueDate, sortable: true },
    paidDate: { type: 'date', get: (i) => i.paidDate, sortable: true },
    createdAt: { type: 'date', get: (i) => i.createdAt, sortable: true },
    updatedAt: { type: 'date', get: (i) => i.updatedAt, sortable: true },
    status,
    'status/type': status,
    accountId: account,
    'account/id': account,
    'account/name': inferred({ type: 'string', get: (i) => state.accountById.get(i.accountId)?.name }),
  };
}

// ---- products (Product) --------------------------------------------------------------------

export const PRODUCT_FIELDS: FieldMap<LcProduct> = {
  id: { type: 'guid', get: (p) => p.id, sortable: true },
  name: { type: 'string', get: (p) => p.name, sortable: true },
  code: { type: 'string', get: (p) => p.code, sortable: true },
  type: { type: 'enum', values: ['Primary', 'Addon'], get: (p) => p.type, sortable: true },
  chargeType: { type: 'enum', values: ['OneTimeCharge', 'Prepaid', 'PayPerUse'], get: (p) => (p.catalog.usageBased ? 'PayPerUse' : 'Prepaid') },
  createdAt: { type: 'date', get: (p) => p.createdAt, sortable: true },
  updatedAt: { type: 'date', get: (p) => p.updatedAt, sortable: true },
  'category/name': inferred({ type: 'string', get: (p) => p.catalog.family }),
  'productGroup/name': inferred({ type: 'string', get: (p) => p.catalog.publisher }),
};

// ---- assets (Asset) ------------------------------------------------------------------------

export const ASSET_PROVISIONING_STATUSES = ['UnSynchronized', 'In progress', 'Completed successfully', 'Failed'] as const;

export function assetFields(state: LcState): FieldMap<LcAsset> {
  const account = inferred<LcAsset>({ type: 'int', get: (a) => a.accountId, sortable: true });
  const product = inferred<LcAsset>({ type: 'guid', get: (a) => a.productId });
  return {
    id: { type: 'guid', get: (a) => a.id, sortable: true },
    name: { type: 'string', get: (a) => a.name, sortable: true },
    status: { type: 'string', get: (a) => a.status, sortable: true },
    provisioningStatus: { type: 'enum', values: ASSET_PROVISIONING_STATUSES, get: (a) => a.provisioningStatus },
    assetAmount: { type: 'number', get: (a) => a.amount, sortable: true },
    currency: { type: 'string', get: (a) => a.currency },
    unit: { type: 'string', get: (a) => state.unitById.get(a.unitId)?.name },
    isBackOrdering: { type: 'bool', get: () => false },
    purchaseDate: { type: 'date', get: (a) => a.purchaseDate, sortable: true },
    endDate: { type: 'date', get: (a) => a.endDate, sortable: true },
    createdAt: { type: 'date', get: (a) => a.createdAt, sortable: true },
    updatedAt: { type: 'date', get: (a) => a.updatedAt, sortable: true },
    accountId: account,
    'customer/id': account,
    productId: product,
    'product/id': product,
  };
}

// ---- organization: countries, custom field definitions, unit groups -------------------------

export const COUNTRY_FIELDS: FieldMap<LcCountry> = {
  id: { type: 'int', get: (c) => c.id, sortable: true },
  name: { type: 'string', get: (c) => c.name, sortable: true },
  code: { type: 'string', get: (c) => c.code, sortable: true },
  isActive: { type: 'bool', get: () => true },
  isDefault: { type: 'bool', get: (c) => c.code === 'AU' },
};

export const CUSTOM_FIELD_TYPES = ['None', 'ListOfValues', 'SimpleValue', 'TextArea', 'MultiSelectListOfValues', 'Boolean', 'Link', 'Mask', 'MOD11CheckDigit', 'File'] as const;

export const CUSTOM_FIELD_DEF_FIELDS: FieldMap<CustomFieldDef> = {
  id: { type: 'int', get: (f) => f.id, sortable: true },
  name: { type: 'string', get: (f) => f.name, sortable: true },
  type: { type: 'enum', values: CUSTOM_FIELD_TYPES, get: (f) => (f.boolean ? 'Boolean' : 'SimpleValue') },
  isCompulsory: { type: 'bool', get: () => false },
  isReadOnly: { type: 'bool', get: (f) => f.readOnly === true },
  isUnique: { type: 'bool', get: (f) => f.unique === true },
};

/** AccountCustomField also has editableInStorefront. */
export const ACCOUNT_CUSTOM_FIELD_DEF_FIELDS: FieldMap<CustomFieldDef> = {
  ...CUSTOM_FIELD_DEF_FIELDS,
  editableInStorefront: { type: 'bool', get: (f) => f.readOnly !== true },
};

export interface LcUnitGroup {
  id: number;
  name: string;
  isRecurringChargeUnit: boolean;
}

export const UNIT_GROUP_FIELDS: FieldMap<LcUnitGroup> = {
  id: { type: 'int', get: (g) => g.id, sortable: true },
  name: { type: 'string', get: (g) => g.name, sortable: true },
  isRecurringChargeUnit: { type: 'bool', get: (g) => g.isRecurringChargeUnit },
};

/** Every list with `$filter`, the swagger definition of its items, and its filter properties (for the contract test). */
export function listFilterFields(state: LcState): Array<{ path: string; definition: string; fields: FieldMap<never> }> {
  const all: Array<{ path: string; definition: string; fields: FieldMap<never> }> = [
    { path: '/api/accounts', definition: 'AccountDto', fields: ACCOUNT_FIELDS as FieldMap<never> },
    { path: '/api/subscriptions', definition: 'Subscription', fields: subscriptionFields(state) as FieldMap<never> },
    { path: '/api/orders', definition: 'Order', fields: orderFields(state) as FieldMap<never> },
    { path: '/api/invoices', definition: 'Invoice', fields: invoiceFields(state) as FieldMap<never> },
    { path: '/api/products', definition: 'Product', fields: PRODUCT_FIELDS as FieldMap<never> },
    { path: '/api/assets', definition: 'Asset', fields: assetFields(state) as FieldMap<never> },
    { path: '/api/organization/countries', definition: 'Country', fields: COUNTRY_FIELDS as FieldMap<never> },
    { path: '/api/organization/accounts/customfields', definition: 'AccountCustomField', fields: ACCOUNT_CUSTOM_FIELD_DEF_FIELDS as FieldMap<never> },
    { path: '/api/organization/invoices/customfields', definition: 'InvoiceCustomField', fields: CUSTOM_FIELD_DEF_FIELDS as FieldMap<never> },
    { path: '/api/organization/products/customfields', definition: 'ProductCustomField', fields: CUSTOM_FIELD_DEF_FIELDS as FieldMap<never> },
    { path: '/api/organization/unitGroups', definition: 'UnitGroup', fields: UNIT_GROUP_FIELDS as FieldMap<never> },
  ];
  return all;
}

/** The custom field definitions of one entity (for the organization custom field lists). */
export function customFieldDefinitions(entity: 'account' | 'invoice' | 'product'): CustomFieldDef[] {
  return CUSTOM_FIELDS[entity].fields;
}
