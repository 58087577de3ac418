import type { ServiceRule } from '../model';

export const templateUrl: ServiceRule = {
  id: 'template-url',
  scope: 'service',
  severity: 'error',
  short: 'A template Url does not resolve to a file.',
  long:
    'computenest-cli uploads each TemplateConfigs[].Url (and SupplierTemplateConfigs[].Url) relative to the ' +
    'folder of config.yaml; our definition names templates relative to templates/. A Url that names no file ' +
    'fails the import. Remote (oss://, https://) Urls are not checked.',
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: [
    'Service/DeployMetadata/TemplateConfigs/*/Url',
    'Service/DeployMetadata/SupplierDeployMetadata/SupplierTemplateConfigs/*/Url',
  ],
  check(definition) {
    return [...definition.templates, ...definition.supplierTemplates]
      .filter((entry) => entry.file !== undefined && !entry.exists)
      .map((entry) => ({
        where: { doc: definition.doc, path: [...entry.path, 'Url'] },
        message: `template "${entry.name}": Url ${JSON.stringify(entry.url)} names no file`,
      }));
  },
};
