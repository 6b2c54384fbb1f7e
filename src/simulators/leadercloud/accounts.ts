/** /api/accounts: list, create, detail, JSON Patch, billing address, custom fields. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Currency } from '../shared/world.js';
import { applyCustomFieldValues } from './customfields.js';
import { COUNTRY_BY_ID, type LcAccount, type LcState } from './data.js';
import type { FieldMap } from './filter.js';
import { objectBody, paged, q, query, type RouteContext } from './http.js';
import { badRequest, intParam, lcError, notFound, parseInclude, parseLcDate } from './util.js';
import { accountDto, addressDto, customFieldsDto } from './views.js';

export const ACCOUNT_FIELDS: FieldMap<LcAccount> = {
  id: { type: 'int', get: (a) => a.id, sortable: true },
  name: { type: 'string', get: (a) => a.name, sortable: true },
  email: { type: 'string', get: (a) => a.email, sortable: true },
  phone: { type: 'string', get: (a) => a.phone },
  createdAt: { type: 'date', get: (a) => a.createdAt, sortable: true },
  updatedAt: { type: 'date', get: (a) => a.updatedAt, sortable: true },
  'billingAddress/city': { type: 'string', get: (a) => a.address.city },
  'billingAddress/postCode': { type: 'string', get: (a) => a.address.postCode },
  'billingAddress/country/id': { type: 'int', get: (a) => a.address.countryId },
  'billingAddress/country/code': { type: 'string', get: (a) => COUNTRY_BY_ID.get(a.address.countryId)?.code },
  'billingAddress/updatedAt': { type: 'date', get: (a) => a.address.updatedAt },
};

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
  };
  ctx.state.addAccount(account);
  return account;
}

export function registerAccounts(app: FastifyInstance, ctx: RouteContext): void {
  const { state } = ctx;

  app.get('/api/accounts', async (request) => {
    const include = parseInclude(q(request, 'include'), ACCOUNT_INCLUDES, 'accounts');
    let items = query(request, state.accounts, ACCOUNT_FIELDS, 'accounts');
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
}
