/** The Commodity (Marketplace binding) of a definition: beside Service in ours, or inside it. */
import { isRecord, type Path } from '../source/source-doc';
import type { ServiceDefinition } from './definition';
import { objectOrJson } from './shapes';

export function commodityOf(
  definition: ServiceDefinition,
): { value: Record<string, unknown>; path: Path } | undefined {
  if (definition.root.Commodity !== undefined)
    return { value: objectOrJson(definition.root.Commodity), path: ['Commodity'] };
  if (isRecord(definition.service) && definition.service.Commodity !== undefined) {
    return { value: objectOrJson(definition.service.Commodity), path: ['Service', 'Commodity'] };
  }
  return undefined;
}
