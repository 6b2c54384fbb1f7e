import type { QueryResolvers, ReportResolvers } from '../generated/graphql.js';
import type { ReportModel } from '../model.js';
import { entityFields, listAcross, loadNode } from './common.js';

export const Report: ReportResolvers = {
  ...entityFields<ReportModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Report'),
};

export const reportQueries: Pick<QueryResolvers, 'report' | 'reports'> = {
  report: (_root, args, ctx) => loadNode(ctx, args.id, 'Report'),
  reports: (_root, args, ctx, info) => listAcross(ctx, info, 'Report', args),
};
