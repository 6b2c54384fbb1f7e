/**
 * Deterministic seed data for the Ingram simulator, derived only from the shared world:
 * resellers, customers (world.customersOf('ingram')), the catalogue mapped to MPNs,
 * service plans, subscriptions (world.holdings), orders in every state, and reports.
 */
import { Rng } from '../shared/rng.js';
import type { CatalogProduct, Currency, HoldingStatus, World, WorldCompany } from '../shared/world.js';
import {
  DAY_MS,
  addPeriod,
  toUnits,
  type AccountStatus,
  type BillingModel,
  type ContactPerson,
  type CustomerRecord,
  type OrderLine,
  type OrderRecord,
  type OrderStatus,
  type OrderType,
  type Period,
  type ProductRecord,
  type ReportRecord,
  type ResellerRecord,
  type SubscriptionRecord,
  type SubscriptionStatus,
} from './model.js';
import { IngramStore } from './store.js';

const CURRENCIES: Currency[] = ['USD', 'EUR', 'AUD'];

const RESELLERS: Array<{ name: string; city: string; state: string; postalCode: string; street: string }> = [
  { name: 'Demo MSP Inc.', city: 'Irvine', state: 'CA', postalCode: '92612', street: '555 Main Street' },
  { name: 'Northbridge Cloud Partners LLC', city: 'Austin', state: 'TX', postalCode: '78701', street: '301 Congress Ave' },
  { name: 'Bluewave IT Services Inc.', city: 'Seattle', state: 'WA', postalCode: '98101', street: '1200 5th Ave' },
  { name: 'Summit Managed IT LLC', city: 'Denver', state: 'CO', postalCode: '80202', street: '1600 Broadway' },
  { name: 'Harbourside Technology Group Inc.', city: 'Boston', state: 'MA', postalCode: '02108', street: '10 Tremont St' },
  { name: 'Ironclad MSP LLC', city: 'Chicago', state: 'IL', postalCode: '60601', street: '200 E Randolph St' },
  { name: 'Pacific Edge Solutions Inc.', city: 'Portland', state: 'OR', postalCode: '97204', street: '707 SW Washington St' },
  { name: 'Redwood Digital LLC', city: 'Sacramento', state: 'CA', postalCode: '95814', street: '980 9th St' },
];
const RESELLER_CONTACTS: Array<[string, string]> = [
  ['Jordan', 'Reyes'], ['Morgan', 'Blake'], ['Casey', 'Nguyen'], ['Riley', 'Park'], ['Avery', 'Collins'],
  ['Quinn', 'Foster'], ['Drew', 'Hayes'], ['Skyler', 'Brooks'],
];

const SERVICE_NAMES: Record<string, string> = {
  'Microsoft 365': 'MICROSOFT_NCE',
  Azure: 'AZURE_PLAN',
  'Acronis Cyber Protect': 'ACRONIS_CYBER_CLOUD',
  'Dropbox Business': 'DROPBOX_BUSINESS',
  GravityZone: 'BITDEFENDER_GRAVITYZONE',
  'Adobe Document Cloud': 'ADOBE_VIP_MP',
  Keeper: 'KEEPER_SECURITY',
};

const MONTH: Period = { type: 'month', duration: 1 };
const YEAR: Period = { type: 'year', duration: 1 };

interface Variant {
  suffix: string;
  label: string;
  billingPeriod: Period;
  subscriptionPeriod: Period;
}

/**
 * Microsoft NCE MPNs follow `<productId>:<skuId>_<term>_<billing>`: `_P1Y_A` (1-year term,
 * billed annually), `_P1Y_M` (1-year term, billed monthly), `_P1M_M` (1-month term).
 * Azure plan is `<sku>_AZURE`; other vendors' MPNs are their SKU. [I: mirrors how Ingram
 * lists NCE offers; the spec's own example is `d903a2db-…_ANNUAL`.]
 */
function variantsOf(product: CatalogProduct): Variant[] {
  if (product.publisher !== 'Microsoft') {
    const annual = product.term === 'annual';
    return [{ suffix: '', label: '', billingPeriod: annual ? YEAR : MONTH, subscriptionPeriod: annual ? YEAR : MONTH }];
  }
  if (product.usageBased) return [{ suffix: '_AZURE', label: '', billingPeriod: MONTH, subscriptionPeriod: MONTH }];
  if (product.term === 'annual') {
    return [
      { suffix: '_P1Y_A', label: ' (NCE, 1 year, annual billing)', billingPeriod: YEAR, subscriptionPeriod: YEAR },
      { suffix: '_P1Y_M', label: ' (NCE, 1 year, monthly billing)', billingPeriod: MONTH, subscriptionPeriod: YEAR },
    ];
  }
  return [{ suffix: '_P1M_M', label: ' (NCE, 1 month, monthly billing)', billingPeriod: MONTH, subscriptionPeriod: MONTH }];
}

function buildCatalog(store: IngramStore, world: World): Map<number, ProductRecord[]> {
  const byCatalog = new Map<number, ProductRecord[]>();
  let productSeq = 326_500;
  for (const item of world.catalog) {
    const planId = 10_001 + item.index;
    const variants = variantsOf(item);
    const family = SERVICE_NAMES[item.family] ?? item.family.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    const records: ProductRecord[] = [];
    for (const v of variants) {
      const months = v.billingPeriod.type === 'year' ? 12 : 1;
      const price = {} as Record<Currency, number>;
      const cost = {} as Record<Currency, number>;
      for (const c of CURRENCIES) {
        price[c] = toUnits(item.prices[c]) * months;
        cost[c] = toUnits(item.costs[c]) * months;
      }
      const billingModel: BillingModel = item.usageBased ? 'chargeExternalRating' : 'chargeBeforeBillingPeriod';
      records.push({
        id: `PRD${++productSeq}`,
        mpn: `${item.sku}${v.suffix}`,
        vendor: item.publisher,
        serviceName: family,
        name: `${item.name}${v.label}`,
        baseName: item.name,
        planId,
        catalogIndex: item.index,
        usageBased: item.usageBased,
        minimumQuantity: 1,
        maximumQuantity: item.usageBased ? 1 : item.publisher === 'Microsoft' && item.name.includes('Business') ? 300 : 10_000,
        price,
        cost,
        billingPeriod: v.billingPeriod,
        subscriptionPeriod: v.subscriptionPeriod,
        billingModel,
        dependsOn: [],
      });
    }
    byCatalog.set(item.index, records);
    store.plans.set(String(planId), {
      id: String(planId),
      name: item.name,
      shortDescription: item.description,
      longDescription: `${item.name} by ${item.publisher}. ${item.description} Sold per ${item.unit.toLowerCase()}.`,
      published: true,
      catalogIndex: item.index,
      family: item.family,
      subscriptionPeriods: variants
        .map((v) => v.subscriptionPeriod)
        .filter((p, i, all) => all.findIndex((q) => q.type === p.type && q.duration === p.duration) === i),
      billingPeriod: variants[variants.length - 1]?.billingPeriod ?? MONTH,
      billingModel: item.usageBased ? 'chargeExternalRating' : 'chargeBeforeBillingPeriod',
    });
  }
  // Add-ons depend on their primary product.
  for (const item of world.catalog) {
    if (item.addonOf === null) continue;
    const primary = byCatalog.get(item.addonOf)?.[0];
    if (!primary) continue;
    for (const p of byCatalog.get(item.index) ?? []) p.dependsOn = [{ mpn: primary.mpn, id: primary.id }];
  }
  for (const records of byCatalog.values()) for (const p of records) store.addProduct(p);
  return byCatalog;
}

function contactsOf(company: WorldCompany): ContactPerson[] {
  return company.contacts.map((c) => ({
    type: c.role,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phoneNumber: c.phone,
  }));
}

function accountStatus(rng: Rng): AccountStatus {
  const roll = rng.next();
  return roll < 0.9 ? 'active' : roll < 0.94 ? 'creditHold' : roll < 0.97 ? 'pending' : roll < 0.99 ? 'adminHold' : 'cancelled';
}

const SUB_STATUS: Record<HoldingStatus, SubscriptionStatus> = {
  active: 'active',
  suspended: 'hold',
  cancelled: 'terminated',
  pending: 'pending',
};

interface PendingOrder {
  createdAt: number;
  type: OrderType;
  customer: CustomerRecord;
  status: OrderStatus;
  lines: OrderLine[];
  subscription?: SubscriptionRecord;
  poNumber?: string;
}

export function seedStore(world: World): IngramStore {
  const store = new IngramStore(world.seed);
  const rng = new Rng(`${world.seed}:ingram:seed`);
  const anchor = world.anchor.getTime();
  const byCatalog = buildCatalog(store, world);

  // Resellers: the demo API user's own account first, then a few sub-resellers.
  const companies = world.customersOf('ingram');
  const resellerCount = Math.min(RESELLERS.length, 3 + Math.floor(companies.length / 250));
  const resellers: ResellerRecord[] = [];
  for (let i = 0; i < resellerCount; i++) {
    const r = RESELLERS[i] as (typeof RESELLERS)[number];
    const [firstName, lastName] = RESELLER_CONTACTS[i] ?? ['Alex', 'Smith'];
    const domain = `${r.name.toLowerCase().replace(/ (inc\.|llc)$/, '').replace(/[^a-z0-9]+/g, '')}.com`;
    const reseller: ResellerRecord = {
      id: store.accountId(),
      externalId: `RES-${String(i + 1).padStart(4, '0')}`,
      attributes: {},
      status: 'active',
      name: r.name,
      address: { streetAddress: r.street, postalCode: r.postalCode, city: r.city, state: r.state, countryCode: 'US' },
      contactPersons: (['admin', 'billing', 'technical'] as const).map((type) => ({
        type,
        firstName,
        lastName,
        email: `${type}@${domain}`,
        phoneNumber: `+1 ${rng.int(200, 989)} ${rng.int(200, 989)} ${rng.int(1000, 9999)}`,
      })),
      language: 'en_US',
      taxRegId: `${rng.int(10, 99)}-${rng.int(1000000, 9999999)}`,
      currency: 'USD',
      taxationProviderName: 'Vertex',
      customerClass: 'Default',
    };
    resellers.push(reseller);
    store.resellers.set(reseller.id, reseller);
  }
  store.ownResellerId = resellers[0]?.id ?? '';

  // Customers, in the order they joined, so ids grow with age (newest = highest id).
  const joined = [...companies].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.index - b.index);
  const customerOf = new Map<WorldCompany, CustomerRecord>();
  for (const company of joined) {
    const reseller = rng.bool(0.6) ? resellers[0] : rng.pick(resellers);
    const a = company.address;
    const customer: CustomerRecord = {
      id: store.accountId(),
      externalId: company.externalId,
      attributes: {},
      status: accountStatus(rng),
      name: company.name,
      address: {
        streetAddress: a.street,
        ...(a.street2 ? { addressExtension: a.street2 } : {}),
        postalCode: a.postalCode,
        city: a.city,
        ...(a.stateCode ? { state: a.stateCode } : {}),
        countryCode: a.countryCode,
      },
      contactPersons: contactsOf(company),
      language: company.language,
      taxRegId: company.vat,
      resellerId: reseller?.id ?? '',
      currency: company.currency,
    };
    customerOf.set(company, customer);
    store.customers.set(customer.id, customer);
  }

  // Subscriptions from holdings, ids in order of creation.
  const pendingSubs: Array<{ sub: Omit<SubscriptionRecord, 'id'>; customer: CustomerRecord; holdingStatus: HoldingStatus }> = [];
  for (const company of joined) {
    const customer = customerOf.get(company) as CustomerRecord;
    for (const holding of world.holdings(company, 'ingram')) {
      const variants = byCatalog.get(holding.product.index) ?? [];
      const product = (variants.length > 1 && rng.bool(0.3) ? variants[1] : variants[0]) as ProductRecord;
      const createdAt = holding.startDate.getTime();
      const status = SUB_STATUS[holding.status];
      const listPrice = product.price[customer.currency];
      // One in ten subscriptions carries a special (discounted) price.
      const unitPrice = rng.bool(0.1) ? Math.round((listPrice * 0.95) / 100) * 100 : listPrice;
      const renewalDate = holding.renewalDate.getTime();
      const terminatedAt = Math.min(anchor - DAY_MS, createdAt + rng.int(1, 200) * DAY_MS);
      const line = store.subscriptionLine(product, holding.quantity, unitPrice, customer.currency);
      pendingSubs.push({
        customer,
        holdingStatus: holding.status,
        sub: {
          customerId: customer.id,
          name: product.baseName,
          status,
          attributes: rng.bool(0.2) ? { costCenter: `CC-${rng.int(100, 999)}` } : {},
          renewalStatus: status === 'terminated' ? false : holding.autoRenew,
          createdAt,
          renewalDate,
          lastModified: Math.min(anchor, createdAt + rng.int(0, 120) * DAY_MS),
          expirationDate: status === 'terminated' ? Math.max(createdAt, terminatedAt) : renewalDate,
          billingModel: product.billingModel,
          billingPeriod: product.billingPeriod,
          subscriptionPeriod: product.subscriptionPeriod,
          planId: product.planId,
          currency: customer.currency,
          lines: [line],
          orderParameters: [],
          fulfillmentParameters: [],
        },
      });
    }
  }
  pendingSubs.sort((a, b) => a.sub.createdAt - b.sub.createdAt);

  const pendingOrders: PendingOrder[] = [];
  for (const { sub: draft, customer } of pendingSubs) {
    const sub: SubscriptionRecord = { id: store.subscriptionId(), ...draft };
    store.subscriptions.set(sub.id, sub);
    const line = sub.lines[0] as SubscriptionRecord['lines'][number];
    let initialQuantity = line.quantity;
    // Some subscriptions grew through a change order.
    if (sub.status === 'active' && line.quantity > 2 && rng.bool(0.15)) {
      initialQuantity = Math.max(1, Math.floor(line.quantity / 2));
      const at = Math.min(anchor - DAY_MS, sub.createdAt + rng.int(5, 90) * DAY_MS);
      pendingOrders.push({
        createdAt: Math.max(sub.createdAt + DAY_MS, at),
        type: 'change',
        customer,
        status: 'completed',
        subscription: sub,
        lines: [orderLine(line.product, line.quantity, line.unitPrice, line.quantity - initialQuantity, sub.id)],
      });
    }
    pendingOrders.push({
      createdAt: sub.createdAt,
      type: 'sales',
      customer,
      status: 'completed',
      subscription: sub,
      poNumber: rng.bool(0.5) ? `PO${rng.int(10000, 99999)}` : undefined,
      lines: [orderLine(line.product, initialQuantity, line.unitPrice, initialQuantity, sub.id)],
    });
    if (sub.status === 'terminated') {
      pendingOrders.push({
        createdAt: sub.expirationDate,
        type: 'cancellation',
        customer,
        status: 'completed',
        subscription: sub,
        lines: [orderLine(line.product, line.quantity, line.unitPrice, 0, sub.id)],
      });
    }
  }

  // A handful of orders that are still open or ended badly (frozen: they do not move).
  const orderable = [...store.customers.values()].filter((c) => c.status === 'active');
  const primaries = store.products.filter((p) => p.dependsOn.length === 0 && !p.usageBased);
  const openCount = orderable.length === 0 ? 0 : Math.max(4, Math.floor(orderable.length / 12));
  const openStatuses: OrderStatus[] = ['submitted', 'processing', 'error', 'cancelled'];
  for (let i = 0; i < openCount; i++) {
    const customer = rng.pick(orderable);
    const product = rng.pick(primaries);
    const quantity = rng.pick([1, 2, 5, 10, 25]);
    pendingOrders.push({
      createdAt: anchor - rng.int(1, 72 * 60) * 60_000,
      type: 'sales',
      customer,
      status: openStatuses[i % openStatuses.length] as OrderStatus,
      poNumber: rng.bool(0.5) ? `PO${rng.int(10000, 99999)}` : undefined,
      lines: [orderLine(product, quantity, product.price[customer.currency], quantity)],
    });
  }
  pendingOrders.sort((a, b) => a.createdAt - b.createdAt);
  for (const p of pendingOrders) {
    const { id, orderNumber } = store.orderIds();
    const order: OrderRecord = {
      id,
      orderNumber,
      type: p.type,
      customerId: p.customer.id,
      ...(p.poNumber ? { poNumber: p.poNumber } : {}),
      createdAt: p.createdAt,
      status: p.status,
      live: false,
      startedAt: p.createdAt,
      ...(p.status === 'completed' ? { provisionedAt: p.createdAt + rng.int(60, 900) * 1000 } : {}),
      creditCheck: p.status !== 'error' || rng.bool(0.5),
      attributes: {},
      ...(p.subscription ? { subscriptionId: p.subscription.id } : {}),
      currency: p.customer.currency,
      lines: p.lines,
    };
    store.addOrder(order);
  }

  seedReports(store, rng, anchor);
  return store;
}

function orderLine(product: ProductRecord, quantity: number, unitPrice: number, charged: number, subscriptionId?: string): OrderLine {
  return { product, quantity, unitPrice, chargedQuantity: charged, ...(subscriptionId ? { subscriptionId } : {}), parameters: [] };
}

function seedReports(store: IngramStore, rng: Rng, anchor: number): void {
  const reports: ReportRecord[] = [];
  const anchorDate = new Date(anchor);
  // Monthly rated-data reports for the last six months.
  for (let m = 6; m >= 1; m--) {
    const start = Date.UTC(anchorDate.getUTCFullYear(), anchorDate.getUTCMonth() - m, 1);
    const end = addPeriod(start, { type: 'month', duration: 1 }) - 1000;
    reports.push({
      id: rng.guid(),
      name: `Monthly rated data ${new Date(start).toISOString().slice(0, 7)}`,
      type: 'monthly',
      format: 'csv',
      createdAt: end + 1000 + rng.int(2, 6) * 3_600_000,
      startDate: start,
      endDate: end,
      fixedStatus: 'completed',
    });
  }
  const oneTime: Array<[string, ReportRecord['format'], ReportRecord['type'], ReportRecord['fixedStatus'], number]> = [
    ['Daily usage', 'json', 'daily', 'completed', 2],
    ['Customer billing export', 'xlsx', 'onetime', 'error', 5],
    ['Invoice reconciliation', 'xml', 'on_invoice', 'completed', 9],
    ['Quarterly usage review', 'csv', 'periodic', 'processing', 1],
    ['Ad-hoc export', 'json', 'onetime', 'submitted', 0],
  ];
  for (const [name, format, type, status, daysAgo] of oneTime) {
    const createdAt = anchor - daysAgo * DAY_MS - rng.int(1, 600) * 60_000;
    const start = createdAt - 30 * DAY_MS;
    reports.push({
      id: rng.guid(),
      name,
      ...(type === 'onetime' ? { customizationName: 'Default' } : {}),
      type,
      format,
      createdAt,
      startDate: start - (start % DAY_MS),
      endDate: createdAt - (createdAt % DAY_MS) - 1000,
      fixedStatus: status,
    });
  }
  for (const r of reports) store.reports.set(r.id, r);
}
