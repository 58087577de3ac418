import type { Pool, PoolClient } from 'pg';
import { inTransaction, openMigratedPool } from '../hook/store/pg-pool';
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

export interface PgRolloutStoreOptions {
  /** The store's clock for `updatedAt` (the rollout's clock). Default the wall clock. */
  now?: () => Date;
  /** Connections. Default 3: the executor commits one change at a time; the hook reads one at a time. */
  poolSize?: number;
  /** Called with an error of an idle connection (the database restarted, the network dropped). */
  onIdleError?: (error: Error) => void;
}

/** Advisory lock (class, object) around "no other active rollout, then insert" (19 and 20 are the hook's). */
const CREATE_LOCK = [21, 0] as const;

interface RunRow {
  id: string;
  service_id: string;
  target_version: string;
  state: RolloutState;
  options: RolloutOptions;
  current_wave: number;
  wave_sizes: number[];
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
  /** BIGINT: pg hands it over as a string. */
  healthy_since_ms: string | null;
  detail: string | null;
  updated_at: string;
}

const ACTIVE = [...ACTIVE_ROLLOUT_STATES];
const HOLDING = [...HOLDING_STEP_STATES];

const STEP_UPDATE = `UPDATE rollout_steps SET state = $1, detail = COALESCE($2, detail),
  healthy_since_ms = CASE WHEN $3 THEN $4::bigint ELSE healthy_since_ms END,
  attempts = attempts + $5, updated_at = $6
  WHERE rollout_id = $7 AND instance_id = $8`;

/**
 * The rollout's tables in the hook's PostgreSQL database (migration version 2), with the semantics of
 * the SQLite store: every method's statement or transaction is committed before its promise resolves
 * (durability is the server's `synchronous_commit`, as for the hook). Its own small pool beside the
 * hook's: the hook opens one when it attaches the rollout, `nestkit rollout` one per run.
 */
export class PgRolloutStore implements RolloutStore {
  private constructor(
    private readonly pool: Pool,
    private readonly now: () => Date,
  ) {}

  /** Connects and applies the migrations (once, across replicas and rollouts starting together). */
  static async open(url: string, options: PgRolloutStoreOptions = {}): Promise<PgRolloutStore> {
    const pool = await openMigratedPool({
      url,
      size: options.poolSize ?? 3,
      applicationName: 'nestkit-rollout',
      onIdleError: options.onIdleError,
    });
    return new PgRolloutStore(pool, options.now ?? (() => new Date()));
  }

  private tx<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  private async rows<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  async create(rollout: Omit<RolloutRecord, 'updatedAt'>, plan: RolloutPlan): Promise<void> {
    const at = this.now().toISOString();
    await this.tx(async (c) => {
      // Two creates at once: the second waits here, then sees the first's rollout as active.
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [...CREATE_LOCK]);
      const { rows } = await c.query<RunRow>(
        'SELECT * FROM rollout_runs WHERE state = ANY($1) ORDER BY created_at DESC, seq DESC LIMIT 1',
        [ACTIVE],
      );
      if (rows[0])
        throw new RolloutConflictError(
          `rollout ${rows[0].id} to version ${rows[0].target_version} is ${rows[0].state}: resume or abort it first`,
        );
      await c.query(
        `INSERT INTO rollout_runs (id, service_id, target_version, state, options, current_wave, wave_sizes,
           reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
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
        ],
      );
      // One statement per table however large the fleet: the plan's columns as arrays.
      await c.query(
        `INSERT INTO rollout_steps (rollout_id, instance_id, wave, from_version, state, updated_at)
         SELECT $1, s.instance_id, s.wave, s.from_version, 'pending', $2
         FROM unnest($3::text[], $4::int[], $5::text[]) AS s(instance_id, wave, from_version)`,
        [
          rollout.id,
          at,
          plan.steps.map((s) => s.instanceId),
          plan.steps.map((s) => s.wave),
          plan.steps.map((s) => s.fromVersion),
        ],
      );
      await c.query(
        `INSERT INTO rollout_skips (rollout_id, instance_id, version, reason, detail)
         SELECT $1, s.instance_id, s.version, s.reason, s.detail
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS s(instance_id, version, reason, detail)`,
        [
          rollout.id,
          plan.skipped.map((s) => s.instanceId),
          plan.skipped.map((s) => s.version),
          plan.skipped.map((s) => s.reason),
          plan.skipped.map((s) => s.detail),
        ],
      );
    });
  }

  async active(): Promise<RolloutRecord | undefined> {
    const [row] = await this.rows<RunRow>(
      'SELECT * FROM rollout_runs WHERE state = ANY($1) ORDER BY created_at DESC, seq DESC LIMIT 1',
      [ACTIVE],
    );
    return row && toRun(row);
  }

  async latest(): Promise<RolloutRecord | undefined> {
    const [row] = await this.rows<RunRow>(
      'SELECT * FROM rollout_runs ORDER BY created_at DESC, seq DESC LIMIT 1',
    );
    return row && toRun(row);
  }

  async get(id: string): Promise<RolloutRecord | undefined> {
    const [row] = await this.rows<RunRow>('SELECT * FROM rollout_runs WHERE id = $1', [id]);
    return row && toRun(row);
  }

  async setState(id: string, state: RolloutState, reason?: string): Promise<void> {
    await this.pool.query('UPDATE rollout_runs SET state = $1, reason = $2, updated_at = $3 WHERE id = $4', [
      state,
      reason ?? null,
      this.now().toISOString(),
      id,
    ]);
  }

  async setWave(id: string, wave: number): Promise<void> {
    await this.pool.query('UPDATE rollout_runs SET current_wave = $1, updated_at = $2 WHERE id = $3', [
      wave,
      this.now().toISOString(),
      id,
    ]);
  }

  async steps(id: string, wave?: number): Promise<StepRecord[]> {
    // COLLATE "C": the byte order SQLite sorts the ids in, so both stores list the steps alike.
    const rows =
      wave === undefined
        ? await this.rows<StepRow>(
            'SELECT * FROM rollout_steps WHERE rollout_id = $1 ORDER BY wave, instance_id COLLATE "C"',
            [id],
          )
        : await this.rows<StepRow>(
            'SELECT * FROM rollout_steps WHERE rollout_id = $1 AND wave = $2 ORDER BY instance_id COLLATE "C"',
            [id, wave],
          );
    return rows.map(toStep);
  }

  async skipped(id: string): Promise<SkippedInstance[]> {
    const rows = await this.rows<{
      instance_id: string;
      version: string;
      reason: SkipReason;
      detail: string;
    }>('SELECT * FROM rollout_skips WHERE rollout_id = $1 ORDER BY instance_id COLLATE "C"', [id]);
    return rows.map((r) => ({
      instanceId: r.instance_id,
      version: r.version,
      reason: r.reason,
      detail: r.detail,
    }));
  }

  async updateStep(rolloutId: string, instanceId: string, change: StepChange): Promise<void> {
    await this.pool.query(STEP_UPDATE, this.stepParams(rolloutId, instanceId, change));
  }

  async updateSteps(rolloutId: string, changes: (StepChange & { instanceId: string })[]): Promise<void> {
    if (changes.length === 0) return;
    await this.tx(async (c) => {
      for (const { instanceId, ...change } of changes)
        await c.query(STEP_UPDATE, this.stepParams(rolloutId, instanceId, change));
    });
  }

  private stepParams(rolloutId: string, instanceId: string, change: StepChange): unknown[] {
    return [
      change.state,
      change.detail ?? null,
      change.healthySinceMs !== undefined,
      change.healthySinceMs ?? null,
      change.countAttempt ? 1 : 0,
      this.now().toISOString(),
      rolloutId,
      instanceId,
    ];
  }

  async isHeld(serviceInstanceId: string): Promise<boolean> {
    const rows = await this.rows(
      `SELECT 1 FROM rollout_steps s JOIN rollout_runs r ON r.id = s.rollout_id
       WHERE s.instance_id = $1 AND s.state = ANY($2) AND r.state = ANY($3) LIMIT 1`,
      [serviceInstanceId, HOLDING, ACTIVE],
    );
    return rows.length > 0;
  }

  async activeTargetVersion(): Promise<string | undefined> {
    return (await this.active())?.targetVersion;
  }

  async tryLease(owner: string, holder: string, nowMs: number, ttlMs: number): Promise<LeaseAnswer> {
    for (;;) {
      // The upsert's WHERE decides, one winner at once. When it does not take the lease, the outer
      // SELECT reads the row as the statement's snapshot has it: who holds it, until when.
      const { rows } = await this.pool.query<{ taken: boolean; holder: string | null; until: string | null }>(
        `WITH up AS (
           INSERT INTO rollout_leases (name, owner, holder, until) VALUES ($1, $2, $3, $4)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, holder = excluded.holder, until = excluded.until
           WHERE rollout_leases.until <= $5 OR rollout_leases.owner = excluded.owner
           RETURNING 1)
         SELECT EXISTS (SELECT 1 FROM up) AS taken, l.holder, l.until
         FROM (SELECT 1) one LEFT JOIN rollout_leases l ON l.name = $1`,
        [ROLLOUT_LEASE, owner, holder, nowMs + ttlMs, nowMs],
      );
      if (rows[0].taken) return { taken: true };
      if (rows[0].holder !== null)
        return { taken: false, holder: rows[0].holder, untilMs: Number(rows[0].until) };
      // Inserted by another process after this statement's snapshot was taken: read it now. Gone again
      // (released meanwhile): ask again.
      const [now] = await this.rows<{ holder: string; until: string }>(
        'SELECT holder, until FROM rollout_leases WHERE name = $1',
        [ROLLOUT_LEASE],
      );
      if (now) return { taken: false, holder: now.holder, untilMs: Number(now.until) };
    }
  }

  async releaseLease(owner: string): Promise<void> {
    await this.pool.query('DELETE FROM rollout_leases WHERE name = $1 AND owner = $2', [
      ROLLOUT_LEASE,
      owner,
    ]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function toRun(row: RunRow): RolloutRecord {
  return {
    id: row.id,
    serviceId: row.service_id,
    targetVersion: row.target_version,
    state: row.state,
    options: row.options,
    currentWave: row.current_wave,
    waveSizes: row.wave_sizes,
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
    healthySinceMs: row.healthy_since_ms === null ? undefined : Number(row.healthy_since_ms),
    detail: row.detail ?? undefined,
    updatedAt: row.updated_at,
  };
}
