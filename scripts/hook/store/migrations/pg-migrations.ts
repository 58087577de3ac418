import type { PoolClient } from 'pg';

/** One schema change of the PostgreSQL store, applied once, in order, in the migration transaction. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Version 1: the whole schema as the SQLite store has it at its version 3, with the row locks and
 * unique constraints several replicas need. Text keys are `COLLATE "C"` (byte order) so that a prefix
 * search is an index range, as in SQLite. Times the hook's clock makes are BIGINT ms, as in SQLite.
 */
const V1_SCHEMA = `
CREATE TABLE instances (
  id TEXT COLLATE "C" PRIMARY KEY,
  state TEXT NOT NULL,
  service_instance_id TEXT COLLATE "C",
  teardown_at TEXT,
  record JSONB NOT NULL,
  updated_at TEXT NOT NULL,
  sku_id TEXT,
  ali_uid TEXT COLLATE "C",
  created_at TEXT
);
CREATE INDEX instances_state ON instances(state, teardown_at);
CREATE UNIQUE INDEX instances_si ON instances(service_instance_id) WHERE service_instance_id IS NOT NULL;
CREATE INDEX instances_updated ON instances(updated_at, id);
CREATE INDEX instances_state_updated ON instances(state, updated_at, id);
CREATE INDEX instances_sku_updated ON instances(sku_id, updated_at, id);
CREATE INDEX instances_ali_uid ON instances(ali_uid) WHERE ali_uid IS NOT NULL;
CREATE INDEX instances_created ON instances(created_at);
CREATE TABLE instance_orders (
  order_id TEXT COLLATE "C" NOT NULL,
  instance_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (order_id, instance_id)
);
CREATE TABLE jobs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  instance_id TEXT COLLATE "C" NOT NULL,
  kind TEXT NOT NULL,
  revision INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  run_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until BIGINT,
  last_error TEXT,
  first_failed_at BIGINT,
  UNIQUE (instance_id, kind, revision)
);
CREATE INDEX jobs_open ON jobs(instance_id, id) WHERE state IN ('pending', 'leased');
CREATE INDEX jobs_pending_due ON jobs(run_at, id) WHERE state = 'pending';
CREATE INDEX jobs_leased_until ON jobs(lease_until) WHERE state = 'leased';
CREATE INDEX jobs_dead ON jobs(run_at, id) WHERE state = 'dead';
CREATE INDEX jobs_dead_instance ON jobs(instance_id) WHERE state = 'dead';
CREATE TABLE events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  instance_id TEXT COLLATE "C" NOT NULL,
  type TEXT NOT NULL,
  event JSONB NOT NULL,
  changed BOOLEAN NOT NULL,
  state_after TEXT NOT NULL
);
CREATE INDEX events_instance ON events(instance_id, seq);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE sso_nonces (
  instance_id TEXT NOT NULL,
  time_stamp TEXT NOT NULL,
  forget_after BIGINT NOT NULL,
  PRIMARY KEY (instance_id, time_stamp)
);
CREATE INDEX sso_nonces_forget ON sso_nonces(forget_after);
CREATE TABLE applied_notifications (
  notification_id TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  action TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE TABLE pass_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until BIGINT NOT NULL
);
CREATE TABLE license_claims (
  license_code TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until BIGINT NOT NULL
);
`;

/**
 * Version 2: the fleet upgrade's tables (`nestkit rollout`, scripts/rollout), as SQLite has them at its
 * version 4, and the lease that keeps one rollout process acting at a time. `seq` orders rollouts made
 * in the same millisecond (SQLite's rowid). Rollout-clock times are BIGINT ms.
 */
const V2_ROLLOUTS = `
CREATE TABLE rollout_runs (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  service_id TEXT NOT NULL,
  target_version TEXT NOT NULL,
  state TEXT NOT NULL,
  options JSONB NOT NULL,
  current_wave INTEGER NOT NULL DEFAULT 0,
  wave_sizes JSONB NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX rollout_runs_created ON rollout_runs(created_at, seq);
CREATE TABLE rollout_steps (
  rollout_id TEXT NOT NULL REFERENCES rollout_runs(id),
  instance_id TEXT NOT NULL,
  wave INTEGER NOT NULL,
  from_version TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  healthy_since_ms BIGINT,
  detail TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (rollout_id, instance_id)
);
CREATE INDEX rollout_steps_by_instance ON rollout_steps(instance_id, state);
CREATE TABLE rollout_skips (
  rollout_id TEXT NOT NULL REFERENCES rollout_runs(id),
  instance_id TEXT NOT NULL,
  version TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (rollout_id, instance_id)
);
CREATE TABLE rollout_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  holder TEXT NOT NULL,
  until BIGINT NOT NULL
);
`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  { version: 1, name: 'initial schema', sql: V1_SCHEMA },
  { version: 2, name: 'rollout tables and lease', sql: V2_ROLLOUTS },
];

/** Advisory lock key (class, object) that serializes migrations across replicas starting at once. */
const MIGRATION_LOCK = [20, 0] as const;

/**
 * Brings the schema to the newest version in one transaction under an advisory lock: replicas that
 * start together apply each migration once, and a crash leaves the old version. Refuses a schema
 * newer than this code.
 */
export async function migratePg(
  client: PoolClient,
  schema?: string,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    // Under the lock: two replicas creating the schema at once would collide.
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    const current = rows[0].v ?? 0;
    const newest = migrations[migrations.length - 1].version;
    if (current > newest)
      throw new Error(
        `the database is at schema version ${current}, newer than this nestkit knows (${newest}): upgrade nestkit`,
      );
    for (const migration of migrations.filter((m) => m.version > current)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    await client.query('COMMIT');
    return Math.max(current, newest);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
