/**
 * Configuration from environment variables and an optional JSON file
 * (CHANNELGRAPH_CONFIG=path; environment wins). Validated at start: a bad value is
 * reported by its key, and secret values are never printed. A vendor whose credentials
 * are all absent is simply not configured; a vendor with some but not all is an error.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLoopback, parseApiKeys } from './auth.js';
import { EXECUTORS } from './executor.js';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const ms = z.coerce.number().int().min(100).max(600_000);
const url = z.string().url();
/**
 * Inferred shortcuts (efficient request forms no vendor document confirms): `auto` tries
 * them and falls back to the documented form for good once the vendor refuses one; `on`
 * always uses them; `off` never does.
 */
const shortcuts = z.enum(['auto', 'on', 'off']).default('auto');
export type ShortcutMode = z.infer<typeof shortcuts>;

const LeaderCloud = z.object({
  baseUrl: url.default('https://bss.leadercloud.com.au'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  timeoutMs: ms.default(30_000),
  shortcuts,
  /** How long the circuit breaker stays open before it lets one call through (default 15 s). */
  circuitResetMs: ms.optional(),
  /** Calls at once to the vendor from this process, across all requests (default 16; halves on a rate limit). */
  maxConcurrency: z.coerce.number().int().min(1).max(256).optional(),
});
const Cloudmore = z.object({
  baseUrl: url.default('https://api.cloudmore.com'),
  clientId: z.string().min(1).default('ro.customer.client'),
  clientSecret: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  resellerId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID'),
  sellerId: z.string().optional(),
  timeoutMs: ms.default(30_000),
  shortcuts,
  /** How long the circuit breaker stays open before it lets one call through (default 15 s). */
  circuitResetMs: ms.optional(),
  /** Calls at once to the vendor from this process, across all requests (default 16; halves on a rate limit). */
  maxConcurrency: z.coerce.number().int().min(1).max(256).optional(),
});
const Ingram = z.object({
  baseUrl: url.default('https://api.cloud.im/marketplace/na'),
  username: z.string().min(1),
  password: z.string().min(1),
  subscriptionKey: z.string().min(1),
  marketplace: z.string().min(2).default('us'),
  timeoutMs: ms.default(120_000),
  shortcuts,
  /** How long the circuit breaker stays open before it lets one call through (default 15 s). */
  circuitResetMs: ms.optional(),
  /** Calls at once to the vendor from this process, across all requests (default 16; halves on a rate limit). */
  maxConcurrency: z.coerce.number().int().min(1).max(256).optional(),
});

export type LeaderCloudConfig = z.infer<typeof LeaderCloud>;
export type CloudmoreConfig = z.infer<typeof Cloudmore>;
export type IngramConfig = z.infer<typeof Ingram>;

const Server = z.object({
  port: port.default(4000),
  host: z.string().min(1).default('127.0.0.1'),
  /** Introspection; on by default except when NODE_ENV=production. */
  introspection: bool.optional(),
  /** Apollo Sandbox landing page; on by default except when NODE_ENV=production. */
  sandbox: bool.optional(),
  production: z.boolean().default(false),
  /** 'auto': serve the built-in simulators when no vendor is configured; 'off': never. */
  simulators: z.enum(['auto', 'off']).default('auto'),
  simulatorSeed: z.coerce.number().int().default(42),
  simulatorSize: z.coerce.number().int().min(1).max(100_000).default(60),
  simulatorProfile: z.enum(['documented', 'extended']).default('documented'),
  /** Demo mode: where the built-in simulators listen (each port 0 or unset: a free one). */
  simulatorHost: z.string().min(1).default('127.0.0.1'),
  simulatorLeadercloudPort: port.optional(),
  simulatorCloudmorePort: port.optional(),
  simulatorIngramPort: port.optional(),
  /** `keys` (API keys with scopes) or `off` (loopback HOST only). */
  authMode: z.enum(['keys', 'off']).default('keys'),
  /** `name:scope+scope:sha256hex[:tenant]`, comma-separated. */
  apiKeys: z.string().optional(),
  routerSecret: z.string().min(16).optional(),
  jwksUrl: url.optional(),
  jwtIssuer: z.string().min(1).optional(),
  jwtAudience: z.string().min(1).optional(),
  jwtScopeClaim: z.string().min(1).optional(),
  jwtTenantClaim: z.string().min(1).optional(),
  /** Multi-tenant mode: a JSON file of tenants and their vendor credentials. */
  tenantsFile: z.string().optional(),
  /** Cross-request cache of vendor reads (cache.ts): in memory, or in Redis with REDIS_URL. */
  cache: z.enum(['on', 'off']).default('on'),
  cacheMaxMb: z.coerce.number().int().min(1).max(100_000).default(64),
  cacheTtlCatalogueS: z.coerce.number().int().min(0).max(86_400).default(600),
  cacheTtlAccountsS: z.coerce.number().int().min(0).max(86_400).default(300),
  cacheTtlActivityS: z.coerce.number().int().min(0).max(86_400).default(30),
  /** Stale-while-revalidate: how long past its TTL a cached read still answers while it is read again (0: off). */
  cacheStaleS: z.coerce.number().int().min(0).max(86_400).default(0),
  /** The whole-response cache of queries (http-cache.ts): in memory, or in Redis with REDIS_URL. */
  responseCache: z.enum(['on', 'off']).default('on'),
  responseCacheMaxMb: z.coerce.number().int().min(1).max(100_000).default(32),
  /** Execution (executor.ts): operations seen again compiled by graphql-jit, or graphql-js for everything. */
  executor: z.enum(EXECUTORS).default('graphql-jit'),
  /** Redis shared by every instance: idempotency keys (and the cache). */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  rateLimitPerMinute: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  /** Comma-separated origins allowed by CORS. */
  corsOrigins: z.string().optional(),
  /** A bearer token that may read /metrics besides API keys with the `admin` scope (a Prometheus scraper's). */
  metricsToken: z.string().min(16).optional(),
  /** OpenTelemetry tracing: the OTLP/HTTP endpoint (traces go to `<it>/v1/traces`), or the traces URL itself; off when neither is set. */
  otelEndpoint: url.optional(),
  otelTracesEndpoint: url.optional(),
  otelServiceName: z.string().min(1).default('channelgraph'),
  /** The dashboard page at /dashboard: on by default in demo mode (over the simulators), off otherwise. */
  dashboard: z.enum(['on', 'off']).optional(),
  /** Joining the host graph (src/join): the host's organisation entity and its key field. */
  hostOrganizationType: z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'must be a GraphQL type name').default('Organization'),
  hostOrganizationKey: z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'must be a GraphQL field name').default('id'),
  /** The organisation mapping (JSON, created when absent, read again when it changes); default see join/options.ts. */
  mappingFile: z.string().min(1).optional(),
  /** SKU/MPN alias table: JSON object of alias → canonical product key. */
  skuAliasesFile: z.string().min(1).optional(),
  /** Prefixes for composing beside a graph with the same names (ChannelCustomer, channelCustomers). */
  typePrefix: z.string().regex(/^([A-Za-z][_0-9A-Za-z]*)?$/, 'must start a GraphQL type name').default(''),
  rootFieldPrefix: z.string().regex(/^([A-Za-z][_0-9A-Za-z]*)?$/, 'must start a GraphQL field name').default(''),
  limitDepth: z.coerce.number().int().min(2).max(100).optional(),
  limitAliases: z.coerce.number().int().min(1).max(10_000).optional(),
  limitDirectives: z.coerce.number().int().min(1).max(10_000).optional(),
  limitTokens: z.coerce.number().int().min(100).max(1_000_000).optional(),
  limitCost: z.coerce.number().int().min(100).max(100_000_000).optional(),
  limitEntities: z.coerce.number().int().min(1).max(10_000).optional(),
});

export interface Config {
  server: z.infer<typeof Server>;
  vendors: { leadercloud?: LeaderCloudConfig; cloudmore?: CloudmoreConfig; ingram?: IngramConfig };
  /** Multi-tenant mode (TENANTS_FILE): each tenant's own vendor credentials. Empty otherwise. */
  tenants: Record<string, Config['vendors']>;
}

export class ConfigError extends Error {}

/** Environment variable → config path. Secret keys are marked so errors never echo them. */
export const ENV_KEYS: Array<{ env: string; path: [string, string]; secret?: boolean }> = [
  { env: 'PORT', path: ['server', 'port'] },
  { env: 'HOST', path: ['server', 'host'] },
  { env: 'GRAPHQL_INTROSPECTION', path: ['server', 'introspection'] },
  { env: 'GRAPHQL_SANDBOX', path: ['server', 'sandbox'] },
  { env: 'SIMULATORS', path: ['server', 'simulators'] },
  { env: 'SIM_SEED', path: ['server', 'simulatorSeed'] },
  { env: 'SIM_SIZE', path: ['server', 'simulatorSize'] },
  { env: 'SIM_PROFILE', path: ['server', 'simulatorProfile'] },
  { env: 'SIM_HOST', path: ['server', 'simulatorHost'] },
  { env: 'SIM_LEADERCLOUD_PORT', path: ['server', 'simulatorLeadercloudPort'] },
  { env: 'SIM_CLOUDMORE_PORT', path: ['server', 'simulatorCloudmorePort'] },
  { env: 'SIM_INGRAM_PORT', path: ['server', 'simulatorIngramPort'] },
  { env: 'AUTH_MODE', path: ['server', 'authMode'] },
  { env: 'API_KEYS', path: ['server', 'apiKeys'] },
  { env: 'ROUTER_SECRET', path: ['server', 'routerSecret'], secret: true },
  { env: 'AUTH_JWKS_URL', path: ['server', 'jwksUrl'] },
  { env: 'AUTH_JWT_ISSUER', path: ['server', 'jwtIssuer'] },
  { env: 'AUTH_JWT_AUDIENCE', path: ['server', 'jwtAudience'] },
  { env: 'AUTH_JWT_SCOPE_CLAIM', path: ['server', 'jwtScopeClaim'] },
  { env: 'AUTH_JWT_TENANT_CLAIM', path: ['server', 'jwtTenantClaim'] },
  { env: 'RATE_LIMIT_PER_MINUTE', path: ['server', 'rateLimitPerMinute'] },
  { env: 'TENANTS_FILE', path: ['server', 'tenantsFile'] },
  { env: 'REDIS_URL', path: ['server', 'redisUrl'], secret: true },
  { env: 'CACHE', path: ['server', 'cache'] },
  { env: 'CACHE_MAX_MB', path: ['server', 'cacheMaxMb'] },
  { env: 'CACHE_TTL_CATALOGUE_S', path: ['server', 'cacheTtlCatalogueS'] },
  { env: 'CACHE_TTL_ACCOUNTS_S', path: ['server', 'cacheTtlAccountsS'] },
  { env: 'CACHE_TTL_ACTIVITY_S', path: ['server', 'cacheTtlActivityS'] },
  { env: 'CACHE_STALE_S', path: ['server', 'cacheStaleS'] },
  { env: 'RESPONSE_CACHE', path: ['server', 'responseCache'] },
  { env: 'RESPONSE_CACHE_MAX_MB', path: ['server', 'responseCacheMaxMb'] },
  { env: 'EXECUTOR', path: ['server', 'executor'] },
  { env: 'CORS_ORIGINS', path: ['server', 'corsOrigins'] },
  { env: 'METRICS_TOKEN', path: ['server', 'metricsToken'], secret: true },
  { env: 'OTEL_EXPORTER_OTLP_ENDPOINT', path: ['server', 'otelEndpoint'] },
  { env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', path: ['server', 'otelTracesEndpoint'] },
  { env: 'OTEL_SERVICE_NAME', path: ['server', 'otelServiceName'] },
  { env: 'DASHBOARD', path: ['server', 'dashboard'] },
  { env: 'HOST_ORGANIZATION_TYPE', path: ['server', 'hostOrganizationType'] },
  { env: 'HOST_ORGANIZATION_KEY', path: ['server', 'hostOrganizationKey'] },
  { env: 'MAPPING_FILE', path: ['server', 'mappingFile'] },
  { env: 'SKU_ALIASES_FILE', path: ['server', 'skuAliasesFile'] },
  { env: 'CHANNELGRAPH_TYPE_PREFIX', path: ['server', 'typePrefix'] },
  { env: 'CHANNELGRAPH_ROOT_FIELD_PREFIX', path: ['server', 'rootFieldPrefix'] },
  { env: 'LIMIT_DEPTH', path: ['server', 'limitDepth'] },
  { env: 'LIMIT_ALIASES', path: ['server', 'limitAliases'] },
  { env: 'LIMIT_DIRECTIVES', path: ['server', 'limitDirectives'] },
  { env: 'LIMIT_TOKENS', path: ['server', 'limitTokens'] },
  { env: 'LIMIT_COST', path: ['server', 'limitCost'] },
  { env: 'LIMIT_ENTITIES', path: ['server', 'limitEntities'] },
  { env: 'LEADERCLOUD_BASE_URL', path: ['leadercloud', 'baseUrl'] },
  { env: 'LEADERCLOUD_CLIENT_ID', path: ['leadercloud', 'clientId'] },
  { env: 'LEADERCLOUD_CLIENT_SECRET', path: ['leadercloud', 'clientSecret'], secret: true },
  { env: 'LEADERCLOUD_USERNAME', path: ['leadercloud', 'username'] },
  { env: 'LEADERCLOUD_PASSWORD', path: ['leadercloud', 'password'], secret: true },
  { env: 'LEADERCLOUD_TIMEOUT_MS', path: ['leadercloud', 'timeoutMs'] },
  { env: 'LEADERCLOUD_SHORTCUTS', path: ['leadercloud', 'shortcuts'] },
  { env: 'LEADERCLOUD_CIRCUIT_RESET_MS', path: ['leadercloud', 'circuitResetMs'] },
  { env: 'LEADERCLOUD_MAX_CONCURRENCY', path: ['leadercloud', 'maxConcurrency'] },
  { env: 'CLOUDMORE_BASE_URL', path: ['cloudmore', 'baseUrl'] },
  { env: 'CLOUDMORE_CLIENT_ID', path: ['cloudmore', 'clientId'] },
  { env: 'CLOUDMORE_CLIENT_SECRET', path: ['cloudmore', 'clientSecret'], secret: true },
  { env: 'CLOUDMORE_USERNAME', path: ['cloudmore', 'username'] },
  { env: 'CLOUDMORE_PASSWORD', path: ['cloudmore', 'password'], secret: true },
  { env: 'CLOUDMORE_RESELLER_ID', path: ['cloudmore', 'resellerId'] },
  { env: 'CLOUDMORE_SELLER_ID', path: ['cloudmore', 'sellerId'] },
  { env: 'CLOUDMORE_TIMEOUT_MS', path: ['cloudmore', 'timeoutMs'] },
  { env: 'CLOUDMORE_SHORTCUTS', path: ['cloudmore', 'shortcuts'] },
  { env: 'CLOUDMORE_CIRCUIT_RESET_MS', path: ['cloudmore', 'circuitResetMs'] },
  { env: 'CLOUDMORE_MAX_CONCURRENCY', path: ['cloudmore', 'maxConcurrency'] },
  { env: 'INGRAM_BASE_URL', path: ['ingram', 'baseUrl'] },
  { env: 'INGRAM_USERNAME', path: ['ingram', 'username'] },
  { env: 'INGRAM_PASSWORD', path: ['ingram', 'password'], secret: true },
  { env: 'INGRAM_SUBSCRIPTION_KEY', path: ['ingram', 'subscriptionKey'], secret: true },
  { env: 'INGRAM_MARKETPLACE', path: ['ingram', 'marketplace'] },
  { env: 'INGRAM_TIMEOUT_MS', path: ['ingram', 'timeoutMs'] },
  { env: 'INGRAM_SHORTCUTS', path: ['ingram', 'shortcuts'] },
  { env: 'INGRAM_CIRCUIT_RESET_MS', path: ['ingram', 'circuitResetMs'] },
  { env: 'INGRAM_MAX_CONCURRENCY', path: ['ingram', 'maxConcurrency'] },
];

/** The keys that say "this vendor is meant to be configured" (base URL alone is not). */
const CREDENTIAL_KEYS: Record<string, string[]> = {
  leadercloud: ['clientId', 'clientSecret', 'username', 'password'],
  cloudmore: ['clientSecret', 'username', 'password', 'resellerId'],
  ingram: ['username', 'password', 'subscriptionKey'],
};

function envName(section: string, key: string): string {
  return ENV_KEYS.find((k) => k.path[0] === section && k.path[1] === key)?.env ?? `${section}.${key}`;
}

type VendorParse = <T>(schema: z.ZodType<T>, section: string, value: unknown) => T | undefined;

/** The configured vendors of one credential set: those with any credential given, validated. */
function parseVendors(sections: Record<string, Record<string, unknown> | undefined>, parse: VendorParse): Config['vendors'] {
  const vendors: Config['vendors'] = {};
  const schemas = { leadercloud: LeaderCloud, cloudmore: Cloudmore, ingram: Ingram } as const;
  for (const name of ['leadercloud', 'cloudmore', 'ingram'] as const) {
    const section = (sections[name] ?? {}) as Record<string, unknown>;
    const present = CREDENTIAL_KEYS[name]!.filter((k) => section[k] !== undefined);
    if (present.length === 0) continue; // not configured
    const parsed = parse(schemas[name] as z.ZodType<unknown>, name, section);
    if (parsed) (vendors as Record<string, unknown>)[name] = parsed;
  }
  return vendors;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let file: Record<string, Record<string, unknown>> = {};
  if (env.CHANNELGRAPH_CONFIG) {
    try {
      file = JSON.parse(readFileSync(env.CHANNELGRAPH_CONFIG, 'utf8')) as typeof file;
    } catch (error) {
      throw new ConfigError(`CHANNELGRAPH_CONFIG: cannot read ${env.CHANNELGRAPH_CONFIG} as JSON (${(error as Error).message.split('\n')[0]})`);
    }
  }
  const sections: Record<string, Record<string, unknown>> = {
    server: { ...(file.server ?? {}) },
    leadercloud: { ...((file.vendors as Record<string, Record<string, unknown>> | undefined)?.leadercloud ?? {}) },
    cloudmore: { ...((file.vendors as Record<string, Record<string, unknown>> | undefined)?.cloudmore ?? {}) },
    ingram: { ...((file.vendors as Record<string, Record<string, unknown>> | undefined)?.ingram ?? {}) },
  };
  for (const { env: name, path } of ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') (sections[path[0]] as Record<string, unknown>)[path[1]] = value;
  }
  sections.server!.production = env.NODE_ENV === 'production';

  const problems: string[] = [];
  const parse = <T>(schema: z.ZodType<T>, section: string, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      const secret = ENV_KEYS.find((k) => k.path[0] === section && k.path[1] === key)?.secret;
      const missing = issue.code === 'invalid_type' && (value as Record<string, unknown>)[key] === undefined;
      // Zod messages never include the received value; still, say nothing about secrets but the rule.
      problems.push(`${envName(section, key)}: ${missing ? 'is required' : secret ? 'is invalid' : issue.message}`);
    }
    return undefined;
  };

  const server = parse(Server, 'server', sections.server);
  const vendors = parseVendors(sections, (schema, section, value) => parse(schema, section, value));
  const tenants: Config['tenants'] = {};
  if (server?.tenantsFile) {
    let file: Record<string, unknown> = {};
    try {
      file = JSON.parse(readFileSync(server.tenantsFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      problems.push(`TENANTS_FILE: cannot read ${server.tenantsFile} as JSON (${(error as Error).message.split('\n')[0]})`);
    }
    for (const [tenant, body] of Object.entries((file.tenants ?? {}) as Record<string, { vendors?: Record<string, Record<string, unknown>> }>)) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenant)) {
        problems.push(`TENANTS_FILE: tenant name "${tenant.slice(0, 64)}" must be 1-64 letters, digits, - or _`);
        continue;
      }
      const own = { leadercloud: { ...(body.vendors?.leadercloud ?? {}) }, cloudmore: { ...(body.vendors?.cloudmore ?? {}) }, ingram: { ...(body.vendors?.ingram ?? {}) } };
      tenants[tenant] = parseVendors(own, (schema, section, value) => {
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        for (const issue of result.error.issues) problems.push(`TENANTS_FILE: tenant ${tenant}, ${section}.${String(issue.path[0] ?? '')}: ${issue.message}`);
        return undefined;
      });
    }
    if (Object.keys(tenants).length === 0) problems.push('TENANTS_FILE: no tenants in it ({"tenants": {"name": {"vendors": {...}}}})');
  }
  if (server?.apiKeys) {
    try {
      parseApiKeys(server.apiKeys);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (server?.jwksUrl && (!server.jwtIssuer || !server.jwtAudience)) problems.push('AUTH_JWKS_URL: also set AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE');
  if (Object.keys(tenants).length && server?.authMode === 'off') problems.push('TENANTS_FILE: multi-tenant mode needs AUTH_MODE=keys (each API key names its tenant)');
  if (server?.authMode === 'off' && !isLoopback(server.host)) problems.push('AUTH_MODE: off is only allowed when HOST is a loopback address (127.0.0.1, ::1)');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return { server: server!, vendors, tenants };
}
