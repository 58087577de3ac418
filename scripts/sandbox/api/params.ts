import { invalid, missing } from '../errors';

/** Reading RPC parameters: required and optional scalars, flattened lists and structs, JSON strings. */
export type Params = Record<string, string>;

export function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missing(name);
  return value;
}

export function optional(params: Params, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}

export function bool(params: Params, name: string): boolean {
  const value = optional(params, name);
  if (value === undefined) return false;
  if (!/^(true|false)$/i.test(value)) throw invalid(name, 'Expected true or false.');
  return value.toLowerCase() === 'true';
}

export function integer(params: Params, name: string, fallback: number, min: number, max: number): number {
  const value = optional(params, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid(name, `Expected an integer from ${min} to ${max}.`);
  return n;
}

export function json<T>(params: Params, name: string): T | undefined {
  const value = optional(params, name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw invalid(name, 'It must be a JSON string.');
  }
}

/** `X.1=a&X.2=b` → [a, b]; a plain `X` counts as one element. */
export function list(params: Params, name: string): string[] {
  const nested = unflatten(params, name);
  if (Array.isArray(nested)) return nested.filter((v): v is string => typeof v === 'string');
  return typeof nested === 'string' ? [nested] : [];
}

/** `Filter.1.Name=Status&Filter.1.Value.1=Online` → [{Name: 'Status', Value: ['Online']}]. */
export function structs(params: Params, name: string): Record<string, unknown>[] {
  const nested = unflatten(params, name);
  return Array.isArray(nested)
    ? nested.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

export interface Filter {
  Name: string;
  Value: string[];
}

export function filters(params: Params): Filter[] {
  return structs(params, 'Filter').map((f) => ({
    Name: String(f.Name ?? ''),
    Value: Array.isArray(f.Value) ? f.Value.map(String) : f.Value === undefined ? [] : [String(f.Value)],
  }));
}

/** Rebuilds the nested value flattened under `prefix`; numeric segments (1-based) become array slots. */
export function unflatten(params: Params, prefix: string): unknown {
  if (params[prefix] !== undefined) return params[prefix];
  let root: unknown;
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    root = place(root, key.slice(prefix.length + 1).split('.'), value);
  }
  return compact(root);
}

function place(node: unknown, path: string[], value: string): unknown {
  const [head, ...rest] = path;
  const index = /^[1-9]\d*$/.test(head) ? Number(head) - 1 : undefined;
  const container: Record<string, unknown> | unknown[] =
    node !== undefined && typeof node === 'object'
      ? (node as Record<string, unknown>)
      : index !== undefined
        ? []
        : {};
  const slot = index ?? head;
  const current = (container as Record<string | number, unknown>)[slot];
  (container as Record<string | number, unknown>)[slot] =
    rest.length === 0 ? value : place(current, rest, value);
  return container;
}

function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((v) => v !== undefined).map(compact);
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, compact(v)]));
  return node;
}
