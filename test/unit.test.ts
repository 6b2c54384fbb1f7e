/** Pure mechanisms: global ids, cursors and paging, token caching, scrubbing. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/ids.js';
import { connectionAcross, decodeCursor, listSize, pagesCovering, type SegmentFetcher } from '../src/paging.js';
import { TokenCache } from '../src/http/token.js';
import { VendorHttp, parseRetryAfter } from '../src/http/client.js';
import { deepFreeze, derivedOnce, lazyFields, modelOnce, money, scrubRaw, withChanges, withLazy } from '../src/vendors/shared.js';
import { toSubscription as leaderCloudSubscription } from '../src/vendors/leadercloud/mappers.js';
import { createContext } from '../src/context.js';
import { buildAdapters } from '../src/vendors/registry.js';
import { DateTime } from '../src/resolvers/scalars.js';
import { DateTimeISOResolver } from 'graphql-scalars';

describe('global ids', () => {
  it('round-trips and routes by vendor and type', () => {
    const id = toGlobalId('INGRAM', 'Customer', '1000001');
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromGlobalId(id)).toEqual({ vendor: 'INGRAM', kind: 'Customer', vendorId: '1000001' });
    expect(fromGlobalId(toGlobalId('CLOUDMORE', 'Product', 'a/b:c'))).toMatchObject({ vendorId: 'a/b:c' });
  });

  it('rejects malformed, foreign and wrong-type ids with BAD_USER_INPUT', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as { extensions?: { code?: string } }).extensions?.code;
      }
      return 'no error';
    };
    expect(code(() => fromGlobalId(''))).toBe('BAD_USER_INPUT');
    expect(code(() => fromGlobalId('not an id!'))).toBe('BAD_USER_INPUT');
    expect(code(() => fromGlobalId(Buffer.from('cg1:ACME:Customer:1').toString('base64url')))).toBe('BAD_USER_INPUT');
    expect(code(() => fromGlobalId(Buffer.from('cg1:INGRAM:Widget:1').toString('base64url')))).toBe('BAD_USER_INPUT');
    expect(code(() => fromGlobalId(toGlobalId('INGRAM', 'Order', '1'), 'Customer'))).toBe('BAD_USER_INPUT');
  });
});

describe('paging', () => {
  const segment = (vendor: 'LEADERCLOUD' | 'INGRAM', n: number, calls: string[]): SegmentFetcher<string> => ({
    vendor,
    async fetch(offset, limit) {
      calls.push(`${vendor}:${offset}:${limit}`);
      const all = Array.from({ length: n }, (_, i) => `${vendor}-${i}`);
      return { items: all.slice(offset, offset + limit), total: n, hasMore: offset + limit < n };
    },
  });

  it('walks across vendor segments with one cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const calls: string[] = [];
      const page: Awaited<ReturnType<typeof connectionAcross<string>>> = await connectionAcross({ scope: 's', segments: [segment('LEADERCLOUD', 5, calls), segment('INGRAM', 4, calls)], first: 3, after });
      seen.push(...page.nodes);
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual([...Array.from({ length: 5 }, (_, i) => `LEADERCLOUD-${i}`), ...Array.from({ length: 4 }, (_, i) => `INGRAM-${i}`)]);
  });

  it('reports totals across vendors and keeps the others when one fails', async () => {
    const calls: string[] = [];
    const failures: string[] = [];
    const broken: SegmentFetcher<string> = { vendor: 'LEADERCLOUD', fetch: async () => Promise.reject(new Error('down')) };
    const page = await connectionAcross({ scope: 's', segments: [broken, segment('INGRAM', 4, calls)], first: 10, wantTotal: true, onError: (v) => failures.push(v) });
    expect(page.nodes).toHaveLength(4);
    expect(failures).toContain('LEADERCLOUD');
    expect(page.totalCount).toBeNull();
  });

  it('rejects cursors from another list', () => {
    expect(() => decodeCursor('a', Buffer.from(JSON.stringify({ s: 'b', g: 0, o: 1 })).toString('base64url'))).toThrow(/cursor/);
  });

  it('covers an offset range with at most two vendor pages', () => {
    expect(pagesCovering(0, 20, 500)).toEqual({ pageSize: 20, pages: [1] });
    expect(pagesCovering(40, 20, 500)).toEqual({ pageSize: 20, pages: [3] });
    expect(pagesCovering(30, 20, 500)).toEqual({ pageSize: 20, pages: [2, 3] });
    expect(pagesCovering(0, 1200, 500).pages).toEqual([1, 2, 3]);
  });
});

describe('token cache', () => {
  it('fetches once under concurrency, reuses until near expiry, and refetches after invalidation', async () => {
    let now = 0;
    let fetched = 0;
    const cache = new TokenCache(
      async () => {
        fetched++;
        await new Promise((r) => setTimeout(r, 5));
        return { token: `t${fetched}`, expiresInSeconds: 1500 };
      },
      { now: () => now },
    );
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(fetched).toBe(1);
    now = 1_450_000; // within the last minute of the 1500 s lifetime
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t1'); // stale: ignored
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t2');
    expect(await cache.get()).toBe('t3');
  });

  it('backs off after a failed token request: concurrent and later callers share the error until the back-off ends', async () => {
    let now = 0;
    let attempts = 0;
    let fail = true;
    const cache = new TokenCache(
      async () => {
        attempts++;
        if (fail) throw Object.assign(new Error('invalid_grant'), { status: 400 });
        return { token: 'ok', expiresInSeconds: 3600 };
      },
      { now: () => now },
    );
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => cache.get()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(attempts).toBe(1);
    await expect(cache.get()).rejects.toThrow('invalid_grant');
    expect(attempts).toBe(1);
    expect(cache.backingOffUntil).toBe(1000);
    now = 1000; // first back-off over: one more attempt, which fails again and doubles the wait
    await expect(cache.get()).rejects.toThrow('invalid_grant');
    expect(attempts).toBe(2);
    expect(cache.backingOffUntil).toBe(3000);
    now = 2999;
    await expect(cache.get()).rejects.toThrow('invalid_grant');
    expect(attempts).toBe(2);
    fail = false;
    now = 3000;
    expect(await cache.get()).toBe('ok');
    expect(cache.backingOffUntil).toBeNull();
    expect(cache.requests).toBe(3);
  });

  it.each([503, 429])('does not cache a token request answered %i: the next caller tries again', async (status) => {
    let attempts = 0;
    const cache = new TokenCache(async () => {
      attempts++;
      throw Object.assign(new Error('unavailable'), { status });
    });
    await expect(cache.get()).rejects.toThrow('unavailable');
    await expect(cache.get()).rejects.toThrow('unavailable');
    expect(attempts).toBe(2);
    expect(cache.backingOffUntil).toBeNull();
  });
});

describe('secret redaction', () => {
  it('removes every encoding the client sends a secret in, before truncating', () => {
    const secret = 'p@ss word/+=&"x';
    const basic = Buffer.from(`client-id:${secret}`).toString('base64');
    const http = new VendorHttp({ vendor: 'LEADERCLOUD', baseUrl: 'http://127.0.0.1:1', secrets: [secret, basic] });
    const echoed = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ password: secret }).toString(),
      JSON.stringify({ password: secret }),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      `Authorization: Basic ${basic}`,
    ];
    for (const text of echoed) {
      const out = http.redact(`vendor said: ${text} (end)`);
      expect(out, text).toContain('[redacted]');
      expect(out).not.toContain(secret);
      expect(out).not.toContain(encodeURIComponent(secret));
      expect(out).not.toContain(basic);
    }
    // A secret just past the 300-character cut is removed, not half kept.
    expect(http.redact(`${'x'.repeat(295)}${secret}`)).not.toContain(secret.slice(0, 5));
  });
});

describe('vendor answers read from their bytes', () => {
  // A real HTTP server: got reads bytes, VendorHttp parses them (a body got parsed stayed reachable from its response).
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      if (req.url === '/ok') return send(200, JSON.stringify({ data: [{ id: 1, name: 'Zoë' }] }));
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/garbage') return send(200, '<html>not json</html>');
      if (req.url === '/throttled') return send(403, JSON.stringify({ isRetriableError: true, developerMessage: 'slow down' }));
      if (req.url === '/down') return send(503, JSON.stringify({ developerMessage: 'down' }));
      return send(400, JSON.stringify({ developerMessage: 'no such filter' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = () =>
    new VendorHttp({
      vendor: 'LEADERCLOUD',
      baseUrl,
      readRetries: 0,
      errorMessage: (body) => (body as { developerMessage?: string } | null)?.developerMessage,
      isRateLimited: (status, body) => status === 403 && (body as { isRetriableError?: boolean } | null)?.isRetriableError === true,
    });
  const failure = (promise: Promise<unknown>) => promise.then(() => ({ code: 'no error', message: '' }), (e: { upstreamCode: string; message: string }) => ({ code: e.upstreamCode, message: e.message }));

  it('parses JSON, gives an empty answer as empty, and refuses a body that is not JSON', async () => {
    const http = client();
    expect(await http.get('ok')).toEqual({ data: [{ id: 1, name: 'Zoë' }] });
    expect(await http.request('GET', 'empty')).toMatchObject({ status: 204, body: '' });
    expect(await failure(http.get('garbage'))).toEqual({ code: 'UPSTREAM_ERROR', message: expect.stringContaining('not JSON') });
  });

  it('reads error bodies: the vendor message, and a throttling answer told by its body', async () => {
    const http = client();
    expect(await failure(http.get('bad'))).toEqual({ code: 'UPSTREAM_BAD_REQUEST', message: expect.stringContaining('no such filter') });
    expect(await failure(http.get('throttled'))).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
  });
  it('starts a login before any call when no token is held: once however often asked, not while a refused one backs off, not with the circuit open', async () => {
    let logins = 0;
    let refuse = false;
    const token = new TokenCache(async () => {
      logins++;
      if (refuse) throw Object.assign(new Error('refused'), { status: 400 });
      return { token: `token-${logins}`, expiresInSeconds: 3600 };
    });
    const http = new VendorHttp({ vendor: 'LEADERCLOUD', baseUrl, readRetries: 0, token, circuit: { volume: 2 } });
    expect([http.prefetchToken(), http.prefetchToken()]).toEqual([true, true]); // one login under way
    await vi.waitFor(() => expect(token.peek()).toBe('token-1'));
    expect(http.prefetchToken()).toBe(false); // held: nothing
    expect(logins).toBe(1);
    token.invalidate('token-1');
    refuse = true;
    http.prefetchToken();
    await vi.waitFor(() => expect(token.backingOffUntil).not.toBeNull());
    expect(http.prefetchToken()).toBe(false); // backing off: nothing
    expect(logins).toBe(2);

    let opened = 0;
    const second = new TokenCache(async () => ({ token: `other-${++opened}`, expiresInSeconds: 3600 }));
    const down = new VendorHttp({ vendor: 'LEADERCLOUD', baseUrl, readRetries: 0, token: second, circuit: { volume: 2 } });
    for (let i = 0; i < 2; i++) expect(await failure(down.get('down'))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(down.circuit).toBe('OPEN');
    second.invalidate('other-1');
    expect(down.prefetchToken()).toBe(false); // no call would be sent: no login either
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened).toBe(1);
  });
});

describe('request context', () => {
  it('opens one session per vendor and makes each memo once for a request, and drops them on release', () => {
    // No call is made: a session only makes its loaders.
    const adapters = buildAdapters({ leadercloud: { baseUrl: 'http://127.0.0.1:1', clientId: 'id', clientSecret: 'secret', username: 'user', password: 'password', timeoutMs: 1000, shortcuts: 'auto' } });
    const context = createContext(adapters);
    const session = context.session('LEADERCLOUD');
    expect(context.session('LEADERCLOUD')).toBe(session);
    const key = Symbol('a list');
    const list = context.memo(key, () => ['made once']);
    expect(context.memo(key, () => ['made twice'])).toBe(list);
    context.release();
    expect(context.session('LEADERCLOUD')).not.toBe(session);
    expect(context.memo(key, () => ['made after release'])).toEqual(['made after release']);
  });
});

describe('DateTime serialization', () => {
  const library = DateTimeISOResolver.toConfig().serialize!;
  const outcome = (serialize: (value: unknown) => unknown, value: unknown) => {
    try {
      return serialize(value);
    } catch (error) {
      return `error: ${(error as Error).message}`;
    }
  };

  it('answers as graphql-scalars does, canonical strings as they are', () => {
    const cases = [
      '2026-11-01T09:30:00.000Z', '2024-02-29T23:59:59.999Z', '2026-02-29T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-04-31T00:00:00.000Z',
      '2026-12-31T23:59:60.000Z', '2026-13-01T00:00:00.000Z', '2000-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '0000-01-01T00:00:00.000Z',
      '2026-11-01T09:30:00+02:00', '2026-11-01T09:30:00Z', '2026-11-01t09:30:00.000z', 'yesterday', '', new Date(Date.UTC(2026, 0, 31)), 0,
    ];
    for (const value of cases) expect(outcome(DateTime.serialize, value), String(value)).toEqual(outcome(library, value));
    expect(DateTime.serialize('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(outcome(DateTime.serialize, '2026-02-29T00:00:00.000Z')).toMatch(/^error: DateTime cannot represent an invalid date-time-string/);
  });

  it('answers as graphql-scalars does on every day of four years and random canonical-looking strings', () => {
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000 + 1_234) {
      const text = new Date(t).toISOString();
      expect(DateTime.serialize(text)).toBe(text);
    }
    const two = (n: number) => String(n).padStart(2, '0');
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    for (let i = 0; i < 5_000; i++) {
      const text = `${String(random(10_000)).padStart(4, '0')}-${two(random(14))}-${two(random(33))}T${two(random(25))}:${two(random(61))}:${two(random(61))}.${String(random(1_000)).padStart(3, '0')}Z`;
      expect(outcome(DateTime.serialize, text), text).toEqual(outcome(library, text));
    }
  });
});

describe('small helpers', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThanOrEqual(4);
  });

  it('keeps money as decimal strings and scrubs secrets from raw payloads', () => {
    expect(money(12.5, 'AUD')).toEqual({ amount: '12.50', currency: 'AUD' });
    expect(money('0.10', 'EUR')).toEqual({ amount: '0.10', currency: 'EUR' });
    expect(money(null, 'EUR')).toBeNull();
    expect(scrubRaw({ a: 1, contacts: [{ login: 'x', password: 'p' }], accessToken: 't' })).toEqual({ a: 1, contacts: [{ login: 'x' }] });
  });
});

describe('lazy model fields', () => {
  interface Model {
    id: string;
    lacks?: string[];
    createdAt: string | null;
    raw: unknown;
  }
  const reads: string[] = [];
  const LAZY = lazyFields<{ id: number; created: string; password?: string }, Pick<Model, 'createdAt' | 'raw'>>({
    createdAt: (row) => (reads.push('createdAt'), new Date(row.created).toISOString()),
    raw: (row) => scrubRaw(row),
  });
  const model = (row: { id: number; created: string; password?: string }): Model => withLazy(LAZY, row, { id: String(row.id), lacks: ['x'] });

  it('computes a field from the row when read, and not before; raw without secrets', () => {
    reads.length = 0;
    const m = model({ id: 1, created: '2026-01-02T03:04:05Z', password: 'hunter2' });
    expect(reads).toEqual([]);
    expect(m.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(m.raw).toEqual({ id: 1, created: '2026-01-02T03:04:05Z' });
    expect(reads).toEqual(['createdAt']);
  });

  it('keeps its lazy fields in a changed copy (a spread would drop them), with a field dropped on request', () => {
    const m = model({ id: 2, created: '2026-02-03T00:00:00Z' });
    expect({ ...m }.createdAt).toBeUndefined();
    const changed = withChanges(m, { id: 'two' }, 'lacks');
    expect(changed).not.toBe(m);
    expect(changed.id).toBe('two');
    expect('lacks' in changed).toBe(false);
    expect(m.lacks).toEqual(['x']);
    expect(changed.createdAt).toBe('2026-02-03T00:00:00.000Z');
  });

  it('maps a vendor row as before: a Leader Cloud subscription with its dates normalised and raw scrubbed', () => {
    const row = { id: 7, name: 'Seats', status: 'Active', quantity: 3, account: { id: 11, name: 'Acme' }, product: { id: 'p', code: 'SKU', name: 'Seat' }, subscriptionAmount: 12.5, currency: 'AUD', startDate: '2026-01-01T00:00:00Z', endDate: '2027-01-01', apiKey: 'k' };
    const s = leaderCloudSubscription(row);
    expect(s).toMatchObject({ vendorId: '7', quantity: 3, customerVendorId: '11', sku: 'SKU', price: { amount: '12.50', currency: 'AUD' } });
    expect([s.startDate, s.endDate, s.renewalDate]).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(s.raw).toMatchObject({ id: 7, name: 'Seats' });
    expect(s.raw).not.toHaveProperty('apiKey');
  });
});

describe('what is made of shared bodies', () => {
  it('makes a model of a shared (frozen) row once, unfrozen, and of any other row each time', () => {
    let made = 0;
    const make = (r: { id: number }) => ({ id: String(r.id), made: ++made });
    const shared = deepFreeze({ id: 1 });
    const a = modelOnce(shared, 'm', make);
    expect(modelOnce(shared, 'm', make)).toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
    expect(modelOnce(shared, 'other', make)).not.toBe(a);
    const own = { id: 2 };
    expect(modelOnce(own, 'm', make)).not.toBe(modelOnce(own, 'm', make));
    // derivedOnce freezes what it shares.
    expect(Object.isFrozen(derivedOnce(shared, 'list', (r) => [r]))).toBe(true);
    expect(made).toBe(4);
  });
});

describe('connections across vendors', () => {
  const seg = (vendor: 'LEADERCLOUD' | 'CLOUDMORE' | 'INGRAM', items: number[] | Error, calls: string[], delayMs = 20): SegmentFetcher<number> => ({
    vendor,
    async fetch(offset, limit) {
      calls.push(`${vendor}:${offset}:${limit}`);
      await new Promise((r) => setTimeout(r, delayMs));
      if (items instanceof Error) throw items;
      return { items: items.slice(offset, offset + limit), total: items.length, hasMore: offset + limit < items.length };
    },
  });

  it('asks every vendor at once when totalCount is wanted, and one after another when not', async () => {
    const calls: string[] = [];
    const segments = [seg('LEADERCLOUD', [1, 2], calls), seg('CLOUDMORE', [3, 4], calls), seg('INGRAM', [5, 6], calls)];
    const page = await connectionAcross({ scope: 's', segments, first: 5, wantTotal: true });
    expect(page.nodes).toEqual([1, 2, 3, 4, 5]);
    expect(page.totalCount).toBe(6);
    // The later vendors were asked before the first one answered.
    expect(calls).toEqual(['CLOUDMORE:0:5', 'INGRAM:0:5', 'LEADERCLOUD:0:5']);
  });

  it('asks later vendors at once unless the remembered lengths before them fill the page', async () => {
    const calls: string[] = [];
    const owner = {};
    const sized = (vendor: 'LEADERCLOUD' | 'CLOUDMORE' | 'INGRAM', items: number[]) => ({ ...seg(vendor, items, calls), size: listSize(owner, vendor) });
    const segments = [sized('LEADERCLOUD', [1, 2]), sized('CLOUDMORE', [3, 4]), sized('INGRAM', [5, 6])];
    // Never seen: every vendor at once, for as many as the page could take from it.
    const first = await connectionAcross({ scope: 's', segments, first: 3 });
    expect(first.nodes).toEqual([1, 2, 3]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(calls).toEqual(['CLOUDMORE:0:3', 'INGRAM:0:3', 'LEADERCLOUD:0:3']);
    // Seen: Leader Cloud's 2 and Cloudmore's 2 fill a page of 3, so Ingram is not asked.
    calls.length = 0;
    const again = await connectionAcross({ scope: 's', segments, first: 3 });
    expect(again.nodes).toEqual([1, 2, 3]);
    expect(calls).toEqual(['CLOUDMORE:0:1', 'LEADERCLOUD:0:3']);
    // The next page starts inside Cloudmore (1 left): Ingram is asked with it, for 2.
    calls.length = 0;
    const next = await connectionAcross({ scope: 's', segments, first: 3, after: again.pageInfo.endCursor });
    expect(next.nodes).toEqual([4, 5, 6]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    expect(calls).toEqual(['INGRAM:0:2', 'CLOUDMORE:1:3']);
    // A list grown past what was remembered: the later vendor asked for too few is asked again.
    calls.length = 0;
    const grown = [sized('LEADERCLOUD', [1]), segments[1]!, segments[2]!];
    const page = await connectionAcross({ scope: 's', segments: grown, first: 3 });
    expect(page.nodes).toEqual([1, 3, 4]);
    expect(calls).toEqual(['CLOUDMORE:0:1', 'LEADERCLOUD:0:3', 'CLOUDMORE:0:2']);
  });

  it('does not report a vendor asked at once whose items the page did not need', async () => {
    const calls: string[] = [];
    const errors: string[] = [];
    const page = await connectionAcross({ scope: 's', segments: [seg('LEADERCLOUD', [1, 2, 3], calls), seg('INGRAM', new Error('down'), calls)], first: 2, onError: (v) => errors.push(v) });
    expect(page.nodes).toEqual([1, 2]);
    expect(errors).toEqual([]);
  });

  it('reports each failing vendor once, and fails the list when every vendor failed', async () => {
    const calls: string[] = [];
    const errors: string[] = [];
    const down = new Error('down');
    const segments = [seg('LEADERCLOUD', down, calls), seg('CLOUDMORE', [3], calls), seg('INGRAM', down, calls)];
    const page = await connectionAcross({ scope: 's', segments, first: 5, wantTotal: true, onError: (v) => errors.push(v) });
    expect(page.nodes).toEqual([3]);
    expect(page.totalCount).toBeNull();
    expect(errors.sort()).toEqual(['INGRAM', 'LEADERCLOUD']);
    const all = [seg('LEADERCLOUD', down, calls), seg('INGRAM', down, calls)];
    await expect(connectionAcross({ scope: 's', segments: all, first: 5, onError: () => undefined })).rejects.toThrow('down');
  });
});
