import type { Report, ServiceRule } from '../model';
import type { Path } from '../source/source-doc';
import { indexOf } from '../ros/template-index';
import { templateNamed, type ServiceDefinition, type TemplateEntry } from '../service/definition';
import { listItems, objectOrJson, stringItems } from '../service/shapes';
import { didYouMean } from '../../../service-config/suggest';

const ENTRY_LISTS = [
  'HiddenParameterKeys',
  'TrialHiddenParameterKeys',
  'CreateFromExistInstanceParameterKeys',
];

export const parameterList: ServiceRule = {
  id: 'parameter-list',
  scope: 'service',
  severity: 'error',
  short: 'A parameter list of the definition names a parameter its template does not declare.',
  long:
    'HiddenParameterKeys, TrialHiddenParameterKeys, CreateFromExistInstanceParameterKeys, the Parameters of each ' +
    'ModifyParametersConfig operation and the ParameterKey of SupplierTemplateConfigs ParameterMappings name ' +
    'template parameters. A name the template lacks hides nothing, or offers a change that cannot be applied.',
  docUrl:
    'https://www.alibabacloud.com/help/en/compute-nest/create-a-service-that-supports-specification-changes-and-change-the-specifications-of-a-service-instance',
  appliesTo: [
    'Service/DeployMetadata/TemplateConfigs/*/HiddenParameterKeys',
    'Service/OperationMetadata/ModifyParametersConfig/*/Operation/*/Parameters',
    'Service/DeployMetadata/SupplierDeployMetadata/SupplierTemplateConfigs/*/ParameterMappings/*/ParameterKey',
  ],
  check(definition) {
    const uses: { entry?: TemplateEntry; name: string; path: Path; list: string }[] = [];
    for (const entry of [...definition.templates, ...definition.supplierTemplates]) {
      for (const list of ENTRY_LISTS) {
        for (const item of stringItems(entry.config[list], [...entry.path, list]))
          uses.push({ entry, name: item.value, path: item.path, list });
      }
      for (const { item, path } of listItems(entry.config.ParameterMappings, [
        ...entry.path,
        'ParameterMappings',
      ])) {
        // [V wordpress-managed-demo] ParameterKey RegionId keys the mapping by the deployment region, and
        // ParameterMappingKeys name the template parameters it sets.
        if (item.ParameterKey === 'RegionId') {
          for (const key of stringItems(item.ParameterMappingKeys, [...path, 'ParameterMappingKeys']))
            uses.push({ entry, name: key.value, path: key.path, list: 'ParameterMappings' });
        } else if (typeof item.ParameterKey === 'string')
          uses.push({
            entry,
            name: item.ParameterKey,
            path: [...path, 'ParameterKey'],
            list: 'ParameterMappings',
          });
      }
    }
    uses.push(...modifyParameterUses(definition));
    return uses.flatMap((use) => unknownIn(definition, use));
  },
};

function modifyParameterUses(
  definition: ServiceDefinition,
): { entry?: TemplateEntry; name: string; path: Path; list: string }[] {
  const base: Path = ['Service', 'OperationMetadata', 'ModifyParametersConfig'];
  const configs = objectOrJson(definition.service.OperationMetadata).ModifyParametersConfig;
  return listItems(configs, base).flatMap(({ item, path }) => {
    const entry = templateNamed(definition, item.TemplateName);
    return listItems(item.Operation, [...path, 'Operation']).flatMap((operation) =>
      stringItems(operation.item.Parameters, [...operation.path, 'Parameters']).map((p) => ({
        entry,
        name: p.value,
        path: p.path,
        list: `operation "${String(operation.item.Name ?? '')}"`,
      })),
    );
  });
}

function unknownIn(
  definition: ServiceDefinition,
  use: { entry?: TemplateEntry; name: string; path: Path; list: string },
): Report[] {
  if (!use.entry?.context) return [];
  const declared = Object.keys(indexOf(use.entry.context).parameters);
  if (declared.includes(use.name)) return [];
  return [
    {
      where: { doc: definition.doc, path: use.path },
      message: `${use.list} names "${use.name}", which template "${use.entry.name}" does not declare${didYouMean(use.name, declared)}`,
    },
  ];
}
