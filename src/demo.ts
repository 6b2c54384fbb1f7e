/** Vendor configuration pointing at running simulators (demo mode and tests). */
import type { Config } from './config.js';
import type { RunningSimulators } from './simulators/index.js';

export function simulatorVendorConfig(sims: RunningSimulators, timeoutMs = 10_000): Config['vendors'] {
  const vendors: Config['vendors'] = {};
  const lc = sims.leadercloud;
  if (lc) {
    const c = lc.credentials;
    vendors.leadercloud = { baseUrl: lc.baseUrl, clientId: c.clientId!, clientSecret: c.clientSecret!, username: c.username!, password: c.password!, timeoutMs };
  }
  const cm = sims.cloudmore;
  if (cm) {
    const c = cm.credentials;
    vendors.cloudmore = {
      baseUrl: cm.baseUrl,
      clientId: c.clientId!,
      clientSecret: c.clientSecret!,
      username: c.username!,
      password: c.password!,
      resellerId: c.resellerId!,
      sellerId: c.sellerId,
      timeoutMs,
    };
  }
  const im = sims.ingram;
  if (im) {
    const c = im.credentials;
    vendors.ingram = { baseUrl: im.baseUrl, username: c.username!, password: c.password!, subscriptionKey: c.subscriptionKey!, marketplace: c.marketplace!, timeoutMs };
  }
  return vendors;
}
