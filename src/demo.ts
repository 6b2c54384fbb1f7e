/** Vendor configuration pointing at running simulators (demo mode and tests). */
import type { Config, ShortcutMode } from './config.js';
import type { RunningSimulators } from './simulators/index.js';

export function simulatorVendorConfig(sims: RunningSimulators, timeoutMs = 10_000, shortcuts: ShortcutMode = 'auto'): Config['vendors'] {
  const vendors: Config['vendors'] = {};
  const lc = sims.leadercloud;
  if (lc) {
    const c = lc.credentials;
    vendors.leadercloud = { baseUrl: lc.baseUrl, clientId: c.clientId!, clientSecret: c.clientSecret!, username: c.username!, password: c.password!, timeoutMs, shortcuts };
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
      shortcuts,
    };
  }
  const im = sims.ingram;
  if (im) {
    const c = im.credentials;
    vendors.ingram = { baseUrl: im.baseUrl, username: c.username!, password: c.password!, subscriptionKey: c.subscriptionKey!, marketplace: c.marketplace!, timeoutMs, shortcuts };
  }
  return vendors;
}
