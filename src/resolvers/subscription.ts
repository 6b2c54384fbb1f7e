import type { MutationResolvers, QueryResolvers, ServiceSubscriptionResolvers } from '../generated/graphql.js';
import { badUserInput } from '../errors.js';
import type { SubscriptionModel } from '../model.js';
import { customerFilter, entityFields, listAcross, loadNode, maybeOp, op, related } from './common.js';
import { InputCheck, mutate } from './mutation.js';

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

export const ServiceSubscription: ServiceSubscriptionResolvers = {
  ...entityFields<SubscriptionModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Subscription'),
  // Rows that name their customer (Leader Cloud `account {id, name}`) serve `customer { id name }` without a call.
  customer: (s, _args, ctx) => s.customerStub ?? related(ctx, s.vendor, 'Customer', s.customerVendorId),
  product: (s, _args, ctx) => s.productStub ?? related(ctx, s.vendor, 'Product', s.productVendorId),
  addons: async (s, _args, ctx) => {
    const load = maybeOp(ctx, s.vendor, 'subscriptions', 'addons');
    return load ? load(s) : (s.addons ?? null);
  },
  customFields: (s, _args, ctx) => op(ctx, s.vendor, 'subscriptions', 'customFields', 'subscription custom fields')(s),
  characteristics: (s, _args, ctx) => op(ctx, s.vendor, 'subscriptions', 'characteristics', 'subscription characteristics')(s),
  installmentPlan: (s, _args, ctx) => op(ctx, s.vendor, 'subscriptions', 'installmentPlan', 'installment plans')(s),
  quantityRequest: (s, args, ctx) => {
    if (!REQUEST_ID.test(args.id)) throw badUserInput('Invalid quantity request id.', { argument: 'id' });
    return op(ctx, s.vendor, 'subscriptions', 'quantityRequest', 'quantity requests')(s, args.id);
  },
};

export const subscriptionQueries: Pick<QueryResolvers, 'subscription' | 'subscriptions'> = {
  subscription: (_root, args, ctx) => loadNode(ctx, args.id, 'Subscription'),
  subscriptions: (_root, args, ctx, info) => {
    const { vendor, customerVendorId } = customerFilter(ctx, args.vendor, args.filter?.customerId);
    return listAcross(ctx, info, 'Subscription', { ...args, vendor }, {
      customerVendorId,
      subscriptionStatus: args.filter?.status,
      createdFrom: args.filter?.createdFrom,
      createdTo: args.filter?.createdTo,
    });
  },
};

/** The subscription a mutation targets: checked global id → vendor and vendor id (or input errors). */
function target(check: InputCheck, ctx: Parameters<typeof op>[0], id: string) {
  const found = check.id(ctx, ['id'], id, 'Subscription');
  return found;
}

export const subscriptionMutations: Pick<
  MutationResolvers,
  'cancelSubscription' | 'cancelSubscriptionAddon' | 'updateSubscriptionQuantity' | 'setSubscriptionAutoRenewal' | 'updateSubscription' | 'updateSubscriptionPricing'
> = {
  cancelSubscription: (_root, { id }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const t = target(check, ctx, id);
      check.done();
      return { subscription: await op(ctx, t!.vendor, 'subscriptions', 'cancel', 'cancelling subscriptions')(t!.vendorId) };
    }),
  cancelSubscriptionAddon: (_root, { subscriptionId, addonId }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const t = check.id(ctx, ['subscriptionId'], subscriptionId, 'Subscription');
      if (!REQUEST_ID.test(addonId)) check.fail(['addonId'], 'addonId is not a valid add-on id.');
      check.done();
      return { subscription: await op(ctx, t!.vendor, 'subscriptions', 'cancelAddon', 'cancelling add-ons')(t!.vendorId, addonId) };
    }),
  updateSubscriptionQuantity: (_root, { id, quantity, effectiveDate }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const t = target(check, ctx, id);
      check.int(['quantity'], quantity, 1, 1_000_000);
      const when = effectiveDate ?? new Date().toISOString();
      // Allow a day of clock skew; a change cannot take effect in the past.
      if (Date.parse(when) < Date.now() - 24 * 3600 * 1000) check.fail(['effectiveDate'], 'effectiveDate cannot be in the past.');
      check.done();
      const result = await op(ctx, t!.vendor, 'subscriptions', 'updateQuantity', 'quantity changes')(t!.vendorId, quantity, when);
      return { subscription: result.subscription, quantityRequest: result.request };
    }),
  setSubscriptionAutoRenewal: (_root, { id, enabled }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const t = target(check, ctx, id);
      check.done();
      return { subscription: await op(ctx, t!.vendor, 'subscriptions', 'setAutoRenewal', 'auto-renewal settings')(t!.vendorId, enabled) };
    }),
  updateSubscription: (_root, { id, input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const t = target(check, ctx, id);
      check.object(['input', 'attributes'], input.attributes);
      if ((input.attributes === null || input.attributes === undefined) && (input.autoRenew === null || input.autoRenew === undefined)) {
        check.fail(['input'], 'Give attributes or autoRenew.');
      }
      check.done();
      return {
        subscription: await op(ctx, t!.vendor, 'subscriptions', 'update', 'updating subscriptions')(t!.vendorId, {
          attributes: (input.attributes as Record<string, unknown> | null | undefined) ?? null,
          autoRenew: input.autoRenew ?? null,
        }),
      };
    }),
  updateSubscriptionPricing: (_root, { id, products }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const t = target(check, ctx, id);
      if (products.length === 0 || products.length > 100) check.fail(['products'], 'Give 1 to 100 products.');
      const lines = products.map((p, i) => {
        const field = ['products', String(i)];
        const product = check.id(ctx, [...field, 'productId'], p.productId, 'Product', t?.vendor);
        check.decimal([...field, 'unitPrice'], p.unitPrice);
        check.decimal([...field, 'unitCost'], p.unitCost);
        check.currency([...field, 'currency'], p.currency);
        if (!p.unitPrice && !p.unitCost) check.fail(field, 'Give unitPrice or unitCost.');
        return { productVendorId: product?.vendorId ?? '', unitPrice: p.unitPrice, unitCost: p.unitCost, currency: p.currency };
      });
      check.done();
      return { subscription: await op(ctx, t!.vendor, 'subscriptions', 'updatePricing', 'special pricing')(t!.vendorId, lines) };
    }),
};
