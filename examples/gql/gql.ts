/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Customer360($id: ID!) {\n  customer(id: $id) {\n    id\n    vendor\n    vendorId\n    name\n    status\n    email\n    phone\n    externalId\n    reseller {\n      name\n    }\n    address {\n      city\n      country\n    }\n    subscriptions(first: 100) {\n      totalCount\n      nodes {\n        id\n        name\n        status\n        quantity\n        renewalDate\n        autoRenew\n        price {\n          amount\n          currency\n        }\n        product {\n          name\n          sku\n        }\n      }\n    }\n    orders(first: 20) {\n      nodes {\n        id\n        number\n        status\n        createdAt\n        total {\n          amount\n          currency\n        }\n      }\n    }\n    invoices(first: 20) {\n      nodes {\n        id\n        number\n        status\n        invoiceDate\n        dueDate\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}": typeof types.Customer360Document,
    "query LicenseOverview($first: Int = 100, $after: String) {\n  customers(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      vendor\n      name\n      externalId\n      subscriptions(status: ACTIVE, first: 100) {\n        nodes {\n          id\n          name\n          quantity\n          price {\n            amount\n            currency\n          }\n          product {\n            name\n            sku\n          }\n        }\n      }\n    }\n  }\n}": typeof types.LicenseOverviewDocument,
    "query OpenOrders($first: Int = 100) {\n  submitted: orders(first: $first, filter: {status: SUBMITTED}) {\n    ...OpenOrderList\n  }\n  processing: orders(first: $first, filter: {status: PROCESSING}) {\n    ...OpenOrderList\n  }\n}\n\nfragment OpenOrderList on OrderConnection {\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    id\n    vendor\n    number\n    status\n    vendorStatus\n    createdAt\n    total {\n      amount\n      currency\n    }\n    customer {\n      id\n      name\n    }\n  }\n}": typeof types.OpenOrdersDocument,
    "query SpendPerVendor($vendor: Vendor, $first: Int = 500, $after: String) {\n  vendors {\n    vendor\n    name\n    simulated\n  }\n  subscriptions(\n    vendor: $vendor\n    first: $first\n    after: $after\n    filter: {status: ACTIVE}\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      vendor\n      quantity\n      price {\n        amount\n        currency\n      }\n    }\n  }\n}": typeof types.SpendPerVendorDocument,
};
const documents: Documents = {
    "query Customer360($id: ID!) {\n  customer(id: $id) {\n    id\n    vendor\n    vendorId\n    name\n    status\n    email\n    phone\n    externalId\n    reseller {\n      name\n    }\n    address {\n      city\n      country\n    }\n    subscriptions(first: 100) {\n      totalCount\n      nodes {\n        id\n        name\n        status\n        quantity\n        renewalDate\n        autoRenew\n        price {\n          amount\n          currency\n        }\n        product {\n          name\n          sku\n        }\n      }\n    }\n    orders(first: 20) {\n      nodes {\n        id\n        number\n        status\n        createdAt\n        total {\n          amount\n          currency\n        }\n      }\n    }\n    invoices(first: 20) {\n      nodes {\n        id\n        number\n        status\n        invoiceDate\n        dueDate\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}": types.Customer360Document,
    "query LicenseOverview($first: Int = 100, $after: String) {\n  customers(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      vendor\n      name\n      externalId\n      subscriptions(status: ACTIVE, first: 100) {\n        nodes {\n          id\n          name\n          quantity\n          price {\n            amount\n            currency\n          }\n          product {\n            name\n            sku\n          }\n        }\n      }\n    }\n  }\n}": types.LicenseOverviewDocument,
    "query OpenOrders($first: Int = 100) {\n  submitted: orders(first: $first, filter: {status: SUBMITTED}) {\n    ...OpenOrderList\n  }\n  processing: orders(first: $first, filter: {status: PROCESSING}) {\n    ...OpenOrderList\n  }\n}\n\nfragment OpenOrderList on OrderConnection {\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    id\n    vendor\n    number\n    status\n    vendorStatus\n    createdAt\n    total {\n      amount\n      currency\n    }\n    customer {\n      id\n      name\n    }\n  }\n}": types.OpenOrdersDocument,
    "query SpendPerVendor($vendor: Vendor, $first: Int = 500, $after: String) {\n  vendors {\n    vendor\n    name\n    simulated\n  }\n  subscriptions(\n    vendor: $vendor\n    first: $first\n    after: $after\n    filter: {status: ACTIVE}\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      vendor\n      quantity\n      price {\n        amount\n        currency\n      }\n    }\n  }\n}": types.SpendPerVendorDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Customer360($id: ID!) {\n  customer(id: $id) {\n    id\n    vendor\n    vendorId\n    name\n    status\n    email\n    phone\n    externalId\n    reseller {\n      name\n    }\n    address {\n      city\n      country\n    }\n    subscriptions(first: 100) {\n      totalCount\n      nodes {\n        id\n        name\n        status\n        quantity\n        renewalDate\n        autoRenew\n        price {\n          amount\n          currency\n        }\n        product {\n          name\n          sku\n        }\n      }\n    }\n    orders(first: 20) {\n      nodes {\n        id\n        number\n        status\n        createdAt\n        total {\n          amount\n          currency\n        }\n      }\n    }\n    invoices(first: 20) {\n      nodes {\n        id\n        number\n        status\n        invoiceDate\n        dueDate\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').Customer360Document;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LicenseOverview($first: Int = 100, $after: String) {\n  customers(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      vendor\n      name\n      externalId\n      subscriptions(status: ACTIVE, first: 100) {\n        nodes {\n          id\n          name\n          quantity\n          price {\n            amount\n            currency\n          }\n          product {\n            name\n            sku\n          }\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').LicenseOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OpenOrders($first: Int = 100) {\n  submitted: orders(first: $first, filter: {status: SUBMITTED}) {\n    ...OpenOrderList\n  }\n  processing: orders(first: $first, filter: {status: PROCESSING}) {\n    ...OpenOrderList\n  }\n}\n\nfragment OpenOrderList on OrderConnection {\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    id\n    vendor\n    number\n    status\n    vendorStatus\n    createdAt\n    total {\n      amount\n      currency\n    }\n    customer {\n      id\n      name\n    }\n  }\n}"): typeof import('./graphql.js').OpenOrdersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SpendPerVendor($vendor: Vendor, $first: Int = 500, $after: String) {\n  vendors {\n    vendor\n    name\n    simulated\n  }\n  subscriptions(\n    vendor: $vendor\n    first: $first\n    after: $after\n    filter: {status: ACTIVE}\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      vendor\n      quantity\n      price {\n        amount\n        currency\n      }\n    }\n  }\n}"): typeof import('./graphql.js').SpendPerVendorDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
