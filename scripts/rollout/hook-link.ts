import type { Registry } from 'prom-client';
import type { StoreTarget } from '../hook/store/open-store';
import { registerRolloutMetrics } from './metrics';
import { openRolloutStore } from './open-rollout-store';
import type { RolloutStore } from './store';

/**
 * What the hook needs of rollouts: which instances one holds, the version new orders get, metrics; and
 * the newest rollout with its steps, for the operator console's rollouts page. Each is read from the
 * database when asked (no cache): the hook sees a rollout's commits as soon as they are made.
 */
export type RolloutLink = Pick<RolloutStore, 'latest' | 'steps' | 'isHeld' | 'activeTargetVersion' | 'close'>;

/**
 * Opens the rollout tables in the hook's database (the SQLite file or the PostgreSQL database the
 * hook's `--db` names) and puts the rollout into the hook's `/metrics`.
 */
export async function attachRollout(
  target: StoreTarget,
  registry: Registry,
  options: { onIdleError?: (error: Error) => void } = {},
): Promise<RolloutLink> {
  const store = await openRolloutStore(target, options);
  registerRolloutMetrics(registry, store);
  return store;
}
