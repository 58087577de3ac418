/**
 * The deployment state machine of a service instance: which operation is allowed from which Status,
 * and where it leads. Pure data, so the rules read in one place.
 */
export type Operation =
  | 'startDeploy'
  | 'continueDeploy'
  | 'finishDeploy'
  | 'delete'
  | 'finishDelete'
  | 'stop'
  | 'finishStop'
  | 'start'
  | 'finishStart'
  | 'restart'
  | 'modify'
  | 'finishModify';

const TRANSITIONS: Record<Operation, { from: string[]; to: string }> = {
  startDeploy: { from: ['Created'], to: 'Deploying' },
  // ContinueDeployServiceInstance resumes a deployment that failed (the API reference: "after a
  // deployment failure"; its DryRun checks the instance's status). [I] It runs again from its checks.
  continueDeploy: { from: ['DeployedFailed'], to: 'Deploying' },
  finishDeploy: { from: ['Deploying'], to: 'Deployed' },
  // [I] An instance can be deleted from any state but Deleting/Deleted; DeletedFailed may be retried.
  delete: {
    from: [
      'Created',
      'Deploying',
      'Deployed',
      'DeployedFailed',
      'DeletedFailed',
      'Stopped',
      'StopFailed',
      'StartFailed',
    ],
    to: 'Deleting',
  },
  finishDelete: { from: ['Deleting'], to: 'Deleted' },
  stop: { from: ['Deployed', 'StopFailed'], to: 'Stopping' },
  finishStop: { from: ['Stopping'], to: 'Stopped' },
  start: { from: ['Stopped', 'StartFailed'], to: 'Starting' },
  finishStart: { from: ['Starting'], to: 'Deployed' },
  // [I] RestartServiceInstance: a running instance passes through Starting back to Deployed.
  restart: { from: ['Deployed'], to: 'Starting' },
  // [I] A specification change (UpdateServiceInstanceSpec) runs as an update of a deployed stack.
  modify: { from: ['Deployed'], to: 'Upgrading' },
  finishModify: { from: ['Upgrading'], to: 'Deployed' },
};

export function canApply(status: string, operation: Operation): boolean {
  return TRANSITIONS[operation].from.includes(status);
}

export function nextStatus(operation: Operation): string {
  return TRANSITIONS[operation].to;
}

export const FAILED_STATUS: Partial<Record<Operation, string>> = {
  finishDeploy: 'DeployedFailed',
  startDeploy: 'DeployedFailed',
  continueDeploy: 'DeployedFailed',
  finishDelete: 'DeletedFailed',
};
