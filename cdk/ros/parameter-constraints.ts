/**
 * What ROS accepts as the value of a template parameter, as one pure function shared by synth (plans),
 * the linter (Defaults, PredefinedParameters) and the sandbox (order parameters at deployment).
 */

/** The part of a ROS template parameter declaration that constrains its value. */
export interface RosParameterConstraints {
  Type?: string;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinValue?: number | string;
  MaxValue?: number | string;
  MinLength?: number | string;
  MaxLength?: number | string;
}

export const ROS_PARAMETER_TYPES = [
  'String',
  'Number',
  'CommaDelimitedList',
  'Json',
  'Boolean',
  'ALIYUN::OOS::Parameter::Value',
  'ALIYUN::OOS::SecretParameter::Value',
] as const;

/**
 * Returns why `value` is not acceptable for the parameter (empty when it is). Plan values may be a scalar
 * or a one-element list (both occur in real service definitions); a longer list is only valid for a
 * CommaDelimitedList or Json parameter.
 */
export function parameterValueViolations(spec: RosParameterConstraints, input: unknown): string[] {
  const type = spec.Type ?? 'String';
  const value = unwrapSingleton(input, type);
  if (value === undefined) return [`expects one value, got a list of ${(input as unknown[]).length}`];
  const typeError = typeViolation(type, value);
  if (typeError) return [typeError];
  return [
    ...allowedValuesViolation(spec, value),
    ...patternViolation(spec, value, type),
    ...rangeViolation(spec, value, type),
    ...lengthViolation(spec, value, type),
  ];
}

function unwrapSingleton(input: unknown, type: string): unknown {
  if (!Array.isArray(input) || type === 'CommaDelimitedList' || type === 'Json') return input;
  return input.length === 1 ? input[0] : undefined;
}

function typeViolation(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'Number':
      return toNumber(value) === undefined ? `must be a Number; got ${JSON.stringify(value)}` : undefined;
    case 'Boolean':
      return toBoolean(value) === undefined
        ? `must be a Boolean (true or false); got ${JSON.stringify(value)}`
        : undefined;
    case 'String':
      return typeof value === 'object' && value !== null
        ? `must be a String; got ${JSON.stringify(value)}`
        : undefined;
    default:
      return undefined;
  }
}

function allowedValuesViolation(spec: RosParameterConstraints, value: unknown): string[] {
  if (!Array.isArray(spec.AllowedValues) || spec.AllowedValues.length === 0) return [];
  // [I] ROS compares the string forms: AllowedValues [1, 2] admits "1" and 1 alike.
  const allowed = spec.AllowedValues.map(stringForm);
  return listItems(value, spec.Type)
    .filter((item) => !allowed.includes(stringForm(item)))
    .map((item) => `${JSON.stringify(item)} is not one of the AllowedValues [${allowed.join(', ')}]`);
}

/**
 * The values a constraint applies to one by one: each item of a CommaDelimitedList (a list or a
 * comma-separated string) [I: ROS checks list parameters item by item], else the value itself.
 */
function listItems(value: unknown, type: string | undefined): unknown[] {
  if (type !== 'CommaDelimitedList') return [value];
  return Array.isArray(value)
    ? value
    : String(value)
        .split(',')
        .map((item) => item.trim());
}

function patternViolation(spec: RosParameterConstraints, value: unknown, type: string): string[] {
  if (typeof spec.AllowedPattern !== 'string' || type === 'Number' || type === 'Boolean') return [];
  let pattern: RegExp;
  try {
    // [I] ROS matches the whole value (Java `matches`), so the pattern is anchored on both ends.
    pattern = new RegExp(`^(?:${spec.AllowedPattern})$`, 'u');
  } catch {
    try {
      pattern = new RegExp(`^(?:${spec.AllowedPattern})$`);
    } catch {
      return [`AllowedPattern ${JSON.stringify(spec.AllowedPattern)} is not a valid regular expression`];
    }
  }
  return listItems(value, type)
    .filter((item) => !pattern.test(stringForm(item)))
    .map((item) => `${JSON.stringify(item)} does not match the AllowedPattern ${spec.AllowedPattern}`);
}

function rangeViolation(spec: RosParameterConstraints, value: unknown, type: string): string[] {
  if (type !== 'Number') return [];
  const n = toNumber(value) as number;
  const min = toNumber(spec.MinValue);
  const max = toNumber(spec.MaxValue);
  const problems: string[] = [];
  if (min !== undefined && n < min) problems.push(`${n} is below the MinValue ${min}`);
  if (max !== undefined && n > max) problems.push(`${n} is above the MaxValue ${max}`);
  return problems;
}

function lengthViolation(spec: RosParameterConstraints, value: unknown, type: string): string[] {
  if (type !== 'String') return [];
  const length = [...stringForm(value)].length;
  const min = toNumber(spec.MinLength);
  const max = toNumber(spec.MaxLength);
  const problems: string[] = [];
  if (min !== undefined && length < min)
    problems.push(`is ${length} characters long, below the MinLength ${min}`);
  if (max !== undefined && length > max)
    problems.push(`is ${length} characters long, above the MaxLength ${max}`);
  return problems;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function stringForm(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
