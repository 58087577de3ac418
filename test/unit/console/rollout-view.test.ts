import { latestRollout, rolloutView } from '../../../scripts/console/rollout-view';
import type { RolloutRecord, StepRecord } from '../../../scripts/rollout/store';

const rollout: RolloutRecord = {
  id: 'r-1',
  serviceId: 'service-1',
  targetVersion: '3',
  state: 'running',
  options: {} as RolloutRecord['options'],
  currentWave: 1,
  waveSizes: [1, 2, 4],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T01:00:00Z',
};
const step = (instanceId: string, wave: number, state: StepRecord['state']): StepRecord => ({
  rolloutId: 'r-1',
  instanceId,
  wave,
  fromVersion: '2',
  state,
  attempts: state === 'pending' ? 0 : 1,
  updatedAt: '2026-01-01T01:00:00Z',
});

describe('the rollout as the console shows it', () => {
  const steps = [
    step('si-1', 0, 'done'),
    step('si-2', 1, 'soaking'),
    step('si-3', 1, 'failed'),
    ...['si-4', 'si-5', 'si-6', 'si-7'].map((id) => step(id, 2, 'pending')),
  ];

  it('counts each wave by step state and names the steps under way or failed', () => {
    const view = rolloutView(rollout, steps);
    expect(view.waves).toEqual([
      { wave: 0, size: 1, counts: { done: 1 } },
      { wave: 1, size: 2, counts: { soaking: 1, failed: 1 } },
      { wave: 2, size: 4, counts: { pending: 4 } },
    ]);
    expect([view.active, view.total, view.done, view.failed]).toEqual([true, 7, 1, 1]);
    expect(view.notable.map((s) => s.instanceId)).toEqual(['si-2', 'si-3']);
  });

  it('is the newest rollout of the store, or none', async () => {
    await expect(latestRollout(undefined)).resolves.toBeUndefined();
    await expect(
      latestRollout({ latest: async () => undefined, steps: async () => [] }),
    ).resolves.toBeUndefined();
    const view = await latestRollout({
      latest: async () => ({ ...rollout, state: 'finished' }),
      steps: async () => steps,
    });
    expect(view?.active).toBe(false);
    expect(view?.total).toBe(7);
  });
});
