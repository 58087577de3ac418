import { parameterValueViolations } from '../../../cdk/ros/parameter-constraints';
import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';

export const parameterDefault: TemplateRule = {
  id: 'parameter-default',
  scope: 'template',
  severity: 'error',
  short: "A parameter's Default breaks its own Type, AllowedValues, AllowedPattern, range or length.",
  long:
    "ROS validates the Default like any value a user enters: a Default that breaks the parameter's own " +
    'constraints makes every deployment that keeps it fail.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/parameters',
  appliesTo: ['Parameters/*/Default'],
  check(context) {
    return Object.entries(indexOf(context).parameters).flatMap(([name, parameter]) => {
      // [I] A null Default (`Default:` or `Default: Null`) reads as None in ROS's reader: no default at all.
      if (parameter.Default === undefined || parameter.Default === null || isFunctionCall(parameter.Default))
        return [];
      return parameterValueViolations(parameter, parameter.Default).map((problem) => ({
        where: { doc: context.doc, path: ['Parameters', name, 'Default'] },
        message: `Default of parameter "${name}": ${problem}`,
      }));
    });
  },
};

function isFunctionCall(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
