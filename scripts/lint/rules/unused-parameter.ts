import type { TemplateRule } from '../model';
import { EVALUATED_SECTIONS } from '../../../cdk/ros/functions';
import { referencedNames } from '../../../cdk/ros/references';
import { indexOf } from '../ros/template-index';

export const unusedParameter: TemplateRule = {
  id: 'unused-parameter',
  scope: 'template',
  severity: 'warning',
  short: 'A parameter is read by no condition, resource, output, local or rule.',
  long:
    'A parameter nothing reads still appears on the deployment form; the customer fills it in for nothing. ' +
    'Remove it, or hide it if the console needs it only to filter other fields.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/parameters',
  appliesTo: ['Parameters/*'],
  check(context) {
    const used = new Set(EVALUATED_SECTIONS.flatMap((s) => [...referencedNames(context.template[s])]));
    return Object.keys(indexOf(context).parameters)
      .filter((name) => !used.has(name))
      .map((name) => ({
        where: { doc: context.doc, path: ['Parameters', name], key: true },
        message: `parameter "${name}" is not used by any condition, resource, output, local or rule`,
      }));
  },
};
