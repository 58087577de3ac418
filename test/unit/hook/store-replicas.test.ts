import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import type { HookStore } from '../../../scripts/hook/store/store';
import { storeEngines, type TestDatabase } from './store-engines';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const NOW = Date.parse(T0);
const create: LifecycleEvent = { type: 'create', at: T0, skuId: 'yuncode1', billingItems: {}, orderId: 'o1' };
const decide = (event: LifecycleEvent) => (r: Parameters<typeof transition>[0]) =>
  transition(r, event, policy);

/** Three stores on one database, as three hook replicas have (two SQLite connections act the same). */
describe.each(storeEngines())('several replicas on one $name database', (engine) => {
  let db: TestDatabase;
  let replicas: HookStore[];
  beforeEach(async () => {
    db = engine.create();
    replicas = [await db.open()];
    replicas.push(await db.open(), await db.open());
  });
  afterEach(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await db.destroy();
  });

  it('applies the same create arriving at every replica at once as one record with one job', async () => {
    const applied = await Promise.all(
      replicas.map((r) => r.applyEvent('40017', 'spi', create, decide(create))),
    );
    expect(applied.filter((a) => a.transition.changed)).toHaveLength(1);
    expect((await replicas[0].jobsOf('40017')).map((j) => j.kind)).toEqual(['createInstance']);
    expect((await replicas[1].eventsOf('40017')).map((e) => e.changed).sort()).toEqual([false, false, true]);
  });

  it('never leases one job to two replicas leasing at once', async () => {
    await replicas[0].applyEvents(
      Array.from({ length: 60 }, (_, i) => ({ id: `o-${i}`, source: 'spi' as const, event: create })),
      (r, e) => transition(r, e, policy),
    );
    const leased = (
      await Promise.all(
        [0, 1, 2, 0, 1, 2].map((n, round) => replicas[n].leaseJobs(`w${round}`, NOW, 15, 60_000)),
      )
    ).flat();
    const ids = leased.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(60);
    expect(await replicas[2].jobCounts()).toMatchObject({ pending: 0, leased: 60 });
  });

  it('runs a pass on one replica at a time, and on another once the lease runs out', async () => {
    const taken = await Promise.all(replicas.map((r, i) => r.tryLeasePass('teardown', `r${i}`, NOW, 60_000)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const holder = taken.indexOf(true);
    const other = (holder + 1) % 3;
    expect(await replicas[other].tryLeasePass('teardown', `r${other}`, NOW + 59_999, 60_000)).toBe(false);
    expect(await replicas[holder].tryLeasePass('teardown', `r${holder}`, NOW + 1, 60_000)).toBe(true); // renewal
    expect(await replicas[other].tryLeasePass('reconcile', `r${other}`, NOW, 60_000)).toBe(true); // another pass
    // Done early, kept until the period ends: the fleet runs the pass once a period.
    await replicas[holder].releasePass('teardown', `r${holder}`, NOW + 30_000);
    expect(await replicas[other].tryLeasePass('teardown', `r${other}`, NOW + 29_999, 60_000)).toBe(false);
    expect(await replicas[other].tryLeasePass('teardown', `r${other}`, NOW + 30_000, 60_000)).toBe(true);
    await replicas[holder].releasePass('teardown', `r${holder}`); // not the holder any more: nothing
    expect(await replicas[holder].tryLeasePass('teardown', `r${holder}`, NOW + 30_001, 60_000)).toBe(false);
    await replicas[other].releasePass('teardown', `r${other}`);
    expect(await replicas[holder].tryLeasePass('teardown', `r${holder}`, NOW + 30_001, 60_000)).toBe(true);
  });

  it('lets one replica at a time activate a licence code', async () => {
    const claimed = await Promise.all(replicas.map((r, i) => r.claimLicense('LIC-1', `r${i}`, NOW, 30_000)));
    expect(claimed.filter(Boolean)).toHaveLength(1);
    const holder = claimed.indexOf(true);
    const other = (holder + 1) % 3;
    expect(await replicas[other].claimLicense('LIC-2', `r${other}`, NOW, 30_000)).toBe(true);
    await replicas[holder].releaseLicense('LIC-1', `r${holder}`);
    expect(await replicas[other].claimLicense('LIC-1', `r${other}`, NOW, 30_000)).toBe(true);
  });

  it('applies a missed notification once however many replicas pull it', async () => {
    const applied = await Promise.all(
      replicas.map((r) => r.applyNotification('n-1', '40017', 'spi', create, decide(create))),
    );
    expect(applied.filter((a) => a !== undefined)).toHaveLength(1);
    const remembered = await Promise.all(
      replicas.map((r) => r.rememberNotification('n-2', '40017', 'verify')),
    );
    expect(remembered.filter(Boolean)).toHaveLength(1);
    expect(await replicas[2].notificationStatus('n-1')).toEqual({ applied: true, confirmed: false });
  });

  it('accepts an SSO timestamp once across the fleet, and makes one installation id and secret', async () => {
    const sso = await Promise.all(replicas.map((r) => r.rememberSso('40017', 'ts-1', NOW, NOW + 600_000)));
    expect(sso.filter(Boolean)).toHaveLength(1);
    const idsOf = await Promise.all(replicas.map((r) => r.installationId()));
    expect(new Set(idsOf).size).toBe(1);
    const secrets = await Promise.all(replicas.map((r) => r.instanceSecret()));
    expect(new Set(secrets).size).toBe(1);
  });

  it('re-drives a dead job once when several replicas repair it at once', async () => {
    await replicas[0].applyEvent('40017', 'spi', create, decide(create));
    const [job] = await replicas[0].leaseJobs('w', NOW, 10, 60_000);
    await replicas[0].deadJob(job.id, 'w', 'gave up');
    const redriven = await Promise.all(
      replicas.map((r) => r.redriveJob('40017', 'createInstance', job.revision, NOW + 1)),
    );
    expect(redriven.filter(Boolean)).toHaveLength(1);
    expect(await replicas[1].jobCounts()).toMatchObject({ pending: 1, dead: 0 });
  });
});
