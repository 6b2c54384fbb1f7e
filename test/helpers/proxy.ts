/**
 * An HTTP proxy in front of a simulator for tests: it forwards every request unchanged and
 * records its path and query string as sent (`seen`: the simulators count requests by route
 * only). With `held`, it holds the requests whose path matches until `release()` says so,
 * or until `holdMs` passes (counted in `state.timedOut`): that shows the graph asks for
 * something while another request is still on the wire, without timing anything, since a
 * graph that waited for the held answer before asking would only go on through the timeout.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorProxy {
  /** Path and query of every request received, in order. */
  seen: string[];
  /** `on`: whether `held` requests are held; how many were, and how many went on by the timeout. */
  state: { on: boolean; held: number; timedOut: number };
  /** The base URL to give the graph instead of `baseUrl` (same path, through the proxy). */
  via(baseUrl: string): string;
  close(): Promise<void>;
}

export async function vendorProxy(options: { held?: RegExp; release?: () => boolean; holdMs?: number } = {}): Promise<VendorProxy> {
  const { held, release = () => true, holdMs = 4_000 } = options;
  let target = '';
  const seen: string[] = [];
  const state = { on: true, held: 0, timedOut: 0 };
  const server = createServer((req, res) => {
    seen.push(req.url ?? '/');
    const forward = () => {
      const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (!held || !state.on || !held.test(req.url ?? '')) return forward();
    state.held++;
    const started = Date.now();
    const wait = () => {
      if (release()) return forward();
      if (Date.now() - started > holdMs) {
        state.timedOut++;
        return forward();
      }
      setTimeout(wait, 5);
    };
    wait();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    state,
    via(baseUrl) {
      const url = new URL(baseUrl);
      target = url.origin;
      return origin + url.pathname;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
