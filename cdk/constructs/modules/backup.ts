import * as ros from '@alicloud/ros-cdk-core';
import * as oss from '@alicloud/ros-cdk-oss';
import type { BackupModule } from '../../../service-config/model';
import { moduleSwitch } from './module-switch';

export interface BackupProps {
  readonly module: BackupModule;
  readonly namePrefix: string;
}

/**
 * Module `backup`: a private OSS bucket for the application's backups whose lifecycle rule expires
 * objects after the retention the service description sets. Deleted with its objects at teardown.
 */
export class Backup extends ros.Construct {
  readonly enabled: ros.RosCondition;
  readonly bucketName: ros.IResolvable;

  constructor(scope: ros.Construct, id: string, props: BackupProps) {
    super(scope, id);
    this.enabled = moduleSwitch(scope, props.module);
    // Bucket names are global and lower-case: the stack id makes them unique per order.
    const bucket = new oss.RosBucket(
      scope,
      'BackupBucket',
      {
        bucketName: ros.Fn.sub(`${props.namePrefix}bk-\${ALIYUN::StackId}`),
        accessControl: 'private',
        blockPublicAccess: true,
        deletionForce: true,
        serverSideEncryptionConfiguration: { sseAlgorithm: 'AES256' },
        lifecycleConfiguration: {
          rule: [
            {
              id: 'expire-backups',
              prefix: 'backups/',
              status: 'Enabled',
              expiration: { days: props.module.settings.retentionDays },
            },
          ],
        },
      },
      true,
    );
    bucket.addCondition(this.enabled);
    this.bucketName = bucket.attrName;
  }
}
