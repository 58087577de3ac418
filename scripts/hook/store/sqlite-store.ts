import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstanceRecord, LifecycleEvent, Source, Transition } from '../machine';
import { newRecord } from '../machine';
import type { AppliedEvent, HookStore, Job, JobState } from './store';

export const DEFAULT_DB = './data/nestkit.db';
const BUSY_TIMEOUT_MS = 250;

const SCHEMA = `
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
`;

/** No older open job of the same instance: effects of one instance run in order. */
const HEAD = `NOT EXISTS (SELECT 1 FROM jobs e WHERE e.instance_id = j.instance_id AND e.id < j.id AND e.state IN ('pending', 'leased'))`;

interface JobRow {
  id: number;
  instance_id: string;
  kind: string;
  revision: number;
  attempts: number;
  run_at: number;
  state: string;
  last_error: string | null;
  first_failed_at: number | null;
}

/**
 * SQLite in WAL mode with `synchronous = FULL`: each transaction is on disk before the call returns.
 * One process writes; better-sqlite3 is synchronous, so a transaction never interleaves with another.
 */
export class SqliteStore implements HookStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string = DEFAULT_DB) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Short: better-sqlite3 waits for a lock synchronously, so a long wait would freeze /healthz too. A
    // database locked for longer answers SQLITE_BUSY, which the hook treats as a disk it cannot write.
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.exec(SCHEMA);
    this.db.exec(NOTIFICATION_SCHEMA);
    migrate(this.db);
    this.statements = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      get: db.prepare<[string], { record: string }>('SELECT record FROM instances WHERE id = ?'),
      bySi: db.prepare<[string], { record: string }>(
        'SELECT record FROM instances WHERE service_instance_id = ?',
      ),
      upsert: db.prepare(
        `INSERT INTO instances (id, state, service_instance_id, teardown_at, record, updated_at)
         VALUES (@id, @state, @si, @teardownAt, @record, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET state = @state, service_instance_id = @si, teardown_at = @teardownAt,
           record = @record, updated_at = @updatedAt`,
      ),
      insertJob: db.prepare(
        'INSERT OR IGNORE INTO jobs (instance_id, kind, revision, run_at) VALUES (?, ?, ?, ?)',
      ),
      logEvent: db.prepare(
        'INSERT INTO events (instance_id, type, event, changed, state_after) VALUES (?, ?, ?, ?, ?)',
      ),
      due: db.prepare<[string], { record: string }>(
        "SELECT record FROM instances WHERE state = 'released' AND teardown_at IS NOT NULL AND teardown_at <= ?",
      ),
      // The runnable jobs that are the oldest open job of their instance: due pending ones, and leased
      // ones whose lease ran out. Walks the due-time indexes and checks the instance head per row, so a
      // lease costs the same with 10 or 10,000 open jobs (a GROUP BY over all open jobs did not).
      candidates: db.prepare<[{ now: number; limit: number }], JobRow>(
        `SELECT * FROM (
           SELECT j.* FROM jobs j WHERE j.state = 'pending' AND j.run_at <= @now AND ${HEAD} ORDER BY j.run_at, j.id LIMIT @limit)
         UNION ALL SELECT * FROM (
           SELECT j.* FROM jobs j WHERE j.state = 'leased' AND j.lease_until <= @now AND ${HEAD} ORDER BY j.run_at, j.id LIMIT @limit)
         ORDER BY run_at, id LIMIT @limit`,
      ),
      lease: db.prepare("UPDATE jobs SET state = 'leased', lease_owner = ?, lease_until = ? WHERE id = ?"),
      complete: db.prepare(
        "UPDATE jobs SET state = 'done', lease_owner = NULL WHERE id = ? AND lease_owner = ?",
      ),
      retry: db.prepare(
        `UPDATE jobs SET state = 'pending', lease_owner = NULL, run_at = @runAt, last_error = @error,
           attempts = attempts + @count,
           first_failed_at = CASE WHEN @count = 1 THEN COALESCE(first_failed_at, @failedAt) END
         WHERE id = @id AND lease_owner = @owner`,
      ),
      dead: db.prepare(
        "UPDATE jobs SET state = 'dead', lease_owner = NULL, last_error = ? WHERE id = ? AND lease_owner = ?",
      ),
      redriveExisting: db.prepare(
        `UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL, run_at = @runAt, attempts = 0,
           first_failed_at = NULL
         WHERE instance_id = @instanceId AND kind = @kind AND revision = @revision AND state IN ('dead', 'done')`,
      ),
      openOfKind: db.prepare<[string, string], { n: number }>(
        "SELECT COUNT(*) AS n FROM jobs WHERE instance_id = ? AND kind = ? AND state IN ('pending', 'leased')",
      ),
      releaseLeases: db.prepare(
        "UPDATE jobs SET state = 'pending', lease_owner = NULL WHERE state = 'leased' AND lease_owner = ?",
      ),
      counts: db.prepare<[], { state: JobState; n: number }>(
        'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
      ),
      jobsOf: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE instance_id = ? ORDER BY id'),
      sso: db.prepare(
        'INSERT OR IGNORE INTO sso_nonces (instance_id, time_stamp, forget_after) VALUES (?, ?, ?)',
      ),
      forgetSso: db.prepare('DELETE FROM sso_nonces WHERE forget_after < ?'),
    };
  }

  async applyEvent(
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): Promise<AppliedEvent> {
    return this.db.transaction(() => this.applyOne(id, source, event, decide)).immediate();
  }

  async applyEvents(
    entries: { id: string; source: Source; event: LifecycleEvent }[],
    decide: (record: InstanceRecord, event: LifecycleEvent) => Transition,
  ): Promise<AppliedEvent[]> {
    const run = this.db.transaction(() =>
      entries.map((e) => this.applyOne(e.id, e.source, e.event, (r) => decide(r, e.event))),
    );
    return run.immediate();
  }

  /** Inside a transaction: read, decide, write the record, its jobs and the audit entry. */
  private applyOne(
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): AppliedEvent {
    const row = this.statements.get.get(id);
    const current = row ? (JSON.parse(row.record) as InstanceRecord) : newRecord(id, source, event.at);
    const result = decide(current);
    if (result.changed) {
      const r = result.record;
      this.statements.upsert.run({
        id,
        state: r.state,
        si: r.serviceInstanceId ?? null,
        teardownAt: r.teardownAt ?? null,
        record: JSON.stringify(r),
        updatedAt: r.updatedAt,
      });
      const runAt = Date.parse(event.at);
      for (const effect of result.effects) this.statements.insertJob.run(id, effect.kind, r.revision, runAt);
    }
    this.statements.logEvent.run(
      id,
      event.type,
      JSON.stringify(event),
      result.changed ? 1 : 0,
      result.record.state,
    );
    return { record: result.record, transition: result };
  }

  async get(id: string): Promise<InstanceRecord | undefined> {
    const row = this.statements.get.get(id);
    return row && (JSON.parse(row.record) as InstanceRecord);
  }

  async findByServiceInstanceId(serviceInstanceId: string): Promise<InstanceRecord | undefined> {
    const row = this.statements.bySi.get(serviceInstanceId);
    return row && (JSON.parse(row.record) as InstanceRecord);
  }

  async list(states?: InstanceRecord['state'][]): Promise<InstanceRecord[]> {
    const rows = states
      ? this.db
          .prepare<string[], { record: string }>(
            `SELECT record FROM instances WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY id`,
          )
          .all(...states)
      : this.db.prepare<[], { record: string }>('SELECT record FROM instances ORDER BY id').all();
    return rows.map((row) => JSON.parse(row.record) as InstanceRecord);
  }

  async dueForTeardown(nowIso: string): Promise<InstanceRecord[]> {
    return this.statements.due.all(nowIso).map((row) => JSON.parse(row.record) as InstanceRecord);
  }

  async leaseJobs(owner: string, now: number, limit: number, leaseMs: number): Promise<Job[]> {
    const lease = this.db.transaction(() => {
      const rows = this.statements.candidates.all({ now, limit });
      for (const row of rows) this.statements.lease.run(owner, now + leaseMs, row.id);
      return rows.map((row) => toJob({ ...row, state: 'leased' }));
    });
    return lease.immediate();
  }

  async completeJob(id: number, owner: string): Promise<void> {
    this.statements.complete.run(id, owner);
  }

  async retryJob(
    id: number,
    owner: string,
    runAt: number,
    error: string | undefined,
    countAttempt: boolean,
    failedAt?: number,
  ): Promise<void> {
    this.statements.retry.run({
      runAt,
      error: error ?? null,
      count: countAttempt ? 1 : 0,
      failedAt: countAttempt ? (failedAt ?? runAt) : null,
      id,
      owner,
    });
  }

  async redriveJob(instanceId: string, kind: Job['kind'], revision: number, runAt: number): Promise<boolean> {
    const run = this.db.transaction(() => {
      if (this.statements.openOfKind.get(instanceId, kind)!.n > 0) return false;
      if (this.statements.redriveExisting.run({ instanceId, kind, revision, runAt }).changes > 0) return true;
      return this.statements.insertJob.run(instanceId, kind, revision, runAt).changes > 0;
    });
    return run.immediate();
  }

  async deadJob(id: number, owner: string, error: string): Promise<void> {
    this.statements.dead.run(error, id, owner);
  }

  async releaseLeases(owner: string): Promise<number> {
    return this.statements.releaseLeases.run(owner).changes;
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { pending: 0, leased: 0, done: 0, dead: 0 };
    for (const row of this.statements.counts.all()) counts[row.state] = row.n;
    return counts;
  }

  async deadLetters(): Promise<Partial<Record<Job['kind'], number>>> {
    const rows = this.db
      .prepare("SELECT kind, COUNT(*) AS n FROM jobs WHERE state = 'dead' GROUP BY kind")
      .all() as { kind: Job['kind']; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  async jobsOf(instanceId: string): Promise<Job[]> {
    return this.statements.jobsOf.all(instanceId).map(toJob);
  }

  async rememberSso(
    instanceId: string,
    timeStamp: string,
    now: number,
    forgetAfter: number,
  ): Promise<boolean> {
    this.statements.forgetSso.run(now);
    return this.statements.sso.run(instanceId, timeStamp, forgetAfter).changes === 1;
  }

  async instanceSecret(): Promise<string> {
    this.db
      .prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('instance-secret', ?)")
      .run(randomBytes(32).toString('hex'));
    return (
      this.db.prepare("SELECT value FROM settings WHERE key = 'instance-secret'").get() as { value: string }
    ).value;
  }

  async installationId(): Promise<string> {
    return this.settingOnce('installation-id', () => `nk-${randomBytes(8).toString('hex')}`);
  }

  async probe(): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO settings (key, value) VALUES ('probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(String(Date.now()));
  }

  /** A kept setting: `value` replaces it when given; the current value (undefined when none). */
  async setting(key: string, value?: string): Promise<string | undefined> {
    if (value !== undefined)
      this.db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
    return (
      this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    )?.value;
  }

  /** A setting made once (by `make`) and kept. */
  private settingOnce(key: string, make: () => string): string {
    this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, make());
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string }).value;
  }

  /** The connection itself, for tests that turn the disk full or read-only with a PRAGMA. */
  get connection(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  // --- Missed notifications (issue 12): one row per Marketplace NotificationRequestId applied.

  async applyNotification(
    notificationId: string,
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): Promise<AppliedEvent | undefined> {
    const run = this.db.transaction(() => {
      if (!this.claimNotification(notificationId, id, event.type)) return undefined;
      return this.applyOne(id, source, event, decide);
    });
    return run.immediate();
  }

  async rememberNotification(notificationId: string, instanceId: string, action: string): Promise<boolean> {
    return this.claimNotification(notificationId, instanceId, action);
  }

  async notificationStatus(notificationId: string): Promise<{ applied: boolean; confirmed: boolean }> {
    const row = this.db
      .prepare('SELECT confirmed_at FROM applied_notifications WHERE notification_id = ?')
      .get(notificationId) as { confirmed_at: string | null } | undefined;
    return { applied: row !== undefined, confirmed: !!row?.confirmed_at };
  }

  async markNotificationConfirmed(notificationId: string, at: string): Promise<void> {
    this.db
      .prepare('UPDATE applied_notifications SET confirmed_at = ? WHERE notification_id = ?')
      .run(at, notificationId);
  }

  private claimNotification(notificationId: string, instanceId: string, action: string): boolean {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO applied_notifications (notification_id, instance_id, action, applied_at) VALUES (?, ?, ?, ?)',
    );
    return insert.run(notificationId, instanceId, action, new Date().toISOString()).changes === 1;
  }
}

/** Issue 12: the failed notifications the hook applied (never twice) and whether it confirmed them. */
const NOTIFICATION_SCHEMA = `
CREATE TABLE IF NOT EXISTS applied_notifications (
  notification_id TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  action TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  confirmed_at TEXT
);
`;

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    instanceId: row.instance_id,
    kind: row.kind as Job['kind'],
    revision: row.revision,
    attempts: row.attempts,
    runAt: row.run_at,
    state: row.state as JobState,
    lastError: row.last_error ?? undefined,
    firstFailedAt: row.first_failed_at ?? undefined,
  };
}

/** Columns added since the first schema, added to a database made before them. */
function migrate(db: Database.Database): void {
  const columns = (db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes('first_failed_at')) db.exec('ALTER TABLE jobs ADD COLUMN first_failed_at INTEGER');
}
