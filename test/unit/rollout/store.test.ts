import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RolloutPlan, RolloutOptions } from '../../../scripts/rollout/model';
import { SqliteRolloutStore } from '../../../scripts/rollout/sqlite-rollout-store';
import { RolloutConflictError } from '../../../scripts/rollout/store';

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

describe('the rollout store (SQLite, the hook database file)', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'nestkit-rollout-store-')), 'hook.db');
  const create = (store: SqliteRolloutStore, id: string) =>
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

  it('keeps the plan, the skips and each step, across connections', () => {
    const path = file();
    const first = new SqliteRolloutStore(path);
    create(first, 'r1');
    first.updateSteps('r1', [{ instanceId: 'si-a', state: 'upgrading', countAttempt: true }]);
    first.close();
    const again = new SqliteRolloutStore(path);
    expect(again.active()).toMatchObject({
      id: 'r1',
      targetVersion: '2',
      options: OPTIONS,
      waveSizes: [1, 1],
    });
    expect(again.steps('r1').map((s) => [s.instanceId, s.state, s.attempts])).toEqual([
      ['si-a', 'upgrading', 1],
      ['si-b', 'pending', 0],
    ]);
    expect(again.skipped('r1')).toEqual(PLAN.skipped);
    again.close();
  });

  it('holds an instance only while an active rollout acts on it', () => {
    const store = new SqliteRolloutStore(file());
    create(store, 'r1');
    expect(store.isHeld('si-a')).toBe(false); // pending: not yet touched
    store.updateStep('r1', 'si-a', { state: 'upgrading' });
    expect(store.isHeld('si-a')).toBe(true);
    store.updateStep('r1', 'si-a', { state: 'soaking', healthySinceMs: 5 });
    expect(store.isHeld('si-a')).toBe(true);
    expect(store.steps('r1', 0)[0].healthySinceMs).toBe(5);
    store.setState('r1', 'aborted', 'by hand');
    expect(store.isHeld('si-a')).toBe(false);
    expect(store.activeTargetVersion()).toBeUndefined();
    store.close();
  });

  it('refuses a second rollout while one is active, and allows one after it ends', () => {
    const store = new SqliteRolloutStore(file());
    create(store, 'r1');
    expect(store.activeTargetVersion()).toBe('2');
    expect(() => create(store, 'r2')).toThrow(RolloutConflictError);
    expect(store.get('r2')).toBeUndefined();
    expect(store.steps('r2')).toEqual([]);
    store.setState('r1', 'finished');
    create(store, 'r2');
    expect(store.latest()?.id).toBe('r2');
    store.close();
  });
});
