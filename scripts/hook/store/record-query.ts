import type { CountField, RecordQuery } from './store';

/** The largest page `queryRecords` serves: a caller wanting more pages on. */
export const MAX_PAGE = 1000;

/**
 * The upper bound of a prefix range: every string starting with `prefix` sorts at or above `prefix` and
 * below this (byte order: SQLite's BINARY, PostgreSQL's "C" collation), so a prefix match walks an index.
 */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** The parts of a record query an engine runs, placeholders made by the engine's `placeholder(n)`. */
export interface RecordQuerySql {
  /** The FROM clause: `instances i`, driven by the text matches when there is a text filter. */
  from: string;
  where: string;
  params: unknown[];
}

/**
 * SQL for `queryRecords`, shared by both engines. Every filter is a column with an index: the text match
 * is a union of four prefix ranges (id, service instance id, aliUid, the order-id table) joined first, so
 * it never scans every record.
 */
export function recordQuerySql(q: RecordQuery, placeholder: (n: number) => string): RecordQuerySql {
  checkPage(q);
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return placeholder(params.length);
  };
  let from = 'instances i';
  const where: string[] = [];
  if (q.text !== undefined && q.text !== '') {
    const range = (column: string) => `${column} >= ${p(q.text)} AND ${column} < ${p(prefixEnd(q.text!))}`;
    const matches = [
      `SELECT id FROM instances WHERE ${range('id')}`,
      `SELECT id FROM instances WHERE ${range('service_instance_id')}`,
      `SELECT id FROM instances WHERE ${range('ali_uid')}`,
      `SELECT instance_id AS id FROM instance_orders WHERE ${range('order_id')}`,
    ].join(' UNION ');
    // CROSS JOIN: SQLite keeps the matches as the outer loop (PostgreSQL plans it as an inner join).
    from = `(${matches}) m CROSS JOIN instances i`;
    where.push('i.id = m.id');
  }
  if (q.states !== undefined)
    where.push(q.states.length === 0 ? '1 = 0' : `i.state IN (${q.states.map((s) => p(s)).join(', ')})`);
  if (q.skuId !== undefined) where.push(`i.sku_id = ${p(q.skuId)}`);
  if (q.createdAfter !== undefined) where.push(`i.created_at >= ${p(q.createdAfter)}`);
  if (q.createdBefore !== undefined) where.push(`i.created_at < ${p(q.createdBefore)}`);
  // IN for true (few records have dead letters: the dead-job index drives), NOT EXISTS for false.
  if (q.hasDeadLetter === true)
    where.push(`i.id IN (SELECT d.instance_id FROM jobs d WHERE d.state = 'dead')`);
  if (q.hasDeadLetter === false)
    where.push(`NOT EXISTS (SELECT 1 FROM jobs d WHERE d.instance_id = i.id AND d.state = 'dead')`);
  return { from, where: where.length > 0 ? where.join(' AND ') : '1 = 1', params };
}

/** The newest `updatedAt` first; the id breaks ties so that pages never overlap. */
export const RECORD_ORDER = 'ORDER BY i.updated_at DESC, i.id DESC';

function checkPage(q: RecordQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_PAGE)
    throw new RangeError(`queryRecords: limit must be an integer from 1 to ${MAX_PAGE}, got ${q.limit}`);
  if (!Number.isInteger(q.offset) || q.offset < 0)
    throw new RangeError(`queryRecords: offset must be a non-negative integer, got ${q.offset}`);
}

/** The column `countsBy` groups by; records without a SKU count under ''. */
export const COUNT_COLUMNS: Record<CountField, string> = {
  state: 'state',
  skuId: "COALESCE(sku_id, '')",
};
