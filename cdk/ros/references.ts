/** What a value of a template names through `Ref`, `Fn::GetAtt` and `Fn::Sub` variables. */
import { functionCalls } from './functions';
import { subParts, subVariables } from './sub-variables';

/** The name an `Fn::GetAtt` argument (`[Name, Attribute]` or `Name.Attribute`) reads from. */
export function getAttOwner(argument: unknown): string | undefined {
  if (Array.isArray(argument) && typeof argument[0] === 'string') return argument[0];
  if (typeof argument === 'string') return argument.split('.')[0];
  return undefined;
}

/**
 * Names a value reads through Ref, Fn::GetAtt or an Fn::Sub variable (`${Name}`, `${Resource.Attr}`
 * by its resource). A variable the Fn::Sub's own map defines is local to it, not a reference (ROS
 * reference, Fn::Sub: "variables in a key-value map").
 */
export function referencedNames(value: unknown): Set<string> {
  const names = new Set<string>();
  for (const call of functionCalls(value)) {
    if (call.name === 'Ref' && typeof call.argument === 'string') names.add(call.argument);
    if (call.name === 'Fn::GetAtt') {
      const owner = getAttOwner(call.argument);
      if (owner) names.add(owner);
    }
    if (call.name === 'Fn::Sub') {
      const { text, variables } = subParts(call.argument);
      for (const v of subVariables(text ?? '')) {
        if (!(v.name in variables)) names.add(v.name.split('.')[0]);
      }
    }
  }
  return names;
}

/** The names a DependsOn value lists (a string or a list of strings), with their path below DependsOn. */
export function dependsOnTargets(value: unknown): { name: string; subPath: number[] }[] {
  if (typeof value === 'string') return [{ name: value, subPath: [] }];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) => (typeof item === 'string' ? [{ name: item, subPath: [i] }] : []));
}
