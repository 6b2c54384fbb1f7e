// Placeholder until the Cloudmore adapter lands.
import type { CloudmoreConfig } from '../../config.js';
import type { VendorAdapter } from '../types.js';

export function createCloudmoreAdapter(_config: CloudmoreConfig, _options: { simulated: boolean }): VendorAdapter {
  throw new Error('Cloudmore adapter not implemented yet');
}
