/**
 * Licences and recurring spend per customer and per vendor, from LicenseOverview results.
 * Money stays decimal: amounts are summed as scaled integers (BigInt), never as floats,
 * and kept per currency (a customer at two vendors may be billed in two currencies).
 *
 * A subscription's charge is what the graph's `price` says, except at Cloudmore, whose
 * `price` is the unit price (the others report the subscription's total per billing
 * period), so there it is multiplied by the quantity.
 */
import type { LicenseOverviewQuery, Vendor } from './gql/graphql.js';

export type OverviewCustomer = NonNullable<LicenseOverviewQuery['customers']>['nodes'][number];
type OverviewSubscription = NonNullable<OverviewCustomer['subscriptions']>['nodes'][number];

/** Decimal places kept when summing (Decimal strings with more are rounded half away from zero). */
const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);

/** "12.5" → 12500000n (scaled by 10^6); null for anything that is not a plain decimal. */
export function toScaled(amount: string): bigint | null {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  let scaled = BigInt(whole!) * FACTOR + BigInt((fraction.slice(0, SCALE) || '0').padEnd(SCALE, '0'));
  if (fraction.length > SCALE && Number(fraction[SCALE]) >= 5) scaled += 1n;
  return sign === '-' ? -scaled : scaled;
}

/** 12500000n → "12.50": at least two decimals, more only when they are not zero. */
export function formatScaled(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / FACTOR;
  let fraction = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}

/** Sums per currency. */
export type Totals = Map<string, bigint>;

function add(totals: Totals, currency: string, value: bigint) {
  totals.set(currency, (totals.get(currency) ?? 0n) + value);
}

/** The subscription's recurring charge, or null when it has no usable price. */
export function subscriptionCharge(vendor: Vendor, subscription: Pick<OverviewSubscription, 'quantity' | 'price'>): { currency: string; value: bigint } | null {
  const price = subscription.price;
  const scaled = price ? toScaled(price.amount) : null;
  if (!price || scaled === null) return null;
  const value = vendor === 'CLOUDMORE' ? scaled * BigInt(subscription.quantity ?? 0) : scaled;
  return { currency: price.currency, value };
}

export interface CustomerSpend {
  id: string;
  name: string;
  vendor: Vendor;
  subscriptions: number;
  licences: number;
  spend: Totals;
}

export interface VendorSpend {
  vendor: Vendor;
  customers: number;
  subscriptions: number;
  licences: number;
  spend: Totals;
}

export interface SpendSummary {
  customers: CustomerSpend[];
  vendors: VendorSpend[];
  /** Every currency that occurs, most spent first. */
  currencies: string[];
}

/** Per customer (most spend first, then by name) and per vendor (in the graph's vendor order). */
export function summarise(customers: ReadonlyArray<OverviewCustomer>): SpendSummary {
  const byVendor = new Map<Vendor, VendorSpend>();
  const grand: Totals = new Map();
  const rows: CustomerSpend[] = customers.map((customer) => {
    const row: CustomerSpend = { id: customer.id, name: customer.name, vendor: customer.vendor, subscriptions: 0, licences: 0, spend: new Map() };
    for (const subscription of customer.subscriptions?.nodes ?? []) {
      row.subscriptions += 1;
      row.licences += subscription.quantity ?? 0;
      const charge = subscriptionCharge(customer.vendor, subscription);
      if (charge) add(row.spend, charge.currency, charge.value);
    }
    const vendor = byVendor.get(customer.vendor) ?? { vendor: customer.vendor, customers: 0, subscriptions: 0, licences: 0, spend: new Map() };
    vendor.customers += 1;
    vendor.subscriptions += row.subscriptions;
    vendor.licences += row.licences;
    for (const [currency, value] of row.spend) {
      add(vendor.spend, currency, value);
      add(grand, currency, value);
    }
    byVendor.set(customer.vendor, vendor);
    return row;
  });
  const currencies = [...grand.entries()].sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] > b[1] ? -1 : 1)).map(([c]) => c);
  const first = (t: Totals) => t.get(currencies[0] ?? '') ?? 0n;
  rows.sort((a, b) => (first(a.spend) === first(b.spend) ? a.name.localeCompare(b.name) : first(a.spend) > first(b.spend) ? -1 : 1));
  const order: Vendor[] = ['LEADERCLOUD', 'CLOUDMORE', 'INGRAM'];
  const vendors = [...byVendor.values()].sort((a, b) => order.indexOf(a.vendor) - order.indexOf(b.vendor));
  return { customers: rows, vendors, currencies };
}

/** "USD 1234.50 · EUR 20.00" (currencies in the given order, then the rest). */
export function formatTotals(totals: Totals, order: ReadonlyArray<string> = []): string {
  const keys = [...order.filter((c) => totals.has(c)), ...[...totals.keys()].filter((c) => !order.includes(c)).sort()];
  return keys.map((c) => `${c} ${formatScaled(totals.get(c)!)}`).join(' · ') || '—';
}
