import type { ApplicationSpec } from '../../service-config/model';
import { escapeForSub } from '../ros/sub-variables';

/** The `Fn::Sub` variable holding the admin password, base64-encoded by `Fn::Base64Encode`. */
export const ADMIN_PASSWORD_BASE64 = 'AdminPasswordBase64';

/** Where the boot script keeps the admin password, readable by root only. */
export const SECRET_FILE = '/etc/nestkit/admin-password';

/** Where the data disk of every edition is mounted; the application keeps its data below it. */
export const DATA_MOUNT = '/data';

/**
 * The first-boot script of every node, as an `Fn::Sub` body: format and mount the data disk, write the
 * admin password to a root-only file, install, start the application, wait until its health path
 * answers, then signal the wait condition (SUCCESS or FAILURE with a reason).
 *
 * No secret is pasted into the script: the password arrives as `${AdminPasswordBase64}` (the base64
 * alphabet cannot leave a single-quoted word), is decoded into a file and read into `ADMIN_PASSWORD`
 * with `$(cat ...)`, whose result the shell never parses again. `NESTKIT_ROOT` prefixes every file the
 * script writes (empty on a node; a temporary folder when a test runs the script).
 */
export function bootScript(app: ApplicationSpec): string {
  const healthUrl = `http://127.0.0.1:${app.port}${app.healthPath}`;
  return [
    '#!/bin/bash',
    'set -uo pipefail',
    'signal() { ${WaitConditionHandle.CurlCli} -d "{\\"status\\":\\"$1\\",\\"id\\":\\"$(hostname)\\",\\"reason\\":\\"$2\\"}"; }',
    'trap \'signal FAILURE "boot script failed at line $LINENO"\' ERR',
    'set -e',
    'ROOT="${!NESTKIT_ROOT:-}"',
    "# The edition's data disk: formatted once (an existing file system is kept), mounted by label.",
    // [I] The first data disk of a virtio ECS node is /dev/vdb.
    'DATA_DEVICE=/dev/vdb',
    'for attempt in $(seq 1 60); do lsblk "$DATA_DEVICE" >/dev/null 2>&1 && break; sleep 2; done',
    'blkid "$DATA_DEVICE" >/dev/null 2>&1 || mkfs.ext4 -q -L appdata "$DATA_DEVICE"',
    `mkdir -p "$ROOT${DATA_MOUNT}"`,
    `grep -q '^LABEL=appdata ' "$ROOT/etc/fstab" 2>/dev/null || echo 'LABEL=appdata ${DATA_MOUNT} ext4 defaults,nofail 0 2' >> "$ROOT/etc/fstab"`,
    `mountpoint -q "$ROOT${DATA_MOUNT}" || mount "$ROOT${DATA_MOUNT}"`,
    '# The admin password: decoded into a root-only file, never pasted into this script.',
    `SECRET_FILE="$ROOT${SECRET_FILE}"`,
    'mkdir -p "$(dirname "$SECRET_FILE")" && chmod 700 "$(dirname "$SECRET_FILE")"',
    `(umask 077; printf '%s' '\${${ADMIN_PASSWORD_BASE64}}' | base64 -d > "$SECRET_FILE")`,
    'ADMIN_PASSWORD="$(cat "$SECRET_FILE")"',
    'export ADMIN_PASSWORD',
    // An artifact image holds what an install would fetch: then the script only starts the application.
    ...(app.installCommand.trim() ? [escapeForSub(app.installCommand.trimEnd())] : []),
    escapeForSub(app.startCommand.trimEnd()),
    'for attempt in $(seq 1 120); do',
    `  if curl -sf -o /dev/null ${healthUrl}; then signal SUCCESS "application is up"; exit 0; fi`,
    '  sleep 5',
    'done',
    `signal FAILURE "${app.healthPath} did not answer within 10 minutes"`,
    'exit 1',
    '',
  ].join('\n');
}
