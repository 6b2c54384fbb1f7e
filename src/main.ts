/**
 * `npm start`: validates configuration, and serves the graph. With no vendor credentials
 * configured (and SIMULATORS not 'off'), it starts the built-in vendor simulators
 * in-process and points the graph at them, so a newcomer can open Sandbox at once.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { isLoopback, parseApiKeys } from './auth.js';
import { simulatorVendorConfig } from './demo.js';
import { announce, logger } from './logger.js';
import { tracesUrl } from './tracing.js';
import { createGraphServer } from './server.js';
import { startSimulators, type RunningSimulators } from './simulators/index.js';
import { buildAdapters } from './vendors/registry.js';
import { ResponseCache } from './cache.js';
import { SharedLimits } from './http/limit.js';
import { Redis } from 'ioredis';
import { defaultMappingFile } from './join/options.js';

async function main() {
  // A .env file next to package.json, if present (Node's own loader; the environment wins).
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let vendors = config.vendors;
  let sims: RunningSimulators | undefined;
  const multiTenant = Object.keys(config.tenants).length > 0;
  const none = !vendors.leadercloud && !vendors.cloudmore && !vendors.ingram && !multiTenant;
  if (none) {
    if (config.server.simulators === 'off') {
      console.error('No vendor is configured and SIMULATORS=off: set the credentials of at least one vendor (see README).');
      process.exit(2);
    }
    const s = config.server;
    sims = await startSimulators({
      seed: s.simulatorSeed,
      size: s.simulatorSize,
      profile: s.simulatorProfile,
      host: s.simulatorHost,
      ports: { leadercloud: s.simulatorLeadercloudPort, cloudmore: s.simulatorCloudmorePort, ingram: s.simulatorIngramPort },
    });
    vendors = simulatorVendorConfig(sims);
    announce(
      { simulators: Object.fromEntries(sims.all.map((s) => [s.vendor, s.baseUrl])), profile: sims.profile },
      `No vendor credentials configured: serving the built-in simulators, profile ${sims.profile} (${sims.all.map((s) => `${s.vendor} ${s.baseUrl}`).join(', ')}).`,
    );
  }
  const cacheRedis = config.server.cache === 'on' && config.server.redisUrl ? new Redis(config.server.redisUrl) : undefined;
  // Vendor concurrency limits shared by every instance (src/http/limit.ts), on their own
  // connection: no offline queue, so a Redis outage falls back to per-instance limits at once.
  const limitRedis = config.server.redisUrl ? new Redis(config.server.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
  const sharedLimits = limitRedis ? new SharedLimits(limitRedis) : undefined;
  const cache =
    config.server.cache === 'on'
      ? new ResponseCache({
          redis: cacheRedis,
          maxBytes: config.server.cacheMaxMb * 2 ** 20,
          ttls: { catalogueMs: config.server.cacheTtlCatalogueS * 1000, accountsMs: config.server.cacheTtlAccountsS * 1000, activityMs: config.server.cacheTtlActivityS * 1000 },
          staleMs: config.server.cacheStaleS * 1000,
        })
      : undefined;
  const adapters = buildAdapters(vendors, { simulated: Boolean(sims), cache, limits: sharedLimits });
  // Multi-tenant mode: one set of adapters (credentials, tokens) per tenant.
  const tenants = multiTenant ? new Map(Object.entries(config.tenants).map(([name, v]) => [name, buildAdapters(v, { cache, limits: sharedLimits })])) : undefined;
  const c = config.server;
  const sandbox = c.sandbox ?? !c.production;
  const introspection = c.introspection ?? !c.production;
  const keys = parseApiKeys(c.apiKeys);
  let authMode = c.authMode;
  const jwt = c.jwksUrl
    ? { jwksUrl: c.jwksUrl, issuer: c.jwtIssuer!, audience: c.jwtAudience!, scopeClaim: c.jwtScopeClaim, tenantClaim: c.jwtTenantClaim }
    : undefined;
  if (authMode === 'keys' && keys.length === 0 && !jwt) {
    if (sims && isLoopback(c.host)) {
      // The demo over the built-in simulators, reachable from this machine only.
      authMode = 'off';
      announce({ authMode: 'off' }, 'Auth is off: demo mode on a loopback address with no API_KEYS (see README, "Who may call").');
    } else {
      console.error('No API_KEYS configured: set API_KEYS (see README, "Who may call"), or AUTH_MODE=off on a loopback HOST for local development.');
      process.exit(2);
    }
  }
  const traces = tracesUrl(c.otelEndpoint, c.otelTracesEndpoint);
  const limits = { depth: c.limitDepth, aliases: c.limitAliases, directives: c.limitDirectives, tokens: c.limitTokens, cost: c.limitCost, entities: c.limitEntities };
  const { app } = await createGraphServer({
    adapters,
    introspection,
    sandbox,
    limits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
    auth: { mode: authMode, keys, routerSecret: c.routerSecret, jwt },
    rateLimitPerMinute: c.rateLimitPerMinute,
    responseCache: c.responseCache === 'on' ? { maxMb: c.responseCacheMaxMb } : false,
    executor: c.executor,
    tenants,
    redisUrl: c.redisUrl,
    corsOrigins: c.corsOrigins?.split(',').map((o) => o.trim()).filter(Boolean),
    join: { hostType: c.hostOrganizationType, hostKey: c.hostOrganizationKey, mappingFile: c.mappingFile ?? defaultMappingFile(), skuAliasesFile: c.skuAliasesFile, typePrefix: c.typePrefix, rootFieldPrefix: c.rootFieldPrefix },
    // The dashboard: on in demo mode unless DASHBOARD=off; GraphiQL (the offline explorer) goes with Sandbox.
    pages: { dashboard: c.dashboard ? c.dashboard === 'on' : Boolean(sims), graphiql: sandbox },
    metricsToken: c.metricsToken,
    tracing: traces ? { url: traces, serviceName: c.otelServiceName } : undefined,
  });
  await app.listen({ port: config.server.port, host: config.server.host });
  const shownHost = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  const url = `http://${shownHost}:${config.server.port}/graphql`;
  const serving = tenants ? `${tenants.size} tenants` : [...adapters.keys()].join(', ');
  // The banner: one structured line (plain text on a terminal).
  announce(
    {
      url,
      vendors: [...adapters.keys()],
      ...(tenants ? { tenants: tenants.size } : {}),
      simulated: Boolean(sims),
      profile: sims?.profile ?? null,
      authMode,
      sandbox,
      metrics: url.replace(/\/graphql$/, '/metrics'),
      tracing: traces ?? null,
    },
    `channelgraph serving ${serving} at ${url}${sandbox ? ' (open it in a browser for Apollo Sandbox)' : ''}`,
  );
  if (sandbox) console.log(`GraphiQL (offline, no CDN) at ${url.replace(/\/graphql$/, '/graphiql')}`);
  if (c.dashboard ? c.dashboard === 'on' : sims) console.log(`Dashboard at ${url.replace(/\/graphql$/, '/dashboard')}`);

  const stop = async () => {
    await app.close();
    await cacheRedis?.quit();
    sharedLimits?.close();
    await limitRedis?.quit().catch(() => limitRedis.disconnect());
    await sims?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  logger.error({ err: error instanceof Error ? error.message : String(error) }, 'channelgraph failed to start');
  process.exit(1);
});
