/**
 * Namespacing for composition. Beside a host graph that has its own `Customer`, `Product`
 * or `Query.products`, channelgraph's names clash (INVALID_FIELD_SHARING,
 * FIELD_TYPE_MISMATCH). With CHANNELGRAPH_TYPE_PREFIX=Channel every type channelgraph
 * owns (objects, interfaces, unions, enums, inputs, connections) is renamed in the served
 * SDL, ChannelCustomer, ChannelProduct...; with CHANNELGRAPH_ROOT_FIELD_PREFIX=channel
 * every Query and Mutation field too, channelCustomers. Not renamed: the root types, the
 * built-in and custom scalars (DateTime, Decimal, JSON compose by name), the federation
 * types `buildSubgraphSchema` adds, and the host's organisation type.
 *
 * The rename is done on the AST before `buildSubgraphSchema`, and the resolver map's keys
 * are renamed to match, so resolvers and codegen types keep the unprefixed names; what
 * returns a type name at run time (`__resolveType`) is wrapped to return the served name.
 * The served ↔ original names are kept on the schema (`schema.extensions`) for the code
 * that reads names before execution (scopes, cost weights).
 */
import { GraphQLScalarType, Kind, visit, type ASTNode, type DocumentNode, type GraphQLSchema, type NameNode } from 'graphql';

export interface Naming {
  typePrefix: string;
  rootFieldPrefix: string;
  /** Type names never prefixed (the host's organisation type). */
  keep: ReadonlySet<string>;
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
const BUILTIN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const TYPE_DEFS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.UNION_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_EXTENSION,
]);

export const rootFieldName = (prefix: string, field: string) => (prefix ? `${prefix}${field[0]!.toUpperCase()}${field.slice(1)}` : field);

/** The renames a document gets under `naming`: original → served, for types and root fields. */
export interface Renames {
  types: Map<string, string>;
  /** `Query.customers` → `channelCustomers`. */
  rootFields: Map<string, string>;
}

export function planRenames(doc: DocumentNode, naming: Naming): Renames {
  const types = new Map<string, string>();
  const rootFields = new Map<string, string>();
  for (const def of doc.definitions) {
    if (!TYPE_DEFS.has(def.kind) || !('name' in def) || !def.name) continue;
    const name = def.name.value;
    if (ROOTS.has(name)) {
      if (name === 'Subscription' || !('fields' in def)) continue;
      for (const field of def.fields ?? []) {
        const f = field.name.value;
        if (!f.startsWith('_')) rootFields.set(`${name}.${f}`, rootFieldName(naming.rootFieldPrefix, f));
      }
      continue;
    }
    if (BUILTIN.has(name) || naming.keep.has(name) || name.startsWith('_') || !naming.typePrefix) continue;
    types.set(name, `${naming.typePrefix}${name}`);
  }
  return { types, rootFields };
}

const renamed = (node: NameNode, value: string): NameNode => ({ ...node, value });

/** The document with the planned renames applied. */
export function renameDocument(doc: DocumentNode, renames: Renames): DocumentNode {
  const typeOf = (n: NameNode) => renames.types.get(n.value);
  const rename = <T extends ASTNode & { name: NameNode }>(node: T): T | undefined => {
    const to = typeOf(node.name);
    return to ? { ...node, name: renamed(node.name, to) } : undefined;
  };
  const roots = (node: ASTNode & { name: NameNode; fields?: readonly (ASTNode & { name: NameNode })[] }) => {
    if (!ROOTS.has(node.name.value) || !node.fields) return undefined;
    return {
      ...node,
      fields: node.fields.map((f) => {
        const to = renames.rootFields.get(`${node.name.value}.${f.name.value}`);
        return to ? { ...f, name: renamed(f.name, to) } : f;
      }),
    };
  };
  return visit(doc, {
    NamedType: rename,
    ObjectTypeDefinition: (n) => rename(n) ?? roots(n as never),
    ObjectTypeExtension: (n) => rename(n) ?? roots(n as never),
    InterfaceTypeDefinition: rename,
    InterfaceTypeExtension: rename,
    UnionTypeDefinition: rename,
    UnionTypeExtension: rename,
    EnumTypeDefinition: rename,
    EnumTypeExtension: rename,
    InputObjectTypeDefinition: rename,
    InputObjectTypeExtension: rename,
  });
}

type ResolverMap = Record<string, unknown>;

/** The resolver map under the served names; `__resolveType` answers served names. */
export function renameResolvers(resolvers: ResolverMap, renames: Renames): ResolverMap {
  const typeName = (name: string) => renames.types.get(name) ?? name;
  const out: ResolverMap = {};
  for (const [key, value] of Object.entries(resolvers)) {
    if (value instanceof GraphQLScalarType) {
      out[key] = value;
      continue;
    }
    if (ROOTS.has(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([field, r]) => [renames.rootFields.get(`${key}.${field}`) ?? field, r]));
      continue;
    }
    const fields = { ...(value as Record<string, unknown>) };
    const resolveType = fields.__resolveType;
    if (typeof resolveType === 'function') {
      // Synchronous when the original is: graphql-jit (executor.ts) takes no promise here.
      const served = (name: unknown) => (typeof name === 'string' ? typeName(name) : name);
      fields.__resolveType = (...args: unknown[]) => {
        const name: unknown = (resolveType as (...a: unknown[]) => unknown)(...args);
        return name instanceof Promise ? name.then(served) : served(name);
      };
    }
    out[typeName(key)] = fields;
  }
  return out;
}

/** What the schema remembers of its renames (served → original). */
export interface ServedNames {
  originalType(served: string): string;
  /** The original name of a root field (`Mutation`, `channelSendVendorRequest` → `sendVendorRequest`). */
  originalRootField(rootType: string, served: string): string;
}

export function servedNames(renames: Renames): ServedNames {
  const types = new Map([...renames.types].map(([from, to]) => [to, from]));
  const fields = new Map([...renames.rootFields].map(([from, to]) => [`${from.split('.')[0]}.${to}`, from.split('.')[1]!]));
  return {
    originalType: (served) => types.get(served) ?? served,
    originalRootField: (rootType, served) => fields.get(`${rootType}.${served}`) ?? served,
  };
}

const IDENTITY: ServedNames = { originalType: (n) => n, originalRootField: (_t, n) => n };

/** The served-name lookup of a schema built by buildSchema (identity for any other schema). */
export function namesOf(schema: GraphQLSchema | undefined | null): ServedNames {
  const names = (schema?.extensions as { channelgraphNames?: ServedNames } | undefined)?.channelgraphNames;
  return names ?? IDENTITY;
}
