/**
 * Who may call the graph. API keys are configured as SHA-256 hashes (never in clear) with
 * scopes: `read` (queries), `write` (mutations), `admin` (the generic write request,
 * `vendors { baseUrl }`, `_service` when introspection is off). A key comes as
 * `Authorization: Bearer <key>` or `X-Api-Key: <key>`. No key or an unknown key is HTTP
 * 401 before any execution; a missing scope is a FORBIDDEN error, also before execution,
 * so neither costs an upstream call. `/healthz` stays open.
 *
 * A router in front of the subgraph may be given a shared secret (`X-Router-Secret`): it
 * alone may ask for inline federation traces (ftv1) and always may read `_service`.
 *
 * JWT bearer tokens (optional) are verified against a JWKS with `jose`: issuer, audience,
 * scopes from a claim, and the tenant from a claim in multi-tenant mode.
 *
 * `mode: 'off'` switches keys off (local development, tests, the demo on a loopback
 * address): every other limit still applies.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { namesOf } from './join/namespace.js';
import { fragmentsOf, rootFieldsOf } from './operation.js';

export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

export interface ApiKey {
  name: string;
  /** Hex SHA-256 of the key. */
  sha256: string;
  scopes: Scope[];
  /** Multi-tenant mode: the tenant whose vendor credentials this key uses. */
  tenant?: string;
}

/** JWT bearer tokens checked against a JWKS (e.g. your identity provider's). */
export interface JwtOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The claim holding the scopes (space-separated string or array); default `scope`. */
  scopeClaim?: string;
  /** Multi-tenant mode: the claim naming the tenant. */
  tenantClaim?: string;
}

export interface AuthOptions {
  mode: 'keys' | 'off';
  keys: ApiKey[];
  /** Shared secret of a router in front of the subgraph (X-Router-Secret). */
  routerSecret?: string;
  /** Also accept JWTs signed by a key of this JWKS. */
  jwt?: JwtOptions;
}

export interface Principal {
  /** The key's name, `router`, or `anonymous` when auth is off. */
  name: string;
  scopes: ReadonlySet<Scope>;
  tenant?: string;
  /** Came with the router's shared secret. */
  router: boolean;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a));
  const y = Buffer.from(sha256(b));
  return timingSafeEqual(x, y);
}

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const keySets = new WeakMap<JwtOptions, ReturnType<typeof createRemoteJWKSet>>();
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A JWT's caller: its subject, the known scopes of its scope claim, its tenant claim; null when invalid. */
async function fromJwt(jwt: JwtOptions, token: string, router: boolean): Promise<Principal | null> {
  let keys = keySets.get(jwt);
  if (!keys) keySets.set(jwt, (keys = createRemoteJWKSet(new URL(jwt.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 })));
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: jwt.issuer, audience: jwt.audience });
    const claim = payload[jwt.scopeClaim ?? 'scope'];
    const listed = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.split(/\s+/) : [];
    const tenant = jwt.tenantClaim ? payload[jwt.tenantClaim] : undefined;
    return {
      name: `jwt:${String(payload.sub ?? 'unknown')}`,
      scopes: new Set(listed.filter((x): x is Scope => (SCOPES as readonly string[]).includes(x))),
      ...(typeof tenant === 'string' ? { tenant } : {}),
      router,
    };
  } catch {
    return null;
  }
}

/** The caller of a request, or null when the request carries no valid credential. */
export async function authenticate(options: AuthOptions, headers: Headers): Promise<Principal | null> {
  const router = Boolean(options.routerSecret && header(headers, 'x-router-secret') && sameSecret(header(headers, 'x-router-secret')!, options.routerSecret));
  if (options.mode === 'off') return { name: 'anonymous', scopes: new Set(SCOPES), router };
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
  const presented = bearer ?? header(headers, 'x-api-key');
  if (bearer && options.jwt && JWT_SHAPE.test(bearer)) return fromJwt(options.jwt, bearer, router);
  if (presented) {
    const hash = Buffer.from(sha256(presented));
    for (const key of options.keys) {
      const expected = Buffer.from(key.sha256.toLowerCase());
      if (expected.length === hash.length && timingSafeEqual(expected, hash)) {
        return { name: key.name, scopes: new Set(key.scopes), tenant: key.tenant, router };
      }
    }
    return null;
  }
  // A router with the secret may read the schema and run what its clients were allowed.
  return router ? { name: 'router', scopes: new Set<Scope>(['read']), router } : null;
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Authentication required: send an API key as "Authorization: Bearer <key>" or "X-Api-Key".', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });
}

export function forbidden(scope: Scope, what: string): GraphQLError {
  return new GraphQLError(`This API key lacks the "${scope}" scope needed for ${what}.`, { extensions: { code: 'FORBIDDEN', scope, http: { status: 403 } } });
}

/** Root fields that need more than their operation's scope. */
const ROOT_SCOPES: Record<string, Scope> = { sendVendorRequest: 'admin' };

/** Checks the operation against the caller's scopes once it is known (before execution). */
export function scopesPlugin(options: { introspection: boolean }): ApolloServerPlugin<{ principal: Principal }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, schema }) {
          const principal = contextValue.principal;
          const fragments = fragmentsOf(document);
          const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
          const operation = operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
          if (!operation) return;
          const needed = operation.operation === 'mutation' ? 'write' : 'read';
          if (!principal.scopes.has(needed)) throw forbidden(needed, operation.operation === 'mutation' ? 'mutations' : 'queries');
          // Under CHANNELGRAPH_ROOT_FIELD_PREFIX the served names differ: look up the original.
          const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
          for (const field of new Set(rootFieldsOf(operation.selectionSet, fragments).map((f) => f.name.value))) {
            const scope = ROOT_SCOPES[namesOf(schema).originalRootField(rootType, field)];
            if (scope && !principal.scopes.has(scope)) throw forbidden(scope, field);
            // With introspection off the schema is for the router and admins only.
            if (field === '_service' && !options.introspection && !principal.router && !principal.scopes.has('admin')) throw forbidden('admin', '_service');
          }
        },
      };
    },
  };
}

/** Parses API_KEYS: `name:scope+scope:sha256hex[:tenant]`, comma-separated. */
export function parseApiKeys(text: string | undefined): ApiKey[] {
  if (!text?.trim()) return [];
  return text.split(',').map((entry, i) => {
    const [name, scopes, hash, tenant] = entry.trim().split(':');
    if (!name || !scopes || !hash || !/^[0-9a-f]{64}$/i.test(hash)) {
      throw new Error(`API_KEYS entry ${i + 1}: expected name:scope+scope:sha256-hex[:tenant]`);
    }
    const list = scopes.split('+') as Scope[];
    for (const s of list) if (!SCOPES.includes(s)) throw new Error(`API_KEYS entry ${i + 1}: unknown scope "${s}" (read, write, admin)`);
    return { name, sha256: hash.toLowerCase(), scopes: list, ...(tenant ? { tenant } : {}) };
  });
}

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);
