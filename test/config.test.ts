import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const full = {
  LEADERCLOUD_CLIENT_ID: 'id',
  LEADERCLOUD_CLIENT_SECRET: 'lc-secret-value',
  LEADERCLOUD_USERNAME: 'user',
  LEADERCLOUD_PASSWORD: 'lc-password-value',
};

describe('configuration', () => {
  it('has defaults and no vendors when nothing is set', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({ port: 4000, host: '127.0.0.1', simulators: 'auto', authMode: 'keys', simulatorProfile: 'documented' });
    expect(config.server.introspection).toBeUndefined(); // on unless NODE_ENV=production
    expect(config.vendors).toEqual({});
  });

  it('reads tenants and their vendor credentials from TENANTS_FILE, naming any bad entry', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-tenants-'));
    const file = path.join(dir, 'tenants.json');
    const lc = { clientId: 'id', clientSecret: 'lc-secret-value', username: 'u', password: 'lc-password-value' };
    writeFileSync(file, JSON.stringify({ tenants: { acme: { vendors: { leadercloud: lc } }, globex: { vendors: { leadercloud: { ...lc, baseUrl: 'http://127.0.0.1:9' } } } } }));
    const config = loadConfig({ TENANTS_FILE: file });
    expect(Object.keys(config.tenants)).toEqual(['acme', 'globex']);
    expect(config.tenants.globex!.leadercloud!.baseUrl).toBe('http://127.0.0.1:9');
    writeFileSync(file, JSON.stringify({ tenants: { acme: { vendors: { leadercloud: { ...lc, baseUrl: 'not a url' } } } } }));
    expect(() => loadConfig({ TENANTS_FILE: file })).toThrow(/tenant acme, leadercloud.baseUrl/);
    expect(() => loadConfig({ TENANTS_FILE: file })).not.toThrow(/lc-secret-value/);
    writeFileSync(file, JSON.stringify({ tenants: { acme: { vendors: { leadercloud: lc } } } }));
    expect(() => loadConfig({ TENANTS_FILE: file, AUTH_MODE: 'off' })).toThrow(/multi-tenant mode needs AUTH_MODE=keys/);
  });

  it('reads API keys as hashes with scopes, and refuses AUTH_MODE=off off loopback', () => {
    const hash = 'a'.repeat(64);
    expect(loadConfig({ API_KEYS: `dash:read:${hash}` }).server.apiKeys).toBe(`dash:read:${hash}`);
    expect(() => loadConfig({ API_KEYS: 'dash:read:not-a-hash' })).toThrow(/API_KEYS entry 1/);
    expect(() => loadConfig({ API_KEYS: `dash:root:${hash}` })).toThrow(/unknown scope "root"/);
    expect(() => loadConfig({ AUTH_MODE: 'off', HOST: '0.0.0.0' })).toThrow(/AUTH_MODE: off is only allowed/);
    expect(loadConfig({ AUTH_MODE: 'off', HOST: '127.0.0.1' }).server.authMode).toBe('off');
    expect(() => loadConfig({ ROUTER_SECRET: 'short' })).toThrow(/ROUTER_SECRET: is invalid/);
  });

  it('configures a vendor whose credentials are all set, with vendor defaults', () => {
    const config = loadConfig(full);
    expect(config.vendors.leadercloud).toMatchObject({ baseUrl: 'https://bss.leadercloud.com.au', clientId: 'id', timeoutMs: 30000 });
    expect(config.vendors.cloudmore).toBeUndefined();
  });

  it('names every missing or bad key and never prints a secret value', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        LEADERCLOUD_CLIENT_SECRET: 'lc-secret-value',
        CLOUDMORE_CLIENT_SECRET: 'cm-secret-value',
        CLOUDMORE_USERNAME: 'u',
        CLOUDMORE_PASSWORD: 'cm-password-value',
        CLOUDMORE_RESELLER_ID: 'not-a-guid',
        INGRAM_TIMEOUT_MS: '5',
      });
    expect(attempt).toThrow(ConfigError);
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT');
    expect(message).toContain('LEADERCLOUD_CLIENT_ID: is required');
    expect(message).toContain('LEADERCLOUD_PASSWORD: is required');
    expect(message).toContain('CLOUDMORE_RESELLER_ID');
    expect(message).not.toMatch(/lc-secret-value|cm-secret-value|cm-password-value/);
    // Ingram has no credentials at all: it is simply not configured, its timeout is not checked.
    expect(message).not.toContain('INGRAM');
  });

  it('reads an optional JSON config file, with the environment taking precedence', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-config-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { port: 5000 }, vendors: { ingram: { username: 'u', password: 'p', subscriptionKey: 'k', marketplace: 'eu' } } }));
    const config = loadConfig({ CHANNELGRAPH_CONFIG: file, INGRAM_MARKETPLACE: 'uk' });
    expect(config.server.port).toBe(5000);
    expect(config.vendors.ingram).toMatchObject({ marketplace: 'uk', baseUrl: 'https://api.cloud.im/marketplace/na' });
    expect(() => loadConfig({ CHANNELGRAPH_CONFIG: path.join(dir, 'missing.json') })).toThrow(/CHANNELGRAPH_CONFIG/);
  });
});
