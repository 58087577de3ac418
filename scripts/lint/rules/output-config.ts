import type { ServiceRule } from '../model';
import { indexOf } from '../ros/template-index';
import { listItems } from '../service/shapes';
import { didYouMean } from '../../../service-config/suggest';

export const outputConfig: ServiceRule = {
  id: 'output-config',
  scope: 'service',
  severity: 'error',
  short: 'An OutputConfigs OutputKey names no output of its template.',
  long:
    'OutputConfigs tune how the console shows a template output (EnableWebProxy); each OutputKey must be an ' +
    'output of that template, or the setting applies to nothing.',
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: ['Service/DeployMetadata/TemplateConfigs/*/OutputConfigs/*/OutputKey'],
  check(definition) {
    return [...definition.templates, ...definition.supplierTemplates].flatMap((entry) => {
      if (!entry.context) return [];
      const outputs = Object.keys(indexOf(entry.context).outputs);
      return listItems(entry.config.OutputConfigs, [...entry.path, 'OutputConfigs'])
        .filter(({ item }) => typeof item.OutputKey === 'string' && !outputs.includes(item.OutputKey))
        .map(({ item, path }) => ({
          where: { doc: definition.doc, path: [...path, 'OutputKey'] },
          message: `OutputKey "${item.OutputKey}" is no output of template "${entry.name}" (outputs: ${outputs.join(', ') || 'none'})${didYouMean(String(item.OutputKey), outputs)}`,
        }));
    });
  },
};
