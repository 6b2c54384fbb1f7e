/**
 * The API minimum of each workload: the fewest upstream calls a client could make to get
 * the same answer from each vendor's API, computed from the simulators' seed data (the
 * vendors' own stores, rebuilt from the same world: the simulators' state is not exposed,
 * and is that seed until something writes), each vendor's page-size limits and the profile:
 *
 * - `documented`: only what the endpoints are documented to allow (Leader Cloud: OData v3
 *   `$filter` on the swagger DTO properties, no `in (...)`, no filter on `accountId` or
 *   an order's `status`; Ingram: pages of at most 100 rows; Cloudmore: subscriptions from
 *   the per-organization typed lists, since reseller-level rows name no organization);
 * - `extended`: with the inferred shortcuts too (Leader Cloud `in (...)` and `accountId`
 *   / `status` filters, Ingram pages of 1,000, Cloudmore reseller-level lists whose rows
 *   name their organization).
 *
 * Token requests are left out (one per adapter lifetime, made before the first call).
 *
 * Each minimum also gives `trips`: the dependent round trips of that cheapest plan (a call
 * that needs an id from another call's answer is one more trip). The critical-path bound of
 * a cold request is `(max(trips, ceil(calls / 8)) + 1) × latency`: the graph runs at most
 * 8 single GETs at once per request (16 per vendor across requests), so `calls / 8` waves
 * is a bound too, and a fresh graph needs its token first (+1).
 */
import { type SimProfile, type VendorKey, type World } from '../src/simulators/index.js';
import { LcState } from '../src/simulators/leadercloud/data.js';
import { seedStore as seedCloudmore, type CloudmoreStore } from '../src/simulators/cloudmore/data.js';
import { seedStore as seedIngram } from '../src/simulators/ingram/seed.js';
import type { IngramStore } from '../src/simulators/ingram/store.js';

/** Calls at once per GraphQL request (every adapter's per-request limit on single GETs). */
export const PER_REQUEST = 8;
/** Leader Cloud list pages hold 500 rows. */
const LC_PAGE = 500;
/** Ingram list pages: 100 rows in `documented` (the cap a gateway applies), 1,000 in `extended`. */
const ingramPage = (profile: SimProfile) => (profile === 'documented' ? 100 : 1000);
/** Leader Cloud answers IIS's 404.15 above 2,048 characters of query string; what an `in (...)` list may use of it. */
const LC_IN_BUDGET = 2000;

export interface Minimum {
  calls: number;
  trips: number;
}

const pages = (rows: number, size: number) => Math.max(1, Math.ceil(rows / size));
const none: Minimum = { calls: 0, trips: 0 };

export interface WorldData {
  world: World;
  lc: LcState;
  cm: CloudmoreStore;
  im: IngramStore;
}

export function worldData(world: World): WorldData {
  return { world, lc: new LcState(world), cm: seedCloudmore(world), im: seedIngram(world) };
}

/** Last quarter before the simulated today (the world anchor): [from, to). */
export function lastQuarter(world: World): { from: Date; to: Date } {
  const a = world.anchor;
  const q = Math.floor(a.getUTCMonth() / 3);
  const to = new Date(Date.UTC(a.getUTCFullYear(), q * 3, 1));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 3, 1));
  return { from, to };
}

/** `$filter=id in (…)` calls for these ids: greedy batches within the query-string budget. */
function inBatches(ids: readonly string[], prop = 'id'): number {
  let batches = 0;
  let width = Infinity;
  for (const id of ids) {
    const piece = encodeURIComponent(id).length + 3; // the id and an encoded comma
    if (width + piece > LC_IN_BUDGET) {
      batches++;
      width = encodeURIComponent(`${prop} in ()`).length + '$filter='.length + piece;
    } else width += piece;
  }
  return batches;
}

// ---- license overview: every customer of a vendor, its active subscriptions with product, quantity, price ----

export function licenseOverviewMinimum(d: WorldData, vendor: VendorKey, profile: SimProfile): Minimum {
  if (vendor === 'leadercloud') {
    // Accounts: every page at 500 (`include=customFields` carries the external id). Active
    // subscriptions: `$filter=status eq 'Active'` (status is a documented DTO property),
    // every page at 500; their rows name the account, product and price. The two lists are
    // independent: one trip, plus one for the later pages (their count comes with page 1).
    const accounts = pages(d.lc.accounts.length, LC_PAGE);
    const active = pages(d.lc.subscriptions.filter((s) => s.status === 'Active').length, LC_PAGE);
    return { calls: accounts + active, trips: accounts > 1 || active > 1 ? 2 : 1 };
  }
  if (vendor === 'cloudmore') return cloudmoreOverview(d.cm, profile, [...d.cm.organizations.values()], (s) => s.status === 'Active');
  // Ingram: customers (pages of 100 / 1,000), `GET /subscriptions?status=active` (a spec
  // filter), then each active subscription's `GET /subscriptions/{id}` (only
  // SubscriptionDetailed has products, quantity and prices; its products carry name and
  // MPN, so the catalogue is not needed). Trips: lists, [later pages], details.
  const size = ingramPage(profile);
  const subs = [...d.im.subscriptions.values()];
  const active = subs.filter((s) => s.status === 'active').length;
  const customers = pages(d.im.customers.size, size);
  const lists = customers + pages(active, size);
  return { calls: lists + active, trips: (lists > 2 ? 2 : 1) + (active > 0 ? 1 : 0) };
}

/**
 * Cloudmore subscriptions of some organizations (each row's price and product from its
 * service's price list):
 * - `GET R/Organizations` (1, a bare array) when more than one organization is shown, and
 *   `GET R/services` (1: which services are custom);
 * - documented: per organization the cheaper of (a) its services (`GET
 *   R/organizations/{id}/services`, 1) and then only the lists they need: Microsoft 365
 *   (CSP) → the NCE and legacy CSP lists (2), Azure → the Azure and Azure plan lists (2),
 *   each custom service → its `…/services/{serviceId}/subscriptions` (1); or (b) all four
 *   typed lists and every custom service's list (4 + custom services), without asking;
 * - extended: the three reseller-level typed lists and each custom service's reseller-level
 *   list (3 + custom services, shared by all organizations), plus each organization's Azure
 *   plan list (no reseller-level one exists), when that is cheaper than (a)/(b);
 * - `GET R/services/{serviceId}/pricelist` per service among the subscriptions shown.
 */
function cloudmoreOverview(cm: CloudmoreStore, profile: SimProfile, orgs: CloudmoreStore['organizations'] extends Map<string, infer O> ? O[] : never, shown: (s: { status: string }) => boolean, list = true): Minimum {
  const typeOf = new Map(cm.services.map((s) => [s.id.toLowerCase(), s.type]));
  const custom = cm.services.filter((s) => s.type === 'Custom').length;
  let documented = 0;
  let viaServices = false;
  for (const o of orgs) {
    let lists = 0;
    for (const id of o.services.keys()) lists += typeOf.get(id.toLowerCase()) === 'Custom' ? 1 : 2;
    const a = 1 + lists;
    const b = 4 + custom;
    documented += Math.min(a, b);
    if (a < b) viaServices = true;
  }
  const resellerLevel = 3 + custom + orgs.length;
  const perOrg = profile === 'extended' ? Math.min(documented, resellerLevel) : documented;
  const priceLists = new Set(orgs.flatMap((o) => o.subscriptions.filter(shown).map((s) => s.serviceId.toLowerCase()))).size;
  const calls = (list ? 1 : 0) + 1 + perOrg + priceLists;
  // Organizations + services → [the organization's services] → its lists and the price lists.
  return { calls, trips: 2 + (viaServices && perOrg === documented ? 1 : 0) };
}

// ---- customer 360: one customer with subscriptions (and add-ons), orders, invoices ----

export function customer360Minimum(d: WorldData, vendor: VendorKey, profile: SimProfile, vendorId: string): Minimum {
  if (vendor === 'leadercloud') {
    // `GET /api/accounts/{id}` (the detail has email, phone and custom fields); the
    // account's subscriptions, orders and invoices: documented, no filter reaches
    // `accountId`, so each whole list (pages of 500); extended `accountId eq` (1 each).
    // Add-ons: `GET /api/subscriptions/{id}/addons` per subscription (no include has them).
    // Trips: the four reads at once, then the add-ons.
    const id = Number(vendorId);
    const own = d.lc.subscriptions.filter((s) => s.accountId === id).length;
    const list = (rows: number) => (profile === 'extended' ? 1 : pages(rows, LC_PAGE));
    const lists = list(d.lc.subscriptions.length) + list(d.lc.orders.length) + list(d.lc.invoices.length);
    return { calls: 1 + lists + own, trips: 1 + (own > 0 ? 1 : 0) + (profile === 'documented' && lists > 3 ? 1 : 0) };
  }
  if (vendor === 'cloudmore') {
    // `GET R/Organizations/{id}` (email and phone are detail-only), then its subscriptions
    // as in the overview (every status: the 360 lists them all), price lists of their
    // services. No orders or invoices at Cloudmore (not asked); add-ons come in the rows.
    const org = d.cm.organizations.get(vendorId.toLowerCase());
    if (!org) throw new Error(`no Cloudmore organization ${vendorId}`);
    const subs = cloudmoreOverview(d.cm, profile, [org], () => true, false);
    return { calls: 1 + subs.calls, trips: subs.trips };
  }
  // Ingram: `GET /customers/{id}` (email, phone), `GET /subscriptions?customerId=` and
  // `GET /orders?customerId=` (1 page each at these sizes), then each subscription's
  // detail GET (products, quantity, price). No invoices at Ingram (not asked).
  const subs = [...d.im.subscriptions.values()].filter((s) => s.customerId === vendorId).length;
  const orders = [...d.im.orders.values()].filter((o) => o.customerId === vendorId).length;
  const size = ingramPage(profile);
  return { calls: 1 + pages(subs, size) + pages(orders, size) + subs, trips: 1 + (subs > 0 ? 1 : 0) };
}

// ---- open orders across vendors (submitted, processing; first 100 of each) with their customer ----

const LC_OPEN = { SUBMITTED: ['Submitted'], PROCESSING: ['Scheduled', 'Locked', 'Executing'] };
const IM_OPEN = { SUBMITTED: ['submitted'], PROCESSING: ['processing'] };

export function openOrdersMinimum(d: WorldData, vendor: VendorKey, profile: SimProfile): Minimum {
  if (vendor === 'cloudmore') return none; // no orders API
  if (vendor === 'leadercloud') {
    // Order rows carry `account {id, name}`: no account read. Documented: an order's status
    // is an object no documented filter reaches, so the whole list (pages of 500), shared
    // by both aliases; extended: one `status eq … or …` list per alias, or the whole list.
    const open = (statuses: string[]) => d.lc.orders.filter((o) => o.status !== null && statuses.includes(o.status)).length;
    const whole = pages(d.lc.orders.length, LC_PAGE);
    const filtered = pages(open(LC_OPEN.SUBMITTED), LC_PAGE) + pages(open(LC_OPEN.PROCESSING), LC_PAGE);
    const calls = profile === 'extended' ? Math.min(whole, filtered) : whole;
    return { calls, trips: calls > 2 ? 2 : 1 };
  }
  // Ingram: `GET /orders?status=` per alias (a spec filter) or the whole list; rows name
  // only the customer id, so its name costs `GET /customers/{id}` per distinct customer
  // (or the customer list, whichever is fewer). Trips: orders, then customers.
  const size = ingramPage(profile);
  const orders = [...d.im.orders.values()];
  const pick = (statuses: string[]) => orders.filter((o) => statuses.includes(o.status)).slice(0, 100);
  const shown = [...pick(IM_OPEN.SUBMITTED), ...pick(IM_OPEN.PROCESSING)];
  const lists = Math.min(pages(orders.length, size), pages(pick(IM_OPEN.SUBMITTED).length, size) + pages(pick(IM_OPEN.PROCESSING).length, size));
  const distinct = new Set(shown.map((o) => o.customerId)).size;
  const customers = Math.min(distinct, pages(d.im.customers.size, size));
  return { calls: lists + customers, trips: 1 + (customers > 0 ? 1 : 0) };
}

// ---- last quarter's Leader Cloud invoices with their customer ----

export function invoicesMinimum(d: WorldData): Minimum & { invoices: number } {
  // `$filter=invoiceDate ge datetime'…' and invoiceDate lt datetime'…'` (invoiceDate is a
  // documented DTO property, `datetime'…'` a documented literal: both profiles), pages of
  // 500; the rows carry `account {id, name}`, so the customers cost nothing more.
  const { from, to } = lastQuarter(d.world);
  const invoices = d.lc.invoices.filter((i) => i.invoiceDate >= from.getTime() && i.invoiceDate < to.getTime()).length;
  const calls = pages(invoices, LC_PAGE);
  return { calls, trips: calls > 1 ? 2 : 1, invoices };
}

// ---- _entities: customers by reference ----

export function entitiesMinimum(d: WorldData, vendor: VendorKey, profile: SimProfile, ids: readonly string[]): Minimum {
  if (ids.length === 0) return none;
  // One trip. Leader Cloud: a detail GET each, the whole account list (pages of 500), or
  // (extended) `id in (…)` batches within the URL limit, whichever is fewest. Cloudmore:
  // a detail GET each, or the organization list (one bare array). Ingram: a detail GET
  // each, or the customer list (pages of 100 / 1,000); list rows have id, name, externalId.
  const single = ids.length;
  if (vendor === 'leadercloud') {
    const whole = pages(d.lc.accounts.length, LC_PAGE);
    const calls = Math.min(single, whole, profile === 'extended' ? inBatches(ids) : Infinity);
    return { calls, trips: Math.max(1, Math.ceil(calls / 16)) };
  }
  if (vendor === 'cloudmore') return { calls: Math.min(single, 1), trips: 1 };
  const calls = Math.min(single, pages(d.im.customers.size, ingramPage(profile)));
  return { calls, trips: Math.max(1, Math.ceil(calls / 16)) };
}

