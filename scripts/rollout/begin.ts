import { randomBytes } from 'node:crypto';
import type { SupplierApi } from '../cloud';
import type { RolloutClock } from './clock';
import { listFleet, targetVersion, type TargetVersion } from './fleet';
import type { RolloutOptions, RolloutPlan } from './model';
import { computePlan } from './plan';
import { withOrders, type OrderView } from './orders';
import type { RolloutStore } from './store';

/** The plan of a rollout to `to` (else the service's default version), from what the cloud lists now. Reads only. */
export async function planRollout(
  supplier: SupplierApi,
  clock: RolloutClock,
  serviceId: string,
  options: RolloutOptions,
  to: string | undefined,
  orders?: OrderView,
): Promise<{ target: TargetVersion; plan: RolloutPlan }> {
  const target = await targetVersion(supplier, clock, serviceId, to);
  const fleet = await withOrders(await listFleet(supplier, clock, serviceId), orders);
  return { target, plan: computePlan(fleet, target.version, target.metadata, options) };
}

/** Keeps a new rollout and its plan; the executor then works it. Its id is short: it goes into ClientTokens. */
export async function beginRollout(
  store: RolloutStore,
  serviceId: string,
  plan: RolloutPlan,
  options: RolloutOptions,
  now: Date,
): Promise<string> {
  const id = randomBytes(6).toString('hex');
  await store.create(
    {
      id,
      serviceId,
      targetVersion: plan.targetVersion,
      state: 'running',
      options,
      currentWave: 0,
      waveSizes: plan.waveSizes,
      createdAt: now.toISOString(),
    },
    plan,
  );
  return id;
}
