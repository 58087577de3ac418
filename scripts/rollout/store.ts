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
 * (`sqlite-rollout-store.ts`, the hook's file) and on PostgreSQL (`pg-rollout-store.ts`, the hook's
 * database); `open-rollout-store.ts` picks the one `--db` names. The tables are the hook's migrations'
 * (SQLite version 4, PostgreSQL version 2). Every write is committed before its promise resolves.
 */
export interface RolloutStore {
  /** Saves a new rollout with its plan in one transaction; refused while another rollout is active. */
  create(rollout: Omit<RolloutRecord, 'updatedAt'>, plan: RolloutPlan): Promise<void>;
  /** The running or paused rollout, if any. */
  active(): Promise<RolloutRecord | undefined>;
  /** The newest rollout, whatever its state. */
  latest(): Promise<RolloutRecord | undefined>;
  get(id: string): Promise<RolloutRecord | undefined>;
  setState(id: string, state: RolloutState, reason?: string): Promise<void>;
  setWave(id: string, wave: number): Promise<void>;
  steps(id: string, wave?: number): Promise<StepRecord[]>;
  skipped(id: string): Promise<SkippedInstance[]>;
  /** Moves a step; `attempts` grows by one when `countAttempt`. */
  updateStep(rolloutId: string, instanceId: string, change: StepChange): Promise<void>;
  /** Several steps moved in one transaction (one commit for a wave's worth of changes). */
  updateSteps(rolloutId: string, changes: (StepChange & { instanceId: string })[]): Promise<void>;
  /** Whether an active rollout is acting on this instance right now (upgrading, soaking, rolling back). */
  isHeld(serviceInstanceId: string): Promise<boolean>;
  /** The target version of the active rollout: what new orders are deployed on meanwhile. */
  activeTargetVersion(): Promise<string | undefined>;
  /**
   * The rollout lease (one row for the database): taken when free, run out, or already `owner`'s, and
   * then held until `nowMs + ttlMs` on the rollout's clock; else who holds it and until when. One
   * winner when two processes ask at once.
   */
  tryLease(owner: string, holder: string, nowMs: number, ttlMs: number): Promise<LeaseAnswer>;
  /** Gives the lease back, if `owner` still holds it. */
  releaseLease(owner: string): Promise<void>;
  close(): Promise<void>;
}

/** The one row of `rollout_leases`: one rollout process acts on a database at a time. */
export const ROLLOUT_LEASE = 'rollout';

/** What `tryLease` found: the lease is the caller's now, or another process's until `untilMs`. */
export type LeaseAnswer = { taken: true } | { taken: false; holder: string; untilMs: number };

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
