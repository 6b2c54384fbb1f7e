/**
 * Ingram rated-data reports: lists with `name`, `format`, `status`, `type` and `from`/`to`
 * pushed down, by id, and POST /reports, which schedules a one-time report and returns at
 * once: the report is `submitted`, then `processing`, then `completed` with a `downloadUrl`;
 * poll `report(id) { status downloadUrl }`.
 */
import { pageOfArray, type PageResult } from '../../paging.js';
import type { ReportModel } from '../../model.js';
import type { ReportOps } from '../types.js';
import { ENDPOINTS, coveringDates, createdWithin, pushDown, type IngramCore } from './core.js';
import type { IngramLoaders } from './loaders.js';
import * as map from './mappers.js';

export function reportOps(core: IngramCore, l: IngramLoaders): ReportOps {
  const { all, range, write } = core;

  return {
    get: (id) => l.reports.load(id.toLowerCase()),

    async list(offset, limit, filter): Promise<PageResult<ReportModel>> {
      const dates = coveringDates(filter);
      const query = pushDown({
        name: filter.name,
        format: filter.format?.toLowerCase(),
        status: filter.reportStatus ? map.REPORT_STATUS_VENDOR[filter.reportStatus] : null,
        type: filter.type?.toLowerCase(),
        from: dates.from,
        to: dates.to,
      });
      let page: PageResult<ReportModel>;
      if (dates.from || dates.to) {
        // `from`/`to` are days: read the covering list and bound it exactly here.
        const rows = (await all(ENDPOINTS.reports(), query)).map(map.toReport).filter((r) => createdWithin(r.createdAt, filter));
        page = pageOfArray(rows, offset, limit);
      } else {
        const raw = await range(ENDPOINTS.reports(), query, offset, limit);
        page = { ...raw, items: raw.items.map(map.toReport) };
      }
      for (const r of page.items) l.reports.prime(r.vendorId, r);
      return page;
    },

    async schedule(input) {
      const r = map.toReport(await write('POST', ENDPOINTS.reports(), map.reportBody(input)));
      l.reports.clear(r.vendorId).prime(r.vendorId, r);
      return r;
    },
  };
}
