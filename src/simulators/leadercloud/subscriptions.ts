/**
 * /api/subscriptions: list, detail, add-ons (cancel at end of billing period), custom
 * fields, characteristics, installment plan, cancel, asynchronous quantity change and
 * auto-renewal. Timed changes run on the simulator clock (LcState.settle).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { QUANTITY_PROCESSING_MS, type LcQuantityRequest, type LcState, type LcSubscription } from './data.js';
import { subscriptionFields } from './fields.js';
import { objectBody, paged, q, query, type RouteContext } from './http.js';
import { DAY_MS, badRequest, guidParam, lcError, notFound, parseInclude, parseLcDate } from './util.js';
import {
  customFieldsDto,
  installmentPlanDto,
  quantityRequestDto,
  subscriptionAddonDto,
  subscriptionCharacteristicGroups,
  subscriptionDto,
} from './views.js';

/** The organization (Leader Cloud's reseller tenant) named in SubscriptionNotFoundError messages. */
export const ORGANIZATION_ID = 1;

const SUBSCRIPTION_INCLUDES = ['characteristics', 'customFields'] as const;

export function findSubscription(state: LcState, raw: unknown): LcSubscription {
  const id = guidParam(raw, 'subscriptionId');
  const sub = state.subscriptionById.get(id);
  if (!sub) {
    throw notFound('SubscriptionNotFoundError', 'Subscription', id, `Subscription with Id: '${id}' was not found in the organization with Id: '${ORGANIZATION_ID}'.`);
  }
  return sub;
}

/** The end of the subscription's current billing period at `now` (rolls a past end date forward by whole terms). */
export function currentPeriodEnd(state: LcState, sub: LcSubscription, now: number): number {
  const unit = state.unitById.get(sub.unitId);
  const term = (unit?.months === 12 ? 365 : 30) * DAY_MS;
  let end = sub.endDate;
  if (end <= now) end += Math.ceil((now - end + 1) / term) * term;
  return end;
}

function empty(reply: FastifyReply): FastifyReply {
  return reply.code(200).send();
}

export function registerSubscriptions(app: FastifyInstance, ctx: RouteContext): void {
  const { state, control } = ctx;
  const fields = subscriptionFields(state);
  const sub = (request: { params: unknown }) => findSubscription(state, (request.params as { subscriptionId: string }).subscriptionId);

  app.get('/api/subscriptions', async (request) => {
    const include = parseInclude(q(request, 'include'), SUBSCRIPTION_INCLUDES, 'subscriptions');
    return paged(request, query(ctx, request, state.subscriptions, fields, 'subscriptions'), (s) => subscriptionDto(state, s, include));
  });

  app.get('/api/subscriptions/:subscriptionId', async (request) => {
    const include = parseInclude(q(request, 'include'), SUBSCRIPTION_INCLUDES, 'subscriptions');
    return subscriptionDto(state, sub(request), include);
  });

  app.get('/api/subscriptions/:subscriptionId/addons', async (request) => sub(request).addons.map((a) => subscriptionAddonDto(state, a)));

  app.post('/api/subscriptions/:subscriptionId/addons/:addonId/cancelendofbillingperiod', async (request, reply) => {
    const s = sub(request);
    const addonId = guidParam((request.params as { addonId: string }).addonId, 'addonId');
    const addon = s.addons.find((a) => a.id === addonId);
    if (!addon) throw lcError(404, 'SubscriptionAddonNotFoundError', `Addon with Id: '${addonId}' was not found in subscription '${s.id}'.`);
    if (addon.status !== 'Active' && addon.status !== 'Suspended') {
      throw lcError(400, 'ServiceError', `Addon '${addonId}' cannot be cancelled: its status is ${addon.status}.`);
    }
    const now = control.now();
    addon.status = 'PendingCancellation';
    s.updatedAt = now;
    const at = currentPeriodEnd(state, s, now);
    state.schedule(at, () => {
      if (addon.status === 'PendingCancellation') {
        addon.status = 'Cancelled';
        s.updatedAt = Math.max(s.updatedAt, at);
      }
    });
    return empty(reply);
  });

  app.get('/api/subscriptions/:subscriptionId/customfields', async (request) => customFieldsDto('subscription', sub(request).customFields));

  app.get('/api/subscriptions/:subscriptionId/characteristics', async (request) => ({ groups: subscriptionCharacteristicGroups(state, sub(request)) }));

  app.get('/api/subscriptions/:subscriptionId/currentInstallmentplan', async (request) => {
    const s = sub(request);
    const plan = installmentPlanDto(state, s);
    if (!plan) throw lcError(404, 'InstallmentPlanNotFoundError', `Subscription '${s.id}' has no installment plan.`);
    return plan;
  });

  app.post('/api/subscriptions/:subscriptionId/cancel', async (request, reply) => {
    const s = sub(request);
    if (s.status === 'Cancelled') throw lcError(400, 'SubscriptionCancellationPlatformError', `Subscription '${s.id}' is already cancelled.`);
    const now = control.now();
    s.status = 'Cancelled';
    s.endDate = now;
    s.updatedAt = now;
    for (const a of s.addons) if (a.status !== 'Cancelled') a.status = 'Cancelled';
    return empty(reply);
  });

  app.post('/api/subscriptions/:subscriptionId/quantity', async (request) => {
    const s = sub(request);
    const body = objectBody(request);
    const { quantity, effectiveDate } = body;
    if (quantity === undefined || quantity === null) throw badRequest('The quantity field is required.');
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 2147483647) {
      throw badRequest('quantity must be a whole number of at least 1.');
    }
    if (effectiveDate === undefined || effectiveDate === null || effectiveDate === '') throw badRequest('The effectiveDate field is required.');
    const effective = typeof effectiveDate === 'string' ? parseLcDate(effectiveDate) : undefined;
    if (effective === undefined) throw badRequest(`effectiveDate '${String(effectiveDate)}' is not a valid ISO 8601 date-time.`);
    if (s.isUsageBased) throw lcError(400, 'UnsupportedUpdateTypeException', `Subscription '${s.id}' is usage-based; its quantity cannot be changed.`);
    if (s.status !== 'Active') throw lcError(400, 'UnsupportedUpdateTypeException', `Subscription '${s.id}' is ${s.status}; only active subscriptions can change quantity.`);
    const now = control.now();
    const request_: LcQuantityRequest = {
      requestId: state.rng.guid(),
      subscriptionId: s.id,
      previous: s.quantity,
      next: quantity,
      effectiveDate: effective,
      appliesAt: Math.max(effective, now + QUANTITY_PROCESSING_MS),
      status: 0,
      createdAt: now,
      updatedAt: now,
    };
    state.quantityRequests.set(request_.requestId, request_);
    state.schedule(request_.appliesAt, () => {
      const at = request_.appliesAt;
      request_.updatedAt = at;
      if (s.status === 'Cancelled') {
        request_.status = 2;
        return;
      }
      s.quantity = request_.next;
      s.updatedAt = at;
      request_.status = 1;
    });
    return quantityRequestDto(request_);
  });

  app.get('/api/subscriptions/:subscriptionId/quantityrequest/:requestId', async (request) => {
    const s = sub(request);
    const requestId = guidParam((request.params as { requestId: string }).requestId, 'requestId');
    const found = state.quantityRequests.get(requestId);
    if (!found || found.subscriptionId !== s.id) {
      throw lcError(404, 'SubscriptionChangeQuantityRequestNotFoundError', `Quantity request with Id: '${requestId}' was not found for subscription '${s.id}'.`);
    }
    return quantityRequestDto(found);
  });

  app.post('/api/subscriptions/:subscriptionId/autoRenewalSettings', async (request) => {
    const s = sub(request);
    const body = objectBody(request);
    if (typeof body.autoRenewalEnabled !== 'boolean') throw badRequest('autoRenewalEnabled is required and must be true or false.');
    if (s.status === 'Cancelled' || s.status === 'Inactive') {
      return {
        succeed: false,
        errors: [{ errorCode: 'SubscriptionNotActive', severity: 2, description: `Subscription '${s.id}' is ${s.status}.` }],
        message: 'The auto renewal setting was not updated.',
      };
    }
    s.automaticRenewal = body.autoRenewalEnabled;
    s.updatedAt = control.now();
    return { succeed: true, errors: [], message: `Auto renewal ${s.automaticRenewal ? 'enabled' : 'disabled'}.` };
  });
}
