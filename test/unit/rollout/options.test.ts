import { rolloutOptions, type RolloutFlags } from '../../../scripts/rollout/options';

const FLAGS: RolloutFlags = { canary: '1', batchGrowth: '2', maxBatch: '50', soak: '10m', maxFailures: '0' };

describe('nestkit rollout flags', () => {
  it('become the options', () => {
    expect(rolloutOptions({ ...FLAGS, canary: '5%', maxFailures: '2', rollbackFailed: true })).toEqual({
      canary: { kind: 'percent', value: 5 },
      batchGrowth: 2,
      maxBatch: 50,
      soakMs: 600_000,
      maxFailures: { kind: 'absolute', value: 2 },
      rollbackFailed: true,
    });
  });

  it.each([
    ['canary', 'lots', /--canary must be a number N or a share P%, not "lots"/],
    ['canary', '0', /--canary must be at least 1 instance/],
    ['batchGrowth', '0.5', /--batch-growth must be a number >= 1/],
    ['maxBatch', '2.5', /--max-batch must be a whole number >= 1/],
    ['soak', 'soon', /--soak must be a duration/],
    ['maxFailures', '150%', /--max-failures must be a number N or a share P%/],
  ])('refuse a bad --%s as a usage error naming it', (flag, value, message) => {
    expect(() => rolloutOptions({ ...FLAGS, [flag]: value })).toThrow(
      expect.objectContaining({ code: 'UsageError', exitCode: 2, message: expect.stringMatching(message) }),
    );
  });
});
