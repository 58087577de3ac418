import type { TemplateRule } from '../model';
import { TEMPLATE_SECTIONS } from '../../../cdk/ros/vocabulary';
import { didYouMean } from '../../../service-config/suggest';

export const unknownSection: TemplateRule = {
  id: 'unknown-section',
  scope: 'template',
  severity: 'error',
  short: 'A top-level section of the template is not one ROS knows.',
  long:
    'ROS templates have a fixed set of top-level sections (ROSTemplateFormatVersion, Description, Metadata, ' +
    'Parameters, Mappings, Conditions, Resources, Outputs, Rules, Locals, Transform, Workspace). ROS rejects a ' +
    'template with any other; a misspelt section is usually a typo of one of them.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/template-structure',
  appliesTo: ['*'],
  check({ doc, template }) {
    return Object.keys(template)
      .filter((key) => !TEMPLATE_SECTIONS.includes(key))
      .map((key) => ({
        where: { doc, path: [key], key: true },
        message: `unknown top-level section "${key}"${didYouMean(key, TEMPLATE_SECTIONS)}`,
      }));
  },
};
