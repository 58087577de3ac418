import { computePlan, skipReason } from '../../../scripts/rollout/plan';
import type { LiveInstance, WaveOptions } from '../../../scripts/rollout/model';

const WAVES: WaveOptions = { canary: { kind: 'absolute', value: 1 }, batchGrowth: 2, maxBatch: 100 };
const ANY_OLDER = { SupportUpgradeFromVersions: [], SupportRollback: true };
const live = (id: string, extra: Partial<LiveInstance> = {}): LiveInstance => ({
  id,
  version: '1',
  status: 'Deployed',
  bizStatus: 'Normal',
  ...extra,
});

describe('the rollout plan', () => {
  it('upgrades deployed instances on older versions and says why each other one is skipped', () => {
    const plan = computePlan(
      [
        live('si-a'),
        live('si-b', { status: 'Deleted' }),
        live('si-c', { bizStatus: 'Expired' }),
        live('si-d', { status: 'Deploying' }),
        live('si-e', { version: '2' }),
        live('si-f', { status: 'DeployedFailed' }),
        live('si-g'),
      ],
      '2',
      ANY_OLDER,
      WAVES,
    );
    expect(plan.steps.map((s) => [s.instanceId, s.wave])).toEqual([
      ['si-a', 0],
      ['si-g', 1],
    ]);
    expect(plan.skipped.map((s) => [s.instanceId, s.reason])).toEqual([
      ['si-b', 'released'],
      ['si-c', 'expired'],
      ['si-d', 'deploying'],
      ['si-e', 'onTarget'],
      ['si-f', 'notDeployed'],
    ]);
    expect(plan.waveSizes).toEqual([1, 1]);
  });

  it('reports an upgrade UpgradeMetadata refuses instead of planning it', () => {
    const plan = computePlan(
      [live('si-a', { version: '3' }), live('si-b', { version: '4' })],
      '5',
      {
        SupportUpgradeFromVersions: ['4'],
      },
      WAVES,
    );
    expect(plan.steps.map((s) => s.instanceId)).toEqual(['si-b']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        instanceId: 'si-a',
        reason: 'refused',
        detail: expect.stringContaining('only from 4'),
      }),
    ]);
  });

  it('refuses everything when the target has no UpgradeMetadata', () => {
    expect(skipReason(live('si-a'), '2', undefined)).toMatchObject({ reason: 'refused' });
  });

  it('never plans a downgrade', () => {
    expect(skipReason(live('si-a', { version: '3' }), '2', ANY_OLDER)).toMatchObject({ reason: 'refused' });
  });
});

describe('SupportUpgradeFromVersions', () => {
  it('names a version by its number or by the release it was published as', () => {
    const metadata = { SupportUpgradeFromVersions: ['1.3.0'] };
    expect(skipReason(live('si-a', { versionName: '1.3.0-ab12cd' }), '2', metadata)).toBeUndefined();
    expect(skipReason(live('si-a', { versionName: '1.3.0' }), '2', metadata)).toBeUndefined();
    expect(skipReason(live('si-a', { versionName: '1.3.01-ab12cd' }), '2', metadata)).toMatchObject({
      reason: 'refused',
    });
    expect(skipReason(live('si-a', { version: '1.3.0' }), '2', metadata)).toBeUndefined();
  });
});
