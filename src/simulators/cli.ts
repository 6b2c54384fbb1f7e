/**
 * `npm run simulators`: serves the vendor simulators (all three, or those of `--vendors`) on
 * 127.0.0.1 and prints their base URLs and the demo credentials they accept.
 *
 * Options (flags or environment):
 *   --seed N        SIM_SEED        seed of the generated data (default 42)
 *   --size N        SIM_SIZE        number of companies in the world (default 60)
 *   --host H        SIM_HOST        bind address (default 127.0.0.1)
 *   --vendors LIST  SIM_VENDORS     the vendors to serve, comma-separated (default: all three)
 *   --leadercloud-port / --cloudmore-port / --ingram-port
 *                   SIM_LEADERCLOUD_PORT / SIM_CLOUDMORE_PORT / SIM_INGRAM_PORT (4101/4102/4103)
 *   --latency MS    SIM_LATENCY_MS  response time of every vendor call (the answer is built within it)
 *   --jitter MS     SIM_JITTER_MS   random extra latency up to MS
 *   --faults JSON   SIM_FAULTS      fault rules, e.g. '[{"status":429,"retryAfter":1,"probability":0.1}]'
 *   --token-ttl S   SIM_TOKEN_TTL   override every token lifetime (seconds)
 *   --profile P     SIM_PROFILE     documented (default: only what the vendors document) or extended
 *   --rate-limit N/MS SIM_RATE_LIMIT throttle above N vendor requests per MS milliseconds (off by default)
 *   --for S         SIM_FOR         stop by itself after S seconds (default: run until Ctrl-C)
 *   --help                          this text
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, SIMULATOR_FACTORIES, SIM_PROFILES, startSimulators, type FaultRule, type RateLimit, type SimProfile, type VendorKey } from './index.js';

const HELP = `Usage: npm run simulators -- [options]

Serves the Leader Cloud, Cloudmore and Ingram Micro simulators (or those of --vendors) on 127.0.0.1.

  --profile P          documented (default) or extended       SIM_PROFILE
  --seed N             seed of the generated data (42)         SIM_SEED
  --size N             number of companies (60)                SIM_SIZE
  --host H             bind address (127.0.0.1)                SIM_HOST
  --vendors LIST       leadercloud,cloudmore,ingram (all)      SIM_VENDORS
  --leadercloud-port N (4101)                                  SIM_LEADERCLOUD_PORT
  --cloudmore-port N   (4102)                                  SIM_CLOUDMORE_PORT
  --ingram-port N      (4103)                                  SIM_INGRAM_PORT
  --latency MS         response time of every vendor call      SIM_LATENCY_MS
  --jitter MS          random extra latency up to MS           SIM_JITTER_MS
  --faults JSON        fault rules, e.g. '[{"status":429,"retryAfter":1,"probability":0.1}]'   SIM_FAULTS
  --token-ttl S        override every token lifetime           SIM_TOKEN_TTL
  --rate-limit N/MS    throttle above N requests per MS ms     SIM_RATE_LIMIT
  --for S              stop by itself after S seconds          SIM_FOR
  --help               this text
`;

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`simulators: ${name} must be a non-negative number, got "${value}"`);
    process.exit(2);
  }
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      profile: { type: 'string' },
      seed: { type: 'string' },
      size: { type: 'string' },
      host: { type: 'string' },
      vendors: { type: 'string' },
      'leadercloud-port': { type: 'string' },
      'cloudmore-port': { type: 'string' },
      'ingram-port': { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      faults: { type: 'string' },
      'token-ttl': { type: 'string' },
      'rate-limit': { type: 'string' },
      for: { type: 'string' },
    },
  });
} catch (error) {
  console.error(`simulators: ${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const env = process.env;
const profile = values.profile ?? env.SIM_PROFILE ?? 'documented';
if (!SIM_PROFILES.includes(profile as SimProfile)) {
  console.error(`simulators: --profile/SIM_PROFILE must be one of ${SIM_PROFILES.join(', ')}, got "${profile}"`);
  process.exit(2);
}
const known = Object.keys(SIMULATOR_FACTORIES) as VendorKey[];
const vendorsText = values.vendors ?? env.SIM_VENDORS;
const vendors = vendorsText ? vendorsText.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean) : known;
if (!vendors.length || vendors.some((v) => !known.includes(v as VendorKey))) {
  console.error(`simulators: --vendors/SIM_VENDORS must list some of ${known.join(', ')}, got "${vendorsText}"`);
  process.exit(2);
}
let faults: FaultRule[] | undefined;
const faultText = values.faults ?? env.SIM_FAULTS;
if (faultText) {
  try {
    faults = JSON.parse(faultText) as FaultRule[];
    if (!Array.isArray(faults)) throw new Error('not an array');
  } catch {
    console.error('simulators: SIM_FAULTS/--faults must be a JSON array of fault rules');
    process.exit(2);
  }
}

let rateLimit: RateLimit | undefined;
const rateText = values['rate-limit'] ?? env.SIM_RATE_LIMIT;
if (rateText) {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(rateText);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    console.error(`simulators: --rate-limit/SIM_RATE_LIMIT must be N/MS (requests per milliseconds, e.g. 10/1000), got "${rateText}"`);
    process.exit(2);
  }
  rateLimit = { requests: Number(m[1]), perMs: Number(m[2]) };
}

const sims = await startSimulators({
  seed: num(values.seed ?? env.SIM_SEED, 'seed'),
  size: num(values.size ?? env.SIM_SIZE, 'size'),
  host: values.host ?? env.SIM_HOST ?? '127.0.0.1',
  vendors: [...new Set(vendors)] as VendorKey[],
  ports: {
    leadercloud: num(values['leadercloud-port'] ?? env.SIM_LEADERCLOUD_PORT, 'leadercloud port') ?? DEFAULT_PORTS.leadercloud,
    cloudmore: num(values['cloudmore-port'] ?? env.SIM_CLOUDMORE_PORT, 'cloudmore port') ?? DEFAULT_PORTS.cloudmore,
    ingram: num(values['ingram-port'] ?? env.SIM_INGRAM_PORT, 'ingram port') ?? DEFAULT_PORTS.ingram,
  },
  latency: { fixedMs: num(values.latency ?? env.SIM_LATENCY_MS, 'latency'), jitterMs: num(values.jitter ?? env.SIM_JITTER_MS, 'jitter') },
  faults,
  tokenTtlSeconds: num(values['token-ttl'] ?? env.SIM_TOKEN_TTL, 'token ttl'),
  profile: profile as SimProfile,
  rateLimit,
});

console.log(`channelgraph vendor simulators (seed ${sims.world.seed}, ${sims.world.size} companies, profile ${sims.profile})`);
if (rateLimit) console.log(`rate limit: ${rateLimit.requests} requests per ${rateLimit.perMs} ms per vendor`);
for (const s of sims.all) {
  console.log(`\n${s.vendor}`);
  console.log(`  base URL         ${s.baseUrl}`);
  console.log(`  control API      ${s.origin}/__sim`);
  for (const [k, v] of Object.entries(s.credentials)) console.log(`  ${k.padEnd(15)}  ${v}`);
}

const stop = async () => {
  await sims.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
const lifetime = num(values.for ?? env.SIM_FOR, 'for');
if (lifetime) setTimeout(() => void stop(), lifetime * 1000);
