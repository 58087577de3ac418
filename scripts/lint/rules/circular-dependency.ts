import type { TemplateRule } from '../model';
import { dependencyCycles, dependencyGraph } from '../../../cdk/ros/dependencies';
import { indexOf } from '../ros/template-index';

export const circularDependency: TemplateRule = {
  id: 'circular-dependency',
  scope: 'template',
  severity: 'error',
  short: 'Resources wait for each other through DependsOn, Ref, Fn::GetAtt or Fn::Sub.',
  long:
    'ROS creates a resource after every resource it names in DependsOn or reads through Ref, Fn::GetAtt or an ' +
    'Fn::Sub variable. A cycle among them can never be created and ROS rejects the template.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/resources',
  appliesTo: ['Resources/*/DependsOn', 'Resources/*/Properties'],
  check(context) {
    const { resources } = indexOf(context);
    const graph = dependencyGraph(resources);
    return dependencyCycles(graph).map((group) => {
      const first = Object.keys(resources).find((name) => group.includes(name)) ?? group[0];
      return {
        where: { doc: context.doc, path: ['Resources', first], key: true },
        message: describe(group, graph),
      };
    });
  },
};

function describe(group: string[], graph: ReturnType<typeof dependencyGraph>): string {
  if (group.length === 1) return `resource "${group[0]}" depends on itself`;
  const explicit = group.some((n) =>
    (graph.get(n) ?? []).some((e) => e.via === 'DependsOn' && group.includes(e.to)),
  );
  const names = group.map((n) => `"${n}"`).join(', ');
  return `resources ${names} depend on each other in a cycle (through ${explicit ? 'DependsOn and references' : 'references'})`;
}
