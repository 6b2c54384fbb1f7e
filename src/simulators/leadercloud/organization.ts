/** /api/organization/countries (include=states) and /countries/{countryId}/states: the ids AccountCreate needs. */
import type { FastifyInstance } from 'fastify';
import { COUNTRIES, COUNTRY_BY_ID, type LcCountry } from './data.js';
import type { FieldMap } from './filter.js';
import { parsePaging, q, query, type RouteContext } from './http.js';
import { intParam, notFound, parseInclude } from './util.js';

const COUNTRY_FIELDS: FieldMap<LcCountry> = {
  id: { type: 'int', get: (c) => c.id, sortable: true },
  name: { type: 'string', get: (c) => c.name, sortable: true },
  code: { type: 'string', get: (c) => c.code, sortable: true },
};

const stateDto = (s: LcCountry['states'][number]) => ({ id: s.id, name: s.name, code: s.code, isActive: true });

export function registerOrganization(app: FastifyInstance, _ctx: RouteContext): void {
  // These endpoints use the older Pageable envelope (paging {page,size,offset,totalCount,pageCount,isPageIndexValid});
  // its PageLinkBuilder has no documented properties, so no links are sent.
  app.get('/api/organization/countries', async (request) => {
    const include = parseInclude(q(request, 'include'), ['states'], 'countries');
    const { page, size } = parsePaging(request);
    const items = query(request, COUNTRIES, COUNTRY_FIELDS, 'countries');
    const pageCount = Math.ceil(items.length / size);
    return {
      data: items.slice((page - 1) * size, page * size).map((c) => ({
        id: c.id,
        name: c.name,
        code: c.code,
        isActive: true,
        isDefault: c.code === 'AU',
        ...(include.has('states') ? { states: c.states.map(stateDto) } : {}),
      })),
      paging: { page, size, offset: (page - 1) * size, totalCount: items.length, pageCount, isPageIndexValid: page <= Math.max(1, pageCount) },
    };
  });

  app.get('/api/organization/countries/:countryId/states', async (request) => {
    const id = intParam((request.params as { countryId: string }).countryId, 'countryId');
    const country = COUNTRY_BY_ID.get(id);
    if (!country) throw notFound('OrganizationCountryNotFoundError', 'Country', id);
    return country.states.map(stateDto);
  });
}
