/**
 * The simulated MSP world every vendor simulator draws from: companies (with addresses and
 * contacts), a product catalogue of real-looking SKUs, and what each company holds at
 * each distributor. Companies partly overlap across vendors (same name, domain and
 * externalId at two or three distributors), as they do in real MSP life.
 *
 * Everything is derived from `seed` and `size` only, so the same options always give the
 * same world. Generation is linear in `size` (about 10 ms per thousand companies).
 */
import { Rng } from './rng.js';

export type VendorKey = 'leadercloud' | 'cloudmore' | 'ingram';
export const VENDOR_KEYS: readonly VendorKey[] = ['leadercloud', 'cloudmore', 'ingram'];

export type Currency = 'AUD' | 'EUR' | 'USD';

export interface WorldContact {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  role: 'admin' | 'billing' | 'technical';
}

export interface WorldAddress {
  street: string;
  street2: string | null;
  city: string;
  postalCode: string;
  state: string | null;
  stateCode: string | null;
  country: string;
  countryCode: string;
}

export interface WorldCompany {
  /** 0-based position in the world, stable for a seed. */
  index: number;
  name: string;
  domain: string;
  externalId: string;
  registrationNumber: string;
  vat: string;
  phone: string;
  currency: Currency;
  language: string;
  address: WorldAddress;
  contacts: WorldContact[];
  createdAt: Date;
  vendors: VendorKey[];
}

export type BillingTerm = 'monthly' | 'annual';

export interface CatalogProduct {
  index: number;
  name: string;
  publisher: string;
  family: string;
  /** The publisher's SKU, e.g. a Microsoft CSP product id `CFQ7TTC0LH18:0001`. */
  sku: string;
  unit: string;
  term: BillingTerm;
  /** Usage-based (Azure) products have no seat count and no fixed price. */
  usageBased: boolean;
  /** Monthly list price per unit, as decimal strings, per currency. */
  prices: Record<Currency, string>;
  /** Cost to the reseller (about 85% of list), per currency. */
  costs: Record<Currency, string>;
  /** The index of the primary product this add-on attaches to, if it is an add-on. */
  addonOf: number | null;
  description: string;
}

export type HoldingStatus = 'active' | 'suspended' | 'cancelled' | 'pending';

export interface WorldHolding {
  product: CatalogProduct;
  quantity: number;
  status: HoldingStatus;
  startDate: Date;
  renewalDate: Date;
  autoRenew: boolean;
}

export interface World {
  seed: number;
  size: number;
  anchor: Date;
  companies: WorldCompany[];
  catalog: CatalogProduct[];
  /** The companies present at a vendor, in world order. */
  customersOf(vendor: VendorKey): WorldCompany[];
  /** What a company holds at a vendor (deterministic, computed on demand). */
  holdings(company: WorldCompany, vendor: VendorKey): WorldHolding[];
}

export interface WorldOptions {
  seed?: number;
  /** Number of companies in the world (each present at one to three vendors). */
  size?: number;
  /** The simulated "today" that seed dates are relative to. */
  anchor?: Date;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_SIZE = 60;
export const DEFAULT_ANCHOR = new Date('2026-11-01T00:00:00Z');

const PREFIXES = [
  'Acme', 'Blue Gum', 'Harbour', 'Kestrel', 'Southern Cross', 'Northwind', 'Contoso', 'Fabrikam', 'Wattle',
  'Ironbark', 'Redback', 'Coral Bay', 'Silver Fern', 'Granite', 'Lakeside', 'Summit', 'Riverbend', 'Pinnacle',
  'Meridian', 'Evergreen', 'Sandstone', 'Brightwater', 'Oakridge', 'Bluestone', 'Kookaburra', 'Tidewater',
  'Alpine', 'Boab', 'Cedar', 'Driftwood', 'Eastgate', 'Fernhill', 'Goldfield', 'Highland', 'Jarrah', 'Koala',
  'Lighthouse', 'Mallee', 'Nimbus', 'Outback', 'Paperbark', 'Quokka', 'Rosella', 'Saltbush', 'Tasman', 'Uluru',
  'Vantage', 'Westwind', 'Yarra', 'Zenith',
];
const TRADES = [
  'Accounting', 'Legal', 'Dental', 'Logistics', 'Engineering', 'Architects', 'Medical Centre', 'Plumbing',
  'Realty', 'Consulting', 'Freight', 'Veterinary', 'Pharmacy', 'Builders', 'Electrical', 'Travel', 'Insurance',
  'Marketing', 'Design Studio', 'Manufacturing', 'Wines', 'Hospitality', 'Education', 'Finance', 'IT Services',
];
const SUFFIXES = ['Pty Ltd', 'Ltd', 'GmbH', 'Inc.', 'LLC', 'B.V.', 'Group', 'Partners'];

const FIRST = [
  'Olivia', 'Jack', 'Charlotte', 'Noah', 'Amelia', 'William', 'Isla', 'Oliver', 'Mia', 'Thomas', 'Grace', 'James',
  'Chloe', 'Lucas', 'Sophie', 'Henry', 'Emily', 'Leo', 'Zoe', 'Ethan', 'Hannah', 'Max', 'Lena', 'Felix', 'Anna',
  'Lukas', 'Sarah', 'Daniel', 'Priya', 'Wei', 'Aisha', 'Mateo',
];
const LAST = [
  'Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Nguyen', 'Johnson', 'Martin', 'White', 'Anderson',
  'Walker', 'Thompson', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'de Vries', 'Jansen', 'Garcia', 'Miller',
  'Davis', 'Patel', 'Chen', 'Kelly', "O'Brien", 'Ryan', 'Murphy', 'Clarke', 'Singh',
];
const STREETS = [
  'George St', 'Collins St', 'Queen St', 'King William St', 'Hay St', 'Elizabeth St', 'Pitt St', 'Bourke St',
  'Adelaide St', 'Murray St', 'Main St', 'Market St', 'High St', 'Station Rd', 'Church St', 'Park Ave',
];

interface Region {
  country: string;
  countryCode: string;
  currency: Currency;
  language: string;
  phonePrefix: string;
  cities: Array<[city: string, state: string | null, stateCode: string | null, postcode: string]>;
}

const REGIONS: Region[] = [
  {
    country: 'Australia', countryCode: 'AU', currency: 'AUD', language: 'en_US', phonePrefix: '+61',
    cities: [
      ['Sydney', 'New South Wales', 'NSW', '2000'], ['Melbourne', 'Victoria', 'VIC', '3000'],
      ['Brisbane', 'Queensland', 'QLD', '4000'], ['Perth', 'Western Australia', 'WA', '6000'],
      ['Adelaide', 'South Australia', 'SA', '5000'], ['Hobart', 'Tasmania', 'TAS', '7000'],
      ['Canberra', 'Australian Capital Territory', 'ACT', '2600'],
    ],
  },
  {
    country: 'Germany', countryCode: 'DE', currency: 'EUR', language: 'de_DE', phonePrefix: '+49',
    cities: [['Berlin', null, null, '10115'], ['Munich', 'Bavaria', 'BY', '80331'], ['Hamburg', null, null, '20095']],
  },
  {
    country: 'Netherlands', countryCode: 'NL', currency: 'EUR', language: 'nl_NL', phonePrefix: '+31',
    cities: [['Amsterdam', null, null, '1012'], ['Rotterdam', null, null, '3011'], ['Utrecht', null, null, '3511']],
  },
  {
    country: 'United States', countryCode: 'US', currency: 'USD', language: 'en_US', phonePrefix: '+1',
    cities: [
      ['Austin', 'Texas', 'TX', '78701'], ['Seattle', 'Washington', 'WA', '98101'],
      ['Denver', 'Colorado', 'CO', '80202'], ['Boston', 'Massachusetts', 'MA', '02108'],
    ],
  },
];

interface CatalogSeed {
  name: string;
  publisher: string;
  family: string;
  sku: string;
  unit: string;
  term: BillingTerm;
  usd: number | null;
  addonOf?: string;
  description: string;
}

/** Real-looking catalogue: Microsoft CSP product ids, Acronis, Dropbox and friends. */
const CATALOG: CatalogSeed[] = [
  { name: 'Microsoft 365 Business Basic', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LH18:0001', unit: 'Licenses', term: 'annual', usd: 6.0, description: 'Web and mobile Office apps, Teams, 1 TB OneDrive, business email.' },
  { name: 'Microsoft 365 Business Standard', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LDPB:0001', unit: 'Licenses', term: 'annual', usd: 12.5, description: 'Desktop Office apps plus everything in Business Basic.' },
  { name: 'Microsoft 365 Business Premium', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LCHC:0002', unit: 'Licenses', term: 'annual', usd: 22.0, description: 'Business Standard plus advanced security and device management.' },
  { name: 'Microsoft 365 E3', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LFLX:0001', unit: 'Licenses', term: 'annual', usd: 36.0, description: 'Enterprise productivity and security suite.' },
  { name: 'Microsoft 365 E5', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LFLZ:0002', unit: 'Licenses', term: 'annual', usd: 57.0, description: 'Enterprise suite with advanced security, compliance and analytics.' },
  { name: 'Office 365 E3', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LF8Q:0001', unit: 'Licenses', term: 'monthly', usd: 23.0, description: 'Office apps and services for enterprises.' },
  { name: 'Exchange Online (Plan 1)', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0LH16:0001', unit: 'Licenses', term: 'monthly', usd: 4.0, description: 'Business-class email with 50 GB mailbox.' },
  { name: 'Microsoft Teams Essentials', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0RM8K:0001', unit: 'Licenses', term: 'monthly', usd: 4.0, description: 'Online meetings and chat for small businesses.' },
  { name: 'Power BI Pro', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0L3PB:0001', unit: 'Licenses', term: 'annual', usd: 10.0, addonOf: 'CFQ7TTC0LFLX:0001', description: 'Self-service analytics and reporting.' },
  { name: 'Visio Plan 2', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0HD33:0002', unit: 'Licenses', term: 'annual', usd: 15.0, addonOf: 'CFQ7TTC0LDPB:0001', description: 'Diagramming with the Visio desktop app.' },
  { name: 'Microsoft Defender for Business', publisher: 'Microsoft', family: 'Microsoft 365', sku: 'CFQ7TTC0HCHD:0001', unit: 'Licenses', term: 'annual', usd: 3.0, addonOf: 'CFQ7TTC0LDPB:0001', description: 'Endpoint security for businesses up to 300 users.' },
  { name: 'Azure plan', publisher: 'Microsoft', family: 'Azure', sku: 'DZH318Z0BPS6:0001', unit: 'Usage', term: 'monthly', usd: null, description: 'Pay-as-you-go Azure consumption.' },
  { name: 'Acronis Cyber Protect Cloud - Workstation', publisher: 'Acronis', family: 'Acronis Cyber Protect', sku: 'ACR-CPC-WKS-M', unit: 'Workloads', term: 'monthly', usd: 5.5, description: 'Backup and cyber protection per workstation.' },
  { name: 'Acronis Cyber Protect Cloud - Server', publisher: 'Acronis', family: 'Acronis Cyber Protect', sku: 'ACR-CPC-SRV-M', unit: 'Workloads', term: 'monthly', usd: 22.0, description: 'Backup and cyber protection per server.' },
  { name: 'Acronis Cyber Backup for Microsoft 365', publisher: 'Acronis', family: 'Acronis Cyber Protect', sku: 'ACR-CPC-M365-M', unit: 'Seats', term: 'monthly', usd: 2.5, description: 'Backup of Exchange Online, OneDrive, SharePoint and Teams.' },
  { name: 'Dropbox Business Standard', publisher: 'Dropbox', family: 'Dropbox Business', sku: 'DBX-BUS-STD-A', unit: 'Licenses', term: 'annual', usd: 15.0, description: 'Secure file sharing with 5 TB for the team.' },
  { name: 'Dropbox Business Advanced', publisher: 'Dropbox', family: 'Dropbox Business', sku: 'DBX-BUS-ADV-A', unit: 'Licenses', term: 'annual', usd: 24.0, description: 'Dropbox with as much space as needed and admin controls.' },
  { name: 'Bitdefender GravityZone Business Security', publisher: 'Bitdefender', family: 'GravityZone', sku: 'BD-GZ-BS-M', unit: 'Endpoints', term: 'monthly', usd: 2.2, description: 'Endpoint protection for SMB.' },
  { name: 'Adobe Acrobat Pro for teams', publisher: 'Adobe', family: 'Adobe Document Cloud', sku: '65324058BA01A12', unit: 'Licenses', term: 'annual', usd: 19.99, description: 'Create, edit and sign PDFs.' },
  { name: 'Keeper Business', publisher: 'Keeper Security', family: 'Keeper', sku: 'KPR-BUS-A', unit: 'Users', term: 'annual', usd: 3.75, description: 'Password management for teams.' },
];

const FX: Record<Currency, number> = { USD: 1, AUD: 1.55, EUR: 0.92 };

function money(value: number): string {
  return value.toFixed(2);
}

function buildCatalog(): CatalogProduct[] {
  const bySku = new Map<string, number>();
  CATALOG.forEach((c, i) => bySku.set(c.sku, i));
  return CATALOG.map((c, index) => {
    const prices = {} as Record<Currency, string>;
    const costs = {} as Record<Currency, string>;
    for (const cur of Object.keys(FX) as Currency[]) {
      const usd = c.usd ?? 0;
      prices[cur] = money(usd * FX[cur]);
      costs[cur] = money(usd * FX[cur] * 0.85);
    }
    return {
      index,
      name: c.name,
      publisher: c.publisher,
      family: c.family,
      sku: c.sku,
      unit: c.unit,
      term: c.term,
      usageBased: c.usd === null,
      prices,
      costs,
      addonOf: c.addonOf ? (bySku.get(c.addonOf) ?? null) : null,
      description: c.description,
    };
  });
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);
}

const DAY = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY);
}

export function createWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? DEFAULT_SEED;
  const size = Math.max(0, Math.floor(options.size ?? DEFAULT_SIZE));
  const anchor = options.anchor ?? DEFAULT_ANCHOR;
  const rng = new Rng(seed);
  const catalog = buildCatalog();
  const companies: WorldCompany[] = [];
  const usedNames = new Set<string>();

  for (let index = 0; index < size; index++) {
    const region = rng.pick(REGIONS);
    let name = `${rng.pick(PREFIXES)} ${rng.pick(TRADES)}`;
    if (usedNames.has(name)) name = `${name} ${index}`;
    usedNames.add(name);
    const suffix = region.countryCode === 'AU' ? 'Pty Ltd' : region.countryCode === 'DE' ? 'GmbH' : rng.pick(SUFFIXES);
    const fullName = `${name} ${suffix}`;
    const tld = { AU: 'com.au', DE: 'de', NL: 'nl', US: 'com' }[region.countryCode] ?? 'com';
    const domain = `${slug(name)}.${tld}`;
    const [city, state, stateCode, postcode] = rng.pick(region.cities);
    const phone = `${region.phonePrefix} ${rng.int(2, 9)}${rng.int(1000, 9999)} ${rng.int(1000, 9999)}`;
    const contacts: WorldContact[] = (['admin', 'billing', 'technical'] as const).map((role) => {
      const firstName = rng.pick(FIRST);
      const lastName = rng.pick(LAST);
      return {
        firstName,
        lastName,
        email: `${slug(firstName)}.${slug(lastName)}@${domain}`,
        phone: `${region.phonePrefix} 4${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(100, 999)}`,
        role,
      };
    });
    // 55% at one distributor, 30% at two, 15% at all three: real MSPs buy from several.
    const roll = rng.next();
    const count = roll < 0.55 ? 1 : roll < 0.85 ? 2 : 3;
    const vendors = rng.sample(VENDOR_KEYS, count);
    companies.push({
      index,
      name: fullName,
      domain,
      externalId: `MSP-${String(index + 1).padStart(5, '0')}`,
      registrationNumber: `${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(100, 999)} ${rng.int(100, 999)}`,
      vat: `${region.countryCode}${rng.int(100000000, 999999999)}`,
      phone,
      currency: region.currency,
      language: region.language,
      address: {
        street: `${rng.int(1, 400)} ${rng.pick(STREETS)}`,
        street2: rng.bool(0.3) ? `Level ${rng.int(1, 40)}` : null,
        city,
        postalCode: postcode,
        state,
        stateCode,
        country: region.country,
        countryCode: region.countryCode,
      },
      contacts,
      createdAt: addDays(anchor, -rng.int(30, 5 * 365)),
      vendors,
    });
  }

  const byVendor = new Map<VendorKey, WorldCompany[]>();
  for (const v of VENDOR_KEYS) byVendor.set(v, companies.filter((c) => c.vendors.includes(v)));
  const primaries = catalog.filter((p) => p.addonOf === null);

  return {
    seed,
    size,
    anchor,
    companies,
    catalog,
    customersOf: (vendor) => byVendor.get(vendor) ?? [],
    holdings(company, vendor) {
      const r = new Rng(`${seed}:${vendor}:${company.index}`);
      const count = r.int(1, 4);
      const chosen = r.sample(primaries, count);
      const result: WorldHolding[] = [];
      for (const product of chosen) {
        result.push(makeHolding(r, product, company, anchor));
        const addon = catalog.find((p) => p.addonOf === product.index);
        if (addon && r.bool(0.4)) result.push(makeHolding(r, addon, company, anchor));
      }
      return result;
    },
  };
}

function makeHolding(r: Rng, product: CatalogProduct, company: WorldCompany, anchor: Date): WorldHolding {
  const roll = r.next();
  const status: HoldingStatus = roll < 0.78 ? 'active' : roll < 0.86 ? 'cancelled' : roll < 0.94 ? 'suspended' : 'pending';
  const earliest = Math.max(1, Math.floor((anchor.getTime() - company.createdAt.getTime()) / DAY));
  const startDate = addDays(anchor, -r.int(1, earliest));
  const termDays = product.term === 'annual' ? 365 : 30;
  const elapsed = Math.floor((anchor.getTime() - startDate.getTime()) / DAY);
  const renewalDate = addDays(startDate, (Math.floor(elapsed / termDays) + 1) * termDays);
  return {
    product,
    quantity: product.usageBased ? 1 : r.pick([1, 2, 3, 5, 5, 8, 10, 12, 15, 20, 25, 40, 50, 120]),
    status,
    startDate,
    renewalDate,
    autoRenew: r.bool(0.8),
  };
}
