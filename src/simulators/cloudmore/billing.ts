/**
 * Monthly billing per organization: the async task pair (recommended by Cloudmore [C]) and
 * the synchronous GET ("not for production" [C]).
 *
 * A report covers every calendar month touched by [startDate, endDate] (at most 12). Each
 * billable subscription gives one billing line per month: Active subscriptions that started
 * by the end of the month, and Cancelled ones until the month they were cancelled in.
 * Pending and Suspended subscriptions are not billed [I]. The line uses the subscription's
 * current quantity and the catalogue's monthly price in the organization's currency (no
 * proration [U]); usage-based products (Azure) get one line with a deterministic amount.
 *
 * Async timing (simulated clock, control.now()): the report is computed when the task is
 * created; GET answers 200 with status "Pending" for the first second, "InProgress" until
 * REPORT_READY_MS, then "Completed" with the report.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { originOf } from '../shared/server.js';
import type { SimControl } from '../shared/control.js';
import { Rng } from '../shared/rng.js';
import type { Currency } from '../shared/world.js';
import { money, unitCost, unitPrice, type CloudmoreStore, type SubscriptionRecord } from './data.js';
import { ModelValidator, invalid, jsonBody, notFound } from './errors.js';
import type {
  MbpoOrganizationView,
  MbpoProductView,
  MbpoServiceItemView,
  MbpoServiceView,
  MonthlyBillingAsyncView,
  MonthlyBillingTaskAccepted,
  ReportTaskStatus,
} from './models.js';
import { params, resellerRouter } from './routes.js';

/** The task stays "Pending" this long after the POST (simulated ms). */
export const REPORT_PENDING_MS = 1_000;
/** The report is "Completed" this long after the POST (simulated ms). */
export const REPORT_READY_MS = 3_000;
export const REPORT_MAX_MONTHS = 12;

const ASYNC_PATH = '/billing/reports/MonthlyBillingPerOrganizationAsync';

interface BillingTask {
  id: string;
  requestedAt: number;
  startDate: string;
  endDate: string;
  organizations: MbpoOrganizationView[];
}

interface Month {
  billingDate: string;
  start: Date;
  /** Last millisecond of the month. */
  end: Date;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

function monthsBetween(start: Date, end: Date): Month[] {
  const out: Month[] = [];
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  const lastY = end.getUTCFullYear();
  const lastM = end.getUTCMonth();
  while (y < lastY || (y === lastY && m <= lastM)) {
    const first = new Date(Date.UTC(y, m, 1));
    const next = new Date(Date.UTC(y, m + 1, 1));
    out.push({ billingDate: ymd(first), start: first, end: new Date(next.getTime() - 1) });
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

function billable(sub: SubscriptionRecord, month: Month): boolean {
  if (sub.status === 'Pending' || sub.status === 'Suspended') return false;
  if (sub.startDate > month.end) return false;
  if (sub.status === 'Cancelled' && sub.cancelledDate && sub.cancelledDate < month.start) return false;
  return true;
}

function sum(values: number[]): number {
  return money(values.reduce((a, b) => a + b, 0));
}

/** Builds the report tree Organization → Service → Product → billing lines. */
export function buildMonthlyBilling(store: CloudmoreStore, start: Date, end: Date): MbpoOrganizationView[] {
  const months = monthsBetween(start, end);
  const result: MbpoOrganizationView[] = [];
  for (const org of store.organizations.values()) {
    const currency: Currency = org.currencyCode;
    const services: MbpoServiceView[] = [];
    for (const service of store.services) {
      const subs = org.subscriptions.filter((s) => s.serviceId === service.id);
      if (subs.length === 0) continue;
      const products: MbpoProductView[] = [];
      for (const product of service.products) {
        const lines: MbpoServiceItemView[] = [];
        for (const month of months) {
          for (const sub of subs) {
            if (sub.productId !== product.id || !billable(sub, month)) continue;
            let quantity = sub.quantity;
            let price = unitPrice(product, currency);
            let cost = unitCost(product, currency);
            if (product.catalog.usageBased) {
              const usage = new Rng(`${store.seed}:cloudmore:usage:${sub.id}:${month.billingDate}`);
              quantity = 1;
              price = money(usage.int(2_000, 90_000) / 100);
              cost = money(price * 0.85);
            }
            lines.push({
              subscriptionId: sub.id,
              subscriptionName: sub.name,
              billingDate: month.billingDate,
              periodStart: ymd(month.start),
              periodEnd: ymd(month.end),
              quantity,
              unitPrice: price,
              amount: money(quantity * price),
              cost: money(quantity * cost),
              currencyCode: currency,
            });
          }
        }
        if (lines.length === 0) continue;
        const first = lines[0]?.unitPrice ?? 0;
        products.push({
          productId: product.id,
          productName: product.catalog.name,
          itemCode: product.catalog.sku,
          unit: product.catalog.unit,
          quantity: lines.reduce((a, l) => a + l.quantity, 0),
          unitPrice: lines.every((l) => l.unitPrice === first) ? first : null,
          totalAmount: sum(lines.map((l) => l.amount)),
          totalCost: sum(lines.map((l) => l.cost)),
          currencyCode: currency,
          billingLines: lines,
        });
      }
      if (products.length === 0) continue;
      services.push({
        serviceId: service.id,
        serviceName: service.name,
        vendorName: service.vendorName,
        totalAmount: sum(products.map((p) => p.totalAmount)),
        currencyCode: currency,
        products,
      });
    }
    if (services.length === 0) continue;
    result.push({
      organizationId: org.id,
      organizationName: org.name,
      customerNumber: org.customerNumber,
      currencyCode: currency,
      totalAmount: sum(services.map((s) => s.totalAmount)),
      services,
    });
  }
  return result;
}

function totals(orgs: MbpoOrganizationView[]): Array<{ currencyCode: Currency; amount: number }> {
  const by = new Map<Currency, number>();
  for (const o of orgs) by.set(o.currencyCode, (by.get(o.currencyCode) ?? 0) + o.totalAmount);
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currencyCode, amount]) => ({ currencyCode, amount: money(amount) }));
}

function checkRange(start: Date, end: Date): void {
  if (end < start) throw invalid('EndDate must not be earlier than StartDate.');
  if (monthsBetween(start, end).length > REPORT_MAX_MONTHS) {
    throw invalid(`The date range must not span more than ${REPORT_MAX_MONTHS} months.`);
  }
}

export function registerBilling(app: FastifyInstance, control: SimControl, store: CloudmoreStore): void {
  const route = resellerRouter(app, control);
  const tasks = new Map<string, BillingTask>();

  const statusOf = (task: BillingTask): ReportTaskStatus => {
    const elapsed = control.now() - task.requestedAt;
    return elapsed < REPORT_PENDING_MS ? 'Pending' : elapsed < REPORT_READY_MS ? 'InProgress' : 'Completed';
  };

  route('POST', ASYNC_PATH, async (request, reply) => {
    const body = jsonBody(request);
    const v = new ModelValidator();
    const start = v.date(body, 'startDate', 'StartDate', true);
    const end = v.date(body, 'endDate', 'EndDate', true);
    v.throwIfInvalid();
    if (!start || !end) throw invalid('StartDate and EndDate are required.');
    checkRange(start, end);
    const task: BillingTask = {
      id: store.ids.guid(),
      requestedAt: control.now(),
      startDate: ymd(start),
      endDate: ymd(end),
      organizations: buildMonthlyBilling(store, start, end),
    };
    tasks.set(task.id, task);
    const { resellerId } = params(request);
    void reply.code(202).header('location', `${originOf(request)}/api/resellers/${resellerId}${ASYNC_PATH}/${task.id}`);
    const accepted: MonthlyBillingTaskAccepted = { taskId: task.id, status: 'Pending' };
    return accepted;
  });

  route('GET', `${ASYNC_PATH}/:taskId`, async (request) => {
    const { taskId } = params(request);
    const task = tasks.get((taskId ?? '').toLowerCase());
    if (!task) throw notFound(`Task '${taskId}' was not found.`);
    const status = statusOf(task);
    const done = status === 'Completed';
    const view: MonthlyBillingAsyncView = {
      taskId: task.id,
      status,
      startDate: task.startDate,
      endDate: task.endDate,
      requestedDate: new Date(task.requestedAt).toISOString(),
      completedDate: done ? new Date(task.requestedAt + REPORT_READY_MS).toISOString() : null,
      totals: done ? totals(task.organizations) : null,
      organizations: done ? task.organizations : null,
    };
    return view;
  });

  // The synchronous variant ("not for production"): query startDate/endDate, bare array.
  route('GET', '/billing/reports/MonthlyBillingPerOrganization', async (request: FastifyRequest) => {
    const query = request.query as Record<string, unknown>;
    const read = (name: string): Date => {
      const value = ModelValidator.get(query, name);
      const v = new ModelValidator();
      const date = v.date({ [name]: value }, name, name, true);
      if (!date) throw invalid(v.errors[name]?.[0] ?? `The value '${String(value)}' is not valid for ${name}.`);
      return date;
    };
    const start = read('startDate');
    const end = read('endDate');
    checkRange(start, end);
    return buildMonthlyBilling(store, start, end);
  });
}
