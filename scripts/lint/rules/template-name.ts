import type { ServiceRule } from '../model';
import type { Path } from '../source/source-doc';
import { templateNames } from '../service/definition';
import { listItems, objectOrJson } from '../service/shapes';
import { didYouMean } from '../../../service-config/suggest';

export const templateName: ServiceRule = {
  id: 'template-name',
  scope: 'service',
  severity: 'error',
  short: 'A TemplateName names no template of DeployMetadata.TemplateConfigs.',
  long:
    'TemplateConfigs[].Name is the key every other part of the definition uses: StatusOperationConfigs, ' +
    'ModifyParametersConfig and LicenseMetadata.CustomMetadata name a template by it. A name that matches no ' +
    'template leaves the operation or licence setting without effect or fails the service check.',
  docUrl:
    'https://www.alibabacloud.com/help/en/compute-nest/developer-reference/api-computenestsupplier-2021-05-21-createservice',
  appliesTo: [
    'Service/OperationMetadata/StatusOperationConfigs/*/TemplateName',
    'Service/OperationMetadata/ModifyParametersConfig/*/TemplateName',
    'Service/LicenseMetadata/CustomMetadata/*/TemplateName',
  ],
  check(definition) {
    const names = templateNames(definition);
    const operations = objectOrJson(definition.service.OperationMetadata);
    const licence = objectOrJson(definition.service.LicenseMetadata);
    const uses: { name: unknown; path: Path }[] = [
      ...named(operations.StatusOperationConfigs, ['Service', 'OperationMetadata', 'StatusOperationConfigs']),
      ...named(operations.ModifyParametersConfig, ['Service', 'OperationMetadata', 'ModifyParametersConfig']),
      ...named(licence.CustomMetadata, ['Service', 'LicenseMetadata', 'CustomMetadata']),
    ];
    return uses
      .filter((use) => typeof use.name === 'string' && !names.includes(use.name))
      .map((use) => ({
        where: { doc: definition.doc, path: use.path },
        message: `TemplateName "${use.name}" names no template (templates: ${names.join(', ') || 'none'})${didYouMean(String(use.name), names)}`,
      }));
  },
};

function named(value: unknown, path: Path): { name: unknown; path: Path }[] {
  return listItems(value, path).map(({ item, path: p }) => ({
    name: item.TemplateName,
    path: [...p, 'TemplateName'],
  }));
}
