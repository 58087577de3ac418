import type { Report, TemplateRule } from '../model';
import type { TemplateContext } from '../source/source-doc';
import { templateCalls, type FunctionCall } from '../../../cdk/ros/functions';
import { attributeOwners, refTargets } from '../ros/names';
import { subParts, subVariables } from '../../../cdk/ros/sub-variables';
import { indexOf } from '../ros/template-index';
import { locateInText } from '../source/locate-text';
import { closest } from '../../../service-config/suggest';

export const unresolvedSubVariable: TemplateRule = {
  id: 'unresolved-sub-variable',
  scope: 'template',
  severity: 'error',
  short: 'An Fn::Sub variable names nothing ROS can substitute.',
  long:
    'Inside Fn::Sub every ${Name} is a parameter, resource, local, pseudo parameter, ${Resource.Attribute}, ' +
    'or a key of the variable map; ${!Name} keeps the text literally. A shell ${var} in a script passed ' +
    'through Fn::Sub is therefore a variable too: write $var or ${!var}.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/function-sub',
  appliesTo: ['Conditions', 'Resources', 'Outputs', 'Locals', 'Rules'],
  check(context) {
    return templateCalls(context.template)
      .filter((call) => call.name === 'Fn::Sub')
      .flatMap((call) => unresolvedIn(context, call));
  },
};

function unresolvedIn(context: TemplateContext, call: FunctionCall): Report[] {
  const { text, variables } = subParts(call.argument);
  if (text === undefined) return [];
  const index = indexOf(context);
  const names = new Set([...refTargets(index), ...Object.keys(variables)]);
  const owners = attributeOwners(index);
  const textPath = Array.isArray(call.argument) ? [...call.path, 0] : call.path;
  return subVariables(text)
    .filter(({ name }) => !names.has(name) && !owners.has(name.split('.')[0]))
    .map(({ name, offset }) => ({
      where: locateInText(context.doc, textPath, offset, text),
      message: `Fn::Sub variable \${${name}} names no parameter, resource, local or map variable${hint(name, names, owners)}`,
    }));
}

function hint(name: string, names: Set<string>, owners: Set<string>): string {
  const dot = name.indexOf('.');
  if (dot > 0) {
    const owner = closest(name.slice(0, dot), owners);
    return owner ? ` (did you mean \${${owner}${name.slice(dot)}}?)` : '';
  }
  const suggestion = closest(name.trim(), names);
  if (suggestion) return ` (did you mean \${${suggestion}}?)`;
  return `; if it is meant for the shell, write \${!${name}}`;
}
