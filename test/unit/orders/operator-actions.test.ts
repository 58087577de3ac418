import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../scripts/hook/logger';
import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import { HookMetrics } from '../../../scripts/hook/metrics';
import { OperatorRefusal, releaseOrder, retryOrder } from '../../../scripts/hook/operator-actions';
import { teardownPass } from '../../../scripts/hook/scheduler';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import { DEFAULT_TEARDOWN_LIMITS } from '../../../scripts/hook/teardown-guard';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const NOW = Date.parse(T0);
const create: LifecycleEvent = { type: 'create', at: T0, skuId: 'yuncode1', billingItems: {}, orderId: 'o1' };
const log = createLogger({ level: 'silent' });

describe('operator actions over a real store', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: number;
  const deps = () => ({ store, policy, now: () => new Date(clock), log });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-operator-'));
    store = new SqliteStore(join(dir, 'nestkit.db'));
    clock = NOW + 3600_000;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const apply = (id: string, event: LifecycleEvent) =>
    store.applyEvent(id, 'spi', event, (r) => transition(r, event, policy));
  const deadLetter = async (error: string) => {
    const [job] = await store.leaseJobs('w', NOW, 10, 1000);
    await store.deadJob(job.id, 'w', error);
    return job;
  };

  it('re-runs a dead-lettered effect through the job table with a fresh budget', async () => {
    await apply('40017', create);
    const job = await deadLetter('permanent: InvalidParameter');
    const result = await retryOrder(deps(), '40017');
    expect(result).toMatchObject({ action: 'retry', redriven: 'createInstance' });
    const [again] = await store.jobsOf('40017');
    expect(again).toMatchObject({ id: job.id, state: 'pending', attempts: 0, runAt: clock });
    const [leased] = await store.leaseJobs('w2', clock, 10, 1000);
    expect(leased.id).toBe(job.id);
  });

  it('refuses a retry while the effect is still queued, and when there is nothing to retry', async () => {
    await apply('40017', create);
    await expect(retryOrder(deps(), '40017')).rejects.toMatchObject({ code: 'AlreadyQueued' });
    const [job] = await store.leaseJobs('w', NOW, 10, 1000);
    await store.completeJob(job.id, 'w');
    await expect(retryOrder(deps(), '40017')).rejects.toMatchObject({ code: 'NothingToRetry' });
    await expect(retryOrder(deps(), 'nope')).rejects.toBeInstanceOf(OperatorRefusal);
  });

  it('retries a failed order: provisioning again with a create job', async () => {
    await apply('40017', create);
    const [job] = await store.leaseJobs('w', NOW, 10, 1000);
    await store.completeJob(job.id, 'w');
    await apply('40017', { type: 'deployFailed', at: T0, reason: 'SKU yuncode1 maps to no edition' });
    const result = await retryOrder(deps(), '40017');
    expect(result.record.state).toBe('provisioning');
    const jobs = await store.jobsOf('40017');
    expect(jobs.at(-1)).toMatchObject({ kind: 'createInstance', state: 'pending' });
  });

  it('releases an order by hand: due now, torn down by the guarded pass, the reason kept', async () => {
    await apply('40017', create);
    await apply('40017', { type: 'instanceCreated', at: T0, serviceInstanceId: 'si-1' });
    await apply('40017', { type: 'deployed', at: T0, outputs: {} });
    const result = await releaseOrder(deps(), '40017', '  customer ticket 42 ');
    expect(result.record).toMatchObject({
      state: 'released',
      teardownAt: new Date(clock).toISOString(),
      operatorReleaseReason: 'customer ticket 42',
    });
    const pass = await teardownPass(
      store,
      new Date(clock),
      policy,
      DEFAULT_TEARDOWN_LIMITS,
      log,
      new HookMetrics(store),
    );
    expect(pass).toMatchObject({ due: 1, started: 1 });
    expect((await store.get('40017'))?.state).toBe('deleting');
    expect((await store.jobsOf('40017')).at(-1)).toMatchObject({ kind: 'deleteInstance', state: 'pending' });
    await expect(releaseOrder(deps(), '40017', 'again')).rejects.toMatchObject({ code: 'NothingToRelease' });
  });

  it('refuses a release without a reason (usage, exit 2) and of an unknown order', async () => {
    await apply('40017', create);
    await expect(releaseOrder(deps(), '40017', '   ')).rejects.toMatchObject({
      exitCode: 2,
      location: '--reason',
    });
    await expect(releaseOrder(deps(), 'nope', 'x')).rejects.toMatchObject({ code: 'UnknownOrder' });
    expect((await store.get('40017'))?.state).toBe('provisioning');
  });
});
