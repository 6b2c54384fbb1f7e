/**
 * A proxy in front of one vendor that holds the requests whose path matches `held` until
 * `release()` says so, or until `holdMs` passes (which it counts in `timedOut`). It shows
 * that the graph asks for something while another request is still on the wire, without
 * timing anything: a graph that waited for the held answer before asking would only go on
 * through the timeout.
 */
import { createServer, request } from 'node:http';

export interface GateProxy {
  state: { on: boolean; held: number; timedOut: number };
  /** The base URL to configure the graph with instead of `baseUrl`. */
  via(baseUrl: string): string;
  close(): Promise<void>;
}

export async function gateProxy(held: RegExp, release: () => boolean, holdMs = 4_000): Promise<GateProxy> {
  let target = '';
  const state = { on: true, held: 0, timedOut: 0 };
  const server = createServer((req, res) => {
    const forward = () => {
      const upstream = request(target + (req.url ?? '/'), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (!state.on || !held.test(req.url ?? '')) return forward();
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
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
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
