import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrateSqlite } from '../hook/store/migrations/sqlite-migrations';
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
  ROLLOUT_LEASE,
  RolloutConflictError,
  type LeaseAnswer,
  type RolloutRecord,
  type RolloutStore,
  type StepChange,
  type StepRecord,
} from './store';

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

/**
 * The rollout's tables in the hook's SQLite file, beside the hook's own (WAL lets the hook and a
 * rollout share it). The hook's versioned migrations make them (version 4); opening the store brings
 * the file to the newest version as the hook would. better-sqlite3 is synchronous: each method has
 * committed when its promise is made, so it resolves committed.
 */
export class SqliteRolloutStore implements RolloutStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (file !== ':memory:') {
      // 0600 like the hook's own file (it may be the first to make it).
      mkdirSync(dirname(file), { recursive: true });
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // The hook writes to the same file: wait for its transactions rather than fail.
    this.db.pragma('busy_timeout = 5000');
    migrateSqlite(this.db);
  }

  async create(rollout: Omit<RolloutRecord, 'updatedAt'>, plan: RolloutPlan): Promise<void> {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      const active = this.activeNow();
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

  async active(): Promise<RolloutRecord | undefined> {
    return this.activeNow();
  }

  private activeNow(): RolloutRecord | undefined {
    const row = this.db
      .prepare(`SELECT * FROM rollout_runs WHERE state IN (${ACTIVE_SQL}) ORDER BY created_at DESC LIMIT 1`)
      .get() as RunRow | undefined;
    return row && toRun(row);
  }

  async latest(): Promise<RolloutRecord | undefined> {
    const row = this.db
      .prepare(`SELECT * FROM rollout_runs ORDER BY created_at DESC, rowid DESC LIMIT 1`)
      .get() as RunRow | undefined;
    return row && toRun(row);
  }

  async get(id: string): Promise<RolloutRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM rollout_runs WHERE id = ?`).get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  async setState(id: string, state: RolloutState, reason?: string): Promise<void> {
    this.db
      .prepare(`UPDATE rollout_runs SET state = ?, reason = ?, updated_at = ? WHERE id = ?`)
      .run(state, reason ?? null, this.now().toISOString(), id);
  }

  async setWave(id: string, wave: number): Promise<void> {
    this.db
      .prepare(`UPDATE rollout_runs SET current_wave = ?, updated_at = ? WHERE id = ?`)
      .run(wave, this.now().toISOString(), id);
  }

  async steps(id: string, wave?: number): Promise<StepRecord[]> {
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

  async skipped(id: string): Promise<SkippedInstance[]> {
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

  async updateSteps(rolloutId: string, changes: (StepChange & { instanceId: string })[]): Promise<void> {
    if (changes.length === 0) return;
    this.db.transaction(() => {
      for (const { instanceId, ...change } of changes) this.moveStep(rolloutId, instanceId, change);
    })();
  }

  async updateStep(rolloutId: string, instanceId: string, change: StepChange): Promise<void> {
    this.moveStep(rolloutId, instanceId, change);
  }

  private moveStep(rolloutId: string, instanceId: string, change: StepChange): void {
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

  async isHeld(serviceInstanceId: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM rollout_steps s JOIN rollout_runs r ON r.id = s.rollout_id
           WHERE s.instance_id = ? AND s.state IN (${HOLDING_SQL}) AND r.state IN (${ACTIVE_SQL}) LIMIT 1`,
        )
        .get(serviceInstanceId) !== undefined
    );
  }

  async activeTargetVersion(): Promise<string | undefined> {
    return this.activeNow()?.targetVersion;
  }

  async tryLease(owner: string, holder: string, nowMs: number, ttlMs: number): Promise<LeaseAnswer> {
    // One transaction: the upsert's WHERE decides (SQLite has one writer), the row says who won.
    return this.db
      .transaction((): LeaseAnswer => {
        const taken = this.db
          .prepare(
            `INSERT INTO rollout_leases (name, owner, holder, until) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, holder = excluded.holder, until = excluded.until
           WHERE rollout_leases.until <= ? OR rollout_leases.owner = excluded.owner`,
          )
          .run(ROLLOUT_LEASE, owner, holder, nowMs + ttlMs, nowMs).changes;
        if (taken === 1) return { taken: true };
        const row = this.db
          .prepare('SELECT holder, until FROM rollout_leases WHERE name = ?')
          .get(ROLLOUT_LEASE) as { holder: string; until: number };
        return { taken: false, holder: row.holder, untilMs: row.until };
      })
      .immediate();
  }

  async releaseLease(owner: string): Promise<void> {
    this.db.prepare('DELETE FROM rollout_leases WHERE name = ? AND owner = ?').run(ROLLOUT_LEASE, owner);
  }

  async close(): Promise<void> {
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
