/**
 * Cloudmore's asynchronous monthly billing report per organization.
 *
 * - startBilling(year, month): `POST R/billing/reports/MonthlyBillingPerOrganizationAsync`
 *   `{startDate, endDate}` (the calendar month). Cloudmore answers 202 at once with the
 *   task id (body `taskId`, else the `Location` header); the Report's vendorId is that task
 *   id and its status PENDING. Nothing waits for the vendor.
 * - get(taskId): `GET R/billing/reports/MonthlyBillingPerOrganizationAsync/{taskId}` per
 *   task: poll it until COMPLETED (404 → null). Reports cannot be listed (no such endpoint).
 * - lines(report): the typed billing lines of a completed report, from the report itself
 *   (no call).
 */
import DataLoader from 'dataloader';
import { UpstreamError, isNotFound } from '../../errors.js';
import type { ReportModel } from '../../model.js';
import type { ReportOps } from '../types.js';
import { VENDOR, asError, type CloudmoreCore, type J, type SessionLoaders } from './core.js';
import * as map from './mappers.js';

export function reportsPart(core: CloudmoreCore, loaders: SessionLoaders): ReportOps {
  const { http, paths } = core;
  const byId = new DataLoader<string, ReportModel | null>((ids) =>
    Promise.all(
      ids.map((id) =>
        loaders.gets.load(paths.report(id)).then(
          (body) => map.toReport(body, id),
          (error: unknown) => (isNotFound(error) ? null : asError(error)),
        ),
      ),
    ),
  );

  return {
    get: (vendorId) => byId.load(map.idKey(vendorId)),

    async startBilling(year, month) {
      const period = map.billingPeriod(year, month);
      const { body, headers } = await http.send<J>('POST', paths.billingAsync, period);
      const taskId = map.taskIdOf(body, headers.location);
      if (!taskId) throw new UpstreamError(VENDOR, null, 'UPSTREAM_ERROR', 'the billing report was started but Cloudmore did not say its task id');
      const report = map.toReport({ status: 'Pending', ...(body && typeof body === 'object' ? body : {}), ...period, taskId }, taskId);
      // This request sees the task as started; the next one polls Cloudmore.
      loaders.gets.clear(paths.report(taskId));
      byId.clear(taskId).prime(taskId, report);
      return report;
    },

    lines: async (report) => map.toBillingLines(report),
  };
}
