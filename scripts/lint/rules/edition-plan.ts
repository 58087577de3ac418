import type { ServiceRule } from '../model';
import { commodityOf } from '../service/commodity';
import { listItems } from '../service/shapes';

export const editionPlan: ServiceRule = {
  id: 'edition-plan',
  scope: 'service',
  severity: 'error',
  short: 'An edition of service.yaml has no SpecificationMapping in the synthesized definition.',
  long:
    'Each edition is a Marketplace SKU; an order of that SKU deploys the template and plan its ' +
    'specificationCode maps to. An edition without a mapping cannot be bought; re-run `nestkit synth`.',
  docUrl:
    'https://www.alibabacloud.com/help/en/compute-nest/publish-a-service-as-a-subscription-marketplace-product',
  appliesTo: ['editions/*/specificationCode', 'Commodity/SpecificationMappings'],
  check(definition) {
    const description = definition.description;
    if (!description || description.issues.length > 0) return [];
    const commodity = commodityOf(definition);
    const codes = new Set(
      listItems(commodity?.value.SpecificationMappings, []).map(({ item }) => item.SpecificationCode),
    );
    return description.editions.flatMap((edition, i) =>
      codes.has(edition.specificationCode)
        ? []
        : [
            {
              where: { doc: description.doc, path: ['editions', i, 'specificationCode'] },
              message: `edition "${edition.name}" (${edition.specificationCode}) has no SpecificationMapping in ${definition.doc.file}; run \`nestkit synth\``,
            },
          ],
    );
  },
};
