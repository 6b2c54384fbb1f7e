/**
 * The README's action coverage table against ../shared/vendor-apis/actions.md (read in
 * place) and the schema: every action of actions.md is in the table, every GraphQL
 * operation the table names exists in the schema, and every test file it names exists and
 * has a test titled with the action's name.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../src/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionsFile = process.env.CHANNELGRAPH_VENDOR_APIS
  ? path.join(process.env.CHANNELGRAPH_VENDOR_APIS, 'actions.md')
  : path.resolve(root, '..', 'shared', 'vendor-apis', 'actions.md');

const VENDORS: Array<[heading: RegExp, label: string, actionColumn: number]> = [
  [/^## Leader Cloud/, 'Leader Cloud', 1],
  [/^## Cloudmore/, 'Cloudmore', 0],
  [/^## Ingram Micro/, 'Ingram Micro', 0],
];

const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
const isRow = (line: string) => line.startsWith('|') && !/^\|[\s-|]+\|$/.test(line);

/** (vendor, action) pairs of actions.md. */
function actions(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current: (typeof VENDORS)[number] | undefined;
  let header = true;
  for (const line of readFileSync(actionsFile, 'utf8').split('\n')) {
    if (line.startsWith('## ')) {
      current = VENDORS.find(([re]) => re.test(line));
      header = true;
      continue;
    }
    if (!current || !isRow(line)) continue;
    if (header) {
      header = false; // the column names
      continue;
    }
    out.push([current[1], cells(line)[current[2]]!]);
  }
  return out;
}

/** Rows of the README's coverage table: vendor, action, GraphQL, test file. */
function table(): string[][] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Every vendor action');
  expect(start, 'README has a "## Every vendor action" section').toBeGreaterThan(-1);
  const section = readme.slice(start).split('\n## ')[0]!;
  return section
    .split('\n')
    .filter(isRow)
    .map(cells)
    .filter((c) => c[0] !== 'vendor');
}

describe.skipIf(!existsSync(actionsFile))(`action coverage (${actionsFile})`, () => {
  it('lists all 85 actions of actions.md, each once', () => {
    const wanted = actions();
    expect(wanted).toHaveLength(85);
    const rows = table().map((r) => `${r[0]} | ${r[1]}`);
    for (const [vendor, action] of wanted) expect(rows, `${vendor}: ${action}`).toContain(`${vendor} | ${action}`);
    expect(new Set(rows).size).toBe(rows.length);
    expect(rows).toHaveLength(85);
  });

  it('names operations that exist in the schema and test files that test the action', () => {
    const schema = buildSchema();
    for (const [vendor, action, graphql, file] of table()) {
      const refs = [...graphql!.matchAll(/`([A-Za-z]+)\.([A-Za-z]+)`/g)];
      expect(refs.length, `${vendor}: ${action} names a Type.field`).toBeGreaterThan(0);
      for (const [, typeName, fieldName] of refs) {
        // Duck-typed: @apollo/subgraph builds the schema with its own copy of graphql-js.
        const type = schema.getType(typeName!) as { getFields?: () => Record<string, unknown> } | undefined;
        expect(type?.getFields ? Object.keys(type.getFields()) : [], `${typeName}.${fieldName} (${action})`).toContain(fieldName);
      }
      const testFile = path.join(root, file!);
      expect(existsSync(testFile), `${file} exists`).toBe(true);
      expect(readFileSync(testFile, 'utf8'), `${file} has a test titled "${action}"`).toContain(action);
    }
  });
});
