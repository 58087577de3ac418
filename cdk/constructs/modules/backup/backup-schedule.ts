import * as ros from '@alicloud/ros-cdk-core';
import { DATA_MOUNT } from '../../boot-script';
import type { Backup } from './backup';

export interface BackupScheduleProps {
  /** The bucket and switch the schedule writes to and runs under. */
  readonly backup: Backup;
  /** The nodes whose data disk is copied. */
  readonly instanceIds: ros.IResolvable;
  /** Cloud Assistant schedule (Quartz cron, UTC). @default '0 0 18 * * ?' (02:00 in China) */
  readonly frequency?: string;
}

/** Where ossutil is installed from: Alibaba's own CDN, which mainland regions reach. */
export const OSSUTIL_URL = 'https://gosspublic.alicdn.com/ossutil/install.sh';

/**
 * The scheduled backup of module `backup`: a Cloud Assistant command that runs on every node each day,
 * archives the data disk and uploads it to the order's bucket with the node's RAM role (no key on the
 * node). Exists only while the module is on; the backups already written stay (see `Backup`).
 */
export class BackupSchedule extends ros.Construct {
  constructor(scope: ros.Construct, id: string, props: BackupScheduleProps) {
    super(scope, id);
    const script = [
      '#!/bin/bash',
      'set -euo pipefail',
      `command -v ossutil >/dev/null || curl -fsS ${OSSUTIL_URL} | bash`,
      'archive="/tmp/backup-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"',
      `tar -czf "$archive" -C ${DATA_MOUNT} .`,
      'ossutil cp "$archive" "oss://${Bucket}/backups/$(hostname)/$(basename "$archive")" --mode EcsRamRole --ecs-role-name "${Role}" -e "oss-${ALIYUN::Region}-internal.aliyuncs.com"',
      'rm -f "$archive"',
      '',
    ].join('\n');
    const job = new ros.RosResource(scope, 'BackupJob', {
      type: 'ALIYUN::ECS::RunCommand',
      properties: {
        Type: 'RunShellScript',
        InstanceIds: props.instanceIds,
        RepeatMode: 'Period',
        Frequency: props.frequency ?? '0 0 18 * * ?',
        Timeout: 3600,
        CommandContent: ros.Fn.sub(script, { Bucket: props.backup.bucketName, Role: props.backup.roleName }),
      },
    });
    job.addCondition(props.backup.enabled);
  }
}
