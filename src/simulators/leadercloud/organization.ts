/**
 * /api/organization/...: countries (include=states) and their states, the custom field
 * definitions of accounts, invoices and products, unit groups (include=units) and the
 * external (provisioning) systems. These lists use the spec's older `Pageable` envelope.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COUNTRIES, COUNTRY_BY_ID, CUSTOM_FIELDS, EXTERNAL_SYSTEMS, ONE_TIME_UNIT_GROUP, RECURRING_UNIT_GROUP, type CustomFieldDef, type LcCountry, type LcState } from './data.js';
import { ACCOUNT_CUSTOM_FIELD_DEF_FIELDS, COUNTRY_FIELDS, CUSTOM_FIELD_DEF_FIELDS, UNIT_GROUP_FIELDS, type LcUnitGroup } from './fields.js';
import { parsePaging, q, query, type RouteContext } from './http.js';
import { intParam, notFound, parseInclude } from './util.js';

type Dto = Record<string, unknown>;

const stateDto = (s: LcCountry['states'][number]) => ({ id: s.id, name: s.name, code: s.code, isActive: true });

/**
 * The older `Pageable` envelope: paging {page,size,offset,totalCount,pageCount,isPageIndexValid}.
 * Its `PageLinkBuilder` defines no properties, so no links are sent.
 */
function pageable<T>(request: FastifyRequest, items: readonly T[], map: (item: T) => unknown) {
  const { page, size } = parsePaging(request);
  const pageCount = Math.ceil(items.length / size);
  return {
    data: items.slice((page - 1) * size, page * size).map(map),
    paging: { page, size, offset: (page - 1) * size, totalCount: items.length, pageCount, isPageIndexValid: page <= Math.max(1, pageCount) },
  };
}

/** AccountCustomField / InvoiceCustomField / ProductCustomField. */
function customFieldDefinitionDto(entity: 'account' | 'invoice' | 'product', f: CustomFieldDef): Dto {
  const out: Dto = {
    id: f.id,
    name: f.name,
    group: { ...CUSTOM_FIELDS[entity].group },
    type: f.boolean ? 'Boolean' : 'SimpleValue',
    isCompulsory: false,
    isReadOnly: f.readOnly === true,
    valueDetails: { type: f.boolean ? 'Boolean' : 'Text', apiField: f.apiField },
    isUnique: f.unique === true,
    showInStorefront: entity === 'account',
  };
  if (entity === 'account') out.editableInStorefront = f.readOnly !== true;
  return out;
}

function unitGroups(state: LcState): Array<LcUnitGroup & { units: Dto[] }> {
  return [
    {
      ...RECURRING_UNIT_GROUP,
      isRecurringChargeUnit: true,
      units: state.units.map((u) => ({
        id: u.id,
        name: u.name,
        mnemonic: u.months === 12 ? 'YR' : 'MO',
        type: 'License',
        baseQuantity: 1,
        billingCycleDuration: u.months,
        billingCycleUnitType: 'Month',
        isActive: true,
        isDefault: u.months === 1,
      })),
    },
    {
      ...ONE_TIME_UNIT_GROUP,
      isRecurringChargeUnit: false,
      units: [{ id: state.oneTimeUnit.id, name: state.oneTimeUnit.name, mnemonic: 'EA', type: 'SetupFee', baseQuantity: 1, isActive: true, isDefault: true }],
    },
  ];
}

export function registerOrganization(app: FastifyInstance, ctx: RouteContext): void {
  const { state } = ctx;

  app.get('/api/organization/countries', async (request) => {
    const include = parseInclude(q(request, 'include'), ['states'], 'countries');
    const items = query(ctx, request, COUNTRIES, COUNTRY_FIELDS, 'countries');
    return pageable(request, items, (c) => ({
      id: c.id,
      name: c.name,
      code: c.code,
      isActive: true,
      isDefault: c.code === 'AU',
      ...(include.has('states') ? { states: c.states.map(stateDto) } : {}),
    }));
  });

  app.get('/api/organization/countries/:countryId/states', async (request) => {
    const id = intParam((request.params as { countryId: string }).countryId, 'countryId');
    const country = COUNTRY_BY_ID.get(id);
    if (!country) throw notFound('OrganizationCountryNotFoundError', 'Country', id);
    return country.states.map(stateDto);
  });

  for (const entity of ['account', 'invoice', 'product'] as const) {
    const fields = entity === 'account' ? ACCOUNT_CUSTOM_FIELD_DEF_FIELDS : CUSTOM_FIELD_DEF_FIELDS;
    app.get(`/api/organization/${entity}s/customfields`, async (request) => {
      const items = query(ctx, request, CUSTOM_FIELDS[entity].fields, fields, `${entity} custom fields`);
      return pageable(request, items, (f) => customFieldDefinitionDto(entity, f));
    });
  }

  app.get('/api/organization/unitGroups', async (request) => {
    const include = parseInclude(q(request, 'include'), ['units'], 'unit groups');
    const items = query(ctx, request, unitGroups(state), UNIT_GROUP_FIELDS, 'unit groups');
    return pageable(request, items, ({ units, ...group }) => (include.has('units') ? { ...group, units } : group));
  });

  app.get('/api/organization/externalSystems', async (request) =>
    pageable(request, EXTERNAL_SYSTEMS, (x) => ({ id: x.id, code: x.code, name: x.name, isActive: x.isActive })),
  );
}
