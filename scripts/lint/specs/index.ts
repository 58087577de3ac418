/**
 * The ROS resource specifications of the ROS CDK packages the kit depends on, generated into
 * resource-specs.json by generate.ts (`npm run lint:specs`), and the check of a resource's properties
 * against them that the property rules share.
 */
import { isRecord, type Path } from '../source/source-doc';
import raw from './resource-specs.json';
import type { PropertySpec, ResourceSpec, ResourceSpecs, StructSpec, TypeSpec } from './types';

export type { ResourceSpec, TypeSpec } from './types';

export const RESOURCE_SPECS = raw as unknown as ResourceSpecs;

/** The specification of a resource type, or undefined for a type no ROS CDK package of the kit covers. */
export function resourceSpec(type: unknown): ResourceSpec | undefined {
  return typeof type === 'string' && Object.hasOwn(RESOURCE_SPECS.resources, type)
    ? RESOURCE_SPECS.resources[type]
    : undefined;
}

/** `ALIYUN::ECS (47), ALIYUN::OSS (5) ...`: the covered types grouped by product, for rule descriptions. */
export function coverageSummary(): string {
  const counts = new Map<string, number>();
  for (const type of Object.keys(RESOURCE_SPECS.resources)) {
    const product = type.split('::').slice(0, 2).join('::');
    counts.set(product, (counts.get(product) ?? 0) + 1);
  }
  const products = [...counts].map(([product, n]) => `${product} (${n})`).join(', ');
  const packages = Object.entries(RESOURCE_SPECS.packages)
    .map(([name, version]) => `${name}@${version}`)
    .join(', ');
  return `${Object.keys(RESOURCE_SPECS.resources).length} resource types: ${products}, from ${packages}`;
}

export type PropertyProblem =
  | { kind: 'unknown'; path: Path; name: string; known: string[] }
  | { kind: 'required'; path: Path; missing: string[] }
  | { kind: 'type'; path: Path; expected: string; actual: string };

/** A call of an intrinsic function (`{Ref: X}`, `{Fn::If: [...]}`): its value is known only at deploy time. */
export function isFunctionCall(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/**
 * Every problem of `properties` (at `path`) against `spec`: unknown names, missing required ones and values
 * of the wrong type, nested structures included. Values computed by functions are not judged; a literal is
 * judged the way ROS reads it, which is laxer than the CDK's own validators: a number or Boolean is accepted
 * where a string is expected, and a numeric or Boolean string where a number or Boolean is.
 */
export function propertyProblems(
  properties: Record<string, unknown>,
  spec: StructSpec,
  path: Path,
): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  checkStruct(properties, spec, path, problems, 0);
  return problems;
}

function checkStruct(
  value: Record<string, unknown>,
  spec: StructSpec,
  path: Path,
  problems: PropertyProblem[],
  depth: number,
): void {
  const known = Object.keys(spec.properties);
  for (const [name, item] of Object.entries(value)) {
    const property: PropertySpec | undefined = Object.hasOwn(spec.properties, name)
      ? spec.properties[name]
      : undefined;
    if (!property) problems.push({ kind: 'unknown', path: [...path, name], name, known });
    else checkValue(item, property.type, [...path, name], problems, depth + 1);
  }
  const missing = known.filter(
    (name) => spec.properties[name].required && (value[name] === undefined || value[name] === null),
  );
  if (missing.length > 0) problems.push({ kind: 'required', path, missing });
}

function checkValue(
  value: unknown,
  type: TypeSpec,
  path: Path,
  problems: PropertyProblem[],
  depth: number,
): void {
  if (depth > 20 || value === null || value === undefined || type === 'any' || isFunctionCall(value)) return;
  const wrong = (expected: string): void => {
    problems.push({ kind: 'type', path, expected, actual: describe(value) });
  };
  if (type === 'string') {
    if (typeof value === 'object') wrong('a string');
  } else if (type === 'number') {
    if (!(typeof value === 'number' || (typeof value === 'string' && isNumeric(value)))) wrong('a number');
  } else if (type === 'boolean') {
    if (!(typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value))))
      wrong('a Boolean');
  } else if ('list' in type) {
    if (!Array.isArray(value)) wrong('a list');
    else value.forEach((item, i) => checkValue(item, type.list, [...path, i], problems, depth + 1));
  } else if ('map' in type) {
    if (!isRecord(value)) wrong('a mapping');
    else
      for (const [key, item] of Object.entries(value))
        checkValue(item, type.map, [...path, key], problems, depth + 1);
  } else if (!isRecord(value)) {
    wrong('a mapping');
  } else {
    checkStruct(value, type, path, problems, depth);
  }
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Where below a resource's Properties a path points, as written in messages: `DiskMappings[0].Size`. */
export function propertyLabel(path: Path): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
