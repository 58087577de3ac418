import { basename, dirname, join } from 'node:path';
import type { ServiceRule } from '../model';

export const unreferencedTemplate: ServiceRule = {
  id: 'unreferenced-template',
  scope: 'service',
  severity: 'warning',
  short: 'A template file beside the referenced ones is named by no TemplateConfigs Url.',
  long:
    'A template in ros_templates/ (or templates/) that no Url names is never uploaded: either a leftover or a ' +
    'template someone meant to offer. A .yaml/.json twin of a referenced template (same name) is not reported.',
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: ['Service/DeployMetadata/TemplateConfigs/*/Url'],
  check(definition) {
    const referenced = [...definition.templates, ...definition.supplierTemplates].flatMap((t) =>
      t.file ? [stem(t.file)] : [],
    );
    return definition.templateFolderFiles
      .filter(({ path }) => !referenced.includes(stem(path)))
      .map(({ doc }) => ({
        where: { file: doc.file, line: 1, column: 1 },
        message: `template file is not named by any TemplateConfigs Url of ${definition.doc.file}`,
      }));
  },
};

function stem(file: string): string {
  return join(dirname(file), basename(file).replace(/\.(ya?ml|json)$/i, ''));
}
