/**
 * The Cloudmore vendor simulator (API v1.07.0 shape): IdentityServer-style password-grant
 * tokens, broker (reseller) organizations, services, Estore, price lists, subscriptions of
 * every kind of service (Microsoft CSP NCE, legacy CSP, Azure, Azure plan, custom) on their
 * own endpoints, and the async monthly billing report. `control.profile` chooses between
 * `documented` (only what Cloudmore documents) and `extended` (inferred fields too). See
 * README.md in this folder for what rests on confirmed, inferred and unknown facts.
 */
import { createSimServer } from '../shared/server.js';
import type { VendorSimulatorFactory } from '../shared/vendor.js';
import { CREDENTIALS, registerTokenEndpoint } from './auth.js';
import { registerBilling } from './billing.js';
import { seedStore } from './data.js';
import { errorBody } from './errors.js';
import { registerRoutes } from './routes.js';
import { registerSubscriptionRoutes } from './subscriptions.js';

export { CREDENTIALS } from './auth.js';
export { REPORT_PENDING_MS, REPORT_READY_MS } from './billing.js';

const create: VendorSimulatorFactory = (world, options = {}) => {
  const { app, control } = createSimServer({ name: 'cloudmore', caseSensitive: false, errorBody, demoCredentials: CREDENTIALS, ...options });
  const store = seedStore(world);
  registerTokenEndpoint(app, control);
  registerRoutes(app, control, store);
  registerSubscriptionRoutes(app, control, store);
  registerBilling(app, control, store);
  return { vendor: 'cloudmore', app, control, basePath: '', credentials: { ...CREDENTIALS, ...options.credentials } };
};

export default create;
