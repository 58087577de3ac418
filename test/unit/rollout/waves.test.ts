import { parseCount, parseDuration, resolveCount } from '../../../scripts/rollout/count';
import { tooManyFailures, waveSizes } from '../../../scripts/rollout/waves';

describe('waves', () => {
  it('start with the canary, then grow by the factor up to the largest batch', () => {
    expect(waveSizes(100, { canary: { kind: 'absolute', value: 2 }, batchGrowth: 2, maxBatch: 30 })).toEqual([
      2, 4, 8, 16, 30, 30, 10,
    ]);
  });

  it('put every instance in exactly one wave, whatever the options', () => {
    for (const total of [1, 2, 7, 100, 1000])
      for (const growth of [1, 1.5, 2, 3]) {
        const sizes = waveSizes(total, {
          canary: { kind: 'percent', value: 1 },
          batchGrowth: growth,
          maxBatch: 50,
        });
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
        expect(sizes.every((s) => s >= 1 && s <= Math.max(50, sizes[0]))).toBe(true);
      }
  });

  it('round a percentage canary up to at least one instance', () => {
    expect(waveSizes(10, { canary: { kind: 'percent', value: 1 }, batchGrowth: 2, maxBatch: 10 })[0]).toBe(1);
    expect(waveSizes(0, { canary: { kind: 'absolute', value: 1 }, batchGrowth: 2, maxBatch: 10 })).toEqual(
      [],
    );
  });

  it('stop when failures exceed the allowance, absolute or a share of the wave', () => {
    expect(tooManyFailures(0, 1, { kind: 'absolute', value: 0 })).toBe(false);
    expect(tooManyFailures(1, 1, { kind: 'absolute', value: 0 })).toBe(true);
    expect(tooManyFailures(2, 40, { kind: 'percent', value: 5 })).toBe(false);
    expect(tooManyFailures(3, 40, { kind: 'percent', value: 5 })).toBe(true);
  });
});

describe('flag values', () => {
  it('parse N and P% counts and refuse anything else', () => {
    expect(parseCount('5')).toEqual({ kind: 'absolute', value: 5 });
    expect(parseCount('10%')).toEqual({ kind: 'percent', value: 10 });
    expect(parseCount('0%')).toBeUndefined();
    expect(parseCount('-1')).toBeUndefined();
    expect(parseCount('abc')).toBeUndefined();
    expect(resolveCount({ kind: 'percent', value: 10 }, 25)).toBe(3);
  });

  it('parse durations with units, seconds without one', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('1h')).toBe(3600_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('ten')).toBeUndefined();
  });
});
