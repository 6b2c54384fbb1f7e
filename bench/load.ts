/**
 * `npm run load`: the graph under a mixed read/write load with vendor faults, a token
 * expiry and hostile queries, over the in-process simulators (issue 10).
 *
 * - The three simulators (documented profile, seed 1, size 300, 20 ms + up to 10 ms
 *   jitter a call) and the graph (auth off) listen on free ports of 127.0.0.1.
 * - LOAD_CLIENTS (100) clients loop for LOAD_SECONDS (60) s, each with its own seeded
 *   random choice of: README dashboards (one vendor, or across vendors), `node`/`nodes`
 *   lookups, order and invoice lists, and writes (Leader Cloud quantity changes and
 *   auto-renewal toggles, Ingram subscription updates and orders, Cloudmore organization
 *   creates and updates). Creates carry an `idempotencyKey`; some are replayed with the
 *   same key and input (as a client retrying would), which must answer the first outcome
 *   and send nothing upstream.
 * - Every simulator answers about 5% of requests with a fault: 3% 503, 1% 429 with
 *   `Retry-After: 1`, 1% 1.5 s slow. Halfway, every token is expired.
 * - One more client sends the safety review's hostile queries, LOAD_HOSTILE_PER_SECOND (3)
 *   a second; each must be refused before execution. Before the load, each one is also
 *   sent alone and must cost no upstream call at all.
 * - `GET /healthz` is polled every 200 ms; its wait is recorded.
 *
 * Duplicated writes: every write request a simulator receives is observed on its HTTP
 * server (method, path, arrival time, status). A write that may legitimately reach the
 * vendor has a window: from the moment its client sent the mutation to the moment the
 * answer came back (idempotent replays get no window: they must not write). Writes that
 * the vendor refused with 401 (expired token; the graph sends them once more) are set
 * aside. Each remaining upstream write is matched to a window of the same method and path
 * that contains its arrival, one write per window at most (greedy by earliest-ending
 * window, which finds a maximum matching). A write no window can take is a duplicate.
 *
 * Exit code 0 when unexplained errors, duplicated writes, hostile queries let through,
 * idempotency mismatches and harness inconsistencies are all 0; 1 otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { simulatorVendorConfig } from '../src/demo.js';
import { createGraphServer } from '../src/server.js';
import { startSimulators, type RunningSimulator, type VendorKey } from '../src/simulators/index.js';
import { buildAdapters } from '../src/vendors/registry.js';
import { logger } from '../src/logger.js';
import { DASHBOARD } from '../test/helpers/queries.js';

const intEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  return value;
};
const CLIENTS = intEnv('LOAD_CLIENTS', 100);
const SECONDS = intEnv('LOAD_SECONDS', 60);
const SEED = intEnv('LOAD_SEED', 1);
const HOSTILE_PER_SECOND = intEnv('LOAD_HOSTILE_PER_SECOND', 3);
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 100);
const SIM = { seed: 1, size: 300, latency: { fixedMs: 20, jitterMs: 10 } } as const;
const FAULTS = [
  { status: 503, probability: 0.03 },
  { status: 429, retryAfter: 1, probability: 0.01 },
  { delayMs: 1_500, probability: 0.01 },
];
const VENDOR_TIMEOUT_MS = 10_000;
const CLIENT_TIMEOUT_MS = 70_000; // above the graph's own 60 s request deadline
const HEALTH_EVERY_MS = 200;
// Every injected fault is an upstream warning in the graph's log; keep errors (internal
// errors are logged at that level) and leave the warnings out of the report.
logger.level = process.env.LOAD_LOG_LEVEL ?? 'error';

// Everything is bounded: whatever happens, the process ends.
const hardStop = setTimeout(() => {
  console.error(`load: not finished after ${SECONDS + 180} s, giving up`);
  process.exit(1);
}, (SECONDS + 180) * 1000);
hardStop.unref();

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL answers are walked untyped

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => bytes / 2 ** 20;

/** A small seeded PRNG (mulberry32), so that each client's choices repeat from run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rng: () => number, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('load: nothing to pick from');
  return items[Math.floor(rng() * items.length)] as T;
};

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

// ---- upstream observation ----------------------------------------------------------------

interface UpstreamRequest {
  vendor: VendorKey;
  method: string;
  /** Lower-cased path without the query. */
  path: string;
  route: string;
  at: number;
  status: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const upstream: UpstreamRequest[] = [];

/** The route template (as the simulator's counters name it) a request path belongs to. */
function routeMatcher(sim: RunningSimulator): (method: string, path: string) => string {
  const flags = sim.vendor === 'ingram' ? '' : 'i'; // the ASP.NET vendors route case-insensitively
  const routes = sim.control.routes.map((r) => {
    const params = (r.url.match(/\{[^}]+\}/g) ?? []).length;
    const source = r.url
      .split(/\{[^}]+\}/)
      .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    return { method: r.method, params, re: new RegExp(`^${source}/?$`, flags), name: `${r.method} ${r.url.replace(/\{([^}]+)\}/g, ':$1')}` };
  });
  return (method, path) => {
    const found = routes.filter((r) => r.method === method && r.re.test(path)).sort((a, b) => a.params - b.params)[0];
    return found?.name ?? `${method} (unmatched)`;
  };
}

/** Watches every request a simulator's HTTP server receives (listening alongside Fastify, answering nothing). */
function observe(sim: RunningSimulator): void {
  const route = routeMatcher(sim);
  const server = (sim.simulator.app as FastifyInstance).server;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.toLowerCase().startsWith('/__sim')) return;
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: UpstreamRequest = { vendor: sim.vendor, method, path: path.toLowerCase(), route: route(method, path), at: performance.now(), status: 0 };
    upstream.push(entry);
    res.once('close', () => {
      entry.status = res.statusCode;
    });
  });
}

// ---- the graph client ----------------------------------------------------------------------

type Kind = 'dashboard' | 'lookup' | 'list' | 'write' | 'replay' | 'hostile';
const KINDS: Kind[] = ['dashboard', 'lookup', 'list', 'write', 'replay', 'hostile'];

interface Answer {
  status: number;
  body: J;
  ms: number;
  start: number;
  end: number;
  /** Transport failure (no HTTP answer). */
  failure?: string;
}

let graphUrl = '';
const latencies = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
const sent = new Map<Kind, number>(KINDS.map((k) => [k, 0]));

async function post(kind: Kind, body: string): Promise<Answer> {
  sent.set(kind, (sent.get(kind) ?? 0) + 1);
  const start = performance.now();
  try {
    const response = await fetch(graphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    const end = performance.now();
    latencies.get(kind)?.push(end - start);
    let parsed: J = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, body: parsed, ms: end - start, start, end };
  } catch (error) {
    const end = performance.now();
    latencies.get(kind)?.push(end - start);
    return { status: 0, body: null, ms: end - start, start, end, failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const gql = (kind: Kind, query: string, variables?: Record<string, unknown>) => post(kind, JSON.stringify({ query, variables }));

// ---- outcomes -----------------------------------------------------------------------------

const REFUSAL_CODES = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'QUERY_LIMIT_EXCEEDED', 'BAD_USER_INPUT']);
/** Responses by outcome: `ok`, or the code of their first error. */
const outcomes = new Map<string, { responses: number; explanation: string }>();
/** Every error (responses may carry several) by code and whether it is explained. */
const unexplained: string[] = [];
/** One error message per outcome label, to show what the errors said. */
const samples = new Map<string, string>();
let unexplainedCount = 0;

function explain(kind: Kind, answer: Answer, error: J): string | null {
  const code = error?.extensions?.code ?? error?.code;
  const httpStatus = error?.extensions?.httpStatus;
  if (kind === 'hostile') {
    return answer.status === 400 && REFUSAL_CODES.has(code) && !answer.body?.data ? 'hostile query refused before execution' : null;
  }
  if (code === 'VENDOR_UNSUPPORTED' && error?.extensions?.vendor === 'CLOUDMORE' && error?.path?.at(-1) === 'orders') {
    return 'the README lookup asks a Cloudmore customer for its orders: Cloudmore has no orders API (documented)';
  }
  if (code === 'UPSTREAM_UNAVAILABLE' && httpStatus === 503) return 'injected 503 that survived the retries (reads: 3 attempts; writes: never retried)';
  if (code === 'UPSTREAM_RATE_LIMITED' && httpStatus === 429) return 'injected 429 (Retry-After 1): a write, never retried, or a read that drew it 3 times';
  return null;
}

function noteUnexplained(kind: Kind, what: string): void {
  unexplainedCount++;
  if (unexplained.length < 12) unexplained.push(`${kind}: ${what.slice(0, 400)}`);
}

/**
 * Records a response's outcome and returns its error codes (top-level errors, then the
 * mutation payload's userErrors). `root` is the field whose value must be present when
 * there is no error.
 */
function record(kind: Kind, answer: Answer, root?: string): string[] {
  const note = (label: string, explanation: string) => {
    const entry = outcomes.get(label) ?? { responses: 0, explanation };
    entry.responses++;
    outcomes.set(label, entry);
  };
  if (answer.failure || answer.status >= 500 || answer.status === 0) {
    note(`HTTP ${answer.status || 'failure'}`, 'UNEXPLAINED');
    noteUnexplained(kind, `HTTP ${answer.status} ${answer.failure ?? JSON.stringify(answer.body)}`);
    return ['TRANSPORT'];
  }
  const errors: J[] = [...(answer.body?.errors ?? [])];
  const payload = root ? answer.body?.data?.[root] : undefined;
  if (payload && Array.isArray(payload.userErrors)) errors.push(...payload.userErrors);
  if (errors.length === 0) {
    if (kind === 'hostile') {
      note('ok (hostile query answered!)', 'UNEXPLAINED');
      noteUnexplained(kind, `hostile query answered: ${JSON.stringify(answer.body).slice(0, 200)}`);
      return [];
    }
    if (root && (answer.body?.data?.[root] === null || answer.body?.data?.[root] === undefined)) {
      note('ok but empty', 'UNEXPLAINED');
      noteUnexplained(kind, `no ${root} and no error: ${JSON.stringify(answer.body).slice(0, 200)}`);
      return ['EMPTY'];
    }
    note('ok', '');
    return [];
  }
  const codes: string[] = [];
  let firstExplanation: string | null = null;
  for (const error of errors) {
    const code = String(error?.extensions?.code ?? error?.code ?? 'NO_CODE');
    codes.push(code);
    const explanation = explain(kind, answer, error);
    if (explanation === null) noteUnexplained(kind, `HTTP ${answer.status} ${JSON.stringify(error)}`);
    if (codes.length === 1) firstExplanation = explanation;
  }
  const partial = answer.body?.data && Object.values(answer.body.data).some((v) => v !== null) && !(payload && Array.isArray(payload.userErrors));
  const label = `${codes[0]} [${kind === 'hostile' ? 'hostile, refused' : kind}${partial ? ', partial data' : ''}]`;
  note(label, firstExplanation ?? 'UNEXPLAINED');
  if (!samples.has(label)) samples.set(label, String(errors[0]?.message ?? '').slice(0, 160));
  return codes;
}

// ---- writes and their windows ----------------------------------------------------------------

interface WriteWindow {
  key: string;
  start: number;
  end: number;
}
const windows: WriteWindow[] = [];
/** Per upstream write route: distinct mutations that may write it, and replays (which must not). */
const writesPerRoute = new Map<string, { mutations: number; replays: number }>();
let idempotencyMismatches = 0;
const mismatches: string[] = [];

function addWindow(route: string, method: string, path: string, answer: Answer): void {
  windows.push({ key: `${method} ${path.toLowerCase()}`, start: answer.start, end: answer.end });
  const entry = writesPerRoute.get(route) ?? { mutations: 0, replays: 0 };
  entry.mutations++;
  writesPerRoute.set(route, entry);
}

function addReplay(route: string): void {
  const entry = writesPerRoute.get(route) ?? { mutations: 0, replays: 0 };
  entry.replays++;
  writesPerRoute.set(route, entry);
}

/** Upstream writes that no mutation window can account for (see the file header). */
function unmatchedWrites(writes: UpstreamRequest[]): Map<string, number> {
  const byKey = new Map<string, { arrivals: number[]; windows: WriteWindow[] }>();
  const slot = (key: string) => {
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { arrivals: [], windows: [] }));
    return entry;
  };
  for (const w of windows) slot(w.key).windows.push(w);
  const routeOf = new Map<string, string>();
  for (const u of writes) {
    slot(`${u.method} ${u.path}`).arrivals.push(u.at);
    routeOf.set(`${u.method} ${u.path}`, u.route);
  }
  const unmatched = new Map<string, number>();
  for (const [key, { arrivals, windows: ws }] of byKey) {
    arrivals.sort((a, b) => a - b);
    const byStart = [...ws].sort((a, b) => a.start - b.start);
    const open: number[] = []; // ends of the windows open so far, ascending
    let next = 0;
    let lost = 0;
    for (const at of arrivals) {
      while (next < byStart.length && (byStart[next] as WriteWindow).start <= at) {
        const end = (byStart[next] as WriteWindow).end;
        let lo = 0;
        let hi = open.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((open[mid] as number) < end) lo = mid + 1;
          else hi = mid;
        }
        open.splice(lo, 0, end);
        next++;
      }
      while (open.length && (open[0] as number) < at) open.shift();
      if (open.length) open.shift();
      else lost++;
    }
    if (lost) {
      const route = routeOf.get(key) ?? key;
      unmatched.set(route, (unmatched.get(route) ?? 0) + lost);
    }
  }
  return unmatched;
}

// ---- the workload ------------------------------------------------------------------------------

interface Fixtures {
  lcSubscriptions: Array<{ id: string; vendorId: string }>;
  imSubscriptions: Array<{ id: string; vendorId: string }>;
  imCustomers: string[];
  imProducts: Array<{ id: string; quantity: number }>;
  cmOrganizations: Array<{ id: string; vendorId: string }>;
  lookupIds: string[];
  cmResellerId: string;
  imPrefix: string;
}


const ONE = `query One($id: ID!) {
  node(id: $id) {
    id
    ... on Customer { name vendor orders { nodes { number status total { amount currency } items { sku quantity } } } }
    ... on Invoice { number status total { amount currency } items { description total { amount } } invoiceOrders: orders { number status } }
    ... on Order { orderNumber: number orderStatus: status orderTotal: total { amount currency } orderItems: items { sku quantity } }
    ... on ServiceSubscription { subscriptionName: name subscriptionStatus: status quantity product { name sku } customer { name } }
  }
}`;

const MANY = `query Many($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Customer { name vendor externalId }
    ... on Invoice { number status total { amount currency } }
    ... on Order { orderNumber: number orderStatus: status }
    ... on ServiceSubscription { subscriptionName: name quantity autoRenew }
  }
}`;

const ORDERS = `query Orders($vendor: Vendor) { orders(vendor: $vendor, first: 20) { totalCount nodes { id number status total { amount currency } customer { name } items { sku quantity } } } }`;
const INVOICES = `query Invoices { invoices(first: 20) { totalCount nodes { id number status total { amount currency } customer { name } } } }`;

const M = {
  quantity: `mutation Seats($id: ID!, $q: Int!) { updateSubscriptionQuantity(id: $id, quantity: $q) { quantityRequest { id status quantity } userErrors { field message code } } }`,
  autoRenew: `mutation Renew($id: ID!, $on: Boolean!) { setSubscriptionAutoRenewal(id: $id, enabled: $on) { subscription { id autoRenew } userErrors { field message code } } }`,
  imUpdate: `mutation Attrs($id: ID!, $input: UpdateSubscriptionInput!) { updateSubscription(id: $id, input: $input) { subscription { id autoRenew } userErrors { field message code } } }`,
  order: `mutation Buy($input: CreateOrderInput!) { createOrder(input: $input) { order { id vendorId status } userErrors { field message code } } }`,
  create: `mutation NewOrg($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id vendorId name } userErrors { field message code } } }`,
  update: `mutation EditOrg($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { customer { id externalId } userErrors { field message code } } }`,
};

const ROUTES = {
  quantity: 'POST /api/subscriptions/:subscriptionId/quantity',
  autoRenew: 'POST /api/subscriptions/:subscriptionId/autoRenewalSettings',
  imUpdate: 'PATCH /marketplace/:region/subscriptions/:id',
  order: 'POST /marketplace/:region/orders',
  create: 'POST /api/resellers/:resellerId/Organizations',
  update: 'PUT /api/resellers/:resellerId/Organizations/:id',
};

/** A keyed create, sometimes replayed with the same key and input (always after a failure, as a client would retry). */
async function keyedCreate(rng: () => number, route: string, method: string, path: string, query: string, field: string, input: Record<string, unknown>): Promise<void> {
  const first = await gql('write', query, { input });
  const firstCodes = record('write', first, field);
  addWindow(route, method, path, first);
  if (firstCodes.includes('TRANSPORT')) return;
  if (firstCodes.length === 0 && rng() >= 0.15) return;
  const again = await gql('replay', query, { input });
  const againCodes = record('replay', again, field);
  addReplay(route);
  const id = (a: Answer) => {
    const payload = a.body?.data?.[field];
    return payload?.order?.id ?? payload?.customer?.id ?? null;
  };
  const same = firstCodes.length === 0 ? againCodes.length === 0 && id(again) === id(first) : againCodes[0] === firstCodes[0];
  if (!same) {
    idempotencyMismatches++;
    if (mismatches.length < 5) mismatches.push(`${field}: first ${JSON.stringify(first.body).slice(0, 200)} / replay ${JSON.stringify(again.body).slice(0, 200)}`);
  }
}

async function clientLoop(index: number, fx: Fixtures, endAt: number): Promise<void> {
  const rng = prng(SEED * 100_003 + index);
  // Each client writes its own share of the entities; creates are numbered per client.
  const mine = <T>(items: T[]): T[] => {
    const share = items.filter((_, i) => i % CLIENTS === index);
    return share.length ? share : [items[index % items.length] as T];
  };
  const lcSubs = mine(fx.lcSubscriptions);
  const imSubs = mine(fx.imSubscriptions);
  const cmOrgs = mine(fx.cmOrganizations);
  let n = 0;
  await sleep(rng() * 500); // clients start spread over half a second
  while (performance.now() < endAt) {
    n++;
    const tag = `s${SEED}-c${index}-n${n}`;
    const roll = rng();
    if (roll < 0.25) {
      const vendor = pick(rng, ['LEADERCLOUD', 'CLOUDMORE', 'INGRAM', null]);
      record('dashboard', await gql('dashboard', DASHBOARD, { vendor, first: 10 }), 'customers');
    } else if (roll < 0.5) {
      if (rng() < 0.6) record('lookup', await gql('lookup', ONE, { id: pick(rng, fx.lookupIds) }), 'node');
      else record('lookup', await gql('lookup', MANY, { ids: Array.from({ length: 10 }, () => pick(rng, fx.lookupIds)) }), 'nodes');
    } else if (roll < 0.7) {
      if (rng() < 0.6) record('list', await gql('list', ORDERS, { vendor: pick(rng, ['LEADERCLOUD', 'INGRAM']) }), 'orders');
      else record('list', await gql('list', INVOICES), 'invoices');
    } else {
      const write = rng();
      if (write < 1 / 6) {
        const sub = pick(rng, lcSubs);
        const answer = await gql('write', M.quantity, { id: sub.id, q: 1 + Math.floor(rng() * 40) });
        record('write', answer, 'updateSubscriptionQuantity');
        addWindow(ROUTES.quantity, 'POST', `/api/subscriptions/${sub.vendorId}/quantity`, answer);
      } else if (write < 2 / 6) {
        const sub = pick(rng, lcSubs);
        const answer = await gql('write', M.autoRenew, { id: sub.id, on: rng() < 0.5 });
        record('write', answer, 'setSubscriptionAutoRenewal');
        addWindow(ROUTES.autoRenew, 'POST', `/api/subscriptions/${sub.vendorId}/autoRenewalSettings`, answer);
      } else if (write < 3 / 6) {
        const sub = pick(rng, imSubs);
        const input = rng() < 0.5 ? { attributes: { loadTag: tag } } : { autoRenew: rng() < 0.5 };
        const answer = await gql('write', M.imUpdate, { id: sub.id, input });
        record('write', answer, 'updateSubscription');
        addWindow(ROUTES.imUpdate, 'PATCH', `${fx.imPrefix}/subscriptions/${sub.vendorId}`, answer);
      } else if (write < 4 / 6) {
        const product = pick(rng, fx.imProducts);
        const input = {
          customerId: pick(rng, fx.imCustomers),
          type: 'SALES',
          items: [{ productId: product.id, quantity: product.quantity }],
          poNumber: `PO-${tag}`,
          idempotencyKey: `load-order-${tag}`,
        };
        await keyedCreate(rng, ROUTES.order, 'POST', `${fx.imPrefix}/orders`, M.order, 'createOrder', input);
      } else if (write < 5 / 6) {
        const input = { vendor: 'CLOUDMORE', name: `Load Test ${tag} Ltd`, idempotencyKey: `load-org-${tag}` };
        await keyedCreate(rng, ROUTES.create, 'POST', `/api/resellers/${fx.cmResellerId}/organizations`, M.create, 'createCustomer', input);
      } else {
        const org = pick(rng, cmOrgs);
        const answer = await gql('write', M.update, { id: org.id, input: { externalId: `LOAD-${tag}` } });
        record('write', answer, 'updateCustomer');
        addWindow(ROUTES.update, 'PUT', `/api/resellers/${fx.cmResellerId}/organizations/${org.vendorId}`, answer);
      }
    }
    if (THINK_MS > 0) await sleep(rng() * THINK_MS * 2);
  }
}

// ---- hostile queries ------------------------------------------------------------------------------

function hostileBodies(): Array<{ name: string; body: string }> {
  // customers → nodes → subscriptions → nodes → customer → subscriptions → ...: 16 levels of fields.
  const chain = ['subscriptions(first: 1)', 'nodes', 'customer'];
  const levels = Array.from({ length: 13 }, (_, i) => chain[i % 3] as string); // below customers { nodes, ending in subscriptions
  let inner = 'totalCount'; // the 16th level
  for (const level of levels.reverse()) inner = `${level} { ${inner} }`;
  const nested = `{ customers(first: 1) { nodes { ${inner} } } }`;
  const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
  return [
    { name: '16-level nesting', body: body(nested) },
    { name: '2,000 aliases of vendors { health { ok } }', body: body(`{ ${Array.from({ length: 2000 }, (_, i) => `h${i}: vendors { health { ok } }`).join(' ')} }`) },
    { name: '40 aliases of customers(first: 500)', body: body(`{ ${Array.from({ length: 40 }, (_, i) => `c${i}: customers(first: 500) { nodes { id name } }`).join(' ')} }`) },
    {
      name: '_entities with 5,000 representations',
      body: body('query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }', {
        r: Array.from({ length: 5000 }, (_, i) => ({ __typename: 'Customer', id: Buffer.from(`cg1:LEADERCLOUD:Customer:${1000 + i}`).toString('base64url') })),
      }),
    },
    { name: 'nested subscriptions(first: -1)', body: body('{ customers(first: 5) { nodes { name subscriptions(first: -1) { nodes { id } } } } }') },
    { name: '400 KB filter string', body: body('query($name: String) { customers(first: 5, filter: { name: $name }) { nodes { id } } }', { name: 'x'.repeat(400 * 1024) }) },
    // Sized by a variable's default, which the request leaves out: 500 × 500 subscriptions.
    { name: '500 × 500 by a variable default', body: body('query($n: Int = 500) { customers(first: $n) { nodes { subscriptions(first: $n) { nodes { name product { name } } } } } }') },
    // Each fragment spreads the next twice: 2^59 paths to the names.
    { name: 'fragments spread twice, 60 deep', body: body(`{ customers(first: 1) { nodes { ...F1 } } }${Array.from({ length: 59 }, (_, i) => ` fragment F${i + 1} on Customer { ...F${i + 2} ...F${i + 2} }`).join('')} fragment F60 on Customer { name }`) },
  ];
}

// ---- main ----------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const rssAtProcessStart = process.memoryUsage().rss;
  const sims = await startSimulators({ ...SIM, profile: 'documented' });
  const vendors: VendorKey[] = ['leadercloud', 'cloudmore', 'ingram'];
  for (const v of vendors) observe(sims[v]);
  const adapters = buildAdapters(simulatorVendorConfig(sims, VENDOR_TIMEOUT_MS), { simulated: true });
  const { app } = await createGraphServer({ adapters, sandbox: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  graphUrl = `${origin}/graphql`;
  const failures: string[] = [];
  try {
    // -- fixtures, read through the graph before any fault
    const setup = async (query: string, variables?: Record<string, unknown>) => {
      const answer = await gql('lookup', query, variables);
      if (answer.status !== 200 || answer.body?.errors) throw new Error(`load setup query failed: ${JSON.stringify(answer.body).slice(0, 500)}`);
      return answer.body.data as J;
    };
    const lc = await setup('{ subscriptions(vendor: LEADERCLOUD, first: 500, filter: { status: ACTIVE }) { nodes { id vendorId raw } } }');
    const im = await setup('{ subscriptions(vendor: INGRAM, first: 500, filter: { status: ACTIVE }) { nodes { id vendorId } } }');
    const imCustomers = await setup('{ customers(vendor: INGRAM, first: 200, filter: { status: ACTIVE }) { nodes { id } } }');
    const imProducts = await setup('{ products(vendor: INGRAM, first: 100) { nodes { id raw } } }');
    const cm = await setup('{ customers(vendor: CLOUDMORE, first: 200) { nodes { id vendorId } } }');
    const lookups = await setup(`{
      lc: customers(vendor: LEADERCLOUD, first: 60) { nodes { id } }
      cm: customers(vendor: CLOUDMORE, first: 60) { nodes { id } }
      im: customers(vendor: INGRAM, first: 60) { nodes { id } }
      inv: invoices(first: 60) { nodes { id } }
      lco: orders(vendor: LEADERCLOUD, first: 60) { nodes { id } }
      imo: orders(vendor: INGRAM, first: 60) { nodes { id } }
    }`);
    const ids = (list: J) => (list?.nodes ?? []).map((n: J) => String(n.id)) as string[];
    const imCustomerIds = ids(imCustomers.customers);
    const fx: Fixtures = {
      lcSubscriptions: lc.subscriptions.nodes.filter((s: J) => s.raw?.isUsageBased !== true).map((s: J) => ({ id: s.id, vendorId: String(s.vendorId).toLowerCase() })),
      imSubscriptions: im.subscriptions.nodes.map((s: J) => ({ id: s.id, vendorId: String(s.vendorId) })),
      // Orders go to customers beyond the dashboards' first page, so the dashboards stay the same size.
      imCustomers: imCustomerIds.length > 60 ? imCustomerIds.slice(40) : imCustomerIds,
      imProducts: imProducts.products.nodes
        .filter((p: J) => !(p.raw?.dependsOn?.length > 0) && p.raw?.prices?.some((x: J) => x.type === 'recurring'))
        .map((p: J) => ({ id: p.id, quantity: Number(p.raw.minimumQuantity ?? 1) })),
      cmOrganizations: cm.customers.nodes.map((c: J) => ({ id: c.id, vendorId: String(c.vendorId).toLowerCase() })),
      lookupIds: [...ids(lookups.lc), ...ids(lookups.cm), ...ids(lookups.im), ...ids(lookups.inv), ...ids(lookups.lco), ...ids(lookups.imo), ...lc.subscriptions.nodes.slice(0, 60).map((s: J) => s.id), ...im.subscriptions.nodes.slice(0, 60).map((s: J) => s.id)],
      cmResellerId: String(sims.cloudmore.credentials.resellerId).toLowerCase(),
      imPrefix: new URL(sims.ingram.baseUrl).pathname.replace(/\/+$/, '').toLowerCase(),
    };
    for (const [name, list] of Object.entries({ lcSubscriptions: fx.lcSubscriptions, imSubscriptions: fx.imSubscriptions, imCustomers: fx.imCustomers, imProducts: fx.imProducts, cmOrganizations: fx.cmOrganizations })) {
      if (list.length === 0) throw new Error(`load setup: no ${name} in the simulator data`);
    }
    // Warm every code path once (tokens are cached from here on).
    await setup(DASHBOARD, { vendor: null, first: 10 });

    // -- each hostile query alone: refused, and no upstream call at all
    const hostile = hostileBodies();
    const quiet: Array<Array<string | number>> = [];
    for (const h of hostile) {
      const before = upstream.length;
      const answer = await post('hostile', h.body);
      await sleep(50); // anything it might have started upstream would have arrived by now
      const calls = upstream.length - before;
      const code = answer.body?.errors?.[0]?.extensions?.code ?? '-';
      const refused = answer.status === 400 && REFUSAL_CODES.has(code) && !answer.body?.data;
      const message = String(answer.body?.errors?.[0]?.message ?? '').replace(/^Syntax Error: /, '');
      quiet.push([h.name, answer.status, code, calls, message.length > 70 ? `${message.slice(0, 67)}...` : message]);
      if (!refused || calls !== 0) failures.push(`hostile query "${h.name}" alone: HTTP ${answer.status} ${code}, ${calls} upstream calls`);
    }
    for (const k of KINDS) {
      sent.set(k, 0);
      latencies.set(k, []);
    }
    outcomes.clear();

    // -- the load
    for (const v of vendors) {
      sims[v].control.resetStats();
      for (const fault of FAULTS) sims[v].control.addFault(fault);
    }
    const upstreamBefore = upstream.length;
    const rssStart = process.memoryUsage().rss;
    let rssPeak = rssStart;
    const rssEvery10s: number[] = [];
    const started = performance.now();
    const endAt = started + SECONDS * 1000;
    let expiredAt = NaN;
    const expiry = setTimeout(() => {
      for (const v of vendors) sims[v].control.expireTokens();
      expiredAt = performance.now() - started;
    }, (SECONDS * 1000) / 2);

    const healthWaits: number[] = [];
    let healthFailures = 0;
    const health = (async () => {
      for (let tick = 1; performance.now() < endAt; tick++) {
        const t0 = performance.now();
        try {
          const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
          await response.arrayBuffer();
          if (response.status !== 200) healthFailures++;
        } catch {
          healthFailures++;
        }
        healthWaits.push(performance.now() - t0);
        const rss = process.memoryUsage().rss;
        rssPeak = Math.max(rssPeak, rss);
        if (tick % (10_000 / HEALTH_EVERY_MS) === 0) rssEvery10s.push(Math.round(mib(rss)));
        const wait = started + tick * HEALTH_EVERY_MS - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();

    const hostileLoop = (async () => {
      const every = 1000 / HOSTILE_PER_SECOND;
      for (let i = 0; performance.now() < endAt; i++) {
        const h = hostile[i % hostile.length] as { name: string; body: string };
        const answer = await post('hostile', h.body);
        record('hostile', answer);
        const wait = started + (i + 1) * every - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();

    await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => clientLoop(i, fx, endAt)), health, hostileLoop]);
    clearTimeout(expiry);
    const wall = (performance.now() - started) / 1000;
    await sleep(200); // let the last upstream answers close
    const rssEnd = process.memoryUsage().rss;

    // -- accounting
    const during = upstream.slice(upstreamBefore);
    const writes = during.filter((u) => WRITE_METHODS.has(u.method) && !/\/(oauth\/token|connect\/token|token)$/.test(u.path));
    const executed = writes.filter((u) => u.status !== 401);
    const unmatched = unmatchedWrites(executed);
    const duplicated = [...unmatched.values()].reduce((a, b) => a + b, 0);
    const statsByRoute = new Map<string, number>();
    for (const v of vendors) for (const [route, count] of Object.entries(sims[v].control.stats().byRoute)) statsByRoute.set(route, (statsByRoute.get(route) ?? 0) + count);

    const totalSent = [...sent.values()].reduce((a, b) => a + b, 0);
    console.log(`\n## Load: ${CLIENTS} clients for ${SECONDS} s (${wall.toFixed(1)} s wall), hostile queries ${HOSTILE_PER_SECOND}/s, seed ${SEED}`);
    console.log(
      `simulators: documented profile, seed ${SIM.seed}, size ${SIM.size}, latency ${SIM.latency.fixedMs} ms + up to ${SIM.latency.jitterMs} ms; ` +
        `faults on every vendor request: 503 3%, 429 (Retry-After 1) 1%, +1.5 s 1%; tokens expired at ${(expiredAt / 1000).toFixed(1)} s; think time 0-${THINK_MS * 2} ms`,
    );
    console.log(`\nrequests sent: ${totalSent} (${(totalSent / wall).toFixed(0)}/s), /healthz polls: ${healthWaits.length}\n`);
    console.log(
      table(
        ['kind', 'sent', 'p50 ms', 'p99 ms', 'max ms'],
        KINDS.map((k) => {
          const l = latencies.get(k) ?? [];
          return [k, sent.get(k) ?? 0, percentile(l, 0.5).toFixed(0), percentile(l, 0.99).toFixed(0), l.length ? Math.max(...l).toFixed(0) : 'NaN'];
        }),
      ),
    );
    console.log('\n' + table(['outcome', 'responses', 'explained by'], [...outcomes.entries()].sort((a, b) => b[1].responses - a[1].responses).map(([label, o]) => [label, o.responses, o.explanation || '-'])));
    console.log('\nexample messages:');
    for (const [label, message] of [...samples.entries()].filter(([l]) => !l.includes('hostile'))) console.log(`  ${label}: ${message}`);
    console.log(`\nunexplained errors: ${unexplainedCount}`);
    for (const u of unexplained) console.log(`  ${u}`);

    const writeRoutes = [...new Set([...writesPerRoute.keys(), ...writes.map((w) => w.route)])].sort();
    console.log(
      '\n' +
        table(
          ['upstream write route', 'sent upstream', '401 re-sent', 'injected 503/429', 'mutations', 'replays', 'duplicated'],
          writeRoutes.map((route) => {
            const mine = writes.filter((w) => w.route === route);
            const counted = writesPerRoute.get(route) ?? { mutations: 0, replays: 0 };
            return [
              route,
              mine.length,
              mine.filter((w) => w.status === 401).length,
              mine.filter((w) => w.status === 503 || w.status === 429).length,
              counted.mutations,
              counted.replays,
              unmatched.get(route) ?? 0,
            ];
          }),
        ),
    );
    console.log(`duplicated writes: ${duplicated}; idempotent replays answering differently from the first call: ${idempotencyMismatches}`);
    for (const m of mismatches) console.log(`  ${m}`);

    const tokenRoute: Record<VendorKey, RegExp> = { leadercloud: /^POST \/oauth\/token$/, cloudmore: /^POST \/connect\/token$/, ingram: /^POST \/marketplace\/:region\/token$/ };
    console.log(
      '\n' +
        table(
          ['vendor', 'upstream requests', 'peak in flight', 'token requests', 'of them faulted', 'injected faults'],
          vendors.map((v) => {
            const stats = sims[v].control.stats();
            const tokens = Object.entries(stats.byRoute)
              .filter(([route]) => tokenRoute[v].test(route))
              .reduce((a, [, c]) => a + c, 0);
            const faults = during.filter((u) => u.vendor === v && (u.status === 503 || u.status === 429)).length;
            const tokenFaults = during.filter((u) => u.vendor === v && tokenRoute[v].test(u.route) && (u.status === 503 || u.status === 429)).length;
            return [v, stats.total, stats.peakInFlight, tokens, tokenFaults, faults];
          }),
        ),
    );
    console.log(
      `\n/healthz wait: p50 ${percentile(healthWaits, 0.5).toFixed(1)} ms, p99 ${percentile(healthWaits, 0.99).toFixed(1)} ms, max ${Math.max(...healthWaits).toFixed(1)} ms; failed ${healthFailures}`,
    );
    console.log(`RSS: ${mib(rssAtProcessStart).toFixed(0)} MB at process start, ${mib(rssStart).toFixed(0)} MB at load start, ${mib(rssPeak).toFixed(0)} MB peak, ${mib(rssEnd).toFixed(0)} MB at end (every 10 s: ${rssEvery10s.join(', ')})`);
    console.log('\nhostile queries sent alone before the load (each must be refused with no upstream call):');
    console.log(table(['query', 'HTTP', 'code', 'upstream calls', 'message'], quiet));

    // -- harness consistency: the observer saw what the simulators counted
    const observedByRoute = new Map<string, number>();
    for (const u of during) observedByRoute.set(u.route, (observedByRoute.get(u.route) ?? 0) + 1);
    for (const route of new Set([...observedByRoute.keys(), ...statsByRoute.keys()])) {
      if (WRITE_METHODS.has(route.split(' ')[0] ?? '') && observedByRoute.get(route) !== statsByRoute.get(route)) {
        failures.push(`harness: observed ${observedByRoute.get(route) ?? 0} × ${route}, the simulator counted ${statsByRoute.get(route) ?? 0}`);
      }
    }
    if (unexplainedCount) failures.push(`${unexplainedCount} unexplained errors`);
    if (duplicated) failures.push(`${duplicated} duplicated writes`);
    if (idempotencyMismatches) failures.push(`${idempotencyMismatches} idempotent replays answered differently`);
    if (healthFailures) failures.push(`${healthFailures} /healthz polls failed`);
    if ((sent.get('hostile') ?? 0) === 0) failures.push('no hostile query was sent');
  } finally {
    await app.close();
    await sims.close();
  }
  if (failures.length) {
    console.log('\nFAILED:');
    for (const f of failures) console.log(`  ${f}`);
    return 1;
  }
  console.log('\nall checks passed');
  return 0;
}

process.exitCode = await main();
