import type { BackupModule, ServiceModel } from '../../service-config/model';

/** How backups are written, kept and restored: the README section of module `backup`. */
export function backupSection(model: ServiceModel): string[] {
  const backup = model.modules.find((m): m is BackupModule => m.name === 'backup');
  if (!backup) return [];
  const prefix = model.service.instanceNamePrefix;
  return [
    '## Backups (module `backup`) and how to restore them',
    '',
    'While the module is on, a Cloud Assistant command (`BackupJob`, daily at 18:00 UTC) archives the data',
    `disk (\`/data\`) of every node to \`oss://${prefix}bk-<stack id>/backups/<host>/backup-<UTC time>.tar.gz\`.`,
    'The nodes write with their own RAM role (`NodeRole`), whose policy (`BackupPolicy`) allows only',
    '`oss:PutObject`/`oss:GetObject` on that prefix and listing that bucket; no access key is on a node.',
    '',
    `Backups expire ${backup.settings.retentionDays} days after they are written (the bucket's lifecycle rule).`,
    'The bucket is retained: switching the module off, moving to an edition without it, or tearing the order',
    'down stops new backups but deletes none at once. Remove an empty retained bucket once its last backup',
    'has expired.',
    '',
    'Restore on a node (as root, through Cloud Assistant):',
    '',
    '```bash',
    'docker stop $(docker ps -q)',
    `ossutil ls oss://${prefix}bk-<stack id>/backups/$(hostname)/ --mode EcsRamRole --ecs-role-name <NodeRole name>`,
    `ossutil cp oss://${prefix}bk-<stack id>/backups/$(hostname)/<archive> /tmp/restore.tar.gz --mode EcsRamRole --ecs-role-name <NodeRole name>`,
    'tar -xzf /tmp/restore.tar.gz -C /data && docker start $(docker ps -aq)',
    '```',
    '',
  ];
}
