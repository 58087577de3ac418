import * as ros from '@alicloud/ros-cdk-core';
import * as ecs from '@alicloud/ros-cdk-ecs';
import * as rosRos from '@alicloud/ros-cdk-ros';
import type { ApplicationSpec } from '../../service-config/model';
import type { Billing } from './billing';
import { ORDER_PARAMETERS } from '../hook-contract';
import { ADMIN_PASSWORD_BASE64, bootScript } from './boot-script';
import { asLabel, rosText } from './i18n';
import type { Network } from './network';

export interface ComputeProps {
  readonly application: ApplicationSpec;
  readonly billing: Billing;
  readonly network: Network;
  readonly namePrefix: string;
  /** Seconds the stack waits for every node to report the application up. @default 1800 */
  readonly bootTimeoutSeconds?: number;
  /**
   * The nodes are the ISV's (a managed service): subscription nodes renew automatically while the order
   * lives and are released at teardown even before their period ends. @default false
   */
  readonly ownedByIsv?: boolean;
  /** RAM role of the nodes (the backup module's, scoped to its bucket). @default no role */
  readonly ramRoleName?: ros.IResolvable;
}

/** Bounds every plan must respect; synth refuses an edition outside them. */
export const COMPUTE_LIMITS = {
  nodeCount: { min: 1, max: 10 },
  systemDiskSize: { min: 20, max: 500 },
  dataDiskSize: { min: 20, max: 32768 },
  bandwidth: { min: 0, max: 100 },
} as const;

/**
 * The application nodes: an ECS instance group sized by `NodeCount`, each node started by its boot
 * script, and a wait condition that holds the stack until every node reports the application up.
 * L1 constructs on purpose: the L2 InstanceGroup would add a public IP and other defaults on its own.
 */
export class Compute extends ros.Construct {
  readonly instanceIds: ros.IResolvable;
  readonly publicIps: ros.IResolvable;
  readonly privateIps: ros.IResolvable;
  readonly hasPublicIp: ros.RosCondition;

  constructor(scope: ros.Construct, id: string, props: ComputeProps) {
    super(scope, id);
    const p = this.parameters(scope);
    this.hasPublicIp = new ros.RosCondition(scope, 'HasPublicIp', {
      expression: ros.Fn.conditionNot(ros.Fn.conditionEquals(p.bandwidth.valueAsNumber, 0)),
    });
    const hasKeyPair = new ros.RosCondition(scope, 'HasKeyPair', {
      expression: ros.Fn.conditionNot(ros.Fn.conditionEquals(p.keyPairName.valueAsString, '')),
    });
    const handle = new rosRos.RosWaitConditionHandle(scope, 'WaitConditionHandle', {}, true);
    const nodes = new ecs.RosInstanceGroup(
      scope,
      'Nodes',
      {
        instanceType: p.instanceType.valueAsString,
        maxAmount: p.nodeCount.valueAsNumber,
        imageId: props.application.imageId,
        instanceName: ros.Fn.sub(`${props.namePrefix}\${ALIYUN::StackName}-[1,3]`),
        vpcId: props.network.vpcId,
        vSwitchId: props.network.vSwitchId,
        securityGroupId: props.network.securityGroupId,
        zoneId: props.network.zoneId.valueAsString,
        systemDiskCategory: 'cloud_essd',
        systemDiskSize: p.systemDiskSize.valueAsNumber,
        diskMappings: [{ category: 'cloud_essd', size: p.dataDiskSize.value }],
        allocatePublicIp: ros.Fn.conditionIf(this.hasPublicIp.logicalId, true, false),
        internetChargeType: 'PayByTraffic',
        internetMaxBandwidthOut: p.bandwidth.valueAsNumber,
        // The OS login stays with whoever runs the machines: a key pair of that account (or none, and
        // Cloud Assistant through RAM); no password, so no OS credential reaches the buyer.
        keyPairName: ros.Fn.conditionIf(hasKeyPair.logicalId, p.keyPairName.valueAsString, {
          Ref: 'ALIYUN::NoValue',
        }),
        instanceChargeType: props.billing.payType.valueAsString,
        periodUnit: props.billing.payPeriodUnit.valueAsString,
        period: props.billing.payPeriod.valueAsNumber,
        ...(props.ramRoleName ? { ramRoleName: props.ramRoleName } : {}),
        ...(props.ownedByIsv ? { autoRenew: 'True', subscriptionDeletionForce: true } : {}),
        // [I] ForAllInstances: an edition change (instance type, system disk, bandwidth) reaches the
        // existing nodes, not only new ones; ForNewInstances is the other choice.
        updatePolicy: 'ForAllInstances',
        userData: ros.Fn.sub(bootScript(props.application), {
          [ADMIN_PASSWORD_BASE64]: ros.Fn.base64Encode(p.password.valueAsString),
        }),
      },
      true,
    );
    const wait = new rosRos.RosWaitCondition(
      scope,
      'WaitCondition',
      { handle: handle.ref, timeout: props.bootTimeoutSeconds ?? 1800, count: p.nodeCount.valueAsNumber },
      true,
    );
    // addDependsOn is not rendered by ros-cdk-core 1.12 (only L2 addDependency reaches the template).
    wait.addRosDependency(nodes.logicalId);
    this.instanceIds = nodes.attrInstanceIds;
    this.publicIps = nodes.attrPublicIps;
    this.privateIps = nodes.attrPrivateIps;
  }

  private parameters(scope: ros.Construct) {
    const number = (id: string, en: string, zh: string, limits: { min: number; max: number }, def: number) =>
      new ros.RosParameter(scope, id, {
        type: ros.RosParameterType.NUMBER,
        minValue: limits.min,
        maxValue: limits.max,
        defaultValue: def,
        label: asLabel(rosText(en, zh)),
      });
    return {
      instanceType: new ros.RosParameter(scope, 'EcsInstanceType', {
        type: ros.RosParameterType.STRING,
        associationProperty: 'ALIYUN::ECS::Instance::InstanceType',
        associationPropertyMetadata: { ZoneId: '${ZoneId}', InstanceChargeType: '${PayType}' },
        allowedPattern: '^ecs\\.[a-z][a-z0-9-]*\\.[0-9]*[a-z][a-z0-9]*$',
        label: asLabel(rosText('Instance type', '实例规格')),
      }),
      nodeCount: number('NodeCount', 'Nodes', '节点数', COMPUTE_LIMITS.nodeCount, 1),
      systemDiskSize: number(
        'SystemDiskSize',
        'System disk (GiB)',
        '系统盘大小（GiB）',
        COMPUTE_LIMITS.systemDiskSize,
        40,
      ),
      dataDiskSize: number(
        'DataDiskSize',
        'Data disk (GiB)',
        '数据盘大小（GiB）',
        COMPUTE_LIMITS.dataDiskSize,
        100,
      ),
      bandwidth: number(
        'InternetMaxBandwidthOut',
        'Public bandwidth per node (Mbit/s)',
        '每节点公网带宽（Mbit/s）',
        COMPUTE_LIMITS.bandwidth,
        5,
      ),
      keyPairName: new ros.RosParameter(scope, 'KeyPairName', {
        type: ros.RosParameterType.STRING,
        associationProperty: 'ALIYUN::ECS::KeyPair::KeyPairName',
        defaultValue: '',
        label: asLabel(rosText('OS login key pair', '系统登录密钥对')),
        description: rosText(
          'Key pair of the account that runs the nodes; empty: log in through Cloud Assistant only.',
          '运行节点的账号中的密钥对；留空则仅通过云助手登录。',
        ),
      }),
      password: new ros.RosParameter(scope, ORDER_PARAMETERS.adminPassword, {
        type: ros.RosParameterType.STRING,
        noEcho: true,
        allowedPattern: "^[0-9A-Za-z_\\-&:;'<>,=%`~!@#()\\$\\^\\*\\+\\|\\{\\}\\[\\]\\.\\?\\/]{8,30}$",
        constraintDescription: rosText(
          '8 to 30 characters: letters, digits and special characters.',
          '长度 8-30 个字符，可包含字母、数字和特殊字符。',
        ),
        label: asLabel(rosText('Application admin password', '应用管理员密码')),
        description: rosText(
          'Password of the application administrator (not of the machines).',
          '应用管理员的登录密码（非服务器密码）。',
        ),
      }),
    };
  }

  static readonly parameterNames = [
    'EcsInstanceType',
    'NodeCount',
    'SystemDiskSize',
    'DataDiskSize',
    'InternetMaxBandwidthOut',
    'KeyPairName',
    'AdminPassword',
  ];
}
