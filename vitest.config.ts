import { defineConfig } from 'vitest/config';

/**
 * The graph suites (test/graph) run once per simulator profile: `documented` (only what
 * the vendors document) and `extended` (inferred behaviour too). Everything else runs once.
 */
export default defineConfig({
  // One graphql-js, as in Node: a bare `graphql` is its CommonJS entry there (no exports map),
  // which Apollo, @apollo/subgraph and graphql-jit load too; Vite alone would pick `index.mjs`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores on CI: keep parallel files to what the machine can run without starving servers.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit+simulators', include: ['test/**/*.test.ts'], exclude: ['test/graph/**'] } },
      { extends: true, test: { name: 'graph:documented', include: ['test/graph/**/*.test.ts'], env: { SIM_PROFILE: 'documented' } } },
      { extends: true, test: { name: 'graph:extended', include: ['test/graph/**/*.test.ts'], env: { SIM_PROFILE: 'extended' } } },
    ],
  },
});
