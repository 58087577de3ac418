import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../scripts/hook/logger';
import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import { HookMetrics } from '../../../scripts/hook/metrics';
import {
  OperatorRefusal,
  releaseOrder,
  resumeOrder,
  retryOrder,
} from '../../../scripts/hook/operator-actions';
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
  let limits = DEFAULT_TEARDOWN_LIMITS;
  const deps = () => ({ store, policy, now: () => new Date(clock), log, limits });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-operator-'));
    store = new SqliteStore(join(dir, 'nestkit.db'));
    clock = NOW + 3600_000;
    limits = DEFAULT_TEARDOWN_LIMITS;
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

  describe('resume: the teardown of one order the guard holds', () => {
    /** `count` deployed orders (`o1`...), each with its instance. */
    const deployed = async (count: number) => {
      for (let i = 1; i <= count; i++) {
        const id = `o${i}`;
        await apply(id, { ...create, orderId: id });
        await apply(id, { type: 'instanceCreated', at: T0, serviceInstanceId: `si-${i}` });
        await apply(id, { type: 'deployed', at: T0, outputs: {} });
      }
    };
    const pass = () => teardownPass(store, new Date(clock), policy, limits, log, new HookMetrics(store));
    const teardownEvents = async (id: string) =>
      (await store.eventsOf(id)).filter((e) => e.type === 'teardownDue' && e.changed);

    it('lets one held teardown through the same path as a pass: deleting, one deleteInstance job', async () => {
      await deployed(4);
      limits = { ...DEFAULT_TEARDOWN_LIMITS, maxPerPass: 1 };
      await releaseOrder(deps(), 'o1', 'ticket 1');
      await releaseOrder(deps(), 'o2', 'ticket 2');
      expect(await pass()).toMatchObject({ due: 2, started: 0, refused: expect.any(String) });

      const result = await resumeOrder(deps(), 'o1');
      expect(result).toMatchObject({ action: 'resume', id: 'o1', record: { state: 'deleting' } });
      expect(result.summary).toMatch(/resumed/);
      expect((await store.jobsOf('o1')).filter((j) => j.kind === 'deleteInstance')).toEqual([
        expect.objectContaining({ state: 'pending', attempts: 0 }),
      ]);
      expect(await teardownEvents('o1')).toHaveLength(1);
      // The other stays held: resume is of one order, not of the pass.
      expect((await store.get('o2'))?.state).toBe('released');
    });

    it('applies the event once, resumed twice (one after the other, or at once)', async () => {
      await deployed(2);
      await releaseOrder(deps(), 'o1', 'ticket 1');
      await releaseOrder(deps(), 'o2', 'ticket 2');
      await resumeOrder(deps(), 'o1');
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        code: 'AlreadyTearingDown',
        message: expect.stringMatching(/o1 is deleting already/),
      });
      const both = await Promise.allSettled([resumeOrder(deps(), 'o2'), resumeOrder(deps(), 'o2')]);
      expect(both.map((b) => b.status).sort()).toEqual(['fulfilled', 'rejected']);
      for (const id of ['o1', 'o2']) {
        expect(await teardownEvents(id)).toHaveLength(1);
        expect((await store.jobsOf(id)).filter((j) => j.kind === 'deleteInstance')).toHaveLength(1);
      }
      // The pass after them finds nothing due.
      expect(await pass()).toMatchObject({ due: 0, started: 0 });
    });

    it("goes through the guard with the hook's limits: maxPerPass 0 refuses even one", async () => {
      await deployed(2);
      await releaseOrder(deps(), 'o1', 'ticket 1');
      limits = { ...DEFAULT_TEARDOWN_LIMITS, maxPerPass: 0 };
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        name: 'OperatorRefusal',
        code: 'GuardRefused',
        message:
          'the teardown guard refuses the teardown of order o1: 1 teardowns are due in one pass; the limit is 0',
      });
      // One of two live instances is half the fleet: refused once the share applies to a single teardown.
      limits = { maxPerPass: 10, maxShare: 0.25, shareAppliesAbove: 0 };
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        code: 'GuardRefused',
        message: expect.stringMatching(/1 of 2 live instances \(50%\)/),
      });
      expect((await store.get('o1'))?.state).toBe('released');
      expect(await store.jobsOf('o1')).not.toContainEqual(
        expect.objectContaining({ kind: 'deleteInstance' }),
      );
      limits = DEFAULT_TEARDOWN_LIMITS;
      expect((await resumeOrder(deps(), 'o1')).record.state).toBe('deleting');
    });

    it('refuses an unknown order, one not due (saying when, and that release makes it due), one gone', async () => {
      await deployed(1);
      await expect(resumeOrder(deps(), 'nope')).rejects.toMatchObject({ code: 'UnknownOrder' });
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        code: 'TeardownNotDue',
        message: expect.stringMatching(/o1 is active: no teardown is due.*release.*makes it due now/),
      });
      await apply('o1', { type: 'release', at: new Date(clock).toISOString(), refund: false });
      const teardownAt = new Date(clock + 7 * 86_400_000).toISOString();
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        code: 'TeardownNotDue',
        message: expect.stringContaining(`it is due at ${teardownAt}`),
      });
      clock += 7 * 86_400_000;
      await resumeOrder(deps(), 'o1');
      await apply('o1', { type: 'deleted', at: new Date(clock).toISOString() });
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        code: 'AlreadyTearingDown',
        message: 'order o1 is deleted already: nothing to resume',
      });
    });

    it('refuses a released order the policy keeps (no teardown time)', async () => {
      await deployed(1);
      const keep: Policy = { ...policy, deleteOnRelease: false };
      await store.applyEvent('o1', 'spi', { type: 'release', at: T0, refund: false }, (r) =>
        transition(r, { type: 'release', at: T0, refund: false }, keep),
      );
      await expect(resumeOrder(deps(), 'o1')).rejects.toMatchObject({
        code: 'TeardownNotDue',
        message: expect.stringMatching(/released and kept/),
      });
    });

    it('logs the resume at warn, by the operator', async () => {
      await deployed(1);
      await releaseOrder(deps(), 'o1', 'ticket 1');
      const lines: Record<string, unknown>[] = [];
      const capture = {
        warn: (fields: Record<string, unknown>, message: string) => lines.push({ ...fields, message }),
      } as unknown as typeof log;
      await resumeOrder({ ...deps(), log: capture }, 'o1');
      expect(lines).toEqual([
        expect.objectContaining({
          message: 'operator resumed a teardown the guard held',
          instanceId: 'o1',
          by: 'operator',
          from: 'released',
          to: 'deleting',
          serviceInstanceId: 'si-1',
        }),
      ]);
    });
  });
});
