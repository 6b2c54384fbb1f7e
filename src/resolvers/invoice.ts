import type { DateRange, InvoiceItemResolvers, InvoiceResolvers, QueryResolvers } from '../generated/graphql.js';
import { badUserInput } from '../errors.js';
import type { InvoiceModel } from '../model.js';
import { customerFilter, entityFields, listAcross, loadNode, maybeOp, op, related } from './common.js';

type WithVendor = { vendor?: InvoiceModel['vendor'] };

/** A date range as given (the DateTime scalar has checked each end), `from` before `to`: else BAD_USER_INPUT, before any call. */
function dateRange(range: DateRange | null | undefined, argument: string) {
  if (!range) return null;
  const { from, to } = range;
  if (from && to && !(Date.parse(from) < Date.parse(to))) throw badUserInput(`${argument}: "from" (${from}) must be before "to" (${to}); "to" is exclusive.`, { argument });
  return from || to ? { from: from ?? null, to: to ?? null } : null;
}

export const Invoice: InvoiceResolvers = {
  ...entityFields<InvoiceModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Invoice'),
  // Rows that name their customer (Leader Cloud `account {id, name}`) serve `customer { id name }` without a call.
  customer: (i, _args, ctx) => i.customerStub ?? related(ctx, i.vendor, 'Customer', i.customerVendorId),
  items: async (i, _args, ctx) => {
    const load = maybeOp(ctx, i.vendor, 'invoices', 'items');
    return (load ? await load(i) : (i.items ?? [])).map((item) => ({ ...item, vendor: i.vendor }));
  },
  orders: (i, _args, ctx) => op(ctx, i.vendor, 'orders', 'ofInvoice', 'orders related to invoices')(i),
  customFields: (i, _args, ctx) => op(ctx, i.vendor, 'invoices', 'customFields', 'invoice custom fields')(i),
};

export const InvoiceItem: InvoiceItemResolvers = {
  product: (i, _args, ctx) => related(ctx, (i as WithVendor).vendor!, 'Product', i.productVendorId),
};

export const invoiceQueries: Pick<QueryResolvers, 'invoice' | 'invoices'> = {
  invoice: (_root, args, ctx) => loadNode(ctx, args.id, 'Invoice'),
  invoices: (_root, args, ctx, info) => {
    const invoiceDate = dateRange(args.filter?.invoiceDate, 'filter.invoiceDate');
    const { vendor, customerVendorId } = customerFilter(ctx, args.vendor, args.filter?.customerId);
    return listAcross(ctx, info, 'Invoice', { ...args, vendor }, { customerVendorId, invoiceStatus: args.filter?.status, invoiceDate });
  },
};
