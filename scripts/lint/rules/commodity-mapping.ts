import type { Report, ServiceRule } from '../model';
import { indexOf } from '../ros/template-index';
import { templateNamed, templateNames, type ServiceDefinition } from '../service/definition';
import { planNames } from '../service/plans';
import { commodityOf } from '../service/commodity';
import { listItems } from '../service/shapes';
import { isRecord, type Path } from '../source/source-doc';
import { didYouMean } from '../../../service-config/suggest';

export const commodityMapping: ServiceRule = {
  id: 'commodity-mapping',
  scope: 'service',
  severity: 'error',
  short: 'A Commodity mapping names a template, plan or parameter that does not exist.',
  long:
    'Commodity binds Marketplace SKUs to the service: SpecificationMappings map a specification code to a ' +
    'TemplateName and a plan (SpecificationName), MeteringEntityMappings name a template and plan, and ' +
    'ComponentsMappings (not public: returned only under CssMetadata; nestkit sends none) map components to ' +
    'parameters of a template. A dangling name breaks every order of that SKU.',
  docUrl:
    'https://www.alibabacloud.com/help/en/compute-nest/publish-a-service-as-a-subscription-marketplace-product',
  appliesTo: [
    'Commodity/SpecificationMappings',
    'Commodity/ComponentsMappings',
    'Commodity/MeteringEntityMappings',
  ],
  check(definition) {
    const commodity = commodityOf(definition);
    if (!commodity) return [];
    const { value, path } = commodity;
    return [
      ...listItems(value.SpecificationMappings, [...path, 'SpecificationMappings']).flatMap((m) =>
        templateAndPlan(definition, m.item, m.path),
      ),
      ...listItems(value.MeteringEntityMappings, [...path, 'MeteringEntityMappings']).flatMap((m) =>
        templateAndPlan(definition, m.item, m.path),
      ),
      ...listItems(value.ComponentsMappings, [...path, 'ComponentsMappings']).flatMap((m) =>
        components(definition, m.item, m.path),
      ),
    ];
  },
};

function templateAndPlan(definition: ServiceDefinition, item: Record<string, unknown>, path: Path): Report[] {
  const template = checkTemplate(definition, item, path);
  if (template.report) return [template.report];
  const entry = templateNamed(definition, item.TemplateName);
  if (!entry || typeof item.SpecificationName !== 'string') return [];
  const plans = planNames(entry);
  if (plans.includes(item.SpecificationName)) return [];
  return [
    {
      where: { doc: definition.doc, path: [...path, 'SpecificationName'] },
      message: `SpecificationName "${item.SpecificationName}" is no plan of template "${entry.name}" (plans: ${plans.join(', ') || 'none'})${didYouMean(item.SpecificationName, plans)}`,
    },
  ];
}

function components(definition: ServiceDefinition, item: Record<string, unknown>, path: Path): Report[] {
  const template = checkTemplate(definition, item, path);
  if (template.report) return [template.report];
  const context = templateNamed(definition, item.TemplateName)?.context;
  if (!context || !isRecord(item.Mappings)) return [];
  const declared = Object.keys(indexOf(context).parameters);
  return Object.entries(item.Mappings)
    .filter(([, parameter]) => typeof parameter === 'string' && !declared.includes(parameter))
    .map(([component, parameter]) => ({
      where: { doc: definition.doc, path: [...path, 'Mappings', component] },
      message: `component "${component}" maps to "${parameter}", which template "${String(item.TemplateName)}" does not declare${didYouMean(String(parameter), declared)}`,
    }));
}

function checkTemplate(
  definition: ServiceDefinition,
  item: Record<string, unknown>,
  path: Path,
): { report?: Report } {
  const names = templateNames(definition);
  if (typeof item.TemplateName === 'string' && names.includes(item.TemplateName)) return {};
  return {
    report: {
      where: { doc: definition.doc, path: [...path, 'TemplateName'] },
      message: `TemplateName ${JSON.stringify(item.TemplateName)} names no template (templates: ${names.join(', ') || 'none'})${didYouMean(String(item.TemplateName), names)}`,
    },
  };
}
