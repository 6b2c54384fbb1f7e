/**
 * The cache policy of a query from its document, as Apollo Server's cache-control plugin
 * computes it, without a hook on every resolved field.
 *
 * Apollo's plugin runs a `willResolveField` hook per field: a policy object, closures and
 * an end hook per field, and it makes Apollo wrap every resolver of the schema. On a
 * 100-customer dashboard (about 5,000 fields) that was a quarter of the graph's CPU with
 * the upstream cache warm. Every hint in this schema is static (`@cacheControl` on types and
 * fields; no resolver sets one), so the policy follows from the operation's selections,
 * with Apollo's rules per field:
 *
 * - a field returning an object, interface or union takes its type's hint, then the field's
 *   own hint over it; `inheritMaxAge` (on the type or the field) leaves the maxAge to the
 *   parent;
 * - a field returning a composite type with no maxAge, or a root field with none, gets
 *   maxAge 0 (the plugin's `defaultMaxAge: 0`);
 * - scalars without a hint restrict nothing;
 * - the response's policy is the most restrictive of all fields (smallest maxAge, PRIVATE
 *   over PUBLIC).
 *
 * Where Apollo sees only the fields it resolved, this counts every field selected (and
 * every possible type under an abstract one): a selection that resolved nothing (a null
 * parent, an empty list, a fragment on another type) can only make the policy stricter,
 * never looser. `node` / `nodes` return the `Node` interface, which has no hint: the types
 * their ids name decide, and only for the entities that were found (`nodeHint`), as
 * httpCachePlugin did per resolved object.
 */
import {
  Kind,
  valueFromASTUntyped,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { fromGlobalId, typeName } from './ids.js';
import { namesOf } from './join/namespace.js';
import { namedTypeOf, variablesWithDefaults } from './operation.js';

export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}
interface Annotation extends CacheHint {
  inheritMaxAge?: true;
}

/** Apollo's `CachePolicy.restrict`: the smaller maxAge, PRIVATE over PUBLIC. */
function restrict(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope;
}
function replace(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

/** `@cacheControl(maxAge:, scope:, inheritMaxAge:)` among some directives (Apollo's reading of it). */
function annotationOf(directives: readonly DirectiveNode[] | undefined): Annotation | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const arg = (name: string) => directive.arguments!.find((a) => a.name.value === name)?.value;
  const scopeValue = arg('scope');
  const scopeName = scopeValue?.kind === Kind.ENUM ? scopeValue.value : undefined;
  const scope = scopeName === 'PUBLIC' || scopeName === 'PRIVATE' ? scopeName : undefined;
  const inherit = arg('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = arg('maxAge');
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined, scope };
}

const annotations = new WeakMap<object, Annotation>();
/** A type's hint (its definition, then its extensions), remembered per type. */
function typeHint(type: GraphQLNamedType): Annotation {
  let hint = annotations.get(type);
  if (!hint) {
    hint = annotationOf(type.astNode?.directives) ?? type.extensionASTNodes.map((n) => annotationOf(n.directives)).find(Boolean) ?? {};
    annotations.set(type, hint);
  }
  return hint;
}
function fieldHint(field: GraphQLField<unknown, unknown>): Annotation {
  let hint = annotations.get(field);
  if (!hint) {
    hint = annotationOf(field.astNode?.directives) ?? {};
    annotations.set(field, hint);
  }
  return hint;
}

// The schema's classes may come from another copy of graphql (CJS beside ESM): no instanceof helpers.
type Kinded = { [Symbol.toStringTag]?: string };
const kindOf = (type: unknown) => (type as Kinded)[Symbol.toStringTag];
const isComposite = (type: GraphQLNamedType) => ['GraphQLObjectType', 'GraphQLInterfaceType', 'GraphQLUnionType'].includes(kindOf(type) ?? '');

/** A root field returning `Node`, whose policy waits for the answer: which of its ids were found. */
export interface NodeField {
  /** Its key in the response (alias or name). */
  key: string;
  /** The id (`node`) or ids (`nodes`) it was asked for. */
  ids: unknown;
  /** What the field's own hints gave before the types of its results. */
  policy: CacheHint;
  /** The object types it may return (those implementing `Node`). */
  types: readonly GraphQLObjectType[];
}

export interface OperationPolicy {
  /** The policy of everything but the `Node` root fields. */
  policy: CacheHint;
  nodeFields: NodeField[];
  /** The names of the root fields, and of every field, the operation selects (`@skip`/`@include` applied). */
  rootFields: Set<string>;
  fields: Set<string>;
}

/**
 * The policy of an operation's selections (`variables` decide `@skip`/`@include` and the
 * ids of `node`/`nodes`), with the fields it selects; finish it with the answer through
 * `nodeHint`.
 */
export function operationPolicy(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Record<string, unknown>): OperationPolicy {
  const names = namesOf(schema);
  const out: OperationPolicy = { policy: {}, nodeFields: [], rootFields: new Set(), fields: new Set() };
  const vars = variablesWithDefaults(operation, variables);
  const possible = (type: GraphQLNamedType): readonly GraphQLObjectType[] =>
    kindOf(type) === 'GraphQLObjectType' ? [type as GraphQLObjectType] : schema.getPossibleTypes(type as Parameters<GraphQLSchema['getPossibleTypes']>[0]);
  const included = (node: SelectionNode) =>
    !(node.directives ?? []).some((d) => {
      const name = d.name.value;
      if (name !== 'skip' && name !== 'include') return false;
      const condition = d.arguments?.find((a) => a.name.value === 'if')?.value;
      const value = condition ? valueFromASTUntyped(condition, vars) : undefined;
      return name === 'skip' ? value === true : value !== true;
    });
  const applicable = (parents: readonly GraphQLObjectType[], condition: string | undefined) => {
    if (!condition) return parents;
    const type = schema.getType(condition);
    if (!type) return [];
    const matching = new Set(possible(type).map((t) => t.name));
    return parents.filter((p) => matching.has(p.name));
  };

  function field(parent: GraphQLObjectType, node: FieldNode, root: boolean): void {
    const def = parent.getFields()[node.name.value];
    if (!def) return;
    out.fields.add(node.name.value);
    if (root) out.rootFields.add(node.name.value);
    const named = namedTypeOf(def.type)!;
    const composite = isComposite(named);
    const policy: CacheHint = {};
    let inherit = false;
    if (composite) {
      const hint = typeHint(named);
      replace(policy, hint);
      inherit = !!hint.inheritMaxAge;
    }
    const hint = fieldHint(def);
    if (hint.inheritMaxAge && policy.maxAge === undefined) {
      inherit = true;
      if (hint.scope) policy.scope = hint.scope;
    } else replace(policy, hint);
    const returnsNode = names.originalType(named.name) === 'Node' && kindOf(named) === 'GraphQLInterfaceType';
    if (returnsNode && root) {
      const args = Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, vars)]));
      out.nodeFields.push({ key: node.alias?.value ?? node.name.value, ids: args.id ?? args.ids, policy, types: possible(named) });
    } else {
      // Any other abstract field: every type it may return.
      if (returnsNode) for (const t of possible(named)) restrict(policy, typeHint(t));
      if (policy.maxAge === undefined && ((composite && !inherit) || root)) restrict(policy, { maxAge: 0 });
      restrict(out.policy, policy);
    }
    if (node.selectionSet && composite) walk(node.selectionSet, possible(named), false);
  }

  const walked = new Set<string>();
  function walk(set: SelectionSetNode, parents: readonly GraphQLObjectType[], root: boolean): void {
    for (const s of set.selections) {
      if (!included(s)) continue;
      if (s.kind === Kind.FIELD) {
        // __typename, __schema, __type: Apollo's hook never runs for them.
        if (!s.name.value.startsWith('__')) for (const parent of parents) field(parent, s, root);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet, applicable(parents, s.typeCondition?.name.value), root);
      } else {
        // A fragment adds the same whatever the path: walked once per parent types (spread
        // twice in each of 30 fragments, it would be 2^30 walks otherwise).
        const fragment = fragments.get(s.name.value);
        const on = fragment ? applicable(parents, fragment.typeCondition.name.value) : [];
        const key = `${s.name.value} ${root} ${on.map((t) => t.name).join(',')}`;
        if (fragment && !walked.has(key)) {
          walked.add(key);
          walk(fragment.selectionSet, on, root);
        }
      }
    }
  }

  const rootType = schema.getRootType(operation.operation);
  if (rootType) walk(operation.selectionSet, [rootType], true);
  return out;
}

/**
 * A `Node` root field's policy once answered: its own hints restricted by the hint of each
 * entity found (`answer`: the entity or null for `node`, the list for `nodes`); maxAge 0
 * when none was found, as Apollo gives a composite field that resolved to nothing.
 */
export function nodeHint(schema: GraphQLSchema, field: NodeField, answer: unknown): CacheHint {
  const policy = { ...field.policy };
  const ids = Array.isArray(field.ids) ? field.ids : [field.ids];
  const found = Array.isArray(answer) ? answer : [answer];
  const names = namesOf(schema);
  ids.forEach((id, i) => {
    if (found[i] === null || found[i] === undefined || typeof id !== 'string') return;
    let original: string;
    try {
      original = typeName(fromGlobalId(id).kind);
    } catch {
      return;
    }
    const type = field.types.find((t) => names.originalType(t.name) === original);
    if (type) restrict(policy, typeHint(type));
  });
  if (policy.maxAge === undefined) restrict(policy, { maxAge: 0 });
  return policy;
}
