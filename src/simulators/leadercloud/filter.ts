/**
 * The OData subset Leader Cloud list endpoints accept in `$filter` and `$orderBy`, per
 * simulator profile.
 *
 *   filter   := or
 *   or       := and ('or' and)*
 *   and      := unary ('and' unary)*
 *   unary    := 'not' unary | '(' filter ')' | compare | in | func
 *   compare  := property op literal          op: eq ne gt ge lt le
 *   in       := property 'in' '(' literal (',' literal)* ')'
 *   func     := (contains|startswith|endswith) '(' property ',' 'text' ')'
 *   literal  := 'text' | 123 | 1.5 | true | false | null | datetime'…' | datetimeoffset'…' | guid'…' | 2026-07-21T00:00:00Z
 *
 * Keywords and property names are case-insensitive; string comparisons are too (the
 * backend is SQL Server with its default collation). Anything else is a 400 naming the
 * problem: an unsupported filter is never silently ignored.
 *
 * The `documented` profile accepts only what the vendor documents (see README.md): the
 * OData v3 comparison and logical operators (eq ne gt ge lt le, and or not, parentheses)
 * on the properties of the list's DTO in the swagger, with the literals OData v3 writes
 * without a type prefix ('text', numbers, true/false, null) plus `datetime'…'` (the one
 * form a public client uses). `in`, functions, `guid'…'`, `datetimeoffset'…'`, bare ISO
 * dates, quoted dates or GUIDs, and aliases or nested paths (`accountId`, `account/id`) are
 * a 400 there; `extended` accepts them all.
 */
import type { SimProfile } from '../shared/control.js';
import { badRequest, parseGuid, parseLcDate } from './util.js';

export type FieldType = 'int' | 'number' | 'string' | 'guid' | 'date' | 'bool' | 'enum';

export interface FieldDef<T> {
  type: FieldType;
  get: (item: T) => string | number | boolean | null | undefined;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** May be used in $orderBy. */
  sortable?: boolean;
  /**
   * Not a property of the list's DTO in the swagger (an alias such as `accountId`, or a
   * nested path such as `account/id`): accepted only in the `extended` profile.
   */
  inferred?: boolean;
}

/** Marks a filter field as inferred (extended profile only). */
export function inferred<T>(def: FieldDef<T>): FieldDef<T> {
  return { ...def, inferred: true };
}

/** Filterable properties of one resource; several names may share one definition (aliases). */
export type FieldMap<T> = Record<string, FieldDef<T>>;

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; raw: string }
  | { kind: 'datetime'; value: number; raw: string; form: 'datetime' | 'datetimeoffset' | 'bare' }
  | { kind: 'guid'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

type Token =
  | { t: 'punct'; v: '(' | ')' | ','; pos: number }
  | { t: 'word'; v: string; pos: number }
  | { t: 'lit'; v: Literal; pos: number };

export type Predicate<T> = (item: T) => boolean;

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCS = new Set(['contains', 'startswith', 'endswith']);
const BARE_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/i;

function fail(message: string): never {
  throw badRequest(`Invalid $filter: ${message}`, 'InvalidFilterError');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      const start = i;
      const { value, end } = readQuoted(text, i);
      tokens.push({ t: 'lit', v: { kind: 'string', value }, pos: start });
      i = end;
      continue;
    }
    const bare = BARE_DATE.exec(text.slice(i));
    if (bare && bare[0].length >= 10 && /^\d{4}-/.test(bare[0])) {
      const ms = parseLcDate(bare[0]);
      if (ms === undefined) fail(`'${bare[0]}' at position ${i} is not a valid date.`);
      tokens.push({ t: 'lit', v: { kind: 'datetime', value: ms, raw: bare[0], form: 'bare' }, pos: i });
      i += bare[0].length;
      continue;
    }
    const num = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?/.exec(text.slice(i));
    if (num && /[\d]/.test(c + (text[i + 1] ?? ''))) {
      const raw = num[0].replace(/[mMdDfFlL]$/, '');
      tokens.push({ t: 'lit', v: { kind: 'number', value: Number(raw), raw }, pos: i });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_./$]*/.exec(text.slice(i));
    if (!word) fail(`unexpected character '${c}' at position ${i}.`);
    const w = word[0];
    const start = i;
    i += w.length;
    const lower = w.toLowerCase();
    if ((lower === 'datetime' || lower === 'datetimeoffset' || lower === 'guid') && text[i] === "'") {
      const { value, end } = readQuoted(text, i);
      i = end;
      if (lower === 'guid') {
        const g = parseGuid(value);
        if (!g) fail(`guid'${value}' at position ${start} is not a valid GUID.`);
        tokens.push({ t: 'lit', v: { kind: 'guid', value: g }, pos: start });
      } else {
        const ms = parseLcDate(value);
        if (ms === undefined) fail(`${w}'${value}' at position ${start} is not a valid ISO 8601 date-time.`);
        tokens.push({ t: 'lit', v: { kind: 'datetime', value: ms, raw: value, form: lower === 'datetime' ? 'datetime' : 'datetimeoffset' }, pos: start });
      }
      continue;
    }
    if (lower === 'true' || lower === 'false') tokens.push({ t: 'lit', v: { kind: 'bool', value: lower === 'true' }, pos: start });
    else if (lower === 'null') tokens.push({ t: 'lit', v: { kind: 'null' }, pos: start });
    else tokens.push({ t: 'word', v: w, pos: start });
  }
  return tokens;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= text.length) fail(`unterminated string starting at position ${start}.`);
    const ch = text[i] as string;
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
}

function describe(lit: Literal): string {
  switch (lit.kind) {
    case 'string':
      return `'${lit.value}'`;
    case 'number':
      return lit.raw;
    case 'datetime':
      return lit.form === 'bare' ? lit.raw : `${lit.form}'${lit.raw}'`;
    case 'guid':
      return `guid'${lit.value}'`;
    case 'bool':
      return String(lit.value);
    case 'null':
      return 'null';
  }
}

class Parser<T> {
  private i = 0;
  private readonly lookup: Map<string, { name: string; def: FieldDef<T> }>;

  private readonly documented: boolean;

  constructor(
    private readonly tokens: Token[],
    private readonly fields: FieldMap<T>,
    private readonly resource: string,
    profile: SimProfile,
  ) {
    this.documented = profile === 'documented';
    this.lookup = new Map(
      Object.entries(fields)
        .filter(([, def]) => !(this.documented && def.inferred))
        .map(([name, def]) => [name.toLowerCase(), { name, def }]),
    );
  }

  parse(): Predicate<T> {
    if (this.tokens.length === 0) fail('the expression is empty.');
    const p = this.or();
    const rest = this.tokens[this.i];
    if (rest) fail(`unexpected '${this.show(rest)}' at position ${rest.pos}.`);
    return p;
  }

  private show(t: Token): string {
    return t.t === 'lit' ? describe(t.v) : t.v;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.i];
    return t?.t === 'word' && t.v.toLowerCase() === word;
  }

  private expectPunct(v: '(' | ')' | ','): void {
    const t = this.tokens[this.i];
    if (t?.t !== 'punct' || t.v !== v) fail(t ? `expected '${v}' at position ${t.pos}, found '${this.show(t)}'.` : `expected '${v}' at the end.`);
    this.i++;
  }

  private or(): Predicate<T> {
    const parts = [this.and()];
    while (this.peekWord('or')) {
      this.i++;
      parts.push(this.and());
    }
    return parts.length === 1 ? (parts[0] as Predicate<T>) : (item) => parts.some((p) => p(item));
  }

  private and(): Predicate<T> {
    const parts = [this.unary()];
    while (this.peekWord('and')) {
      this.i++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? (parts[0] as Predicate<T>) : (item) => parts.every((p) => p(item));
  }

  private unary(): Predicate<T> {
    const t = this.tokens[this.i];
    if (!t) fail('the expression ends too early.');
    if (t.t === 'word' && t.v.toLowerCase() === 'not') {
      this.i++;
      const inner = this.unary();
      return (item) => !inner(item);
    }
    if (t.t === 'punct' && t.v === '(') {
      this.i++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    if (t.t === 'word' && this.tokens[this.i + 1]?.t === 'punct' && (this.tokens[this.i + 1] as { v: string }).v === '(') {
      const name = t.v.toLowerCase();
      if (this.documented || !FUNCS.has(name)) {
        fail(
          `the function '${t.v}' at position ${t.pos} is not supported.` +
            (this.documented ? ' Supported: comparisons (eq, ne, gt, ge, lt, le) joined by and, or, not.' : ` Supported: ${[...FUNCS].join('(), ')}().`),
        );
      }
      return this.func(name);
    }
    if (t.t !== 'word') fail(`expected a property name at position ${t.pos}, found '${this.show(t)}'.`);
    this.i++;
    const field = this.field(t.v);
    const opTok = this.tokens[this.i];
    if (!opTok || opTok.t !== 'word') fail(opTok ? `expected an operator after '${t.v}' at position ${opTok.pos}.` : `expected an operator after '${t.v}'.`);
    const op = opTok.v.toLowerCase();
    this.i++;
    if (op === 'in' && !this.documented) return this.inList(field);
    if (!COMPARE_OPS.has(op)) {
      fail(
        `the operator '${opTok.v}' at position ${opTok.pos} is not supported. Supported: ` +
          (this.documented ? 'eq, ne, gt, ge, lt, le, and, or, not.' : 'eq, ne, gt, ge, lt, le, in, and, or, not, contains(), startswith(), endswith().'),
      );
    }
    const litTok = this.tokens[this.i];
    if (!litTok || litTok.t !== 'lit') fail(litTok ? `expected a literal value at position ${litTok.pos}, found '${this.show(litTok)}'.` : `expected a value after '${op}'.`);
    this.i++;
    return this.compare(field, op, litTok.v);
  }

  private field(name: string): { name: string; def: FieldDef<T> } {
    const found = this.lookup.get(name.toLowerCase());
    if (!found) {
      const names = [...this.lookup.values()].map((f) => f.name);
      fail(`the property '${name}' is not supported for ${this.resource}. Supported properties: ${names.join(', ')}.`);
    }
    return found;
  }

  private func(name: string): Predicate<T> {
    this.i++;
    this.expectPunct('(');
    const propTok = this.tokens[this.i];
    if (propTok?.t !== 'word') fail(`${name}() expects a property name as its first argument.`);
    this.i++;
    const field = this.field(propTok.v);
    if (field.def.type !== 'string') fail(`${name}() needs a text property; '${field.name}' is not one.`);
    this.expectPunct(',');
    const litTok = this.tokens[this.i];
    if (litTok?.t !== 'lit' || litTok.v.kind !== 'string') fail(`${name}() expects a quoted text as its second argument.`);
    this.i++;
    this.expectPunct(')');
    const needle = litTok.v.value.toLowerCase();
    const get = field.def.get;
    return (item) => {
      const v = get(item);
      if (typeof v !== 'string') return false;
      const hay = v.toLowerCase();
      return name === 'contains' ? hay.includes(needle) : name === 'startswith' ? hay.startsWith(needle) : hay.endsWith(needle);
    };
  }

  private inList(field: { name: string; def: FieldDef<T> }): Predicate<T> {
    this.expectPunct('(');
    const values: Array<string | number | boolean | null> = [];
    for (;;) {
      const litTok = this.tokens[this.i];
      if (litTok?.t !== 'lit') fail(`'in' expects a list of literal values for '${field.name}'.`);
      this.i++;
      values.push(this.coerce(field, litTok.v));
      const next = this.tokens[this.i];
      if (next?.t === 'punct' && next.v === ',') {
        this.i++;
        continue;
      }
      this.expectPunct(')');
      break;
    }
    const set = new Set(values);
    const get = field.def.get;
    return (item) => set.has(normalise(get(item)));
  }

  private coerce(field: { name: string; def: FieldDef<T> }, lit: Literal): string | number | boolean | null {
    const { def, name } = field;
    if (lit.kind === 'null') return null;
    if (this.documented) {
      if (lit.kind === 'guid') fail(`the literal ${describe(lit)} is not supported: guid'…' is not a documented literal form.`);
      if (lit.kind === 'datetime' && lit.form !== 'datetime') {
        fail(`the literal ${describe(lit)} is not supported: write date-times as datetime'2026-07-21T00:00:00'.`);
      }
      if (def.type === 'guid') fail(`'${name}' is a GUID; no documented literal form compares with it.`);
      if (def.type === 'date' && lit.kind !== 'datetime') fail(`'${name}' is a date-time; ${describe(lit)} cannot be compared with it (use datetime'…').`);
    }
    const mismatch = (expected: string): never =>
      fail(`'${name}' is ${expected}; ${describe(lit)} cannot be compared with it.`);
    switch (def.type) {
      case 'int':
        if (lit.kind !== 'number' || !Number.isInteger(lit.value)) return mismatch('an integer');
        return lit.value;
      case 'number':
        if (lit.kind !== 'number') return mismatch('a number');
        return lit.value;
      case 'bool':
        if (lit.kind !== 'bool') return mismatch('a boolean (true or false)');
        return lit.value;
      case 'date':
        if (lit.kind === 'datetime') return lit.value;
        if (lit.kind === 'string') {
          const ms = parseLcDate(lit.value);
          if (ms === undefined) fail(`'${lit.value}' is not a valid ISO 8601 date-time for '${name}'.`);
          return ms;
        }
        return mismatch("a date-time (use datetime'2026-07-21T00:00:00' or an ISO 8601 string)");
      case 'guid': {
        if (lit.kind === 'guid') return lit.value;
        const g = lit.kind === 'string' ? parseGuid(lit.value) : undefined;
        return g ?? mismatch("a GUID (use guid'…' or a quoted GUID)");
      }
      case 'enum': {
        if (lit.kind !== 'string') return mismatch(`one of ${(def.values ?? []).join(', ')}`);
        const match = (def.values ?? []).find((v) => v.toLowerCase() === lit.value.toLowerCase());
        if (!match) fail(`'${lit.value}' is not a valid value for '${name}'. Valid values: ${(def.values ?? []).join(', ')}.`);
        return match.toLowerCase();
      }
      case 'string':
        if (lit.kind !== 'string') return mismatch('a text');
        return lit.value.toLowerCase();
    }
  }

  private compare(field: { name: string; def: FieldDef<T> }, op: string, lit: Literal): Predicate<T> {
    const value = this.coerce(field, lit);
    const ordered = op !== 'eq' && op !== 'ne';
    if (ordered && (value === null || ['guid', 'bool', 'enum'].includes(field.def.type))) {
      fail(`the operator '${op}' cannot be used with '${field.name}'${value === null ? ' and null' : ''}; use eq or ne.`);
    }
    const get = field.def.get;
    return (item) => {
      const actual = normalise(get(item));
      switch (op) {
        case 'eq':
          return actual === value;
        case 'ne':
          return actual !== value;
      }
      if (actual === null || value === null) return false;
      switch (op) {
        case 'gt':
          return actual > value;
        case 'ge':
          return actual >= value;
        case 'lt':
          return actual < value;
        default:
          return actual <= value;
      }
    };
  }
}

function normalise(v: string | number | boolean | null | undefined): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v.toLowerCase() : v;
}

/** Compiles `$filter` for a resource; undefined when there is no filter. Throws a 400 SimError when invalid. */
export function compileFilter<T>(text: unknown, fields: FieldMap<T>, resource: string, profile: SimProfile = 'extended'): Predicate<T> | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string') fail('$filter must be given once.');
  if (text.trim() === '') return undefined;
  return new Parser(tokenize(text), fields, resource, profile).parse();
}

/** Applies `$orderBy=field [asc|desc], …` (stable; nulls last). Throws a 400 SimError when invalid. */
export function applyOrderBy<T>(items: T[], text: unknown, fields: FieldMap<T>, resource: string, profile: SimProfile = 'extended'): T[] {
  if (text === undefined || text === '') return items;
  if (typeof text !== 'string') throw badRequest('$orderBy must be given once.', 'InvalidOrderByError');
  const usable = Object.entries(fields).filter(([, def]) => !(profile === 'documented' && def.inferred));
  const lookup = new Map(usable.map(([name, def]) => [name.toLowerCase(), { name, def }]));
  const sortable = usable
    .filter(([, d]) => d.sortable)
    .map(([n]) => n);
  const keys = text.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_/.]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m?.[1]) throw badRequest(`Invalid $orderBy: '${part.trim()}' is not of the form 'property [asc|desc]'.`, 'InvalidOrderByError');
    const found = lookup.get(m[1].toLowerCase());
    if (!found?.def.sortable) {
      throw badRequest(
        `Invalid $orderBy: ordering by '${m[1]}' is not supported for ${resource}. Supported: ${sortable.join(', ')}.`,
        'InvalidOrderByError',
      );
    }
    return { get: found.def.get, dir: m[2]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  const decorated = items.map((item, index) => ({ item, index, values: keys.map((k) => normalise(k.get(item))) }));
  decorated.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = a.values[k] ?? null;
      const y = b.values[k] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (keys[k] as { dir: number }).dir;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.item);
}
