/**
 * The organisation mapping: which vendor customers belong to which host organisation. Held
 * in a JSON file (MAPPING_FILE, created when absent, read again when it changes) or, with no
 * file configured, in memory. A vendor customer belongs to at most one organisation; an
 * organisation has any number of customers, at any vendors. In multi-tenant mode every
 * record carries its tenant and each tenant sees only its own.
 *
 * The file, editable by hand:
 *   {"version": 1, "mappings": [{"organizationId": "org-1", "vendor": "LEADERCLOUD", "vendorId": "1042", "createdAt": "..."}]}
 */
import { z } from 'zod';
import { VENDORS } from '../ids.js';
import type { VendorName } from '../model.js';
import { WatchedJsonFile } from './files.js';
import type { MappingModel } from './model.js';

const Record_ = z.object({
  organizationId: z.string().min(1).max(200),
  vendor: z.enum(VENDORS as [VendorName, ...VendorName[]]),
  vendorId: z.string().min(1).max(200),
  createdAt: z.string().default(() => new Date(0).toISOString()),
  tenant: z.string().optional(),
});
const File_ = z.object({ version: z.literal(1).default(1), mappings: z.array(Record_).default([]) });

export type MapResult = { ok: true; mapping: MappingModel; created: boolean } | { ok: false; code: string; message: string };

const sameCustomer = (m: MappingModel, vendor: VendorName, vendorId: string, tenant: string | undefined) =>
  m.vendor === vendor && m.vendorId.toLowerCase() === vendorId.toLowerCase() && m.tenant === tenant;

export class MappingStore {
  private memory: MappingModel[] = [];
  private readonly file: WatchedJsonFile<MappingModel[]> | null;

  constructor(file?: string) {
    this.file = file
      ? new WatchedJsonFile(file, (json) => File_.parse(json).mappings as MappingModel[], [], { create: () => ({ version: 1, mappings: [] }) })
      : null;
  }

  private all(): MappingModel[] {
    return this.file ? this.file.current() : this.memory;
  }

  private save(next: MappingModel[]): void {
    if (this.file) this.file.write({ version: 1, mappings: next });
    else this.memory = next;
  }

  /** A file that changed into something unusable: writes are refused until it is fixed. */
  get problem(): string | null {
    if (!this.file) return null;
    this.file.current();
    return this.file.error;
  }

  list(tenant?: string): MappingModel[] {
    return this.all().filter((m) => m.tenant === tenant);
  }

  customersOf(organizationId: string, tenant?: string): MappingModel[] {
    return this.list(tenant).filter((m) => m.organizationId === organizationId);
  }

  organizationOf(vendor: VendorName, vendorId: string, tenant?: string): string | null {
    return this.all().find((m) => sameCustomer(m, vendor, vendorId, tenant))?.organizationId ?? null;
  }

  map(organizationId: string, vendor: VendorName, vendorId: string, tenant?: string): MapResult {
    if (this.problem) return { ok: false, code: 'MAPPING_FILE_INVALID', message: `The mapping file cannot be used (${this.problem}); fix it before changing the mapping.` };
    const all = this.all();
    const existing = all.find((m) => sameCustomer(m, vendor, vendorId, tenant));
    if (existing && existing.organizationId === organizationId) return { ok: true, mapping: existing, created: false };
    if (existing) {
      return { ok: false, code: 'ALREADY_MAPPED', message: `This customer is mapped to organisation "${existing.organizationId}": unmap it there first.` };
    }
    const mapping: MappingModel = { organizationId, vendor, vendorId, createdAt: new Date().toISOString(), ...(tenant ? { tenant } : {}) };
    this.save([...all, mapping]);
    return { ok: true, mapping, created: true };
  }

  /** The removed mapping, or null when there was none. */
  unmap(organizationId: string, vendor: VendorName, vendorId: string, tenant?: string): MappingModel | null {
    const all = this.all();
    const found = all.find((m) => sameCustomer(m, vendor, vendorId, tenant) && m.organizationId === organizationId);
    if (!found) return null;
    this.save(all.filter((m) => m !== found));
    return found;
  }
}
