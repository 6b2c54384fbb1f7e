import type { InvoiceItemResolvers, InvoiceResolvers, QueryResolvers } from '../generated/graphql.js';
import type { InvoiceModel } from '../model.js';
import { customerFilter, entityFields, listAcross, loadNode, maybeOp, op, related } from './common.js';

type WithVendor = { vendor?: InvoiceModel['vendor'] };

export const Invoice: InvoiceResolvers = {
  ...entityFields<InvoiceModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Invoice'),
  customer: (i, _args, ctx) => related(ctx, i.vendor, 'Customer', i.customerVendorId),
  items: async (i, _args, ctx) => {
    const load = maybeOp(ctx, i.vendor, 'invoices', 'items');
    return (load ? await load(i) : (i.items ?? [])).map((item) => Object.assign(item, { vendor: i.vendor }));
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
    const { vendor, customerVendorId } = customerFilter(ctx, args.vendor, args.filter?.customerId);
    return listAcross(ctx, info, 'Invoice', { ...args, vendor }, { customerVendorId, invoiceStatus: args.filter?.status });
  },
};
