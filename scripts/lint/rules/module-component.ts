import type { ServiceRule } from '../model';
import { commodityOf } from '../service/commodity';
import { listItems } from '../service/shapes';
import { isRecord } from '../source/source-doc';

/**
 * ComponentsMappings are documented as not available to the public (GetService returns them only under
 * CssMetadata, another sales channel), so nestkit no longer writes them and a module needs none. A project
 * that still carries them gets them checked: an entry for a module's billing item must name its parameter.
 */
export const moduleComponent: ServiceRule = {
  id: 'module-component',
  scope: 'service',
  severity: 'error',
  short: "A ComponentsMappings entry maps a module's billing item to another parameter than the module's.",
  long:
    'A module of service.yaml is sold as a Marketplace extra billing item and switched on by its Boolean ' +
    'parameter. nestkit sends no ComponentsMappings (they are not public); where a service definition still ' +
    "holds one for the module's billing item, it must map to that parameter, or buying the module switches " +
    'something else. Re-run `nestkit synth`, which drops them.',
  docUrl:
    'https://www.alibabacloud.com/help/en/compute-nest/publish-a-service-as-a-subscription-marketplace-product',
  appliesTo: ['modules/*/billingItem', 'Commodity/ComponentsMappings'],
  check(definition) {
    const description = definition.description;
    if (!description || description.issues.length > 0) return [];
    const mapped = new Map<string, unknown>();
    for (const { item } of listItems(commodityOf(definition)?.value.ComponentsMappings, [])) {
      if (isRecord(item.Mappings)) for (const [k, v] of Object.entries(item.Mappings)) mapped.set(k, v);
    }
    return description.modules.flatMap((module, i) =>
      !mapped.has(module.billingItem) || mapped.get(module.billingItem) === module.parameter
        ? []
        : [
            {
              where: { doc: description.doc, path: ['modules', i, 'billingItem'] },
              message: `module "${module.name}": ComponentsMappings in ${definition.doc.file} map billing item "${module.billingItem}" to ${JSON.stringify(mapped.get(module.billingItem))}, not to its parameter "${module.parameter}"; run \`nestkit synth\` (it sends no ComponentsMappings)`,
            },
          ],
    );
  },
};
