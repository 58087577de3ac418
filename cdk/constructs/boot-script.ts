import type { ApplicationSpec } from '../../service-config/model';

/**
 * `Fn::Sub` would read a shell `${var}` in the ISV's commands as a template reference; ROS writes a
 * literal `${` as `${!` [I: documented for CloudFormation-compatible Fn::Sub, assumed for ROS].
 */
export function escapeForSub(shell: string): string {
  return shell.replace(/\$\{/g, '${!');
}

/**
 * The first-boot script of every node, as an `Fn::Sub` string: install, start the application, wait until
 * its health path answers, then signal the wait condition (SUCCESS or FAILURE with a reason) so the stack
 * completes only when the application is really up.
 */
export function bootScript(app: ApplicationSpec): string {
  const healthUrl = `http://127.0.0.1:${app.port}${app.healthPath}`;
  return [
    '#!/bin/bash',
    'set -uo pipefail',
    'signal() { ${WaitConditionHandle.CurlCli} -d "{\\"status\\":\\"$1\\",\\"id\\":\\"$(hostname)\\",\\"reason\\":\\"$2\\"}"; }',
    'trap \'signal FAILURE "boot script failed at line $LINENO"\' ERR',
    'set -e',
    escapeForSub(app.installCommand.trimEnd()),
    "export ADMIN_PASSWORD='${InstancePassword}'",
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
