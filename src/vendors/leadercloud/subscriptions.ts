/**
 * Leader Cloud subscriptions: list, by id, of an account, the sub-resources (add-ons,
 * custom fields, characteristics, current installment plan, quantity requests) and the
 * writes: cancel, cancel an add-on at the end of its billing period, change the quantity
 * (asynchronous: the vendor answers a SubscriptionChangeQuantityRequest whose `requestId`
 * the client polls) and auto-renewal.
 */
import { badUserInput } from '../../errors.js';
import type { SubscriptionModel } from '../../model.js';
import type { PageResult } from '../../paging.js';
import type { ListFilter, SubscriptionOps } from '../types.js';
import { GUID, filteredPage } from '../shared.js';
import { ENDPOINTS, datetimeLiteral, quote, type Clause, type J, type LeaderCloudCore } from './core.js';
import { accountStatusKey, type SessionLoaders } from './loaders.js';
import * as map from './mappers.js';

export function subscriptionsPart(core: LeaderCloudCore, loaders: SessionLoaders): SubscriptionOps {
  const { http } = core;

  async function list(offset: number, limit: number, filter: ListFilter): Promise<PageResult<SubscriptionModel>> {
    if (filter.subscriptionStatus && !map.SUB_STATUS_VENDOR[filter.subscriptionStatus]) return { items: [], total: 0, hasMore: false };
    if (filter.customerVendorId) {
      const mine = await loaders.subscriptionsByAccount.load(accountStatusKey(filter.customerVendorId, filter.subscriptionStatus));
      return filteredPage(mine, offset, limit, filter);
    }
    const clauses: Clause[] = [];
    const vendorStatus = filter.subscriptionStatus ? map.SUB_STATUS_VENDOR[filter.subscriptionStatus] : undefined;
    if (vendorStatus) clauses.push({ text: `status eq ${quote(vendorStatus)}`, shortcut: core.shortcuts.propertyFilter });
    if (filter.createdFrom) clauses.push({ text: `createdAt ge ${datetimeLiteral(filter.createdFrom)}`, shortcut: core.shortcuts.propertyFilter });
    if (filter.createdTo) clauses.push({ text: `createdAt le ${datetimeLiteral(filter.createdTo)}`, shortcut: core.shortcuts.propertyFilter });
    return loaders.filteredList(ENDPOINTS.subscriptions, {}, clauses, map.toSubscription, filter, offset, limit);
  }

  /** After a write: the subscription as the vendor has it now (its add-ons and lists read afresh too). */
  async function reread(vendorId: string): Promise<SubscriptionModel | null> {
    const key = vendorId.toLowerCase();
    loaders.subscriptions.clear(key);
    loaders.subscriptionAddons.clear(key);
    loaders.installmentPlans.clear(key);
    loaders.subscriptionsByAccount.clearAll();
    loaders.forgetPages(ENDPOINTS.subscriptions);
    return loaders.subscriptions.load(key);
  }

  return {
    get: (vendorId) => loaders.subscriptions.load(vendorId.toLowerCase()),
    list,
    // The status goes to the vendor (`status eq '…'`, with `accountId in (…)` or on the whole list).
    ofCustomer: (c, status) => loaders.subscriptionsByAccount.load(accountStatusKey(c.vendorId, status)),
    async addons(s) {
      return (await loaders.subscriptionAddons.load(s.vendorId.toLowerCase())).map(map.toAddon);
    },
    async customFields(s) {
      return map.toCustomFields(await loaders.subscriptionCustomFields.load(s.vendorId.toLowerCase()));
    },
    async characteristics(s) {
      return map.toCharacteristics(await loaders.subscriptionCharacteristics.load(s.vendorId.toLowerCase()));
    },
    async installmentPlan(s) {
      const plan = await loaders.installmentPlans.load(s.vendorId.toLowerCase());
      return plan ? map.toInstallmentPlan(plan) : null;
    },
    async quantityRequest(s, requestId) {
      // Request ids are GUIDs: anything else cannot exist (and would be a 400), so no call.
      if (!GUID.test(requestId)) return null;
      const found = await loaders.quantityRequests.load(`${s.vendorId.toLowerCase()} ${requestId.toLowerCase()}`);
      return found ? map.toQuantityRequest(found) : null;
    },
    async cancel(vendorId) {
      await http.send('POST', ENDPOINTS.subscriptionCancel(vendorId));
      return reread(vendorId);
    },
    async cancelAddon(vendorId, addonVendorId) {
      if (!GUID.test(addonVendorId)) throw badUserInput('A Leader Cloud add-on id is a GUID.', { argument: 'addonId' });
      await http.send('POST', ENDPOINTS.subscriptionAddonCancel(vendorId, addonVendorId));
      return reread(vendorId);
    },
    async updateQuantity(vendorId, quantity, effectiveDate) {
      const { body } = await http.send<J>('POST', ENDPOINTS.subscriptionQuantity(vendorId), { quantity, effectiveDate });
      // 200 SubscriptionChangeQuantityRequest (its requestId is what to poll), or Void.
      const request = body && typeof body === 'object' && body.requestId ? map.toQuantityRequest(body) : null;
      if (request) {
        const key = `${vendorId.toLowerCase()} ${request.id.toLowerCase()}`;
        loaders.quantityRequests.clear(key).prime(key, body);
      }
      return { subscription: await reread(vendorId), request };
    },
    async setAutoRenewal(vendorId, enabled) {
      const { body } = await http.send<J>('POST', ENDPOINTS.subscriptionAutoRenewal(vendorId), { autoRenewalEnabled: enabled });
      // AutoRenewalSettingResponseDto: a 200 can still say the setting was not changed.
      if (body && body.succeed === false) {
        const reasons = (body.errors ?? []).map((e: J) => e.description).filter(Boolean);
        throw badUserInput(`Leader Cloud did not change the auto renewal: ${[...reasons, body.message].filter(Boolean).join(' ') || 'no reason given'}`, { argument: 'id' });
      }
      return reread(vendorId);
    },
  };
}
