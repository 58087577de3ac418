import * as ros from '@alicloud/ros-cdk-core';
import { isBackupModule, isPublicEndpointModule, type ServiceModel } from '../../service-config/model';
import { Billing } from '../constructs/billing';
import { Compute } from '../constructs/compute';
import { rosText } from '../constructs/i18n';
import { Backup } from '../constructs/modules/backup/backup';
import { BackupSchedule } from '../constructs/modules/backup/backup-schedule';
import { CERTIFICATE_PARAMETER, PublicEndpoint } from '../constructs/modules/public-endpoint/public-endpoint';
import { MODULE_PLUGINS } from '../constructs/modules/registry.generated';
import { Network } from '../constructs/network';
import { Outputs } from '../constructs/outputs';
import { ORDER_PARAMETERS } from '../hook-contract';

export interface ServiceStackProps extends ros.StackProps {
  /** The service description the stack is built from. */
  readonly model: ServiceModel;
}

/**
 * The per-order stack of one template family: Compute Nest deploys it once per Marketplace order, with
 * the parameter values of the order's plan (edition) and billing items (modules).
 */
export class ServiceStack extends ros.Stack {
  constructor(scope: ros.Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { service } = props.model;
    const app = service.application;
    const namePrefix = service.instanceNamePrefix;
    const billing = new Billing(this, 'Billing');
    const network = new Network(this, 'Network', { appPort: app.port, namePrefix });
    const backupSpec = props.model.modules.find(isBackupModule);
    const backup = backupSpec && new Backup(this, 'Backup', { module: backupSpec, namePrefix });
    const compute = new Compute(this, 'Compute', {
      application: app,
      billing,
      network,
      namePrefix,
      ownedByIsv: props.model.service.type === 'managed',
      ramRoleName: backup?.roleName,
    });
    if (backup) new BackupSchedule(this, 'BackupSchedule', { backup, instanceIds: compute.instanceIds });
    const endpointSpec = props.model.modules.find(isPublicEndpointModule);
    const publicEndpoint =
      endpointSpec &&
      new PublicEndpoint(this, 'PublicEndpoint', {
        module: endpointSpec,
        network,
        instanceIds: compute.instanceIds,
        appPort: app.port,
        healthPath: app.healthPath,
        namePrefix,
      });
    // The modules of their own folder (cdk/constructs/modules/<name>/), as service.yaml declares them.
    for (const module of props.model.modules) {
      MODULE_PLUGINS.find((plugin) => plugin.name === module.name)?.add(this, module, {
        network,
        compute,
        namePrefix,
      });
    }
    new Outputs(this, 'Outputs', {
      compute,
      appPort: app.port,
      adminPath: app.adminPath,
      adminUser: app.adminUser,
      backup,
      publicEndpoint,
      publicOnly: props.model.service.type === 'managed',
    });
    new ros.RosInfo(this, ros.RosInfo.metadata, interfaceMetadata(props.model));
  }
}

/** Parameter groups of the deployment form, in the order the buyer fills them. */
function interfaceMetadata(model: ServiceModel): Record<string, unknown> {
  const group = (en: string, zh: string, parameters: string[]) => ({
    Parameters: parameters,
    Label: { default: rosText(en, zh) },
  });
  const moduleParameters = [
    ...model.modules.map((m) => m.parameter),
    ...(model.modules.some((m) => m.name === 'public-endpoint') ? [CERTIFICATE_PARAMETER] : []),
  ];
  return {
    'ALIYUN::ROS::Interface': {
      ParameterGroups: [
        group('Billing', '付费配置', Billing.parameterNames),
        group(
          'Edition',
          '规格配置',
          Compute.parameterNames.filter((n) => n !== ORDER_PARAMETERS.adminPassword && n !== 'KeyPairName'),
        ),
        group('Network', '网络配置', Network.parameterNames),
        group('Access', '访问配置', ['KeyPairName']),
        group('Application', '应用配置', [ORDER_PARAMETERS.adminPassword]),
        ...(moduleParameters.length > 0 ? [group('Optional modules', '可选模块', moduleParameters)] : []),
      ],
      TemplateTags: [`nestkit:${model.service.template.name}`],
    },
  };
}
