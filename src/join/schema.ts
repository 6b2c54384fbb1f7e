/**
 * Builds the served subgraph: channelgraph's SDL (schema/*.graphql), the host's
 * organisation entity generated from its template (schema/host/organization.graphql) under
 * the configured type name and key field, and the namespacing renames; then
 * `buildSubgraphSchema`. The schema carries what the join resolvers need (the mapping,
 * the SKU aliases, the host key) and the served ↔ original names in `extensions`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { Kind, parse, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { SkuAliases } from './aliases.js';
import { MappingStore } from './mapping.js';
import { planRenames, renameDocument, renameResolvers, servedNames } from './namespace.js';
import { DEFAULT_JOIN, checkJoinOptions, type JoinOptions } from './options.js';

/** What the join resolvers read from `info.schema.extensions.channelgraphJoin`. */
export interface JoinRuntime {
  options: JoinOptions;
  mapping: MappingStore;
  aliases: SkuAliases;
}

const TEMPLATE_TYPE = 'Organization';
const TEMPLATE_KEY = 'id';

/** The host template under the configured names: the type renamed, its key field and @key(fields:) too. */
export function hostTypeDefs(template: DocumentNode, options: Pick<JoinOptions, 'hostType' | 'hostKey'>): DocumentNode {
  return visit(template, {
    ObjectTypeDefinition(node) {
      if (node.name.value !== TEMPLATE_TYPE) return undefined;
      return {
        ...node,
        fields: node.fields?.map((f) => (f.name.value === TEMPLATE_KEY ? { ...f, name: { ...f.name, value: options.hostKey } } : f)),
        directives: node.directives?.map((d) =>
          d.name.value === 'key'
            ? { ...d, arguments: d.arguments?.map((a) => (a.name.value === 'fields' ? { ...a, value: { kind: Kind.STRING, value: options.hostKey } } : a)) }
            : d,
        ),
      };
    },
  });
}

/** Every reference to the template's type name, renamed to the host's. */
function renameHostType(doc: DocumentNode, hostType: string): DocumentNode {
  if (hostType === TEMPLATE_TYPE) return doc;
  const name = <T extends { name: { value: string } }>(n: T): T | undefined => (n.name.value === TEMPLATE_TYPE ? { ...n, name: { ...n.name, value: hostType } } : undefined);
  return visit(doc, { NamedType: name, ObjectTypeDefinition: name, ObjectTypeExtension: name });
}

export class JoinConfigError extends Error {}

export function buildJoinedSchema(
  typeDefs: DocumentNode,
  schemaDir: string,
  resolvers: Record<string, unknown>,
  partial: Partial<JoinOptions> = {},
): GraphQLSchema {
  const options: JoinOptions = { ...DEFAULT_JOIN, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined && v !== '')) };
  const problems = checkJoinOptions(options);
  if (problems.length) throw new JoinConfigError(problems.join('; '));
  const template = parse(readFileSync(path.join(schemaDir, 'host', 'organization.graphql'), 'utf8'));
  const own: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...typeDefs.definitions, ...hostTypeDefs(template, options).definitions] };
  // Prefix channelgraph's own names first (the template's Organization is the host's: kept),
  // then give the host type its configured name.
  const renames = planRenames(own, { typePrefix: options.typePrefix, rootFieldPrefix: options.rootFieldPrefix, keep: new Set([TEMPLATE_TYPE]) });
  const served = [...renames.types.values()];
  const clash = served.includes(options.hostType) || (options.hostType !== TEMPLATE_TYPE && !options.typePrefix && own.definitions.some((d) => 'name' in d && d.name?.value === options.hostType));
  if (clash) throw new JoinConfigError(`HOST_ORGANIZATION_TYPE=${options.hostType} is also a channelgraph type: set CHANNELGRAPH_TYPE_PREFIX (e.g. Channel) to keep them apart`);
  const doc = renameHostType(renameDocument(own, renames), options.hostType);

  const map = renameResolvers(resolvers, renames);
  const host = { ...(map[TEMPLATE_TYPE] as Record<string, unknown> | undefined) };
  if (options.hostKey !== TEMPLATE_KEY && host[TEMPLATE_KEY]) {
    host[options.hostKey] = host[TEMPLATE_KEY];
    delete host[TEMPLATE_KEY];
  }
  delete map[TEMPLATE_TYPE];
  map[options.hostType] = host;
  const schema = buildSubgraphSchema({ typeDefs: doc, resolvers: map as GraphQLResolverMap<unknown> });
  const runtime: JoinRuntime = { options, mapping: new MappingStore(options.mappingFile), aliases: new SkuAliases(options.skuAliasesFile) };
  if (runtime.aliases.problem) throw new JoinConfigError(`SKU_ALIASES_FILE: ${runtime.aliases.problem}`);
  if (runtime.mapping.problem) throw new JoinConfigError(`MAPPING_FILE: ${runtime.mapping.problem}`);
  (schema as { extensions: object }).extensions = { ...schema.extensions, channelgraphNames: servedNames(renames), channelgraphJoin: runtime };
  return schema;
}
