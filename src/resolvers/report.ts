import type { BillingLineResolvers, MutationResolvers, QueryResolvers, ReportResolvers } from '../generated/graphql.js';
import type { ReportModel } from '../model.js';
import { entityFields, listAcross, loadNode, maybeOp, op, related, vendorChecked } from './common.js';
import { InputCheck, idempotent, mutate } from './mutation.js';

export const Report: ReportResolvers = {
  ...entityFields<ReportModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Report'),
  lines: async (r, _args, ctx) => {
    const load = maybeOp(ctx, r.vendor, 'reports', 'lines');
    return load ? load(r) : null;
  },
};

export const BillingLine: BillingLineResolvers = {
  customer: (l, _args, ctx) => related(ctx, l.vendor, 'Customer', l.customerVendorId),
};

export const reportQueries: Pick<QueryResolvers, 'report' | 'reports'> = {
  report: (_root, args, ctx) => loadNode(ctx, args.id, 'Report'),
  reports: (_root, args, ctx, info) =>
    listAcross(ctx, info, 'Report', args, {
      name: args.filter?.name,
      format: args.filter?.format?.toLowerCase(),
      reportStatus: args.filter?.status,
      type: args.filter?.type,
      createdFrom: args.filter?.from,
      createdTo: args.filter?.to,
    }),
};

export const reportMutations: Pick<MutationResolvers, 'startBillingReport' | 'scheduleReport'> = {
  startBillingReport: (_root, { input }, ctx) =>
    mutate(async () => {
      const vendor = vendorChecked(ctx, input.vendor);
      const check = new InputCheck();
      check.int(['input', 'year'], input.year, 2000, 2100);
      check.int(['input', 'month'], input.month, 1, 12);
      if (Date.UTC(input.year, input.month - 1, 1) > Date.now()) check.fail(['input', 'month'], 'The billing month has not started yet.');
      check.done();
      const start = op(ctx, vendor, 'reports', 'startBilling', 'billing reports');
      const { idempotencyKey, ...fingerprint } = input;
      return { report: await idempotent(ctx, vendor, 'startBillingReport', idempotencyKey, fingerprint, () => start(input.year, input.month)) };
    }),
  scheduleReport: (_root, { input }, ctx) =>
    mutate(async () => {
      const vendor = vendorChecked(ctx, input.vendor);
      const check = new InputCheck();
      check.text(['input', 'name'], input.name, 200, true);
      check.text(['input', 'customizationName'], input.customizationName, 200);
      if (input.endDate && Date.parse(input.endDate) < Date.parse(input.startDate)) check.fail(['input', 'endDate'], 'endDate is before startDate.');
      check.done();
      const schedule = op(ctx, vendor, 'reports', 'schedule', 'scheduled reports');
      const { idempotencyKey, ...fingerprint } = input;
      return {
        report: await idempotent(ctx, vendor, 'scheduleReport', idempotencyKey, fingerprint, () =>
          schedule({
            name: input.name,
            startDate: input.startDate,
            endDate: input.endDate,
            format: input.format?.toLowerCase() ?? null,
            customizationName: input.customizationName,
          }),
        ),
      };
    }),
};
