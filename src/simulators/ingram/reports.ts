/**
 * Rated-data reports: list (filters, newest first), get, and POST (schedule a one-time
 * report that turns submitted → processing → completed with a downloadUrl on the clock).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SimControl } from '../shared/control.js';
import { hashString } from '../shared/rng.js';
import {
  badRequest,
  containsCi,
  jsonBody,
  notFound,
  optEnum,
  optString,
  page,
  paging,
  parseDateTime,
  queryDate,
  queryEnum,
  queryString,
  reqString,
  type Json,
} from './http.js';
import { DAY_MS, REPORT_FORMATS, REPORT_STATUSES, REPORT_TYPES, isoDate, isoDateTime, type ReportRecord } from './model.js';
import type { IngramStore } from './store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Azure-blob-style SAS URL like the spec's example (not served by the simulator). */
function downloadUrl(r: ReportRecord): string {
  const slug = r.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'report';
  const sig = encodeURIComponent(Buffer.from(hashString(r.id).toString(16) + hashString(`${r.id}:sig`).toString(16)).toString('base64'));
  const expiry = encodeURIComponent(isoDateTime(r.createdAt + 90 * DAY_MS));
  return (
    `https://report-storage1.blob.core.windows.net/rdecontainer/${slug}.${r.id}.${isoDate(r.createdAt)}.${r.format}` +
    `?sig=${sig}&api-version=2016-05-31&se=${expiry}&sv=2016-05-31&sp=r&sr=b`
  );
}

export function registerReportRoutes(scope: FastifyInstance, store: IngramStore, control: SimControl): void {
  const { profile } = control;
  const render = (r: ReportRecord): Json => {
    const status = store.reportStatus(r, control.now());
    return {
      id: r.id,
      name: r.name,
      ...(r.customizationName !== undefined ? { customizationName: r.customizationName } : {}),
      status,
      type: r.type,
      format: r.format,
      creationDate: isoDateTime(r.createdAt),
      startDate: isoDateTime(r.startDate),
      ...(r.endDate !== undefined ? { endDate: isoDateTime(r.endDate) } : {}),
      ...(status === 'completed' ? { downloadUrl: downloadUrl(r) } : {}),
    };
  };

  scope.get('/reports', async (request) => {
    const p = paging(request, profile);
    const name = queryString(request, 'name');
    const format = queryEnum(request, 'format', REPORT_FORMATS);
    const status = queryEnum(request, 'status', REPORT_STATUSES);
    const type = queryEnum(request, 'type', REPORT_TYPES);
    const from = queryDate(request, 'from');
    const to = queryDate(request, 'to');
    const now = control.now();
    const items = [...store.reports.values()]
      .filter(
        (r) =>
          (name === undefined || containsCi(r.name, name)) &&
          (format === undefined || r.format === format) &&
          (status === undefined || store.reportStatus(r, now) === status) &&
          (type === undefined || r.type === type) &&
          (from === undefined || r.createdAt >= from) &&
          (to === undefined || r.createdAt < to + DAY_MS),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    return page(items, p, render);
  });

  scope.post('/reports', async (request) => {
    const body = jsonBody(request);
    const name = reqString(body, 'name');
    const startText = reqString(body, 'startDate');
    const startDate = parseDateTime(startText);
    if (startDate === undefined) throw badRequest(`Invalid startDate '${startText}': expected a date-time like 2019-12-11T17:32:28Z.`);
    const endText = optString(body, 'endDate');
    const endDate = endText === undefined ? undefined : parseDateTime(endText);
    if (endText !== undefined && endDate === undefined) throw badRequest(`Invalid endDate '${endText}': expected a date-time.`);
    if (endDate !== undefined && endDate < startDate) throw badRequest('endDate must not be earlier than startDate.');
    const format = optEnum(body, 'format', REPORT_FORMATS.filter((f) => f !== 'unknown')) ?? 'csv';
    const customizationName = optString(body, 'customizationName');
    const report: ReportRecord = {
      id: randomUUID(),
      name,
      ...(customizationName ? { customizationName } : {}),
      type: 'onetime',
      format,
      createdAt: control.now(),
      startDate,
      ...(endDate !== undefined ? { endDate } : {}),
    };
    store.reports.set(report.id, report);
    return render(report);
  });

  scope.get('/reports/:reportId', async (request) => {
    const { reportId } = request.params as { reportId: string };
    if (!UUID.test(reportId)) throw badRequest(`Invalid reportId '${reportId}': expected a UUID.`);
    const report = store.reports.get(reportId.toLowerCase());
    if (!report) throw notFound(`Report with id '${reportId}' was not found.`);
    return render(report);
  });
}
