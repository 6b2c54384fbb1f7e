// Placeholder until the ingram simulator lands.
import type { VendorSimulatorFactory } from '../shared/vendor.js';

const create: VendorSimulatorFactory = () => {
  throw new Error('ingram simulator not implemented yet');
};
export default create;
