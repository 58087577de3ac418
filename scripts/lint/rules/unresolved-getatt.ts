import type { TemplateRule } from '../model';
import { templateCalls } from '../../../cdk/ros/functions';
import { getAttOwner } from '../../../cdk/ros/references';
import { attributeOwners } from '../ros/names';
import { indexOf } from '../ros/template-index';
import { didYouMean } from '../../../service-config/suggest';

export const unresolvedGetAtt: TemplateRule = {
  id: 'unresolved-getatt',
  scope: 'template',
  severity: 'error',
  short: 'An Fn::GetAtt reads from a resource or local that does not exist.',
  long: 'Fn::GetAtt [Name, Attribute] reads an attribute of a resource or of a local declared in Locals.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/function-getatt',
  appliesTo: ['Conditions', 'Resources', 'Outputs', 'Locals', 'Rules'],
  check(context) {
    const owners = attributeOwners(indexOf(context));
    return templateCalls(context.template).flatMap((call) => {
      const owner = call.name === 'Fn::GetAtt' ? getAttOwner(call.argument) : undefined;
      if (owner === undefined || owners.has(owner)) return [];
      return [
        {
          where: { doc: context.doc, path: Array.isArray(call.argument) ? [...call.path, 0] : call.path },
          message: `Fn::GetAtt reads from "${owner}", which is no resource or local${didYouMean(owner, owners)}`,
        },
      ];
    });
  },
};
