/** The shape of `resource-specs.json` (see generate.ts). */

/** A property's value: a primitive, `any`, a list or map of values, or a structure with named properties. */
export type TypeSpec =
  'string' | 'number' | 'boolean' | 'any' | { list: TypeSpec } | { map: TypeSpec } | StructSpec;

export interface StructSpec {
  properties: Record<string, PropertySpec>;
}

export interface PropertySpec {
  type: TypeSpec;
  required?: true;
}

export interface ResourceSpec extends StructSpec {
  /** The ROS CDK package the specification comes from. */
  package: string;
}

export interface ResourceSpecs {
  /** Package name → the installed version the file was generated from. */
  packages: Record<string, string>;
  /** Resource type (`ALIYUN::ECS::Instance`, `DATASOURCE::VPC::Vpcs`) → its specification. */
  resources: Record<string, ResourceSpec>;
}
