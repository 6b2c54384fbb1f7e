/**
 * Leader Cloud (Infiterra Billing API v3, https://bss.leadercloud.com.au) simulator.
 *
 * - POST /oauth/token: OAuth 2.0 password grant, client id/secret only via HTTP Basic.
 * - /api/...: needs `X-Api-Version: 3` (checked first: 404 InvalidApiVersionError) and a
 *   valid bearer token (then: 401). Routing is case-insensitive, as on ASP.NET.
 * - Errors: `{type, code, developerMessage, isRetriableError}` (+ entity/property/value
 *   on the NotFound errors the spec gives them).
 *
 * See README.md in this folder for the behaviour and which parts are inferred.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SimError, basicCredentials, bearerToken, createSimServer, type ErrorContext } from '../shared/server.js';
import type { VendorSimulatorFactory } from '../shared/vendor.js';
import { registerAccounts } from './accounts.js';
import { LcState } from './data.js';
import type { RouteContext } from './http.js';
import { registerInvoices } from './invoices.js';
import { registerOrders } from './orders.js';
import { registerOrganization } from './organization.js';
import { registerProducts } from './products.js';
import { registerSubscriptions } from './subscriptions.js';

/** The demo credentials the simulator accepts. */
export const LEADERCLOUD_CREDENTIALS = {
  clientId: 'channelgraph-demo',
  clientSecret: 'leadercloud-demo-secret',
  username: 'api@demo-msp.example',
  password: 'leadercloud-demo-password',
} as const;

/** Token lifetime (seconds): not documented; clients fall back to 3600 [I]. */
export const TOKEN_TTL_SECONDS = 3600;
export const SUPPORTED_API_VERSIONS = ['3', '3.0'];

const ENTITY_KEYS = ['entity', 'property', 'value'] as const;

export function errorBody(ctx: ErrorContext): Record<string, unknown> {
  const code = ctx.code.startsWith('FST_') ? 'InvalidRequestError' : ctx.code;
  const body: Record<string, unknown> = {};
  for (const key of ENTITY_KEYS) if (ctx.extra[key] !== undefined) body[key] = String(ctx.extra[key]);
  body.type = code;
  body.code = code;
  body.developerMessage = ctx.message;
  body.isRetriableError = ctx.status >= 500 || ctx.status === 429;
  return body;
}

function oauthError(reply: FastifyReply, error: string, description: string): FastifyReply {
  return reply.code(400).header('cache-control', 'no-store').header('pragma', 'no-cache').send({ error, error_description: description });
}

function checkApiRequest(ctx: RouteContext, request: FastifyRequest): void {
  const header = request.headers['x-api-version'];
  const version = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!version || !SUPPORTED_API_VERSIONS.includes(version)) {
    throw new SimError(
      404,
      'InvalidApiVersionError',
      version
        ? `The API version '${version}' is not supported. Send the header X-Api-Version: 3.`
        : 'The API version is missing. Send the header X-Api-Version: 3.',
    );
  }
  const token = bearerToken(request);
  const check = token ? ctx.control.checkToken(token) : 'missing';
  if (check === 'valid') return;
  const reason =
    check === 'missing'
      ? 'No bearer token was sent.'
      : check === 'expired'
        ? 'The access token has expired.'
        : check === 'revoked'
          ? 'The access token has been revoked.'
          : 'The access token is not valid.';
  throw new SimError(
    401,
    'AuthorizationError',
    `Authorization has been denied for this request. ${reason}`,
    {},
    { 'www-authenticate': check === 'missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${reason}"` },
  );
}

const create: VendorSimulatorFactory = (world, options = {}) => {
  const { app, control } = createSimServer({ name: 'leadercloud', caseSensitive: false, errorBody, ...options });
  const state = new LcState(world);
  const ctx: RouteContext = { state, control };

  // Like ASP.NET, an empty body with a JSON content type (e.g. POST .../checkout) is no body, not an error.

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (!route || !route.toLowerCase().startsWith('/api/')) return;
    checkApiRequest(ctx, request);
  });
  // Clock-driven changes (order execution, quantity changes, add-on cancellations) happen lazily.
  app.addHook('preHandler', async () => state.settle(control.now()));

  app.post('/oauth/token', async (request, reply) => {
    const type = String(request.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return oauthError(reply, 'invalid_request', 'The request must be sent as application/x-www-form-urlencoded.');
    }
    const form = (request.body ?? {}) as Record<string, unknown>;
    if (form.client_id !== undefined || form.client_secret !== undefined) {
      return oauthError(reply, 'invalid_client', 'Client credentials are only accepted through HTTP Basic authentication.');
    }
    const basic = basicCredentials(request);
    if (!basic || basic.user !== LEADERCLOUD_CREDENTIALS.clientId || basic.secret !== LEADERCLOUD_CREDENTIALS.clientSecret) {
      return oauthError(reply, 'invalid_client', 'The client credentials are invalid.');
    }
    if (form.grant_type !== 'password') {
      return oauthError(reply, 'unsupported_grant_type', 'Only the password grant type is supported.');
    }
    if (form.username !== LEADERCLOUD_CREDENTIALS.username || form.password !== LEADERCLOUD_CREDENTIALS.password) {
      return oauthError(reply, 'invalid_grant', 'The user name or password is incorrect.');
    }
    const { token, ttl } = control.issueToken(LEADERCLOUD_CREDENTIALS.username, TOKEN_TTL_SECONDS, {
      client_id: LEADERCLOUD_CREDENTIALS.clientId,
    });
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return { access_token: token, token_type: 'bearer', expires_in: ttl };
  });

  registerAccounts(app, ctx);
  registerInvoices(app, ctx);
  registerOrders(app, ctx);
  registerProducts(app, ctx);
  registerSubscriptions(app, ctx);
  registerOrganization(app, ctx);

  return { vendor: 'leadercloud', app, control, basePath: '', credentials: { ...LEADERCLOUD_CREDENTIALS } };
};

export default create;
