/**
 * JWT bearer tokens verified against a JWKS (served here on 127.0.0.1, as an identity
 * provider would): issuer, audience, expiry and signature are checked, scopes come from
 * the scope claim.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../helpers/graph.js';

const ISSUER = 'https://idp.example/';
const AUDIENCE = 'channelgraph';

describe('JWT bearer tokens', () => {
  let idp: FastifyInstance;
  let graph: Graph;
  let signing: CryptoKey;
  let stranger: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signing = pair.privateKey;
    stranger = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    idp = Fastify();
    idp.get('/jwks.json', async () => ({ keys: [jwk] }));
    await idp.listen({ port: 0, host: '127.0.0.1' });
    const address = idp.server.address();
    const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
    graph = await startGraph({ vendors: ['leadercloud'], seed: 3, size: 8, auth: { mode: 'keys', keys: [], jwt: { jwksUrl, issuer: ISSUER, audience: AUDIENCE } } });
  });
  afterAll(async () => {
    await graph?.close();
    await idp?.close();
  });

  const token = (claims: Record<string, unknown>, key = signing, options: { issuer?: string; audience?: string; expires?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(key);
  const LIST = '{ customers(first: 1) { nodes { name } } }';
  const MUTATION = 'mutation { cancelSubscription(id: "x") { userErrors { code } } }';
  const as = async (jwt: string, query: string) => graph.query(query, {}, { authorization: `Bearer ${jwt}` });

  it('accepts a valid token with its scopes, and refuses what they do not cover', async () => {
    const reader = await token({ scope: 'read' });
    expect((await as(reader, LIST)).errors).toBeUndefined();
    expect((await as(reader, MUTATION)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const writer = await token({ scope: 'read write' });
    expect((await as(writer, MUTATION)).data.cancelSubscription.userErrors[0].code).toBe('BAD_USER_INPUT');
  });

  it('refuses a wrong signature, issuer, audience or an expired token with 401, calling no vendor', async () => {
    graph.resetCalls();
    const bad = [
      await token({ scope: 'read' }, stranger),
      await token({ scope: 'read' }, signing, { issuer: 'https://other.example/' }),
      await token({ scope: 'read' }, signing, { audience: 'someone-else' }),
      await token({ scope: 'read' }, signing, { expires: '-1m' }),
    ];
    for (const jwt of bad) expect((await as(jwt, LIST)).status).toBe(401);
    expect(graph.calls().total).toBe(0);
  });
});
