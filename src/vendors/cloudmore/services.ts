/**
 * Cloudmore reseller services ("Reseller services": `GET R/services`, one call per request,
 * shared with the subscription and product reads).
 */
import type { ServiceOps } from '../types.js';
import type { SessionLoaders } from './core.js';
import * as map from './mappers.js';

export function servicesPart(loaders: SessionLoaders): ServiceOps {
  return {
    list: async () => (await loaders.services()).map(map.toVendorService),
    get: async (vendorId) => {
      const row = (await loaders.serviceSets()).byId.get(map.idKey(vendorId));
      return row ? map.toVendorService(row) : null;
    },
  };
}
