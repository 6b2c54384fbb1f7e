// Placeholder until the cloudmore simulator lands.
import type { VendorSimulatorFactory } from '../shared/vendor.js';

const create: VendorSimulatorFactory = () => {
  throw new Error('cloudmore simulator not implemented yet');
};
export default create;
