import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { logger } from '../logger.js';

/**
 * How channelgraph joins the host graph: which entity it extends, where the mapping and the
 * SKU alias table live, and the prefixes that keep its names apart from the host's.
 */
export interface JoinOptions {
  /** The host's organisation entity (HOST_ORGANIZATION_TYPE). */
  hostType: string;
  /** Its key field (HOST_ORGANIZATION_KEY). */
  hostKey: string;
  /** Prepended to every type channelgraph owns (CHANNELGRAPH_TYPE_PREFIX), e.g. Channel → ChannelCustomer. */
  typePrefix: string;
  /** Prepended to every Query and Mutation field (CHANNELGRAPH_ROOT_FIELD_PREFIX), e.g. channel → channelCustomers. */
  rootFieldPrefix: string;
  /** The mapping file (MAPPING_FILE); absent: the mapping lives in memory only (tests, `createGraphServer` defaults). */
  mappingFile?: string;
  /** The SKU alias table (SKU_ALIASES_FILE): a JSON object of alias → canonical key. */
  skuAliasesFile?: string;
}

/** MAPPING_FILE when not set: `channelgraph-mappings.json` in the working directory. */
export const DEFAULT_MAPPING_FILE = 'channelgraph-mappings.json';

/**
 * The default mapping file, or undefined (the mapping in memory, with a warning) when the
 * working directory is not writable, as in a container whose app folder belongs to root: set
 * MAPPING_FILE to a volume there. An explicit MAPPING_FILE that cannot be created fails the start.
 */
export function defaultMappingFile(cwd = process.cwd()): string | undefined {
  const file = path.join(cwd, DEFAULT_MAPPING_FILE);
  try {
    accessSync(existsSync(file) ? file : cwd, constants.W_OK);
    return file;
  } catch {
    logger.warn({ file }, 'MAPPING_FILE is not set and the working directory is not writable: the organisation mapping is kept in memory only (set MAPPING_FILE)');
    return undefined;
  }
}

export const DEFAULT_JOIN: JoinOptions = { hostType: 'Organization', hostKey: 'id', typePrefix: '', rootFieldPrefix: '' };

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Checks names before they reach the SDL; returns the problems (empty when fine). */
export function checkJoinOptions(o: JoinOptions): string[] {
  const problems: string[] = [];
  if (!GRAPHQL_NAME.test(o.hostType) || o.hostType.startsWith('__')) problems.push('HOST_ORGANIZATION_TYPE: must be a GraphQL type name');
  if (!GRAPHQL_NAME.test(o.hostKey) || o.hostKey.startsWith('__')) problems.push('HOST_ORGANIZATION_KEY: must be a GraphQL field name');
  if (o.typePrefix && !/^[A-Za-z][_0-9A-Za-z]*$/.test(o.typePrefix)) problems.push('CHANNELGRAPH_TYPE_PREFIX: must start a GraphQL type name (letters, digits, _)');
  if (o.rootFieldPrefix && !/^[A-Za-z][_0-9A-Za-z]*$/.test(o.rootFieldPrefix)) problems.push('CHANNELGRAPH_ROOT_FIELD_PREFIX: must start a GraphQL field name (letters, digits, _)');
  if (['Query', 'Mutation', 'Subscription'].includes(o.hostType)) problems.push('HOST_ORGANIZATION_TYPE: cannot be a root type');
  return problems;
}
