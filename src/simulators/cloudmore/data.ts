/**
 * Cloudmore's in-memory state, seeded from the shared world, and the mapping of records to
 * the wire shapes in models.ts.
 *
 * - Services: the world catalogue grouped by family ("Microsoft 365 (CSP)", "Microsoft
 *   Azure", "Acronis Cyber Protect", ...), each with its products.
 * - Organizations: world.customersOf('cloudmore'), ids from a seeded Rng per company index
 *   (so an organization keeps its id whatever the world size).
 * - Each organization has the services of its holdings and one subscription per holding,
 *   of the kind its service gives: Microsoft 365 holdings are CSP new commerce (NCE)
 *   subscriptions, about a quarter legacy CSP; the Azure holding is an Azure plan, about a
 *   third a legacy Azure subscription instead (product "Microsoft Azure (legacy CSP)",
 *   MS-AZR-0145P, which only Cloudmore's Azure service lists); the rest are custom services.
 * Everything is deterministic for a seed; writes change this state in place.
 */
import { Rng } from '../shared/rng.js';
import type { SimProfile } from '../shared/control.js';
import { addDays, type CatalogProduct, type Currency, type HoldingStatus, type World, type WorldCompany, type WorldHolding } from '../shared/world.js';
import type {
  AzurePlanSubscriptionView,
  EstoreDetailView,
  EstoreView,
  OrganizationAddressView,
  OrganizationContactView,
  OrganizationDetailView,
  OrganizationInvoiceContactView,
  OrganizationServiceDetailView,
  OrganizationServiceView,
  OrganizationView,
  PriceListItemView,
  ProductView,
  ResellerServiceDetailView,
  ResellerServiceView,
  SubscriptionKind,
  SubscriptionStatus,
  SubscriptionView,
} from './models.js';

export const CURRENCIES: readonly Currency[] = ['EUR', 'USD', 'AUD'];

const DAY = 86_400_000;

export interface ServiceRecord {
  id: string;
  name: string;
  vendorName: string;
  family: string;
  category: string;
  type: ResellerServiceView['type'];
  description: string;
  products: ProductRecord[];
}

export interface ProductRecord {
  id: string;
  serviceId: string;
  catalog: CatalogProduct;
  parentProductId: string | null;
}

export interface OrgServiceRecord {
  serviceId: string;
  addedDate: Date;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  customerNumber: string | null;
  registrationNumber: string | null;
  vat: string | null;
  domain: string | null;
  isActive: boolean;
  currencyCode: Currency;
  languageCode: string | null;
  notificationEmail: string | null;
  supportEmail: string | null;
  allowCmpAccess: boolean;
  contact: OrganizationContactView | null;
  address: OrganizationAddressView | null;
  invoiceContact: OrganizationInvoiceContactView | null;
  createdDate: Date;
  modifiedDate: Date;
  /** Keyed by lower-case service id, in the order added. */
  services: Map<string, OrgServiceRecord>;
  /** In creation order, cancelled ones included. */
  subscriptions: SubscriptionRecord[];
}

export interface SubscriptionRecord {
  id: string;
  /** Which endpoints serve it (see SubscriptionKind). */
  kind: SubscriptionKind;
  organizationId: string;
  serviceId: string;
  productId: string;
  name: string;
  quantity: number;
  status: SubscriptionStatus;
  autoRenew: boolean;
  startDate: Date;
  renewalDate: Date | null;
  cancelledDate: Date | null;
  createdDate: Date;
  modifiedDate: Date;
}

export interface CloudmoreStore {
  seed: number;
  anchor: Date;
  services: ServiceRecord[];
  servicesById: Map<string, ServiceRecord>;
  productsById: Map<string, ProductRecord>;
  /** Keyed by lower-case id, in list order (seeded first, then created). */
  organizations: Map<string, OrganizationRecord>;
  /** Keyed by lower-case id. */
  subscriptions: Map<string, SubscriptionRecord>;
  /** Ids for things created at run time (deterministic for a seed and call order). */
  ids: Rng;
}

/** Display names of service families; other families use their own name. */
const SERVICE_NAMES: Record<string, { name: string; category: string; type: ResellerServiceView['type'] }> = {
  'Microsoft 365': { name: 'Microsoft 365 (CSP)', category: 'Productivity', type: 'MicrosoftCsp' },
  Azure: { name: 'Microsoft Azure', category: 'Infrastructure', type: 'MicrosoftAzure' },
  'Acronis Cyber Protect': { name: 'Acronis Cyber Protect', category: 'Backup', type: 'Custom' },
  'Dropbox Business': { name: 'Dropbox Business', category: 'Storage', type: 'Custom' },
  GravityZone: { name: 'Bitdefender GravityZone', category: 'Security', type: 'Custom' },
  'Adobe Document Cloud': { name: 'Adobe Document Cloud', category: 'Productivity', type: 'Custom' },
  Keeper: { name: 'Keeper Security', category: 'Security', type: 'Custom' },
};

/**
 * The legacy CSP Azure offer (pay-as-you-go, before Azure plan). Not in the shared world
 * catalogue: Cloudmore's Azure service lists it beside "Azure plan", and the legacy Azure
 * subscriptions of the seed are subscriptions to it.
 */
const LEGACY_AZURE: Omit<CatalogProduct, 'index'> = {
  name: 'Microsoft Azure (legacy CSP)',
  publisher: 'Microsoft',
  family: 'Azure',
  sku: 'MS-AZR-0145P',
  unit: 'Usage',
  term: 'monthly',
  usageBased: true,
  prices: { AUD: '0.00', EUR: '0.00', USD: '0.00' },
  costs: { AUD: '0.00', EUR: '0.00', USD: '0.00' },
  addonOf: null,
  description: 'Pay-as-you-go Azure subscription under the legacy CSP offer.',
};

/** Share of Microsoft 365 holdings that are legacy CSP (the rest NCE), and of Azure holdings that are legacy Azure (the rest Azure plan). */
const LEGACY_CSP_SHARE = 0.25;
const LEGACY_AZURE_SHARE = 0.35;

/** The kind of subscription a holding becomes, from its service (a separate draw, so ids do not move). */
function kindOf(seed: number, company: WorldCompany, holding: WorldHolding, service: ServiceRecord): SubscriptionKind {
  const draw = () => new Rng(`${seed}:cloudmore:kind:${company.index}:${holding.product.sku}`).next();
  if (service.type === 'MicrosoftCsp') return draw() < LEGACY_CSP_SHARE ? 'csp' : 'nce';
  if (service.type === 'MicrosoftAzure') return draw() < LEGACY_AZURE_SHARE ? 'azure' : 'azureplan';
  return 'custom';
}

const STATUS: Record<HoldingStatus, SubscriptionStatus> = {
  active: 'Active',
  suspended: 'Suspended',
  cancelled: 'Cancelled',
  pending: 'Pending',
};

function splitPhone(phone: string): { prefix: string | null; number: string } {
  const space = phone.indexOf(' ');
  return phone.startsWith('+') && space > 0 ? { prefix: phone.slice(0, space), number: phone.slice(space + 1) } : { prefix: null, number: phone };
}

export function seedStore(world: World): CloudmoreStore {
  const seed = world.seed;
  const services: ServiceRecord[] = [];
  const servicesById = new Map<string, ServiceRecord>();
  const productsById = new Map<string, ProductRecord>();
  const byFamily = new Map<string, ServiceRecord>();
  const productByIndex = new Map<number, ProductRecord>();

  for (const product of world.catalog) {
    let service = byFamily.get(product.family);
    if (!service) {
      const meta = SERVICE_NAMES[product.family] ?? { name: product.family, category: 'Other', type: 'Custom' as const };
      service = {
        id: new Rng(`${seed}:cloudmore:service:${product.family}`).guid(),
        name: meta.name,
        vendorName: product.publisher,
        family: product.family,
        category: meta.category,
        type: meta.type,
        description: `${meta.name} from ${product.publisher}.`,
        products: [],
      };
      byFamily.set(product.family, service);
      services.push(service);
      servicesById.set(service.id, service);
    }
    const record: ProductRecord = {
      id: new Rng(`${seed}:cloudmore:product:${product.sku}`).guid(),
      serviceId: service.id,
      catalog: product,
      parentProductId: null,
    };
    service.products.push(record);
    productsById.set(record.id, record);
    productByIndex.set(product.index, record);
  }
  for (const record of productsById.values()) {
    const parent = record.catalog.addonOf;
    if (parent !== null) record.parentProductId = productByIndex.get(parent)?.id ?? null;
  }
  const azure = byFamily.get(LEGACY_AZURE.family);
  let legacyAzure: ProductRecord | null = null;
  if (azure) {
    legacyAzure = {
      id: new Rng(`${seed}:cloudmore:product:${LEGACY_AZURE.sku}`).guid(),
      serviceId: azure.id,
      catalog: { ...LEGACY_AZURE, index: -1 },
      parentProductId: null,
    };
    azure.products.push(legacyAzure);
    productsById.set(legacyAzure.id, legacyAzure);
  }

  const organizations = new Map<string, OrganizationRecord>();
  const subscriptions = new Map<string, SubscriptionRecord>();
  for (const company of world.customersOf('cloudmore')) {
    const org = seedOrganization(world, company, byFamily, productByIndex, legacyAzure);
    organizations.set(org.id, org);
    for (const sub of org.subscriptions) subscriptions.set(sub.id, sub);
  }

  return {
    seed,
    anchor: world.anchor,
    services,
    servicesById,
    productsById,
    organizations,
    subscriptions,
    ids: new Rng(`${seed}:cloudmore:runtime`),
  };
}

function seedOrganization(
  world: World,
  company: WorldCompany,
  byFamily: Map<string, ServiceRecord>,
  productByIndex: Map<number, ProductRecord>,
  legacyAzure: ProductRecord | null,
): OrganizationRecord {
  const rng = new Rng(`${world.seed}:cloudmore:org:${company.index}`);
  const id = rng.guid();
  const admin = company.contacts.find((c) => c.role === 'admin') ?? company.contacts[0];
  const billing = company.contacts.find((c) => c.role === 'billing') ?? admin;
  const adminPhone = splitPhone(admin?.phone ?? company.phone);
  const companyPhone = splitPhone(company.phone);
  const billingPhone = splitPhone(billing?.phone ?? company.phone);
  const org: OrganizationRecord = {
    id,
    name: company.name,
    customerNumber: company.externalId,
    registrationNumber: company.registrationNumber,
    vat: company.vat,
    domain: company.domain,
    isActive: !rng.bool(0.08),
    currencyCode: company.currency,
    languageCode: company.language.replace('_', '-'),
    notificationEmail: billing?.email ?? null,
    supportEmail: `support@${company.domain}`,
    allowCmpAccess: rng.bool(0.6),
    contact: admin
      ? {
          name: `${admin.firstName} ${admin.lastName}`,
          jobTitle: 'IT Administrator',
          email: admin.email,
          phonePrefix: companyPhone.prefix,
          phone: companyPhone.number,
          cellPhonePrefix: adminPhone.prefix,
          cellPhone: adminPhone.number,
        }
      : null,
    address: {
      address: [company.address.street, company.address.street2].filter(Boolean).join(', '),
      postalCode: company.address.postalCode,
      city: company.address.city,
      countryCode: company.address.countryCode,
    },
    invoiceContact: billing
      ? { name: `${billing.firstName} ${billing.lastName}`, email: billing.email, phonePrefix: billingPhone.prefix, phone: billingPhone.number }
      : null,
    createdDate: company.createdAt,
    modifiedDate: company.createdAt,
    services: new Map(),
    subscriptions: [],
  };

  for (const holding of world.holdings(company, 'cloudmore')) {
    const service = byFamily.get(holding.product.family);
    const catalogProduct = productByIndex.get(holding.product.index);
    if (!service || !catalogProduct) continue;
    const kind = kindOf(world.seed, company, holding, service);
    const product = kind === 'azure' && legacyAzure ? legacyAzure : catalogProduct;
    const existing = org.services.get(service.id);
    if (!existing) org.services.set(service.id, { serviceId: service.id, addedDate: holding.startDate });
    else if (holding.startDate < existing.addedDate) existing.addedDate = holding.startDate;
    const status = STATUS[holding.status];
    let cancelledDate: Date | null = null;
    if (status === 'Cancelled') {
      const days = Math.max(0, Math.floor((world.anchor.getTime() - holding.startDate.getTime()) / DAY));
      cancelledDate = addDays(holding.startDate, rng.int(0, days));
    }
    org.subscriptions.push({
      id: rng.guid(),
      kind,
      organizationId: id,
      serviceId: service.id,
      productId: product.id,
      name: product.catalog.name,
      quantity: holding.quantity,
      status,
      autoRenew: holding.autoRenew,
      startDate: holding.startDate,
      renewalDate: status === 'Cancelled' ? null : holding.renewalDate,
      cancelledDate,
      createdDate: holding.startDate,
      modifiedDate: cancelledDate ?? holding.startDate,
    });
  }
  return org;
}

// ---- record → wire shape ---------------------------------------------------------------

const iso = (d: Date) => d.toISOString();
export const money = (n: number) => Math.round(n * 100) / 100;

export function organizationView(o: OrganizationRecord): OrganizationView {
  return {
    id: o.id,
    name: o.name,
    customerNumber: o.customerNumber,
    registrationNumber: o.registrationNumber,
    vat: o.vat,
    domain: o.domain,
    isActive: o.isActive,
    currencyCode: o.currencyCode,
    countryCode: o.address?.countryCode ?? null,
    createdDate: iso(o.createdDate),
  };
}

export function organizationDetailView(o: OrganizationRecord): OrganizationDetailView {
  return {
    ...organizationView(o),
    notificationEmail: o.notificationEmail,
    supportEmail: o.supportEmail,
    languageCode: o.languageCode,
    allowCmpAccess: o.allowCmpAccess,
    contact: o.contact ? { ...o.contact } : null,
    address: o.address ? { ...o.address } : null,
    invoiceContact: o.invoiceContact ? { ...o.invoiceContact } : null,
    modifiedDate: iso(o.modifiedDate),
  };
}

export function serviceView(s: ServiceRecord): ResellerServiceView {
  return { id: s.id, name: s.name, vendorName: s.vendorName, category: s.category, type: s.type, description: s.description, isActive: true };
}

export function productView(p: ProductRecord): ProductView {
  return {
    id: p.id,
    name: p.catalog.name,
    description: p.catalog.description,
    itemCode: p.catalog.sku,
    unit: p.catalog.unit,
    billingFrequency: 'Monthly',
    commitment: p.catalog.term === 'annual' ? 'Annual' : 'Monthly',
    usageBased: p.catalog.usageBased,
    isAddon: p.catalog.addonOf !== null,
    parentProductId: p.parentProductId,
  };
}

export function serviceDetailView(s: ServiceRecord): ResellerServiceDetailView {
  return { ...serviceView(s), products: s.products.map(productView) };
}

export function estoreView(s: ServiceRecord): EstoreView {
  return { id: s.id, name: s.name, vendorName: s.vendorName, category: s.category, description: s.description };
}

export function estoreDetailView(s: ServiceRecord): EstoreDetailView {
  return { ...estoreView(s), products: s.products.map(productView) };
}

export function organizationServiceView(o: OrganizationRecord, os: OrgServiceRecord, s: ServiceRecord): OrganizationServiceView {
  return {
    id: s.id,
    serviceId: s.id,
    organizationId: o.id,
    name: s.name,
    vendorName: s.vendorName,
    category: s.category,
    status: 'Active',
    addedDate: iso(os.addedDate),
  };
}

export function organizationServiceDetailView(o: OrganizationRecord, os: OrgServiceRecord, s: ServiceRecord): OrganizationServiceDetailView {
  const subs = o.subscriptions.filter((x) => x.serviceId === s.id);
  return {
    ...organizationServiceView(o, os, s),
    subscriptionCount: subs.length,
    activeSubscriptionCount: subs.filter((x) => x.status !== 'Cancelled').length,
  };
}

export function unitPrice(p: ProductRecord, currency: Currency): number {
  return money(Number(p.catalog.prices[currency]));
}

export function unitCost(p: ProductRecord, currency: Currency): number {
  return money(Number(p.catalog.costs[currency]));
}

export function priceListItemView(p: ProductRecord, currencies: readonly Currency[]): PriceListItemView {
  const v = productView(p);
  return {
    productId: p.id,
    serviceId: p.serviceId,
    name: v.name,
    itemCode: v.itemCode,
    description: v.description,
    unit: v.unit,
    commitment: v.commitment,
    usageBased: v.usageBased,
    isAddon: v.isAddon,
    parentProductId: v.parentProductId,
    prices: currencies.map((c) => ({ currencyCode: c, price: unitPrice(p, c), cost: unitCost(p, c) })),
  };
}

/**
 * A subscription row. Only `extended` says whose it is (organizationId, organizationName,
 * serviceId: named by no source [U]); `documented` leaves ownership to the path.
 */
export function subscriptionView(store: CloudmoreStore, s: SubscriptionRecord, profile: SimProfile): SubscriptionView {
  const org = store.organizations.get(s.organizationId);
  const product = store.productsById.get(s.productId);
  const currency = org?.currencyCode ?? 'EUR';
  const owner = profile === 'extended' ? { organizationId: s.organizationId, organizationName: org?.name ?? '', serviceId: s.serviceId } : {};
  return {
    id: s.id,
    ...owner,
    productId: s.productId,
    productName: product?.catalog.name ?? '',
    itemCode: product?.catalog.sku ?? '',
    name: s.name,
    quantity: s.quantity,
    status: s.status,
    unitPrice: product ? unitPrice(product, currency) : 0,
    currencyCode: currency,
    autoRenew: s.autoRenew,
    startDate: iso(s.startDate),
    renewalDate: s.renewalDate ? iso(s.renewalDate) : null,
    cancelledDate: s.cancelledDate ? iso(s.cancelledDate) : null,
    createdDate: iso(s.createdDate),
    modifiedDate: iso(s.modifiedDate),
  };
}

/** An Azure plan subscription with its one entitlement (the Azure subscription under the plan) [U shape]. */
export function azurePlanView(store: CloudmoreStore, s: SubscriptionRecord, profile: SimProfile): AzurePlanSubscriptionView {
  const entitlement = new Rng(`${store.seed}:cloudmore:entitlement:${s.id}`).guid();
  return { ...subscriptionView(store, s, profile), entitlements: [{ id: entitlement, friendlyName: 'Azure subscription 1', status: s.status }] };
}
