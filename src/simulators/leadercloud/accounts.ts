/** /api/accounts: list, create, detail, JSON Patch, billing address, custom fields, sync options and synchronization. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Currency } from '../shared/world.js';
import { applyCustomFieldValues } from './customfields.js';
import { COUNTRY_BY_ID, EXTERNAL_SYSTEM_BY_ID, type LcAccount, type LcExternalSystem, type LcState } from './data.js';
import { ACCOUNT_FIELDS } from './fields.js';
import { arrayBody, objectBody, paged, q, query, type RouteContext } from './http.js';
import { badRequest, intParam, lcError, notFound, parseInclude, parseLcDate } from './util.js';
import { accountDto, addressDto, customFieldsDto } from './views.js';

const ACCOUNT_INCLUDES = ['customFields'] as const;
/** The email pattern of AccountCreate in the spec. */
const EMAIL = /^([a-zA-Z0-9+_\-.]+@([a-zA-Z0-9_-]+\.)+[a-zA-Z0-9]{2,20})*$/;
const CURRENCY_BY_COUNTRY: Record<string, Currency> = { AU: 'AUD', DE: 'EUR', NL: 'EUR', US: 'USD' };

type Flags = LcAccount['flags'];
const BOOL_FLAGS = [
  'orderingEnabled', 'separateInvoices', 'taxable', 'autoInvoiceNotification', 'resellingEnabled',
  'isBackordering', 'isNetworkReseller', 'isAffiliate', 'isBillingFrequencyEnabled',
] as const;
const NUMBER_FLAGS = ['creditLimit', 'billingFrequencyMarkup'] as const;

export function findAccount(state: LcState, raw: unknown): LcAccount {
  const id = intParam(raw, 'accountId');
  const account = state.accountById.get(id);
  if (!account) throw notFound('AccountNotFoundError', 'Account', id);
  return account;
}

/** JSON values arrive as strings in the spec's patch shape; accept both like Newtonsoft would. */
function asBool(value: unknown, name: string, code: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw lcError(400, code, `${name} must be true or false.`);
}

function asNumber(value: unknown, name: string, code: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw lcError(400, code, `${name} must be a number.`);
  return n;
}

function asOptionalString(value: unknown, name: string, code: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw lcError(400, code, `${name} must be a string.`);
}

function asInt(value: unknown, name: string, code: string): number {
  const n = asNumber(value, name, code);
  if (!Number.isInteger(n)) throw lcError(400, code, `${name} must be an integer.`);
  return n;
}

function checkAddress(countryId: number, stateId: number | null, code: string): void {
  const country = COUNTRY_BY_ID.get(countryId);
  if (!country) throw lcError(400, code, `Country with Id '${countryId}' was not found. Valid ids: see GET /api/organization/countries.`);
  if (stateId !== null && !country.states.some((s) => s.id === stateId)) {
    throw lcError(400, code, `State with Id '${stateId}' was not found in country '${country.name}'.`);
  }
}

function checkNoteType(value: unknown, code: string): 'Invoice' | 'Receipt' {
  if (value === 1 || (typeof value === 'string' && value.toLowerCase() === 'invoice')) return 'Invoice';
  if (value === 2 || (typeof value === 'string' && value.toLowerCase() === 'receipt')) return 'Receipt';
  throw lcError(400, code, 'noteType must be Invoice (1) or Receipt (2).');
}

/** The patchable view of an account (what PATCH paths address). */
function patchDocument(a: LcAccount): Record<string, unknown> {
  return {
    name: a.name,
    phone: a.phone,
    email: a.email,
    billingAddress: {
      address: a.address.address,
      address2: a.address.address2 ?? '',
      city: a.address.city,
      postCode: a.address.postCode,
      countryId: a.address.countryId,
      stateId: a.address.stateId,
    },
    ...a.flags,
  };
}

/** Maps each path segment onto the document's own key, case-insensitively (ASP.NET JsonPatch does). */
function normalisePath(path: string, doc: Record<string, unknown>): string {
  if (!path.startsWith('/')) throw lcError(400, 'AccountNotUpdatedError', `The path '${path}' must start with '/'.`);
  let node: unknown = doc;
  const out: string[] = [];
  for (const segment of path.slice(1).split('/')) {
    if (!node || typeof node !== 'object') throw lcError(400, 'AccountNotUpdatedError', `The target location specified by path '${path}' was not found.`);
    const key = Object.keys(node as object).find((k) => k.toLowerCase() === segment.toLowerCase());
    if (!key) throw lcError(400, 'AccountNotUpdatedError', `The target location specified by path segment '${segment}' was not found.`);
    out.push(key);
    node = (node as Record<string, unknown>)[key];
  }
  return `/${out.join('/')}`;
}

function applyPatch(account: LcAccount, body: unknown, now: number): void {
  const code = 'AccountNotUpdatedError';
  if (!Array.isArray(body) || body.length === 0) throw lcError(400, code, 'The request body must be a non-empty JSON Patch document (an array of operations).');
  const doc = patchDocument(account);
  const ops: Operation[] = body.map((raw, index) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw lcError(400, code, `Operation ${index} must be an object {op, path, value}.`);
    const op = raw as Record<string, unknown>;
    if (typeof op.op !== 'string' || !['add', 'remove', 'replace', 'copy', 'move', 'test'].includes(op.op.toLowerCase())) {
      throw lcError(400, code, `Operation ${index}: op must be one of add, remove, replace, copy, move, test.`);
    }
    if (typeof op.path !== 'string') throw lcError(400, code, `Operation ${index}: path is required.`);
    const out: Record<string, unknown> = { ...op, op: op.op.toLowerCase(), path: normalisePath(op.path, doc) };
    if (typeof op.from === 'string') out.from = normalisePath(op.from, doc);
    return out as unknown as Operation;
  });
  let result: Record<string, unknown>;
  try {
    result = jsonpatch.applyPatch(jsonpatch.deepClone(doc), ops, true, false).newDocument as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'invalid patch';
    throw lcError(400, code, `The JSON Patch document could not be applied: ${message}`);
  }
  const name = asOptionalString(result.name, 'name', code).trim();
  if (!name) throw lcError(400, code, 'The Name field is required.');
  const email = asOptionalString(result.email, 'email', code);
  if (!EMAIL.test(email)) throw lcError(400, code, `'${email}' is not a valid email address.`);
  const addr = (result.billingAddress ?? {}) as Record<string, unknown>;
  const countryId = asInt(addr.countryId, 'billingAddress.countryId', code);
  const stateId = addr.stateId === null || addr.stateId === undefined || addr.stateId === '' ? null : asInt(addr.stateId, 'billingAddress.stateId', code);
  checkAddress(countryId, stateId, code);
  const flags = { ...account.flags } as Flags;
  for (const f of BOOL_FLAGS) flags[f] = asBool(result[f], f, code);
  for (const f of NUMBER_FLAGS) flags[f] = asNumber(result[f], f, code);
  flags.noteType = checkNoteType(result.noteType, code);

  const before = JSON.stringify(account.address);
  account.name = name;
  account.email = email;
  account.phone = asOptionalString(result.phone, 'phone', code);
  account.flags = flags;
  account.address.address = asOptionalString(addr.address, 'billingAddress.address', code);
  account.address.address2 = asOptionalString(addr.address2, 'billingAddress.address2', code) || null;
  account.address.city = asOptionalString(addr.city, 'billingAddress.city', code);
  account.address.postCode = asOptionalString(addr.postCode, 'billingAddress.postCode', code);
  account.address.countryId = countryId;
  account.address.stateId = stateId;
  if (JSON.stringify(account.address) !== before) account.address.updatedAt = now;
  account.updatedAt = now;
}

function createAccount(ctx: RouteContext, request: FastifyRequest): LcAccount {
  const code = 'AccountNotCreatedError';
  const body = objectBody(request);
  const now = ctx.control.now();
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) throw lcError(400, code, 'The Name field is required.');
  const email = asOptionalString(body.email, 'email', code);
  if (!EMAIL.test(email)) throw lcError(400, code, `'${email}' is not a valid email address.`);
  let countryId = 13;
  let stateId: number | null = null;
  let addr: Record<string, unknown> = {};
  if (body.billingAddress !== undefined && body.billingAddress !== null) {
    if (typeof body.billingAddress !== 'object' || Array.isArray(body.billingAddress)) throw lcError(400, code, 'billingAddress must be an object.');
    addr = body.billingAddress as Record<string, unknown>;
    if (addr.countryId === undefined || addr.countryId === null) throw lcError(400, code, 'billingAddress.countryId is required.');
    countryId = asInt(addr.countryId, 'billingAddress.countryId', code);
    stateId = addr.stateId === undefined || addr.stateId === null ? null : asInt(addr.stateId, 'billingAddress.stateId', code);
    checkAddress(countryId, stateId, code);
  }
  const flags: Flags = {
    orderingEnabled: true, separateInvoices: false, taxable: countryId !== 226, creditLimit: 0, autoInvoiceNotification: true,
    noteType: 'Invoice', resellingEnabled: false, isBackordering: false, isNetworkReseller: false, isAffiliate: false,
    isBillingFrequencyEnabled: true, billingFrequencyMarkup: 0,
  };
  for (const f of BOOL_FLAGS) if (body[f] !== undefined && body[f] !== null) flags[f] = asBool(body[f], f, code);
  for (const f of NUMBER_FLAGS) if (body[f] !== undefined && body[f] !== null) flags[f] = asNumber(body[f], f, code);
  if (body.noteType !== undefined && body.noteType !== null) flags.noteType = checkNoteType(body.noteType, code);
  const customFields = new Map<number, string>();
  if (body.customFields !== undefined && body.customFields !== null) applyCustomFieldValues('account', customFields, body.customFields);
  const country = COUNTRY_BY_ID.get(countryId);
  const account: LcAccount = {
    id: ctx.state.nextAccountId++,
    name,
    phone: asOptionalString(body.phone, 'phone', code),
    email,
    createdAt: now,
    updatedAt: now,
    currency: CURRENCY_BY_COUNTRY[country?.code ?? 'AU'] ?? 'AUD',
    address: {
      id: ctx.state.rng.guid(),
      address: asOptionalString(addr.address, 'billingAddress.address', code),
      address2: asOptionalString(addr.address2, 'billingAddress.address2', code) || null,
      city: asOptionalString(addr.city, 'billingAddress.city', code),
      postCode: asOptionalString(addr.postCode, 'billingAddress.postCode', code),
      countryId,
      stateId,
      createdAt: now,
      updatedAt: now,
    },
    flags,
    contacts: [],
    paymentMethodId: ctx.state.paymentMethods[0]?.id ?? '',
    taxNumber: '',
    customFields,
    syncOptions: new Map(),
  };
  ctx.state.addAccount(account);
  return account;
}

function findSystem(raw: unknown): LcExternalSystem {
  const id = intParam(raw, 'systemId');
  const system = EXTERNAL_SYSTEM_BY_ID.get(id);
  if (!system) throw notFound('ExternalSystemNotFoundError', 'ExternalSystem', id, `External system with Id '${id}' was not found!`);
  return system;
}

/** AccountSystemDto: the system with the account's value of each of its sync options. */
function accountSystemDto(account: LcAccount, system: LcExternalSystem): Record<string, unknown> {
  const values = account.syncOptions.get(system.id);
  return {
    id: system.id,
    name: system.name,
    code: system.code,
    options: system.options.map((o) => {
      const value = values?.get(o.alias);
      return { ...(value !== undefined ? { value } : {}), alias: o.alias, name: o.name, isMandatory: o.isMandatory };
    }),
  };
}

/** Saves `[{value, alias}]` (AccountSyncOptionBaseDto[]) for one system, all or nothing; an empty value clears an option. */
function saveSyncOptions(account: LcAccount, system: LcExternalSystem, body: unknown[]): void {
  const changes: Array<[string, string]> = [];
  for (const [index, entry] of body.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw badRequest(`Item ${index} must be an object {value, alias}.`, 'InvalidBodyError');
    const { alias, value } = entry as { alias?: unknown; value?: unknown };
    if (typeof alias !== 'string') throw badRequest(`Item ${index}: alias is required.`, 'InvalidBodyError');
    const option = system.options.find((o) => o.alias.toLowerCase() === alias.toLowerCase());
    if (!option) {
      throw badRequest(`'${alias}' is not a sync option of ${system.name}. Options: ${system.options.map((o) => o.alias).join(', ')}.`, 'InvalidSyncOptionError');
    }
    if (value !== undefined && value !== null && typeof value !== 'string') throw badRequest(`Item ${index}: value must be a string.`, 'InvalidBodyError');
    changes.push([option.alias, value ?? '']);
  }
  const values = account.syncOptions.get(system.id) ?? new Map<string, string>();
  for (const [alias, value] of changes) {
    if (value === '') values.delete(alias);
    else values.set(alias, value);
  }
  account.syncOptions.set(system.id, values);
}

/** SynchronizeAccountResponseDto: fails (success false, with an error) when the system is inactive or a mandatory option is empty. */
function synchronize(account: LcAccount, system: LcExternalSystem): Record<string, unknown> {
  if (!system.isActive) return { success: false, syncStatus: 'Failed', error: { code: 2, message: `The external system '${system.name}' is not active.` } };
  const values = account.syncOptions.get(system.id);
  const missing = system.options.filter((o) => o.isMandatory && !values?.get(o.alias));
  if (missing.length) {
    return { success: false, syncStatus: 'Failed', error: { code: 1, message: `Mandatory sync option(s) missing for ${system.name}: ${missing.map((o) => o.name).join(', ')}.` } };
  }
  return { success: true, syncStatus: 'Completed successfully' };
}

export function registerAccounts(app: FastifyInstance, ctx: RouteContext): void {
  const { state } = ctx;

  app.get('/api/accounts', async (request) => {
    const include = parseInclude(q(request, 'include'), ACCOUNT_INCLUDES, 'accounts');
    let items = query(ctx, request, state.accounts, ACCOUNT_FIELDS, 'accounts');
    const min = q(request, 'minBillingAddressUpdatedAt');
    if (min !== undefined && min !== '') {
      const ms = parseLcDate(min);
      if (ms === undefined) throw badRequest(`The value '${min}' is not valid for minBillingAddressUpdatedAt: an ISO 8601 date-time is expected.`, 'InvalidParameterError');
      items = items.filter((a) => a.address.updatedAt >= ms);
    }
    return paged(request, items, (a) => accountDto(a, include));
  });

  app.post('/api/accounts', async (request, reply) => {
    const account = createAccount(ctx, request);
    void reply.code(201).header('location', `/api/accounts/${account.id}`);
    return accountDto(account, new Set(['customFields']));
  });

  app.get('/api/accounts/:accountId', async (request) => {
    const { accountId } = request.params as { accountId: string };
    const include = parseInclude(q(request, 'include'), ACCOUNT_INCLUDES, 'accounts');
    return accountDto(findAccount(state, accountId), include);
  });

  app.patch('/api/accounts/:accountId', async (request) => {
    const { accountId } = request.params as { accountId: string };
    const account = findAccount(state, accountId);
    applyPatch(account, request.body, ctx.control.now());
    return accountDto(account, new Set());
  });

  app.get('/api/accounts/:accountId/billingaddress', async (request) => {
    const { accountId } = request.params as { accountId: string };
    return addressDto(findAccount(state, accountId));
  });

  app.get('/api/accounts/:accountId/customfields', async (request) => {
    const { accountId } = request.params as { accountId: string };
    return customFieldsDto('account', findAccount(state, accountId).customFields);
  });

  app.put('/api/accounts/:accountId/customfields', async (request) => {
    const { accountId } = request.params as { accountId: string };
    const account = findAccount(state, accountId);
    applyCustomFieldValues('account', account.customFields, request.body);
    account.updatedAt = ctx.control.now();
    return customFieldsDto('account', account.customFields);
  });

  app.get('/api/accounts/:accountId/syncoptions/:systemId', async (request) => {
    const { accountId, systemId } = request.params as { accountId: string; systemId: string };
    const account = findAccount(state, accountId);
    return { systems: [accountSystemDto(account, findSystem(systemId))] };
  });

  app.post('/api/accounts/:accountId/syncoptions/:systemId', async (request, reply) => {
    const { accountId, systemId } = request.params as { accountId: string; systemId: string };
    const account = findAccount(state, accountId);
    const system = findSystem(systemId);
    saveSyncOptions(account, system, arrayBody(request));
    account.updatedAt = ctx.control.now();
    void reply.code(201);
    return accountSystemDto(account, system);
  });

  app.post('/api/accounts/:accountId/synchronizations/:systemId', async (request) => {
    const { accountId, systemId } = request.params as { accountId: string; systemId: string };
    return synchronize(findAccount(state, accountId), findSystem(systemId));
  });
}
