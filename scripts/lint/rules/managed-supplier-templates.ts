import { managedLayoutProblem } from '../../../cdk/ros/managed-layout';
import type { ServiceRule } from '../model';
import { servicePath } from '../service/definition';

export const managedSupplierTemplates: ServiceRule = {
  id: 'managed-supplier-templates',
  scope: 'service',
  severity: 'error',
  short: 'A managed service has no SupplierDeployMetadata.SupplierTemplateConfigs to deploy.',
  long:
    'A managed service (ServiceType managed) is deployed in the provider account from the templates of ' +
    'DeployMetadata.SupplierDeployMetadata.SupplierTemplateConfigs[] (Url, AllowedRegions, ' +
    'PredefinedParameters, HiddenParameterKeys, ParameterMappings), with the RoleName Compute Nest ' +
    'assumes; TemplateConfigs[] then carry the names only. computenest-cli stops on such a config with ' +
    "KeyError: 'SupplierTemplateConfigs' and Compute Nest has nothing to deploy.",
  docUrl: 'https://github.com/aliyun-computenest/wordpress-managed-demo',
  appliesTo: ['Service/ServiceType', 'Service/DeployMetadata/SupplierDeployMetadata/SupplierTemplateConfigs'],
  check(definition) {
    const problem = managedLayoutProblem(definition.service.ServiceType, definition.deployMetadata);
    if (!problem) return [];
    return [
      {
        where: { doc: definition.doc, path: servicePath(definition, 'ServiceType') },
        message: problem.message,
      },
    ];
  },
};
