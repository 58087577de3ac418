import * as ros from '@alicloud/ros-cdk-core';
import { OUTPUT_KEYS } from '../hook-contract';
import type { Compute } from './compute';
import { asLabel, rosText } from './i18n';
import type { Backup } from './modules/backup/backup';
import type { PublicEndpoint } from './modules/public-endpoint/public-endpoint';

export interface OutputsProps {
  readonly compute: Compute;
  readonly appPort: number;
  readonly adminPath: string;
  readonly adminUser: string;
  /** The order's load balancer: the application URL goes through it while it is on. @default none */
  readonly publicEndpoint?: PublicEndpoint;
  /** The backup module: its bucket becomes an output while it is on. @default none */
  readonly backup?: Backup;
  /**
   * The nodes are in the ISV's account (managed): the buyer cannot reach their private addresses, so the
   * direct URL is the first node's public address (synth refuses a managed edition without one).
   * @default false
   */
  readonly publicOnly?: boolean;
}

/**
 * What the buyer's console shows: the application URL (through the load balancer when the order has
 * the public endpoint, else the first node's public or private address), the admin URL and user.
 */
export class Outputs extends ros.Construct {
  constructor(scope: ros.Construct, id: string, props: OutputsProps) {
    super(scope, id);
    const { compute } = props;
    const nodeUrl = (ips: ros.IResolvable) =>
      ros.Fn.join('', ['http://', ros.Fn.select(0, ips), `:${props.appPort}`]);
    const directUrl = props.publicOnly
      ? nodeUrl(compute.publicIps)
      : ros.Fn.conditionIf(
          compute.hasPublicIp.logicalId,
          nodeUrl(compute.publicIps),
          nodeUrl(compute.privateIps),
        );
    const endpoint = props.publicEndpoint;
    const frontendUrl = endpoint
      ? ros.Fn.conditionIf(
          endpoint.enabled.logicalId,
          ros.Fn.join('', ['https://', endpoint.address, `:${endpoint.listenerPort}`]),
          directUrl,
        )
      : directUrl;
    new ros.RosOutput(scope, OUTPUT_KEYS.frontendUrl, {
      value: frontendUrl,
      label: asLabel(rosText('Application URL', '应用访问地址')),
      description: asLabel(rosText('Where users open the application.', '用户访问应用的地址。')),
    });
    new ros.RosOutput(scope, OUTPUT_KEYS.adminUrl, {
      value: ros.Fn.join('', [frontendUrl, props.adminPath]),
      label: asLabel(rosText('Admin console URL', '管理控制台地址')),
      description: asLabel(
        rosText(
          'Sign in as the application administrator with the admin password of the order.',
          '使用订单的应用管理员密码登录。',
        ),
      ),
    });
    new ros.RosOutput(scope, OUTPUT_KEYS.adminUser, {
      value: props.adminUser,
      label: asLabel(rosText('Admin user', '管理员用户名')),
      description: asLabel(rosText('Administrator account of the application.', '应用的管理员账号。')),
    });
    if (props.backup) {
      new ros.RosOutput(scope, OUTPUT_KEYS.backupBucket, {
        value: props.backup.bucketName,
        condition: props.backup.enabled,
        label: asLabel(rosText('Backup bucket', '备份存储桶')),
        description: asLabel(rosText('OSS bucket that holds the backups.', '存放备份的 OSS 存储桶。')),
      });
    }
  }
}
