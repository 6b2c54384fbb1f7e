/**
 * A subscription's cost for one month, in its own currency (never converted), from the
 * vendor's price and billing period. The vendors' `price` means different things:
 *
 * | vendor | `price` is | billing period from |
 * |---|---|---|
 * | Leader Cloud | `subscriptionAmount`: the unit's sell price × quantity, per unit | the unit's name (`Month` → 1, `Annual`/`Year` → 12, `n Months`/`n Years`) |
 * | Ingram Micro | `totalPrice`: all product lines × quantity, per billing period | `billingPeriod {type, duration}` (month → n, year → 12n) |
 * | Cloudmore | `unitPrice`: one seat, per month (Cloudmore bills monthly; rows carry no period) | — (× quantity) |
 *
 * So an annual price is divided by 12 and a billing period of n months by n; a period that
 * cannot be read gives null (the summary counts the subscription as unpriced rather than
 * guessing). Arithmetic in decimal.js, rounded half-up to 2 places once summed.
 */
import { Decimal } from 'decimal.js';
import type { MoneyModel, SubscriptionModel } from '../model.js';

type J = Record<string, unknown> | null | undefined;

/** Months in a Leader Cloud unit name, or null. */
export function monthsOfUnitName(name: unknown): number | null {
  if (typeof name !== 'string') return null;
  const n = name.trim().toLowerCase();
  const count = /^(\d+)\s*(month|year)s?$/.exec(n);
  if (count) return Number(count[1]) * (count[2] === 'year' ? 12 : 1);
  if (/^(month|monthly|1 month|per month)$/.test(n)) return 1;
  if (/^(annual|annually|year|yearly|1 year|per year)$/.test(n)) return 12;
  return null;
}

/** Months in an Ingram period `{type, duration}`, or null. */
export function monthsOfPeriod(p: unknown): number | null {
  const period = p as J;
  if (!period || typeof period !== 'object') return null;
  const duration = Number(period.duration ?? 1);
  if (!Number.isFinite(duration) || duration <= 0) return null;
  if (period.type === 'month') return duration;
  if (period.type === 'year') return duration * 12;
  return null;
}

/** The cost of one month of the subscription, or null when its price or period is unknown. */
export function monthlyCost(s: SubscriptionModel): { currency: string; amount: Decimal } | null {
  if (!s.price) return null;
  let amount: Decimal;
  try {
    amount = new Decimal(s.price.amount);
  } catch {
    return null;
  }
  const raw = s.raw as J;
  switch (s.vendor) {
    case 'LEADERCLOUD': {
      const months = monthsOfUnitName((raw?.unit as J)?.name);
      return months ? { currency: s.price.currency, amount: amount.div(months) } : null;
    }
    case 'INGRAM': {
      const months = monthsOfPeriod(raw?.billingPeriod);
      return months ? { currency: s.price.currency, amount: amount.div(months) } : null;
    }
    case 'CLOUDMORE':
      return { currency: s.price.currency, amount: amount.mul(s.quantity ?? 0) };
  }
}

/** Sums per currency, rounded half-up to cents, currencies in alphabetical order. */
export function sumByCurrency(costs: Array<{ currency: string; amount: Decimal }>): MoneyModel[] {
  const totals = new Map<string, Decimal>();
  for (const c of costs) totals.set(c.currency, (totals.get(c.currency) ?? new Decimal(0)).add(c.amount));
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ currency, amount: amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) }));
}
