/** The subgraph schema: the SDL files in schema/ plus the resolvers, via buildSubgraphSchema (in src/join/schema.ts). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertValidSchema, parse, type DocumentNode } from 'graphql';
import { resolvers } from './resolvers/index.js';
import { buildJoinedSchema, type JoinOptions } from './join/index.js';

/** schema/ at the repository root, from src/ (tsx) or dist/src/ (built). */
export function schemaDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'schema');
    try {
      if (readdirSync(candidate).some((f) => f.endsWith('.graphql'))) return candidate;
    } catch {
      // keep looking upwards
    }
    dir = path.dirname(dir);
  }
  throw new Error('schema/ folder not found');
}

export function loadTypeDefs(): DocumentNode {
  const dir = schemaDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
  return parse(files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n'));
}

/**
 * The subgraph with the host's organisation entity and the namespacing of `join`
 * (src/join/schema.ts; defaults: Organization @key(fields: "id"), no prefixes, the mapping in memory).
 */
export function buildSchema(join?: Partial<JoinOptions>) {
  const schema = buildJoinedSchema(loadTypeDefs(), schemaDir(), resolvers as Record<string, unknown>, join);
  // Validated now, once: graphql-js would do it inside the first request's validation
  // (about 2 ms on a cold dashboard's critical path), and throw it at a client, not here.
  assertValidSchema(schema);
  return schema;
}
