/** Named entries of a ROS template, computed once per template and shared by the rules. */
import { isRecord, type TemplateContext } from '../source/source-doc';

export interface TemplateIndex {
  parameters: Record<string, Record<string, unknown>>;
  resources: Record<string, Record<string, unknown>>;
  outputs: Record<string, Record<string, unknown>>;
  locals: Set<string>;
  conditions: Set<string>;
  mappings: Set<string>;
}

const cache = new WeakMap<TemplateContext, TemplateIndex>();

export function indexOf(context: TemplateContext): TemplateIndex {
  let index = cache.get(context);
  if (!index) {
    const t = context.template;
    index = {
      parameters: entries(t.Parameters),
      resources: entries(t.Resources),
      outputs: entries(t.Outputs),
      locals: new Set(Object.keys(section(t.Locals))),
      conditions: new Set(Object.keys(section(t.Conditions))),
      mappings: new Set(Object.keys(section(t.Mappings))),
    };
    cache.set(context, index);
  }
  return index;
}

/** A section as a mapping; anything else (absent, a list, a scalar) reads as empty. */
export function section(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The mapping entries of a section; entries that are not mappings become empty ones. */
function entries(value: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(section(value))) out[name] = isRecord(entry) ? entry : {};
  return out;
}
