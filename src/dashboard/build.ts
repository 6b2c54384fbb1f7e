/**
 * Bundles the browser pages (src/dashboard/page/) with esbuild into static assets that the
 * gateway serves (plugin.ts): the dashboard (its TypeScript and the typed client of
 * examples/) and GraphiQL with React and the Monaco editor workers. Nothing is loaded from
 * a CDN: every script, style sheet, worker and font the pages use is in the output.
 *
 * `npm run build` runs it after tsc (output: dist/public); tests build into a temporary
 * directory. esbuild is a devDependency: a production image needs only the output.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { packageRoot } from './plugin.js';

const PAGE = path.join(packageRoot(), 'src/dashboard/page');

/** The Monaco workers GraphiQL 5 asks for, by label (see page/graphiql.ts). */
const WORKERS = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

export async function buildAssets(outDir: string, options: { minify?: boolean } = {}): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  const common: BuildOptions = {
    bundle: true,
    minify: options.minify ?? true,
    sourcemap: 'linked',
    target: ['es2022'],
    legalComments: 'linked',
    logLevel: 'warning',
    absWorkingDir: packageRoot(),
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { dashboard: path.join(PAGE, 'dashboard.ts'), 'dashboard-style': path.join(PAGE, 'dashboard.css') },
      outdir: path.join(outDir, 'dashboard'),
      format: 'esm',
      platform: 'browser',
    }),
    build({
      ...common,
      entryPoints: { graphiql: path.join(PAGE, 'graphiql.ts') },
      outdir: path.join(outDir, 'graphiql'),
      format: 'esm',
      platform: 'browser',
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
      // 5 MB of React, GraphiQL and Monaco: no source map (20 MB) in dist.
      sourcemap: false,
      assetNames: '[name]-[hash]',
    }),
    build({
      ...common,
      entryPoints: WORKERS,
      outdir: path.join(outDir, 'graphiql'),
      format: 'iife',
      platform: 'browser',
      sourcemap: false,
    }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : path.join(packageRoot(), 'dist/public');
  const started = Date.now();
  await buildAssets(outDir);
  console.log(`dashboard and GraphiQL assets built into ${path.relative(process.cwd(), outDir) || '.'} (${Date.now() - started} ms)`);
}
