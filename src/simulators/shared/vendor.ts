/**
 * What a vendor simulator module exports, so `startSimulators` can run any of them the
 * same way. Each vendor folder (`leadercloud/`, `cloudmore/`, `ingram/`) default-exports
 * a `VendorSimulatorFactory`.
 */
import type { FastifyInstance } from 'fastify';
import type { SimControl, SimControlOptions } from './control.js';
import type { VendorKey, World } from './world.js';

export interface VendorSimulator {
  vendor: VendorKey;
  app: FastifyInstance;
  control: SimControl;
  /** Path after the origin where the vendor's API base lives ('' or e.g. '/marketplace/na'). */
  basePath: string;
  /** The demo credentials this simulator accepts (all of them are needed by a client). */
  credentials: Record<string, string>;
}

export type VendorSimulatorOptions = SimControlOptions;

export type VendorSimulatorFactory = (world: World, options?: VendorSimulatorOptions) => VendorSimulator;
