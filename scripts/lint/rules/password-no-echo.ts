import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';

const SECRET_NAME = /pass(word|wd)|secret|token|api[-_]?key|access[-_]?key/i;

export const passwordNoEcho: TemplateRule = {
  id: 'password-no-echo',
  scope: 'template',
  severity: 'warning',
  short: 'A password-like parameter does not set NoEcho: true.',
  long:
    'Without NoEcho the value of a password, secret, token or API key is shown in the console and returned by ' +
    'GetStack and GetServiceInstance. A parameter counts as password-like by its name or by an ' +
    'AssociationProperty ending in ::Password.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/parameters',
  appliesTo: ['Parameters/*/NoEcho'],
  check(context) {
    return Object.entries(indexOf(context).parameters)
      .filter(
        ([name, p]) => isSecret(name, p) && !(p.NoEcho === true || String(p.NoEcho).toLowerCase() === 'true'),
      )
      .map(([name]) => ({
        where: { doc: context.doc, path: ['Parameters', name], key: true },
        message: `parameter "${name}" looks like a secret but does not set NoEcho: true`,
      }));
  },
};

function isSecret(name: string, parameter: Record<string, unknown>): boolean {
  const association = typeof parameter.AssociationProperty === 'string' ? parameter.AssociationProperty : '';
  return SECRET_NAME.test(name) || association.endsWith('::Password');
}
