/** The property problems of every resource of a template whose type has a specification (computed once). */
import {
  isFunctionCall,
  propertyLabel,
  propertyProblems,
  resourceSpec,
  type PropertyProblem,
} from '../specs';
import { isRecord, type Path, type TemplateContext } from '../source/source-doc';
import { indexOf } from './template-index';

export interface ResourceProblem {
  resource: string;
  type: string;
  problem: PropertyProblem;
  /** The problem's path below Properties, as `DiskMappings[0].Size`; empty for Properties itself. */
  label: string;
}

const cache = new WeakMap<TemplateContext, ResourceProblem[]>();

export function resourceProblems(context: TemplateContext): ResourceProblem[] {
  let found = cache.get(context);
  if (!found) {
    found = [];
    for (const [name, resource] of Object.entries(indexOf(context).resources)) {
      const spec = resourceSpec(resource.Type);
      const properties = resource.Properties ?? {};
      if (!spec || isFunctionCall(properties) || !isRecord(properties)) continue;
      const base: Path = ['Resources', name, 'Properties'];
      for (const problem of propertyProblems(properties, spec, base))
        found.push({
          resource: name,
          type: String(resource.Type),
          problem,
          label: propertyLabel(problem.path.slice(3)),
        });
    }
    cache.set(context, found);
  }
  return found;
}

/** `resource "Server" (ALIYUN::ECS::InstanceGroup)`. */
export function resourceName(found: ResourceProblem): string {
  return `resource "${found.resource}" (${found.type})`;
}
