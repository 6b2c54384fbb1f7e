/**
 * Leader Cloud (Infiterra Billing API v3, https://bss.leadercloud.com.au) simulator.
 *
 * - POST /oauth/token: OAuth 2.0 password grant, client id/secret only via HTTP Basic.
 * - /api/...: needs `X-Api-Version: 3` (checked first: 404 InvalidApiVersionError) and a
 *   valid bearer token (then: 401). Routing is case-insensitive, as on ASP.NET.
 * - Errors: `{type, code, developerMessage, isRetriableError}` (+ entity/property/value
 *   on the NotFound errors the spec gives them).
 * - Before any of that, as IIS request filtering would: a query string over 2,048
 *   characters is a 404.15 (documented profile); a request over the configured rate
 *   limit is a 403 with a retriable error body (both profiles, only when a limit is set).
 *
 * See README.md in this folder for the behaviour and which parts are inferred.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SimError, basicCredentials, bearerToken, createSimServer, type ErrorContext } from '../shared/server.js';
import type { VendorSimulatorFactory } from '../shared/vendor.js';
import { registerAccounts } from './accounts.js';
import { registerAssets } from './assets.js';
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
  body.isRetriableError = ctx.extra.retriable === true || ctx.status >= 500 || ctx.status === 429;
  return body;
}

/**
 * IIS's default `maxQueryString` (request filtering): a longer query string never reaches
 * the API. Leader Cloud runs on ASP.NET [I]; the limit and the 404.15 answer are IIS's
 * documented defaults.
 */
export const MAX_QUERY_STRING = 2048;

/** What IIS sends for 404.15 (its detailed error page, abridged): HTML, not the API's JSON. */
export const QUERY_STRING_TOO_LONG_HTML = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
<title>IIS 10.0 Detailed Error - 404.15 - Not Found</title>
</head>
<body>
<div id="content">
<div class="content-container">
<h3>HTTP Error 404.15 - Not Found</h3>
<h4>The request filtering module is configured to deny a request where the query string is too long.</h4>
</div>
<div class="content-container">
<fieldset><h4>Most likely causes:</h4>
<ul><li>Request filtering is configured on the Web server to deny the request because the query string is too long.</li></ul>
</fieldset>
</div>
<div class="content-container">
<fieldset><h4>Things you can try:</h4>
<ul><li>Verify the configuration/system.webServer/security/requestFiltering/requestLimits@maxQueryString setting in the applicationhost.config or web.config file.</li></ul>
</fieldset>
</div>
</div>
</body>
</html>
`;

/** Throttling: the vendor KB says a 403 can mean "you've hit a rate limit" (no 429 is documented). */
export const THROTTLED_CODE = 'RateLimitExceededError';

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
  const { app, control } = createSimServer({ name: 'leadercloud', caseSensitive: false, errorBody, demoCredentials: LEADERCLOUD_CREDENTIALS, ...options });
  const state = new LcState(world);
  const ctx: RouteContext = { state, control };

  // Like ASP.NET, an empty body with a JSON content type (e.g. POST .../checkout) is no body, not an error.

  app.addHook('onRequest', async (request, reply) => {
    const url = request.raw.url ?? request.url;
    if (url.toLowerCase().startsWith('/__sim')) return;
    // IIS request filtering runs before the application sees the request (documented profile).
    const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    if (control.profile === 'documented' && Buffer.byteLength(search) > MAX_QUERY_STRING) {
      return reply.code(404).type('text/html').send(QUERY_STRING_TOO_LONG_HTML);
    }
    const route = request.routeOptions.url;
    if (!route || !route.toLowerCase().startsWith('/api/')) return;
    if (!control.admit()) {
      const limit = control.rateLimit;
      throw new SimError(
        403,
        THROTTLED_CODE,
        `Rate limit exceeded: at most ${limit?.requests} requests per ${limit?.perMs} ms are allowed. Retry later.`,
        { retriable: true },
      );
    }
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
  registerAssets(app, ctx);
  registerInvoices(app, ctx);
  registerOrders(app, ctx);
  registerProducts(app, ctx);
  registerSubscriptions(app, ctx);
  registerOrganization(app, ctx);

  return { vendor: 'leadercloud', app, control, basePath: '', credentials: { ...LEADERCLOUD_CREDENTIALS, ...options.credentials } };
};

export default create;
