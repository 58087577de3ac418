import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, migrateSqlite } from '../../../scripts/hook/store/migrations/sqlite-migrations';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import type { RolloutPlan, RolloutOptions } from '../../../scripts/rollout/model';
import { RolloutConflictError, type RolloutStore } from '../../../scripts/rollout/store';
import { ENGINES, SQLITE, rolloutStoreAt, type TestDatabase } from './engines';

const OPTIONS: RolloutOptions = {
  canary: { kind: 'absolute', value: 1 },
  batchGrowth: 2,
  maxBatch: 10,
  soakMs: 0,
  maxFailures: { kind: 'absolute', value: 0 },
  rollbackFailed: false,
};
const PLAN: RolloutPlan = {
  targetVersion: '2',
  steps: [
    { instanceId: 'si-a', fromVersion: '1', wave: 0 },
    { instanceId: 'si-b', fromVersion: '1', wave: 1 },
  ],
  skipped: [{ instanceId: 'si-c', version: '1', reason: 'expired', detail: 'its subscription has expired' }],
  waveSizes: [1, 1],
};

const create = (store: RolloutStore, id: string) =>
  store.create(
    {
      id,
      serviceId: 'service-1',
      targetVersion: '2',
      state: 'running',
      options: OPTIONS,
      currentWave: 0,
      waveSizes: PLAN.waveSizes,
      createdAt: new Date().toISOString(),
    },
    PLAN,
  );

for (const engine of ENGINES)
  engine.describe(`the rollout store (${engine.name}, in the hook's database)`, () => {
    let database: TestDatabase;
    const opened: RolloutStore[] = [];
    const open = async () => {
      const store = await rolloutStoreAt(database.db);
      opened.push(store);
      return store;
    };
    beforeEach(async () => {
      database = await engine.fresh();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await database.drop();
    });

    it('keeps the plan, the skips and each step, across connections', async () => {
      const first = await open();
      await create(first, 'r1');
      await first.updateSteps('r1', [{ instanceId: 'si-a', state: 'upgrading', countAttempt: true }]);
      const again = await open();
      expect(await again.active()).toMatchObject({
        id: 'r1',
        targetVersion: '2',
        options: OPTIONS,
        waveSizes: [1, 1],
      });
      expect((await again.steps('r1')).map((s) => [s.instanceId, s.state, s.attempts])).toEqual([
        ['si-a', 'upgrading', 1],
        ['si-b', 'pending', 0],
      ]);
      expect(await again.skipped('r1')).toEqual(PLAN.skipped);
    });

    it('holds an instance only while an active rollout acts on it', async () => {
      const store = await open();
      await create(store, 'r1');
      expect(await store.isHeld('si-a')).toBe(false); // pending: not yet touched
      await store.updateStep('r1', 'si-a', { state: 'upgrading' });
      expect(await store.isHeld('si-a')).toBe(true);
      await store.updateStep('r1', 'si-a', { state: 'soaking', healthySinceMs: 1_767_225_600_123 });
      expect(await store.isHeld('si-a')).toBe(true);
      expect((await store.steps('r1', 0))[0].healthySinceMs).toBe(1_767_225_600_123);
      await store.updateStep('r1', 'si-a', { state: 'done', healthySinceMs: null, detail: 'soaked' });
      expect((await store.steps('r1', 0))[0]).toMatchObject({ state: 'done', detail: 'soaked' });
      expect((await store.steps('r1', 0))[0].healthySinceMs).toBeUndefined();
      await store.updateStep('r1', 'si-b', { state: 'upgrading' });
      await store.setState('r1', 'aborted', 'by hand');
      expect(await store.isHeld('si-b')).toBe(false);
      expect(await store.activeTargetVersion()).toBeUndefined();
      expect(await store.get('r1')).toMatchObject({ state: 'aborted', reason: 'by hand' });
    });

    it('refuses a second rollout while one is active, and allows one after it ends', async () => {
      const store = await open();
      await create(store, 'r1');
      expect(await store.activeTargetVersion()).toBe('2');
      await expect(create(store, 'r2')).rejects.toThrow(RolloutConflictError);
      expect(await store.get('r2')).toBeUndefined();
      expect(await store.steps('r2')).toEqual([]);
      await store.setState('r1', 'finished');
      await create(store, 'r2');
      expect((await store.latest())?.id).toBe('r2');
      await store.setWave('r2', 1);
      expect((await store.get('r2'))?.currentWave).toBe(1);
    });

    it('keeps one active rollout when two processes create one at the same moment', async () => {
      const [a, b] = [await open(), await open()];
      const results = await Promise.allSettled([create(a, 'r-a'), create(b, 'r-b')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((await a.active())?.id).toMatch(/^r-[ab]$/);
    });

    it('gives the lease to one process at a time, until it runs out or is given back', async () => {
      const [a, b] = [await open(), await open()];
      expect(await a.tryLease('owner-a', 'pid 1 on a', 1000, 60_000)).toEqual({ taken: true });
      // Held: another owner is told by whom and until when; the holder renews it.
      expect(await b.tryLease('owner-b', 'pid 2 on b', 30_000, 60_000)).toEqual({
        taken: false,
        holder: 'pid 1 on a',
        untilMs: 61_000,
      });
      expect(await a.tryLease('owner-a', 'pid 1 on a', 30_000, 60_000)).toEqual({ taken: true });
      expect(await b.tryLease('owner-b', 'pid 2 on b', 61_000, 60_000)).toMatchObject({ untilMs: 90_000 });
      // Run out (its holder died): the next asker takes it, and the old holder has lost it.
      expect(await b.tryLease('owner-b', 'pid 2 on b', 90_000, 60_000)).toEqual({ taken: true });
      expect(await a.tryLease('owner-a', 'pid 1 on a', 90_001, 60_000)).toMatchObject({ taken: false });
      // Given back only by its holder.
      await a.releaseLease('owner-a');
      expect(await a.tryLease('owner-a', 'pid 1 on a', 90_002, 60_000)).toMatchObject({ taken: false });
      await b.releaseLease('owner-b');
      expect(await a.tryLease('owner-a', 'pid 1 on a', 90_003, 60_000)).toEqual({ taken: true });
    });

    it('gives a free lease to one of two processes asking at the same moment', async () => {
      const [a, b] = [await open(), await open()];
      const answers = await Promise.all([
        a.tryLease('owner-a', 'pid 1 on a', 0, 60_000),
        b.tryLease('owner-b', 'pid 2 on b', 0, 60_000),
      ]);
      expect(answers.filter((x) => x.taken)).toHaveLength(1);
      expect(answers.find((x) => !x.taken)).toMatchObject({ untilMs: 60_000, holder: expect.any(String) });
    });
  });

/** The rollout tables as `sqlite-rollout-store.ts` made them itself, before migration version 4. */
const OLD_ROLLOUT_DDL = `
CREATE TABLE IF NOT EXISTS rollout_runs (
  id TEXT PRIMARY KEY, service_id TEXT NOT NULL, target_version TEXT NOT NULL, state TEXT NOT NULL,
  options_json TEXT NOT NULL, current_wave INTEGER NOT NULL DEFAULT 0, wave_sizes_json TEXT NOT NULL,
  reason TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rollout_steps (
  rollout_id TEXT NOT NULL REFERENCES rollout_runs(id), instance_id TEXT NOT NULL, wave INTEGER NOT NULL,
  from_version TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  healthy_since_ms INTEGER, detail TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (rollout_id, instance_id)
);
CREATE INDEX IF NOT EXISTS rollout_steps_by_instance ON rollout_steps (instance_id, state);
CREATE TABLE IF NOT EXISTS rollout_skips (
  rollout_id TEXT NOT NULL REFERENCES rollout_runs(id), instance_id TEXT NOT NULL, version TEXT NOT NULL,
  reason TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (rollout_id, instance_id)
);
`;

describe('the rollout tables of an SQLite file from before migration version 4', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await SQLITE.fresh();
  });

  /** A hook file at schema version 3 with a running rollout in the tables the old store made. */
  const oldFile = (withHookSchema: boolean) => {
    const db = new Database(database.db);
    if (withHookSchema) migrateSqlite(db, SQLITE_MIGRATIONS.slice(0, 3));
    db.exec(OLD_ROLLOUT_DDL);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare(
      `INSERT INTO rollout_runs VALUES ('r-old', 'service-1', '2', 'running', ?, 1, '[1,1]', NULL, ?, ?)`,
    ).run(JSON.stringify(OPTIONS), at, at);
    db.prepare(
      `INSERT INTO rollout_steps VALUES ('r-old', 'si-a', 0, '1', 'done', 1, NULL, NULL, ?),
         ('r-old', 'si-b', 1, '1', 'soaking', 1, 1767225600000, NULL, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO rollout_skips VALUES ('r-old', 'si-c', '1', 'expired', 'its subscription has expired')`,
    ).run();
    db.close();
  };

  const versions = () => {
    const db = new Database(database.db, { readonly: true });
    try {
      return (
        db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
      ).map((r) => r.version);
    } finally {
      db.close();
    }
  };

  it.each([
    ['made by the hook (schema version 3), the rollout tables by the old store', true],
    ['with the rollout tables only (the old store opened it first)', false],
  ])('migrates a file %s, the rollout still there and going on', async (_name, withHookSchema) => {
    oldFile(withHookSchema);
    const store = await rolloutStoreAt(database.db);
    try {
      expect(await store.active()).toMatchObject({
        id: 'r-old',
        state: 'running',
        currentWave: 1,
        options: OPTIONS,
      });
      expect((await store.steps('r-old')).map((s) => [s.instanceId, s.state, s.healthySinceMs])).toEqual([
        ['si-a', 'done', undefined],
        ['si-b', 'soaking', 1767225600000],
      ]);
      expect(await store.isHeld('si-b')).toBe(true);
      expect(await store.skipped('r-old')).toEqual(PLAN.skipped);
      expect(await store.tryLease('owner', 'pid 1 on here', 0, 60_000)).toEqual({ taken: true });
      await store.updateStep('r-old', 'si-b', { state: 'done' });
      expect(await store.isHeld('si-b')).toBe(false);
    } finally {
      await store.close();
    }
    expect(versions()).toEqual([1, 2, 3, 4]);
    // The hook opens the migrated file as it is, and so does the rollout store again.
    const hook = new SqliteStore(database.db);
    await hook.close();
    const again = await rolloutStoreAt(database.db);
    expect((await again.latest())?.id).toBe('r-old');
    await again.close();
  });
});
