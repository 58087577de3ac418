import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';
import { unknownEntryKeys } from '../ros/unknown-keys';
import { OUTPUT_KEYS } from '../../../cdk/ros/vocabulary';

export const unknownOutputKey: TemplateRule = {
  id: 'unknown-output-key',
  scope: 'template',
  severity: 'warning',
  short: 'An output declares a key ROS does not document.',
  long: 'An output holds Value, Description, Condition, Label and NoEcho. Other keys are ignored or rejected.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/outputs',
  appliesTo: ['Outputs/*/*'],
  check(context) {
    return unknownEntryKeys(context.doc, 'Outputs', indexOf(context).outputs, OUTPUT_KEYS, 'output');
  },
};
