/**
 * The README's dashboard, as the tests, the load run and the profile comparison send it:
 * every customer (of one vendor, or across vendors under one cursor) with its active
 * subscriptions and what they are for.
 */
export const DASHBOARD = `query Dashboard($after: String, $vendor: Vendor, $first: Int = 50) {
  customers(first: $first, after: $after, vendor: $vendor) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id vendor name externalId
      subscriptions(status: ACTIVE) { nodes { name quantity renewalDate price { amount currency } product { name sku } } }
    }
  }
}`;
