/** Paging helpers shared by the simulators (each vendor wraps the slice in its own envelope). */

/** Items [offset, offset + limit) of a list. */
export function slice<T>(items: readonly T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

/**
 * Parses a non-negative integer query parameter. Returns `fallback` when absent, and
 * `undefined` when present but not a whole number within [min, max] (the caller answers
 * with its vendor's 400).
 */
export function intParam(value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** Newest first by an ISO date field, then by id for a stable order. */
export function newestFirst<T>(items: T[], date: (item: T) => string | Date, id: (item: T) => string): T[] {
  return items.sort((a, b) => {
    const d = new Date(date(b)).getTime() - new Date(date(a)).getTime();
    return d !== 0 ? d : id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
  });
}
