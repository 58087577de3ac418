import { storeTarget } from '../../../scripts/hook/store/open-store';
import { openRolloutStore } from '../../../scripts/rollout/open-rollout-store';
import type { RolloutStore } from '../../../scripts/rollout/store';
import { describePg, freshDatabase } from '../hook/store-pg-support';
import { tempDb } from './support-run';

/** A database of one test: what `--db` is given (a file or a URL), and how to drop it afterwards. */
export interface TestDatabase {
  db: string;
  drop(): Promise<void>;
}

/** The two engines the hook's database may be: each suite that takes `ENGINES` runs on both. */
export interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  /** `describe`, or on PostgreSQL `describePg` (skipped without NESTKIT_TEST_DATABASE_URL, except in CI). */
  describe: jest.Describe;
  fresh(): Promise<TestDatabase>;
}

export const SQLITE: Engine = {
  name: 'SQLite',
  describe,
  fresh: async () => ({ db: tempDb(), drop: async () => undefined }),
};

export const POSTGRES: Engine = {
  name: 'PostgreSQL',
  describe: describePg,
  fresh: async () => {
    const { url, drop } = await freshDatabase();
    return { db: url, drop };
  },
};

export const ENGINES: readonly Engine[] = [SQLITE, POSTGRES];

/** The rollout store of `db`, opened as `nestkit rollout --db` opens it. */
export function rolloutStoreAt(db: string, now?: () => Date): Promise<RolloutStore> {
  return openRolloutStore(storeTarget(db, {}), { now });
}
