#!/usr/bin/env node
/**
 * Builds dist/ once, and again only when its sources changed (`npm start`, `npm install`).
 *
 *   node scripts/build-if-stale.mjs            build when stale (prestart)
 *   node scripts/build-if-stale.mjs --install  the same, but a production install without
 *                                              TypeScript (npm ci --omit=dev) skips quietly (prepare)
 *   node scripts/build-if-stale.mjs --force    always build (npm run build)
 *   node scripts/build-if-stale.mjs --check    only say whether dist/ is stale (exit 1 if so)
 *
 * Stale means: no stamp (dist/.build-stamp), or a file or folder under src/ or schema/, or
 * a tsconfig*.json, modified after the last build started, or one added or removed since.
 * The build is `tsc -p tsconfig.build.json`, then the page assets (src/dashboard/build.ts,
 * into dist/public; examples/ is an input too); the stamp is written only when it succeeds.
 * Plain JavaScript so that it runs before anything is compiled. Paths are relative to the
 * current directory (npm runs scripts from the package root).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = process.cwd();
const STAMP = path.join(root, 'dist', '.build-stamp');
const args = new Set(process.argv.slice(2));

/** Every input file and folder with its mtime (ms): src/, schema/, examples/ recursively, tsconfig*.json. */
function inputs() {
  const found = [];
  const walk = (rel) => {
    const full = path.join(root, rel);
    if (!existsSync(full)) return;
    found.push({ path: rel, mtimeMs: statSync(full).mtimeMs });
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else found.push({ path: child, mtimeMs: statSync(path.join(root, child)).mtimeMs });
    }
  };
  walk('src');
  walk('schema');
  walk('examples');
  for (const name of readdirSync(root)) {
    if (/^tsconfig.*\.json$/.test(name)) found.push({ path: name, mtimeMs: statSync(path.join(root, name)).mtimeMs });
  }
  return found;
}

/** Why dist/ must be rebuilt, or undefined when it is fresh. */
function staleness(files) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return 'no build yet (dist/.build-stamp missing)';
  }
  if (typeof stamp.startedAtMs !== 'number' || typeof stamp.inputs !== 'number') return 'unreadable build stamp';
  const newer = files.filter((f) => f.mtimeMs > stamp.startedAtMs).map((f) => f.path);
  if (newer.length) return `${newer.slice(0, 5).join(', ')}${newer.length > 5 ? ` and ${newer.length - 5} more` : ''} changed since the last build`;
  if (files.length !== stamp.inputs) return `${Math.abs(files.length - stamp.inputs)} source file(s) added or removed since the last build`;
  return undefined;
}

function tscPath() {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const files = inputs();
const reason = args.has('--force') ? 'build requested' : staleness(files);
if (!reason) {
  console.log('build: dist/ is up to date (its sources are unchanged since the last build), no tsc run');
  process.exit(0);
}
if (args.has('--check')) {
  console.log(`build: ${reason}`);
  process.exit(1);
}
const tsc = tscPath();
if (!tsc) {
  if (args.has('--install')) {
    console.log('build: TypeScript is not installed (production install), not building');
    process.exit(0);
  }
  console.error(`build: ${reason}, but TypeScript is not installed: run npm install (or npm ci) first`);
  process.exit(1);
}
console.log(`build: ${reason}; running tsc -p tsconfig.build.json`);
const startedAtMs = Date.now();
rmSync(STAMP, { force: true });
const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  console.error(`build: tsc failed (${run.status ?? run.signal})`);
  process.exit(run.status || 1);
}
// The browser pages (/dashboard, /graphiql): bundled with esbuild into dist/public.
const pages = !existsSync(path.join(root, 'src/dashboard/build.ts')) ? { status: 0 } : spawnSync(process.execPath, [path.join(root, 'dist/src/dashboard/build.js')], { cwd: root, stdio: 'inherit' });
if (pages.status !== 0) {
  console.error(`build: bundling the dashboard and GraphiQL assets failed (${pages.status ?? pages.signal})`);
  process.exit(pages.status || 1);
}
mkdirSync(path.dirname(STAMP), { recursive: true });
writeFileSync(STAMP, JSON.stringify({ startedAtMs, inputs: files.length, node: process.version }) + '\n');
console.log(`build: done in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s`);
