/** The dependency graph between resources: explicit DependsOn and implicit Ref / GetAtt / Sub uses. */
import { dependsOnTargets, referencedNames } from './references';

export type Edge = { to: string; via: 'DependsOn' | 'reference' };

/** For each resource, the resources it must wait for. */
export function dependencyGraph(resources: Record<string, Record<string, unknown>>): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const [name, resource] of Object.entries(resources)) {
    const edges: Edge[] = dependsOnTargets(resource.DependsOn)
      .filter((t) => t.name in resources)
      .map((t) => ({ to: t.name, via: 'DependsOn' }));
    for (const used of referencedNames(resource.Properties)) {
      if (used in resources) edges.push({ to: used, via: 'reference' });
    }
    graph.set(name, edges);
  }
  return graph;
}

/** Groups of two or more resources (or one depending on itself) that wait for each other (Tarjan). */
export function dependencyCycles(graph: Map<string, Edge[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string): void => {
    order.set(node, order.size);
    low.set(node, order.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const { to } of graph.get(node) ?? []) {
      if (!order.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, order.get(to)!));
      }
    }
    if (low.get(node) !== order.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).some((e) => e.to === node);
    if (group.length > 1 || selfLoop) cycles.push(group.reverse());
  };
  for (const node of graph.keys()) if (!order.has(node)) connect(node);
  return cycles;
}
