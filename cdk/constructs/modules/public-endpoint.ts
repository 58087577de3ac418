import * as ros from '@alicloud/ros-cdk-core';
import type { PublicEndpointModule } from '../../../service-config/model';
import type { Network } from '../network';
import { moduleSwitch } from './module-switch';

export interface PublicEndpointProps {
  readonly module: PublicEndpointModule;
  readonly network: Network;
  readonly instanceIds: ros.IResolvable;
  readonly appPort: number;
  readonly healthPath: string;
  readonly namePrefix: string;
}

/**
 * Module `public-endpoint`: an internet-facing SLB whose HTTP listener spreads traffic over every node.
 * SLB has no typed construct in the npm registry, so the resources are raw `RosResource`s.
 */
export class PublicEndpoint extends ros.Construct {
  readonly enabled: ros.RosCondition;
  readonly address: ros.IResolvable;
  readonly listenerPort: number;

  constructor(scope: ros.Construct, id: string, props: PublicEndpointProps) {
    super(scope, id);
    this.enabled = moduleSwitch(scope, props.module);
    this.listenerPort = props.module.settings.listenerPort;
    const loadBalancer = new ros.RosResource(scope, 'PublicLoadBalancer', {
      type: 'ALIYUN::SLB::LoadBalancer',
      properties: {
        LoadBalancerName: ros.Fn.sub(`${props.namePrefix}\${ALIYUN::StackName}`),
        AddressType: 'internet',
        InternetChargeType: 'paybytraffic',
        VpcId: props.network.vpcId,
        VSwitchId: props.network.vSwitchId,
        LoadBalancerSpec: 'slb.s1.small',
      },
    });
    const listener = new ros.RosResource(scope, 'PublicListener', {
      type: 'ALIYUN::SLB::Listener',
      properties: {
        LoadBalancerId: loadBalancer.ref,
        ListenerPort: this.listenerPort,
        BackendServerPort: props.appPort,
        Protocol: 'http',
        Bandwidth: -1,
        HealthCheck: {
          URI: props.healthPath,
          HealthyThreshold: 3,
          UnhealthyThreshold: 3,
          Interval: 5,
          Timeout: 5,
        },
      },
    });
    const backends = new ros.RosResource(scope, 'PublicBackends', {
      type: 'ALIYUN::SLB::BackendServerAttachment',
      properties: { LoadBalancerId: loadBalancer.ref, BackendServerList: props.instanceIds },
    });
    for (const resource of [loadBalancer, listener, backends]) resource.addCondition(this.enabled);
    this.address = loadBalancer.getAtt('IpAddress');
  }
}
