// Placeholder until the leadercloud simulator lands.
import type { VendorSimulatorFactory } from '../shared/vendor.js';

const create: VendorSimulatorFactory = () => {
  throw new Error('leadercloud simulator not implemented yet');
};
export default create;
