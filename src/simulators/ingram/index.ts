/**
 * The Ingram Micro Cloud Marketplace simulator (CloudBlue Commerce "SimpleAPI" 1.15): every
 * path of the published spec under `/marketplace/{region}`, the Basic → bearer token flow
 * with `X-Subscription-Key`, the `{data, pagination}` envelope, async orders and reports on
 * the simulated clock, and `X-Correlation-ID` on every response. See README.md in this folder
 * for what rests on confirmed [C] and inferred [I] facts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimControl } from '../shared/control.js';
import { createSimServer } from '../shared/server.js';
import type { VendorSimulatorFactory } from '../shared/vendor.js';
import { registerAccountRoutes } from './accounts.js';
import { registerTokenRoute } from './auth.js';
import { registerCatalogRoutes } from './catalog.js';
import { errorBody, notFound, requireAuth, setCorrelationHeader } from './http.js';
import { CREDENTIALS } from './model.js';
import { registerOrderRoutes } from './orders.js';
import { registerReportRoutes } from './reports.js';
import { seedStore } from './seed.js';
import type { IngramStore } from './store.js';
import { registerSubscriptionRoutes } from './subscriptions.js';

export { CREDENTIALS, DOCUMENTED_PAGE_CAP, MAX_LIMIT, ORDER_COMPLETED_MS, ORDER_SUBMITTED_MS, REPORT_COMPLETED_MS, REPORT_SUBMITTED_MS } from './model.js';

/** Region codes in the base path: `na`, `eu`, ... (2 to 4 lowercase letters; anything else is 404). */
const REGION = /^[a-z]{2,4}$/;

function registerRoutes(app: FastifyInstance, control: SimControl, store: IngramStore): void {
  void app.register(
    async (region) => {
      region.addHook('onRequest', async (request: FastifyRequest) => {
        const { region: code } = request.params as { region?: string };
        if (!code || !REGION.test(code)) throw notFound(`No route for ${request.method} ${request.url.split('?')[0]}.`);
      });
      registerTokenRoute(region, control);
      await region.register(async (api) => {
        api.addHook('onRequest', requireAuth(control));
        // Orders move along the clock lazily: settle them before each authenticated call.
        api.addHook('preHandler', async () => store.settle(control.now()));
        registerAccountRoutes(api, store, control);
        registerCatalogRoutes(api, store, control);
        registerOrderRoutes(api, store, control);
        registerSubscriptionRoutes(api, store, control);
        registerReportRoutes(api, store, control);
      });
    },
    { prefix: '/marketplace/:region' },
  );
}

const create: VendorSimulatorFactory = (world, options = {}) => {
  // The error body's timeStamp follows the simulated clock, which exists once the server does.
  const clock: { control?: SimControl } = {};
  const { app, control } = createSimServer({
    name: 'ingram',
    caseSensitive: true,
    errorBody: (ctx) => errorBody(ctx, clock.control?.now() ?? Date.now()),
    onSend: setCorrelationHeader,
    demoCredentials: CREDENTIALS,
    ...options,
  });
  clock.control = control;
  const store = seedStore(world);
  registerRoutes(app, control, store);
  return {
    vendor: 'ingram',
    app,
    control,
    basePath: `/marketplace/${CREDENTIALS.region}`,
    credentials: { ...CREDENTIALS, ...options.credentials },
  };
};

export default create;
