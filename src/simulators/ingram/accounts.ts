/**
 * Customers and resellers: list (filters, newest first), create, get, PATCH, and a
 * reseller's customers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimControl, SimProfile } from '../shared/control.js';
import {
  badRequest,
  containsCi,
  isObject,
  jsonBody,
  notFound,
  optAttributes,
  optEnum,
  optString,
  page,
  paging,
  queryString,
  reqString,
  type Json,
} from './http.js';
import {
  ACCOUNT_STATUSES,
  CONTACT_TYPES,
  currencyForCountry,
  type AccountRecord,
  type Address,
  type ContactPerson,
  type CustomerRecord,
  type ResellerRecord,
} from './model.js';
import type { IngramStore } from './store.js';

// ---- rendering ----------------------------------------------------------------------

function renderAccount(a: AccountRecord): Json {
  return {
    id: a.id,
    ...(a.externalId !== undefined ? { externalId: a.externalId } : {}),
    attributes: { ...a.attributes },
    status: a.status,
    name: a.name,
    address: { ...a.address },
    contactPersons: a.contactPersons.map((c) => ({ ...c })),
    language: a.language,
    ...(a.taxRegId !== undefined ? { taxRegId: a.taxRegId } : {}),
  };
}

export function renderCustomer(c: CustomerRecord): Json {
  return { ...renderAccount(c), resellerId: c.resellerId };
}

export function renderReseller(r: ResellerRecord): Json {
  return {
    ...renderAccount(r),
    currency: r.currency,
    taxationProviderName: r.taxationProviderName,
    customerClass: r.customerClass,
  };
}

/**
 * An account as a list row. `documented`: only `id, externalId, name, status`, the fields of
 * the one published list example (S4, the 1.5 customers how-to) and of the "basic details"
 * the list operations promise; address, contacts, language, tax id, attributes, reseller id
 * and (for resellers) currency come only from `GET /customers/{id}` / `GET /resellers/{id}`
 * ("extended details"). `extended`: the full account, as the detail GET has it.
 */
export function accountRow<T extends AccountRecord>(profile: SimProfile, render: (a: T) => Json): (a: T) => Json {
  if (profile === 'extended') return render;
  return (a) => ({
    id: a.id,
    ...(a.externalId !== undefined ? { externalId: a.externalId } : {}),
    name: a.name,
    status: a.status,
  });
}

// ---- input --------------------------------------------------------------------------

function parseAddress(value: unknown, label = 'address'): Address {
  if (!isObject(value)) throw badRequest(`${label} is required and must be an object.`);
  const address: Address = {
    streetAddress: reqString(value, 'streetAddress', `${label}.streetAddress`),
    postalCode: reqString(value, 'postalCode', `${label}.postalCode`),
    city: reqString(value, 'city', `${label}.city`),
    countryCode: reqString(value, 'countryCode', `${label}.countryCode`),
  };
  if (!/^[A-Za-z]{2}$/.test(address.countryCode)) throw badRequest(`${label}.countryCode must be an ISO 3166-1 alpha-2 code.`);
  address.countryCode = address.countryCode.toUpperCase();
  const extension = optString(value, 'addressExtension', `${label}.addressExtension`);
  if (extension) address.addressExtension = extension;
  const state = optString(value, 'state', `${label}.state`);
  if (state) address.state = state;
  return address;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseContacts(value: unknown): ContactPerson[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('contactPersons is required and must be a non-empty array.');
  return value.map((item, i) => {
    const label = `contactPersons[${i}]`;
    if (!isObject(item)) throw badRequest(`${label} must be an object.`);
    const contact: ContactPerson = {
      type: optEnum(item, 'type', CONTACT_TYPES, `${label}.type`) ?? 'admin',
      firstName: reqString(item, 'firstName', `${label}.firstName`),
      lastName: reqString(item, 'lastName', `${label}.lastName`),
      email: reqString(item, 'email', `${label}.email`),
      phoneNumber: reqString(item, 'phoneNumber', `${label}.phoneNumber`),
    };
    if (!EMAIL.test(contact.email)) throw badRequest(`${label}.email is not a valid email address.`);
    // login and password are write-only and only used to create the admin user: accepted, never stored.
    optString(item, 'login', `${label}.login`);
    optString(item, 'password', `${label}.password`);
    return contact;
  });
}

function parseLanguage(body: Json): string {
  const language = reqString(body, 'language');
  if (!/^[a-z]{2}(_[A-Z]{2})?$/.test(language)) throw badRequest(`Invalid language '${language}': expected a code like en_US.`);
  return language;
}

function parseNewAccount(body: Json, id: string): AccountRecord {
  const externalId = optString(body, 'externalId');
  const taxRegId = optString(body, 'taxRegId');
  return {
    id,
    ...(externalId ? { externalId } : {}),
    attributes: optAttributes(body) ?? {},
    status: optEnum(body, 'status', ACCOUNT_STATUSES) ?? 'active',
    name: reqString(body, 'name'),
    address: parseAddress(body.address),
    contactPersons: parseContacts(body.contactPersons),
    language: parseLanguage(body),
    ...(taxRegId ? { taxRegId } : {}),
  };
}

/** Applies an AccountUpdate body (CustomerUpdate / ResellerUpdate) to a record. */
function applyUpdate(account: AccountRecord, body: Json): void {
  const id = optString(body, 'id');
  if (id !== undefined && id !== account.id) throw badRequest(`The id in the body (${id}) does not match the id in the path (${account.id}).`);
  // Validate everything first so that a bad field changes nothing.
  const externalId = optString(body, 'externalId');
  const name = optString(body, 'name');
  if (name !== undefined && name.trim() === '') throw badRequest('name must not be empty.');
  const taxRegId = optString(body, 'taxRegId');
  const status = optEnum(body, 'status', ACCOUNT_STATUSES);
  const address = body.address === undefined || body.address === null ? undefined : parseAddress(body.address);
  const contacts = body.contactPersons === undefined || body.contactPersons === null ? undefined : parseContacts(body.contactPersons);
  const attributes = optAttributes(body);
  if (externalId !== undefined) account.externalId = externalId;
  if (name !== undefined) account.name = name;
  if (taxRegId !== undefined) account.taxRegId = taxRegId;
  if (status !== undefined) account.status = status;
  if (address) account.address = address;
  if (contacts) account.contactPersons = contacts;
  if (attributes) account.attributes = { ...account.attributes, ...attributes };
}

function filterAccounts<T extends AccountRecord>(request: FastifyRequest, items: T[]): T[] {
  const name = queryString(request, 'name');
  const email = queryString(request, 'email')?.toLowerCase();
  const externalId = queryString(request, 'externalId');
  return items.filter(
    (a) =>
      (name === undefined || containsCi(a.name, name)) &&
      (email === undefined || a.contactPersons.some((c) => c.email.toLowerCase() === email)) &&
      (externalId === undefined || a.externalId === externalId),
  );
}

// ---- routes -------------------------------------------------------------------------

export function registerAccountRoutes(scope: FastifyInstance, store: IngramStore, control: SimControl): void {
  const { profile } = control;
  const customerRow = accountRow(profile, renderCustomer);
  const resellerRow = accountRow(profile, renderReseller);
  const customer = (id: string) => {
    const found = store.customers.get(id);
    if (!found) throw notFound(`Customer with id '${id}' was not found.`);
    return found;
  };
  const reseller = (id: string) => {
    const found = store.resellers.get(id);
    if (!found) throw notFound(`Reseller with id '${id}' was not found.`);
    return found;
  };
  // Newest first: ids grow with creation time.
  const newestCustomers = () => [...store.customers.values()].reverse();

  const createCustomer = (request: FastifyRequest, resellerId: string) => {
    const body = jsonBody(request);
    const account = parseNewAccount(body, '');
    account.id = store.accountId();
    const record: CustomerRecord = { ...account, resellerId, currency: currencyForCountry(account.address.countryCode) };
    store.customers.set(record.id, record);
    return renderCustomer(record);
  };

  scope.get('/customers', async (request) => {
    const p = paging(request, profile);
    const resellerId = queryString(request, 'resellerId');
    const items = filterAccounts(request, newestCustomers()).filter((c) => resellerId === undefined || c.resellerId === resellerId);
    return page(items, p, customerRow);
  });

  scope.post('/customers', async (request) => createCustomer(request, store.ownResellerId));

  scope.get('/customers/:id', async (request) => renderCustomer(customer((request.params as { id: string }).id)));

  scope.patch('/customers/:id', async (request) => {
    const record = customer((request.params as { id: string }).id);
    applyUpdate(record, jsonBody(request));
    return renderCustomer(record);
  });

  scope.get('/resellers', async (request) => {
    const p = paging(request, profile);
    return page(filterAccounts(request, [...store.resellers.values()].reverse()), p, resellerRow);
  });

  scope.post('/resellers', async (request) => {
    const body = jsonBody(request);
    const account = parseNewAccount(body, '');
    const currency = reqString(body, 'currency');
    if (!/^[A-Z]{3}$/.test(currency)) throw badRequest(`Invalid currency '${currency}': expected an ISO 4217 code like USD.`);
    const record: ResellerRecord = {
      ...account,
      id: store.accountId(),
      currency,
      taxationProviderName: optString(body, 'taxationProviderName') ?? 'Vertex',
      customerClass: optString(body, 'customerClass') ?? 'Default',
    };
    store.resellers.set(record.id, record);
    return renderReseller(record);
  });

  scope.get('/resellers/:id', async (request) => renderReseller(reseller((request.params as { id: string }).id)));

  scope.patch('/resellers/:id', async (request) => {
    const record = reseller((request.params as { id: string }).id);
    applyUpdate(record, jsonBody(request));
    return renderReseller(record);
  });

  scope.get('/resellers/:id/customers', async (request) => {
    const r = reseller((request.params as { id: string }).id);
    const p = paging(request, profile);
    return page(filterAccounts(request, newestCustomers()).filter((c) => c.resellerId === r.id), p, customerRow);
  });

  scope.post('/resellers/:id/customers', async (request) => {
    const r = reseller((request.params as { id: string }).id);
    return createCustomer(request, r.id);
  });
}
