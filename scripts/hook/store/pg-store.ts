import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { InstanceRecord, LifecycleEvent, Source, Transition } from '../machine';
import { applyBatchIn, applyBatchTransaction, lockSql, type EventEntry } from './pg-batch';
import { GroupCommit, type GroupCommitOptions, type Outcome } from './group-commit';
import { inTransaction, openMigratedPool } from './pg-pool';
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

export interface PgStoreOptions {
  /** A schema of its own (created when missing): several installations or test suites in one database. */
  schema?: string;
  /** Connections per replica. Default 10. */
  poolSize?: number;
  /** How notifications are committed together under load (see `GroupCommit`). Default 2 in flight, 64 each. */
  groupCommit?: Partial<Pick<GroupCommitOptions, 'maxInFlight' | 'maxBatch'>>;
  /** Called with an error of an idle connection (the database restarted, the network dropped). */
  onIdleError?: (error: Error) => void;
}

const DEFAULT_GROUP_COMMIT = { maxInFlight: 2, maxBatch: 64 };

const HEAD = `NOT EXISTS (SELECT 1 FROM jobs e WHERE e.instance_id = j.instance_id AND e.id < j.id AND e.state IN ('pending', 'leased'))`;

interface JobRow {
  id: string;
  instance_id: string;
  kind: string;
  revision: number;
  attempts: number;
  run_at: string;
  state: string;
  last_error: string | null;
  first_failed_at: string | null;
}

/**
 * The hook's store on PostgreSQL, for several replicas on one database. Same semantics as the SQLite
 * store: every method commits before it resolves (each statement or transaction is committed before
 * the promise settles; durability is the server's `synchronous_commit`). Where SQLite has one writer,
 * this store has: an advisory lock per record id around read-decide-write (a record not yet stored is
 * locked too); `FOR UPDATE SKIP LOCKED` for job leases; unique constraints for SSO nonces, applied
 * notifications and job de-duplication; lease rows for passes and licence activations.
 */
export class PgStore implements HookStore {
  private readonly group: GroupCommit<EventEntry, AppliedEvent>;

  private constructor(
    private readonly pool: Pool,
    groupCommit: Pick<GroupCommitOptions, 'maxInFlight' | 'maxBatch'>,
  ) {
    this.group = new GroupCommit((batch) => applyBatchTransaction(this.pool, batch, false), {
      ...groupCommit,
      retryAlone: oneEntryMayCause,
    });
  }

  /** Connects, creates the schema when asked, and applies the migrations (once, across replicas). */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pool = await openMigratedPool({
      url,
      size: options.poolSize ?? 10,
      applicationName: 'nestkit-hook',
      schema: options.schema,
      onIdleError: options.onIdleError,
    });
    return new PgStore(pool, { ...DEFAULT_GROUP_COMMIT, ...options.groupCommit });
  }

  private tx<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  private async rows<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /**
   * Through the group commit: while other events are being committed, this one waits for a slot and is
   * committed in one transaction with the others that waited (see `GroupCommit`).
   */
  async applyEvent(
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): Promise<AppliedEvent> {
    return this.group.submit({ id, source, event, decide });
  }

  /** One transaction for all, as the interface says: any entry whose decision throws rolls back all. */
  async applyEvents(
    entries: { id: string; source: Source; event: LifecycleEvent }[],
    decide: (record: InstanceRecord, event: LifecycleEvent) => Transition,
  ): Promise<AppliedEvent[]> {
    const batch = entries.map((e) => ({ ...e, decide: (r: InstanceRecord) => decide(r, e.event) }));
    return (await applyBatchTransaction(this.pool, batch, true)).map(valueOf);
  }

  async get(id: string): Promise<InstanceRecord | undefined> {
    const [row] = await this.rows<{ record: InstanceRecord }>('SELECT record FROM instances WHERE id = $1', [
      id,
    ]);
    return row?.record;
  }

  async findByServiceInstanceId(serviceInstanceId: string): Promise<InstanceRecord | undefined> {
    const [row] = await this.rows<{ record: InstanceRecord }>(
      'SELECT record FROM instances WHERE service_instance_id = $1',
      [serviceInstanceId],
    );
    return row?.record;
  }

  async list(states?: InstanceRecord['state'][]): Promise<InstanceRecord[]> {
    const rows = states
      ? await this.rows<{ record: InstanceRecord }>(
          'SELECT record FROM instances WHERE state = ANY($1) ORDER BY id',
          [states],
        )
      : await this.rows<{ record: InstanceRecord }>('SELECT record FROM instances ORDER BY id');
    return rows.map((row) => row.record);
  }

  async dueForTeardown(nowIso: string): Promise<InstanceRecord[]> {
    const rows = await this.rows<{ record: InstanceRecord }>(
      "SELECT record FROM instances WHERE state = 'released' AND teardown_at IS NOT NULL AND teardown_at <= $1",
      [nowIso],
    );
    return rows.map((row) => row.record);
  }

  async queryRecords(q: RecordQuery): Promise<RecordPage> {
    const { from, where, params } = recordQuerySql(q, (n) => `$${n}`);
    const n = params.length;
    const [records, count] = await Promise.all([
      this.rows<{ record: InstanceRecord }>(
        `SELECT i.record FROM ${from} WHERE ${where} ${RECORD_ORDER} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, q.limit, q.offset],
      ),
      this.rows<{ n: string }>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`, params),
    ]);
    return { records: records.map((row) => row.record), total: Number(count[0].n) };
  }

  async eventsOf(instanceId: string): Promise<StoredEvent[]> {
    const rows = await this.rows<{
      seq: string;
      event: LifecycleEvent;
      changed: boolean;
      state_after: StoredEvent['stateAfter'];
    }>('SELECT seq, event, changed, state_after FROM events WHERE instance_id = $1 ORDER BY seq', [
      instanceId,
    ]);
    return rows.map((row) => ({
      seq: Number(row.seq),
      type: row.event.type,
      at: row.event.at,
      event: row.event,
      changed: row.changed,
      stateAfter: row.state_after,
    }));
  }

  async countsBy(field: CountField): Promise<Record<string, number>> {
    const column = COUNT_COLUMNS[field];
    if (column === undefined) throw new RangeError(`countsBy: unknown field ${String(field)}`);
    const rows = await this.rows<{ k: string; n: string }>(
      `SELECT ${column} AS k, COUNT(*) AS n FROM instances GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  }

  async leaseJobs(owner: string, now: number, limit: number, leaseMs: number): Promise<Job[]> {
    // SKIP LOCKED: replicas leasing at once take different jobs instead of waiting for each other. A row
    // leased meanwhile is re-checked against the WHERE once locked, so it is not taken twice. The due and
    // the expired leases are two index scans that each stop at `limit` rows: as one OR they were a scan
    // and a sort of every due job, tens of milliseconds per lease once a burst had queued thousands.
    const rows = await this.rows<JobRow>(
      `WITH due AS (
         SELECT j.id, j.run_at FROM jobs j
         WHERE j.state = 'pending' AND j.run_at <= $1 AND ${HEAD}
         ORDER BY j.run_at, j.id LIMIT $2
         FOR UPDATE SKIP LOCKED),
       expired AS (
         SELECT j.id, j.run_at FROM jobs j
         WHERE j.state = 'leased' AND j.lease_until <= $1 AND ${HEAD}
         ORDER BY j.run_at, j.id LIMIT $2
         FOR UPDATE SKIP LOCKED),
       candidates AS (
         SELECT id FROM (SELECT * FROM due UNION ALL SELECT * FROM expired) c ORDER BY run_at, id LIMIT $2)
       UPDATE jobs SET state = 'leased', lease_owner = $3, lease_until = $4
       FROM candidates WHERE jobs.id = candidates.id
       RETURNING jobs.*`,
      [now, limit, owner, now + leaseMs],
    );
    return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
  }

  async completeJob(id: number, owner: string): Promise<void> {
    await this.pool.query(
      "UPDATE jobs SET state = 'done', lease_owner = NULL WHERE id = $1 AND lease_owner = $2",
      [id, owner],
    );
  }

  async retryJob(
    id: number,
    owner: string,
    runAt: number,
    error: string | undefined,
    countAttempt: boolean,
    failedAt?: number,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE jobs SET state = 'pending', lease_owner = NULL, run_at = $1, last_error = $2,
         attempts = attempts + $3,
         first_failed_at = CASE WHEN $3 = 1 THEN COALESCE(first_failed_at, $4) END
       WHERE id = $5 AND lease_owner = $6`,
      [runAt, error ?? null, countAttempt ? 1 : 0, countAttempt ? (failedAt ?? runAt) : null, id, owner],
    );
  }

  async deadJob(id: number, owner: string, error: string): Promise<void> {
    await this.pool.query(
      "UPDATE jobs SET state = 'dead', lease_owner = NULL, last_error = $1 WHERE id = $2 AND lease_owner = $3",
      [error, id, owner],
    );
  }

  async redriveJob(instanceId: string, kind: Job['kind'], revision: number, runAt: number): Promise<boolean> {
    return this.tx(async (c) => {
      await c.query(lockSql([instanceId]));
      const open = await c.query(
        "SELECT 1 FROM jobs WHERE instance_id = $1 AND kind = $2 AND state IN ('pending', 'leased') LIMIT 1",
        [instanceId, kind],
      );
      if (open.rowCount! > 0) return false;
      const again = await c.query(
        `UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL, run_at = $4, attempts = 0,
           first_failed_at = NULL
         WHERE instance_id = $1 AND kind = $2 AND revision = $3 AND state IN ('dead', 'done')`,
        [instanceId, kind, revision, runAt],
      );
      if (again.rowCount! > 0) return true;
      return (await insertJob(c, instanceId, kind, revision, runAt)) > 0;
    });
  }

  async releaseLeases(owner: string): Promise<number> {
    const result = await this.pool.query(
      "UPDATE jobs SET state = 'pending', lease_owner = NULL WHERE state = 'leased' AND lease_owner = $1",
      [owner],
    );
    return result.rowCount ?? 0;
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { pending: 0, leased: 0, done: 0, dead: 0 };
    for (const row of await this.rows<{ state: JobState; n: string }>(
      'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
    ))
      counts[row.state] = Number(row.n);
    return counts;
  }

  async deadLetters(): Promise<Partial<Record<Job['kind'], number>>> {
    const rows = await this.rows<{ kind: Job['kind']; n: string }>(
      "SELECT kind, COUNT(*) AS n FROM jobs WHERE state = 'dead' GROUP BY kind",
    );
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  }

  async jobsOf(instanceId: string): Promise<Job[]> {
    return (
      await this.rows<JobRow>('SELECT * FROM jobs WHERE instance_id = $1 ORDER BY id', [instanceId])
    ).map(toJob);
  }

  async deadJobs(limit: number): Promise<Job[]> {
    const rows = await this.rows<JobRow>(
      "SELECT * FROM jobs WHERE state = 'dead' ORDER BY run_at DESC, id DESC LIMIT $1",
      [limit],
    );
    return rows.map(toJob);
  }

  async rememberSso(
    instanceId: string,
    timeStamp: string,
    now: number,
    forgetAfter: number,
  ): Promise<boolean> {
    await this.pool.query('DELETE FROM sso_nonces WHERE forget_after < $1', [now]);
    const result = await this.pool.query(
      'INSERT INTO sso_nonces (instance_id, time_stamp, forget_after) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [instanceId, timeStamp, forgetAfter],
    );
    return result.rowCount === 1;
  }

  async instanceSecret(): Promise<string> {
    return this.settingOnce('instance-secret', () => randomBytes(32).toString('hex'));
  }

  async installationId(): Promise<string> {
    return this.settingOnce('installation-id', () => `nk-${randomBytes(8).toString('hex')}`);
  }

  async probe(): Promise<void> {
    await this.setting('probe', String(Date.now()));
  }

  async setting(key: string, value?: string): Promise<string | undefined> {
    if (value !== undefined)
      await this.pool.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    const [row] = await this.rows<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return row?.value;
  }

  /** Made once by whichever replica comes first (the unique key decides), then the same for all. */
  private async settingOnce(key: string, make: () => string): Promise<string> {
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      key,
      make(),
    ]);
    return (await this.setting(key))!;
  }

  async tryLeasePass(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.takeLease('pass_leases', 'name', name, owner, now, ttlMs);
  }

  async releasePass(name: string, owner: string, until?: number): Promise<void> {
    await this.giveLease('pass_leases', 'name', name, owner, until);
  }

  async claimLicense(licenseCode: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.takeLease('license_claims', 'license_code', licenseCode, owner, now, ttlMs);
  }

  async releaseLicense(licenseCode: string, owner: string): Promise<void> {
    await this.giveLease('license_claims', 'license_code', licenseCode, owner);
  }

  /** The upsert's WHERE decides: taken when free, expired or already the owner's; one winner at once. */
  private async takeLease(
    table: LeaseTable,
    key: string,
    value: string,
    owner: string,
    now: number,
    ttl: number,
  ) {
    const result = await this.pool.query(
      `INSERT INTO ${table} (${key}, owner, until) VALUES ($1, $2, $3)
       ON CONFLICT (${key}) DO UPDATE SET owner = excluded.owner, until = excluded.until
       WHERE ${table}.until <= $4 OR ${table}.owner = $2`,
      [value, owner, now + ttl, now],
    );
    return result.rowCount === 1;
  }

  private async giveLease(table: LeaseTable, key: string, value: string, owner: string, until?: number) {
    if (until === undefined)
      await this.pool.query(`DELETE FROM ${table} WHERE ${key} = $1 AND owner = $2`, [value, owner]);
    else
      await this.pool.query(`UPDATE ${table} SET until = $1 WHERE ${key} = $2 AND owner = $3`, [
        until,
        value,
        owner,
      ]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // --- Missed notifications (issue 12): the primary key of applied_notifications de-duplicates.

  async applyNotification(
    notificationId: string,
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): Promise<AppliedEvent | undefined> {
    return this.tx(async (c) => {
      await c.query(lockSql([id]));
      if (!(await claimNotification(c, notificationId, id, event.type))) return undefined;
      return valueOf((await applyBatchIn(c, [{ id, source, event, decide }], true))[0]);
    });
  }

  async rememberNotification(notificationId: string, instanceId: string, action: string): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      return await claimNotification(client, notificationId, instanceId, action);
    } finally {
      client.release();
    }
  }

  async notificationStatus(notificationId: string): Promise<{ applied: boolean; confirmed: boolean }> {
    const [row] = await this.rows<{ confirmed_at: string | null }>(
      'SELECT confirmed_at FROM applied_notifications WHERE notification_id = $1',
      [notificationId],
    );
    return { applied: row !== undefined, confirmed: !!row?.confirmed_at };
  }

  async markNotificationConfirmed(notificationId: string, at: string): Promise<void> {
    await this.pool.query('UPDATE applied_notifications SET confirmed_at = $1 WHERE notification_id = $2', [
      at,
      notificationId,
    ]);
  }
}

type LeaseTable = 'pass_leases' | 'license_claims';

function valueOf<O>(outcome: Outcome<O>): O {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/**
 * A failed batch is tried again entry by entry when one entry may have caused it: a data exception (22)
 * or a broken constraint (23: two orders naming one Compute Nest instance), or a serialization failure or
 * deadlock (40). Otherwise (a connection lost, a timeout) every entry gets the error at once.
 */
function oneEntryMayCause(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23|40)/.test(code);
}

async function insertJob(c: PoolClient, instanceId: string, kind: string, revision: number, runAt: number) {
  const result = await c.query(
    'INSERT INTO jobs (instance_id, kind, revision, run_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [instanceId, kind, revision, runAt],
  );
  return result.rowCount ?? 0;
}

async function claimNotification(c: PoolClient, notificationId: string, instanceId: string, action: string) {
  const result = await c.query(
    `INSERT INTO applied_notifications (notification_id, instance_id, action, applied_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [notificationId, instanceId, action, new Date().toISOString()],
  );
  return result.rowCount === 1;
}

function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    instanceId: row.instance_id,
    kind: row.kind as Job['kind'],
    revision: row.revision,
    attempts: row.attempts,
    runAt: Number(row.run_at),
    state: row.state as JobState,
    lastError: row.last_error ?? undefined,
    firstFailedAt: row.first_failed_at === null ? undefined : Number(row.first_failed_at),
  };
}
