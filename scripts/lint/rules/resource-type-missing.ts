import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';

export const resourceTypeMissing: TemplateRule = {
  id: 'resource-type-missing',
  scope: 'template',
  severity: 'error',
  short: 'A resource has no Type, or its Type is not a string.',
  long: 'Every resource names its type (ALIYUN::ECS::VPC, DATASOURCE::..., MODULE::...); ROS cannot create one without it.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/resources',
  appliesTo: ['Resources/*/Type'],
  check(context) {
    return Object.entries(indexOf(context).resources)
      .filter(([, resource]) => typeof resource.Type !== 'string' || resource.Type.trim() === '')
      .map(([name]) => ({
        where: { doc: context.doc, path: ['Resources', name], key: true },
        message: `resource "${name}" has no Type`,
      }));
  },
};
