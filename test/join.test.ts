/** Unit tests of the join building blocks: names, matching, monthly cost, the watched files, the AST rename. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, print } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { SkuAliases } from '../src/join/aliases.js';
import { monthlyCost, monthsOfPeriod, monthsOfUnitName, sumByCurrency } from '../src/join/cost.js';
import { MappingStore } from '../src/join/mapping.js';
import { domainOf, match, normalizeName, profile } from '../src/join/match.js';
import { planRenames, renameDocument, renameResolvers, servedNames } from '../src/join/namespace.js';
import { JoinConfigError } from '../src/join/schema.js';
import { buildSchema } from '../src/schema.js';
import type { SubscriptionModel } from '../src/model.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cg-join-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sub = (over: Partial<SubscriptionModel>): SubscriptionModel => ({ kind: 'Subscription', vendor: 'LEADERCLOUD', vendorId: '1', status: 'ACTIVE', raw: {}, ...over });

describe('matching', () => {
  it('normalises names: case, accents, punctuation, legal forms', () => {
    expect(normalizeName('Café Müller & Söhne GmbH')).toBe('cafe muller sohne');
    expect(normalizeName('Cafe Muller and Sohne')).toBe(normalizeName('Café Müller & Söhne GmbH'));
    expect(normalizeName('Boab Realty Pty. Ltd.')).toBe(normalizeName('BOAB REALTY'));
    expect(normalizeName(null)).toBe('');
  });

  it('reduces e-mails and hosts to registrable domains, never free-mail', () => {
    expect(domainOf('ann@mail.acme.com.au')).toBe('acme.com.au');
    expect(domainOf('www.acme.co.uk')).toBe('acme.co.uk');
    expect(domainOf('someone@gmail.com')).toBeNull();
    expect(domainOf('not a domain')).toBeNull();
  });

  it('scores reasons together, stronger reasons first', () => {
    const customer = profile({ name: 'Kestrel IT Services Pty Ltd', externalId: 'MSP-1', emails: ['a@kestrel.com.au'] });
    expect(match(customer, profile({ name: 'kestrel it services', domains: ['kestrel.com.au'] }))).toMatchObject({ reasons: ['EMAIL_DOMAIN', 'NAME'], score: 0.88 });
    expect(match(customer, profile({ externalId: ' msp-1 ' }))).toMatchObject({ reasons: ['EXTERNAL_ID'], score: 0.9 });
    expect(match(customer, profile({ name: 'Kestrel Services' }))!.reasons).toEqual(['SIMILAR_NAME']);
    expect(match(customer, profile({ name: 'Granite Logistics', domains: ['gmail.com'] }))).toBeNull();
  });
});

describe('monthly cost', () => {
  it('reads billing periods', () => {
    expect([monthsOfUnitName('Annual'), monthsOfUnitName('Month'), monthsOfUnitName('3 Years'), monthsOfUnitName('Licence')]).toEqual([12, 1, 36, null]);
    expect([monthsOfPeriod({ type: 'year', duration: 1 }), monthsOfPeriod({ type: 'month', duration: 3 }), monthsOfPeriod({ type: 'day', duration: 30 })]).toEqual([12, 3, null]);
  });

  it('normalises each vendor price to one month and sums per currency in decimals', () => {
    const costs = [
      monthlyCost(sub({ price: { amount: '1800.00', currency: 'USD' }, raw: { unit: { name: 'Annual' } } })), // 150
      monthlyCost(sub({ vendor: 'INGRAM', price: { amount: '100.00', currency: 'USD' }, raw: { billingPeriod: { type: 'month', duration: 3 } } })), // 33.333…
      monthlyCost(sub({ vendor: 'CLOUDMORE', price: { amount: '4.10', currency: 'EUR' }, quantity: 3 })), // 12.30
      monthlyCost(sub({ vendor: 'INGRAM', price: { amount: '0.10', currency: 'USD' }, raw: { billingPeriod: { type: 'year', duration: 1 } } })), // 0.008333…
    ];
    expect(sumByCurrency(costs.map((c) => c!))).toEqual([{ currency: 'EUR', amount: '12.30' }, { currency: 'USD', amount: '183.34' }]);
    expect(monthlyCost(sub({ price: { amount: '10', currency: 'USD' }, raw: { unit: { name: 'Licence' } } }))).toBeNull();
    expect(monthlyCost(sub({ price: null }))).toBeNull();
  });
});

describe('files', () => {
  it('SKU aliases: case-insensitive, read again when the file changes', () => {
    const file = path.join(dir, 'aliases.json');
    writeFileSync(file, JSON.stringify({ 'CFQ7TTC0LH18:0001': 'M365-BB' }));
    const aliases = new SkuAliases(file);
    expect(aliases.key('cfq7ttc0lh18:0001')).toBe('M365-BB');
    expect(aliases.key(' OTHER ')).toBe('OTHER');
    writeFileSync(file, JSON.stringify({ 'CFQ7TTC0LH18:0001': 'MICROSOFT-365-BASIC', OTHER: 'X' }));
    expect(aliases.key('CFQ7TTC0LH18:0001')).toBe('MICROSOFT-365-BASIC');
    writeFileSync(file, '[1, 2');
    expect(aliases.key('OTHER')).toBe('X'); // the last good table
    expect(aliases.problem).toContain('aliases.json');
  });

  it('mapping: one organisation per customer, tenants apart, created when absent, atomic writes', () => {
    const file = path.join(dir, 'sub', 'map.json');
    const store = new MappingStore(file);
    expect(store.map('org-1', 'CLOUDMORE', 'AB-CD')).toMatchObject({ ok: true, created: true });
    expect(store.map('org-1', 'CLOUDMORE', 'ab-cd')).toMatchObject({ ok: true, created: false });
    expect(store.map('org-2', 'CLOUDMORE', 'ab-cd')).toMatchObject({ ok: false, code: 'ALREADY_MAPPED' });
    expect(store.map('org-2', 'CLOUDMORE', 'ab-cd', 'tenant-b')).toMatchObject({ ok: true });
    expect(store.list().map((m) => m.organizationId)).toEqual(['org-1']);
    expect(store.list('tenant-b').map((m) => m.organizationId)).toEqual(['org-2']);
    // Another process (or a person) sees and changes the same file.
    const other = new MappingStore(file);
    expect(other.organizationOf('CLOUDMORE', 'AB-CD')).toBe('org-1');
    expect(other.unmap('org-1', 'CLOUDMORE', 'AB-CD')?.organizationId).toBe('org-1');
    expect(store.list()).toEqual([]);
  });
});

describe('namespacing', () => {
  const doc = parse(`
    interface Node { id: ID! }
    type Customer implements Node @key(fields: "id") { id: ID! status: CustomerStatus! when: DateTime org: Organization }
    enum CustomerStatus { ACTIVE }
    input CustomerFilter { status: CustomerStatus }
    scalar DateTime
    type Organization @key(fields: "id") { id: ID! customers: [Customer!]! }
    type Query { customers(filter: CustomerFilter): [Customer!]! node(id: ID!): Node }
    extend type Query { products: [String] }
    type Mutation { createCustomer: Customer }
  `);
  const renames = planRenames(doc, { typePrefix: 'Channel', rootFieldPrefix: 'channel', keep: new Set(['Organization']) });

  it('renames owned types and root fields in the AST, not scalars, roots or kept types', () => {
    const out = print(renameDocument(doc, renames));
    expect(out).toContain('type ChannelCustomer implements ChannelNode @key(fields: "id")');
    expect(out).toContain('status: ChannelCustomerStatus!');
    expect(out).toContain('when: DateTime');
    expect(out).toContain('org: Organization');
    expect(out).toContain('customers: [ChannelCustomer!]!'); // a field of a kept type: not a root field
    expect(out).toContain('channelCustomers(filter: ChannelCustomerFilter): [ChannelCustomer!]!');
    expect(out).toContain('channelProducts: [String]');
    expect(out).toContain('channelCreateCustomer: ChannelCustomer');
    const names = servedNames(renames);
    expect([names.originalType('ChannelCustomer'), names.originalType('Organization'), names.originalRootField('Mutation', 'channelCreateCustomer')]).toEqual(['Customer', 'Organization', 'createCustomer']);
  });

  it('renames resolver keys and makes __resolveType answer served names', async () => {
    const map = renameResolvers({ Query: { customers: () => [] }, Node: { __resolveType: () => 'Customer' }, Customer: { status: () => 'ACTIVE' }, Organization: {} }, renames);
    expect(Object.keys(map).sort()).toEqual(['ChannelCustomer', 'ChannelNode', 'Organization', 'Query']);
    expect(Object.keys(map.Query as object)).toEqual(['channelCustomers']);
    expect(await (map.ChannelNode as { __resolveType: () => Promise<string> }).__resolveType()).toBe('ChannelCustomer');
  });

  it('refuses a host type that is also a channelgraph type unless prefixed', () => {
    expect(() => buildSchema({ hostType: 'Customer' })).toThrow(JoinConfigError);
    expect(() => buildSchema({ hostType: 'Customer', typePrefix: 'Channel' })).not.toThrow();
    expect(() => buildSchema({ hostKey: 'bad key' })).toThrow(/HOST_ORGANIZATION_KEY/);
  });
});
