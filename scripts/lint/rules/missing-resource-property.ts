import type { TemplateRule } from '../model';
import { resourceName, resourceProblems } from '../ros/resource-properties';
import { coverageSummary } from '../specs';

export const missingResourceProperty: TemplateRule = {
  id: 'missing-resource-property',
  scope: 'template',
  severity: 'error',
  short: 'A resource, or a structure inside its properties, lacks a property its type requires.',
  long:
    'ROS refuses to create a resource without its required properties (an ALIYUN::ECS::InstanceGroup without ' +
    'MaxAmount, a DiskMappings entry without Size). A property set by a function (Fn::If ... ALIYUN::NoValue) ' +
    'counts as set. Checked against the ROS resource specifications carried by the ROS CDK packages the kit ' +
    `depends on, covering ${coverageSummary()}; resources of other types are not checked.`,
  docUrl: 'https://www.alibabacloud.com/help/en/ros/developer-reference/list-of-resource-types-by-service',
  appliesTo: ['Resources/*/Properties/**'],
  check(context) {
    return resourceProblems(context).flatMap((found) => {
      const { problem } = found;
      if (problem.kind !== 'required') return [];
      const names = problem.missing.map((n) => `"${n}"`).join(', ');
      const what = `the required propert${problem.missing.length === 1 ? 'y' : 'ies'} ${names}`;
      const subject = found.label === '' ? resourceName(found) : `${found.label} of ${resourceName(found)}`;
      return [
        { where: { doc: context.doc, path: problem.path, key: true }, message: `${subject} lacks ${what}` },
      ];
    });
  },
};
