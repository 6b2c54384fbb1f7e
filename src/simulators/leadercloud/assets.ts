/** /api/assets: one-off purchases (list with $filter/$orderBy/include, and detail). */
import type { FastifyInstance } from 'fastify';
import type { LcAsset, LcState } from './data.js';
import { assetFields } from './fields.js';
import { paged, q, query, type RouteContext } from './http.js';
import { guidParam, notFound, parseInclude } from './util.js';
import { assetDto } from './views.js';

const ASSET_INCLUDES = ['customFields', 'characteristics'] as const;

export function findAsset(state: LcState, raw: unknown): LcAsset {
  const id = guidParam(raw, 'assetId');
  const asset = state.assetById.get(id);
  // The spec answers a missing asset with LeaseNotFoundError ("Asset with id 'assetId' was not found!").
  if (!asset) throw notFound('LeaseNotFoundError', 'Asset', id, `Asset with id '${id}' was not found!`);
  return asset;
}

export function registerAssets(app: FastifyInstance, ctx: RouteContext): void {
  const { state } = ctx;
  const fields = assetFields(state);

  app.get('/api/assets', async (request) => {
    const include = parseInclude(q(request, 'include'), ASSET_INCLUDES, 'assets');
    return paged(request, query(ctx, request, state.assets, fields, 'assets'), (a) => assetDto(state, a, include));
  });

  app.get('/api/assets/:assetId', async (request) => {
    const include = parseInclude(q(request, 'include'), ASSET_INCLUDES, 'assets');
    return assetDto(state, findAsset(state, (request.params as { assetId: string }).assetId), include);
  });
}
