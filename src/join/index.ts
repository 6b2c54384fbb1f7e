/** Joining the host graph (README "Join your graph"): see schema.ts, resolvers.ts, namespace.ts. */
export { buildJoinedSchema, JoinConfigError, type JoinRuntime } from './schema.js';
export { DEFAULT_JOIN, type JoinOptions } from './options.js';
export { namesOf } from './namespace.js';
export { CustomerMapping, Organization, joinCustomerFields, joinMutations, joinQueries } from './resolvers.js';
