import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';
import { unknownEntryKeys } from '../ros/unknown-keys';
import { RESOURCE_KEYS } from '../../../cdk/ros/vocabulary';

export const unknownResourceKey: TemplateRule = {
  id: 'unknown-resource-key',
  scope: 'template',
  severity: 'error',
  short: 'A resource entry has an attribute ROS does not know.',
  long:
    'A resource entry holds Type, Properties, DependsOn, Condition, DeletionPolicy, UpdatePolicy, Metadata, ' +
    'Count, Description and, for MODULE:: resources, Version. Resource properties belong under Properties; ' +
    'ROS rejects unknown attributes.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/resources',
  appliesTo: ['Resources/*/*'],
  check(context) {
    return unknownEntryKeys(context.doc, 'Resources', indexOf(context).resources, RESOURCE_KEYS, 'resource');
  },
};
