/** Finds intrinsic function calls (`Ref`, `Fn::*`, a nested `Condition`) in template values. */

/** Where a value lies in a template: keys and list indices from the root. */
export type TemplatePath = (string | number)[];

export interface FunctionCall {
  /** `Ref`, `Condition` or `Fn::<Name>`. */
  name: string;
  argument: unknown;
  /** Path of the argument (below the function key). */
  path: TemplatePath;
}

/** The sections whose values ROS evaluates; Parameters and Metadata are read by the console only. */
export const EVALUATED_SECTIONS = ['Conditions', 'Resources', 'Outputs', 'Locals', 'Rules'];

/** Every call in `value` (at `path`), outermost first, including calls nested in arguments. */
export function functionCalls(value: unknown, path: TemplatePath = []): FunctionCall[] {
  const calls: FunctionCall[] = [];
  visit(value, path, calls, 0);
  return calls;
}

function visit(value: unknown, path: TemplatePath, calls: FunctionCall[], depth: number): void {
  if (depth > 100) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, [...path, i], calls, depth + 1));
    return;
  }
  if (!isMapping(value)) return;
  const keys = Object.keys(value);
  // A call is a mapping of exactly one key, the function's name (ROS template reference, "Functions").
  if (keys.length === 1 && isFunctionName(keys[0])) {
    calls.push({ name: keys[0], argument: value[keys[0]], path: [...path, keys[0]] });
  }
  for (const key of keys) visit(value[key], [...path, key], calls, depth + 1);
}

export function isFunctionName(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');
}

/** A JSON/YAML mapping (not a list, not null). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const cache = new WeakMap<Record<string, unknown>, FunctionCall[]>();

/** Calls in every evaluated section of a template (computed once per template). */
export function templateCalls(template: Record<string, unknown>): FunctionCall[] {
  let calls = cache.get(template);
  if (!calls) {
    calls = EVALUATED_SECTIONS.flatMap((name) => functionCalls(template[name], [name]));
    cache.set(template, calls);
  }
  return calls;
}
