import type { ServiceRule } from '../model';
import { commodityOf } from '../service/commodity';
import { listItems } from '../service/shapes';
import { isRecord } from '../source/source-doc';

export const moduleComponent: ServiceRule = {
  id: 'module-component',
  scope: 'service',
  severity: 'error',
  short:
    'A module of service.yaml has no ComponentsMappings entry mapping its billing item to its parameter.',
  long:
    'A module is sold as a Marketplace extra billing item; ComponentsMappings must map that billing item to ' +
    'the Boolean parameter that switches the module on, or buying it changes nothing. Re-run `nestkit synth`.',
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
      mapped.get(module.billingItem) === module.parameter
        ? []
        : [
            {
              where: { doc: description.doc, path: ['modules', i, 'billingItem'] },
              message: `module "${module.name}": no ComponentsMappings entry maps billing item "${module.billingItem}" to parameter "${module.parameter}" in ${definition.doc.file}; run \`nestkit synth\``,
            },
          ],
    );
  },
};
