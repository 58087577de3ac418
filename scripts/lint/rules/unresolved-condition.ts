import type { Report, TemplateRule } from '../model';
import type { Path } from '../source/source-doc';
import { functionCalls, templateCalls } from '../../../cdk/ros/functions';
import { indexOf } from '../ros/template-index';
import { didYouMean } from '../../../service-config/suggest';

export const unresolvedCondition: TemplateRule = {
  id: 'unresolved-condition',
  scope: 'template',
  severity: 'error',
  short: 'A condition name used by a resource, output, Fn::If or another condition is not declared.',
  long:
    'Resources and outputs take a Condition attribute, Fn::If takes a condition name first, and conditions may ' +
    'refer to each other with {Condition: Name}; each must name an entry of the Conditions section.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/conditions',
  appliesTo: ['Resources/*/Condition', 'Outputs/*/Condition', 'Conditions', 'Fn::If'],
  check(context) {
    const { conditions, resources, outputs } = indexOf(context);
    const uses: { name: unknown; path: Path }[] = [
      ...Object.entries(resources).map(([n, r]) => ({
        name: r.Condition,
        path: ['Resources', n, 'Condition'],
      })),
      ...Object.entries(outputs).map(([n, o]) => ({ name: o.Condition, path: ['Outputs', n, 'Condition'] })),
      ...templateCalls(context.template)
        .filter((call) => call.name === 'Fn::If' && Array.isArray(call.argument))
        .map((call) => ({ name: (call.argument as unknown[])[0], path: [...call.path, 0] })),
      ...functionCalls(context.template.Conditions, ['Conditions'])
        .filter((call) => call.name === 'Condition')
        .map((call) => ({ name: call.argument, path: call.path })),
    ];
    return uses
      .filter((use) => typeof use.name === 'string' && !conditions.has(use.name))
      .map((use): Report => ({
        where: { doc: context.doc, path: use.path },
        message: `condition "${use.name}" is not declared in Conditions${didYouMean(use.name as string, conditions)}`,
      }));
  },
};
