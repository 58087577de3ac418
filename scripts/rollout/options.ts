import { EXIT, UserError } from '../errors';
import { parseCount, parseDuration } from './count';
import type { Count, RolloutOptions } from './model';

/** The flags of `nestkit rollout` as commander hands them over (strings). */
export interface RolloutFlags {
  canary: string;
  batchGrowth: string;
  maxBatch: string;
  soak: string;
  maxFailures: string;
  rollbackFailed?: boolean;
  healthPath?: string;
}

/** Flags to options, or a usage error (exit 2) naming the flag and the value. */
export function rolloutOptions(flags: RolloutFlags): RolloutOptions {
  const batchGrowth = Number(flags.batchGrowth);
  if (!(Number.isFinite(batchGrowth) && batchGrowth >= 1))
    usage('--batch-growth', flags.batchGrowth, 'a number >= 1');
  const maxBatch = Number(flags.maxBatch);
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1))
    usage('--max-batch', flags.maxBatch, 'a whole number >= 1');
  const soakMs = parseDuration(flags.soak);
  if (soakMs === undefined) usage('--soak', flags.soak, 'a duration such as 10m, 30s or 1h');
  const canary = count('--canary', flags.canary);
  if (canary.kind === 'absolute' && canary.value < 1) usage('--canary', flags.canary, 'at least 1 instance');
  return {
    canary,
    batchGrowth,
    maxBatch,
    soakMs: soakMs!,
    maxFailures: count('--max-failures', flags.maxFailures),
    rollbackFailed: flags.rollbackFailed === true,
    ...(flags.healthPath ? { healthPath: flags.healthPath } : {}),
  };
}

function count(flag: string, value: string): Count {
  const parsed = parseCount(value);
  if (!parsed) usage(flag, value, 'a number N or a share P%');
  return parsed!;
}

export function usage(flag: string, value: string, wanted: string): never {
  throw new UserError('UsageError', `${flag} must be ${wanted}, not "${value}"`, undefined, EXIT.usage);
}
