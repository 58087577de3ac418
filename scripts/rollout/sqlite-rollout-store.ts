import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  ACTIVE_ROLLOUT_STATES,
  HOLDING_STEP_STATES,
  type RolloutOptions,
  type RolloutPlan,
  type RolloutState,
  type SkipReason,
  type SkippedInstance,
  type StepState,
} from './model';
import {
  RolloutConflictError,
  type RolloutRecord,
  type RolloutStore,
  type StepChange,
  type StepRecord,
} from './store';

/**
 * The rollout's tables in the hook's SQLite file, beside the hook's own (WAL lets the hook and a
 * rollout share it). Created idempotently here until the hook's versioned migrations take them over
 * (the DDL below is what that migration must contain).
 */
export const ROLLOUT_DDL = `
CREATE TABLE IF NOT EXISTS rollout_runs (
  id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  target_version TEXT NOT NULL,
  state TEXT NOT NULL,
  options_json TEXT NOT NULL,
  current_wave INTEGER NOT NULL DEFAULT 0,
  wave_sizes_json TEXT NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rollout_steps (
  rollout_id TEXT NOT NULL REFERENCES rollout_runs(id),
  instance_id TEXT NOT NULL,
  wave INTEGER NOT NULL,
  from_version TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  healthy_since_ms INTEGER,
  detail TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (rollout_id, instance_id)
);
CREATE INDEX IF NOT EXISTS rollout_steps_by_instance ON rollout_steps (instance_id, state);
CREATE TABLE IF NOT EXISTS rollout_skips (
  rollout_id TEXT NOT NULL REFERENCES rollout_runs(id),
  instance_id TEXT NOT NULL,
  version TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (rollout_id, instance_id)
);
`;

const ACTIVE_SQL = ACTIVE_ROLLOUT_STATES.map((s) => `'${s}'`).join(', ');
const HOLDING_SQL = HOLDING_STEP_STATES.map((s) => `'${s}'`).join(', ');

interface RunRow {
  id: string;
  service_id: string;
  target_version: string;
  state: RolloutState;
  options_json: string;
  current_wave: number;
  wave_sizes_json: string;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

interface StepRow {
  rollout_id: string;
  instance_id: string;
  wave: number;
  from_version: string;
  state: StepState;
  attempts: number;
  healthy_since_ms: number | null;
  detail: string | null;
  updated_at: string;
}

export class SqliteRolloutStore implements RolloutStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // The hook writes to the same file: wait for its transactions rather than fail.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(ROLLOUT_DDL);
  }

  create(rollout: Omit<RolloutRecord, 'updatedAt'>, plan: RolloutPlan): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      const active = this.active();
      if (active)
        throw new RolloutConflictError(
          `rollout ${active.id} to version ${active.targetVersion} is ${active.state}: resume or abort it first`,
        );
      this.db
        .prepare(
          `INSERT INTO rollout_runs (id, service_id, target_version, state, options_json, current_wave,
             wave_sizes_json, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          rollout.id,
          rollout.serviceId,
          rollout.targetVersion,
          rollout.state,
          JSON.stringify(rollout.options),
          rollout.currentWave,
          JSON.stringify(rollout.waveSizes),
          rollout.reason ?? null,
          rollout.createdAt,
          at,
        );
      const step = this.db.prepare(
        `INSERT INTO rollout_steps (rollout_id, instance_id, wave, from_version, state, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?)`,
      );
      for (const s of plan.steps) step.run(rollout.id, s.instanceId, s.wave, s.fromVersion, at);
      const skip = this.db.prepare(
        `INSERT INTO rollout_skips (rollout_id, instance_id, version, reason, detail) VALUES (?, ?, ?, ?, ?)`,
      );
      for (const s of plan.skipped) skip.run(rollout.id, s.instanceId, s.version, s.reason, s.detail);
    })();
  }

  active(): RolloutRecord | undefined {
    const row = this.db
      .prepare(`SELECT * FROM rollout_runs WHERE state IN (${ACTIVE_SQL}) ORDER BY created_at DESC LIMIT 1`)
      .get() as RunRow | undefined;
    return row && toRun(row);
  }

  latest(): RolloutRecord | undefined {
    const row = this.db
      .prepare(`SELECT * FROM rollout_runs ORDER BY created_at DESC, rowid DESC LIMIT 1`)
      .get() as RunRow | undefined;
    return row && toRun(row);
  }

  get(id: string): RolloutRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM rollout_runs WHERE id = ?`).get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  setState(id: string, state: RolloutState, reason?: string): void {
    this.db
      .prepare(`UPDATE rollout_runs SET state = ?, reason = ?, updated_at = ? WHERE id = ?`)
      .run(state, reason ?? null, this.now().toISOString(), id);
  }

  setWave(id: string, wave: number): void {
    this.db
      .prepare(`UPDATE rollout_runs SET current_wave = ?, updated_at = ? WHERE id = ?`)
      .run(wave, this.now().toISOString(), id);
  }

  steps(id: string, wave?: number): StepRecord[] {
    const rows = (
      wave === undefined
        ? this.db
            .prepare(`SELECT * FROM rollout_steps WHERE rollout_id = ? ORDER BY wave, instance_id`)
            .all(id)
        : this.db
            .prepare(`SELECT * FROM rollout_steps WHERE rollout_id = ? AND wave = ? ORDER BY instance_id`)
            .all(id, wave)
    ) as StepRow[];
    return rows.map(toStep);
  }

  skipped(id: string): SkippedInstance[] {
    const rows = this.db
      .prepare(`SELECT * FROM rollout_skips WHERE rollout_id = ? ORDER BY instance_id`)
      .all(id) as { instance_id: string; version: string; reason: SkipReason; detail: string }[];
    return rows.map((r) => ({
      instanceId: r.instance_id,
      version: r.version,
      reason: r.reason,
      detail: r.detail,
    }));
  }

  updateSteps(rolloutId: string, changes: (StepChange & { instanceId: string })[]): void {
    if (changes.length === 0) return;
    this.db.transaction(() => {
      for (const { instanceId, ...change } of changes) this.updateStep(rolloutId, instanceId, change);
    })();
  }

  updateStep(rolloutId: string, instanceId: string, change: StepChange): void {
    this.db
      .prepare(
        `UPDATE rollout_steps SET state = ?, detail = COALESCE(?, detail),
           healthy_since_ms = CASE WHEN ? THEN ? ELSE healthy_since_ms END,
           attempts = attempts + ?, updated_at = ?
         WHERE rollout_id = ? AND instance_id = ?`,
      )
      .run(
        change.state,
        change.detail ?? null,
        change.healthySinceMs === undefined ? 0 : 1,
        change.healthySinceMs ?? null,
        change.countAttempt ? 1 : 0,
        this.now().toISOString(),
        rolloutId,
        instanceId,
      );
  }

  isHeld(serviceInstanceId: string): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM rollout_steps s JOIN rollout_runs r ON r.id = s.rollout_id
           WHERE s.instance_id = ? AND s.state IN (${HOLDING_SQL}) AND r.state IN (${ACTIVE_SQL}) LIMIT 1`,
        )
        .get(serviceInstanceId) !== undefined
    );
  }

  activeTargetVersion(): string | undefined {
    return this.active()?.targetVersion;
  }

  close(): void {
    this.db.close();
  }
}

function toRun(row: RunRow): RolloutRecord {
  return {
    id: row.id,
    serviceId: row.service_id,
    targetVersion: row.target_version,
    state: row.state,
    options: JSON.parse(row.options_json) as RolloutOptions,
    currentWave: row.current_wave,
    waveSizes: JSON.parse(row.wave_sizes_json) as number[],
    reason: row.reason ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toStep(row: StepRow): StepRecord {
  return {
    rolloutId: row.rollout_id,
    instanceId: row.instance_id,
    wave: row.wave,
    fromVersion: row.from_version,
    state: row.state,
    attempts: row.attempts,
    healthySinceMs: row.healthy_since_ms ?? undefined,
    detail: row.detail ?? undefined,
    updatedAt: row.updated_at,
  };
}
