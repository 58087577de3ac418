import type { TemplateRule } from '../model';
import { templateCalls } from '../../../cdk/ros/functions';
import { refTargets } from '../ros/names';
import { indexOf } from '../ros/template-index';
import { didYouMean } from '../../../service-config/suggest';

export const unresolvedRef: TemplateRule = {
  id: 'unresolved-ref',
  scope: 'template',
  severity: 'error',
  short: 'A Ref names no parameter, resource, local or pseudo parameter.',
  long:
    'Ref returns the value of a parameter, the id of a resource, a local, or a pseudo parameter such as ' +
    'ALIYUN::StackName or ALIYUN::Region. ROS rejects a template whose Ref names anything else.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/function-ref',
  appliesTo: ['Conditions', 'Resources', 'Outputs', 'Locals', 'Rules'],
  check(context) {
    const targets = refTargets(indexOf(context));
    return templateCalls(context.template)
      .filter(
        (call) => call.name === 'Ref' && typeof call.argument === 'string' && !targets.has(call.argument),
      )
      .map((call) => ({
        where: { doc: context.doc, path: call.path },
        message: `Ref "${call.argument}" names no parameter, resource, local or pseudo parameter${didYouMean(call.argument as string, targets)}`,
      }));
  },
};
