/**
 * POST /token: Basic auth + X-Subscription-Key + `{marketplace}` → `{token, expiresInSeconds}`.
 */
import type { FastifyInstance } from 'fastify';
import type { SimControl } from '../shared/control.js';
import { basicCredentials } from '../shared/server.js';
import { badRequest, checkSubscriptionKey, isObject, unauthorized } from './http.js';
import { CREDENTIALS, MARKETPLACES, TOKEN_TTL_SECONDS } from './model.js';

export function registerTokenRoute(scope: FastifyInstance, control: SimControl): void {
  scope.post('/token', async (request) => {
    checkSubscriptionKey(request);
    const credentials = basicCredentials(request);
    if (!credentials) throw unauthorized('Full authentication is required: send Authorization: Basic base64(username:password).');
    // Logins are matched case-insensitively, passwords exactly. [I]
    if (credentials.user.toLowerCase() !== CREDENTIALS.username.toLowerCase() || credentials.secret !== CREDENTIALS.password) {
      throw unauthorized('Bad credentials: the username or password is incorrect.');
    }
    const marketplace = isObject(request.body) ? request.body.marketplace : undefined;
    if (marketplace === undefined || marketplace === null || marketplace === '') {
      throw badRequest('The marketplace field is required in the request body, e.g. {"marketplace": "us"}.');
    }
    if (typeof marketplace !== 'string' || !MARKETPLACES.includes(marketplace)) {
      throw badRequest(`Unknown marketplace '${String(marketplace)}'.`);
    }
    const { region } = request.params as { region: string };
    const { token, ttl } = control.issueToken(CREDENTIALS.username, TOKEN_TTL_SECONDS, { marketplace, region });
    return { token, expiresInSeconds: ttl };
  });
}
