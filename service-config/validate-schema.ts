import Ajv, { type ErrorObject } from 'ajv';
import schema from './schema.json';
import type { FieldPath } from './positions';
import { closest } from './suggest';
import { pointerToPath } from './positions';

/** A schema violation before it is given a file position. */
export interface SchemaProblem {
  path: FieldPath;
  /** Point at the key rather than the value (unknown keys). */
  atKey: boolean;
  message: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;

function compiled(): ReturnType<Ajv['compile']> {
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  return validator;
}

/** Validates a parsed document against `schema.json`; returns one readable problem per violation. */
export function validateAgainstSchema(data: unknown): SchemaProblem[] {
  const validate = compiled();
  if (validate(data)) return [];
  return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(toProblem);
}

/** Suggests the closest known name when it is near enough to be a typo (the one threshold, `suggest.ts`). */
export const suggest = closest;

function toProblem(error: ErrorObject): SchemaProblem {
  const path = pointerToPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const hint = suggest(key, known);
      return {
        path: [...path, key],
        atKey: true,
        message: `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''} (known: ${known.join(', ')})`,
      };
    }
    case 'required':
      return {
        path,
        atKey: false,
        message: `missing required field "${String(error.params.missingProperty)}"`,
      };
    case 'enum': {
      const allowed = error.params.allowedValues as unknown[];
      const names = allowed.filter((v): v is string => typeof v === 'string');
      const hint = typeof error.data === 'string' ? suggest(error.data, names) : undefined;
      return {
        path,
        atKey: false,
        message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(error.data)}${hint ? `; did you mean "${hint}"?` : ''}`,
      };
    }
    case 'type':
      return {
        path,
        atKey: false,
        message: `must be ${String(error.params.type)}; got ${describe(error.data)}`,
      };
    case 'pattern':
      return {
        path,
        atKey: false,
        message: `${JSON.stringify(error.data)} does not match ${String(error.params.pattern)}${hintFor(error)}`,
      };
    default:
      return { path, atKey: false, message: `${error.message ?? 'is invalid'}${hintFor(error)}` };
  }
}

function hintFor(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ? ` (${description})` : '';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
