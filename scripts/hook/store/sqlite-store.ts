import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstanceRecord, LifecycleEvent, Source, Transition } from '../machine';
import { newRecord } from '../machine';
import { migrateSqlite } from './migrations/sqlite-migrations';
import { COUNT_COLUMNS, RECORD_ORDER, recordQuerySql } from './record-query';
import type {
  AppliedEvent,
  CountField,
  HookStore,
  Job,
  JobState,
  RecordPage,
  RecordQuery,
  StoredEvent,
} from './store';

export const DEFAULT_DB = './data/nestkit.db';
const BUSY_TIMEOUT_MS = 250;

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
    if (file !== ':memory:') createPrivately(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // SQLite gives the -wal and -shm files the database file's mode: 0600 like it.
    if (file !== ':memory:')
      for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    this.db.pragma('synchronous = FULL');
    // Short: better-sqlite3 waits for a lock synchronously, so a long wait would freeze /healthz too. A
    // database locked for longer answers SQLITE_BUSY, which the hook treats as a disk it cannot write.
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrateSqlite(this.db);
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
        `INSERT INTO instances (id, state, service_instance_id, teardown_at, record, updated_at, sku_id, ali_uid, created_at)
         VALUES (@id, @state, @si, @teardownAt, @record, @updatedAt, @skuId, @aliUid, @createdAt)
         ON CONFLICT(id) DO UPDATE SET state = @state, service_instance_id = @si, teardown_at = @teardownAt,
           record = @record, updated_at = @updatedAt, sku_id = @skuId, ali_uid = @aliUid, created_at = @createdAt`,
      ),
      insertOrder: db.prepare('INSERT OR IGNORE INTO instance_orders (order_id, instance_id) VALUES (?, ?)'),
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
      deadJobs: db.prepare<[number], JobRow>(
        "SELECT * FROM jobs WHERE state = 'dead' ORDER BY run_at DESC, id DESC LIMIT ?",
      ),
      eventsOf: db.prepare<[string], EventRow>(
        'SELECT seq, type, event, changed, state_after FROM events WHERE instance_id = ? ORDER BY seq',
      ),
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
        skuId: r.skuId ?? null,
        aliUid: r.aliUid ?? null,
        createdAt: r.createdAt,
      });
      for (const orderId of r.orderIds) this.statements.insertOrder.run(orderId, id);
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

  async queryRecords(q: RecordQuery): Promise<RecordPage> {
    const { from, where, params } = recordQuerySql(q, () => '?');
    const rows = this.db
      .prepare<unknown[], { record: string }>(
        `SELECT i.record FROM ${from} WHERE ${where} ${RECORD_ORDER} LIMIT ? OFFSET ?`,
      )
      .all(...params, q.limit, q.offset);
    const { n } = this.db
      .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`)
      .get(...params)!;
    return { records: rows.map((row) => JSON.parse(row.record) as InstanceRecord), total: n };
  }

  async eventsOf(instanceId: string): Promise<StoredEvent[]> {
    return this.statements.eventsOf.all(instanceId).map(toStoredEvent);
  }

  async countsBy(field: CountField): Promise<Record<string, number>> {
    const column = COUNT_COLUMNS[field];
    if (column === undefined) throw new RangeError(`countsBy: unknown field ${String(field)}`);
    const rows = this.db
      .prepare<[], { k: string; n: number }>(`SELECT ${column} AS k, COUNT(*) AS n FROM instances GROUP BY k`)
      .all();
    return Object.fromEntries(rows.map((r) => [r.k, r.n]));
  }

  async deadJobs(limit: number): Promise<Job[]> {
    return this.statements.deadJobs.all(limit).map(toJob);
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

  async tryLeasePass(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.takeLease('pass_leases', 'name', name, owner, now, ttlMs);
  }

  async releasePass(name: string, owner: string, until?: number): Promise<void> {
    this.giveLease('pass_leases', 'name', name, owner, until);
  }

  async claimLicense(licenseCode: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.takeLease('license_claims', 'license_code', licenseCode, owner, now, ttlMs);
  }

  async releaseLicense(licenseCode: string, owner: string): Promise<void> {
    this.giveLease('license_claims', 'license_code', licenseCode, owner);
  }

  /** A lease row taken when free, expired or already the owner's (the upsert's WHERE decides). */
  private takeLease(
    table: LeaseTable,
    key: string,
    value: string,
    owner: string,
    now: number,
    ttlMs: number,
  ) {
    const take = this.db.prepare(
      `INSERT INTO ${table} (${key}, owner, until) VALUES (@value, @owner, @until)
       ON CONFLICT(${key}) DO UPDATE SET owner = excluded.owner, until = excluded.until
       WHERE ${table}.until <= @now OR ${table}.owner = @owner`,
    );
    return take.run({ value, owner, until: now + ttlMs, now }).changes === 1;
  }

  private giveLease(table: LeaseTable, key: string, value: string, owner: string, until?: number): void {
    if (until === undefined)
      this.db.prepare(`DELETE FROM ${table} WHERE ${key} = ? AND owner = ?`).run(value, owner);
    else
      this.db
        .prepare(`UPDATE ${table} SET until = ? WHERE ${key} = ? AND owner = ?`)
        .run(until, value, owner);
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

/**
 * The database file readable by its owner only (0600: it holds the kept secrets and every order),
 * created so before SQLite opens it, and made so when an older hook created it wider.
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

type LeaseTable = 'pass_leases' | 'license_claims';

interface EventRow {
  seq: number;
  type: string;
  event: string;
  changed: number;
  state_after: string;
}

function toStoredEvent(row: EventRow): StoredEvent {
  const event = JSON.parse(row.event) as LifecycleEvent;
  return {
    seq: row.seq,
    type: event.type,
    at: event.at,
    event,
    changed: row.changed === 1,
    stateAfter: row.state_after as StoredEvent['stateAfter'],
  };
}

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
