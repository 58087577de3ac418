import { join } from 'node:path';
import { SqliteRolloutStore } from '../../../scripts/rollout/sqlite-rollout-store';
import { OPTIONS } from './support-run';
import { createParams, hookWorld, type HookWorld } from '../hook/support';

describe('the hook beside a rollout', () => {
  let w: HookWorld;
  let rollouts: SqliteRolloutStore;
  beforeEach(async () => {
    w = await hookWorld();
    rollouts = new SqliteRolloutStore(join(w.dir, 'nestkit.db'));
  });
  afterEach(async () => {
    rollouts.close();
    await w.close();
  });

  /** A running rollout to `target` whose one step, on `instanceId`, is in `state`. */
  const holdBy = (instanceId: string, target: string, state: 'upgrading' | 'done') => {
    rollouts.create(
      {
        id: 'r1',
        serviceId: w.serviceId,
        targetVersion: target,
        state: 'running',
        options: OPTIONS,
        currentWave: 0,
        waveSizes: [1],
        createdAt: new Date().toISOString(),
      },
      {
        targetVersion: target,
        steps: [{ instanceId, fromVersion: '1', wave: 0 }],
        skipped: [],
        waveSizes: [1],
      },
    );
    rollouts.updateStep('r1', instanceId, { state });
  };

  it('does not tear down an instance the rollout holds, and does once it lets go', async () => {
    await w.spi(createParams('50001'));
    await w.settleDeployments();
    const si = (await w.hook.store.get('50001'))!.serviceInstanceId!;
    holdBy(si, '1', 'upgrading');
    await w.spi({ action: 'releaseInstance', instanceId: '50001', isRefund: 'false' });
    await w.advance(7 * 86400);
    expect((await w.hook.teardownPass()).started).toBe(1);
    await w.hook.drain();
    await w.advance(60);
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
    expect(rollouts.isHeld(si)).toBe(true);

    rollouts.updateStep('r1', si, { state: 'done' });
    expect(rollouts.isHeld(si)).toBe(false);
    await w.advance(60);
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(1);
  });

  it('deploys an order created during a rollout on the rollout target version', async () => {
    await w.spi(createParams('50002'));
    await w.hook.drain();
    expect(w.box.core.calls.list('CreateServiceInstance')[0].params.ServiceVersion).toBeUndefined();
    holdBy('si-other', '1', 'upgrading');
    await w.spi(createParams('50003'));
    await w.hook.drain();
    expect(w.box.core.calls.list('CreateServiceInstance')[1].params.ServiceVersion).toBe('1');
  });

  it("shows the rollout in the hook's /metrics", async () => {
    holdBy('si-other', '1', 'upgrading');
    const text = await (await fetch(`${w.hook.url}/metrics`)).text();
    expect(text).toMatch(/^nestkit_rollout_state\{state="running",target_version="1"\} 1$/m);
    expect(text).toMatch(/^nestkit_rollout_instances\{state="upgrading"\} 1$/m);
    expect(text).toMatch(/^nestkit_rollout_wave\{of="total"\} 1$/m);
  });
});
