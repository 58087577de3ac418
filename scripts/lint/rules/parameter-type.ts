import { ROS_PARAMETER_TYPES } from '../../../cdk/ros/parameter-constraints';
import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';
import { didYouMean } from '../../../service-config/suggest';

export const parameterType: TemplateRule = {
  id: 'parameter-type',
  scope: 'template',
  severity: 'error',
  short: 'A parameter has no Type or a Type ROS does not know.',
  long:
    'Type is required for every parameter: String, Number, CommaDelimitedList, Json, Boolean, ' +
    'ALIYUN::OOS::Parameter::Value or ALIYUN::OOS::SecretParameter::Value.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/parameters',
  appliesTo: ['Parameters/*/Type'],
  check(context) {
    const types: readonly string[] = ROS_PARAMETER_TYPES;
    return Object.entries(indexOf(context).parameters).flatMap(([name, parameter]) => {
      if (parameter.Type === undefined) {
        return [
          {
            where: { doc: context.doc, path: ['Parameters', name], key: true },
            message: `parameter "${name}" has no Type`,
          },
        ];
      }
      if (typeof parameter.Type === 'string' && types.includes(parameter.Type)) return [];
      return [
        {
          where: { doc: context.doc, path: ['Parameters', name, 'Type'] },
          message: `parameter "${name}" has Type ${JSON.stringify(parameter.Type)}, which ROS does not know${didYouMean(String(parameter.Type), types)}`,
        },
      ];
    });
  },
};
