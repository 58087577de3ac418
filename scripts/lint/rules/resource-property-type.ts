import type { TemplateRule } from '../model';
import { resourceName, resourceProblems } from '../ros/resource-properties';
import { coverageSummary } from '../specs';

export const resourcePropertyType: TemplateRule = {
  id: 'resource-property-type',
  scope: 'template',
  severity: 'error',
  short: 'A resource property holds a value of the wrong type: a list for a string, text for a number ...',
  long:
    "ROS refuses a property value it cannot read as the property's type. Literals are judged as ROS reads them: " +
    'a number or Boolean passes for a string, "10" for a number and "true" for a Boolean; values computed by ' +
    'functions (Ref, Fn::*) are not judged. Checked against the ROS resource specifications carried by the ROS ' +
    `CDK packages the kit depends on, covering ${coverageSummary()}; resources of other types are not checked.`,
  docUrl: 'https://www.alibabacloud.com/help/en/ros/developer-reference/list-of-resource-types-by-service',
  appliesTo: ['Resources/*/Properties/**'],
  check(context) {
    return resourceProblems(context).flatMap((found) => {
      const { problem } = found;
      if (problem.kind !== 'type') return [];
      return [
        {
          where: { doc: context.doc, path: problem.path },
          message: `${found.label} of ${resourceName(found)} takes ${problem.expected}, not ${problem.actual}`,
        },
      ];
    });
  },
};
