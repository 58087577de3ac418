import { Client } from 'pg';
import {
  transition,
  type InstanceRecord,
  type LifecycleEvent,
  type Policy,
} from '../../../scripts/hook/machine';
import { PgStore } from '../../../scripts/hook/store/pg-store';
import { describePg, freshDatabase } from './store-pg-support';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const create = (orderId: string): LifecycleEvent => ({
  type: 'create',
  at: T0,
  skuId: 'yuncode1',
  billingItems: {},
  orderId,
  expiresAt: '2027-01-01T00:00:00.000Z',
});
const decide = (event: LifecycleEvent) => (r: InstanceRecord) => transition(r, event, policy);

/**
 * PgStore commits concurrent events together (group commit): one slot in flight, so every event that
 * arrives while the first is committed waits and goes in the next transaction. Rows written by one
 * transaction share its `xmin`, which is how the test sees the batches.
 */
describePg('PostgreSQL group commit', () => {
  let db: { url: string; drop(): Promise<void> };
  let store: PgStore;
  const transactionsOf = async (table: string) => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(DISTINCT xmin::text) AS n FROM ${table}`,
      );
      return Number(rows[0].n);
    } finally {
      await client.end();
    }
  };
  beforeEach(async () => {
    db = await freshDatabase();
    store = await PgStore.open(db.url, { poolSize: 4, groupCommit: { maxInFlight: 1, maxBatch: 64 } });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('commits events that arrive together in one transaction, each answered with its own record', async () => {
    const applied = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.applyEvent(`g-${i}`, 'spi', create(`o-${i}`), decide(create(`o-${i}`))),
      ),
    );
    expect(applied.map((a) => a.record.id)).toEqual(Array.from({ length: 20 }, (_, i) => `g-${i}`));
    expect(applied.every((a) => a.transition.changed && a.record.state === 'provisioning')).toBe(true);
    // The first alone (the slot was free), the other 19 together.
    expect(await transactionsOf('instances')).toBe(2);
    expect(await transactionsOf('events')).toBe(2);
    expect((await store.jobCounts()).pending).toBe(20);
  });

  it('decides a record named twice in one batch on the result of the first', async () => {
    const first = store.applyEvent('twice', 'spi', create('o-1'), decide(create('o-1')));
    const renewals = [2, 3, 4].map((year) => {
      const renew: LifecycleEvent = {
        type: 'renew',
        at: T0,
        orderId: `r-${year}`,
        expiresAt: `${2026 + year}-01-01T00:00:00.000Z`,
      };
      return store.applyEvent('twice', 'spi', renew, decide(renew));
    });
    const again = store.applyEvent('twice', 'spi', create('o-1'), decide(create('o-1')));
    await first;
    const results = await Promise.all([...renewals, again]);
    expect(results.map((a) => a.transition.changed)).toEqual([true, true, true, false]);
    expect((await store.get('twice'))?.expiresAt).toBe('2030-01-01T00:00:00.000Z');
    expect((await store.get('twice'))?.revision).toBe(results[2].record.revision);
    expect(await store.jobsOf('twice')).toHaveLength(1);
    expect((await store.eventsOf('twice')).map((e) => e.type)).toEqual([
      'create',
      'renew',
      'renew',
      'renew',
      'create',
    ]);
  });

  it('fails only the event whose decision throws; its neighbours commit', async () => {
    await store.applyEvent('lead', 'spi', create('o-lead'), decide(create('o-lead')));
    const first = store.applyEvent('a', 'spi', create('o-a'), decide(create('o-a')));
    const bad = store.applyEvent('b', 'spi', create('o-b'), () => {
      throw new Error('b cannot be decided');
    });
    const good = store.applyEvent('c', 'spi', create('o-c'), decide(create('o-c')));
    await first;
    await expect(bad).rejects.toThrow('b cannot be decided');
    await expect(good).resolves.toMatchObject({ record: { id: 'c', state: 'provisioning' } });
    expect(await store.get('b')).toBeUndefined();
  });

  it('tries the events of a batch alone when one breaks a constraint, so only that one fails', async () => {
    for (const id of ['x', 'y', 'z'])
      await store.applyEvent(id, 'computenest', create(`o-${id}`), decide(create(`o-${id}`)));
    const made = (serviceInstanceId: string): LifecycleEvent => ({
      type: 'instanceCreated',
      at: T0,
      serviceInstanceId,
    });
    const first = store.applyEvent('x', 'computenest', made('si-1'), decide(made('si-1')));
    // y claims the Compute Nest instance x has: the unique index refuses the whole batch it is in.
    const results = await Promise.allSettled([
      store.applyEvent('y', 'computenest', made('si-1'), decide(made('si-1'))),
      store.applyEvent('z', 'computenest', made('si-3'), decide(made('si-3'))),
    ]);
    await first;
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    expect(results[1]).toMatchObject({ status: 'fulfilled' });
    expect((await store.get('z'))?.serviceInstanceId).toBe('si-3');
    expect((await store.get('y'))?.serviceInstanceId).toBeUndefined();
  });

  it('keeps any text exactly: quotes, backslashes and statement breaks are data, never SQL', async () => {
    const reason = "it's \\ done'); DROP TABLE instances; -- $$ \u00e9\n\\'";
    await store.applyEvent('text', 'spi', create('o-1'), decide(create('o-1')));
    const release: LifecycleEvent = { type: 'operatorRelease', at: T0, reason };
    const [applied] = await store.applyEvents([{ id: 'text', source: 'spi', event: release }], (r, e) =>
      transition(r, e, policy),
    );
    expect(applied.transition.changed).toBe(true);
    const events = await store.eventsOf('text');
    expect((events[1].event as { reason: string }).reason).toBe(reason);
    expect((await store.get('text'))?.state).toBe(applied.record.state);
    expect(await store.list()).toHaveLength(1);
  });
});
