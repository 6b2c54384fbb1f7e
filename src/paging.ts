/**
 * Relay connections over each vendor's own paging. A list is a sequence of vendor
 * segments (one vendor, or every configured vendor in a fixed order); the opaque cursor
 * records the segment and the offset inside it, so one cursor spans vendors.
 */
import { badUserInput } from './errors.js';
import type { VendorName } from './model.js';

export const MAX_PAGE = 500;
/** The largest offset a cursor may carry (a million rows into one vendor's list). */
export const MAX_OFFSET = 1_000_000;

export interface ConnectionModel<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

/** One page of one vendor's list. `total` is null where the vendor reports none. */
export interface PageResult<T> {
  items: T[];
  total: number | null;
  /** Whether the vendor has items after this page. */
  hasMore: boolean;
}

export interface Position {
  /** Index into the list of vendors of this query. */
  segment: number;
  offset: number;
}

export function encodeCursor(scope: string, position: Position): string {
  return Buffer.from(JSON.stringify({ s: scope, g: position.segment, o: position.offset })).toString('base64url');
}

/**
 * An edge whose cursor is encoded when read: most queries select `nodes`, not
 * `edges { cursor }`. A class, not an object literal with a getter: V8 makes those on its
 * slow path (see lazyFields in vendors/shared.ts).
 */
class Edge<T> {
  constructor(
    private readonly scope: string,
    readonly node: T,
    private readonly segment: number,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return encodeCursor(this.scope, { segment: this.segment, offset: this.offset });
  }
}

/** Decodes an `after` cursor; it must come from the same list (scope) it is used on. */
export function decodeCursor(scope: string, cursor: string | null | undefined): Position {
  if (cursor === null || cursor === undefined) return { segment: 0, offset: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; g?: unknown; o?: unknown };
    // An offset beyond what any vendor list can hold is a forged cursor, not a position.
    const offsetOk = Number.isInteger(parsed.o) && (parsed.o as number) >= 0 && (parsed.o as number) <= MAX_OFFSET;
    if (parsed.s === scope && Number.isInteger(parsed.g) && (parsed.g as number) >= 0 && (parsed.g as number) < 16 && offsetOk) {
      return { segment: parsed.g as number, offset: parsed.o as number };
    }
  } catch {
    // fall through
  }
  throw badUserInput('Invalid cursor: pass an endCursor or edge cursor returned by this same list.', { argument: 'after' });
}

export function checkFirst(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE}.`, { argument: 'first' });
  }
  return n;
}

export interface SegmentFetcher<T> {
  vendor: VendorName;
  fetch(offset: number, limit: number): Promise<PageResult<T>>;
  /** How long this segment's list was when last seen (listSize), if it is remembered. */
  size?: ListSize;
}

/** The remembered length of one vendor's list (for one credential set, list and filter). */
export interface ListSize {
  get(): number | undefined;
  set(length: number): void;
}

/** Lists remembered per owner (a vendor adapter: one credential set), at most this many each. */
const SIZES_KEPT = 1_000;
const sizes = new WeakMap<object, Map<string, number>>();

/**
 * The remembered length of `key`'s list for `owner` (one vendor adapter, so one credential
 * set and tenant): what connectionAcross last saw, which tells it whether the vendors before
 * a segment can fill a page without it.
 */
export function listSize(owner: object, key: string): ListSize {
  let known = sizes.get(owner);
  if (!known) sizes.set(owner, (known = new Map()));
  const map = known;
  return {
    get: () => map.get(key),
    set(length) {
      map.delete(key);
      map.set(key, length);
      if (map.size > SIZES_KEPT) map.delete(map.keys().next().value as string);
    },
  };
}

/**
 * Builds a connection page from vendor segments, walking from the cursor's position into
 * later segments until `first` items are found. Segments are taken in order, but asked at
 * once: a later vendor is asked together with the first unless the remembered lengths of
 * the vendors before it (`size`) already fill the page, so a page spanning three vendors
 * costs one round trip, not three. Never seen, a list is taken to be short: a vendor asked
 * in vain costs one call, once, and its length is remembered from then on. When the page
 * is complete, the remaining vendors are still asked for their totals (limit 0 where the
 * vendor allows it) only if totalCount is requested; segment failures are reported through
 * `onError` and skipped, so one vendor down leaves the others' data.
 */
export async function connectionAcross<T>(options: {
  scope: string;
  segments: SegmentFetcher<T>[];
  first: number;
  after?: string | null;
  onError?: (vendor: VendorName, error: unknown) => void;
  wantTotal?: boolean;
}): Promise<ConnectionModel<T>> {
  const { scope, segments, first, onError } = options;
  const start = decodeCursor(scope, options.after);
  if (start.segment > segments.length) throw badUserInput('Invalid cursor: it points past the end of this list.', { argument: 'after' });
  const edges: Array<{ cursor: string; node: T }> = [];
  const totals: Array<number | null> = segments.map(() => null);
  type Outcome = { page: PageResult<T> } | { error: unknown };
  const attempt = (i: number, offset: number, limit: number): Promise<Outcome> => {
    const fetcher = segments[i] as SegmentFetcher<T>;
    return fetcher.fetch(offset, limit).then(
      (page) => {
        // The list's length, when this answer tells it.
        if (page.total !== null) fetcher.size?.set(page.total);
        else if (!page.hasMore) fetcher.size?.set(offset + page.items.length);
        return { page };
      },
      (error: unknown) => ({ error }),
    );
  };
  // Later vendors asked at once (from their start: a cursor is inside one segment only):
  // all of them when totalCount is wanted (each is called anyway), else those the ones
  // before them are not known to fill the page for.
  const early = new Map<number, { limit: number; outcome: Promise<Outcome> }>();
  let before = 0;
  for (let i = start.segment; i < segments.length; i++) {
    if (i > start.segment && (options.wantTotal || before < first)) {
      const limit = options.wantTotal ? Math.max(first, 1) : first - before;
      early.set(i, { limit, outcome: attempt(i, 0, limit) });
    }
    before += Math.max(0, (segments[i]?.size?.get() ?? 0) - (i === start.segment ? start.offset : 0));
  }
  let hasNextPage = false;
  let segment = start.segment;
  let offset = start.offset;
  const failures: unknown[] = [];
  const failed = new Set<number>();
  let answered = 0;
  while (segment < segments.length) {
    const fetcher = segments[segment] as SegmentFetcher<T>;
    const want = first - edges.length;
    const asked = early.get(segment);
    early.delete(segment);
    // Asked for too few (the vendors before it held fewer than remembered): asked again.
    const outcome = await (asked && asked.limit >= want ? asked.outcome : attempt(segment, offset, Math.max(want, 1)));
    if ('error' in outcome) {
      failures.push(outcome.error);
      failed.add(segment);
      onError?.(fetcher.vendor, outcome.error);
      segment++;
      offset = 0;
      continue;
    }
    answered++;
    const page = outcome.page;
    totals[segment] = page.total;
    const taken = page.items.slice(0, want);
    taken.forEach((node, i) => edges.push(new Edge(scope, node, segment, offset + i + 1)));
    if (edges.length >= first) {
      // Later vendors may still have items; an empty one costs the client one empty page.
      hasNextPage = page.hasMore || page.items.length > taken.length || segment < segments.length - 1;
      break;
    }
    segment++;
    offset = 0;
  }
  // Every vendor asked failed: that is an error (null with errors), not an empty list.
  if (answered === 0 && failures.length > 0) throw failures[0];
  // Vendors asked at once but not needed for the page: their totals, when wanted; a failure
  // of one only matters then (the page did not need its items).
  for (const [i, asked] of options.wantTotal ? early : []) {
    const outcome = await asked.outcome;
    if ('error' in outcome) {
      failed.add(i);
      onError?.((segments[i] as SegmentFetcher<T>).vendor, outcome.error);
    } else totals[i] = outcome.page.total;
  }
  let totalCount: number | null = null;
  if (options.wantTotal) {
    for (let i = 0; i < segments.length; i++) {
      if (totals[i] !== null || failed.has(i)) continue;
      try {
        totals[i] = (await (segments[i] as SegmentFetcher<T>).fetch(0, 1)).total;
      } catch (error) {
        onError?.((segments[i] as SegmentFetcher<T>).vendor, error);
      }
    }
    totalCount = totals.every((t) => t !== null) ? totals.reduce<number>((a, b) => a + (b as number), 0) : null;
  }
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: start.segment > 0 || start.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? options.after ?? null,
    },
    totalCount,
  };
}

/** A connection over an in-memory list (relations already loaded through a loader). */
export function connectionFromArray<T>(scope: string, items: T[], first: number, after?: string | null): ConnectionModel<T> {
  const start = decodeCursor(scope, after);
  return new ArrayConnection(scope, start.offset, items.slice(start.offset, start.offset + first), items.length, after ?? null);
}

/**
 * A page of an in-memory list. A dashboard reads `nodes` of many such connections (one per
 * customer): edges and cursors are made only when selected.
 */
class ArrayConnection<T> implements ConnectionModel<T> {
  readonly pageInfo: ConnectionModel<T>['pageInfo'];

  constructor(
    private readonly scope: string,
    private readonly offset: number,
    readonly nodes: T[],
    readonly totalCount: number,
    after: string | null,
  ) {
    this.pageInfo = new ArrayPageInfo(this, offset + nodes.length < totalCount, offset > 0, after);
  }

  get edges(): Array<Edge<T>> {
    return this.nodes.map((node, i) => new Edge(this.scope, node, 0, this.position(i)));
  }

  /** The cursor after the i-th node of the page. */
  cursorAt(i: number): string {
    return encodeCursor(this.scope, { segment: 0, offset: this.position(i) });
  }

  /** The list position a cursor after the i-th node of the page names. */
  private position(i: number): number {
    return this.offset + i + 1;
  }
}

class ArrayPageInfo<T> {
  constructor(
    private readonly page: ArrayConnection<T>,
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    /** The cursor the page was asked with: an empty page past the end hands it back. */
    private readonly after: string | null,
  ) {}

  get startCursor(): string | null {
    return this.page.nodes.length ? this.page.cursorAt(0) : null;
  }

  get endCursor(): string | null {
    return this.page.nodes.length ? this.page.cursorAt(this.page.nodes.length - 1) : this.after;
  }
}

/** A page of an in-memory list, for vendors without server-side paging (Cloudmore). */
export function pageOfArray<T>(items: T[], offset: number, limit: number): PageResult<T> {
  return { items: items.slice(offset, offset + limit), total: items.length, hasMore: offset + limit < items.length };
}

/**
 * The vendor pages (1-based index, fixed size) that cover [offset, offset + limit).
 * Uses pageSize = limit when the offset is aligned (one call), else the smallest page size
 * that keeps the range within two pages.
 */
export function pagesCovering(offset: number, limit: number, maxPageSize: number): { pageSize: number; pages: number[] } {
  const size = Math.min(Math.max(limit, 1), maxPageSize);
  if (offset % size === 0) {
    const first = offset / size + 1;
    const count = Math.ceil(limit / size);
    return { pageSize: size, pages: Array.from({ length: count }, (_, i) => first + i) };
  }
  const firstPage = Math.floor(offset / size) + 1;
  const lastPage = Math.floor((offset + limit - 1) / size) + 1;
  return { pageSize: size, pages: Array.from({ length: lastPage - firstPage + 1 }, (_, i) => firstPage + i) };
}
