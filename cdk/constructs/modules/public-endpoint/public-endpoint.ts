import * as ros from '@alicloud/ros-cdk-core';
import type { PublicEndpointModule } from '../../../../service-config/model';
import type { Network } from '../../network';
import { asLabel, rosText } from '../../i18n';
import { moduleSwitch } from '../module-switch';

export interface PublicEndpointProps {
  /** The module as `service.yaml` declares it (its switch, listener port and certificates). */
  readonly module: PublicEndpointModule;
  /** The order's network: the load balancer goes into its VSwitch. */
  readonly network: Network;
  /** The nodes behind the load balancer. */
  readonly instanceIds: ros.IResolvable;
  /** The nodes' application port the listener forwards to. */
  readonly appPort: number;
  /** The path of the health check on the nodes. */
  readonly healthPath: string;
  /** Prefix of the load balancer's name. */
  readonly namePrefix: string;
}

/** The parameter naming the SLB server certificate of the HTTPS listener (mapped per region when managed). */
export const CERTIFICATE_PARAMETER = 'PublicEndpointCertificateId';

/**
 * Module `public-endpoint`: an internet-facing SLB whose HTTPS listener (TLS terminated with the
 * certificate `PublicEndpointCertificateId`) spreads traffic over every node, so the application and its
 * admin console never travel the internet in plain HTTP. The resources are raw `RosResource`s: a typed
 * SLB construct library exists upstream (`@alicloud/ros-cdk-slb` in the public npm registry, its 1.x beside the other
 * ROS CDK packages), but the registry this kit installs from answers 404 for it (`npm view
 * @alicloud/ros-cdk-slb`, 2026-12), so it cannot be a dependency here; switch when it can be installed.
 */
export class PublicEndpoint extends ros.Construct {
  readonly enabled: ros.RosCondition;
  readonly address: ros.IResolvable;
  readonly listenerPort: number;

  constructor(scope: ros.Construct, id: string, props: PublicEndpointProps) {
    super(scope, id);
    this.enabled = moduleSwitch(scope, props.module);
    this.listenerPort = props.module.settings.listenerPort;
    const certificate = new ros.RosParameter(scope, CERTIFICATE_PARAMETER, {
      type: ros.RosParameterType.STRING,
      defaultValue: '',
      label: asLabel(rosText('Certificate of the public endpoint', '公网入口的证书')),
      description: rosText(
        'SLB server certificate ID served by the HTTPS listener (needed when the public endpoint is on).',
        'HTTPS 监听使用的 SLB 服务器证书 ID（开启公网入口时必填）。',
      ),
    });
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
        Protocol: 'https',
        ServerCertificateId: certificate.valueAsString,
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
