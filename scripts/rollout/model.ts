/**
 * The rollout's vocabulary, named once: the states of a rollout and of each instance's step, why an
 * instance is skipped, and the options that shape the waves. Pure types; imported by the planner, the
 * executor, the store, the metrics and the command.
 */

/** A rollout: `running` (an executor works on it, or will when resumed after a crash), `paused` (by
 * `nestkit rollout pause`), `stopped` (too many failures in a wave), `aborted` (by `nestkit rollout
 * abort`), `finished` (every wave done). Only `running` and `paused` are active: at most one at a time. */
export const ROLLOUT_STATES = ['running', 'paused', 'stopped', 'aborted', 'finished'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];
export const ACTIVE_ROLLOUT_STATES: readonly RolloutState[] = ['running', 'paused'];

/**
 * One instance's step. `pending` → `upgrading` (the upgrade is asked for, with its ClientToken, or about
 * to be) → `soaking` (deployed on the target, watched for the soak) → `done`; or `failed`, then with
 * `--rollback-failed` `rollingBack` → `rolledBack` | `rollbackFailed`; or `skipped` (found released,
 * expired or refused just before its turn).
 */
export const STEP_STATES = [
  'pending',
  'upgrading',
  'soaking',
  'done',
  'failed',
  'rollingBack',
  'rolledBack',
  'rollbackFailed',
  'skipped',
] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Steps during which the rollout is acting on the instance: the hook leaves such an instance alone. */
export const HOLDING_STEP_STATES: readonly StepState[] = ['upgrading', 'soaking', 'rollingBack'];
/** Steps that are over: a wave is finished when all of its steps are. */
export const FINAL_STEP_STATES: readonly StepState[] = [
  'done',
  'failed',
  'rolledBack',
  'rollbackFailed',
  'skipped',
];

export const SKIP_REASONS = [
  'released',
  'expired',
  'deploying',
  'onTarget',
  'refused',
  'notDeployed',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** `N` instances or `P%` of them. */
export type Count = { kind: 'absolute'; value: number } | { kind: 'percent'; value: number };

export interface WaveOptions {
  canary: Count;
  /** Each batch after the canary is this many times the one before. */
  batchGrowth: number;
  maxBatch: number;
}

export interface RolloutOptions extends WaveOptions {
  /** How long every upgraded instance of a wave must stay deployed and healthy before the next wave. */
  soakMs: number;
  /** Failures in one wave above this stop the rollout (`P%` of the wave's size). */
  maxFailures: Count;
  rollbackFailed: boolean;
  /** Path of the application's health check under the instance's endpoint output, when reachable. */
  healthPath?: string;
}

/** An instance as the planner sees it: what ListServiceInstances says of it. */
export interface LiveInstance {
  id: string;
  version: string;
  /** The version's VersionName (nestkit publish: `<service.version>-<hash>`). */
  versionName?: string;
  status: string;
  bizStatus?: string;
  /** What the hook's record says of the order, when it is released or expired (`orders.ts`). */
  order?: 'released' | 'expired';
}

export interface PlannedStep {
  instanceId: string;
  fromVersion: string;
  wave: number;
}

export interface SkippedInstance {
  instanceId: string;
  version: string;
  reason: SkipReason;
  detail: string;
}

export interface RolloutPlan {
  targetVersion: string;
  steps: PlannedStep[];
  skipped: SkippedInstance[];
  /** The size of each wave, the canary first. */
  waveSizes: number[];
}
