/** What an operation's variables are once execution coerces them. */
import { valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';

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
