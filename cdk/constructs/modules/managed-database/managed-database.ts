import * as ros from '@alicloud/ros-cdk-core';
import * as rds from '@alicloud/ros-cdk-rds';
import type { PluginModule } from '../../../../service-config/model';
import { asLabel, rosText } from '../../i18n';
import type { Network } from '../../network';
import { moduleSwitch } from '../module-switch';
import type { ManagedDatabaseSettings } from './settings';

export interface ManagedDatabaseProps {
  readonly module: PluginModule;
  readonly settings: ManagedDatabaseSettings;
  readonly network: Network;
  readonly namePrefix: string;
  /**
   * Addresses allowed to connect (the RDS whitelist). [I] The VPC's range: the nodes and nothing outside.
   * @default '192.168.0.0/16'
   */
  readonly allowedCidr?: string;
}

/** Output key of the database's private connection address. */
export const DATABASE_ENDPOINT_OUTPUT = 'DatabaseEndpoint';

/**
 * Module `managed-database`: a pay-as-you-go ApsaraDB RDS for MySQL instance in the order's VSwitch, with
 * no public address, under the module's switch; its private address is an output of the order.
 */
export class ManagedDatabase extends ros.Construct {
  readonly enabled: ros.RosCondition;

  constructor(scope: ros.Construct, id: string, props: ManagedDatabaseProps) {
    super(scope, id);
    this.enabled = moduleSwitch(scope, props.module);
    const database = new rds.RosDBInstance(
      scope,
      'ManagedDatabaseInstance',
      {
        engine: 'MySQL',
        engineVersion: props.settings.engineVersion,
        dbInstanceClass: props.settings.instanceClass,
        dbInstanceStorage: props.settings.storageGb,
        dbInstanceStorageType: 'cloud_essd',
        securityIpList: props.allowedCidr ?? '192.168.0.0/16',
        vpcId: props.network.vpcId,
        vSwitchId: props.network.vSwitchId,
        zoneId: props.network.zoneId.valueAsString,
        payType: 'Postpaid',
        dbInstanceNetType: 'Intranet',
        dbInstanceDescription: ros.Fn.sub(`${props.namePrefix}\${ALIYUN::StackName}-db`),
      },
      true,
    );
    database.addCondition(this.enabled);
    new ros.RosOutput(scope, DATABASE_ENDPOINT_OUTPUT, {
      value: database.attrInnerConnectionString,
      condition: this.enabled,
      label: asLabel(rosText('Database address', '数据库地址')),
      description: asLabel(rosText('Private address of the managed database.', '托管数据库的内网地址。')),
    });
  }
}
