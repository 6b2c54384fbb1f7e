/**
 * Leader Cloud accounts: list (filters pushed down where the vendor accepts them), by id,
 * custom fields (the external id lives in one), the billing address, and the writes:
 * create (AccountCreate), update (RFC 6902 JSON Patch, `application/json-patch+json`)
 * and custom field values (PUT).
 */
import { badUserInput } from '../../errors.js';
import type { Query } from '../../http/client.js';
import type { AddressModel, CustomerModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { CustomerCreate, CustomerOps, CustomerWrite, CustomFieldValue, JsonPatchOp, ListFilter } from '../types.js';
import { matchesFilter } from '../shared.js';
import { ENDPOINTS, datetimeLiteral, isoOf, quote, type Clause, type J, type LeaderCloudCore } from './core.js';
import type { SessionLoaders } from './loaders.js';
import * as map from './mappers.js';

const SORT_PROPERTY = { NAME: 'name', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' } as const;

/** AccountCreate's required settings, when the input leaves them out: the defaults of the schema's LeaderCloudAccountInput. */
const ACCOUNT_DEFAULTS = {
  orderingEnabled: true,
  separateInvoices: false,
  taxable: true,
  creditLimit: '0',
  autoInvoiceNotification: true,
  noteType: 'Invoice',
  resellingEnabled: false,
  isAffiliate: false,
  billingFrequencyEnabled: false,
  billingFrequencyMarkup: '0',
} as const;

/** AccountCreate.noteType is the spec's NoteType2 integer enum (1 = Invoice, 2 = Receipt). */
const NOTE_TYPE: Record<string, number> = { invoice: 1, receipt: 2 };

const lower = (v: string | null | undefined) => (v ?? '').trim().toLowerCase();

export function customersPart(core: LeaderCloudCore, loaders: SessionLoaders): CustomerOps {
  const { http, shortcuts } = core;

  /** The documented query of an account list: sort, billing-address and updatedAt filters. */
  function listQuery(filter: ListFilter): { query: Query; documented: string[] } {
    const query: Query = {};
    if (filter.sort) query.$orderBy = `${SORT_PROPERTY[filter.sort.field]} ${filter.sort.direction === 'DESC' ? 'desc' : 'asc'}`;
    if (filter.billingAddressUpdatedSince) query.minBillingAddressUpdatedAt = isoOf(filter.billingAddressUpdatedSince);
    // `updatedAt gt datetime'…'` is the form a public client uses (leadercloud.md §4).
    const documented = filter.updatedSince ? [`updatedAt ge ${datetimeLiteral(filter.updatedSince)}`] : [];
    return { query, documented };
  }

  async function list(offset: number, limit: number, filter: ListFilter): Promise<PageResult<CustomerModel>> {
    // Accounts have no status in v3: an account that exists is active.
    if (filter.customerStatus && filter.customerStatus !== 'ACTIVE') return { items: [], total: 0, hasMore: false };
    const { query, documented } = listQuery(filter);
    if (filter.externalId) return byExternalId(offset, limit, filter, query, documented);
    const clauses: Clause[] = [];
    if (filter.email) clauses.push({ text: `email eq ${quote(filter.email)}`, shortcut: shortcuts.propertyFilter });
    if (filter.name) clauses.push({ text: `contains(name,${quote(filter.name)})`, shortcut: shortcuts.containsFilter });
    const inGraph = { name: filter.name, email: filter.email, updatedSince: filter.updatedSince };
    return loaders.filteredList(ENDPOINTS.accounts, query, clauses, map.toCustomer, inGraph, offset, limit, core.withAccountFields, documented);
  }

  /** No documented filter reaches a custom field: read every account (with its custom fields) and match here. */
  async function byExternalId(offset: number, limit: number, filter: ListFilter, query: Query, documented: string[]): Promise<PageResult<CustomerModel>> {
    const q = { ...query, ...(documented.length ? { $filter: documented.join(' and ') } : {}) };
    const rows = await core.withAccountFields((extra) => loaders.all(ENDPOINTS.accounts, { ...q, ...extra }));
    const complete = await Promise.all(rows.map((r) => detail(map.toCustomer(r))));
    const items = complete.filter((c): c is CustomerModel => c !== null && matchesFilter(c, { ...filter, sort: null }));
    return pageOfArray(items, offset, limit);
  }

  /**
   * The fuller form of a customer that lacks fields: an account reference (named in an
   * order's, invoice's or subscription's row) → the account (which may lack its custom fields in turn);
   * an account row without its custom fields → them (and its external id) from the custom
   * fields endpoint.
   */
  async function detail(entity: CustomerModel): Promise<CustomerModel | null> {
    if (!entity.lacks?.length) return entity;
    if (map.isAccountReference(entity)) return loaders.customers.load(entity.vendorId);
    const groups = await loaders.accountCustomFields.load(entity.vendorId);
    return groups ? map.withCustomFields(entity, groups) : null;
  }

  // ---- what writes need to know first (reads; a problem is a user error before any write) ----

  /** The id of the account custom field that holds the external id. */
  async function externalIdFieldId(): Promise<number> {
    const defs = await loaders.accountFieldDefinitions.load('');
    const def = defs.find((d: J) => map.EXTERNAL_ID_FIELD.test(String(d.name ?? '')) || map.EXTERNAL_ID_FIELD.test(String(d.valueDetails?.apiField ?? d.apiField ?? '')));
    if (!def) throw badUserInput('This Leader Cloud organization has no "External ID" account custom field: externalId cannot be set.', { argument: 'input.externalId' });
    return Number(def.id);
  }

  /** A Leader Cloud country (with its states) by ISO code or id. */
  async function country(by: { code?: string | null; id?: number | null }): Promise<J> {
    const countries = await loaders.countries.load('');
    const found = countries.find((c: J) => (by.id ? Number(c.id) === by.id : lower(c.code) === lower(by.code)));
    if (!found) {
      const what = by.id ? `country id ${by.id}` : `country code ${by.code}`;
      throw badUserInput(`Leader Cloud has no ${what} (see GET api/organization/countries).`, { argument: 'input.address.countryCode' });
    }
    return found;
  }

  /** A state of a country by name or code. */
  function stateOf(countryRow: J, name: string): number {
    const state = (countryRow.states ?? []).find((s: J) => lower(s.name) === lower(name) || lower(s.code) === lower(name));
    if (!state) throw badUserInput(`${countryRow.name ?? 'The country'} has no state "${name}" at Leader Cloud.`, { argument: 'input.address.state' });
    return Number(state.id);
  }

  function refuseContact(input: CustomerWrite): void {
    if (input.contact) throw badUserInput('Leader Cloud takes no account contact through its API (AccountCreate and the account patch have none).', { argument: 'input.contact' });
  }

  /** The AccountCreate body, with the required settings defaulted. */
  async function createBody(input: CustomerCreate): Promise<Record<string, unknown>> {
    refuseContact(input);
    const lc = { ...ACCOUNT_DEFAULTS, ...withoutNulls(input.leaderCloud ?? {}) };
    const body: Record<string, unknown> = {
      name: input.name,
      orderingEnabled: lc.orderingEnabled,
      separateInvoices: lc.separateInvoices,
      taxable: lc.taxable,
      creditLimit: Number(lc.creditLimit),
      autoInvoiceNotification: lc.autoInvoiceNotification,
      noteType: NOTE_TYPE[lower(lc.noteType)] ?? 1,
      resellingEnabled: lc.resellingEnabled,
      isAffiliate: lc.isAffiliate,
      isBillingFrequencyEnabled: lc.billingFrequencyEnabled,
      billingFrequencyMarkup: Number(lc.billingFrequencyMarkup),
    };
    if (input.email) body.email = input.email;
    if (input.phone) body.phone = input.phone;
    const a = input.address;
    const countryId = input.leaderCloud?.countryId ?? null;
    if (a || countryId) {
      const c = a?.countryCode || countryId ? await country({ code: a?.countryCode, id: countryId }) : null;
      if (!c) throw badUserInput('A Leader Cloud billing address needs a country: give address.countryCode or leaderCloud.countryId.', { argument: 'input.address.countryCode' });
      const stateId = input.leaderCloud?.stateId ?? (a?.state ? stateOf(c, a.state) : null);
      body.billingAddress = withoutNulls({ address: a?.street, address2: a?.street2, city: a?.city, postCode: a?.postalCode, countryId: Number(c.id), stateId });
    }
    const fields = (input.leaderCloud?.customFields ?? []).map((f) => ({ id: Number(f.id), value: f.value ?? '' }));
    if (input.externalId) fields.push({ id: await externalIdFieldId(), value: input.externalId });
    if (fields.length) body.customFields = fields;
    return body;
  }

  /** The JSON Patch of an update: the plain fields first, then the caller's operations. */
  async function patchOf(vendorId: string, input: CustomerWrite): Promise<Array<Record<string, unknown>>> {
    refuseContact(input);
    const ops: Array<Record<string, unknown>> = [];
    const replace = (path: string, value: unknown) => ops.push({ op: 'replace', path, value });
    if (input.name) replace('/name', input.name);
    if (input.email) replace('/email', input.email);
    if (input.phone) replace('/phone', input.phone);
    const a = input.address;
    if (a) {
      if (a.street) replace('/billingAddress/address', a.street);
      if (a.street2) replace('/billingAddress/address2', a.street2);
      if (a.city) replace('/billingAddress/city', a.city);
      if (a.postalCode) replace('/billingAddress/postCode', a.postalCode);
      if (a.country && !a.countryCode) throw badUserInput('Give the country as address.countryCode (ISO 3166-1 alpha-2).', { argument: 'input.address.countryCode' });
      let c: J = null;
      if (a.countryCode) {
        c = await country({ code: a.countryCode });
        replace('/billingAddress/countryId', Number(c.id));
      }
      if (a.state) {
        const current = c ? null : await loaders.customers.load(vendorId);
        const code = current?.address?.countryCode;
        if (!c && !code) throw badUserInput('Give address.countryCode with address.state.', { argument: 'input.address.countryCode' });
        replace('/billingAddress/stateId', stateOf(c ?? (await country({ code })), a.state));
      }
    }
    for (const op of input.patch ?? []) ops.push(patchOp(op));
    return ops;
  }

  /** Clears what a write to an account made stale, and primes the fresh model. */
  function remember(customer: CustomerModel, groups?: J[]): CustomerModel {
    const fresh = groups ? map.withCustomFields(customer, groups) : customer;
    loaders.customers.clear(fresh.vendorId).prime(fresh.vendorId, fresh);
    loaders.accountCustomFields.clear(fresh.vendorId);
    if (groups) loaders.accountCustomFields.prime(fresh.vendorId, groups);
    loaders.billingAddresses.clear(fresh.vendorId);
    loaders.forgetPages(ENDPOINTS.accounts);
    return fresh;
  }

  /** The account as it is now (after a write that answered no account). */
  async function reread(vendorId: string): Promise<CustomerModel> {
    loaders.customers.clear(vendorId);
    const customer = await loaders.customers.load(vendorId);
    if (!customer) throw badUserInput(`Leader Cloud account ${vendorId} was not found.`, { argument: 'id' });
    return customer;
  }

  /**
   * Custom field ids the organization has and may write: an unknown id, or a field that
   * displays another system's data (the vendor answers those with a 403
   * CustomFieldReadOnlyError), is a user error before anything is written.
   */
  async function checkWritable(values: CustomFieldValue[]): Promise<void> {
    const defs = await loaders.accountFieldDefinitions.load('');
    const byId = new Map(defs.map((d: J) => [String(d.id), d]));
    const argument = 'values';
    values.forEach((v) => {
      const def = byId.get(v.id);
      if (!def) throw badUserInput(`Leader Cloud accounts have no custom field ${v.id}; their fields: ${[...byId.keys()].join(', ')}.`, { argument });
      if (def.isReadOnly === true) throw badUserInput(`The Leader Cloud custom field ${v.id} (${def.name}) is read-only: it shows another system's data.`, { argument });
    });
  }

  async function putCustomFields(vendorId: string, values: Array<{ id: number; value: string }>): Promise<J[]> {
    const { body } = await http.send<J>('PUT', ENDPOINTS.accountCustomFields(vendorId), values);
    return Array.isArray(body) ? body : [];
  }

  return {
    get: (vendorId) => loaders.customers.load(vendorId.toLowerCase()),
    list,
    detail,
    lookahead: (relations, page) => loaders.prefetchRelations(relations, page),
    async customFields(c) {
      // An account reference: the account itself may carry them (include=customFields).
      const account = map.isAccountReference(c) ? ((await loaders.customers.load(c.vendorId)) ?? c) : c;
      if (account.customFields) return account.customFields;
      const groups = await loaders.accountCustomFields.load(c.vendorId);
      return groups ? map.toCustomFields(groups) : null;
    },
    async billingAddress(c): Promise<AddressModel | null> {
      return map.toAddress(await loaders.billingAddresses.load(c.vendorId));
    },
    async create(input) {
      const body = await createBody(input);
      const { body: created } = await http.send<J>('POST', ENDPOINTS.accounts, body);
      return remember(map.toCustomer(created));
    },
    async update(vendorId, input) {
      const ops = await patchOf(vendorId, input);
      const externalId = input.externalId ? { id: await externalIdFieldId(), value: input.externalId } : null;
      if (!ops.length && !externalId) throw badUserInput('Give at least one field or patch operation to change.', { argument: 'input' });
      let customer: CustomerModel | null = null;
      if (ops.length) {
        const { body } = await http.send<J>('PATCH', ENDPOINTS.account(vendorId), ops, { contentType: 'application/json-patch+json' });
        customer = map.toCustomer(body);
      }
      if (!externalId) return remember(customer!);
      const groups = await putCustomFields(vendorId, [externalId]);
      return remember(customer ?? (await reread(vendorId)), groups);
    },
    async setCustomFields(vendorId, values: CustomFieldValue[]) {
      await checkWritable(values);
      const groups = await putCustomFields(vendorId, values.map((v) => ({ id: Number(v.id), value: v.value ?? '' })));
      return remember(await reread(vendorId), groups);
    },
  };
}

/** An RFC 6902 operation as sent (`from` only where the op has one, `value` only where given). */
function patchOp(op: JsonPatchOp): Record<string, unknown> {
  const out: Record<string, unknown> = { op: op.op, path: op.path };
  if (op.value !== undefined) out.value = op.value;
  if (op.from) out.from = op.from;
  return out;
}

function withoutNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
