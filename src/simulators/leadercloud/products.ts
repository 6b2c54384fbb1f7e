/** /api/products: catalogue, add-ons, billing frequency options, pricing, external prices, characteristics, custom fields. */
import type { FastifyInstance } from 'fastify';
import type { Currency } from '../shared/world.js';
import type { LcProduct, LcState } from './data.js';
import { PRODUCT_FIELDS } from './fields.js';
import { paged, q, query, type RouteContext } from './http.js';
import { badRequest, guidParam, intParam, lcDate, notFound, parseGuid, parseInclude, round2 } from './util.js';
import { addonDto, customFieldsDto, productCharacteristicsDto, productCustomFieldValues, productDto } from './views.js';

const PRODUCT_INCLUDES = ['characteristics', 'customFields', 'addons'] as const;
const ADDON_INCLUDES = ['characteristics', 'customFields'] as const;
const CURRENCIES: Currency[] = ['AUD', 'EUR', 'USD'];

export function findProduct(state: LcState, raw: unknown): LcProduct {
  const id = guidParam(raw, 'productId');
  const product = state.productById.get(id);
  if (!product) throw notFound('ProductNotFoundError', 'Product', id);
  return product;
}

export function registerProducts(app: FastifyInstance, ctx: RouteContext): void {
  const { state } = ctx;
  const product = (request: { params: unknown }) => findProduct(state, (request.params as { productId: string }).productId);

  app.get('/api/products', async (request) => {
    const include = parseInclude(q(request, 'include'), PRODUCT_INCLUDES, 'products');
    return paged(request, query(ctx, request, state.products, PRODUCT_FIELDS, 'products'), (p) => productDto(state, p, include));
  });

  app.get('/api/products/:productId', async (request) => {
    const include = parseInclude(q(request, 'include'), PRODUCT_INCLUDES, 'products');
    return productDto(state, product(request), include);
  });

  app.get('/api/products/:productId/addons', async (request) => {
    const p = product(request);
    const include = parseInclude(q(request, 'include'), ADDON_INCLUDES, 'addons');
    return state.products.filter((a) => a.parentId === p.id).map((a) => addonDto(a, include));
  });

  app.get('/api/products/:productId/billingfrequencyoptions', async (request) => {
    const p = product(request);
    return paged(request, p.billingFrequencyOptions, (o) => {
      const unit = state.unitById.get(o.unitId);
      return {
        id: o.id,
        unit: unit ? { id: unit.id, name: unit.name } : { id: o.unitId },
        installments: o.installments,
        installmentsFrequency: o.installmentsFrequency,
        createdAt: lcDate(o.createdAt),
      };
    });
  });

  app.get('/api/products/:productId/pricing', async (request) => {
    const p = product(request);
    return {
      freePeriod: false,
      prices: CURRENCIES.map((currency) => ({
        currency,
        units: p.units.map((u) => {
          const price = state.price(p, u, currency);
          return { id: u.id, name: u.name, sellPrice: price.sell, purchasePrice: price.cost, autoCalculated: false, term: u.months };
        }),
      })),
      decimals: 2,
      upfrontBilling: false,
      hasExternalPricing: p.catalog.usageBased,
      isBillingFrequencyEnabled: p.billingFrequencyOptions.length > 0,
    };
  });

  app.get('/api/products/:productId/externalprices', async (request) => {
    const p = product(request);
    const rawUnit = q(request, 'unitId');
    if (rawUnit === undefined || rawUnit === '') throw badRequest('The unitId field is required.', 'InvalidParameterError');
    const unitId = parseGuid(rawUnit);
    if (!unitId) throw badRequest(`The value '${rawUnit}' is not valid for unitId: a GUID is expected.`, 'InvalidParameterError');
    const currency = q(request, 'currency');
    if (currency === undefined || currency.trim() === '') throw badRequest('The currency field is required.', 'InvalidParameterError');
    const cur = CURRENCIES.find((c) => c === currency.trim().toUpperCase());
    if (!cur) throw badRequest(`No price list in currency '${currency}'. Available: ${CURRENCIES.join(', ')}.`, 'PriceNotFoundError');
    const unit = p.units.find((u) => u.id === unitId);
    if (!unit) throw badRequest(`The unit '${unitId}' is not sold for product '${p.name}'. Units: ${p.units.map((u) => `${u.name} (${u.id})`).join(', ')}.`, 'PriceNotFoundError');
    const rawAccount = q(request, 'accountId');
    if (rawAccount !== undefined && rawAccount !== '') {
      const accountId = intParam(rawAccount, 'accountId');
      if (!state.accountById.has(accountId)) throw notFound('AccountNotFoundError', 'Account', accountId);
    }
    const rawCountry = q(request, 'countryId');
    if (rawCountry !== undefined && rawCountry !== '') intParam(rawCountry, 'countryId');
    const rawOption = q(request, 'billingFrequencyOptionId');
    const price = state.price(p, unit, cur);
    if (rawOption !== undefined && rawOption !== '') {
      const optionId = guidParam(rawOption, 'billingFrequencyOptionId');
      const option = p.billingFrequencyOptions.find((o) => o.id === optionId && o.unitId === unit.id);
      if (!option) throw badRequest(`Billing frequency option '${optionId}' does not apply to unit '${unit.name}' of this product.`, 'InvalidParameterError');
      return {
        sellPrice: round2(price.sell / option.installments),
        purchasePrice: round2(price.cost / option.installments),
        details: `${unit.name} price in ${cur}, billed in ${option.installments} installments`,
      };
    }
    return {
      sellPrice: price.sell,
      purchasePrice: price.cost,
      details: p.catalog.usageBased ? `Usage-based: charged from the vendor's consumption in ${cur}` : `${unit.name} price in ${cur}`,
    };
  });

  app.get('/api/products/:productId/characteristics', async (request) => {
    // `include` is documented here without values; it is accepted and ignored.
    return productCharacteristicsDto(product(request));
  });

  app.get('/api/products/:productId/customfields', async (request) => customFieldsDto('product', productCustomFieldValues(product(request))));
}
