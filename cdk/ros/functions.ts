/** Finds intrinsic function calls (`Ref`, `Fn::*`, a nested `Condition`) in template values. */
import type { Path } from '../model';
import { isRecord } from '../source/source-doc';

export interface FunctionCall {
  /** `Ref`, `Condition` or `Fn::<Name>`. */
  name: string;
  argument: unknown;
  /** Path of the argument (below the function key). */
  path: Path;
}

/** The sections whose values ROS evaluates; Parameters and Metadata are read by the console only. */
export const EVALUATED_SECTIONS = ['Conditions', 'Resources', 'Outputs', 'Locals', 'Rules'];

/** Every call in `value` (at `path`), outermost first, including calls nested in arguments. */
export function functionCalls(value: unknown, path: Path): FunctionCall[] {
  const calls: FunctionCall[] = [];
  visit(value, path, calls, 0);
  return calls;
}

function visit(value: unknown, path: Path, calls: FunctionCall[], depth: number): void {
  if (depth > 100) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, [...path, i], calls, depth + 1));
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && isFunctionName(keys[0])) {
    calls.push({ name: keys[0], argument: value[keys[0]], path: [...path, keys[0]] });
  }
  for (const key of keys) visit(value[key], [...path, key], calls, depth + 1);
}

function isFunctionName(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');
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
