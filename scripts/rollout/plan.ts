import type { LiveInstance, PlannedStep, RolloutPlan, SkippedInstance, WaveOptions } from './model';
import { upgradeRefusal, type UpgradeMetadata } from './upgrade-metadata';
import { waveSizes } from './waves';

/** Statuses of an instance that is being deployed or changed: not upgraded now, skipped. */
const IN_PROGRESS = new Set([
  'Created',
  'Deploying',
  'Upgrading',
  'UpgradeRollbacking',
  'Starting',
  'Stopping',
]);
const GONE = new Set(['Deleting', 'Deleted']);

/**
 * Why a live instance is not upgraded to `target`, or undefined when it is. Also asked of each instance
 * again just before its upgrade, so one released or expired since the plan is skipped, not attempted.
 */
export function skipReason(
  instance: LiveInstance,
  target: string,
  metadata: UpgradeMetadata | undefined,
): Omit<SkippedInstance, 'instanceId' | 'version'> | undefined {
  if (GONE.has(instance.status)) return { reason: 'released', detail: `it is ${instance.status}` };
  if (instance.order === 'released')
    return { reason: 'released', detail: "the hook's record of its order is released" };
  if (instance.bizStatus === 'Expired' || instance.order === 'expired')
    return { reason: 'expired', detail: 'its subscription has expired' };
  if (instance.version === target) return { reason: 'onTarget', detail: `it already runs version ${target}` };
  if (IN_PROGRESS.has(instance.status)) return { reason: 'deploying', detail: `it is ${instance.status}` };
  if (instance.status !== 'Deployed') return { reason: 'notDeployed', detail: `it is ${instance.status}` };
  const refusal = upgradeRefusal(instance.version, target, metadata, instance.versionName);
  if (refusal) return { reason: 'refused', detail: refusal };
  return undefined;
}

/** The plan: which instances are upgraded in which wave (oldest first, by id to be stable), which are skipped. */
export function computePlan(
  instances: LiveInstance[],
  target: string,
  metadata: UpgradeMetadata | undefined,
  options: WaveOptions,
): RolloutPlan {
  const skipped: SkippedInstance[] = [];
  const chosen: LiveInstance[] = [];
  for (const instance of [...instances].sort((a, b) => a.id.localeCompare(b.id))) {
    const skip = skipReason(instance, target, metadata);
    if (skip) skipped.push({ instanceId: instance.id, version: instance.version, ...skip });
    else chosen.push(instance);
  }
  const sizes = waveSizes(chosen.length, options);
  const steps: PlannedStep[] = [];
  let next = 0;
  sizes.forEach((size, wave) => {
    for (const instance of chosen.slice(next, next + size))
      steps.push({ instanceId: instance.id, fromVersion: instance.version, wave });
    next += size;
  });
  return { targetVersion: target, steps, skipped, waveSizes: sizes };
}
