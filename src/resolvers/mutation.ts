/**
 * What every mutation shares: input checks that run before any upstream call and collect
 * every problem at once, the `{ ..., userErrors }` payload (a rejected input, or a vendor's
 * 4xx refusal of the write, is data the user can act on, not an exception), global ids in
 * inputs checked for vendor and type, and idempotency keys.
 */
import { GraphQLError } from 'graphql';
import type { GraphContext } from '../context.js';
import { UpstreamError } from '../errors.js';
import type { EntityKind, VendorName } from '../model.js';
import { route } from './common.js';

export interface UserErrorModel {
  field: string[] | null;
  message: string;
  code: string;
}

/** Thrown by input checks: becomes `userErrors`, one per problem. */
export class InputErrors extends GraphQLError {
  constructor(readonly problems: UserErrorModel[]) {
    super(problems.map((p) => p.message).join(' '), { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/** Collects input problems; `done()` throws them together. */
export class InputCheck {
  private readonly problems: UserErrorModel[] = [];

  fail(field: string[], message: string, code = 'BAD_USER_INPUT'): void {
    this.problems.push({ field, message, code });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  done(): void {
    if (this.problems.length) throw new InputErrors(this.problems);
  }

  /** A whole number in [min, max]. */
  int(field: string[], value: number | null | undefined, min: number, max: number): void {
    if (value === null || value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) this.fail(field, `${field.at(-1)} must be a whole number from ${min} to ${max}.`);
  }

  /** A non-empty string of at most `max` characters without control characters. */
  text(field: string[], value: string | null | undefined, max = 200, required = false): void {
    if (value === null || value === undefined) {
      if (required) this.fail(field, `${field.at(-1)} is required.`);
      return;
    }
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (value.trim() === '' || value.length > max || /[\u0000-\u001f\u007f]/.test(value)) {
      this.fail(field, `${field.at(-1)} must be 1 to ${max} characters of text.`);
    }
  }

  email(field: string[], value: string | null | undefined): void {
    if (value === null || value === undefined) return;
    if (value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) this.fail(field, `${field.at(-1)} is not an e-mail address.`);
  }

  /** A decimal string (money): digits with an optional fraction, at most `max`. */
  decimal(field: string[], value: string | null | undefined, min = 0): void {
    if (value === null || value === undefined) return;
    if (!/^-?\d{1,12}(\.\d{1,6})?$/.test(value) || Number(value) < min) this.fail(field, `${field.at(-1)} must be a decimal number of at least ${min}.`);
  }

  /** An ISO 4217 currency code. */
  currency(field: string[], value: string | null | undefined): void {
    if (value === null || value === undefined) return;
    if (!/^[A-Z]{3}$/.test(value)) this.fail(field, `${field.at(-1)} must be an ISO 4217 code such as USD.`);
  }

  /** A JSON object (not an array or scalar) with at most `maxKeys` keys. */
  object(field: string[], value: unknown, maxKeys = 100): void {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > maxKeys) {
      this.fail(field, `${field.at(-1)} must be a JSON object of at most ${maxKeys} keys.`);
    }
  }

  /** RFC 6902 operations: known op, a JSON Pointer path, a value or a from where the op needs one. */
  jsonPatch(field: string[], ops: ReadonlyArray<{ op: string; path: string; value?: unknown; from?: string | null }> | null | undefined): void {
    if (!ops) return;
    if (ops.length > 100) this.fail(field, 'At most 100 patch operations.');
    const pointer = /^(\/([^~/]|~[01])*)+$/;
    ops.forEach((op, i) => {
      const at = [...field, String(i)];
      if (!pointer.test(op.path)) this.fail([...at, 'path'], 'path must be a JSON Pointer such as /name.');
      if (['ADD', 'REPLACE', 'TEST'].includes(op.op) && op.value === undefined) this.fail([...at, 'value'], `${op.op} needs a value.`);
      if (['MOVE', 'COPY'].includes(op.op) && (!op.from || !pointer.test(op.from))) this.fail([...at, 'from'], `${op.op} needs a from JSON Pointer.`);
    });
  }

  /** A global id in an input: decoded, of this type, for a configured vendor that has it; its vendor id. */
  id(ctx: GraphContext, field: string[], id: string | null | undefined, kind: EntityKind, vendor?: VendorName): { vendor: VendorName; vendorId: string } | null {
    if (id === null || id === undefined) return null;
    try {
      const gid = route(ctx, id, kind);
      if (vendor && gid.vendor !== vendor) {
        this.fail(field, `${field.at(-1)} belongs to ${gid.vendor}, not ${vendor}.`);
        return null;
      }
      return { vendor: gid.vendor, vendorId: gid.vendorId };
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code ?? 'BAD_USER_INPUT') : 'BAD_USER_INPUT';
      this.fail(field, error instanceof Error ? error.message : 'Invalid id.', code);
      return null;
    }
  }
}

/** Codes of errors a user can fix, returned as `userErrors` instead of failing the field. */
const USER_CODES = new Set(['BAD_USER_INPUT', 'VENDOR_UNSUPPORTED', 'VENDOR_NOT_CONFIGURED', 'IDEMPOTENCY_KEY_REUSED']);

/** The userErrors for an error a user can fix, or null for everything else (rethrown). */
export function userErrorsOf(error: unknown): UserErrorModel[] | null {
  if (error instanceof InputErrors) return error.problems;
  if (error instanceof UpstreamError) {
    const status = error.status ?? 0;
    // The vendor refused the write as asked (its message, secrets removed, says why).
    if (status === 404) return [{ field: null, message: error.message, code: 'NOT_FOUND' }];
    if (status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408 && status !== 429) {
      return [{ field: null, message: error.message, code: 'UPSTREAM_BAD_REQUEST' }];
    }
    return null;
  }
  if (error instanceof GraphQLError) {
    const code = String(error.extensions.code ?? '');
    if (USER_CODES.has(code)) {
      const argument = error.extensions.argument;
      return [{ field: typeof argument === 'string' ? [argument] : null, message: error.message, code }];
    }
  }
  return null;
}

/**
 * Runs a mutation: its result with `userErrors: []`, or the user errors with every other
 * payload field null. Errors nobody can fix from the input (a vendor down) fail the field.
 */
export async function mutate<P extends object>(run: () => Promise<P>): Promise<P & { userErrors: UserErrorModel[] }> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (error) {
    const userErrors = userErrorsOf(error);
    if (!userErrors) throw error;
    return { userErrors } as P & { userErrors: UserErrorModel[] };
  }
}

/** A write under an idempotency key (scoped by vendor and operation). */
export function idempotent<T>(ctx: GraphContext, vendor: VendorName, operation: string, key: string | null | undefined, input: unknown, write: () => Promise<T>): Promise<T> {
  return ctx.idempotency.run(`${vendor}:${operation}`, key, input, write);
}
