/**
 * Cloudmore broker (reseller) routes: organizations, reseller services, organization
 * services, Estore and price lists (subscriptions: subscriptions.ts). Paths are spelled as
 * in Cloudmore's Swagger (v1.07.0); the router is case-insensitive like ASP.NET.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { originOf } from '../shared/server.js';
import type { SimControl } from '../shared/control.js';
import type { Currency } from '../shared/world.js';
import { resellerGuard } from './auth.js';
import {
  CURRENCIES,
  estoreDetailView,
  estoreView,
  organizationDetailView,
  organizationServiceDetailView,
  organizationServiceView,
  organizationView,
  priceListItemView,
  serviceDetailView,
  serviceView,
  type CloudmoreStore,
  type OrganizationRecord,
  type OrgServiceRecord,
  type ServiceRecord,
} from './data.js';
import { ModelValidator, invalid, jsonBody, notFound } from './errors.js';
import type { HealthStatusView } from './models.js';

export const R = '/api/resellers/:resellerId';

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
export type ResellerRoute = (method: HTTPMethods, url: string, handler: Handler) => void;

/** Registers routes under `R`, each behind the bearer/reseller guard. */
export function resellerRouter(app: FastifyInstance, control: SimControl): ResellerRoute {
  const guard = resellerGuard(control);
  return (method, url, handler) => {
    app.route({ method, url: R + url, onRequest: guard, handler });
  };
}

export function params(request: FastifyRequest): Record<string, string> {
  return request.params as Record<string, string>;
}

const CURRENCY_CODES: readonly Currency[] = ['AUD', 'EUR', 'USD'];
const API_VERSION = 'v1.07.0';

// ---- lookups ---------------------------------------------------------------------------

export function findOrganization(store: CloudmoreStore, id: string | undefined): OrganizationRecord {
  const org = store.organizations.get((id ?? '').toLowerCase());
  if (!org) throw notFound(`Organization '${id}' was not found.`);
  return org;
}

export function findService(store: CloudmoreStore, id: string | undefined): ServiceRecord {
  const service = store.servicesById.get((id ?? '').toLowerCase());
  if (!service) throw notFound(`Service '${id}' was not found.`);
  return service;
}

export function findOrgService(store: CloudmoreStore, org: OrganizationRecord, id: string | undefined): { os: OrgServiceRecord; service: ServiceRecord } {
  const os = org.services.get((id ?? '').toLowerCase());
  const service = os && store.servicesById.get(os.serviceId);
  if (!os || !service) throw notFound(`Service '${id}' is not added to organization '${org.id}'.`);
  return { os, service };
}

function boolQuery(request: FastifyRequest, name: string): boolean | undefined {
  const value = ModelValidator.get(request.query as Record<string, unknown>, name);
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalid(`The value '${String(value)}' is not valid for ${name}.`);
}

// ---- organization bodies -----------------------------------------------------------------

/** Reads OrganizationCreateViewModel / OrganizationUpdateViewModel fields into `target`. */
function applyOrganizationBody(body: Record<string, unknown>, target: Partial<OrganizationRecord>, creating: boolean): void {
  const v = new ModelValidator();
  const name = v.string(body, 'name', 'Name', { required: true, max: 100 });
  const strings: Array<[keyof OrganizationRecord, string, string, { max?: number; email?: boolean }]> = [
    ['registrationNumber', 'registrationNumber', 'RegistrationNumber', { max: 50 }],
    ['vat', 'vat', 'Vat', { max: 50 }],
    ['customerNumber', 'customerNumber', 'CustomerNumber', { max: 50 }],
    ['domain', 'domain', 'Domain', { max: 100 }],
    ['notificationEmail', 'notificationEmail', 'NotificationEmail', { email: true }],
    ['supportEmail', 'supportEmail', 'SupportEmail', { email: true }],
    ['languageCode', 'languageCode', 'LanguageCode', { max: 10 }],
  ];
  const values: Partial<Record<keyof OrganizationRecord, unknown>> = {};
  for (const [prop, jsonName, key, opts] of strings) {
    const value = v.string(body, jsonName, key, opts);
    if (value !== undefined) values[prop] = value;
  }
  const currency = v.string(body, 'currencyCode', 'CurrencyCode', { oneOf: CURRENCY_CODES });
  const allowCmpAccess = v.boolean(body, 'allowCmpAccess', 'AllowCmpAccess');
  const isActive = creating ? undefined : v.boolean(body, 'isActive', 'IsActive');

  const contactBody = v.object(body, 'contact', 'Contact');
  let contact: OrganizationRecord['contact'] | undefined;
  if (contactBody) {
    contact = {
      name: v.string(contactBody, 'name', 'Contact.Name', { required: true, max: 100 }) ?? '',
      jobTitle: v.string(contactBody, 'jobTitle', 'Contact.JobTitle', { max: 100 }) ?? null,
      email: v.string(contactBody, 'email', 'Contact.Email', { required: true, email: true }) ?? '',
      phonePrefix: v.string(contactBody, 'phonePrefix', 'Contact.PhonePrefix', { max: 6 }) ?? null,
      phone: v.string(contactBody, 'phone', 'Contact.Phone', { max: 30 }) ?? null,
      cellPhonePrefix: v.string(contactBody, 'cellPhonePrefix', 'Contact.CellPhonePrefix', { max: 6 }) ?? null,
      cellPhone: v.string(contactBody, 'cellPhone', 'Contact.CellPhone', { max: 30 }) ?? null,
    };
  }
  const addressBody = v.object(body, 'address', 'Address');
  let address: OrganizationRecord['address'] | undefined;
  if (addressBody) {
    address = {
      address: v.string(addressBody, 'address', 'Address.Address', { max: 200 }) ?? null,
      postalCode: v.string(addressBody, 'postalCode', 'Address.PostalCode', { max: 20 }) ?? null,
      city: v.string(addressBody, 'city', 'Address.City', { max: 100 }) ?? null,
      countryCode: v.string(addressBody, 'countryCode', 'Address.CountryCode', { max: 2 })?.toUpperCase() ?? null,
    };
  }
  const invoiceBody = v.object(body, 'invoiceContact', 'InvoiceContact');
  let invoiceContact: OrganizationRecord['invoiceContact'] | undefined;
  if (invoiceBody) {
    invoiceContact = {
      name: v.string(invoiceBody, 'name', 'InvoiceContact.Name', { max: 100 }) ?? null,
      email: v.string(invoiceBody, 'email', 'InvoiceContact.Email', { email: true }) ?? null,
      phonePrefix: v.string(invoiceBody, 'phonePrefix', 'InvoiceContact.PhonePrefix', { max: 6 }) ?? null,
      phone: v.string(invoiceBody, 'phone', 'InvoiceContact.Phone', { max: 30 }) ?? null,
    };
  }
  v.throwIfInvalid();

  Object.assign(target, values);
  if (name) target.name = name.trim();
  if (currency) target.currencyCode = currency.toUpperCase() as Currency;
  if (allowCmpAccess !== undefined) target.allowCmpAccess = allowCmpAccess;
  if (isActive !== undefined) target.isActive = isActive;
  if (contact) target.contact = contact;
  if (address) target.address = address;
  if (invoiceContact) target.invoiceContact = invoiceContact;
}

// ---- routes ----------------------------------------------------------------------------

export function registerRoutes(app: FastifyInstance, control: SimControl, store: CloudmoreStore): void {
  const route = resellerRouter(app, control);
  const now = () => new Date(control.now());

  // Healthcheck: no authentication [I]; the response shape is [U].
  app.get('/api/healthcheck', async () => {
    const body: HealthStatusView = { status: 'Healthy', version: API_VERSION, timestamp: now().toISOString() };
    return body;
  });

  // ---- organizations
  route('GET', '/Organizations', async (request) => {
    const showActive = boolQuery(request, 'showActive');
    const all = [...store.organizations.values()];
    return (showActive ? all.filter((o) => o.isActive) : all).map(organizationView);
  });

  route('POST', '/Organizations', async (request, reply) => {
    const body = jsonBody(request);
    const created = now();
    const org: OrganizationRecord = {
      id: store.ids.guid(),
      name: '',
      customerNumber: null,
      registrationNumber: null,
      vat: null,
      domain: null,
      isActive: true,
      currencyCode: 'EUR',
      languageCode: 'en-US',
      notificationEmail: null,
      supportEmail: null,
      allowCmpAccess: false,
      contact: null,
      address: null,
      invoiceContact: null,
      createdDate: created,
      modifiedDate: created,
      services: new Map(),
      subscriptions: [],
    };
    applyOrganizationBody(body, org, true);
    store.organizations.set(org.id, org);
    const { resellerId } = params(request);
    void reply.code(201).header('location', `${originOf(request)}/api/resellers/${resellerId}/Organizations/${org.id}`);
    return organizationDetailView(org);
  });

  route('GET', '/Organizations/:id', async (request) => organizationDetailView(findOrganization(store, params(request).id)));

  route('PUT', '/Organizations/:id', async (request) => {
    const org = findOrganization(store, params(request).id);
    const body = jsonBody(request);
    applyOrganizationBody(body, org, false);
    org.modifiedDate = now();
    return organizationDetailView(org);
  });

  route('DELETE', '/Organizations/:id', async (request, reply) => {
    const org = findOrganization(store, params(request).id);
    store.organizations.delete(org.id);
    for (const sub of org.subscriptions) store.subscriptions.delete(sub.id);
    return reply.code(204).send();
  });

  // ---- reseller services
  route('GET', '/services', async () => store.services.map(serviceView));
  route('GET', '/services/:id', async (request) => serviceDetailView(findService(store, params(request).id)));
  route('GET', '/services/:serviceId/pricelist', async (request) => {
    const service = findService(store, params(request).serviceId);
    return service.products.map((p) => priceListItemView(p, CURRENCIES));
  });

  // ---- Estore: services not yet added to the organization
  route('GET', '/organizations/:organizationId/Estore', async (request) => {
    const org = findOrganization(store, params(request).organizationId);
    return store.services.filter((s) => !org.services.has(s.id)).map(estoreView);
  });
  route('GET', '/organizations/:organizationId/Estore/:serviceId', async (request) => {
    const { organizationId, serviceId } = params(request);
    const org = findOrganization(store, organizationId);
    const service = store.servicesById.get((serviceId ?? '').toLowerCase());
    if (!service || org.services.has(service.id)) {
      throw notFound(`Service '${serviceId}' is not available in the Estore of organization '${org.id}'.`);
    }
    return estoreDetailView(service);
  });

  // ---- organization services
  route('GET', '/organizations/:organizationId/services', async (request) => {
    const org = findOrganization(store, params(request).organizationId);
    const out = [];
    for (const os of org.services.values()) {
      const service = store.servicesById.get(os.serviceId);
      if (service) out.push(organizationServiceView(org, os, service));
    }
    return out;
  });

  route('POST', '/organizations/:organizationId/services', async (request, reply) => {
    const org = findOrganization(store, params(request).organizationId);
    const body = jsonBody(request);
    const v = new ModelValidator();
    const serviceId = v.string(body, 'serviceId', 'ServiceId', { required: true, max: 36 });
    v.throwIfInvalid();
    const service = store.servicesById.get((serviceId ?? '').toLowerCase());
    if (!service) throw invalid(`Service '${serviceId}' does not exist.`);
    if (org.services.has(service.id)) throw invalid(`Service '${service.name}' is already added to the organization.`, 'ServiceAlreadyAdded');
    const os: OrgServiceRecord = { serviceId: service.id, addedDate: now() };
    org.services.set(service.id, os);
    org.modifiedDate = now();
    const { resellerId } = params(request);
    void reply.code(201).header('location', `${originOf(request)}/api/resellers/${resellerId}/organizations/${org.id}/services/${service.id}`);
    return organizationServiceDetailView(org, os, service);
  });

  route('GET', '/organizations/:organizationId/services/:serviceId', async (request) => {
    const org = findOrganization(store, params(request).organizationId);
    const { os, service } = findOrgService(store, org, params(request).serviceId);
    return organizationServiceDetailView(org, os, service);
  });

  route('DELETE', '/organizations/:organizationId/services/:serviceId', async (request, reply) => {
    const org = findOrganization(store, params(request).organizationId);
    const { service } = findOrgService(store, org, params(request).serviceId);
    const open = org.subscriptions.filter((s) => s.serviceId === service.id && s.status !== 'Cancelled');
    if (open.length > 0) {
      throw invalid(
        `Service '${service.name}' has ${open.length} subscription(s) that are not cancelled; cancel them before removing the service.`,
        'ServiceHasActiveSubscriptions',
      );
    }
    org.services.delete(service.id);
    org.modifiedDate = now();
    return reply.code(204).send();
  });

  // ---- organization price list (the organization's currency first, then the others)
  route('GET', '/organizations/:organizationId/services/:serviceId/pricelist', async (request) => {
    const org = findOrganization(store, params(request).organizationId);
    const { service } = findOrgService(store, org, params(request).serviceId);
    const currencies = [org.currencyCode, ...CURRENCIES.filter((c) => c !== org.currencyCode)];
    return service.products.map((p) => priceListItemView(p, currencies));
  });
}
