import type Database from 'better-sqlite3';

/** One schema change of the SQLite store, applied once, in order, in its own transaction. */
export interface SqliteMigration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Version 1: the schema as it was before migrations were versioned. Every statement is `IF NOT EXISTS`,
 * so it also adopts a database made by that schema (which has no `schema_migrations` yet).
 */
export const SQLITE_V1_SCHEMA = `
CREATE TABLE IF NOT EXISTS instances (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  service_instance_id TEXT,
  teardown_at TEXT,
  record TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS instances_state ON instances(state, teardown_at);
CREATE UNIQUE INDEX IF NOT EXISTS instances_si ON instances(service_instance_id) WHERE service_instance_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  revision INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT,
  first_failed_at INTEGER,
  UNIQUE (instance_id, kind, revision)
);
CREATE INDEX IF NOT EXISTS jobs_open ON jobs(instance_id, id) WHERE state IN ('pending', 'leased');
CREATE INDEX IF NOT EXISTS jobs_pending_due ON jobs(run_at, id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS jobs_leased_until ON jobs(lease_until) WHERE state = 'leased';
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  type TEXT NOT NULL,
  event TEXT NOT NULL,
  changed INTEGER NOT NULL,
  state_after TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sso_nonces (
  instance_id TEXT NOT NULL,
  time_stamp TEXT NOT NULL,
  forget_after INTEGER NOT NULL,
  PRIMARY KEY (instance_id, time_stamp)
);
CREATE TABLE IF NOT EXISTS applied_notifications (
  notification_id TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  action TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  confirmed_at TEXT
);
`;

/** Version 2: the operator's read side (`queryRecords`, `eventsOf`, `deadJobs`) from indexed columns. */
const V2_QUERY_COLUMNS = `
ALTER TABLE instances ADD COLUMN sku_id TEXT;
ALTER TABLE instances ADD COLUMN ali_uid TEXT;
ALTER TABLE instances ADD COLUMN created_at TEXT;
CREATE TABLE instance_orders (
  order_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  PRIMARY KEY (order_id, instance_id)
) WITHOUT ROWID;
CREATE INDEX instances_updated ON instances(updated_at, id);
CREATE INDEX instances_state_updated ON instances(state, updated_at, id);
CREATE INDEX instances_sku_updated ON instances(sku_id, updated_at, id);
CREATE INDEX instances_ali_uid ON instances(ali_uid) WHERE ali_uid IS NOT NULL;
CREATE INDEX instances_created ON instances(created_at);
CREATE INDEX events_instance ON events(instance_id, seq);
CREATE INDEX jobs_dead ON jobs(run_at, id) WHERE state = 'dead';
CREATE INDEX jobs_dead_instance ON jobs(instance_id) WHERE state = 'dead';
`;

const BACKFILL_BATCH = 1000;

/** Fills the version 2 columns from each record's JSON, a batch at a time (memory stays flat). */
function backfillQueryColumns(db: Database.Database): void {
  const page = db.prepare<[string, number], { id: string; record: string }>(
    'SELECT id, record FROM instances WHERE id > ? ORDER BY id LIMIT ?',
  );
  const update = db.prepare('UPDATE instances SET sku_id = ?, ali_uid = ?, created_at = ? WHERE id = ?');
  const order = db.prepare('INSERT OR IGNORE INTO instance_orders (order_id, instance_id) VALUES (?, ?)');
  for (let after = '', rows = page.all(after, BACKFILL_BATCH); rows.length > 0;) {
    for (const row of rows) {
      const r = JSON.parse(row.record) as {
        skuId?: string;
        aliUid?: string;
        createdAt?: string;
        orderIds?: string[];
      };
      update.run(r.skuId ?? null, r.aliUid ?? null, r.createdAt ?? null, row.id);
      for (const orderId of r.orderIds ?? []) order.run(orderId, row.id);
    }
    after = rows[rows.length - 1].id;
    rows = page.all(after, BACKFILL_BATCH);
  }
}

/** Version 3: leases that keep a pass or a licence activation on one replica at a time (issue 19). */
const V3_LEASES = `
CREATE TABLE pass_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until INTEGER NOT NULL
);
CREATE TABLE license_claims (
  license_code TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until INTEGER NOT NULL
);
`;

/**
 * Version 4: the fleet upgrade's tables (`nestkit rollout`, scripts/rollout) and its lease. Before this
 * version the rollout store made its three tables itself with this same `IF NOT EXISTS` DDL, so a file
 * that has them already (with its rollouts) is adopted as it is; the lease table is new.
 */
const V4_ROLLOUTS = `
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
CREATE TABLE rollout_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  holder TEXT NOT NULL,
  until INTEGER NOT NULL
);
`;

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    up(db) {
      db.exec(SQLITE_V1_SCHEMA);
      // Databases from before `first_failed_at` (it was added to version 1 in place).
      const columns = (db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
      if (!columns.includes('first_failed_at'))
        db.exec('ALTER TABLE jobs ADD COLUMN first_failed_at INTEGER');
    },
  },
  {
    version: 2,
    name: 'indexed columns for the operator queries',
    up(db) {
      db.exec(V2_QUERY_COLUMNS);
      backfillQueryColumns(db);
    },
  },
  { version: 3, name: 'pass and licence leases', up: (db) => db.exec(V3_LEASES) },
  { version: 4, name: 'rollout tables and lease', up: (db) => db.exec(V4_ROLLOUTS) },
];

/**
 * Brings the database to the newest version: each migration not yet recorded in `schema_migrations`
 * runs with its row in one immediate transaction, so a crash leaves the old version or the new, and two
 * processes starting at once apply it once. Refuses a database newer than this code.
 */
export function migrateSqlite(
  db: Database.Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const current = () =>
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const newest = migrations[migrations.length - 1].version;
  if (current() > newest)
    throw new Error(
      `the database is at schema version ${current()}, newer than this nestkit knows (${newest}): upgrade nestkit`,
    );
  for (const migration of migrations) {
    db.transaction(() => {
      if (current() >= migration.version) return;
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
  return current();
}
