import type { TemplateRule } from '../model';
import { TEMPLATE_FORMAT_VERSION } from '../../../cdk/ros/vocabulary';

export const formatVersion: TemplateRule = {
  id: 'format-version',
  scope: 'template',
  severity: 'error',
  short: "ROSTemplateFormatVersion is missing or not '2015-09-01'.",
  long:
    "ROSTemplateFormatVersion is required and its only value is '2015-09-01'. Quote it in YAML; an unquoted " +
    'date is accepted here because it reads back as the same text.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/template-structure',
  appliesTo: ['ROSTemplateFormatVersion'],
  check({ doc, template }) {
    const version = template.ROSTemplateFormatVersion;
    if (version === undefined) {
      return [
        {
          where: { doc, path: [] },
          message: `ROSTemplateFormatVersion is missing; add '${TEMPLATE_FORMAT_VERSION}'`,
        },
      ];
    }
    if (String(version) === TEMPLATE_FORMAT_VERSION) return [];
    return [
      {
        where: { doc, path: ['ROSTemplateFormatVersion'] },
        message: `ROSTemplateFormatVersion is ${JSON.stringify(version)}; the only version is '${TEMPLATE_FORMAT_VERSION}'`,
      },
    ];
  },
};
