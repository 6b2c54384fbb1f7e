/**
 * What the checks made before execution (query cost, cache policy) need to see an
 * operation as execution will: its variables once coerced, its fragments by name, and the
 * named type under a field's wrappers.
 */
import { Kind, valueFromASTUntyped, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The named type under a field type's list and non-null wrappers. Duck-typed: the schema's
 * classes may come from another copy of graphql (@apollo/subgraph's CJS beside ESM), so no
 * instanceof helpers.
 */
export function namedTypeOf(type: unknown): GraphQLNamedType | undefined {
  let t = type as { ofType?: unknown } | null | undefined;
  while (t?.ofType) t = t.ofType as typeof t;
  return (t ?? undefined) as GraphQLNamedType | undefined;
}

/**
 * The variables as execution will see them: one the request leaves out takes the default
 * its definition gives (`query($first: Int = 500)`); one given, `null` included, keeps its
 * value. Checks made before execution (query cost, cache policy) must read these, or an
 * operation could pass them with a default and run with it.
 */
export function variablesWithDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const defaults = (operation.variableDefinitions ?? []).filter((d) => d.defaultValue && variables[d.variable.name.value] === undefined);
  if (!defaults.length) return variables;
  return { ...variables, ...Object.fromEntries(defaults.map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)])) };
}

/** A document's fragment definitions by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/** The root fields of a selection set, through its fragments (spread or inline). */
export function rootFieldsOf(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, out: FieldNode[] = [], seen = new Set<string>()): FieldNode[] {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) rootFieldsOf(s.selectionSet, fragments, out, seen);
    else if (!seen.has(s.name.value) && fragments.has(s.name.value)) {
      seen.add(s.name.value);
      rootFieldsOf(fragments.get(s.name.value)!.selectionSet, fragments, out, seen);
    }
  }
  return out;
}
