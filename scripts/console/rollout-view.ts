import { ACTIVE_ROLLOUT_STATES, type StepState } from '../rollout/model';
import type { RolloutRecord, RolloutStore, StepRecord } from '../rollout/store';

/** What the console reads of the rollout store (`scripts/rollout`, in the hook's database). */
export type RolloutReader = Pick<RolloutStore, 'latest' | 'steps'>;

export interface WaveView {
  wave: number;
  size: number;
  counts: Partial<Record<StepState, number>>;
}

/** The newest rollout as the console shows it: where it stands, wave by wave. */
export interface RolloutView {
  rollout: RolloutRecord;
  active: boolean;
  waves: WaveView[];
  total: number;
  done: number;
  failed: number;
  /** Steps the rollout is acting on now (upgrading, soaking, rolling back) or that failed. */
  notable: StepRecord[];
}

const NOTABLE: readonly StepState[] = ['upgrading', 'soaking', 'rollingBack', 'failed', 'rollbackFailed'];

/** Pure: the view of a rollout from its record and steps. */
export function rolloutView(rollout: RolloutRecord, steps: StepRecord[]): RolloutView {
  const waves: WaveView[] = rollout.waveSizes.map((size, wave) => ({ wave, size, counts: {} }));
  for (const step of steps) {
    const wave = waves[step.wave] ?? (waves[step.wave] = { wave: step.wave, size: 0, counts: {} });
    wave.counts[step.state] = (wave.counts[step.state] ?? 0) + 1;
  }
  const count = (states: StepState[]) => steps.filter((s) => states.includes(s.state)).length;
  return {
    rollout,
    active: ACTIVE_ROLLOUT_STATES.includes(rollout.state),
    waves: waves.filter(Boolean),
    total: steps.length,
    done: count(['done']),
    failed: count(['failed', 'rollbackFailed', 'rolledBack']),
    notable: steps.filter((s) => NOTABLE.includes(s.state)).slice(0, 50),
  };
}

/** The newest rollout of the store (SQLite or PostgreSQL, read when asked), or undefined when it records none. */
export async function latestRollout(reader: RolloutReader | undefined): Promise<RolloutView | undefined> {
  const rollout = await reader?.latest();
  return rollout ? rolloutView(rollout, await reader!.steps(rollout.id)) : undefined;
}
