import * as ros from '@alicloud/ros-cdk-core';
import * as ecs from '@alicloud/ros-cdk-ecs';
import { ORDER_PARAMETERS } from '../hook-contract';
import { asLabel, rosText } from './i18n';

export interface NetworkProps {
  /** TCP port the application serves on; opened in the security group. */
  readonly appPort: number;
  /** Prefix of resource names, so an operator sees which order a VPC belongs to. */
  readonly namePrefix: string;
}

/**
 * Where the nodes live: a new VPC + VSwitch (the default), or an existing VPC and VSwitch chosen by the
 * customer (`VpcOption = ExistingVPC`), plus a security group that opens the application port.
 */
export class Network extends ros.Construct {
  readonly zoneId: ros.RosParameter;
  readonly vpcId: ros.IResolvable | string;
  readonly vSwitchId: ros.IResolvable | string;
  readonly securityGroupId: ros.IResolvable;

  constructor(scope: ros.Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.zoneId = new ros.RosParameter(scope, ORDER_PARAMETERS.zoneId, {
      type: ros.RosParameterType.STRING,
      associationProperty: 'ALIYUN::ECS::Instance::ZoneId',
      associationPropertyMetadata: { InstanceChargeType: '${PayType}', InstanceType: '${EcsInstanceType}' },
      label: asLabel(rosText('Zone', '可用区')),
    });
    const vpcOption = new ros.RosParameter(scope, 'VpcOption', {
      type: ros.RosParameterType.STRING,
      allowedValues: ['NewVPC', 'ExistingVPC'],
      defaultValue: 'NewVPC',
      associationPropertyMetadata: {
        ValueLabelMapping: {
          NewVPC: rosText('New VPC', '新建专有网络'),
          ExistingVPC: rosText('Existing VPC', '已有专有网络'),
        },
      },
      label: asLabel(rosText('Network', '网络')),
    });
    const whenNew = { Visible: { Condition: { 'Fn::Equals': ['${VpcOption}', 'NewVPC'] } } };
    const whenExisting = { Visible: { Condition: { 'Fn::Equals': ['${VpcOption}', 'ExistingVPC'] } } };
    const vpcCidr = new ros.RosParameter(scope, 'VpcCidrBlock', {
      type: ros.RosParameterType.STRING,
      associationProperty: 'ALIYUN::VPC::VPC::CidrBlock',
      associationPropertyMetadata: whenNew,
      defaultValue: '192.168.0.0/16',
      allowedPattern: '^(10|172|192)\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/(8|12|16|24)$',
      label: asLabel(rosText('VPC CIDR block', '专有网络网段')),
    });
    const vSwitchCidr = new ros.RosParameter(scope, 'VSwitchCidrBlock', {
      type: ros.RosParameterType.STRING,
      associationProperty: 'ALIYUN::VPC::VSwitch::CidrBlock',
      associationPropertyMetadata: { ...whenNew, VpcCidrBlock: '${VpcCidrBlock}' },
      defaultValue: '192.168.1.0/24',
      allowedPattern: '^(10|172|192)\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/(1[6-9]|2[0-9])$',
      label: asLabel(rosText('VSwitch CIDR block', '交换机网段')),
    });
    const existingVpc = new ros.RosParameter(scope, 'VpcId', {
      type: ros.RosParameterType.STRING,
      associationProperty: 'ALIYUN::ECS::VPC::VPCId',
      associationPropertyMetadata: whenExisting,
      defaultValue: '',
      label: asLabel(rosText('Existing VPC', '已有专有网络')),
    });
    const existingVSwitch = new ros.RosParameter(scope, 'VSwitchId', {
      type: ros.RosParameterType.STRING,
      associationProperty: 'ALIYUN::ECS::VSwitch::VSwitchId',
      associationPropertyMetadata: { ...whenExisting, VpcId: '${VpcId}', ZoneId: '${ZoneId}' },
      defaultValue: '',
      label: asLabel(rosText('Existing VSwitch', '已有交换机')),
    });

    const sourceCidr = new ros.RosParameter(scope, 'AccessSourceCidr', {
      type: ros.RosParameterType.STRING,
      // [I] By default only the network itself reaches the nodes; the buyer widens it to an office range.
      defaultValue: '192.168.0.0/16',
      allowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/(\\d|[12]\\d|3[0-2])$',
      label: asLabel(rosText('Allowed source CIDR', '允许访问的来源网段')),
      description: rosText(
        'Addresses that may open the application and its admin console on the nodes directly. 0.0.0.0/0 opens them to the internet.',
        '可直接访问节点上应用及其管理控制台的地址段；0.0.0.0/0 表示对公网开放。',
      ),
    });
    const createVpc = new ros.RosCondition(scope, 'CreateVpc', {
      expression: ros.Fn.conditionEquals(vpcOption.valueAsString, 'NewVPC'),
    });
    const vpc = new ecs.RosVPC(
      scope,
      'Vpc',
      { cidrBlock: vpcCidr.valueAsString, vpcName: ros.Fn.sub(`${props.namePrefix}\${ALIYUN::StackName}`) },
      true,
    );
    vpc.addCondition(createVpc);
    const vSwitch = new ecs.RosVSwitch(
      scope,
      'VSwitch',
      {
        vpcId: vpc.attrVpcId,
        zoneId: this.zoneId.valueAsString,
        cidrBlock: vSwitchCidr.valueAsString,
        vSwitchName: ros.Fn.sub(`${props.namePrefix}\${ALIYUN::StackName}`),
      },
      true,
    );
    vSwitch.addCondition(createVpc);

    this.vpcId = ros.Fn.conditionIf(createVpc.logicalId, vpc.attrVpcId, existingVpc.valueAsString);
    this.vSwitchId = ros.Fn.conditionIf(
      createVpc.logicalId,
      vSwitch.attrVSwitchId,
      existingVSwitch.valueAsString,
    );
    const securityGroup = new ecs.RosSecurityGroup(
      scope,
      'SecurityGroup',
      {
        vpcId: this.vpcId,
        securityGroupName: ros.Fn.sub(`${props.namePrefix}\${ALIYUN::StackName}`),
        securityGroupIngress: [
          {
            ipProtocol: 'tcp',
            portRange: `${props.appPort}/${props.appPort}`,
            sourceCidrIp: sourceCidr.valueAsString,
            priority: 1,
          },
          {
            // The load balancer's back-end traffic and health checks (CLB uses 100.64.0.0/10).
            ipProtocol: 'tcp',
            portRange: `${props.appPort}/${props.appPort}`,
            sourceCidrIp: '100.64.0.0/10',
            priority: 1,
          },
        ],
      },
      true,
    );
    this.securityGroupId = securityGroup.attrSecurityGroupId;
  }

  static readonly parameterNames = [
    'ZoneId',
    'VpcOption',
    'VpcCidrBlock',
    'VSwitchCidrBlock',
    'VpcId',
    'VSwitchId',
    'AccessSourceCidr',
  ];
}
