import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { Sandbox } from '../../../scripts/sandbox';
import { beginRollout, planRollout } from '../../../scripts/rollout/begin';
import type { RolloutClock } from '../../../scripts/rollout/clock';
import { RolloutExecutor } from '../../../scripts/rollout/executor';
import type { RolloutOptions } from '../../../scripts/rollout/model';
import { storeTarget } from '../../../scripts/hook/store/open-store';
import { openRolloutStore } from '../../../scripts/rollout/open-rollout-store';

export const OPTIONS: RolloutOptions = {
  canary: { kind: 'absolute', value: 1 },
  batchGrowth: 2,
  maxBatch: 10,
  soakMs: 120_000,
  maxFailures: { kind: 'absolute', value: 0 },
  rollbackFailed: false,
};

/** The sandbox's virtual clock: waiting on it advances it (and runs its timers). */
export function sandboxTime(box: Sandbox): RolloutClock {
  return { now: () => box.core.now(), sleep: async (ms) => void box.advance(ms / 1000) };
}

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'nestkit-rollout-')), 'hook.db');
}

/** Plans, keeps and runs a rollout to its end on the virtual clock; `db` a file or a postgres:// URL. */
export async function rollout(
  box: Sandbox,
  api: SupplierApi,
  serviceId: string,
  options: Partial<RolloutOptions> = {},
  db = tempDb(),
) {
  const clock = sandboxTime(box);
  const store = await openRolloutStore(storeTarget(db, {}), { now: () => new Date(clock.now()) });
  try {
    const all = { ...OPTIONS, ...options };
    const { plan, target } = await planRollout(api, clock, serviceId, all, undefined);
    const id = await beginRollout(store, serviceId, plan, all, new Date(clock.now()));
    const executor = new RolloutExecutor({
      supplier: api,
      store,
      clock,
      pollMs: 10_000,
      concurrency: 8,
      metadata: target.metadata,
    });
    const end = await executor.run(id);
    return { id, end, plan, steps: await store.steps(id), rolloutRecord: (await store.get(id))! };
  } finally {
    await store.close();
  }
}

/** How many upgrades Compute Nest started on each instance (its own history, not our calls). */
export async function upgradesOf(api: SupplierApi, ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const history = await api.listServiceInstanceUpgradeHistory({ ServiceInstanceId: id });
    counts[id] = (history.UpgradeHistory ?? []).filter((h) => h.Type === 'Upgrade').length;
  }
  return counts;
}
