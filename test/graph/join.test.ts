/**
 * Joining the host graph, over HTTP against the simulators: the organisation mapping (file,
 * mutations, reload), the host organisation entity through `_entities` (customers,
 * subscriptions, licence summary, reconciliation), batching of N organisations, unmapped
 * customers with suggestions, the same company at other distributors. The prefixed and
 * renamed-host configuration: served names, `__resolveType`, scopes and cost weights under
 * the served names.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/auth.js';
import { startGraph, type Graph } from '../helpers/graph.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary result shapes
type Data = any;

const MAP = `mutation Map($org: ID!, $id: ID!) { mapCustomer(organizationId: $org, customerId: $id) { mapping { organizationId customerId vendor vendorId customer { name } } userErrors { field message code } } }`;
const UNMAP = `mutation Unmap($org: ID!, $id: ID!) { unmapCustomer(organizationId: $org, customerId: $id) { mapping { organizationId vendor } userErrors { field message code } } }`;
const ENTITIES = `query($reps: [_Any!]!, $billed: [BilledQuantityInput!]!) { _entities(representations: $reps) { ... on Organization {
  id
  vendorCustomers { id vendor name }
  vendorSubscriptions(status: ACTIVE) { totalCount nodes { vendor sku quantity } }
  licenseSummary { key name skus vendors quantity subscriptionCount monthlyCost { amount currency } unpricedSubscriptions }
  reconciliation(billed: $billed) { key skus vendorQuantity billedQuantity difference direction }
} } }`;

/** A subscription's monthly cost as the README says it is normalised, in cents. */
function monthlyCents(s: Data): number | null {
  const amount = Math.round(Number(s.price.amount) * 100);
  if (s.vendor === 'CLOUDMORE') return amount * s.quantity;
  if (s.vendor === 'LEADERCLOUD') return s.raw.unit.name === 'Annual' ? amount / 12 : s.raw.unit.name === 'Month' ? amount : null;
  const p = s.raw.billingPeriod;
  return p.type === 'year' ? amount / (12 * p.duration) : p.type === 'month' ? amount / p.duration : null;
}

describe('join: mapping, organisations, licences', () => {
  let graph: Graph;
  let dir: string;
  let mappingFile: string;
  let aliasesFile: string;
  const boab: Data[] = [];
  const meridian: Data[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cg-join-'));
    mappingFile = path.join(dir, 'nested', 'mappings.json');
    aliasesFile = path.join(dir, 'aliases.json');
    writeFileSync(aliasesFile, '{}');
    graph = await startGraph({ join: { mappingFile, skuAliasesFile: aliasesFile } });
    const res = await graph.query(`{
      boab: customers(first: 10, filter: { name: "Boab Marketing Partners" }) { nodes { id vendor name } }
      meridian: customers(first: 10, filter: { name: "Meridian Pharmacy" }) { nodes { id vendor name } }
    }`);
    expect(res.errors).toBeUndefined();
    boab.push(...res.data.boab.nodes);
    meridian.push(...res.data.meridian.nodes);
    expect(boab.map((c) => c.vendor).sort()).toEqual(['CLOUDMORE', 'INGRAM', 'LEADERCLOUD']);
    expect(meridian.map((c) => c.vendor).sort()).toEqual(['CLOUDMORE', 'INGRAM', 'LEADERCLOUD']);
  });
  afterAll(async () => {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the mapping file when absent', () => {
    expect(JSON.parse(readFileSync(mappingFile, 'utf8'))).toEqual({ version: 1, mappings: [] });
  });

  it('maps vendor customers to organisations with mapCustomer, refusing what it cannot do as userErrors', async () => {
    for (const c of boab) {
      const res = await graph.query(MAP, { org: 'org-boab', id: c.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.mapCustomer).toMatchObject({ mapping: { organizationId: 'org-boab', customerId: c.id, vendor: c.vendor, customer: { name: c.name } }, userErrors: [] });
    }
    for (const c of meridian) expect((await graph.query(MAP, { org: 'org-meridian', id: c.id })).data.mapCustomer.userErrors).toEqual([]);
    // Again: a no-op.
    expect((await graph.query(MAP, { org: 'org-boab', id: boab[0].id })).data.mapCustomer.userErrors).toEqual([]);
    // To another organisation: refused.
    const taken = await graph.query(MAP, { org: 'org-other', id: boab[0].id });
    expect(taken.data.mapCustomer).toMatchObject({ mapping: null, userErrors: [{ field: ['customerId'], code: 'ALREADY_MAPPED' }] });
    expect(taken.data.mapCustomer.userErrors[0].message).toContain('org-boab');
    // A malformed id costs no upstream call; an unknown customer is NOT_FOUND.
    graph.resetCalls();
    const bad = await graph.query(MAP, { org: 'org-boab', id: 'nope' });
    expect(bad.data.mapCustomer.userErrors).toEqual([expect.objectContaining({ field: ['customerId'], code: 'BAD_USER_INPUT' })]);
    const blank = await graph.query(MAP, { org: ' ', id: boab[0].id });
    expect(blank.data.mapCustomer.userErrors).toEqual([expect.objectContaining({ field: ['organizationId'], code: 'BAD_USER_INPUT' })]);
    expect(graph.calls().total).toBe(0);
    const unknown = await graph.query(MAP, { org: 'org-boab', id: Buffer.from('cg1:LEADERCLOUD:Customer:999999').toString('base64url') });
    expect(unknown.data.mapCustomer.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);

    const file = JSON.parse(readFileSync(mappingFile, 'utf8'));
    expect(file.mappings).toHaveLength(6);
    expect(file.mappings[0]).toMatchObject({ organizationId: 'org-boab', vendor: boab[0].vendor });
    const all = await graph.query('{ customerMappings { organizationId customerId organization { id } customer { name } } }');
    expect(all.data.customerMappings.map((m: Data) => [m.organizationId, m.organization.id, m.customer.name])).toEqual([...boab.map((c) => ['org-boab', 'org-boab', c.name]), ...meridian.map((c) => ['org-meridian', 'org-meridian', c.name])]);
    const own = await graph.query('query($id: ID!) { customer(id: $id) { organizationId } }', { id: meridian[1].id });
    expect(own.data.customer.organizationId).toBe('org-meridian');
  });

  it('resolves the host organisation entity: its customers, subscriptions, licence summary (SKU aliases) and reconciliation', async () => {
    // Two Acronis products, at two vendors, as one product of the host's (read again when the file changes).
    writeFileSync(aliasesFile, JSON.stringify({ 'ACR-CPC-M365-M': 'ACRONIS', 'acr-cpc-srv-m': 'ACRONIS', 'HOST-ACRONIS': 'ACRONIS' }));
    const subs = await graph.query(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { subscriptions { nodes { vendor sku quantity status price { amount currency } raw } } } } }`, { ids: boab.map((c) => c.id) });
    const active = subs.data.nodes.flatMap((n: Data) => n.subscriptions.nodes).filter((s: Data) => s.status === 'ACTIVE' || s.status === 'PENDING_CANCELLATION');
    expect(active.length).toBeGreaterThan(3);
    const acronis = active.filter((s: Data) => s.sku.startsWith('ACR-CPC-'));
    expect(new Set(acronis.map((s: Data) => s.vendor)).size).toBe(2);
    const other = active.find((s: Data) => !s.sku.startsWith('ACR-CPC-'));

    const billed = [
      { sku: 'HOST-ACRONIS', quantity: 1 }, // far fewer than the vendors have: UNDER_BILLED
      { sku: other.sku.toLowerCase(), quantity: other.quantity }, // case-insensitive: MATCHED
      { sku: 'HOST-ONLY', quantity: 3 }, // no vendor seats: OVER_BILLED
    ];
    const res = await graph.query(ENTITIES, { reps: [{ __typename: 'Organization', id: 'org-boab' }, { __typename: 'Organization', id: 'org-nobody' }], billed });
    expect(res.errors).toBeUndefined();
    const [org, nobody] = res.data._entities;
    expect(org.id).toBe('org-boab');
    expect(org.vendorCustomers.map((c: Data) => c.id)).toEqual(boab.map((c) => c.id));
    expect(org.vendorSubscriptions.totalCount).toBe(active.filter((s: Data) => s.status === 'ACTIVE').length);

    const line = org.licenseSummary.find((l: Data) => l.key === 'ACRONIS');
    expect(line).toMatchObject({ skus: [...new Set(acronis.map((s: Data) => s.sku))].sort(), vendors: ['LEADERCLOUD', 'INGRAM'], quantity: acronis.reduce((n: number, s: Data) => n + s.quantity, 0), subscriptionCount: acronis.length });
    // Every line's monthly cost: the subscriptions' prices normalised to a month, summed per currency.
    for (const l of org.licenseSummary) {
      const mine = active.filter((s: Data) => l.skus.includes(s.sku));
      const cents = new Map<string, number>();
      for (const s of mine) cents.set(s.price.currency, (cents.get(s.price.currency) ?? 0) + monthlyCents(s)!);
      expect(l.monthlyCost).toEqual([...cents.entries()].sort().map(([currency, c]) => ({ currency, amount: (Math.round(c) / 100).toFixed(2) })));
      expect(l.unpricedSubscriptions).toBe(0);
    }
    expect(org.licenseSummary.reduce((n: number, l: Data) => n + l.quantity, 0)).toBe(active.reduce((n: number, s: Data) => n + s.quantity, 0));

    const byKey = Object.fromEntries(org.reconciliation.map((l: Data) => [l.key, l]));
    expect(byKey.ACRONIS).toMatchObject({ vendorQuantity: line.quantity, billedQuantity: 1, difference: line.quantity - 1, direction: 'UNDER_BILLED' });
    expect(byKey.ACRONIS.skus).toContain('HOST-ACRONIS');
    expect(byKey[other.sku]).toMatchObject({ billedQuantity: other.quantity, difference: 0, direction: 'MATCHED' });
    expect(byKey['HOST-ONLY']).toMatchObject({ vendorQuantity: 0, billedQuantity: 3, difference: -3, direction: 'OVER_BILLED' });
    // An organisation nobody mapped: no customers, what is billed is over-billed.
    expect(nobody).toMatchObject({ id: 'org-nobody', vendorCustomers: [], licenseSummary: [] });
    expect(nobody.reconciliation.every((l: Data) => l.direction === 'OVER_BILLED')).toBe(true);

    const bad = await graph.query(ENTITIES, { reps: [{ __typename: 'Organization', id: 'org-boab' }], billed: [{ sku: 'X', quantity: -1 }] });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('batches N organisations in one _entities call like one list of their customers (simulator counters)', async () => {
    const reps = [{ __typename: 'Organization', id: 'org-boab' }, { __typename: 'Organization', id: 'org-meridian' }];
    const selection = 'vendorCustomers { name } vendorSubscriptions { nodes { quantity } }';
    const headers = { 'cache-control': 'no-cache' };
    graph.resetCalls();
    const viaEntities = await graph.query(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { ${selection} } } }`, { reps }, headers);
    expect(viaEntities.errors).toBeUndefined();
    const entityCalls = graph.calls();
    graph.resetCalls();
    const ids = [...boab, ...meridian].map((c) => c.id);
    const viaNodes = await graph.query('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name subscriptions { nodes { quantity } } } } }', { ids }, headers);
    expect(viaNodes.errors).toBeUndefined();
    const nodeCalls = graph.calls();
    expect(entityCalls.total).toBeGreaterThan(0);
    for (const vendor of Object.keys(nodeCalls.byVendor)) expect(entityCalls.byVendor[vendor]!.byRoute, vendor).toEqual(nodeCalls.byVendor[vendor]!.byRoute);
    // And one organisation alone costs no fewer list calls at Leader Cloud than two: the batch is one call.
    graph.resetCalls();
    await graph.query(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { ${selection} } } }`, { reps: reps.slice(0, 1) }, headers);
    expect(graph.calls().byVendor.leadercloud!.total).toBe(entityCalls.byVendor.leadercloud!.total);
  });

  it('lists only the reconciliation exceptions across every mapped organisation', async () => {
    const res = await graph.query(`query($orgs: [OrganizationBilledInput!]!) { reconciliationExceptions(organizations: $orgs) { organizationId organization { id } line { key direction difference } } }`, {
      orgs: [{ organizationId: 'org-boab', billed: [{ sku: 'HOST-ONLY', quantity: 2 }] }],
    });
    expect(res.errors).toBeUndefined();
    const rows = res.data.reconciliationExceptions;
    expect(rows.every((r: Data) => r.line.direction !== 'MATCHED' && r.organization.id === r.organizationId)).toBe(true);
    // org-meridian was given nothing: every seat it has is under-billed.
    expect(rows.some((r: Data) => r.organizationId === 'org-meridian' && r.line.direction === 'UNDER_BILLED')).toBe(true);
    expect(rows.find((r: Data) => r.organizationId === 'org-boab' && r.line.key === 'HOST-ONLY').line).toMatchObject({ direction: 'OVER_BILLED', difference: -2 });
  });

  it('lists unmapped customers with suggested organisations, ranked', async () => {
    const res = await graph.query(`query($c: [OrganizationCandidateInput!]) { unmappedCustomers(first: 500, candidates: $c) { totalCount nodes { customer { id name vendor } suggestedOrganizations { organization { id } score reasons } } } }`, {
      c: [
        { id: 'org-kestrel', name: 'Kestrel IT Services', domain: 'kestrelitservices.com.au' },
        { id: 'org-kestrel-lookalike', name: 'Kestrel Services' },
        { id: 'org-gmail', name: 'Someone', domain: 'gmail.com' },
        { id: 'org-by-external-id', externalId: 'msp-00001' },
      ],
    });
    expect(res.errors).toBeUndefined();
    const all = await graph.query('{ customers(first: 500) { totalCount nodes { id } } }');
    const mapped = new Set([...boab, ...meridian].map((c) => c.id));
    const ids = res.data.unmappedCustomers.nodes.map((n: Data) => n.customer.id);
    expect(ids).toEqual(all.data.customers.nodes.map((n: Data) => n.id).filter((id: string) => !mapped.has(id)));
    expect(res.data.unmappedCustomers.totalCount).toBe(ids.length);
    const kestrel = res.data.unmappedCustomers.nodes.find((n: Data) => n.customer.name === 'Kestrel IT Services Pty Ltd');
    expect(kestrel.suggestedOrganizations.map((s: Data) => s.organization.id)).toEqual(['org-by-external-id', 'org-kestrel', 'org-kestrel-lookalike']);
    expect(kestrel.suggestedOrganizations[1].reasons).toEqual(['EMAIL_DOMAIN', 'NAME']);
    expect(kestrel.suggestedOrganizations[2].reasons).toEqual(['SIMILAR_NAME']);
    // A free-mail domain never matches anyone.
    expect(res.data.unmappedCustomers.nodes.some((n: Data) => n.suggestedOrganizations.some((s: Data) => s.organization.id === 'org-gmail'))).toBe(false);
  });

  it('finds the same company at other distributors', async () => {
    const lc = meridian.find((c) => c.vendor === 'LEADERCLOUD');
    const res = await graph.query('query($id: ID!) { customer(id: $id) { sameCompanyAt { customer { id vendor } score reasons } } }', { id: lc.id });
    expect(res.errors).toBeUndefined();
    const found = res.data.customer.sameCompanyAt;
    const others = meridian.filter((c) => c.vendor !== 'LEADERCLOUD');
    expect(found.slice(0, 2).map((m: Data) => m.customer.id).sort()).toEqual(others.map((c) => c.id).sort());
    for (const m of found.slice(0, 2)) expect(m.reasons).toEqual(expect.arrayContaining(['MAPPING', 'EXTERNAL_ID', 'NAME']));
    expect(found.every((m: Data) => m.customer.vendor !== 'LEADERCLOUD')).toBe(true);
  });

  it('reads the mapping file again when it changes, and keeps the last good mapping when it breaks', async () => {
    const file = JSON.parse(readFileSync(mappingFile, 'utf8'));
    file.mappings.push({ organizationId: 'org-by-hand', vendor: 'LEADERCLOUD', vendorId: '1000', createdAt: new Date().toISOString() });
    writeFileSync(mappingFile, JSON.stringify(file));
    const res = await graph.query('{ customerMappings { organizationId customer { name } } }');
    expect(res.data.customerMappings.at(-1)).toEqual({ organizationId: 'org-by-hand', customer: { name: 'Kestrel IT Services Pty Ltd' } });
    writeFileSync(mappingFile, '{ "version": 1, "mappings": [ {');
    const broken = await graph.query('{ customerMappings { organizationId } }');
    expect(broken.data.customerMappings).toHaveLength(7);
    const refused = await graph.query(UNMAP, { org: 'org-boab', id: boab[0].id });
    expect(refused.data.unmapCustomer.userErrors).toEqual([expect.objectContaining({ code: 'MAPPING_FILE_INVALID' })]);
    writeFileSync(mappingFile, JSON.stringify(file));
  });

  it('unmaps with unmapCustomer', async () => {
    const res = await graph.query(UNMAP, { org: 'org-boab', id: boab[0].id });
    expect(res.data.unmapCustomer).toEqual({ mapping: { organizationId: 'org-boab', vendor: boab[0].vendor }, userErrors: [] });
    const again = await graph.query(UNMAP, { org: 'org-boab', id: boab[0].id });
    expect(again.data.unmapCustomer.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    expect(JSON.parse(readFileSync(mappingFile, 'utf8')).mappings).toHaveLength(6);
  });
});

describe('join: prefixed names and a renamed host type', () => {
  let graph: Graph;
  const KEYS = { reader: 'reader-key-0123456789', writer: 'writer-key-0123456789' };
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    graph = await startGraph({
      vendors: ['leadercloud', 'ingram'],
      join: { hostType: 'Company', hostKey: 'companyId', typePrefix: 'Channel', rootFieldPrefix: 'channel' },
      limits: { cost: 400 },
      auth: {
        mode: 'keys',
        keys: [
          { name: 'reader', sha256: sha256(KEYS.reader), scopes: ['read'] },
          { name: 'writer', sha256: sha256(KEYS.writer), scopes: ['read', 'write'] },
        ],
      },
    });
  });
  afterAll(() => graph.close());

  it('serves every channelgraph type and root field under the prefix, and the host type under its own name and key', async () => {
    const res = await graph.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, as(KEYS.reader));
    const sdl = res.data!._service.sdl;
    for (const name of ['ChannelCustomer implements ChannelNode', 'ChannelProductConnection', 'input ChannelCustomerFilter', 'enum ChannelVendor', 'input ChannelBilledQuantityInput', 'type ChannelLicenseSummaryLine']) {
      expect(sdl).toContain(name);
    }
    expect(sdl).toMatch(/type Company\s+@key\(fields: "companyId"\)\s*\{[^}]*companyId: ID!/);
    expect(sdl).toMatch(/type ChannelMoney\s+@shareable/);
    expect(sdl).toContain('channelCustomers(');
    expect(sdl).toContain('channelMapCustomer(');
    expect(sdl).toMatch(/scalar DateTime/);
    expect(sdl).not.toMatch(/\btype Customer\b|\btype Organization\b/);
    const roots = await graph.query('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }', {}, as(KEYS.reader));
    for (const root of [roots.data.__schema.queryType, roots.data.__schema.mutationType]) {
      const fields: string[] = root.fields.map((f: Data) => f.name);
      expect(fields.length).toBeGreaterThan(10);
      expect(fields.filter((f) => !f.startsWith('channel') && !f.startsWith('_'))).toEqual([]);
    }
  });

  it('answers __typename and node lookups with the served names', async () => {
    const list = await graph.query('{ channelCustomers(vendor: LEADERCLOUD, first: 1) { nodes { id __typename } } }', {}, as(KEYS.reader));
    expect(list.errors).toBeUndefined();
    const id = list.data.channelCustomers.nodes[0].id;
    const res = await graph.query('query($id: ID!) { channelNode(id: $id) { __typename ... on ChannelCustomer { name } } }', { id }, as(KEYS.reader));
    expect(res.errors).toBeUndefined();
    expect(res.data.channelNode).toMatchObject({ __typename: 'ChannelCustomer', name: expect.any(String) });
    const entity = await graph.query('query($reps: [_Any!]!) { _entities(representations: $reps) { __typename ... on ChannelCustomer { name } ... on Company { companyId vendorCustomers { id } } } }', {
      reps: [{ __typename: 'ChannelCustomer', id }, { __typename: 'Company', companyId: 'c-1' }],
    }, as(KEYS.reader));
    expect(entity.errors).toBeUndefined();
    expect(entity.data._entities).toEqual([{ __typename: 'ChannelCustomer', name: res.data.channelNode.name }, { __typename: 'Company', companyId: 'c-1', vendorCustomers: [] }]);

    const mapped = await graph.query('mutation($id: ID!) { channelMapCustomer(organizationId: "c-1", customerId: $id) { mapping { organization { companyId } } userErrors { code } } }', { id }, as(KEYS.writer));
    expect(mapped.data.channelMapCustomer).toEqual({ mapping: { organization: { companyId: 'c-1' } }, userErrors: [] });
  });

  it('keeps scopes and cost weights on the prefixed root fields', async () => {
    graph.resetCalls();
    const write = await graph.query('mutation($id: ID!) { channelMapCustomer(organizationId: "c-2", customerId: $id) { userErrors { code } } }', { id: 'x' }, as(KEYS.reader));
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'write' });
    const admin = await graph.query('mutation { channelSendVendorRequest(input: { vendor: LEADERCLOUD, method: GET, path: "api/accounts" }) { userErrors { code } } }', {}, as(KEYS.writer));
    expect(admin.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'admin' });
    // vendorRequest weighs 500 (limits.ts): over this graph's LIMIT_COST of 400 under its served name too.
    const costly = await graph.query('{ channelVendorRequest(vendor: LEADERCLOUD, path: "api/accounts") { status } }', {}, as(KEYS.reader));
    expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
    expect(graph.calls().total).toBe(0);
  });
});
