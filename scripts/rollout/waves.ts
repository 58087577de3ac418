import { resolveCount } from './count';
import type { Count, WaveOptions } from './model';

/**
 * The sizes of the waves for `total` instances: the canary, then batches that grow by `batchGrowth`
 * up to `maxBatch`, the last one holding what is left. Every instance is in exactly one wave.
 */
export function waveSizes(total: number, options: WaveOptions): number[] {
  if (total <= 0) return [];
  const sizes: number[] = [];
  const canary = Math.min(total, Math.max(1, resolveCount(options.canary, total)));
  sizes.push(canary);
  let left = total - canary;
  let batch = canary;
  while (left > 0) {
    batch = Math.max(1, Math.min(options.maxBatch, Math.ceil(batch * options.batchGrowth)));
    const size = Math.min(batch, left);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Whether `failures` in a wave of `waveSize` are more than `--max-failures` allows. */
export function tooManyFailures(failures: number, waveSize: number, maxFailures: Count): boolean {
  const allowed = maxFailures.kind === 'percent' ? (maxFailures.value / 100) * waveSize : maxFailures.value;
  return failures > allowed;
}
