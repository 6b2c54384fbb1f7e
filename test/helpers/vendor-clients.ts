/**
 * Clients straight to a simulator (not through the graph), as another API client of the
 * vendor would call it: the ground truth graph tests compare with. Each gets and caches its
 * own token, and fetches a new one once after a 401.
 */
import type { RunningSimulator } from '../../src/simulators/index.js';

export interface SimAnswer<T> {
  status: number;
  body: T;
}

/** Sends with a cached token, renewed once after a 401; parses a JSON body (null when empty). */
function authorized(newToken: () => Promise<string>) {
  let token: string | undefined;
  return async <T>(send: (token: string) => Promise<Response>): Promise<SimAnswer<T>> => {
    token ??= await newToken();
    let res = await send(token);
    if (res.status === 401) res = await send((token = await newToken()));
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

/** Ingram Micro: `call('GET', 'customers?limit=5')`, paths relative to the marketplace base URL. */
export function ingramClient(sim: RunningSimulator) {
  const c = sim.credentials;
  const key = { 'x-subscription-key': c.subscriptionKey!, 'content-type': 'application/json' };
  const send = authorized(async () => {
    const res = await fetch(`${sim.baseUrl}/token`, {
      method: 'POST',
      headers: { ...key, authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` },
      body: JSON.stringify({ marketplace: c.marketplace }),
    });
    return ((await res.json()) as { token: string }).token;
  });
  return <T = unknown>(method: string, path: string, body?: unknown): Promise<SimAnswer<T>> =>
    send<T>((token) =>
      fetch(`${sim.baseUrl}/${path}`, { method, headers: { ...key, authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) }),
    );
}

/** Cloudmore: `call('GET', '/Organizations')`, paths relative to `/api/resellers/{resellerId}`. */
export function cloudmoreClient(sim: RunningSimulator) {
  const c = sim.credentials;
  const send = authorized(async () => {
    const res = await fetch(`${sim.baseUrl}/connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'password', username: c.username!, password: c.password!, scope: 'api' }),
    });
    if (res.status !== 200) throw new Error(`simulator token request answered ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  });
  return <T = unknown>(method: string, path: string, body?: unknown): Promise<SimAnswer<T>> =>
    send<T>((token) =>
      fetch(`${sim.baseUrl}/api/resellers/${c.resellerId}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }),
    );
}

/* eslint-disable @typescript-eslint/no-explicit-any -- simulator JSON is untyped in tests */
/** The Ingram simulator's own data, as graph tests read it over HTTP before they start. */
export interface IngramData {
  customers: any[];
  resellers: any[];
  subscriptions: any[];
  orders: any[];
  products: any[];
  plans: any[];
  reports: any[];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export const emptyIngramData = (): IngramData => ({ customers: [], resellers: [], subscriptions: [], orders: [], products: [], plans: [], reports: [] });
