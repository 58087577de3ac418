import type { TemplateRule } from '../model';
import { resourceName, resourceProblems } from '../ros/resource-properties';
import { coverageSummary } from '../specs';
import { didYouMean } from '../../../service-config/suggest';

export const unknownResourceProperty: TemplateRule = {
  id: 'unknown-resource-property',
  scope: 'template',
  severity: 'error',
  short: 'A resource sets a property its type does not have (also inside nested structures).',
  long:
    'ROS refuses a resource whose Properties name a property its type lacks, usually a typo or a property of ' +
    'another type. Checked against the ROS resource specifications carried by the ROS CDK packages the kit ' +
    `depends on, covering ${coverageSummary()}; resources of other types are not checked.`,
  docUrl: 'https://www.alibabacloud.com/help/en/ros/developer-reference/list-of-resource-types-by-service',
  appliesTo: ['Resources/*/Properties/**'],
  check(context) {
    return resourceProblems(context).flatMap((found) => {
      const { problem } = found;
      if (problem.kind !== 'unknown') return [];
      const inside =
        found.label.includes('.') || found.label.includes('[')
          ? ` in ${found.label.slice(0, found.label.length - problem.name.length - 1)}`
          : '';
      return [
        {
          where: { doc: context.doc, path: problem.path, key: true },
          message: `${resourceName(found)} has no property "${problem.name}"${inside}${didYouMean(problem.name, problem.known)}`,
        },
      ];
    });
  },
};
