import type { RolloutOptions, RolloutPlan, RolloutState, SkippedInstance, StepState } from './model';

/** A rollout as kept: its plan's target, its options and where it stands. */
export interface RolloutRecord {
  id: string;
  serviceId: string;
  targetVersion: string;
  state: RolloutState;
  options: RolloutOptions;
  /** The wave being worked on (0 is the canary). */
  currentWave: number;
  waveSizes: number[];
  /** Why it stopped, paused or was aborted. */
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

/** One instance's step in a rollout. */
export interface StepRecord {
  rolloutId: string;
  instanceId: string;
  wave: number;
  fromVersion: string;
  state: StepState;
  /** Upgrades asked for so far (one, unless a crash came between asking and recording the answer). */
  attempts: number;
  /** Hook-clock ms since when the instance has been deployed on the target and healthy. */
  healthySinceMs?: number;
  detail?: string;
  updatedAt: string;
}

/**
 * The rollout's durable state, in the hook's database: the plan and each instance's step, written
 * before the executor acts, so a crash at any point resumes exactly. Implemented on SQLite
 * (`sqlite-rollout-store.ts`); a PostgreSQL store implements the same interface when the hook's store
 * moves there. Synchronous, like better-sqlite3, so the hook's worker can ask `isHeld` in its loop.
 */
export interface RolloutStore {
  /** Saves a new rollout with its plan in one transaction; refused while another rollout is active. */
  create(rollout: Omit<RolloutRecord, 'updatedAt'>, plan: RolloutPlan): void;
  /** The running or paused rollout, if any. */
  active(): RolloutRecord | undefined;
  /** The newest rollout, whatever its state. */
  latest(): RolloutRecord | undefined;
  get(id: string): RolloutRecord | undefined;
  setState(id: string, state: RolloutState, reason?: string): void;
  setWave(id: string, wave: number): void;
  steps(id: string, wave?: number): StepRecord[];
  skipped(id: string): SkippedInstance[];
  /** Moves a step; `attempts` grows by one when `countAttempt`. */
  updateStep(rolloutId: string, instanceId: string, change: StepChange): void;
  /** Several steps moved in one transaction (one commit for a wave's worth of changes). */
  updateSteps(rolloutId: string, changes: (StepChange & { instanceId: string })[]): void;
  /** Whether an active rollout is acting on this instance right now (upgrading, soaking, rolling back). */
  isHeld(serviceInstanceId: string): boolean;
  /** The target version of the active rollout: what new orders are deployed on meanwhile. */
  activeTargetVersion(): string | undefined;
  close(): void;
}

/** A step's move: its new state, and what else changes with it. */
export interface StepChange {
  state: StepState;
  detail?: string;
  /** null clears it. */
  healthySinceMs?: number | null;
  countAttempt?: boolean;
}

export class RolloutConflictError extends Error {
  override readonly name = 'RolloutConflictError';
}
