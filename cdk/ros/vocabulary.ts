/**
 * The names ROS templates may use, from the ROS template reference
 * (https://www.alibabacloud.com/help/en/ros/user-guide/template-structure and the pages it links).
 */

export const ROS_DOCS = 'https://www.alibabacloud.com/help/en/ros/user-guide';

/** Top-level sections. `Locals`, `Transform` and `Workspace` occur in real Compute Nest templates. */
export const TEMPLATE_SECTIONS = [
  'ROSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Resources',
  'Outputs',
  'Rules',
  'Locals',
  'Transform',
  'Workspace',
];

export const TEMPLATE_FORMAT_VERSION = '2015-09-01';

/**
 * Parameter properties. `Required` is not in the ROS reference but the Compute Nest console reads it and
 * hundreds of published templates use it [I: accepted by ROS, since those templates deploy].
 */
export const PARAMETER_KEYS = [
  'Type',
  'Default',
  'AllowedValues',
  'AllowedPattern',
  'MinLength',
  'MaxLength',
  'MinValue',
  'MaxValue',
  'NoEcho',
  'Description',
  'ConstraintDescription',
  'Label',
  'AssociationProperty',
  'AssociationPropertyMetadata',
  'Confirm',
  'TextArea',
  'Placeholder',
  'Required',
];

/** Resource entry attributes. `Version` pins a `MODULE::` resource's module version. */
export const RESOURCE_KEYS = [
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdatePolicy',
  'Metadata',
  'Count',
  'Description',
  'Version',
];

export const OUTPUT_KEYS = ['Value', 'Description', 'Condition', 'Label', 'NoEcho'];

/** Pseudo parameters usable with `Ref` and in `Fn::Sub`. */
export const PSEUDO_PARAMETERS = [
  'ALIYUN::StackName',
  'ALIYUN::StackId',
  'ALIYUN::Region',
  'ALIYUN::AccountId',
  'ALIYUN::TenantId',
  'ALIYUN::NoValue',
  'ALIYUN::Index',
  'ALIYUN::ResourceGroupId',
];

/**
 * Console widgets an `AssociationProperty` may name instead of an `ALIYUN::<Product>::<Resource>::<Property>`
 * resource property (Compute Nest reference, section 3).
 */
export const ASSOCIATION_WIDGETS = [
  'ChargeType',
  'PayPeriod',
  'PayPeriodUnit',
  'AutoRenew',
  'FileContent',
  'TextArea',
  'AlertCheckbox',
  'AutoCompleteInput',
  'Code',
  'DateTime',
  'Json',
];
