/**
 * Contract of the Cloudmore simulator against Cloudmore's published endpoint index
 * (cloudmore-endpoints.tsv, API v1.07.0, read in place): every route the simulator serves
 * exists there (method + path, case-insensitive, parameter names ignored), and every
 * Cloudmore action the graph must cover (actions.md) is served.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../../src/simulators/index.js';
import { missingSpecMessage, specAvailable, specPath } from '../helpers/openapi.js';

const SPEC = 'cloudmore-endpoints.tsv';
const R = '/api/resellers/{resellerId}';

/** The Cloudmore table of actions.md (the "Generic Request" action is any path). */
const ACTIONS: Array<[method: string, path: string]> = [
  ['POST', `${R}/billing/reports/MonthlyBillingPerOrganizationAsync`],
  ['GET', `${R}/billing/reports/MonthlyBillingPerOrganizationAsync/{taskId}`],
  ['GET', '/api/healthcheck'],
  ['GET', `${R}/organizations/{organizationId}/services/{serviceId}/pricelist`],
  ['GET', `${R}/organizations/{organizationId}/services/{serviceId}/subscriptions`],
  ['GET', `${R}/organizations/{organizationId}/services`],
  ['POST', `${R}/organizations/{organizationId}/services`],
  ['DELETE', `${R}/organizations/{organizationId}/services/{serviceId}`],
  ['GET', `${R}/organizations`],
  ['POST', `${R}/organizations`],
  ['GET', `${R}/organizations/{organizationId}`],
  ['DELETE', `${R}/organizations/{organizationId}`],
  ['PUT', `${R}/organizations/{organizationId}`],
  ['GET', `${R}/organizations/{organizationId}/Estore`],
  ['GET', `${R}/services`],
];

/**
 * Served but outside the API's Swagger: the IdentityServer token endpoint lives beside the
 * API (`https://api.cloudmore.com/connect/token`), not in it.
 */
const OUTSIDE_SWAGGER = new Set(['POST /connect/token']);

const shape = (method: string, path: string) => `${method.toUpperCase()} ${path.toLowerCase().replace(/\{[^}]+\}/g, '{}')}`;

function specOperations(): Set<string> {
  const out = new Set<string>();
  const lines = readFileSync(specPath(SPEC), 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    const methodPath = line.split('\t')[1];
    if (!methodPath) continue;
    const [method, path] = methodPath.trim().split(/\s+/);
    if (method && path) out.add(shape(method, path));
  }
  return out;
}

describe.skipIf(!specAvailable(SPEC))(`Cloudmore simulator contract (${SPEC})`, () => {
  let sims: Awaited<ReturnType<typeof startSimulators>>;
  beforeAll(async () => {
    sims = await startSimulators({ vendors: ['cloudmore'], seed: 11, size: 20 });
  });
  afterAll(() => sims.close());

  it('reads a non-trivial endpoint index', () => {
    expect(specOperations().size).toBeGreaterThan(200);
  });

  it('serves only methods and paths that Cloudmore publishes', () => {
    const spec = specOperations();
    const routes = sims.cloudmore.control.routes;
    expect(routes.length).toBeGreaterThan(20);
    const unknown = routes
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !OUTSIDE_SWAGGER.has(key))
      .filter((key) => {
        const [method, url] = key.split(' ') as [string, string];
        return !spec.has(shape(method, url));
      });
    expect(unknown).toEqual([]);
  });

  it('serves every Cloudmore action of actions.md', () => {
    const served = new Set(sims.cloudmore.control.routes.map((r) => shape(r.method, r.url)));
    const spec = specOperations();
    const missing = ACTIONS.filter(([m, p]) => !served.has(shape(m, p))).map(([m, p]) => `${m} ${p}`);
    expect(missing).toEqual([]);
    // The action paths themselves are the published ones.
    expect(ACTIONS.filter(([m, p]) => !spec.has(shape(m, p)))).toEqual([]);
  });

  it('serves the token endpoint the API documentation describes', () => {
    const served = new Set(sims.cloudmore.control.routes.map((r) => `${r.method} ${r.url}`));
    expect(served.has('POST /connect/token')).toBe(true);
  });
});

describe.skipIf(specAvailable(SPEC))('Cloudmore simulator contract (spec missing)', () => {
  it.skip(missingSpecMessage(SPEC), () => {});
});
