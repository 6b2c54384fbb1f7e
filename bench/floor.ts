/**
 * The bench's floor (`npm run bench`, load section): the 100-customer Leader Cloud license
 * overview written by hand for this one query, to put the graph's CPU per request next to
 * the least a Node process can spend on the same work, measured in the same run. Per
 * request it reads the vendor pages the graph read (the same GETs, captured by the bench),
 * over node:http with keep-alive, parses them, joins the subscriptions to their accounts and
 * writes the same answer the graph gives (the bench checks that it is the same). No GraphQL,
 * no validation, no limits, no cache, no retries, no tracing: what is left is HTTP, JSON and
 * the join. Environment: PORT, FLOOR_ORIGIN (the simulator), FLOOR_PATHS (JSON array of
 * the GETs), FLOOR_HEADERS (JSON: the headers the graph sent, its bearer token and API
 * version), FLOOR_FIRST.
 */
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { toGlobalId } from '../src/ids.js';
import { externalIdOf } from '../src/vendors/leadercloud/mappers.js';
import { money } from '../src/vendors/shared.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vendor JSON, read as the graph's mappers read it */
type J = any;

const origin = new URL(process.env.FLOOR_ORIGIN ?? 'http://127.0.0.1:1');
const paths = JSON.parse(process.env.FLOOR_PATHS ?? '[]') as string[];
const headers = JSON.parse(process.env.FLOOR_HEADERS ?? '{}') as Record<string, string>;
const first = Number(process.env.FLOOR_FIRST ?? 100);
const agent = new Agent({ keepAlive: true });

function get(path: string): Promise<J> {
  return new Promise((resolve, reject) => {
    const req = request({ host: origin.hostname, port: origin.port, path, agent, headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode}`));
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function overview(): Promise<string> {
  const pages = await Promise.all(paths.map(get));
  const accounts: J[] = [];
  const subscriptions: J[] = [];
  // Leader Cloud's list envelope: `{ data: [...], paging: {...} }`.
  pages.forEach((page, i) => (paths[i]!.includes('/api/accounts') ? accounts : subscriptions).push(...(page.data ?? [])));
  const byAccount = new Map<string, J[]>();
  for (const s of subscriptions) {
    if (String(s.status).toLowerCase() !== 'active') continue;
    const key = String(s.account?.id);
    const list = byAccount.get(key);
    if (list) list.push(s);
    else byAccount.set(key, [s]);
  }
  const nodes = accounts.slice(0, first).map((a) => ({
    id: toGlobalId('LEADERCLOUD', 'Customer', String(a.id)),
    vendor: 'LEADERCLOUD',
    name: a.name,
    externalId: externalIdOf(a.customFields),
    subscriptions: {
      nodes: (byAccount.get(String(a.id)) ?? []).slice(0, 100).map((s) => ({
        id: toGlobalId('LEADERCLOUD', 'Subscription', String(s.id)),
        name: s.name ?? s.product?.name ?? null,
        quantity: typeof s.quantity === 'number' ? s.quantity : null,
        price: money(s.subscriptionAmount, s.currency),
        product: s.product?.id ? { name: s.product.name, sku: s.product.code ?? null } : null,
      })),
    },
  }));
  return JSON.stringify({ data: { customers: { pageInfo: { hasNextPage: accounts.length > first, endCursor: null }, nodes } } });
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  req.resume();
  req.on('end', () => {
    overview().then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      (error: unknown) => res.writeHead(502).end(JSON.stringify({ errors: [{ message: String(error) }] })),
    );
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
