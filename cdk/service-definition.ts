import type { ServiceModel } from '../service-config/model';
import { OUTPUT_KEYS } from './constructs/outputs';
import { planParameters } from './plans';
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
    DeployMetadata: Record<string, unknown>;
    OperationMetadata: Record<string, unknown>;
    LicenseMetadata: Record<string, unknown>;
  };
  /**
   * The Marketplace binding UpdateService sends: each SKU's specification code to a template and plan.
   * No `ComponentsMappings`: the model documents them as not available to the public (returned only under
   * `CssMetadata`, another sales channel), so extra billing items are not mapped to parameters here.
   */
  Commodity: {
    SpecificationMappings: { SpecificationCode: string; TemplateName: string; SpecificationName: string }[];
  };
}

export function buildServiceDefinition(model: ServiceModel, template: RosTemplate): ServiceDefinition {
  const { service } = model;
  const templateName = service.template.name;
  const moduleParameters = model.modules.map((m) => m.parameter);
  return {
    Service: {
      RegionId: service.regionId,
      DeployType: 'ros',
      ServiceType: service.type,
      ServiceInfo: (['en-US', 'zh-CN'] as const).map((locale) => ({
        Locale: locale,
        Name: service.name[locale],
        ShortDescription: service.shortDescription[locale],
      })),
      DeployMetadata: {
        TemplateConfigs: [
          {
            Name: templateName,
            Url: templateFileName(model),
            AllowedRegions: service.allowedRegions,
            PredefinedParameters: model.editions.map((edition) => ({
              Name: edition.name,
              Description: `${edition.title['en-US']} / ${edition.title['zh-CN']}`,
              Type: 'Normal',
              Parameters: planParameters(model, edition),
            })),
            // [I] Module switches are not buyer form fields: an order's extra billing items are meant to set
            // them (how they reach the order, now that ComponentsMappings are not public, is still open).
            HiddenParameterKeys: moduleParameters,
            OutputConfigs: Object.values(OUTPUT_KEYS)
              .filter((key) => template.Outputs?.[key])
              .map((key) => ({ OutputKey: key, EnableWebProxy: false })),
          },
        ],
        ServiceInstanceNameRule: { Prefix: service.instanceNamePrefix, UseDefaultValue: false },
        // [I] Managed services deploy in the ISV's account; the deploy timeout covers the boot wait condition.
        SupplierDeployMetadata: { DeployTimeout: 7200 },
      },
      OperationMetadata: {
        StatusOperationConfigs: [
          { TemplateName: templateName, SupportOperations: ['Start', 'Stop', 'Restart'] },
        ],
        ModifyParametersConfig: [
          {
            TemplateName: templateName,
            Operation: [
              {
                Name: 'ChangeEdition',
                Description: 'Move the instance to another edition (Marketplace SKU upgrade).',
                Type: 'Custom',
                Parameters: [
                  'EcsInstanceType',
                  'NodeCount',
                  'SystemDiskSize',
                  'DataDiskSize',
                  'InternetMaxBandwidthOut',
                ],
                SupportPredefinedParameters: true,
              },
              ...(moduleParameters.length > 0
                ? [
                    {
                      Name: 'ChangeModules',
                      Description: 'Switch optional modules.',
                      Type: 'Custom',
                      Parameters: moduleParameters,
                    },
                  ]
                : []),
            ],
          },
        ],
      },
      // [I] RetentionDays: how long Compute Nest keeps an instance after its licence lapses.
      LicenseMetadata: { RetentionDays: model.lifecycle.retentionDays },
    },
    Commodity: {
      SpecificationMappings: model.editions.map((edition) => ({
        SpecificationCode: edition.specificationCode,
        TemplateName: templateName,
        SpecificationName: edition.name,
      })),
    },
  };
}
