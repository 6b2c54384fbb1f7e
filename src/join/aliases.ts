/**
 * The SKU/MPN alias table (SKU_ALIASES_FILE): a JSON object of alias → canonical product
 * key, so the same product matches across vendors and the host's own SKUs, e.g.
 *   {"CFQ7TTC0LH18": "M365-BUSINESS-BASIC", "MS-M365-BB-ANNUAL": "M365-BUSINESS-BASIC"}
 * Aliases match case-insensitively, trimmed; a SKU with no alias is its own key. Read again
 * when the file changes.
 */
import { z } from 'zod';
import { WatchedJsonFile } from './files.js';

const Table = z.record(z.string().min(1).max(200), z.string().min(1).max(200));

const norm = (sku: string) => sku.trim().toLowerCase();

function index(table: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(table).map(([alias, key]) => [norm(alias), key.trim()]));
}

export class SkuAliases {
  private readonly file: WatchedJsonFile<Map<string, string>> | null;
  private readonly fixed: Map<string, string>;

  constructor(source?: string | Record<string, string>) {
    this.file = typeof source === 'string' ? new WatchedJsonFile(source, (json) => index(Table.parse(json)), new Map()) : null;
    this.fixed = typeof source === 'object' ? index(Table.parse(source)) : new Map();
  }

  /** Why the file cannot be used (null when it can, or when there is no file). */
  get problem(): string | null {
    if (!this.file) return null;
    this.file.current();
    return this.file.error;
  }

  /** The canonical key of a SKU (the alias table's, else the SKU itself). */
  key(sku: string): string {
    const table = this.file ? this.file.current() : this.fixed;
    return table.get(norm(sku)) ?? sku.trim();
  }

  /** How keys compare: case-insensitively. */
  static same(a: string, b: string): boolean {
    return norm(a) === norm(b);
  }

  static norm = norm;
}
