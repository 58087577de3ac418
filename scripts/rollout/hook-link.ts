import type { Registry } from 'prom-client';
import { registerRolloutMetrics } from './metrics';
import { SqliteRolloutStore } from './sqlite-rollout-store';
import type { RolloutStore } from './store';

/**
 * What the hook needs of rollouts: which instances one holds, the version new orders get, metrics; and
 * the newest rollout with its steps, for the operator console's rollouts page.
 */
export interface RolloutLink extends Pick<RolloutStore, 'latest' | 'steps'> {
  isHeld(serviceInstanceId: string): boolean;
  activeTargetVersion(): string | undefined;
  close(): void;
}

/** Opens the rollout tables in the hook's database and puts the rollout into the hook's `/metrics`. */
export function attachRollout(dbPath: string, registry: Registry): RolloutLink {
  const store = new SqliteRolloutStore(dbPath);
  registerRolloutMetrics(registry, store);
  return store;
}
