import { isPublicEndpointModule, type ServiceModel } from '../service-config/model';
import { artifactDefinitions, artifactRelations, type ArtifactDefinition } from './artifacts';
import { Billing } from './constructs/billing';
import { CERTIFICATE_PARAMETER } from './constructs/modules/public-endpoint/public-endpoint';
import { Network } from './constructs/network';
import { CHANGE_EDITION_OPERATION, OUTPUT_KEYS } from './hook-contract';
import { allPlans } from './plans';
import type { RosTemplate } from './ros/template';

/** File name of a template family's JSON template, relative to the service definition. */
export function templateFileName(model: ServiceModel): string {
  return `${model.service.template.file}.template.json`;
}

/**
 * What CreateService / UpdateService need, in the shape of a computenest-cli `config.yaml` (`Service`)
 * so one linter reads both; `Commodity` is sent only by UpdateService. Template `Url`s are relative to
 * this file until publish uploads the templates and substitutes their object-store URLs.
 */
export interface ServiceDefinition {
  Service: {
    RegionId: string;
    DeployType: 'ros';
    ServiceType: string;
    ServiceInfo: { Locale: string; Name: string; ShortDescription: string }[];
    /** `SingleTenant` for a managed service: each order gets its own deployment in the ISV's account. */
    TenantType?: 'SingleTenant';
    DeployMetadata: Record<string, unknown>;
    OperationMetadata: Record<string, unknown>;
    LicenseMetadata: Record<string, unknown>;
    UpgradeMetadata: Record<string, unknown>;
  };
  /**
   * The Marketplace binding UpdateService sends: each SKU's specification code to a template and plan.
   * No `ComponentsMappings`: the model documents them as not available to the public (returned only under
   * `CssMetadata`, another sales channel), so extra billing items are not mapped to parameters here.
   */
  Commodity: {
    SpecificationMappings: { SpecificationCode: string; TemplateName: string; SpecificationName: string }[];
  };
  /**
   * The artifacts publish creates before the version (computenest-cli's `Artifact` section); the relations
   * in SupplierDeployMetadata name them as `${Artifact.<name>.ArtifactId}` until publish knows the ids.
   */
  Artifact?: Record<string, ArtifactDefinition>;
}

/**
 * Parameters no buyer form shows. Module switches are set by the order's billing items (plans, or the
 * hook for SPI orders). A managed service also hides what lives in the ISV's account: billing, network
 * and the OS login, fixed by every plan or mapped per region.
 */
export function hiddenParameterKeys(model: ServiceModel): string[] {
  const moduleParameters = model.modules.map((m) => m.parameter);
  if (!model.service.managed) return moduleParameters;
  return [
    ...Billing.parameterNames,
    ...Network.parameterNames.filter(
      (n) => n !== 'AccessSourceCidr' && (n !== 'ZoneId' || model.service.managed?.network === 'shared'),
    ),
    'KeyPairName',
    ...(model.modules.some((m) => m.name === 'public-endpoint') ? [CERTIFICATE_PARAMETER] : []),
    ...moduleParameters,
  ];
}

/**
 * Per-region values of what lives in the ISV's account, in the form of Alibaba's managed examples
 * (wordpress-managed-demo): keyed by the deployment region, mapping the shared network (VpcId, VSwitchId,
 * ZoneId) and the HTTPS certificate of the public endpoint.
 */
export function parameterMappings(model: ServiceModel): Record<string, unknown>[] {
  const managed = model.service.managed;
  if (!managed) return [];
  const endpoint = model.modules.find(isPublicEndpointModule);
  const certificates = endpoint ? endpoint.settings.certificateIds : {};
  const shared = managed.network === 'shared';
  const keys = [
    ...(shared ? ['VpcId', 'VSwitchId', 'ZoneId'] : []),
    ...(endpoint ? [CERTIFICATE_PARAMETER] : []),
  ];
  if (keys.length === 0) return [];
  return [
    {
      ParameterKey: 'RegionId',
      ParameterMappingKeys: keys,
      ParameterValueMapping: Object.fromEntries(
        model.service.allowedRegions.map((region) => {
          const network = managed.sharedNetworks[region];
          const values: Record<string, string> = {};
          if (shared && network)
            Object.assign(values, {
              VpcId: network.vpcId,
              VSwitchId: network.vSwitchId,
              ZoneId: network.zoneId,
            });
          if (endpoint && certificates[region]) values[CERTIFICATE_PARAMETER] = certificates[region];
          return [region, { Parameters: values }];
        }),
      ),
    },
  ];
}

export function buildServiceDefinition(model: ServiceModel, template: RosTemplate): ServiceDefinition {
  const { service } = model;
  const templateName = service.template.name;
  const moduleParameters = model.modules.map((m) => m.parameter);
  const deployable = {
    Name: templateName,
    Url: templateFileName(model),
    AllowedRegions: service.allowedRegions,
    PredefinedParameters: allPlans(model).map((plan) => ({
      Name: plan.name,
      Description:
        [plan.edition.title['en-US'], ...plan.name.split('+').slice(1)].join(' + ') +
        ` / ${[plan.edition.title['zh-CN'], ...plan.name.split('+').slice(1)].join(' + ')}`,
      Type: 'Normal',
      Parameters: plan.parameters,
    })),
    HiddenParameterKeys: hiddenParameterKeys(model),
    ...(parameterMappings(model).length > 0 ? { ParameterMappings: parameterMappings(model) } : {}),
    // [I] In a managed service the OutputConfigs sit with the deployable (supplier) template config;
    // moving them to TemplateConfigs[] is this one line.
    OutputConfigs: Object.values(OUTPUT_KEYS)
      .filter((key) => template.Outputs?.[key])
      .map((key) => ({ OutputKey: key, EnableWebProxy: false })),
  };
  const managed = service.managed;
  // [I] The deploy timeout covers the boot wait condition.
  const deployTimeout = 7200;
  const relations = artifactRelations(model);
  const deployMetadata = managed
    ? {
        // What the buyer sees: the template by name only; what runs is the supplier template config.
        TemplateConfigs: [{ Name: templateName }],
        ServiceInstanceNameRule: { Prefix: service.instanceNamePrefix, UseDefaultValue: false },
        SupplierDeployMetadata: {
          RoleName: managed.roleName,
          UserType: managed.userType,
          DeployTimeout: deployTimeout,
          SupplierTemplateConfigs: [deployable],
          ...relations,
        },
      }
    : {
        TemplateConfigs: [deployable],
        ServiceInstanceNameRule: { Prefix: service.instanceNamePrefix, UseDefaultValue: false },
        SupplierDeployMetadata: { DeployTimeout: deployTimeout, ...relations },
      };
  return {
    Service: {
      RegionId: service.regionId,
      DeployType: 'ros',
      ServiceType: service.type,
      ...(managed ? { TenantType: 'SingleTenant' as const } : {}),
      ServiceInfo: (['en-US', 'zh-CN'] as const).map((locale) => ({
        Locale: locale,
        Name: service.name[locale],
        ShortDescription: service.shortDescription[locale],
      })),
      DeployMetadata: deployMetadata,
      OperationMetadata: operationMetadata(model, templateName, moduleParameters),
      // [I] RetentionDays: how long Compute Nest keeps an instance after its licence lapses.
      LicenseMetadata: { RetentionDays: model.lifecycle.retentionDays },
      UpgradeMetadata: upgradeMetadata(model),
    },
    Commodity: {
      // One SKU per edition and per bundle (edition + modules): the only public path by which an order
      // Compute Nest deploys gets modules (no ComponentsMappings, which are not public).
      SpecificationMappings: allPlans(model).map((plan) => ({
        SpecificationCode: plan.specificationCode,
        TemplateName: templateName,
        SpecificationName: plan.name,
      })),
    },
    ...(model.artifacts.length > 0 ? { Artifact: artifactDefinitions(model) } : {}),
  };
}

/**
 * [I] `SupportUpgradeFromVersions` lists the earlier releases by their `service.version`; publish names
 * versions `<version>-<hash>`, so each entry stands for the numbered versions released under it.
 */
function upgradeMetadata(model: ServiceModel): Record<string, unknown> {
  return {
    Description: 'Upgrade in place from the releases listed, configuration and resources.',
    // As Alibaba's public examples: a failed upgrade can be rolled back (`nestkit rollout --rollback-failed`).
    SupportRollback: true,
    SupportUpgradeFromVersions: model.service.upgradeFrom,
    UpgradeComponents: ['Configuration', 'Resource'],
  };
}

/**
 * Start/stop/restart, and the one parameter change a customer-side operation may make: moving to
 * another edition as a whole (a plan, `SupportPredefinedParameters`), never single sizes or module
 * switches, which only an order changes (the hook applies upgrades and billing items).
 */
function operationMetadata(
  model: ServiceModel,
  templateName: string,
  _moduleParameters: string[],
): Record<string, unknown> {
  return {
    StatusOperationConfigs: [{ TemplateName: templateName, SupportOperations: ['Start', 'Stop', 'Restart'] }],
    ModifyParametersConfig: [
      {
        TemplateName: templateName,
        Operation: [
          {
            Name: CHANGE_EDITION_OPERATION,
            Description: 'Move the instance to another edition (Marketplace SKU upgrade).',
            Type: 'Custom',
            // [I] Only plans: SupportPredefinedParameters with no free parameter, so no size outside
            // the editions and no module switch can be chosen here; a Marketplace-bound service changes
            // plans through an upgrade order (the hook applies it with this operation).
            Parameters: [],
            SupportPredefinedParameters: true,
          },
        ],
      },
    ],
  };
}
