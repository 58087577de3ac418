import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import type { HookStore } from '../../../scripts/hook/store/store';
import { storeEngines, type TestDatabase } from './store-engines';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const NOW = Date.parse(T0);
const create: LifecycleEvent = { type: 'create', at: T0, skuId: 'yuncode1', billingItems: {}, orderId: 'o1' };

describe.each(storeEngines())('hook store on $name', (engine) => {
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

  it('saves the record and one job per effect in one transaction, and nothing for a duplicate', async () => {
    await apply('40017', create);
    await apply('40017', create);
    expect((await store.get('40017'))?.state).toBe('provisioning');
    expect((await store.jobsOf('40017')).map((j) => j.kind)).toEqual(['createInstance']);
  });

  it('keeps everything across a reopen', async () => {
    await apply('40017', create);
    await store.close();
    store = await db.open();
    expect((await store.get('40017'))?.orderIds).toEqual(['o1']);
    expect(await store.jobCounts()).toMatchObject({ pending: 1 });
  });

  it('leases only the oldest open job of an instance, and re-leases it when the lease expires', async () => {
    await apply('40017', create);
    await apply('40017', { type: 'instanceCreated', at: T0, serviceInstanceId: 'si-1' });
    const [first] = await store.leaseJobs('w1', NOW, 10, 1000);
    expect(first.kind).toBe('createInstance');
    expect(await store.leaseJobs('w2', NOW + 10, 10, 1000)).toEqual([]);
    const [again] = await store.leaseJobs('w2', NOW + 1000, 10, 1000);
    expect(again.id).toBe(first.id);
    await store.completeJob(again.id, 'w1'); // a stale owner cannot complete it
    expect((await store.jobsOf('40017'))[0].state).toBe('leased');
    await store.completeJob(again.id, 'w2');
    const [next] = await store.leaseJobs('w2', NOW + 1000, 10, 1000);
    expect(next.kind).toBe('watchDeployment');
  });

  it('retries a job later, counts attempts, and dead-letters it', async () => {
    await apply('40017', create);
    const [job] = await store.leaseJobs('w', NOW, 10, 1000);
    await store.retryJob(job.id, 'w', NOW + 5000, 'Throttling', true);
    expect(await store.leaseJobs('w', NOW + 4999, 10, 1000)).toEqual([]);
    const [retried] = await store.leaseJobs('w', NOW + 5000, 10, 1000);
    expect(retried).toMatchObject({ attempts: 1, lastError: 'Throttling' });
    await store.deadJob(retried.id, 'w', 'gave up');
    expect(await store.jobCounts()).toMatchObject({ dead: 1, pending: 0, leased: 0 });
  });

  it('gives back the leases of a worker that shuts down', async () => {
    await apply('a', create);
    await apply('b', create);
    expect(await store.leaseJobs('w', NOW, 10, 60_000)).toHaveLength(2);
    expect(await store.releaseLeases('w')).toBe(2);
    expect(await store.leaseJobs('w2', NOW, 10, 60_000)).toHaveLength(2);
  });

  it('lists released records whose teardown time has come', async () => {
    await apply('40017', create);
    await apply('40017', { type: 'release', at: T0, refund: false });
    expect(await store.dueForTeardown('2026-01-07T23:59:59.000Z')).toEqual([]);
    expect((await store.dueForTeardown('2026-01-08T00:00:00.000Z')).map((r) => r.id)).toEqual(['40017']);
  });

  it('finds a record by its service instance id', async () => {
    await apply('40017', create);
    await apply('40017', { type: 'instanceCreated', at: T0, serviceInstanceId: 'si-1' });
    expect((await store.findByServiceInstanceId('si-1'))?.id).toBe('40017');
  });

  it('applies a batch of events in one transaction, each with its own jobs', async () => {
    const applied = await store.applyEvents(
      ['a', 'b', 'c'].map((id) => ({ id, source: 'spi' as const, event: create })),
      (r, e) => transition(r, e, policy),
    );
    expect(applied.map((a) => a.record.state)).toEqual(['provisioning', 'provisioning', 'provisioning']);
    expect(await store.jobCounts()).toMatchObject({ pending: 3 });
  });

  it('leases due jobs in due order, skipping instances whose older job is still open', async () => {
    await apply('late', { ...create, at: '2026-01-01T00:00:05.000Z' });
    await apply('early', create);
    await apply('early', { type: 'instanceCreated', at: T0, serviceInstanceId: 'si-e' });
    const leased = await store.leaseJobs('w', NOW + 10_000, 10, 1000);
    expect(leased.map((j) => [j.instanceId, j.kind])).toEqual([
      ['early', 'createInstance'],
      ['late', 'createInstance'],
    ]);
  });

  it('accepts an SSO timestamp once', async () => {
    expect(await store.rememberSso('40017', '2026-01-05 10:20:30', NOW, NOW + 600_000)).toBe(true);
    expect(await store.rememberSso('40017', '2026-01-05 10:20:30', NOW, NOW + 600_000)).toBe(false);
  });
});
