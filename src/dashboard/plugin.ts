/**
 * The browser pages the gateway serves next to /graphql, from its own assets (no CDN):
 *
 * - `GET /dashboard`: licences and recurring spend per customer and per vendor, built on
 *   the typed client of examples/ (DASHBOARD=on|off; on by default in demo mode).
 * - `GET /graphiql`: GraphiQL, the offline explorer (with GRAPHQL_SANDBOX: Apollo
 *   Sandbox loads from Apollo's CDN, GraphiQL from here).
 *
 * The pages are static (they hold no data and need no key); they call /graphql on the same
 * origin, with the caller's API key when auth is on. Their scripts and styles are bundled
 * by build.ts into `dist/public` (`npm run build`) and served with @fastify/static; a
 * Content-Security-Policy keeps every page on this origin.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { logger } from '../logger.js';

export interface BrowserPagesOptions {
  /** Serve the dashboard at /dashboard. */
  dashboard: boolean;
  /** Serve GraphiQL at /graphiql. */
  graphiql: boolean;
  /** Where build.ts wrote the assets (default: dist/public in the package). */
  assetsDir?: string;
}

/** The directory of channelgraph's package.json (from src/ under tsx and from dist/src/ alike). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('channelgraph: package.json not found above src/dashboard');
    dir = parent;
  }
  return dir;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
/** Monaco (GraphiQL's editor) sets inline styles on its elements. */
const CSP_GRAPHIQL = [...CSP, "style-src 'self' 'unsafe-inline'"];

/** A favicon in the page itself, so the browser asks nothing else of the server. */
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2563eb"/><path d="M4 11V7h2v4zm3 0V4h2v7zm3 0V8h2v3z" fill="#fff"/></svg>')}`;

function page(title: string, body: string, assets: { css: string[]; js: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="${ICON}">
${assets.css.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}
<script type="module" src="${assets.js}"></script>
</head>
<body>
${body}
</body>
</html>
`;
}

const DASHBOARD_HTML = page(
  'channelgraph · dashboard',
  `<noscript>The dashboard needs JavaScript.</noscript>
<main id="app" data-graphql="/graphql" data-state="loading"><p class="status">Loading…</p></main>`,
  { css: ['/dashboard/assets/dashboard-style.css'], js: '/dashboard/assets/dashboard.js' },
);

const GRAPHIQL_HTML = page(
  'channelgraph · GraphiQL',
  `<noscript>GraphiQL needs JavaScript.</noscript>
<div id="graphiql" data-graphql="/graphql" data-state="loading">Loading GraphiQL…</div>`,
  { css: ['/graphiql/assets/graphiql.css'], js: '/graphiql/assets/graphiql.js' },
);

async function ensureAssets(dir: string): Promise<boolean> {
  const wanted = ['dashboard/dashboard.js', 'graphiql/graphiql.js'];
  if (wanted.every((f) => existsSync(path.join(dir, f)))) return true;
  // `npm run dev` (tsx) has not run the build: bundle now, when esbuild is installed.
  try {
    const { buildAssets } = await import('./build.js');
    await buildAssets(dir);
    return true;
  } catch (error) {
    logger.warn({ err: (error as Error).message, dir }, 'dashboard/GraphiQL assets missing and cannot be built here: run npm run build');
    return false;
  }
}

export async function browserPages(app: FastifyInstance, options: BrowserPagesOptions): Promise<void> {
  if (!options.dashboard && !options.graphiql) return;
  const dir = options.assetsDir ?? path.join(packageRoot(), 'dist/public');
  const ready = await ensureAssets(dir);
  const send = (reply: FastifyReply, html: string, csp: string[]) => {
    if (!ready) return reply.code(503).type('text/plain; charset=utf-8').send('The page assets are not built: run `npm run build`.\n');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', csp.join('; '))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(html);
  };
  const assets = (name: 'dashboard' | 'graphiql') =>
    app.register(fastifyStatic, {
      root: path.join(dir, name),
      prefix: `/${name}/assets/`,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      setHeaders: (reply) => reply.header('x-content-type-options', 'nosniff'),
    });
  if (options.dashboard) {
    app.get('/dashboard', (_request, reply) => send(reply, DASHBOARD_HTML, CSP));
    if (ready) await assets('dashboard');
  }
  if (options.graphiql) {
    app.get('/graphiql', (_request, reply) => send(reply, GRAPHIQL_HTML, CSP_GRAPHIQL));
    if (ready) await assets('graphiql');
  }
}
