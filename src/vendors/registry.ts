/**
 * Which distributors this graph talks to: one adapter per configured vendor, built from
 * configuration. The only file that names every vendor folder.
 */
import type { Config } from '../config.js';
import type { VendorName } from '../model.js';
import type { VendorAdapter } from './types.js';
import type { ResponseCache } from '../cache.js';
import { withSharedLimits, type SharedLimits } from '../http/limit.js';
import { createLeaderCloudAdapter } from './leadercloud/index.js';
import { createCloudmoreAdapter } from './cloudmore/index.js';
import { createIngramAdapter } from './ingram/index.js';

export const VENDOR_ORDER: readonly VendorName[] = ['LEADERCLOUD', 'CLOUDMORE', 'INGRAM'];

export interface VendorInfoModel {
  adapter: VendorAdapter;
}

/**
 * `limits`: the vendor concurrency limits are shared through Redis with every instance using
 * it (src/http/limit.ts), keyed by each client's credential fingerprint (`identity`).
 */
export function buildAdapters(
  vendors: Config['vendors'],
  options: { simulated?: boolean; cache?: ResponseCache; limits?: SharedLimits } = {},
): Map<VendorName, VendorAdapter> {
  const simulated = options.simulated ?? false;
  const cache = options.cache;
  const adapters = new Map<VendorName, VendorAdapter>();
  withSharedLimits(options.limits, () => {
    if (vendors.leadercloud) adapters.set('LEADERCLOUD', createLeaderCloudAdapter(vendors.leadercloud, { simulated, cache }));
    if (vendors.cloudmore) adapters.set('CLOUDMORE', createCloudmoreAdapter(vendors.cloudmore, { simulated, cache }));
    if (vendors.ingram) adapters.set('INGRAM', createIngramAdapter(vendors.ingram, { simulated, cache }));
  });
  return adapters;
}
