import { maskPassword, type StoreTarget } from '../hook/store/open-store';
import { PgRolloutStore } from './pg-rollout-store';
import { SqliteRolloutStore } from './sqlite-rollout-store';
import type { RolloutStore } from './store';

export interface OpenRolloutStoreOptions {
  /** The store's clock for `updatedAt` (the rollout's clock). Default the wall clock. */
  now?: () => Date;
  /** An idle PostgreSQL connection failed (the pool reconnects on the next call). */
  onIdleError?: (error: Error) => void;
}

/**
 * The rollout store in the hook's database, as `storeTarget` (the hook's parsing of `--db` and
 * NESTKIT_DATABASE_URL) names it: the SQLite file, or the PostgreSQL database. An error opening it
 * names the URL with its password masked.
 */
export async function openRolloutStore(
  target: StoreTarget,
  options: OpenRolloutStoreOptions = {},
): Promise<RolloutStore> {
  if (target.engine === 'sqlite') return new SqliteRolloutStore(target.file, options.now);
  try {
    return await PgRolloutStore.open(target.url, options);
  } catch (error) {
    // pg's messages name the host and user, never the password; the URL is added masked.
    const message = `cannot open the rollout store at ${maskPassword(target.url)}: ${(error as Error).message}`;
    throw Object.assign(new Error(message), { code: (error as { code?: string }).code });
  }
}
