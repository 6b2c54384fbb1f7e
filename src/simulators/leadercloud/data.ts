/**
 * The Leader Cloud simulator's in-memory state and its deterministic seed, derived from
 * the shared world: accounts are the world's Leader Cloud customers (ids 1000 + position),
 * subscriptions and add-ons come from their holdings, and every subscription has the
 * executed order that created it. Extra orders in every other state, and three months
 * of invoices per account, complete the picture. All GUIDs come from seeded generators,
 * so the same seed always serves the same data.
 */
import { Rng } from '../shared/rng.js';
import type { CatalogProduct, Currency, World, WorldCompany, WorldHolding } from '../shared/world.js';
import { DAY_MS, parseLcDate, round2 } from './util.js';

// ---- reference data ----------------------------------------------------------------------

export interface LcCountry {
  id: number;
  name: string;
  code: string;
  states: Array<{ id: number; name: string; code: string }>;
}

export const COUNTRIES: LcCountry[] = [
  {
    id: 13, name: 'Australia', code: 'AU',
    states: [
      { id: 1301, name: 'New South Wales', code: 'NSW' }, { id: 1302, name: 'Victoria', code: 'VIC' },
      { id: 1303, name: 'Queensland', code: 'QLD' }, { id: 1304, name: 'Western Australia', code: 'WA' },
      { id: 1305, name: 'South Australia', code: 'SA' }, { id: 1306, name: 'Tasmania', code: 'TAS' },
      { id: 1307, name: 'Australian Capital Territory', code: 'ACT' }, { id: 1308, name: 'Northern Territory', code: 'NT' },
    ],
  },
  { id: 81, name: 'Germany', code: 'DE', states: [{ id: 8101, name: 'Bavaria', code: 'BY' }, { id: 8102, name: 'Berlin', code: 'BE' }, { id: 8103, name: 'Hamburg', code: 'HH' }] },
  { id: 150, name: 'Netherlands', code: 'NL', states: [] },
  {
    id: 226, name: 'United States', code: 'US',
    states: [
      { id: 22601, name: 'Texas', code: 'TX' }, { id: 22602, name: 'Washington', code: 'WA' },
      { id: 22603, name: 'Colorado', code: 'CO' }, { id: 22604, name: 'Massachusetts', code: 'MA' },
      { id: 22605, name: 'California', code: 'CA' }, { id: 22606, name: 'New York', code: 'NY' },
    ],
  },
];
export const COUNTRY_BY_ID = new Map(COUNTRIES.map((c) => [c.id, c]));
const COUNTRY_BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/** Sales tax per country: [tax id, name, rate]. */
export const TAXES: Record<string, { id: number; name: string; rate: number } | undefined> = {
  AU: { id: 1, name: 'GST 10%', rate: 0.1 },
  DE: { id: 2, name: 'USt 19%', rate: 0.19 },
  NL: { id: 3, name: 'BTW 21%', rate: 0.21 },
  US: undefined,
};

export type CustomFieldEntity = 'account' | 'subscription' | 'order' | 'invoice' | 'product' | 'asset';

export interface CustomFieldDef {
  id: number;
  name: string;
  apiField: string;
  /** "Display data of other system": writes are a 403 CustomFieldReadOnlyError. */
  readOnly?: boolean;
  /** Boolean fields (a checkbox); text otherwise. */
  boolean?: boolean;
  /** Values are unique across the organization (e.g. an external id). */
  unique?: boolean;
}

export const CUSTOM_FIELDS: Record<CustomFieldEntity, { group: { id: number; name: string; instanceId: number }; fields: CustomFieldDef[] }> = {
  account: {
    group: { id: 1, name: 'Account details', instanceId: 1 },
    fields: [
      { id: 101, name: 'External ID', apiField: 'externalId', unique: true },
      { id: 102, name: 'Tax number', apiField: 'taxNumber' },
      { id: 103, name: 'PSA company ID', apiField: 'psaCompanyId' },
      { id: 104, name: 'Microsoft tenant ID', apiField: 'microsoftTenantId', readOnly: true },
    ],
  },
  subscription: {
    group: { id: 2, name: 'Subscription details', instanceId: 2 },
    fields: [
      { id: 201, name: 'PO number', apiField: 'poNumber' },
      { id: 202, name: 'Cost centre', apiField: 'costCentre' },
    ],
  },
  order: {
    group: { id: 3, name: 'Order details', instanceId: 3 },
    fields: [
      { id: 301, name: 'PO number', apiField: 'poNumber' },
      { id: 302, name: 'Requested by', apiField: 'requestedBy' },
    ],
  },
  invoice: {
    group: { id: 4, name: 'Invoice details', instanceId: 4 },
    fields: [
      { id: 401, name: 'Exported to accounting', apiField: 'exportedToAccounting', boolean: true },
      { id: 402, name: 'Accounting reference', apiField: 'accountingReference' },
    ],
  },
  product: {
    group: { id: 5, name: 'Product details', instanceId: 5 },
    fields: [
      { id: 501, name: 'Vendor', apiField: 'vendor', readOnly: true },
      { id: 502, name: 'Product family', apiField: 'productFamily', readOnly: true },
    ],
  },
  asset: {
    group: { id: 6, name: 'Asset details', instanceId: 6 },
    fields: [{ id: 601, name: 'Serial number', apiField: 'serialNumber' }],
  },
};

/**
 * The provisioning ("external") systems of the organization, with the sync options an
 * account carries for each (GET/POST /api/accounts/{id}/syncoptions/{systemId}). The
 * systems, codes and option aliases are invented [I]; the DTO shapes are the spec's.
 */
export interface LcExternalSystem {
  id: number;
  code: string;
  name: string;
  isActive: boolean;
  options: Array<{ alias: string; name: string; isMandatory: boolean }>;
}

export const EXTERNAL_SYSTEMS: LcExternalSystem[] = [
  {
    id: 1, code: 'MSCSP', name: 'Microsoft CSP', isActive: true,
    options: [{ alias: 'TenantDomain', name: 'Tenant domain', isMandatory: true }, { alias: 'TenantId', name: 'Tenant ID', isMandatory: false }],
  },
  {
    id: 2, code: 'ACRONIS', name: 'Acronis Cyber Cloud', isActive: true,
    options: [{ alias: 'CustomerTenantName', name: 'Customer tenant name', isMandatory: true }, { alias: 'DataCenter', name: 'Data centre', isMandatory: false }],
  },
  { id: 3, code: 'DROPBOX', name: 'Dropbox Business', isActive: true, options: [{ alias: 'TeamName', name: 'Team name', isMandatory: true }] },
  { id: 4, code: 'XERO', name: 'Xero', isActive: false, options: [{ alias: 'ContactId', name: 'Xero contact ID', isMandatory: true }] },
];
export const EXTERNAL_SYSTEM_BY_ID = new Map(EXTERNAL_SYSTEMS.map((x) => [x.id, x]));

/** The unit group every recurring product belongs to (Product.unitGroup in the live sample: 17 "Recurring Charge"). */
export const RECURRING_UNIT_GROUP = { id: 17, name: 'Recurring Charge' } as const;
export const ONE_TIME_UNIT_GROUP = { id: 18, name: 'One Time Charge' } as const;

export type CharacteristicTypeName = 'Order Characteristic' | 'Product Characteristic' | 'HiddenProperty' | 'Execution Characteristic';
export type CharacteristicValueTypeName = 'Text' | 'Numeric' | 'Currency' | 'Date' | 'Boolean' | 'DropDown' | 'CheckBoxes' | 'TextArea' | 'Slider';

export interface CharacteristicDef {
  id: string;
  group: string;
  name: string;
  type: CharacteristicTypeName;
  valueType: CharacteristicValueTypeName;
  isCompulsory: boolean;
  valueSuffix?: string;
  /** The product's fixed value (Product Characteristic). */
  value?: string;
}

// ---- entities ----------------------------------------------------------------------------

export interface LcUnit {
  id: string;
  name: 'Month' | 'Annual';
  months: number;
}

export interface LcBillingFrequencyOption {
  id: string;
  unitId: string;
  installments: number;
  installmentsFrequency: number;
  createdAt: number;
}

export interface LcProduct {
  id: string;
  catalog: CatalogProduct;
  name: string;
  code: string;
  type: 'Primary' | 'Addon';
  parentId: string | null;
  categoryId: string;
  unitOfMeasureId: string;
  productGroupId: string;
  units: LcUnit[];
  billingFrequencyOptions: LcBillingFrequencyOption[];
  characteristics: CharacteristicDef[];
  createdAt: number;
  updatedAt: number;
}

export interface LcContact {
  id: number;
  firstName: string;
  lastName: string;
}

export interface LcAccount {
  id: number;
  name: string;
  phone: string;
  email: string;
  createdAt: number;
  updatedAt: number;
  currency: Currency;
  address: {
    id: string;
    address: string;
    address2: string | null;
    city: string;
    postCode: string;
    countryId: number;
    stateId: number | null;
    createdAt: number;
    updatedAt: number;
  };
  flags: {
    orderingEnabled: boolean;
    separateInvoices: boolean;
    taxable: boolean;
    creditLimit: number;
    autoInvoiceNotification: boolean;
    noteType: 'Invoice' | 'Receipt';
    resellingEnabled: boolean;
    isBackordering: boolean;
    isNetworkReseller: boolean;
    isAffiliate: boolean;
    isBillingFrequencyEnabled: boolean;
    billingFrequencyMarkup: number;
  };
  contacts: LcContact[];
  paymentMethodId: string;
  taxNumber: string;
  customFields: Map<number, string>;
  /** Sync option values per external system id: alias → value. */
  syncOptions: Map<number, Map<string, string>>;
}

export type SubscriptionStatusName = 'Active' | 'Cancelled' | 'Inactive' | 'Suspended' | 'PendingCancellation';

/** AssetSynchronizationStatus in the spec (the wire values). */
export type AssetProvisioningStatus = 'UnSynchronized' | 'In progress' | 'Completed successfully' | 'Failed';

/** A one-off purchase (GET /api/assets): prepaid licences bought outright rather than subscribed. */
export interface LcAsset {
  id: string;
  name: string;
  status: 'Active' | 'Expired';
  provisioningStatus: AssetProvisioningStatus;
  accountId: number;
  productId: string;
  unitId: string;
  quantity: number;
  amount: number;
  currency: Currency;
  purchaseDate: number;
  endDate: number;
  createdAt: number;
  updatedAt: number;
  customFields: Map<number, string>;
}

export interface LcAddon {
  id: string;
  productId: string;
  status: SubscriptionStatusName;
  orderId: string;
  activationDate: number;
  quantity: number;
  createdAt: number;
}

export interface LcSubscription {
  id: string;
  name: string;
  status: SubscriptionStatusName;
  accountId: number;
  productId: string;
  unitId: string;
  quantity: number;
  currency: Currency;
  orderId: string;
  startDate: number;
  endDate: number;
  activationDate: number;
  automaticRenewal: boolean;
  isUsageBased: boolean;
  createdAt: number;
  updatedAt: number;
  characteristics: Map<string, string>;
  customFields: Map<number, string>;
  addons: LcAddon[];
  billingFrequencyOptionId: string | null;
  installmentPlanId: string | null;
}

/** 0 pending, 1 completed, 2 failed (the numeric codes are not documented: [I]). */
export type QuantityRequestStatus = 0 | 1 | 2;

export interface LcQuantityRequest {
  requestId: string;
  subscriptionId: string;
  previous: number;
  next: number;
  effectiveDate: number;
  appliesAt: number;
  status: QuantityRequestStatus;
  createdAt: number;
  updatedAt: number;
}

export type OrderStatusName = 'Executed' | 'Submitted' | 'Cancelled' | 'Delivered' | 'Locked' | 'Scheduled' | 'Executing';
export const ORDER_STATUS_IDS: Record<OrderStatusName, number> = {
  Submitted: 1, Executing: 2, Executed: 3, Cancelled: 4, Delivered: 5, Locked: 6, Scheduled: 7,
};

export interface LcOrderItem {
  id: string;
  position: number;
  productId: string;
  unitId: string;
  quantity: number;
  unitPrice: number;
  unitCost: number;
  relatedSubscriptionId: string | null;
  relatedItemId: string | null;
  billingFrequencyOptionId: string | null;
  characteristics: Map<string, string>;
  /** The subscription (or add-on) this item created or changed once executed. */
  subscriptionId: string | null;
}

export interface LcOrder {
  id: string;
  code: string;
  /** Draft orders have no status until checkout. */
  status: OrderStatusName | null;
  accountId: number;
  contactId: number;
  orderDate: number;
  createdAt: number;
  updatedAt: number;
  currency: Currency;
  items: LcOrderItem[];
  customFields: Map<number, string>;
}

export interface LcInvoiceItem {
  id: string;
  position: number;
  description: string;
  productId: string;
  subscriptionId: string;
  addonId: string | null;
  unitId: string;
  startDate: number;
  endDate: number;
  unitPrice: number;
  quantity: number;
  total: number;
  cost: number;
  usage: boolean;
}

export interface LcInvoice {
  id: string;
  code: string;
  status: 'Paid' | 'Unpaid' | 'Canceled';
  accountId: number;
  invoiceDate: number;
  dueDate: number;
  paidDate: number | null;
  currency: Currency;
  items: LcInvoiceItem[];
  orderIds: string[];
  customFields: Map<number, string>;
  createdAt: number;
  updatedAt: number;
}

export interface LcPaymentMethod {
  id: string;
  name: string;
  type: 'CreditCard' | 'Deposit' | 'Cash' | 'Check';
}

// ---- timings -----------------------------------------------------------------------------

/** Checkout → Executing after this long (simulated clock). */
export const ORDER_SUBMITTED_MS = 2_000;
/** Checkout → Executed after this long. */
export const ORDER_EXECUTED_MS = 5_000;
/** A quantity change is applied no sooner than this after the request. */
export const QUANTITY_PROCESSING_MS = 3_000;
/** The API user's id, shown as createdBy/updatedBy. */
export const API_USER_ID = 7;

// ---- state -------------------------------------------------------------------------------

interface TimedEvent {
  at: number;
  seq: number;
  run: () => void;
}

export class LcState {
  readonly products: LcProduct[] = [];
  readonly productById = new Map<string, LcProduct>();
  readonly units: LcUnit[];
  readonly unitById = new Map<string, LcUnit>();
  readonly paymentMethods: LcPaymentMethod[];
  readonly accounts: LcAccount[] = [];
  readonly accountById = new Map<number, LcAccount>();
  readonly subscriptions: LcSubscription[] = [];
  readonly subscriptionById = new Map<string, LcSubscription>();
  readonly orders: LcOrder[] = [];
  readonly orderById = new Map<string, LcOrder>();
  readonly invoices: LcInvoice[] = [];
  readonly invoiceById = new Map<string, LcInvoice>();
  readonly assets: LcAsset[] = [];
  readonly assetById = new Map<string, LcAsset>();
  /** The one-time unit of the "One Time Charge" unit group (no product sells it). */
  readonly oneTimeUnit: { id: string; name: string };
  readonly quantityRequests = new Map<string, LcQuantityRequest>();
  /** Runtime ids (new accounts, orders, requests): deterministic too. */
  readonly rng: Rng;
  private events: TimedEvent[] = [];
  private eventSeq = 0;
  private orderSeq = 0;
  private invoiceSeq = 0;
  nextAccountId = 1000;

  constructor(readonly world: World) {
    const seed = world.seed;
    this.rng = new Rng(`${seed}:leadercloud:runtime`);
    const cat = new Rng(`${seed}:leadercloud:catalog`);
    this.units = [
      { id: cat.guid(), name: 'Month', months: 1 },
      { id: cat.guid(), name: 'Annual', months: 12 },
    ];
    for (const u of this.units) this.unitById.set(u.id, u);
    this.paymentMethods = [
      { id: cat.guid(), name: 'Credit Card', type: 'CreditCard' },
      { id: cat.guid(), name: 'Direct Deposit', type: 'Deposit' },
      { id: cat.guid(), name: 'Cheque', type: 'Check' },
    ];
    this.seedProducts(cat);
    // Organization data added later draws from its own stream, so older seed data keeps its GUIDs.
    this.oneTimeUnit = { id: new Rng(`${seed}:leadercloud:organization`).guid(), name: 'One-off' };
    this.seedAccounts();
  }

  // ---- clock-driven work -----------------------------------------------------------------

  schedule(at: number, run: () => void): void {
    this.events.push({ at, seq: this.eventSeq++, run });
  }

  /** Runs every scheduled change due at `now`, oldest first. Called before each request. */
  settle(now: number): void {
    if (this.events.length === 0) return;
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i] as TimedEvent;
        if (e.at > now) continue;
        const b = this.events[best];
        if (!b || e.at < b.at || (e.at === b.at && e.seq < b.seq)) best = i;
      }
      if (best < 0) return;
      const [event] = this.events.splice(best, 1);
      event?.run();
    }
  }

  // ---- ids -------------------------------------------------------------------------------

  nextOrderCode(): string {
    return `SO${String(++this.orderSeq).padStart(7, '0')}`;
  }

  private nextInvoiceCode(): string {
    return `INV${String(++this.invoiceSeq).padStart(7, '0')}`;
  }

  // ---- prices ------------------------------------------------------------------------------

  /** Sell and cost price of one unit of a product, for a unit length, in a currency. */
  price(product: LcProduct, unit: LcUnit, currency: Currency): { sell: number; cost: number } {
    return {
      sell: round2(Number(product.catalog.prices[currency]) * unit.months),
      cost: round2(Number(product.catalog.costs[currency]) * unit.months),
    };
  }

  // ---- seed --------------------------------------------------------------------------------

  private seedProducts(r: Rng): void {
    const categories = new Map<string, string>();
    const groups = new Map<string, string>();
    const uoms = new Map<string, string>();
    const idOf = (map: Map<string, string>, key: string) => {
      let id = map.get(key);
      if (!id) map.set(key, (id = r.guid()));
      return id;
    };
    const month = this.units[0] as LcUnit;
    const annual = this.units[1] as LcUnit;
    const anchor = this.world.anchor.getTime();
    for (const c of this.world.catalog) {
      const id = r.guid();
      const units = c.term === 'annual' ? [annual, month] : [month];
      const createdAt = anchor - (400 + c.index * 17) * DAY_MS + c.index * 3_600_000;
      const options: LcBillingFrequencyOption[] =
        c.term === 'annual' && !c.usageBased
          ? [{ id: r.guid(), unitId: annual.id, installments: 12, installmentsFrequency: 1, createdAt }]
          : [];
      const characteristics: CharacteristicDef[] = [];
      if (c.publisher === 'Microsoft') {
        characteristics.push(
          { id: r.guid(), group: 'Microsoft tenant', name: 'Tenant domain', type: 'Order Characteristic', valueType: 'Text', isCompulsory: false, valueSuffix: '.onmicrosoft.com' },
          { id: r.guid(), group: 'Microsoft tenant', name: 'Agreement accepted', type: 'Order Characteristic', valueType: 'Boolean', isCompulsory: false },
        );
      }
      characteristics.push({ id: r.guid(), group: 'Product', name: 'Publisher', type: 'Product Characteristic', valueType: 'Text', isCompulsory: false, value: c.publisher });
      const product: LcProduct = {
        id,
        catalog: c,
        name: c.name,
        code: c.sku,
        type: c.addonOf === null ? 'Primary' : 'Addon',
        parentId: null,
        categoryId: idOf(categories, c.family),
        unitOfMeasureId: idOf(uoms, c.unit),
        productGroupId: idOf(groups, c.publisher),
        units,
        billingFrequencyOptions: options,
        characteristics,
        createdAt,
        updatedAt: createdAt + (c.index % 5) * 30 * DAY_MS,
      };
      this.products.push(product);
      this.productById.set(id, product);
    }
    for (const p of this.products) {
      if (p.catalog.addonOf !== null) p.parentId = this.products[p.catalog.addonOf]?.id ?? null;
    }
  }

  productOf(c: CatalogProduct): LcProduct {
    return this.products[c.index] as LcProduct;
  }

  private seedAccounts(): void {
    const companies = this.world.customersOf('leadercloud');
    companies.forEach((company, i) => this.seedAccount(company, i));
    this.nextAccountId = 1000 + companies.length;
  }

  private seedAccount(company: WorldCompany, i: number): void {
    const seed = this.world.seed;
    const r = new Rng(`${seed}:leadercloud:account:${company.index}`);
    const anchor = this.world.anchor.getTime();
    const country = COUNTRY_BY_CODE.get(company.address.countryCode) ?? (COUNTRIES[0] as LcCountry);
    const state = country.states.find((s) => s.code === company.address.stateCode);
    const createdAt = company.createdAt.getTime() + r.int(0, 86_399) * 1000 + r.int(0, 999);
    const updatedAt = Math.min(anchor, createdAt + r.int(0, 400) * DAY_MS + r.int(0, 86_399_000));
    const billing = company.contacts.find((c) => c.role === 'billing') ?? company.contacts[0];
    const id = 1000 + i;
    const account: LcAccount = {
      id,
      name: company.name,
      phone: company.phone,
      email: billing?.email ?? `accounts@${company.domain}`,
      createdAt,
      updatedAt,
      currency: company.currency,
      address: {
        id: r.guid(),
        address: company.address.street,
        address2: company.address.street2,
        city: company.address.city,
        postCode: company.address.postalCode,
        countryId: country.id,
        stateId: state?.id ?? null,
        createdAt,
        updatedAt,
      },
      flags: {
        orderingEnabled: true,
        separateInvoices: r.bool(0.1),
        taxable: company.address.countryCode !== 'US',
        creditLimit: r.pick([0, 5000, 10000, 25000]),
        autoInvoiceNotification: r.bool(0.7),
        noteType: 'Invoice',
        resellingEnabled: false,
        isBackordering: false,
        isNetworkReseller: false,
        isAffiliate: false,
        isBillingFrequencyEnabled: true,
        billingFrequencyMarkup: 0,
      },
      contacts: company.contacts.map((c, k) => ({ id: 100_000 + i * 3 + k, firstName: c.firstName, lastName: c.lastName })),
      paymentMethodId: (r.bool(0.7) ? this.paymentMethods[0] : this.paymentMethods[1])?.id ?? '',
      taxNumber: company.vat,
      customFields: new Map([
        [101, company.externalId],
        [102, company.vat],
      ]),
      syncOptions: new Map(),
    };
    const holdings = this.world.holdings(company, 'leadercloud');
    if (holdings.some((h) => h.product.publisher === 'Microsoft')) account.customFields.set(104, r.guid());
    this.seedSyncOptions(account, company, holdings);
    this.addAccount(account);

    // Subscriptions, each with the executed order that created it.
    const subs: LcSubscription[] = [];
    let current: LcSubscription | undefined;
    let currentOrder: LcOrder | undefined;
    for (const h of holdings) {
      const product = this.productOf(h.product);
      if (product.type === 'Addon' && current && currentOrder) {
        const addon = this.seedAddon(r, h, product, current, currentOrder);
        current.addons.push(addon);
        continue;
      }
      const { sub, order } = this.seedSubscription(r, account, company, h, product);
      subs.push(sub);
      current = sub;
      currentOrder = order;
    }

    // Orders in the other states: drafts and in-flight ones.
    const primaries = this.products.filter((p) => p.type === 'Primary');
    if (i % 4 === 0) this.seedExtraOrder(r, account, r.pick(primaries), null, anchor - r.int(0, 5) * DAY_MS - r.int(0, 86_399_000));
    if (i % 3 === 1) {
      const states: OrderStatusName[] = ['Submitted', 'Executing', 'Scheduled', 'Cancelled', 'Locked', 'Delivered'];
      const status = states[Math.floor(i / 3) % states.length] as OrderStatusName;
      this.seedExtraOrder(r, account, r.pick(primaries), status, anchor - r.int(1, 20) * DAY_MS - r.int(0, 86_399_000));
    }

    this.seedInvoices(r, account, subs);
    if (i % 5 === 2) this.seedAsset(company, account);
  }

  /** Sync options from what the account holds (no random draws: the older seed stays as it was). */
  private seedSyncOptions(account: LcAccount, company: WorldCompany, holdings: WorldHolding[]): void {
    const publishers = new Set(holdings.map((h) => h.product.publisher));
    const tenant = company.domain.split('.')[0] ?? company.domain;
    if (publishers.has('Microsoft')) {
      const options = new Map([['TenantDomain', `${tenant}.onmicrosoft.com`]]);
      const tenantId = account.customFields.get(104);
      if (tenantId) options.set('TenantId', tenantId);
      account.syncOptions.set(1, options);
    }
    if (publishers.has('Acronis')) account.syncOptions.set(2, new Map([['CustomerTenantName', company.name], ['DataCenter', company.address.countryCode === 'AU' ? 'AU1' : 'EU2']]));
    if (publishers.has('Dropbox')) account.syncOptions.set(3, new Map([['TeamName', company.name]]));
  }

  /** One prepaid asset for some accounts, from its own random stream. */
  private seedAsset(company: WorldCompany, account: LcAccount): void {
    const r = new Rng(`${this.world.seed}:leadercloud:asset:${company.index}`);
    const annual = this.units[1] as LcUnit;
    const candidates = this.products.filter((p) => p.type === 'Primary' && !p.catalog.usageBased && p.units.includes(annual));
    const product = r.pick(candidates);
    const anchor = this.world.anchor.getTime();
    const purchaseDate = anchor - r.int(20, 500) * DAY_MS - r.int(0, 86_399_000);
    const endDate = purchaseDate + 365 * DAY_MS;
    const quantity = r.pick([1, 2, 5, 10, 20]);
    const roll = r.next();
    const asset: LcAsset = {
      id: r.guid(),
      name: `${product.name} (prepaid)`,
      status: endDate > anchor ? 'Active' : 'Expired',
      provisioningStatus: roll < 0.85 ? 'Completed successfully' : roll < 0.93 ? 'In progress' : roll < 0.97 ? 'Failed' : 'UnSynchronized',
      accountId: account.id,
      productId: product.id,
      unitId: annual.id,
      quantity,
      amount: round2(this.price(product, annual, account.currency).sell * quantity),
      currency: account.currency,
      purchaseDate,
      endDate,
      createdAt: purchaseDate,
      updatedAt: Math.min(anchor, purchaseDate + r.int(0, 30) * DAY_MS),
      customFields: r.bool(0.6) ? new Map([[601, `SN-${r.int(100000, 999999)}`]]) : new Map(),
    };
    this.assets.push(asset);
    this.assetById.set(asset.id, asset);
  }

  addAccount(account: LcAccount): void {
    this.accounts.push(account);
    this.accountById.set(account.id, account);
  }

  addSubscription(sub: LcSubscription): void {
    this.subscriptions.push(sub);
    this.subscriptionById.set(sub.id, sub);
  }

  addOrder(order: LcOrder): void {
    this.orders.push(order);
    this.orderById.set(order.id, order);
  }

  private seedSubscription(
    r: Rng,
    account: LcAccount,
    company: WorldCompany,
    h: WorldHolding,
    product: LcProduct,
  ): { sub: LcSubscription; order: LcOrder } {
    const unit = (h.product.term === 'annual' ? this.units[1] : this.units[0]) as LcUnit;
    const start = h.startDate.getTime() + r.int(8, 17) * 3_600_000 + r.int(0, 3_599_999);
    const orderDate = start - r.int(5, 120) * 60_000;
    const status: SubscriptionStatusName =
      h.status === 'active' ? 'Active' : h.status === 'suspended' ? 'Suspended' : h.status === 'cancelled' ? 'Cancelled' : 'Inactive';
    const sub: LcSubscription = {
      id: r.guid(),
      name: product.name,
      status,
      accountId: account.id,
      productId: product.id,
      unitId: unit.id,
      quantity: h.quantity,
      currency: account.currency,
      orderId: '',
      startDate: start,
      endDate: h.renewalDate.getTime(),
      activationDate: start,
      automaticRenewal: h.autoRenew,
      isUsageBased: h.product.usageBased,
      createdAt: start,
      updatedAt: Math.min(this.world.anchor.getTime(), start + r.int(0, 200) * DAY_MS),
      characteristics: new Map(),
      customFields: new Map(),
      addons: [],
      billingFrequencyOptionId: null,
      installmentPlanId: null,
    };
    for (const c of product.characteristics) {
      if (c.name === 'Tenant domain') sub.characteristics.set(c.id, company.domain.split('.')[0] ?? company.domain);
      else if (c.name === 'Agreement accepted') sub.characteristics.set(c.id, 'true');
    }
    if (r.bool(0.3)) sub.customFields.set(201, `PO-${r.int(10000, 99999)}`);
    const option = product.billingFrequencyOptions[0];
    if (option && unit.name === 'Annual' && r.bool(0.5)) {
      sub.billingFrequencyOptionId = option.id;
      sub.installmentPlanId = r.guid();
    }
    const price = this.price(product, unit, account.currency);
    const order: LcOrder = {
      id: r.guid(),
      code: this.nextOrderCode(),
      status: 'Executed',
      accountId: account.id,
      contactId: account.contacts[0]?.id ?? 0,
      orderDate,
      createdAt: orderDate,
      updatedAt: start,
      currency: account.currency,
      items: [
        {
          id: r.guid(),
          position: 1,
          productId: product.id,
          unitId: unit.id,
          quantity: h.quantity,
          unitPrice: price.sell,
          unitCost: price.cost,
          relatedSubscriptionId: null,
          relatedItemId: null,
          billingFrequencyOptionId: sub.billingFrequencyOptionId,
          characteristics: new Map(sub.characteristics),
          subscriptionId: sub.id,
        },
      ],
      customFields: new Map(),
    };
    sub.orderId = order.id;
    this.addSubscription(sub);
    this.addOrder(order);
    return { sub, order };
  }

  private seedAddon(r: Rng, h: WorldHolding, product: LcProduct, parent: LcSubscription, order: LcOrder): LcAddon {
    const unit = this.unitById.get(parent.unitId) as LcUnit;
    const price = this.price(product, unit, parent.currency);
    const activation = Math.max(parent.activationDate, h.startDate.getTime() + r.int(8, 17) * 3_600_000);
    const addon: LcAddon = {
      id: r.guid(),
      productId: product.id,
      status: parent.status === 'Cancelled' ? 'Cancelled' : h.status === 'suspended' ? 'Suspended' : 'Active',
      orderId: order.id,
      activationDate: activation,
      quantity: Math.min(h.quantity, parent.quantity),
      createdAt: activation,
    };
    const parentItem = order.items[0];
    order.items.push({
      id: r.guid(),
      position: order.items.length + 1,
      productId: product.id,
      unitId: unit.id,
      quantity: addon.quantity,
      unitPrice: price.sell,
      unitCost: price.cost,
      relatedSubscriptionId: null,
      relatedItemId: parentItem?.id ?? null,
      billingFrequencyOptionId: null,
      characteristics: new Map(),
      subscriptionId: addon.id,
    });
    return addon;
  }

  private seedExtraOrder(r: Rng, account: LcAccount, product: LcProduct, status: OrderStatusName | null, orderDate: number): void {
    const unit = product.units[0] as LcUnit;
    const price = this.price(product, unit, account.currency);
    const quantity = product.catalog.usageBased ? 1 : r.pick([1, 2, 5, 10, 25]);
    this.addOrder({
      id: r.guid(),
      code: this.nextOrderCode(),
      status,
      accountId: account.id,
      contactId: account.contacts[0]?.id ?? 0,
      orderDate,
      createdAt: orderDate,
      updatedAt: orderDate + r.int(0, 3_600_000),
      currency: account.currency,
      items: [
        {
          id: r.guid(),
          position: 1,
          productId: product.id,
          unitId: unit.id,
          quantity,
          unitPrice: price.sell,
          unitCost: price.cost,
          relatedSubscriptionId: null,
          relatedItemId: null,
          billingFrequencyOptionId: null,
          characteristics: new Map(),
          subscriptionId: null,
        },
      ],
      customFields: r.bool(0.5) ? new Map([[301, `PO-${r.int(10000, 99999)}`]]) : new Map(),
    });
  }

  private seedInvoices(r: Rng, account: LcAccount, subs: LcSubscription[]): void {
    const anchor = this.world.anchor;
    let previous: number | null = null;
    for (let m = 3; m >= 1; m--) {
      const d = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - m, 1));
      const invoiceDate = parseLcDate(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01T00:00:00`) ?? d.getTime();
      const nextMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      const periodEnd = (parseLcDate(`${nextMonth.getUTCFullYear()}-${String(nextMonth.getUTCMonth() + 1).padStart(2, '0')}-01T00:00:00`) ?? nextMonth.getTime()) - 1000;
      const items: LcInvoiceItem[] = [];
      const orderIds = new Set<string>();
      for (const sub of subs) {
        if (sub.startDate > invoiceDate || sub.status === 'Inactive') continue;
        const origin = this.orderById.get(sub.orderId);
        if (origin && (previous === null || origin.orderDate > previous)) orderIds.add(sub.orderId);
        const product = this.productById.get(sub.productId) as LcProduct;
        const month = this.units[0] as LcUnit;
        const usage = sub.isUsageBased;
        const price = this.price(product, month, sub.currency);
        const unitPrice = usage ? round2(r.int(40, 3000) + r.int(0, 99) / 100) : price.sell;
        const quantity = usage ? 1 : sub.quantity;
        items.push({
          id: r.guid(),
          position: items.length + 1,
          description: `${product.name} (${usage ? 'usage' : `${quantity} x ${product.catalog.unit.toLowerCase()}`})`,
          productId: product.id,
          subscriptionId: sub.id,
          addonId: null,
          unitId: sub.unitId,
          startDate: invoiceDate,
          endDate: periodEnd,
          unitPrice,
          quantity,
          total: round2(unitPrice * quantity),
          cost: round2((usage ? unitPrice * 0.9 : price.cost) * quantity),
          usage,
        });
        for (const addon of sub.addons) {
          if (addon.activationDate > invoiceDate) continue;
          const ap = this.productById.get(addon.productId) as LcProduct;
          const aprice = this.price(ap, month, sub.currency);
          items.push({
            id: r.guid(),
            position: items.length + 1,
            description: `${ap.name} (${addon.quantity} x ${ap.catalog.unit.toLowerCase()})`,
            productId: ap.id,
            subscriptionId: sub.id,
            addonId: addon.id,
            unitId: sub.unitId,
            startDate: invoiceDate,
            endDate: periodEnd,
            unitPrice: aprice.sell,
            quantity: addon.quantity,
            total: round2(aprice.sell * addon.quantity),
            cost: round2(aprice.cost * addon.quantity),
            usage: false,
          });
        }
      }
      previous = invoiceDate;
      if (items.length === 0) continue;
      const roll = r.next();
      const status: LcInvoice['status'] =
        roll < 0.04 ? 'Canceled' : m === 3 ? 'Paid' : m === 2 ? (roll < 0.8 ? 'Paid' : 'Unpaid') : roll < 0.3 ? 'Paid' : 'Unpaid';
      const paidDate = status === 'Paid' ? Math.min(anchor.getTime() - 3_600_000, invoiceDate + r.int(2, 20) * DAY_MS + r.int(0, 86_399_000)) : null;
      const invoice: LcInvoice = {
        id: r.guid(),
        code: this.nextInvoiceCode(),
        status,
        accountId: account.id,
        invoiceDate,
        dueDate: invoiceDate + 14 * DAY_MS,
        paidDate,
        currency: account.currency,
        items,
        orderIds: [...orderIds],
        customFields: r.bool(0.5) ? new Map([[401, 'true'], [402, `XERO-${r.int(100000, 999999)}`]]) : new Map(),
        createdAt: invoiceDate + r.int(0, 3_600_000),
        updatedAt: paidDate ?? invoiceDate + r.int(3_600_000, 7_200_000),
      };
      this.invoices.push(invoice);
      this.invoiceById.set(invoice.id, invoice);
    }
  }

  taxFor(account: LcAccount): { id: number; name: string; rate: number } | undefined {
    if (!account.flags.taxable) return undefined;
    const country = COUNTRY_BY_ID.get(account.address.countryId);
    return country ? TAXES[country.code] : undefined;
  }
}
