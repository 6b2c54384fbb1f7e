/**
 * Cloudmore authentication: IdentityServer-style `POST /connect/token` (OAuth 2.0 password
 * grant) and the bearer/reseller check in front of every `/api/resellers/{resellerId}` route.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SimError, basicCredentials, bearerToken } from '../shared/server.js';
import type { SimControl } from '../shared/control.js';
import { tokenError } from './errors.js';
import type { TokenResponse } from './models.js';

/** Demo credentials the simulator accepts. `clientId` is Cloudmore's fixed value [C]. */
export const CREDENTIALS = {
  clientId: 'ro.customer.client',
  clientSecret: 'cloudmore-demo-secret',
  username: 'api@demo-msp.example',
  password: 'cloudmore-demo-password',
  resellerId: '6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01',
  sellerId: 'b2e7a9d4-5c3f-4e81-8d6a-0f4c2b9e7a13',
} as const;

/** 24 hours [C]. */
export const TOKEN_TTL_SECONDS = 86_400;
const ALLOWED_SCOPES = ['api'];

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

export function registerTokenEndpoint(app: FastifyInstance, control: SimControl): void {
  app.post('/connect/token', async (request, reply) => {
    const type = String(request.headers['content-type'] ?? '');
    if (!/^application\/x-www-form-urlencoded/i.test(type) || !request.body || typeof request.body !== 'object') {
      throw tokenError('invalid_request', 'The token request must be application/x-www-form-urlencoded.');
    }
    const body = request.body as Record<string, unknown>;

    // Client authentication: Basic header (official docs) or form fields (SDK) [C].
    const basic = basicCredentials(request);
    const clientId = basic ? decode(basic.user) : field(body, 'client_id');
    const clientSecret = basic ? decode(basic.secret) : field(body, 'client_secret');
    if (!clientId || clientId !== CREDENTIALS.clientId || clientSecret !== CREDENTIALS.clientSecret) {
      throw tokenError('invalid_client');
    }

    const grantType = field(body, 'grant_type');
    if (grantType !== 'password') throw tokenError('unsupported_grant_type');

    const username = field(body, 'username');
    const password = field(body, 'password');
    if (!username || !password) throw tokenError('invalid_grant', 'The username and password are required.');
    if (username.toLowerCase() !== CREDENTIALS.username || password !== CREDENTIALS.password) {
      throw tokenError('invalid_grant', 'invalid_username_or_password');
    }

    // A missing scope means "every scope the client may have" (IdentityServer default) [I].
    const requested = (field(body, 'scope') ?? '').split(/\s+/).filter(Boolean);
    const scopes = requested.length > 0 ? requested : ALLOWED_SCOPES;
    if (!scopes.every((s) => ALLOWED_SCOPES.includes(s))) throw tokenError('invalid_scope');

    const { token, ttl } = control.issueToken(username, TOKEN_TTL_SECONDS, {
      client_id: clientId,
      scope: scopes,
      reseller_id: CREDENTIALS.resellerId,
      seller_id: CREDENTIALS.sellerId,
    });
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const response: TokenResponse = { access_token: token, expires_in: ttl, token_type: 'Bearer', scope: scopes.join(' ') };
    return response;
  });
}

/**
 * onRequest hook for reseller routes: runs before the body is parsed, so an unauthenticated
 * request gets 401 even when its body is malformed. Missing/unknown/expired/revoked token
 * → 401; a resellerId other than the demo reseller (malformed ones included) → 403.
 */
export function resellerGuard(control: SimControl) {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request);
    if (!token) {
      throw new SimError(401, 'Unauthorized', 'Authorization has been denied for this request.', {}, { 'www-authenticate': 'Bearer' });
    }
    const state = control.checkToken(token);
    if (state !== 'valid') {
      const description = state === 'expired' ? 'The token is expired' : state === 'revoked' ? 'The token has been revoked' : 'The token is invalid';
      throw new SimError(401, 'Unauthorized', 'Authorization has been denied for this request.', {}, {
        'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
      });
    }
    const resellerId = (request.params as Record<string, string | undefined>).resellerId ?? '';
    if (resellerId.toLowerCase() !== CREDENTIALS.resellerId) {
      throw new SimError(403, 'Forbidden', `The user has no access to reseller '${resellerId}'.`);
    }
  };
}
