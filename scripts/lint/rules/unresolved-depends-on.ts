import type { TemplateRule } from '../model';
import { dependsOnTargets } from '../../../cdk/ros/references';
import { indexOf } from '../ros/template-index';
import { didYouMean } from '../../../service-config/suggest';

export const unresolvedDependsOn: TemplateRule = {
  id: 'unresolved-depends-on',
  scope: 'template',
  severity: 'error',
  short: 'A DependsOn entry names no resource of the template.',
  long: 'DependsOn takes a resource name or a list of them; each must be a resource of the same template.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/resources',
  appliesTo: ['Resources/*/DependsOn'],
  check(context) {
    const { resources } = indexOf(context);
    const names = Object.keys(resources);
    return Object.entries(resources).flatMap(([name, resource]) =>
      dependsOnTargets(resource.DependsOn)
        .filter((target) => !(target.name in resources))
        .map((target) => ({
          where: { doc: context.doc, path: ['Resources', name, 'DependsOn', ...target.subPath] },
          message: `resource "${name}" depends on "${target.name}", which is not a resource${didYouMean(target.name, names)}`,
        })),
    );
  },
};
