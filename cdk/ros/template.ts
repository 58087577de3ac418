import type { RosParameterConstraints } from './parameter-constraints';

/**
 * The plain JSON shape of a ROS template, as far as nestkit reads it: the one `RosTemplate` type of synth,
 * the linter and the sandbox (the linter reads its input as untyped first, since it must report bad shapes).
 */
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

/** A parameter as declared: its constraints (one description, `parameter-constraints.ts`) and the rest. */
export interface RosParameterDeclaration extends RosParameterConstraints {
  Type: string;
  Default?: unknown;
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
