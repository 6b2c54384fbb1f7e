/** The resolver map: one module per domain, merged here. */
import type { Resolvers } from '../generated/graphql.js';
import { Customer, CustomerService, Reseller, customerMutations, customerQueries } from './customer.js';
import { Invoice, InvoiceItem, invoiceQueries } from './invoice.js';
import { Order, OrderEstimate, OrderItem, orderMutations, orderQueries } from './order.js';
import { Product, ProductAddon, ServicePlan, productQueries } from './product.js';
import { Node, VendorInfo, rootMutations, rootQueries } from './query.js';
import { BillingLine, Report, reportMutations, reportQueries } from './report.js';
import { scalarResolvers } from './scalars.js';
import { CustomerMapping, Organization, joinCustomerFields, joinMutations, joinQueries } from '../join/index.js';
import { ServiceSubscription, subscriptionMutations, subscriptionQueries } from './subscription.js';

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
    ...joinQueries,
  },
  Mutation: {
    ...rootMutations,
    ...customerMutations,
    ...subscriptionMutations,
    ...orderMutations,
    ...reportMutations,
    ...joinMutations,
  },
  Node,
  VendorInfo,
  Customer: { ...Customer, ...joinCustomerFields },
  CustomerService,
  Reseller,
  ServiceSubscription,
  Order,
  OrderItem,
  OrderEstimate,
  Invoice,
  InvoiceItem,
  Product,
  ProductAddon,
  ServicePlan,
  Report,
  BillingLine,
  Organization,
  CustomerMapping,
};
