/** The resolver map: one module per domain, merged here. */
import type { Resolvers } from '../generated/graphql.js';
import { Customer, Reseller, customerQueries } from './customer.js';
import { Invoice, InvoiceItem, invoiceQueries } from './invoice.js';
import { Order, OrderItem, orderQueries } from './order.js';
import { Product, ServicePlan, productQueries } from './product.js';
import { Node, VendorInfo, rootQueries } from './query.js';
import { Report, reportQueries } from './report.js';
import { scalarResolvers } from './scalars.js';
import { ServiceSubscription, subscriptionQueries } from './subscription.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    ...rootQueries,
    ...customerQueries,
    ...subscriptionQueries,
    ...orderQueries,
    ...invoiceQueries,
    ...productQueries,
    ...reportQueries,
  },
  Node,
  VendorInfo,
  Customer,
  Reseller,
  ServiceSubscription,
  Order,
  OrderItem,
  Invoice,
  InvoiceItem,
  Product,
  ServicePlan,
  Report,
};
