import type { ActionModel, FieldModel, FieldType } from './model';

/**
 * The official models as a judge of the wire: a request as the client sends it (flattened
 * `Name.1.Key=value` strings) and a response body as the sandbox answers it. Both sides import this,
 * so a wrong belief about the API fails on whichever side holds it.
 */

export interface ContractProblem {
  /** The wire name (`Filter.1.Value.1`) or the response path (`ServiceInstances[0].Outputs`). */
  path: string;
  message: string;
}

/**
 * Checks a request's wire parameters against the action's model: every key names a field the model
 * has, in the serialization the model gives it, scalars parse as their type, and every required field
 * is present. Common parameters (Action, Version, signature) are the SDK's, not in `wire`.
 */
export function checkWireRequest(model: ActionModel, wire: Record<string, string>): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const byName = new Map(model.request.map((field) => [field.name, field]));
  for (const [key, value] of Object.entries(wire)) {
    const [head, ...rest] = key.split('.');
    const field = byName.get(head);
    if (!field) {
      problems.push({ path: key, message: 'the action has no such parameter' });
      continue;
    }
    problems.push(...checkWireValue(field, key, rest, value));
  }
  for (const field of model.request) {
    if (!field.required) continue;
    const present = Object.keys(wire).some((key) => key === field.name || key.startsWith(`${field.name}.`));
    if (!present) problems.push({ path: field.name, message: 'required parameter missing' });
  }
  return problems;
}

/**
 * Checks the values a caller hands the encoder: a `plain` field takes a scalar. An object given for a
 * plain string (DeployMetadata is JSON *text* in the model) would be flattened into keys the action
 * lacks, or into nothing at all when it is empty.
 */
export function checkPlainValues(model: ActionModel, params: object): ContractProblem[] {
  const problems: ContractProblem[] = [];
  for (const [name, value] of Object.entries(params)) {
    const field = model.request.find((f) => f.name === name);
    if (field?.style !== 'plain' || value === undefined || value === null) continue;
    if (typeof value === 'object')
      problems.push({
        path: name,
        message: `${name} is a plain ${field.type}: send JSON text, not an object`,
      });
  }
  return problems;
}

/** The required top-level parameters that `wire` lacks (what the sandbox answers MissingParameter for). */
export function missingRequired(model: ActionModel, wire: Record<string, string>): string[] {
  return checkWireRequest(model, wire)
    .filter((problem) => problem.message === 'required parameter missing')
    .map((problem) => problem.path);
}

function checkWireValue(field: FieldModel, key: string, rest: string[], value: string): ContractProblem[] {
  const style = field.style ?? 'plain';
  if (style === 'json') {
    if (rest.length > 0) return [{ path: key, message: `must be sent as one JSON string in ${field.name}` }];
    return parsesAsJson(value, field.type) ? [] : [{ path: key, message: `must be a JSON ${field.type}` }];
  }
  if (style === 'plain') {
    if (rest.length > 0) return [{ path: key, message: `${field.name} is a plain ${field.type}` }];
    return scalarProblem(field.type, key, value);
  }
  return checkFlatPath(field, key, rest, value);
}

/** `Filter.1.Value.1` against Filter: array of {Name, Value: string[]}. */
function checkFlatPath(field: FieldModel, key: string, rest: string[], value: string): ContractProblem[] {
  let node: {
    type: FieldType | 'any';
    children?: FieldModel[];
    itemType?: FieldType;
    valueType?: FieldType | 'any';
  } = field;
  for (const segment of rest) {
    if (node.type === 'array') {
      if (!/^[1-9]\d*$/.test(segment))
        return [{ path: key, message: `expected a 1-based index at "${segment}"` }];
      node = { type: node.itemType ?? 'any', children: node.children };
    } else if (node.type === 'map') {
      node = { type: node.valueType ?? 'any', children: node.children };
    } else if (node.type === 'object') {
      if (!node.children) return [];
      const child = node.children.find((c) => c.name === segment);
      if (!child) return [{ path: key, message: `no field "${segment}" here` }];
      node = child;
    } else {
      return [{ path: key, message: `a ${node.type} has no member "${segment}"` }];
    }
  }
  if (node.type === 'any') return [];
  if (node.type === 'array' || node.type === 'object' || node.type === 'map') {
    return rest.length === 0 && field.type === 'array'
      ? [] // `ServiceInstanceId=x` without an index counts as one element [I] (servers accept it)
      : [{ path: key, message: `a ${node.type} must be flattened (${key}.1...)` }];
  }
  return scalarProblem(node.type, key, value);
}

function scalarProblem(type: FieldType, key: string, value: string): ContractProblem[] {
  switch (type) {
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(value) ? [] : [{ path: key, message: `"${value}" is not an integer` }];
    case 'number':
      return Number.isFinite(Number(value)) && value.trim() !== ''
        ? []
        : [{ path: key, message: `"${value}" is not a number` }];
    case 'boolean':
      return /^(true|false)$/.test(value) ? [] : [{ path: key, message: `"${value}" is not true or false` }];
    default:
      return [];
  }
}

function parsesAsJson(value: string, type: FieldType): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    if (type === 'array') return Array.isArray(parsed);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/**
 * Checks a response body against the action's response tree: no field the model lacks, each value of
 * the model's type (an integer is not a string). `RequestId` is the gateway's and always allowed [I]:
 * two Market actions lack it in the SDK models, yet every RPC answer carries one.
 */
export function checkResponse(model: ActionModel, body: Record<string, unknown>): ContractProblem[] {
  const fields = model.response.some((f) => f.name === 'RequestId')
    ? model.response
    : [...model.response, { name: 'RequestId', type: 'string' as const }];
  return checkObject(fields, body, '');
}

function checkObject(
  fields: readonly FieldModel[],
  value: Record<string, unknown>,
  path: string,
): ContractProblem[] {
  const byName = new Map(fields.map((field) => [field.name, field]));
  const problems: ContractProblem[] = [];
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined) continue;
    const at = path ? `${path}.${name}` : name;
    const field = byName.get(name);
    if (!field) problems.push({ path: at, message: 'the model has no such response field' });
    else problems.push(...checkValue(field, member, at));
  }
  return problems;
}

function checkValue(
  node: {
    type: FieldType | 'any';
    children?: FieldModel[];
    itemType?: FieldType;
    valueType?: FieldType | 'any';
  },
  value: unknown,
  path: string,
): ContractProblem[] {
  if (value === null || node.type === 'any') return [];
  const wrong = (): ContractProblem[] => [{ path, message: `expected ${node.type}, got ${describe(value)}` }];
  switch (node.type) {
    case 'string':
      return typeof value === 'string' ? [] : wrong();
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong();
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? [] : wrong();
    case 'number':
      return typeof value === 'number' ? [] : wrong();
    case 'array':
      if (!Array.isArray(value)) return wrong();
      return value.flatMap((item, i) =>
        checkValue({ type: node.itemType ?? 'any', children: node.children }, item, `${path}[${i}]`),
      );
    case 'map':
      if (!isPlainObject(value)) return wrong();
      return Object.entries(value).flatMap(([k, v]) =>
        checkValue({ type: node.valueType ?? 'any', children: node.children }, v, `${path}.${k}`),
      );
    case 'object':
      if (!isPlainObject(value)) return wrong();
      return node.children ? checkObject(node.children, value, path) : [];
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value;
}

/** One line per problem, for an error message. */
export function formatProblems(
  product: string,
  action: string,
  problems: readonly ContractProblem[],
): string {
  return problems.map((p) => `${product} ${action}: ${p.path}: ${p.message}`).join('\n');
}
