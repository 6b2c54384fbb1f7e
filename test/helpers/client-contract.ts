/**
 * The client's side of the vendor contract: every request the graph sent to a simulator
 * (method, path and query parameter names, recorded by the simulator) must be an
 * operation of the vendor's published spec with parameters the spec declares. Specs are
 * read in place (see openapi.ts); a vendor whose spec is absent is not checked here (the
 * simulator contract tests say so, and CI fails without the specs).
 */
import { readFileSync } from 'node:fs';
import type { RunningSimulators } from '../../src/simulators/index.js';
import type { RequestSignature } from '../../src/simulators/shared/control.js';
import { SpecValidator, specAvailable, specPath } from './openapi.js';

type Json = Record<string, unknown>;

/** Calls outside the specs' paths: the token endpoints, which the specs name but do not list. */
const OUTSIDE = new Set(['POST /oauth/token', 'POST /token', 'POST /connect/token']);

let leader: SpecValidator | undefined;
let ingram: SpecValidator | undefined;
let cloudmore: Set<string> | undefined;

function queryNames(validator: SpecValidator, method: string, path: string): Set<string> | undefined {
  const match = validator.match(method, path);
  if (!match) return undefined;
  const params = (match.operation.parameters ?? []) as Json[];
  return new Set(params.filter((p) => p.in === 'query').map((p) => String(p.name).toLowerCase()));
}

function checkOpenApi(validator: SpecValidator, r: RequestSignature, path: string): string | null {
  const names = queryNames(validator, r.method, path);
  if (!names) return `${r.method} ${r.path}: no such operation in the spec`;
  const unknown = r.query.filter((q) => !names.has(q.toLowerCase()));
  return unknown.length ? `${r.method} ${r.path}: query parameter(s) ${unknown.join(', ')} not in the spec` : null;
}

const cloudmoreShape = (method: string, path: string) => `${method.toUpperCase()} ${path.toLowerCase().replace(/\{[^}]+\}/g, '{}')}`;

function cloudmoreOperations(): Set<string> {
  if (!cloudmore) {
    const rows = readFileSync(specPath('cloudmore-endpoints.tsv'), 'utf8').split('\n').slice(1);
    cloudmore = new Set(
      rows
        .map((line) => line.split('\t')[1])
        .filter((mp): mp is string => Boolean(mp))
        .map((mp) => {
          const [method = '', path = ''] = mp.split(' ');
          return cloudmoreShape(method, path);
        }),
    );
  }
  return cloudmore;
}

const ID_SEGMENT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;

/** Does a concrete Cloudmore path match a template of the endpoint index (case-insensitive)? */
function inCloudmoreIndex(method: string, path: string): boolean {
  const segments = path.toLowerCase().split('/');
  for (const op of cloudmoreOperations()) {
    const [m, template = ''] = op.split(' ');
    if (m !== method.toUpperCase()) continue;
    const parts = template.split('/');
    // A parameter matches an id (Cloudmore ids are GUIDs), never a word that could be a literal segment.
    if (parts.length === segments.length && parts.every((p, i) => (p === '{}' ? ID_SEGMENT.test(segments[i]!) : p === segments[i]))) return true;
  }
  return false;
}

/** Every recorded request of these simulators that the vendor's spec does not have (empty when all are). */
export function offContractRequests(sims: RunningSimulators): string[] {
  const problems: string[] = [];
  for (const sim of sims.all) {
    for (const r of sim.control.requests()) {
      if (OUTSIDE.has(`${r.method} ${r.path}`) || OUTSIDE.has(`${r.method} ${r.path.replace(/^\/marketplace\/[^/]+/, '')}`)) continue;
      let problem: string | null = null;
      if (sim.vendor === 'leadercloud') {
        if (!specAvailable('leadercloud-swagger.json')) continue;
        leader ??= new SpecValidator('leadercloud-swagger.json', { caseInsensitive: true });
        problem = checkOpenApi(leader, r, r.path);
      } else if (sim.vendor === 'ingram') {
        if (!specAvailable('ingram-cloud-marketplace-1.15.yaml')) continue;
        ingram ??= new SpecValidator('ingram-cloud-marketplace-1.15.yaml');
        problem = checkOpenApi(ingram, r, r.path.replace(/^\/marketplace\/[^/]+/, ''));
      } else if (sim.vendor === 'cloudmore') {
        if (!specAvailable('cloudmore-endpoints.tsv')) continue;
        if (!inCloudmoreIndex(r.method, r.path)) problem = `${r.method} ${r.path}: not in the Cloudmore endpoint index`;
      }
      if (problem) problems.push(`${sim.vendor}: ${problem}`);
    }
  }
  return problems;
}
