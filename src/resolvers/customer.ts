import type {
  CustomerResolvers,
  CustomerServiceResolvers,
  MutationResolvers,
  QueryResolvers,
  ResellerResolvers,
  AddressInput,
  ContactInput,
  CreateCustomerInput,
  UpdateCustomerInput,
} from '../generated/graphql.js';
import type { CustomerModel, ResellerModel, VendorName } from '../model.js';
import type { CustomerWrite } from '../vendors/types.js';
import {
  detailFields,
  detailOf,
  entityFields,
  idFilter,
  listAcross,
  loadNode,
  maybeOp,
  op,
  prefetchCustomerRelations,
  related,
  relationConnection,
  vendorChecked,
} from './common.js';
import { InputCheck, idempotent, mutate } from './mutation.js';

export const Customer: CustomerResolvers = {
  ...entityFields<CustomerModel>(),
  // `raw` too: a customer named inside another payload (an order's, an invoice's) lacks it until loaded.
  ...detailFields<CustomerModel, 'email' | 'phone' | 'externalId' | 'address' | 'contacts' | 'createdAt' | 'updatedAt' | 'vendorStatus' | 'raw'>(
    'email',
    'phone',
    'externalId',
    'address',
    'contacts',
    'createdAt',
    'updatedAt',
    'vendorStatus',
    'raw',
  ),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Customer'),
  reseller: async (c, _args, ctx) => {
    const full = c.lacks?.includes('resellerVendorId') ? await detailOf(ctx, c) : c;
    return related(ctx, c.vendor, 'Reseller', full?.resellerVendorId);
  },
  customFields: async (c, _args, ctx) => {
    const load = maybeOp(ctx, c.vendor, 'customers', 'customFields');
    return load ? load(c) : (c.customFields ?? null);
  },
  billingAddress: async (c, _args, ctx) => {
    const load = maybeOp(ctx, c.vendor, 'customers', 'billingAddress');
    return load ? load(c) : null;
  },
  services: (c, _args, ctx) => op(ctx, c.vendor, 'customers', 'services', 'organization services')(c),
  estore: (c, _args, ctx) => op(ctx, c.vendor, 'customers', 'estore', 'the organization Estore')(c),
  subscriptions: async (c, args, ctx) => {
    const all = await op(ctx, c.vendor, 'subscriptions', 'ofCustomer', 'subscriptions')(c, args.status);
    const items = args.status ? all.filter((s) => s.status === args.status) : all;
    return relationConnection(`subs:${c.vendorId}:${args.status ?? ''}`, items, args.first, args.after);
  },
  orders: async (c, args, ctx) => relationConnection(`orders:${c.vendorId}`, await op(ctx, c.vendor, 'orders', 'ofCustomer', 'orders')(c), args.first, args.after),
  invoices: async (c, args, ctx) =>
    relationConnection(`invoices:${c.vendorId}`, await op(ctx, c.vendor, 'invoices', 'ofCustomer', 'invoices')(c), args.first, args.after),
};

export const Reseller: ResellerResolvers = {
  ...entityFields<ResellerModel>(),
  ...detailFields<ResellerModel, 'externalId' | 'currency' | 'address' | 'contacts' | 'vendorStatus'>('externalId', 'currency', 'address', 'contacts', 'vendorStatus'),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Reseller'),
  customers: async (r, args, ctx) => {
    const filter = { name: args.filter?.name, email: args.filter?.email, externalId: args.filter?.externalId };
    const customers = await op(ctx, r.vendor, 'customers', 'ofReseller', 'reseller customers')(r.vendorId, filter);
    return relationConnection(`reseller:${r.vendorId}:${JSON.stringify(filter)}`, customers, args.first, args.after);
  },
  orders: async (r, args, ctx) => relationConnection(`reseller-orders:${r.vendorId}`, await op(ctx, r.vendor, 'orders', 'ofReseller', 'reseller orders')(r.vendorId), args.first, args.after),
};

export const CustomerService: CustomerServiceResolvers = {
  service: async (s, _args, ctx) => {
    if (!s.serviceVendorId) return null;
    const services = await op(ctx, s.vendor, 'services', 'list', 'services')();
    return services.find((v) => v.vendorId.toLowerCase() === s.serviceVendorId!.toLowerCase()) ?? null;
  },
  priceList: (s, _args, ctx) => op(ctx, s.vendor, 'products', 'ofCustomerService', 'organization price lists')(s),
  subscriptions: (s, _args, ctx) => op(ctx, s.vendor, 'subscriptions', 'ofCustomerService', 'organization service subscriptions')(s),
};

export const customerQueries: Pick<QueryResolvers, 'customer' | 'customers' | 'reseller' | 'resellers' | 'vendorServices'> = {
  customer: (_root, args, ctx, info) => {
    prefetchCustomerRelations(ctx, args.id, info);
    return loadNode(ctx, args.id, 'Customer');
  },
  customers: (_root, args, ctx, info) => {
    const reseller = idFilter(ctx, args.vendor, args.filter?.resellerId, 'Reseller', 'filter.resellerId');
    return listAcross(ctx, info, 'Customer', { ...args, vendor: reseller.vendor }, {
      name: args.filter?.name,
      externalId: args.filter?.externalId,
      email: args.filter?.email,
      customerStatus: args.filter?.status,
      resellerVendorId: reseller.vendorId,
      updatedSince: args.filter?.updatedSince,
      billingAddressUpdatedSince: args.filter?.billingAddressUpdatedSince,
      sort: args.sort ? { field: args.sort.field, direction: args.sort.direction ?? 'ASC' } : null,
    });
  },
  reseller: (_root, args, ctx) => loadNode(ctx, args.id, 'Reseller'),
  resellers: (_root, args, ctx, info) =>
    listAcross(ctx, info, 'Reseller', args, { name: args.filter?.name, email: args.filter?.email, externalId: args.filter?.externalId }),
  vendorServices: (_root, args, ctx) => op(ctx, vendorChecked(ctx, args.vendor), 'services', 'list', 'a service catalogue')(),
};

// ---- mutations -----------------------------------------------------------------------

function checkAddress(check: InputCheck, field: string[], a: AddressInput | null | undefined) {
  if (!a) return;
  for (const key of ['street', 'street2', 'city', 'postalCode', 'state', 'country'] as const) check.text([...field, key], a[key], 200);
  if (a.countryCode !== null && a.countryCode !== undefined && !/^[A-Z]{2}$/.test(a.countryCode)) {
    check.fail([...field, 'countryCode'], 'countryCode must be an ISO 3166-1 alpha-2 code such as AU.');
  }
}

function checkContact(check: InputCheck, field: string[], c: ContactInput | null | undefined) {
  if (!c) return;
  for (const key of ['firstName', 'lastName', 'phone', 'role'] as const) check.text([...field, key], c[key], 100);
  check.email([...field, 'email'], c.email);
}

/** The vendor-specific blocks of an input must match the vendor it is for. */
function checkVendorBlocks(check: InputCheck, field: string[], vendor: VendorName, input: { leaderCloud?: unknown; cloudmore?: unknown; ingram?: unknown }) {
  const blocks: Array<[keyof typeof input, VendorName]> = [
    ['leaderCloud', 'LEADERCLOUD'],
    ['cloudmore', 'CLOUDMORE'],
    ['ingram', 'INGRAM'],
  ];
  for (const [key, owner] of blocks) {
    if (input[key] !== null && input[key] !== undefined && owner !== vendor) check.fail([...field, key], `${key} applies to ${owner} customers only.`);
  }
}

/** Checks the fields create and update share, and turns them into the adapter's input. */
function customerWrite(check: InputCheck, field: string[], vendor: VendorName, input: CreateCustomerInput | UpdateCustomerInput): CustomerWrite {
  check.text([...field, 'name'], input.name, 200);
  check.email([...field, 'email'], input.email);
  check.text([...field, 'phone'], input.phone, 50);
  check.text([...field, 'externalId'], input.externalId, 100);
  checkAddress(check, [...field, 'address'], input.address);
  checkContact(check, [...field, 'contact'], input.contact);
  checkVendorBlocks(check, field, vendor, input);
  const lc = 'leaderCloud' in input ? input.leaderCloud : null;
  if (lc) {
    check.decimal([...field, 'leaderCloud', 'creditLimit'], lc.creditLimit);
    check.decimal([...field, 'leaderCloud', 'billingFrequencyMarkup'], lc.billingFrequencyMarkup);
    if (lc.noteType && !['Invoice', 'Receipt'].includes(lc.noteType)) check.fail([...field, 'leaderCloud', 'noteType'], 'noteType must be Invoice or Receipt.');
    check.int([...field, 'leaderCloud', 'countryId'], lc.countryId, 1, 2 ** 31 - 1);
    check.int([...field, 'leaderCloud', 'stateId'], lc.stateId, 1, 2 ** 31 - 1);
    lc.customFields?.forEach((f, i) => {
      if (!/^[1-9]\d{0,9}$/.test(f.id)) check.fail([...field, 'leaderCloud', 'customFields', String(i), 'id'], 'A Leader Cloud custom field id is a positive integer.');
      check.text([...field, 'leaderCloud', 'customFields', String(i), 'value'], f.value, 4000);
    });
  }
  const im = input.ingram;
  if (im) {
    if (im.language && !/^[a-z]{2}(-[A-Za-z]{2})?$/.test(im.language)) check.fail([...field, 'ingram', 'language'], 'language must be a language code such as en.');
    check.text([...field, 'ingram', 'taxRegId'], im.taxRegId, 100);
    check.object([...field, 'ingram', 'attributes'], im.attributes);
  }
  const cm = input.cloudmore;
  if (cm) {
    check.text([...field, 'cloudmore', 'registrationNumber'], cm.registrationNumber, 100);
    check.text([...field, 'cloudmore', 'vat'], cm.vat, 100);
    check.email([...field, 'cloudmore', 'notificationEmail'], cm.notificationEmail);
  }
  check.jsonPatch([...field, 'patch'], 'patch' in input ? input.patch : null);
  if ('patch' in input && input.patch && vendor !== 'LEADERCLOUD') check.fail([...field, 'patch'], 'patch applies to LEADERCLOUD customers only.');
  return {
    name: input.name,
    email: input.email,
    phone: input.phone,
    externalId: input.externalId,
    address: input.address,
    contact: input.contact,
    patch: 'patch' in input ? (input.patch?.map((p) => ({ op: p.op.toLowerCase() as 'add', path: p.path, value: p.value, from: p.from ?? undefined })) ?? null) : null,
    leaderCloud: lc ?? null,
    cloudmore: cm ?? null,
    ingram: im ? { language: im.language, taxRegId: im.taxRegId, attributes: (im.attributes as Record<string, unknown> | null) ?? null } : null,
  };
}

export const customerMutations: Pick<
  MutationResolvers,
  'createCustomer' | 'updateCustomer' | 'deleteCustomer' | 'setCustomerCustomFields' | 'createReseller' | 'updateReseller' | 'addCustomerService' | 'removeCustomerService'
> = {
  createCustomer: (_root, { input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const vendor = vendorChecked(ctx, input.vendor);
      check.text(['input', 'name'], input.name, 200, true);
      const write = customerWrite(check, ['input'], vendor, input);
      const reseller = check.id(ctx, ['input', 'resellerId'], input.resellerId, 'Reseller', vendor);
      check.done();
      const create = op(ctx, vendor, 'customers', 'create', 'creating customers');
      const { idempotencyKey, ...fingerprint } = input;
      const customer = await idempotent(ctx, vendor, 'createCustomer', idempotencyKey, fingerprint, () =>
        create({ ...write, name: input.name, resellerVendorId: reseller?.vendorId ?? null }),
      );
      return { customer };
    }),
  updateCustomer: (_root, { id, input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const target = check.id(ctx, ['id'], id, 'Customer');
      check.done();
      const write = customerWrite(check, ['input'], target!.vendor, input);
      check.done();
      const customer = await op(ctx, target!.vendor, 'customers', 'update', 'updating customers')(target!.vendorId, write);
      return { customer };
    }),
  deleteCustomer: (_root, { id }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const target = check.id(ctx, ['id'], id, 'Customer');
      check.done();
      await op(ctx, target!.vendor, 'customers', 'delete', 'deleting customers')(target!.vendorId);
      return { deletedId: id };
    }),
  setCustomerCustomFields: (_root, { id, values }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const target = check.id(ctx, ['id'], id, 'Customer');
      if (values.length === 0 || values.length > 100) check.fail(['values'], 'Give 1 to 100 custom field values.');
      values.forEach((v, i) => {
        if (!/^[1-9]\d{0,9}$/.test(v.id)) check.fail(['values', String(i), 'id'], 'A custom field id is a positive integer.');
        check.text(['values', String(i), 'value'], v.value, 4000);
      });
      check.done();
      const customer = await op(ctx, target!.vendor, 'customers', 'setCustomFields', 'custom fields')(
        target!.vendorId,
        values.map((v) => ({ id: v.id, value: v.value ?? null })),
      );
      return { customer };
    }),
  createReseller: (_root, { input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const vendor = vendorChecked(ctx, input.vendor);
      check.text(['input', 'name'], input.name, 200, true);
      check.text(['input', 'externalId'], input.externalId, 100);
      checkAddress(check, ['input', 'address'], input.address);
      checkContact(check, ['input', 'contact'], input.contact);
      check.currency(['input', 'currency'], input.currency);
      checkVendorBlocks(check, ['input'], vendor, input);
      check.done();
      const create = op(ctx, vendor, 'resellers', 'create', 'creating resellers');
      const { idempotencyKey, ...fingerprint } = input;
      const reseller = await idempotent(ctx, vendor, 'createReseller', idempotencyKey, fingerprint, () =>
        create({
          name: input.name,
          externalId: input.externalId,
          address: input.address,
          contact: input.contact,
          currency: input.currency,
          ingram: input.ingram ? { ...input.ingram, attributes: (input.ingram.attributes as Record<string, unknown> | null) ?? null } : null,
        }),
      );
      return { reseller };
    }),
  updateReseller: (_root, { id, input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const target = check.id(ctx, ['id'], id, 'Reseller');
      check.text(['input', 'name'], input.name, 200);
      check.text(['input', 'externalId'], input.externalId, 100);
      checkAddress(check, ['input', 'address'], input.address);
      checkContact(check, ['input', 'contact'], input.contact);
      check.done();
      checkVendorBlocks(check, ['input'], target!.vendor, input);
      check.done();
      const reseller = await op(ctx, target!.vendor, 'resellers', 'update', 'updating resellers')(target!.vendorId, {
        name: input.name,
        externalId: input.externalId,
        address: input.address,
        contact: input.contact,
        ingram: input.ingram ? { ...input.ingram, attributes: (input.ingram.attributes as Record<string, unknown> | null) ?? null } : null,
      });
      return { reseller };
    }),
  addCustomerService: (_root, { input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const target = check.id(ctx, ['input', 'customerId'], input.customerId, 'Customer');
      check.text(['input', 'serviceId'], input.serviceId, 100, true);
      check.object(['input', 'properties'], input.properties);
      check.done();
      const service = await op(ctx, target!.vendor, 'customers', 'addService', 'organization services')(
        target!.vendorId,
        input.serviceId,
        (input.properties as Record<string, unknown> | null) ?? null,
      );
      return { service };
    }),
  removeCustomerService: (_root, { customerId, serviceId }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const target = check.id(ctx, ['customerId'], customerId, 'Customer');
      check.text(['serviceId'], serviceId, 100, true);
      check.done();
      await op(ctx, target!.vendor, 'customers', 'removeService', 'organization services')(target!.vendorId, serviceId);
      return { deletedId: null };
    }),
};
