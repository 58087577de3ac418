import * as ros from '@alicloud/ros-cdk-core';
import * as oss from '@alicloud/ros-cdk-oss';
import type { BackupModule } from '../../../../service-config/model';
import { moduleSwitch } from '../module-switch';

export interface BackupProps {
  /** The module as `service.yaml` declares it (its switch and retention). */
  readonly module: BackupModule;
  /** Prefix of the bucket's and the role's names. */
  readonly namePrefix: string;
}

/**
 * Module `backup`: a private OSS bucket for the application's backups, whose lifecycle rule expires them
 * after the retention the service description sets, and the nodes' RAM role, which may write and read
 * that bucket only, and only while the module is on.
 *
 * [I] The bucket and the role exist in every order and the bucket is retained (`DeletionPolicy: Retain`):
 * switching the module off, moving to an edition without it, or tearing the order down never deletes
 * backups at once; they expire under the lifecycle rule. The other choice (the bucket only while the
 * module is on, deleted with its objects) is `bucket.addCondition(this.enabled)` plus `deletionForce`.
 */
export class Backup extends ros.Construct {
  readonly enabled: ros.RosCondition;
  readonly bucketName: ros.IResolvable;
  /** Name of the nodes' RAM role (`RamRoleName` of the instance group). */
  readonly roleName: ros.IResolvable;
  readonly retentionDays: number;

  constructor(scope: ros.Construct, id: string, props: BackupProps) {
    super(scope, id);
    this.enabled = moduleSwitch(scope, props.module);
    this.retentionDays = props.module.settings.retentionDays;
    // Bucket names are global and lower-case: the stack id makes them unique per order.
    const bucket = new oss.RosBucket(
      scope,
      'BackupBucket',
      {
        bucketName: ros.Fn.sub(`${props.namePrefix}bk-\${ALIYUN::StackId}`),
        accessControl: 'private',
        blockPublicAccess: true,
        serverSideEncryptionConfiguration: { sseAlgorithm: 'AES256' },
        lifecycleConfiguration: {
          rule: [
            {
              id: 'expire-backups',
              prefix: 'backups/',
              status: 'Enabled',
              expiration: { days: this.retentionDays },
            },
          ],
        },
      },
      true,
    );
    bucket.applyRemovalPolicy(ros.RemovalPolicy.RETAIN);
    this.bucketName = bucket.attrName;

    const role = new ros.RosResource(scope, 'NodeRole', {
      type: 'ALIYUN::RAM::Role',
      properties: {
        RoleName: ros.Fn.sub(`${props.namePrefix}node-\${ALIYUN::StackName}`),
        Description: 'Role of the order nodes: writes and reads the order backup bucket only.',
        AssumeRolePolicyDocument: {
          Version: '1',
          Statement: [
            { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } },
          ],
        },
      },
    });
    this.roleName = role.getAtt('RoleName');
    const policy = new ros.RosResource(scope, 'BackupPolicy', {
      type: 'ALIYUN::RAM::ManagedPolicy',
      properties: {
        PolicyName: ros.Fn.sub(`${props.namePrefix}bk-\${ALIYUN::StackName}`),
        Description: 'Least privilege of the nodes on their backup bucket.',
        Roles: [this.roleName],
        PolicyDocument: {
          Version: '1',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['oss:ListObjects', 'oss:GetBucketInfo'],
              Resource: [ros.Fn.join('', ['acs:oss:*:*:', this.bucketName])],
            },
            {
              Effect: 'Allow',
              Action: ['oss:PutObject', 'oss:GetObject'],
              Resource: [ros.Fn.join('', ['acs:oss:*:*:', this.bucketName, '/backups/*'])],
            },
          ],
        },
      },
    });
    policy.addCondition(this.enabled);
  }
}
