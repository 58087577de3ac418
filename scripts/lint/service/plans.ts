/** The plans (PredefinedParameters) of every template entry whose template could be read. */
import { indexOf } from '../ros/template-index';
import { isRecord, type Path } from '../source/source-doc';
import type { ServiceDefinition, TemplateEntry } from './definition';
import { listItems } from './shapes';

export interface Plan {
  entry: TemplateEntry;
  name: unknown;
  path: Path;
  parameters: Record<string, unknown>;
  orderList: unknown;
  /** The template's parameter declarations. */
  declared: Record<string, Record<string, unknown>>;
}

export function plansOf(definition: ServiceDefinition): Plan[] {
  return [...definition.templates, ...definition.supplierTemplates].flatMap((entry) => {
    if (!entry.context) return [];
    const declared = indexOf(entry.context).parameters;
    return listItems(entry.config.PredefinedParameters, [...entry.path, 'PredefinedParameters']).map(
      ({ item, path }) => ({
        entry,
        name: item.Name,
        path,
        parameters: isRecord(item.Parameters) ? item.Parameters : {},
        orderList: item.OrderList,
        declared,
      }),
    );
  });
}

/** Plan names of the template entry (its PredefinedParameters[].Name). */
export function planNames(entry: TemplateEntry): string[] {
  return listItems(entry.config.PredefinedParameters, []).flatMap(({ item }) =>
    typeof item.Name === 'string' ? [item.Name] : [],
  );
}
