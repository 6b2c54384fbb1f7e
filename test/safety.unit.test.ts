/** Generic-request path checks and the idempotency store. */
import { describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import { checkVendorPath, checkVendorQuery } from '../src/http/path.js';
import { IdempotencyStore, fingerprint } from '../src/idempotency.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as GraphQLError).extensions?.code as string;
  }
  return undefined;
};

const HOSTILE_PATHS: string[] = [
  'https://evil.example/api/accounts',
  'http:/evil.example',
  '//evil.example/api',
  'javascript:alert(1)',
  '../oauth/token',
  'api/../../etc/passwd',
  'api/%2e%2e/oauth/token',
  'api/%2E%2E/%2E%2E/x',
  'api/%252e%252e/oauth/token',
  'api/%25252e%25252e/x',
  'api\\..\\oauth\\token',
  'api%5c..%5cx',
  'api/accounts\r\nX-Injected: 1',
  'api/accounts%0d%0aX-Injected:%201',
  'api/accounts%00',
  'api/accounts?$filter=x',
  'api/accounts%3fpageSize=5',
  'api/accounts#frag',
  'oauth/token',
  '/OAuth/Token',
  '__sim/reset',
  '/__SIM',
  '%5f%5fsim/faults',
  'api/./accounts',
  '',
  'api/%zz',
  'x'.repeat(2001),
];

describe('checkVendorPath', () => {
  it.each(HOSTILE_PATHS.map((p) => [JSON.stringify(p).slice(0, 60), p]))('refuses %s', (_label, path) => {
    expect(code(() => checkVendorPath(path, ['oauth/token', 'token', 'connect/token']))).toBe('BAD_USER_INPUT');
  });

  it('accepts ordinary relative paths and strips the leading slash', () => {
    expect(checkVendorPath('/api/accounts/12/customfields')).toBe('api/accounts/12/customfields');
    expect(checkVendorPath('customers/1000001')).toBe('customers/1000001');
    expect(checkVendorPath('api/resellers/6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01/Organizations')).toBe('api/resellers/6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01/Organizations');
    expect(checkVendorPath('api/products/a%20b')).toBe('api/products/a%20b');
    expect(checkVendorPath('api/tokens', ['token'])).toBe('api/tokens');
  });

  it('checks query objects', () => {
    expect(checkVendorQuery({ pageSize: 5, $filter: "name eq 'x'", ok: true, ids: [1, 2] })).toEqual({ pageSize: '5', $filter: "name eq 'x'", ok: 'true', ids: ['1', '2'] });
    expect(checkVendorQuery(null)).toEqual({});
    expect(code(() => checkVendorQuery([1]))).toBe('BAD_USER_INPUT');
    expect(code(() => checkVendorQuery({ a: { b: 1 } }))).toBe('BAD_USER_INPUT');
    expect(code(() => checkVendorQuery({ a: 'x\r\ny' }))).toBe('BAD_USER_INPUT');
  });
});

describe('IdempotencyStore', () => {
  it('runs a write once per key and input, refuses the key with another input, forgets after the TTL', async () => {
    let clock = 0;
    const store = new IdempotencyStore(1000, () => clock);
    let writes = 0;
    const write = async () => ({ n: ++writes });
    const [a, b] = await Promise.all([store.run('s', 'key-00000001', { x: 1, y: 2 }, write), store.run('s', 'key-00000001', { y: 2, x: 1 }, write)]);
    expect(a).toEqual({ n: 1 });
    expect(b).toBe(a);
    expect(writes).toBe(1);
    await expect(store.run('s', 'key-00000001', { x: 2 }, write)).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await store.run('other-scope', 'key-00000001', { x: 2 }, write)).toEqual({ n: 2 });
    expect(await store.run('s', undefined, {}, write)).toEqual({ n: 3 });
    clock = 1001;
    expect(await store.run('s', 'key-00000001', { x: 2 }, write)).toEqual({ n: 4 });
    await expect(store.run('s', 'short', {}, write)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('keeps a failed outcome: a retry with the same key does not write again', async () => {
    const store = new IdempotencyStore();
    let writes = 0;
    const write = async () => {
      writes++;
      throw new Error('timed out');
    };
    await expect(store.run('s', 'key-00000002', {}, write)).rejects.toThrow('timed out');
    await expect(store.run('s', 'key-00000002', {}, write)).rejects.toThrow('timed out');
    expect(writes).toBe(1);
  });

  it('fingerprints ignore key order and undefined values', () => {
    expect(fingerprint({ a: 1, b: [1, { c: 2, d: undefined }] })).toBe(fingerprint({ b: [1, { c: 2 }], a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});
