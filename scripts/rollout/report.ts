import { STEP_STATES, type SkippedInstance, type StepState } from './model';
import type { RolloutRecord, StepRecord } from './store';

/** What `--json` prints and `status` shows: the rollout, counts by step state, each step, each skip. */
export interface RolloutReport {
  id: string;
  serviceId: string;
  targetVersion: string;
  state: string;
  reason?: string;
  wave: number;
  waves: number;
  counts: Record<StepState, number>;
  steps: { instanceId: string; wave: number; fromVersion: string; state: StepState; detail?: string }[];
  skipped: SkippedInstance[];
}

export function countSteps(steps: StepRecord[]): Record<StepState, number> {
  const counts = Object.fromEntries(STEP_STATES.map((s) => [s, 0])) as Record<StepState, number>;
  for (const step of steps) counts[step.state] += 1;
  return counts;
}

export function rolloutReport(
  rollout: RolloutRecord,
  steps: StepRecord[],
  skipped: SkippedInstance[],
): RolloutReport {
  return {
    id: rollout.id,
    serviceId: rollout.serviceId,
    targetVersion: rollout.targetVersion,
    state: rollout.state,
    reason: rollout.reason,
    wave: Math.min(rollout.currentWave + 1, rollout.waveSizes.length),
    waves: rollout.waveSizes.length,
    counts: countSteps(steps),
    steps: steps.map((s) => ({
      instanceId: s.instanceId,
      wave: s.wave,
      fromVersion: s.fromVersion,
      state: s.state,
      ...(s.detail ? { detail: s.detail } : {}),
    })),
    skipped,
  };
}

/** One line of progress: the wave, the counts, and an ETA from the pace so far. */
export function progressLine(rollout: RolloutRecord, steps: StepRecord[], elapsedMs: number): string {
  const c = countSteps(steps);
  const over = c.done + c.failed + c.rolledBack + c.rollbackFailed + c.skipped;
  const eta =
    over > 0 && over < steps.length ? ` ETA ${formatMs((elapsedMs / over) * (steps.length - over))}` : '';
  const wave = Math.min(rollout.currentWave + 1, rollout.waveSizes.length);
  return (
    `wave ${wave}/${rollout.waveSizes.length} ${rollout.state}: ${c.done}/${steps.length} done, ` +
    `${c.upgrading} upgrading, ${c.soaking} soaking, ${c.failed + c.rollbackFailed} failed, ` +
    `${c.rolledBack} rolled back, ${c.skipped} skipped${eta}`
  );
}

export function formatMs(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${s}s`;
}
