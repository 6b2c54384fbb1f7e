/**
 * Global ids: base64url of `cg1:<VENDOR>:<Type>:<vendor id>`. Opaque to clients, stable,
 * and self-routing: the vendor and type come out of the id, so `node(id:)` and mutations
 * need no extra arguments. A malformed id is a BAD_USER_INPUT error before any upstream
 * call; each vendor also says what its own ids look like (int, GUID, digits).
 */
import { badUserInput } from './errors.js';
import type { EntityKind, VendorName } from './model.js';

const PREFIX = 'cg1';
export const VENDORS: readonly VendorName[] = ['LEADERCLOUD', 'CLOUDMORE', 'INGRAM'];
export const KINDS: readonly EntityKind[] = ['Customer', 'Reseller', 'Subscription', 'Order', 'Invoice', 'Product', 'ServicePlan', 'Report'];

/** The GraphQL type of a model kind (Subscription is ServiceSubscription in the schema). */
export function typeName(kind: EntityKind): Exclude<EntityKind, 'Subscription'> | 'ServiceSubscription' {
  return kind === 'Subscription' ? 'ServiceSubscription' : kind;
}

export interface GlobalId {
  vendor: VendorName;
  kind: EntityKind;
  vendorId: string;
}

export function toGlobalId(vendor: VendorName, kind: EntityKind, vendorId: string): string {
  return Buffer.from(`${PREFIX}:${vendor}:${kind}:${vendorId}`, 'utf8').toString('base64url');
}

/** Decodes a global id, or throws BAD_USER_INPUT. `expected` restricts the type. */
export function fromGlobalId(id: string, expected?: EntityKind | readonly EntityKind[]): GlobalId {
  const fail = (why: string) => badUserInput(`Invalid id "${truncate(id)}": ${why}.`, { argument: 'id' });
  if (typeof id !== 'string' || id.length === 0 || id.length > 512 || !/^[A-Za-z0-9_-]+$/.test(id)) {
    throw fail('not a channelgraph id');
  }
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const [prefix, vendor, kind, ...rest] = decoded.split(':');
  const vendorId = rest.join(':');
  if (prefix !== PREFIX || !vendor || !kind || !vendorId) throw fail('not a channelgraph id');
  if (!VENDORS.includes(vendor as VendorName)) throw fail(`unknown vendor "${truncate(vendor)}"`);
  if (!KINDS.includes(kind as EntityKind)) throw fail(`unknown type "${truncate(kind)}"`);
  const allowed = expected === undefined ? undefined : Array.isArray(expected) ? expected : [expected];
  if (allowed && !allowed.includes(kind as EntityKind)) throw fail(`it is a ${kind} id, expected ${allowed.join(' or ')}`);
  return { vendor: vendor as VendorName, kind: kind as EntityKind, vendorId };
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
