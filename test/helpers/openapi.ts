/**
 * Contract checking against the vendors' published specs (Swagger 2.0 for Leader Cloud,
 * OpenAPI 3.0 for Ingram Micro), read in place from ../shared/vendor-specs or from the
 * folder named by CHANNELGRAPH_VENDOR_SPECS. Never copied into the repository.
 *
 * Two deliberate adjustments, both forced by the published documents themselves:
 * - Leader Cloud's spec is pruned: some definitions list `required` names that have no
 *   `properties` entry while also saying `additionalProperties: false`. Such names are
 *   accepted with any value (otherwise no body could ever validate).
 * - `x-nullable: true` (NSwag, Swagger 2.0) and `nullable: true` (OpenAPI 3.0) become
 *   JSON Schema's `null` type, which is what those keywords mean.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv) => Ajv;

export const SPECS_ENV = 'CHANNELGRAPH_VENDOR_SPECS';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function specsDir(): string {
  return process.env[SPECS_ENV] ?? path.resolve(repoRoot, '..', 'shared', 'vendor-specs');
}

export function specPath(file: string): string {
  return path.join(specsDir(), file);
}

export function specAvailable(file: string): boolean {
  return existsSync(specPath(file));
}

/** A message for `describe.skipIf`, naming the variable that points at the specs. */
export function missingSpecMessage(file: string): string {
  return `vendor spec ${file} not found in ${specsDir()}: set ${SPECS_ENV} to the vendor-specs folder to run the contract tests`;
}

type Json = Record<string, unknown>;

export function loadSpec(file: string): Json {
  const text = readFileSync(specPath(file), 'utf8');
  return (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Json;
}

function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = normalise(v);
  // Pruned definitions: required names without a property accept any value.
  if (Array.isArray(out.required) && out.type === 'object') {
    const props = (out.properties ?? {}) as Json;
    for (const name of out.required as string[]) if (!(name in props)) props[name] = {};
    out.properties = props;
  }
  const nullable = out['x-nullable'] === true || out.nullable === true;
  delete out['x-nullable'];
  delete out.nullable;
  if (nullable && looksLikeSchema(out)) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    } else if (out.$ref || out.allOf || out.oneOf || out.anyOf) {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

function looksLikeSchema(node: Json): boolean {
  return 'type' in node || '$ref' in node || 'allOf' in node || 'oneOf' in node || 'anyOf' in node;
}

export interface OperationMatch {
  template: string;
  operation: Json;
}

export interface ValidationResult {
  ok: boolean;
  /** False when the spec gives no schema for that status (nothing to check). */
  checked: boolean;
  errors: string;
}

export class SpecValidator {
  private readonly spec: Json;
  private readonly ajv: Ajv;
  private readonly isOas3: boolean;
  private readonly matchers: Array<{ template: string; regex: RegExp; item: Json }>;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(
    file: string,
    private readonly options: { caseInsensitive?: boolean } = {},
  ) {
    const raw = loadSpec(file);
    this.isOas3 = typeof raw.openapi === 'string';
    this.spec = normalise(raw) as Json;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    for (const f of ['guid', 'int32', 'int64', 'decimal', 'double', 'float', 'byte', 'binary', 'date-span']) {
      this.ajv.addFormat(f, true);
    }
    this.ajv.addSchema({ ...this.spec, $id: 'spec' });
    const flags = options.caseInsensitive ? 'i' : '';
    this.matchers = Object.entries((this.spec.paths ?? {}) as Record<string, Json>).map(([template, item]) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`, flags),
      item,
    }));
  }

  /** Every (method, path template) the spec defines. */
  operations(): Array<{ method: string; path: string }> {
    const out: Array<{ method: string; path: string }> = [];
    for (const m of this.matchers) {
      for (const method of Object.keys(m.item)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push({ method: method.toUpperCase(), path: m.template });
      }
    }
    return out;
  }

  /** Does the spec define this method on a template equal to `template` (names of params aside)? */
  hasTemplate(method: string, template: string): boolean {
    const shape = (t: string) => (this.options.caseInsensitive ? t.toLowerCase() : t).replace(/\{[^}]+\}/g, '{}');
    return this.operations().some((o) => o.method === method.toUpperCase() && shape(o.path) === shape(template));
  }

  match(method: string, concretePath: string): OperationMatch | undefined {
    const candidates = this.matchers.filter((m) => m.regex.test(concretePath));
    // Prefer literal segments over parameters (/orders/estimate before /orders/{id}).
    candidates.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    for (const c of candidates) {
      const operation = c.item[method.toLowerCase()] as Json | undefined;
      if (operation) return { template: c.template, operation };
    }
    return undefined;
  }

  private responseSchema(operation: Json, status: number): { schema: unknown; pointer: string } | undefined {
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const response = responses[String(status)] ?? responses.default;
    if (!response) return undefined;
    if (this.isOas3) {
      const content = (response.content ?? {}) as Record<string, Json>;
      const media = content['application/json'] ?? content['*/*'] ?? Object.values(content)[0];
      return media?.schema ? { schema: media.schema, pointer: '' } : undefined;
    }
    return response.schema ? { schema: response.schema, pointer: '' } : undefined;
  }

  /** Validates a response body against the schema the spec gives for (method, path, status). */
  validate(method: string, concretePath: string, status: number, body: unknown): ValidationResult {
    const match = this.match(method, concretePath);
    if (!match) return { ok: false, checked: true, errors: `no operation ${method} ${concretePath} in the spec` };
    const found = this.responseSchema(match.operation, status);
    if (!found || (typeof found.schema === 'object' && Object.keys(found.schema as object).length === 0)) {
      return { ok: true, checked: false, errors: '' };
    }
    const key = `${method} ${match.template} ${status}`;
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile(rewriteRefs(found.schema) as object);
      this.cache.set(key, fn);
    }
    const ok = fn(body) as boolean;
    return { ok, checked: true, errors: ok ? '' : this.ajv.errorsText(fn.errors, { separator: '\n' }) };
  }
}

/** Points local refs (#/definitions/X, #/components/schemas/X) at the registered spec. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `spec${v}` : rewriteRefs(v);
  }
  return out;
}
