/**
 * The client-contract check itself (test/helpers/client-contract.ts), which every graph
 * suite runs when it closes: it must flag requests the vendor specs do not have, and pass
 * requests they do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../src/simulators/index.js';
import { offContractRequests } from './helpers/client-contract.js';
import { missingSpecMessage, specAvailable } from './helpers/openapi.js';

const SPECS = ['leadercloud-swagger.json', 'ingram-cloud-marketplace-1.15.yaml', 'cloudmore-endpoints.tsv'];
const available = SPECS.every(specAvailable);

describe.skipIf(!available)(`client contract check (${available ? 'specs found' : missingSpecMessage(SPECS[0]!)})`, () => {
  let sims: Awaited<ReturnType<typeof startSimulators>>;
  beforeAll(async () => {
    sims = await startSimulators({ seed: 3, size: 5 });
  });
  afterAll(async () => {
    await sims.close();
  });

  it('flags unknown paths and undeclared query parameters, and passes documented calls', async () => {
    const lc = sims.leadercloud.origin;
    const im = sims.ingram.baseUrl;
    const cm = sims.cloudmore.origin;
    // Answers do not matter (no token is sent): the simulators record what arrived.
    await fetch(`${lc}/api/accounts?pageIndex=1&pageSize=5&$filter=${encodeURIComponent("name eq 'x'")}`);
    await fetch(`${lc}/api/accounts/12/customfields`);
    await fetch(`${lc}/api/accounts?colour=blue`);
    await fetch(`${lc}/api/nonsense`);
    await fetch(`${im}/customers?offset=0&limit=10`);
    await fetch(`${im}/customers?sort=name`);
    await fetch(`${cm}/api/resellers/6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01/organizations`);
    await fetch(`${cm}/api/resellers/6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01/everything`);
    await fetch(`${lc}/oauth/token`, { method: 'POST' });

    const off = offContractRequests(sims);
    expect(off.sort()).toEqual(
      [
        'cloudmore: GET /api/resellers/6f1d3c1e-0b7a-4c55-9a57-3b5f5f2a9c01/everything: not in the Cloudmore endpoint index',
        'ingram: GET /marketplace/na/customers: query parameter(s) sort not in the spec',
        'leadercloud: GET /api/accounts: query parameter(s) colour not in the spec',
        'leadercloud: GET /api/nonsense: no such operation in the spec',
      ].sort(),
    );
  });
});
