/**
 * Turns the simulator's state into the v3 DTOs of the Swagger contract. Most definitions
 * say `additionalProperties: false`, so only properties the spec defines are sent (plus
 * the names a pruned definition lists as required); absent optional values are omitted
 * rather than sent as null, since the spec marks no property x-nullable.
 */
import {
  COUNTRY_BY_ID,
  CUSTOM_FIELDS,
  ORDER_STATUS_IDS,
  type CharacteristicDef,
  type CustomFieldEntity,
  type LcAccount,
  type LcAddon,
  type LcAsset,
  type LcInvoice,
  type LcInvoiceItem,
  type LcOrder,
  type LcOrderItem,
  type LcProduct,
  type LcQuantityRequest,
  type LcState,
  type LcSubscription,
  type LcUnit,
  API_USER_ID,
} from './data.js';
import { lcDate, round2 } from './util.js';

type Dto = Record<string, unknown>;

export function liteAccount(a: LcAccount | undefined, id: number): Dto {
  return a ? { id: a.id, name: a.name } : { id };
}

export function liteUnit(u: LcUnit | undefined, id: string): Dto {
  return u ? { id: u.id, name: u.name } : { id };
}

export function customFieldsDto(entity: CustomFieldEntity, values: Map<number, string>): Dto[] {
  const def = CUSTOM_FIELDS[entity];
  return [
    {
      group: { ...def.group },
      groupFields: def.fields.map((f) => {
        const value = values.get(f.id);
        return {
          id: f.id,
          name: f.name,
          apiField: f.apiField,
          values: value === undefined || value === '' ? [] : [{ id: String(f.id), value }],
        };
      }),
    },
  ];
}

export function addressDto(a: LcAccount): Dto {
  const country = COUNTRY_BY_ID.get(a.address.countryId);
  const state = country?.states.find((s) => s.id === a.address.stateId);
  const out: Dto = {
    id: a.address.id,
    address: a.address.address,
    city: a.address.city,
    postCode: a.address.postCode,
    createdAt: lcDate(a.address.createdAt),
    updatedAt: lcDate(a.address.updatedAt),
  };
  if (a.address.address2) out.address2 = a.address.address2;
  if (country) out.country = { id: country.id, name: country.name, code: country.code };
  if (state) out.state = { id: state.id, name: state.name, code: state.code };
  return out;
}

export function accountDto(a: LcAccount, include: Set<string>): Dto {
  const out: Dto = {
    id: a.id,
    name: a.name,
    phone: a.phone,
    email: a.email,
    createdAt: lcDate(a.createdAt),
    updatedAt: lcDate(a.updatedAt),
    billingAddress: addressDto(a),
    ...a.flags,
  };
  if (include.has('customFields')) out.customFields = customFieldsDto('account', a.customFields);
  return out;
}

// ---- products ------------------------------------------------------------------------------

function characteristicGroups(defs: CharacteristicDef[], values?: Map<string, string>): Dto[] {
  const groups = new Map<string, Dto[]>();
  for (const c of defs) {
    const item: Dto = { id: c.id, name: c.name, type: c.type, isCompulsory: c.isCompulsory, valueType: c.valueType };
    const value = values ? values.get(c.id) : c.value;
    if (value !== undefined) item.value = value;
    if (c.valueSuffix) item.valueSuffix = c.valueSuffix;
    const list = groups.get(c.group) ?? [];
    list.push(item);
    groups.set(c.group, list);
  }
  return [...groups.entries()].map(([name, characteristics]) => ({ name, characteristics }));
}

export function productCharacteristicsDto(p: LcProduct): Dto {
  return { groups: characteristicGroups(p.characteristics) };
}

export function subscriptionCharacteristicGroups(state: LcState, s: LcSubscription): Dto[] {
  const product = state.productById.get(s.productId);
  if (!product) return [];
  // Product characteristics keep their product value; the rest show the subscription's.
  const values = new Map(s.characteristics);
  for (const c of product.characteristics) if (c.value !== undefined && !values.has(c.id)) values.set(c.id, c.value);
  return characteristicGroups(product.characteristics, values);
}

export function productCustomFieldValues(p: LcProduct): Map<number, string> {
  return new Map([
    [501, p.catalog.publisher],
    [502, p.catalog.family],
  ]);
}

export function productDto(state: LcState, p: LcProduct, include: Set<string>): Dto {
  const out: Dto = {
    id: p.id,
    name: p.name,
    code: p.code,
    type: p.type,
    category: { id: p.categoryId, name: p.catalog.family },
    unitOfMeasure: { id: p.unitOfMeasureId, name: p.catalog.unit },
    industries: [],
    chargeType: p.catalog.usageBased ? 'PayPerUse' : 'Prepaid',
    unitGroup: { id: 17, name: 'Recurring Charge' },
    productGroup: { id: p.productGroupId, name: p.catalog.publisher },
    createdAt: lcDate(p.createdAt),
    updatedAt: lcDate(p.updatedAt),
    isTaxable: true,
    isManualCancellationEnabled: p.catalog.publisher !== 'Microsoft',
    isActive: true,
    isDeleted: false,
    isStorefrontEnabled: true,
    allowsCustomEndDate: false,
  };
  if (include.has('characteristics')) out.characteristics = productCharacteristicsDto(p);
  if (include.has('customFields')) out.customFields = customFieldsDto('product', productCustomFieldValues(p));
  if (include.has('addons')) {
    out.addons = state.products.filter((a) => a.parentId === p.id).map((a) => ({ id: a.id, name: a.name, code: a.code }));
  }
  return out;
}

export function addonDto(p: LcProduct, include: Set<string>): Dto {
  const out: Dto = {
    id: p.id,
    name: p.name,
    code: p.code,
    category: { id: p.categoryId, name: p.catalog.family },
    unitOfMeasure: { id: p.unitOfMeasureId, name: p.catalog.unit },
    industries: [],
    createdAt: lcDate(p.createdAt),
    updatedAt: lcDate(p.updatedAt),
    isTaxable: true,
    isActive: true,
    isManualCancellationEnabled: p.catalog.publisher !== 'Microsoft',
  };
  if (include.has('characteristics')) out.characteristics = productCharacteristicsDto(p);
  if (include.has('customFields')) out.customFields = customFieldsDto('product', productCustomFieldValues(p));
  return out;
}

// ---- subscriptions -------------------------------------------------------------------------

function liteContact(state: LcState, accountId: number): Dto | undefined {
  const a = state.accountById.get(accountId);
  const c = a?.contacts[1] ?? a?.contacts[0];
  return c ? { id: c.id, firstName: c.firstName, lastName: c.lastName } : undefined;
}

export function subscriptionAmount(state: LcState, s: LcSubscription): number {
  const product = state.productById.get(s.productId);
  const unit = state.unitById.get(s.unitId);
  if (!product || !unit || s.isUsageBased) return 0;
  return round2(state.price(product, unit, s.currency).sell * s.quantity);
}

export function subscriptionDto(state: LcState, s: LcSubscription, include: Set<string>): Dto {
  const account = state.accountById.get(s.accountId);
  const product = state.productById.get(s.productId);
  const order = state.orderById.get(s.orderId);
  const out: Dto = {
    id: s.id,
    name: s.name,
    status: s.status,
    currency: s.currency,
    order: order ? { id: order.id, code: order.code } : { id: s.orderId },
    account: liteAccount(account, s.accountId),
    billingTo: liteAccount(account, s.accountId),
    startDate: lcDate(s.startDate),
    endDate: lcDate(s.endDate),
    activationDate: lcDate(s.activationDate),
    automaticRenewal: s.automaticRenewal,
    isUsageBased: s.isUsageBased,
    isBackordering: false,
    isTrial: false,
    product: { id: s.productId, name: product?.name ?? s.name, code: product?.code ?? '', isBundle: false },
    unit: liteUnit(state.unitById.get(s.unitId), s.unitId),
    quantity: s.quantity,
    subscriptionAmount: subscriptionAmount(state, s),
    createdAt: lcDate(s.createdAt),
    updatedAt: lcDate(s.updatedAt),
  };
  const contact = liteContact(state, s.accountId);
  if (contact) out.billToContact = contact;
  if (include.has('characteristics')) out.characteristics = subscriptionCharacteristicGroups(state, s);
  if (include.has('customFields')) out.customFields = customFieldsDto('subscription', s.customFields);
  return out;
}

export function subscriptionAddonDto(state: LcState, addon: LcAddon): Dto {
  const product = state.productById.get(addon.productId);
  const order = state.orderById.get(addon.orderId);
  return {
    id: addon.id,
    status: addon.status,
    order: order ? { id: order.id, code: order.code } : { id: addon.orderId },
    activationDate: lcDate(addon.activationDate),
    product: product ? { id: product.id, name: product.name, code: product.code } : { id: addon.productId },
    quantity: addon.quantity,
    createdAt: lcDate(addon.createdAt),
  };
}

export function installmentPlanDto(state: LcState, s: LcSubscription): Dto | undefined {
  if (!s.installmentPlanId) return undefined;
  const option = state.productById.get(s.productId)?.billingFrequencyOptions.find((o) => o.id === s.billingFrequencyOptionId);
  const account = state.accountById.get(s.accountId);
  const product = state.productById.get(s.productId);
  return {
    id: s.installmentPlanId,
    parentId: s.id,
    account: liteAccount(account, s.accountId),
    billingAccount: liteAccount(account, s.accountId),
    product: product ? { id: product.id, name: product.name, code: product.code } : { id: s.productId },
    unit: liteUnit(state.unitById.get(s.unitId), s.unitId),
    installments: option?.installments ?? 12,
    installmentsFrequency: option?.installmentsFrequency ?? 1,
    status: s.status === 'Cancelled' ? 'Cancelled' : 'Active',
    createdAt: lcDate(s.createdAt),
    updatedAt: lcDate(s.updatedAt),
  };
}

export function quantityRequestDto(q: LcQuantityRequest): Dto {
  return {
    requestId: q.requestId,
    subscriptionId: q.subscriptionId,
    previousSubscriptionQuantity: q.previous,
    nextSubscriptionQuantity: q.next,
    effectiveDate: lcDate(q.effectiveDate),
    status: q.status,
    createdAt: lcDate(q.createdAt),
    createdBy: API_USER_ID,
    updatedAt: lcDate(q.updatedAt),
    updatedBy: API_USER_ID,
  };
}

// ---- orders ----------------------------------------------------------------------------------

export function orderTotals(state: LcState, o: LcOrder) {
  const account = state.accountById.get(o.accountId);
  const totalOriginal = round2(o.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0));
  const totalCost = round2(o.items.reduce((sum, i) => sum + i.unitCost * i.quantity, 0));
  const monthly = round2(
    o.items.reduce((sum, i) => sum + (i.unitPrice * i.quantity) / (state.unitById.get(i.unitId)?.months ?? 1), 0),
  );
  const tax = account ? state.taxFor(account) : undefined;
  const taxAmount = tax ? round2(totalOriginal * tax.rate) : 0;
  return { totalOriginal, totalCost, monthly, tax, taxAmount, total: round2(totalOriginal + taxAmount) };
}

export function orderDto(state: LcState, o: LcOrder, include: Set<string>): Dto {
  const account = state.accountById.get(o.accountId);
  const t = orderTotals(state, o);
  const contact = account?.contacts.find((c) => c.id === o.contactId);
  const pm = state.paymentMethods.find((p) => p.id === account?.paymentMethodId);
  const out: Dto = {
    id: o.id,
    code: o.code,
    orderDate: lcDate(o.orderDate),
    account: liteAccount(account, o.accountId),
    billingTo: liteAccount(account, o.accountId),
    currency: o.currency,
    totalOriginal: t.totalOriginal,
    totalBeforeTax: t.totalOriginal,
    totalTaxes: t.tax ? [{ id: t.tax.id, name: t.tax.name, amount: t.taxAmount }] : [],
    total: t.total,
    totalCost: t.totalCost,
    totalProfit: round2(t.totalOriginal - t.totalCost),
    percentageProfit: t.totalOriginal > 0 ? round2(((t.totalOriginal - t.totalCost) / t.totalOriginal) * 100) : 0,
    monthlyRunRate: t.monthly,
    isBackOrder: false,
    creditLimitExceeded: false,
    awaitingPayment: false,
    createdAt: lcDate(o.createdAt),
    updatedAt: lcDate(o.updatedAt),
  };
  if (o.status) out.status = { id: ORDER_STATUS_IDS[o.status], name: o.status, type: o.status };
  if (contact) out.contact = { id: contact.id, firstName: contact.firstName, lastName: contact.lastName };
  if (pm) out.paymentMethod = { id: pm.id, name: pm.name, type: pm.type };
  if (include.has('customFields')) out.customFields = customFieldsDto('order', o.customFields);
  return out;
}

export function orderItemCharacteristicsDto(state: LcState, item: LcOrderItem): Dto {
  const product = state.productById.get(item.productId);
  const defs = (product?.characteristics ?? []).filter((c) => c.type !== 'Product Characteristic');
  return { groups: characteristicGroups(defs, item.characteristics).map((g) => stripCompulsory(g)) };
}

function stripCompulsory(group: Dto): Dto {
  // OrderItemCharacteristic has no isCompulsory property.
  const list = (group.characteristics as Dto[]).map(({ isCompulsory: _drop, ...rest }) => rest);
  return { ...group, characteristics: list };
}

export function orderItemDto(state: LcState, item: LcOrderItem, include: Set<string>): Dto {
  const product = state.productById.get(item.productId);
  const total = round2(item.unitPrice * item.quantity);
  const out: Dto = {
    id: item.id,
    position: item.position,
    type: 'Product',
    product: { id: item.productId, name: product?.name ?? '', code: product?.code ?? '', isBundle: false },
    unit: liteUnit(state.unitById.get(item.unitId), item.unitId),
    unitPrice: { value: item.unitPrice, isUserDefined: false },
    quantity: item.quantity,
    total,
    totalDiscountAmount: 0,
    isBillOnStart: true,
  };
  const sub = item.subscriptionId ? state.subscriptionById.get(item.subscriptionId) : undefined;
  if (sub) {
    const account = state.accountById.get(sub.accountId);
    out.subscription = { id: sub.id, name: sub.name, account: liteAccount(account, sub.accountId) };
  }
  if (item.relatedSubscriptionId) out.relatedSubscription = item.relatedSubscriptionId;
  if (item.relatedItemId) out.relatedItem = item.relatedItemId;
  const option = product?.billingFrequencyOptions.find((b) => b.id === item.billingFrequencyOptionId);
  if (option) out.billingFrequencyOption = { id: option.id, installments: option.installments, installmentsFrequency: option.installmentsFrequency };
  if (include.has('characteristics')) out.characteristics = orderItemCharacteristicsDto(state, item);
  return out;
}

// ---- invoices ------------------------------------------------------------------------------

const TAX_AUTHORITY: Record<string, string> = {
  AU: 'Australian Taxation Office',
  DE: 'Bundeszentralamt für Steuern',
  NL: 'Belastingdienst',
  US: 'Internal Revenue Service',
};

export function invoiceTotals(state: LcState, inv: LcInvoice) {
  const account = state.accountById.get(inv.accountId);
  const before = round2(inv.items.reduce((s, i) => s + i.total, 0));
  const tax = account ? state.taxFor(account) : undefined;
  const taxAmount = tax ? round2(before * tax.rate) : 0;
  return { before, tax, taxAmount, total: round2(before + taxAmount), cost: round2(inv.items.reduce((s, i) => s + i.cost, 0)) };
}

export function invoiceItemDto(state: LcState, inv: LcInvoice, item: LcInvoiceItem): Dto {
  const product = state.productById.get(item.productId);
  const sub = state.subscriptionById.get(item.subscriptionId);
  const account = state.accountById.get(inv.accountId);
  const subscription: Dto = { id: item.subscriptionId, name: sub?.name ?? '', account: liteAccount(account, inv.accountId) };
  if (item.addonId) subscription.relatedAddon = { id: item.addonId, name: product?.name ?? '' };
  if (item.usage) {
    subscription.usages = [
      {
        id: item.id,
        description: `${product?.name ?? 'Usage'} consumption`,
        unitPrice: item.unitPrice,
        unit: 'Usage',
        quantity: item.quantity,
        totalOriginal: item.total,
        total: item.total,
        unitCost: round2(item.cost / (item.quantity || 1)),
        totalCost: item.cost,
      },
    ];
  }
  return {
    id: item.id,
    position: item.position,
    description: item.description,
    product: product ? { id: product.id, name: product.name, code: product.code } : { id: item.productId },
    subscriptions: [subscription],
    startDate: lcDate(item.startDate),
    endDate: lcDate(item.endDate),
    unit: liteUnit(state.unitById.get(item.unitId), item.unitId),
    unitOfMeasure: product ? { id: product.unitOfMeasureId, name: product.catalog.unit } : { id: item.unitId },
    unitPrice: item.unitPrice,
    quantity: item.quantity,
    totalOriginal: item.total,
    total: item.total,
    isBundle: false,
  };
}

export function invoiceDto(state: LcState, inv: LcInvoice, include: Set<string>): Dto {
  const account = state.accountById.get(inv.accountId);
  const t = invoiceTotals(state, inv);
  const contact = account?.contacts[1] ?? account?.contacts[0];
  const pm = state.paymentMethods.find((p) => p.id === account?.paymentMethodId);
  const country = account ? COUNTRY_BY_ID.get(account.address.countryId) : undefined;
  const out: Dto = {
    id: inv.id,
    code: inv.code,
    status: { id: inv.status === 'Paid' ? 1 : inv.status === 'Unpaid' ? 2 : 3, name: inv.status, type: inv.status },
    type: { id: 1, name: 'Invoice', type: 'Debit' },
    invoiceDate: lcDate(inv.invoiceDate),
    dueDate: lcDate(inv.dueDate),
    account: liteAccount(account, inv.accountId),
    billingTo: liteAccount(account, inv.accountId),
    isReceipt: false,
    currency: inv.currency,
    transactionCurrency: inv.currency,
    exchangeRate: 1,
    totalBeforeTax: t.before,
    totalTaxes: t.tax ? [{ id: t.tax.id, name: t.tax.name, amount: t.taxAmount }] : [],
    total: t.total,
    unpaidAmount: inv.status === 'Unpaid' ? t.total : 0,
    totalCost: t.cost,
    createdAt: lcDate(inv.createdAt),
    updatedAt: lcDate(inv.updatedAt),
  };
  if (inv.paidDate !== null) out.paidDate = lcDate(inv.paidDate);
  if (contact) out.contact = { id: contact.id, firstName: contact.firstName, lastName: contact.lastName };
  if (account) {
    out.billingAdress = [account.address.address, account.address.address2, account.address.city, account.address.postCode, country?.name]
      .filter(Boolean)
      .join(', ');
    out.tradeName = account.name;
    out.taxNumber = account.taxNumber;
    if (country) out.taxAuthority = TAX_AUTHORITY[country.code] ?? country.name;
  }
  if (pm) out.paymentMethod = { id: pm.id, name: pm.name, type: pm.type };
  if (include.has('customFields')) out.customFields = customFieldsDto('invoice', inv.customFields);
  if (include.has('items')) out.items = inv.items.map((i) => invoiceItemDto(state, inv, i));
  return out;
}

// ---- assets --------------------------------------------------------------------------------

export function assetDto(state: LcState, a: LcAsset, include: Set<string>): Dto {
  const account = state.accountById.get(a.accountId);
  const product = state.productById.get(a.productId);
  const out: Dto = {
    id: a.id,
    name: a.name,
    status: a.status,
    provisioningStatus: a.provisioningStatus,
    assetAmount: a.amount,
    currency: a.currency,
    unit: state.unitById.get(a.unitId)?.name ?? 'Annual',
    endDate: lcDate(a.endDate),
    isBackOrdering: false,
    purchaseDate: lcDate(a.purchaseDate),
    customer: liteAccount(account, a.accountId),
    billingTo: liteAccount(account, a.accountId),
    // AssetProduct lists `quantity` as required without a property (a pruned definition).
    product: product ? { id: product.id, name: product.name, code: product.code, quantity: a.quantity } : { id: a.productId, quantity: a.quantity },
    createdAt: lcDate(a.createdAt),
    updatedAt: lcDate(a.updatedAt),
  };
  const contact = liteContact(state, a.accountId);
  if (contact) out.billToContact = contact;
  if (include.has('customFields')) out.customFields = customFieldsDto('asset', a.customFields);
  if (include.has('characteristics')) out.characteristics = product ? [productCharacteristicsDto(product)] : [];
  return out;
}
