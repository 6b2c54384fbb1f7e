/**
 * The simulator's in-memory state: accounts, catalogue, subscriptions, orders and reports,
 * id sequences, and the clock-driven order lifecycle (settled lazily on each request).
 */
import { Rng } from '../shared/rng.js';
import type { Currency } from '../shared/world.js';
import {
  ORDER_COMPLETED_MS,
  ORDER_ERROR_MARKER,
  ORDER_SUBMITTED_MS,
  REPORT_COMPLETED_MS,
  REPORT_SUBMITTED_MS,
  addPeriod,
  type CustomerRecord,
  type OrderRecord,
  type ProductRecord,
  type ReportRecord,
  type ReportStatus,
  type ResellerRecord,
  type ServicePlanRecord,
  type SubscriptionLine,
  type SubscriptionRecord,
} from './model.js';

export class IngramStore {
  readonly customers = new Map<string, CustomerRecord>();
  readonly resellers = new Map<string, ResellerRecord>();
  readonly products: ProductRecord[] = [];
  readonly productsByMpn = new Map<string, ProductRecord>();
  readonly productsById = new Map<string, ProductRecord>();
  readonly plans = new Map<string, ServicePlanRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly reports = new Map<string, ReportRecord>();
  /** The reseller the demo API user belongs to (owner of customers created by POST /customers). */
  ownResellerId = '';

  private nextAccount = 1_000_001;
  private nextSubscription = 2_000_001;
  private nextOrder = 3_000_001;
  private nextOrderNumber = 1;
  private vendorSubscriptionSeq = 0;
  private readonly rng: Rng;
  /** Orders still moving on the clock. */
  private readonly liveOrders = new Set<OrderRecord>();

  constructor(seed: number) {
    this.rng = new Rng(`${seed}:ingram:vendor-subscriptions`);
  }

  accountId(): string {
    return String(this.nextAccount++);
  }

  subscriptionId(): string {
    return String(this.nextSubscription++);
  }

  orderIds(): { id: string; orderNumber: string } {
    return { id: String(this.nextOrder++), orderNumber: `SO${String(this.nextOrderNumber++).padStart(6, '0')}` };
  }

  vendorSubscriptionId(product: ProductRecord): string {
    const n = ++this.vendorSubscriptionSeq;
    if (product.vendor === 'Microsoft') return this.rng.guid();
    return String(10_294_983_000_000 + n);
  }

  addProduct(product: ProductRecord): void {
    this.products.push(product);
    this.productsByMpn.set(product.mpn.toLowerCase(), product);
    this.productsById.set(product.id, product);
  }

  findProduct(ref: { mpn?: unknown; id?: unknown }): ProductRecord | undefined {
    if (typeof ref.mpn === 'string' && ref.mpn) return this.productsByMpn.get(ref.mpn.toLowerCase());
    if (typeof ref.id === 'string' && ref.id) return this.productsById.get(ref.id);
    return undefined;
  }

  // ---- orders -----------------------------------------------------------------------

  addOrder(order: OrderRecord): void {
    this.orders.set(order.id, order);
    if (order.live) this.liveOrders.add(order);
  }

  /** Moves every live order along the clock, applying the effects of completed ones. */
  settle(now: number): void {
    for (const order of [...this.liveOrders]) {
      const elapsed = now - order.startedAt;
      if (elapsed < ORDER_SUBMITTED_MS) order.status = 'submitted';
      else if (elapsed < ORDER_COMPLETED_MS) order.status = 'processing';
      else {
        const doneAt = order.startedAt + ORDER_COMPLETED_MS;
        this.liveOrders.delete(order);
        order.live = false;
        if (order.poNumber?.includes(ORDER_ERROR_MARKER)) {
          order.status = 'error';
        } else {
          order.status = 'completed';
          order.provisionedAt = doneAt;
          this.fulfil(order, doneAt);
        }
      }
    }
  }

  /** Cancels an order that is not completed (PATCH statusCode CL). */
  cancelOrder(order: OrderRecord): void {
    this.liveOrders.delete(order);
    order.live = false;
    order.status = 'cancelled';
  }

  /** Puts an order in `error` back on the clock (PATCH statusCode OP). */
  resubmitOrder(order: OrderRecord, now: number): void {
    order.live = true;
    order.startedAt = now;
    order.status = 'submitted';
    this.liveOrders.add(order);
  }

  private fulfil(order: OrderRecord, at: number): void {
    const customer = this.customers.get(order.customerId);
    if (!customer) return;
    if (order.type === 'sales' || order.type === 'migration' || order.type === 'unknown') {
      for (const line of order.lines) {
        const sub = this.newSubscription(customer, line.product, line.quantity, line.unitPrice, at);
        sub.orderParameters = line.parameters.map((p) => ({ ...p }));
        line.subscriptionId = sub.id;
        order.subscriptionId ??= sub.id;
      }
      return;
    }
    const sub = order.subscriptionId ? this.subscriptions.get(order.subscriptionId) : undefined;
    if (!sub) return;
    sub.lastModified = at;
    if (order.type === 'change') {
      for (const line of order.lines) {
        const existing = sub.lines.find((l) => l.product === line.product);
        if (existing) existing.quantity = line.quantity;
        else sub.lines.push(this.subscriptionLine(line.product, line.quantity, line.unitPrice, customer.currency));
      }
    } else if (order.type === 'renewal') {
      sub.renewalDate = addPeriod(sub.renewalDate, sub.subscriptionPeriod);
      sub.expirationDate = sub.renewalDate;
      if (sub.status === 'hold' || sub.status === 'pending') sub.status = 'active';
    } else if (order.type === 'cancellation') {
      sub.status = 'terminated';
      sub.renewalStatus = false;
      sub.expirationDate = at;
    }
  }

  subscriptionLine(product: ProductRecord, quantity: number, unitPrice: number, currency: Currency): SubscriptionLine {
    const cost = product.cost[currency];
    return {
      product,
      quantity,
      unitPrice,
      unitCost: cost,
      unitProviderCost: Math.round((cost * 0.9) / 100) * 100,
      vendorSubscriptionId: this.vendorSubscriptionId(product),
    };
  }

  newSubscription(customer: CustomerRecord, product: ProductRecord, quantity: number, unitPrice: number, at: number): SubscriptionRecord {
    const sub: SubscriptionRecord = {
      id: this.subscriptionId(),
      customerId: customer.id,
      name: product.baseName,
      status: 'active',
      attributes: {},
      renewalStatus: true,
      createdAt: at,
      renewalDate: addPeriod(at, product.subscriptionPeriod),
      lastModified: at,
      expirationDate: addPeriod(at, product.subscriptionPeriod),
      billingModel: product.billingModel,
      billingPeriod: product.billingPeriod,
      subscriptionPeriod: product.subscriptionPeriod,
      planId: product.planId,
      currency: customer.currency,
      lines: [this.subscriptionLine(product, quantity, unitPrice, customer.currency)],
      orderParameters: [],
      fulfillmentParameters: [],
    };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  // ---- reports ----------------------------------------------------------------------

  reportStatus(report: ReportRecord, now: number): ReportStatus {
    if (report.fixedStatus) return report.fixedStatus;
    const elapsed = now - report.createdAt;
    if (elapsed < REPORT_SUBMITTED_MS) return 'submitted';
    if (elapsed < REPORT_COMPLETED_MS) return 'processing';
    return 'completed';
  }
}

