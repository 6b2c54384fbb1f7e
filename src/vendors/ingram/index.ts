// Placeholder until the Ingram adapter lands.
import type { IngramConfig } from '../../config.js';
import type { VendorAdapter } from '../types.js';

export function createIngramAdapter(_config: IngramConfig, _options: { simulated: boolean }): VendorAdapter {
  throw new Error('Ingram adapter not implemented yet');
}
