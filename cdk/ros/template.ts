/** The plain JSON shape of a ROS template, as far as nestkit reads it. */
export interface RosTemplate {
  ROSTemplateFormatVersion: string;
  Description?: unknown;
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, RosParameterDeclaration>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<string, unknown>;
  Resources?: Record<string, RosResourceDeclaration>;
  Outputs?: Record<string, RosOutputDeclaration>;
  [section: string]: unknown;
}

export interface RosParameterDeclaration {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
  MinLength?: number;
  MaxLength?: number;
  NoEcho?: boolean;
  Label?: unknown;
  Description?: unknown;
  AssociationProperty?: string;
  [key: string]: unknown;
}

export interface RosResourceDeclaration {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

export interface RosOutputDeclaration {
  Value: unknown;
  Condition?: string;
  Label?: unknown;
  Description?: unknown;
  [key: string]: unknown;
}

/** The order sections are written in, so committed templates diff stably. */
export const SECTION_ORDER = [
  'ROSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Rules',
  'Resources',
  'Outputs',
];

export function inCanonicalOrder(template: RosTemplate): RosTemplate {
  const ordered: Record<string, unknown> = {};
  for (const section of SECTION_ORDER)
    if (template[section] !== undefined) ordered[section] = template[section];
  for (const [section, value] of Object.entries(template))
    if (!(section in ordered)) ordered[section] = value;
  return ordered as RosTemplate;
}

/** Names of the resources a value refers to through Ref, Fn::GetAtt or `${Resource.Attr}` in Fn::Sub. */
export function referencedNames(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string')
        into.add(inner[0]);
      else if (key === 'Fn::Sub') subVariables(inner).forEach((name) => into.add(name.split('.')[0]));
      referencedNames(inner, into);
    }
  }
  return into;
}

/** Variables of an Fn::Sub string (`${Name}`, `${Res.Attr}`); `${!Literal}` is an escape, not a variable. */
export function subVariables(sub: unknown): string[] {
  const text = Array.isArray(sub) ? sub[0] : sub;
  if (typeof text !== 'string') return [];
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1].trim());
}
