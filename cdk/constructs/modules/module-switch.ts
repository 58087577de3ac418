import * as ros from '@alicloud/ros-cdk-core';
import type { ModuleSpec } from '../../../service-config/model';
import { asLabel, fromLocalized, rosText } from '../i18n';

/** PascalCase of a module kind: `public-endpoint` → `PublicEndpoint`; prefixes every logical id of a module. */
export function modulePrefix(kind: string): string {
  return kind.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase());
}

/**
 * The Boolean parameter that a Marketplace extra billing item switches, and the condition every resource
 * of the module carries. Logical ids are prefixed with the module name, as ROS CDK uses bare construct ids.
 */
export function moduleSwitch(scope: ros.Construct, module: ModuleSpec): ros.RosCondition {
  const parameter = new ros.RosParameter(scope, module.parameter, {
    type: ros.RosParameterType.BOOLEAN,
    defaultValue: false,
    label: asLabel(fromLocalized(module.title)),
    description: rosText(
      `Sold as the Marketplace billing item ${module.billingItem}.`,
      `对应云市场计费项 ${module.billingItem}。`,
    ),
  });
  // [I] A Boolean parameter resolves to a JSON boolean, so it is compared with `true`, not "true".
  return new ros.RosCondition(scope, `${modulePrefix(module.name)}Enabled`, {
    expression: ros.Fn.conditionEquals(parameter.valueAsAny, true),
  });
}
