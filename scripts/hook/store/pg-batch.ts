import { escapeLiteral, type Pool, type PoolClient, type QueryResult } from 'pg';
import type { InstanceRecord, LifecycleEvent, Source, Transition } from '../machine';
import { newRecord } from '../machine';
import type { Outcome } from './group-commit';
import type { AppliedEvent } from './store';

/** Advisory lock class of the per-record locks (the object is the hash of the record id). */
export const RECORD_LOCK_CLASS = 19;

/** One event to apply: the record it is for and how to decide its transition. */
export interface EventEntry {
  id: string;
  source: Source;
  event: LifecycleEvent;
  decide: (record: InstanceRecord) => Transition;
}

/**
 * A batch of events in one transaction of two round trips: `BEGIN`, the records' locks and their read go
 * as one message, the writes and `COMMIT` as another. The messages use the simple query protocol, which
 * is the one that carries several statements, and it takes no parameters, so every value is a literal
 * made by `pg`'s own `escapeLiteral` or checked to be a number (see `Literal`). In READ COMMITTED each
 * statement takes its snapshot when it starts, so the read, a statement after the locks, sees every
 * commit made before the locks were granted.
 *
 * Each entry is decided in order (a record named twice is decided the second time on the first's
 * result). With `allOrNothing`, an entry whose decision throws rolls back the whole batch; without it,
 * that entry alone gets its error and changes nothing.
 */
export async function applyBatchTransaction(
  pool: Pool,
  entries: EventEntry[],
  allOrNothing: boolean,
): Promise<Outcome<AppliedEvent>[]> {
  const client = await pool.connect();
  try {
    const ids = [...new Set(entries.map((e) => e.id))];
    const read = await client.query(`BEGIN; ${lockSql(ids)}; ${readSql(ids)}`);
    const { outcomes, writes } = decideAll(recordsOf(read), entries, allOrNothing);
    await client.query(`${writeSql(writes)}; COMMIT`);
    return outcomes;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The same inside a transaction the caller opened and will commit (it may hold other locks). */
export async function applyBatchIn(
  c: PoolClient,
  entries: EventEntry[],
  allOrNothing: boolean,
): Promise<Outcome<AppliedEvent>[]> {
  const ids = [...new Set(entries.map((e) => e.id))];
  const read = await c.query(`${lockSql(ids)}; ${readSql(ids)}`);
  const { outcomes, writes } = decideAll(recordsOf(read), entries, allOrNothing);
  await c.query(writeSql(writes));
  return outcomes;
}

/**
 * Locks the records' ids for the rest of the transaction, in the order of their hashes (the keys
 * locked), so two batches never deadlock. An advisory lock, not a row lock: it also covers a record not
 * stored yet. Two ids of one hash share a lock, which only serializes them.
 */
export function lockSql(ids: string[]): string {
  return `SELECT pg_advisory_xact_lock(${RECORD_LOCK_CLASS}, h) FROM (SELECT DISTINCT hashtext(id) AS h FROM unnest(${Literal.texts(ids)}) AS id) t ORDER BY h`;
}

function readSql(ids: string[]): string {
  return `SELECT id, record FROM instances WHERE id = ANY(${Literal.texts(ids)})`;
}

/** The rows of the last statement of a multi-statement query. */
function recordsOf(results: QueryResult | QueryResult[]): Map<string, InstanceRecord> {
  const last = Array.isArray(results) ? results[results.length - 1] : results;
  return new Map((last.rows as { id: string; record: InstanceRecord }[]).map((row) => [row.id, row.record]));
}

interface BatchWrites {
  records: InstanceRecord[];
  orders: { orderId: string; instanceId: string }[];
  jobs: { instanceId: string; kind: string; revision: number; runAt: number }[];
  audit: { instanceId: string; type: string; event: string; changed: boolean; state: string }[];
}

/** Pure: every entry decided in order on the records read, and what that writes. */
function decideAll(
  current: Map<string, InstanceRecord>,
  entries: EventEntry[],
  allOrNothing: boolean,
): { outcomes: Outcome<AppliedEvent>[]; writes: BatchWrites } {
  const changed = new Map<string, InstanceRecord>();
  const writes: BatchWrites = { records: [], orders: [], jobs: [], audit: [] };
  const outcomes = entries.map((e): Outcome<AppliedEvent> => {
    let result: Transition;
    try {
      result = e.decide(current.get(e.id) ?? newRecord(e.id, e.source, e.event.at));
    } catch (error) {
      if (allOrNothing) throw error;
      return { ok: false, error };
    }
    const r = result.record;
    writes.audit.push({
      instanceId: e.id,
      type: e.event.type,
      event: JSON.stringify(e.event),
      changed: result.changed,
      state: r.state,
    });
    if (result.changed) {
      current.set(e.id, r);
      changed.set(e.id, r);
      for (const orderId of r.orderIds) writes.orders.push({ orderId, instanceId: e.id });
      // The jobs in the order of the effects (their ids decide which runs first).
      for (const effect of result.effects)
        writes.jobs.push({
          instanceId: e.id,
          kind: effect.kind,
          revision: r.revision,
          runAt: Date.parse(e.event.at),
        });
    }
    return { ok: true, value: { record: r, transition: result } };
  });
  writes.records = [...changed.values()];
  return { outcomes, writes };
}

/**
 * Every changed record (its last state), its orders, its jobs and every audit entry, in one statement of
 * data-modifying CTEs on independent tables; the jobs and the audit entries in order (their identities).
 */
function writeSql({ records, orders, jobs, audit }: BatchWrites): string {
  const texts = <T>(list: T[], pick: (item: T) => string | undefined) => Literal.texts(list.map(pick));
  return `WITH record AS (
  INSERT INTO instances (id, state, service_instance_id, teardown_at, record, updated_at, sku_id, ali_uid, created_at)
  SELECT * FROM unnest(${texts(records, (r) => r.id)}, ${texts(records, (r) => r.state)},
    ${texts(records, (r) => r.serviceInstanceId)}, ${texts(records, (r) => r.teardownAt)},
    ${Literal.jsons(records.map((r) => JSON.stringify(r)))}, ${texts(records, (r) => r.updatedAt)},
    ${texts(records, (r) => r.skuId)}, ${texts(records, (r) => r.aliUid)}, ${texts(records, (r) => r.createdAt)})
  ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, service_instance_id = EXCLUDED.service_instance_id,
    teardown_at = EXCLUDED.teardown_at, record = EXCLUDED.record, updated_at = EXCLUDED.updated_at,
    sku_id = EXCLUDED.sku_id, ali_uid = EXCLUDED.ali_uid, created_at = EXCLUDED.created_at),
orders AS (
  INSERT INTO instance_orders (order_id, instance_id)
  SELECT * FROM unnest(${texts(orders, (o) => o.orderId)}, ${texts(orders, (o) => o.instanceId)})
  ON CONFLICT DO NOTHING),
effects AS (
  INSERT INTO jobs (instance_id, kind, revision, run_at)
  SELECT e.i, e.k, e.rv, e.ra FROM unnest(${texts(jobs, (j) => j.instanceId)}, ${texts(jobs, (j) => j.kind)},
    ${Literal.integers(
      jobs.map((j) => j.revision),
      'integer',
    )}, ${Literal.integers(
      jobs.map((j) => j.runAt),
      'bigint',
    )})
    WITH ORDINALITY AS e(i, k, rv, ra, n)
  ORDER BY e.n
  ON CONFLICT DO NOTHING)
INSERT INTO events (instance_id, type, event, changed, state_after)
SELECT a.i, a.t, a.e, a.c, a.s FROM unnest(${texts(audit, (a) => a.instanceId)}, ${texts(audit, (a) => a.type)},
  ${Literal.jsons(audit.map((a) => a.event))}, ${Literal.booleans(audit.map((a) => a.changed))},
  ${texts(audit, (a) => a.state)}) WITH ORDINALITY AS a(i, t, e, c, s, n)
ORDER BY a.n`;
}

/**
 * Typed array literals. Strings only through `escapeLiteral` (quotes doubled; with a backslash, the E''
 * form with backslashes doubled: right whatever `standard_conforming_strings` says); numbers only when
 * they are safe integers; booleans as keywords. Nothing else is ever spliced into the SQL.
 */
export const Literal = {
  texts(values: (string | null | undefined)[]): string {
    return `ARRAY[${values.map((v) => (v == null ? 'NULL' : escapeLiteral(v))).join(',')}]::text[]`;
  },
  jsons(values: string[]): string {
    return `ARRAY[${values.map((v) => escapeLiteral(v)).join(',')}]::jsonb[]`;
  },
  integers(values: number[], type: 'integer' | 'bigint'): string {
    for (const v of values)
      if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer for the store: ${String(v)}`);
    return `ARRAY[${values.join(',')}]::${type}[]`;
  },
  booleans(values: boolean[]): string {
    return `ARRAY[${values.map((v) => (v ? 'true' : 'false')).join(',')}]::boolean[]`;
  },
};
