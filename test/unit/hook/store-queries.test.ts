import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import { SQLITE_V1_SCHEMA } from '../../../scripts/hook/store/migrations/sqlite-migrations';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import type { HookStore, RecordQuery } from '../../../scripts/hook/store/store';
import { storeEngines, type TestDatabase } from './store-engines';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const create = (minute: number, skuId: string, orderId: string, aliUid?: string): LifecycleEvent => ({
  type: 'create',
  at: at(minute),
  skuId,
  billingItems: {},
  orderId,
  aliUid,
});

describe.each(storeEngines())('the operator read side on $name', (engine) => {
  let db: TestDatabase;
  let store: HookStore;
  beforeEach(async () => {
    db = engine.create();
    store = await db.open();
  });
  afterEach(async () => {
    await store?.close();
    await db.destroy();
  });

  const apply = (id: string, event: LifecycleEvent) =>
    store.applyEvent(id, 'spi', event, (r) => transition(r, event, policy));
  const ids = async (q: Omit<RecordQuery, 'limit' | 'offset'>, limit = 50, offset = 0) =>
    (await store.queryRecords({ ...q, limit, offset })).records.map((r) => r.id);

  /** Four orders: 4001 and 4002 on basic, 5001 on pro (released), 4003 provisioning with a dead job. */
  async function seed() {
    await apply('4001', create(1, 'basic', 'o-4001', 'uid-77'));
    await apply('4001', { type: 'instanceCreated', at: at(2), serviceInstanceId: 'si-aaa' });
    await apply('4002', create(3, 'basic', 'o-4002', 'uid-88'));
    await apply('5001', create(4, 'pro', 'o-5001'));
    await apply('5001', { type: 'release', at: at(9), refund: false });
    await apply('4003', create(6, 'pro', 'o-4003'));
    await apply('4002', { type: 'renew', at: at(7), expiresAt: at(90_000), orderId: 'r-999' });
    const leased = await store.leaseJobs('w', Date.parse(at(10)), 10, 60_000);
    const job = leased.find((j) => j.instanceId === '4003')!;
    await store.deadJob(job.id, 'w', 'QuotaExceeded: no more instances');
  }

  it('pages records newest updatedAt first, with the total of all that match', async () => {
    await seed();
    expect(await ids({})).toEqual(['5001', '4002', '4003', '4001']);
    const page = await store.queryRecords({ limit: 2, offset: 1 });
    expect(page.records.map((r) => r.id)).toEqual(['4002', '4003']);
    expect(page.total).toBe(4);
    expect(await ids({}, 2, 4)).toEqual([]);
  });

  it('filters by state, SKU, creation time and dead letters, all together', async () => {
    await seed();
    expect(await ids({ states: ['provisioning'] })).toEqual(['4002', '4003', '4001']);
    expect(await ids({ states: ['released', 'active'] })).toEqual(['5001']);
    expect(await ids({ states: [] })).toEqual([]);
    expect(await ids({ skuId: 'pro' })).toEqual(['5001', '4003']);
    expect(await ids({ createdAfter: at(3), createdBefore: at(6) })).toEqual(['5001', '4002']);
    expect(await ids({ hasDeadLetter: true })).toEqual(['4003']);
    expect(await ids({ hasDeadLetter: false, skuId: 'pro' })).toEqual(['5001']);
    const page = await store.queryRecords({ skuId: 'basic', states: ['provisioning'], limit: 1, offset: 0 });
    expect(page).toMatchObject({ total: 2, records: [{ id: '4002' }] });
  });

  it('matches text against the id, service instance id, aliUid and every order id, exactly or as a prefix', async () => {
    await seed();
    expect(await ids({ text: '400' })).toEqual(['4002', '4003', '4001']);
    expect(await ids({ text: '4001' })).toEqual(['4001']);
    expect(await ids({ text: 'si-a' })).toEqual(['4001']);
    expect(await ids({ text: 'uid-8' })).toEqual(['4002']);
    expect(await ids({ text: 'r-999' })).toEqual(['4002']); // the renewal's order, not the first one
    expect(await ids({ text: 'o-' })).toEqual(['5001', '4002', '4003', '4001']);
    expect(await ids({ text: 'o-', skuId: 'pro', hasDeadLetter: false })).toEqual(['5001']);
    expect(await ids({ text: '001' })).toEqual([]); // not a prefix of anything
    expect((await store.queryRecords({ text: 'o-', limit: 1, offset: 0 })).total).toBe(4);
  });

  it('refuses a page size or offset it cannot serve, naming the field', async () => {
    await expect(store.queryRecords({ limit: 0, offset: 0 })).rejects.toThrow(/limit/);
    await expect(store.queryRecords({ limit: 5000, offset: 0 })).rejects.toThrow(/limit/);
    await expect(store.queryRecords({ limit: 10, offset: -1 })).rejects.toThrow(/offset/);
  });

  it("returns an instance's audit log oldest first, duplicates marked unchanged", async () => {
    await seed();
    await apply('4001', create(1, 'basic', 'o-4001', 'uid-77')); // a duplicate create
    const events = await store.eventsOf('4001');
    expect(events.map((e) => [e.type, e.at, e.changed, e.stateAfter])).toEqual([
      ['create', at(1), true, 'provisioning'],
      ['instanceCreated', at(2), true, 'provisioning'],
      ['create', at(1), false, 'provisioning'],
    ]);
    expect(events[0].event).toMatchObject({ type: 'create', skuId: 'basic', orderId: 'o-4001' });
    expect(events[0].seq).toBeLessThan(events[1].seq);
    expect(await store.eventsOf('nope')).toEqual([]);
  });

  it('counts records by state and by SKU', async () => {
    await seed();
    await apply('6001', { type: 'renew', at: at(11), expiresAt: at(90_000) }); // announced: no SKU yet
    expect(await store.countsBy('state')).toEqual({ provisioning: 3, released: 1, announced: 1 });
    expect(await store.countsBy('skuId')).toEqual({ basic: 2, pro: 2, '': 1 });
  });

  it('lists dead-lettered jobs, the most recently run first, with their last error', async () => {
    await seed();
    await apply('7001', create(20, 'pro', 'o-7001'));
    const [job] = (await store.leaseJobs('w', Date.parse(at(21)), 10, 60_000)).filter(
      (j) => j.instanceId === '7001',
    );
    await store.deadJob(job.id, 'w', 'Forbidden.RAM');
    const dead = await store.deadJobs(10);
    expect(dead.map((j) => [j.instanceId, j.state, j.lastError])).toEqual([
      ['7001', 'dead', 'Forbidden.RAM'],
      ['4003', 'dead', 'QuotaExceeded: no more instances'],
    ]);
    expect((await store.deadJobs(1)).map((j) => j.instanceId)).toEqual(['7001']);
  });
});

describe('SQLite store: query plans and schema upgrades', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-queries-'));
    store = new SqliteStore(join(dir, 'nestkit.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ids = async (q: Omit<RecordQuery, 'limit' | 'offset'>) =>
    (await store.queryRecords({ ...q, limit: 50, offset: 0 })).records.map((r) => r.id);

  it('serves every filter from an index, never a scan of the whole table', async () => {
    const plan = (q: RecordQuery) => {
      // The same SQL the store runs (read back through the query builder).
      const { recordQuerySql, RECORD_ORDER } = jest.requireActual<
        typeof import('../../../scripts/hook/store/record-query')
      >('../../../scripts/hook/store/record-query');
      const { from, where, params } = recordQuerySql(q, () => '?');
      const sql = `EXPLAIN QUERY PLAN SELECT i.record FROM ${from} WHERE ${where} ${RECORD_ORDER} LIMIT 10`;
      const rows = store.connection.prepare(sql).all(...params) as { detail: string }[];
      return rows.map((r) => r.detail);
    };
    for (const q of [
      { limit: 10, offset: 0 },
      { states: ['active' as const], limit: 10, offset: 0 },
      { skuId: 'pro', limit: 10, offset: 0 },
      { text: '40', limit: 10, offset: 0 },
    ]) {
      const details = plan(q);
      expect(
        details.filter((d) => /^SCAN (i|instances)$/.test(d) || /^SCAN instance_orders$/.test(d)),
      ).toEqual([]);
    }
    expect(plan({ text: '40', limit: 10, offset: 0 }).join('\n')).toMatch(/SEARCH .*instance_orders/);
  });

  it('upgrades a database made by schema version 1, filling the new columns from the records', async () => {
    await store.close();
    const old = join(dir, 'v1.db');
    const db = new Database(old);
    db.exec(SQLITE_V1_SCHEMA);
    const record = {
      id: '9001',
      source: 'spi',
      state: 'active',
      revision: 3,
      skuId: 'pro',
      aliUid: 'uid-5',
      billingItems: {},
      orderIds: ['o-9001', 'r-9002'],
      serviceInstanceId: 'si-old',
      stopped: false,
      pendingUpgrade: false,
      createRequested: true,
      createdAt: at(1),
      updatedAt: at(5),
    };
    db.prepare(
      'INSERT INTO instances (id, state, service_instance_id, teardown_at, record, updated_at) VALUES (?, ?, ?, NULL, ?, ?)',
    ).run(record.id, record.state, record.serviceInstanceId, JSON.stringify(record), record.updatedAt);
    db.close();

    store = new SqliteStore(old);
    expect(await ids({ text: 'r-90' })).toEqual(['9001']);
    expect(await ids({ skuId: 'pro', text: 'uid-5', createdAfter: at(1) })).toEqual(['9001']);
    const versions = store.connection.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
    await store.close();
    store = new SqliteStore(old); // and a second open applies nothing again
    expect(await ids({ text: 'o-9001' })).toEqual(['9001']);
  });
});
