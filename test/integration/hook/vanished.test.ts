import { admin } from '../sandbox/helpers';
import { createParams, hookWorld, type HookWorld } from './support';

/**
 * "An empty listing is not proof of deletion" (issue 13): a record is closed as deleted outside the hook
 * only when GetServiceInstance confirms it, and never when that would close an unusual share of them.
 */
describe('hook: an empty listing is not proof of deletion', () => {
  let w: HookWorld;
  afterEach(() => w.close());

  /** Creates `count` SPI orders and lets them deploy; their ids. */
  const deployedOrders = async (prefix: string, count: number): Promise<string[]> => {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
    for (const id of ids) expect((await w.spi(createParams(id))).status).toBe(200);
    await w.settleDeployments();
    for (const id of ids) expect((await w.hook.store.get(id))?.state).toBe('active');
    return ids;
  };
  const instanceOf = async (id: string) => (await w.hook.store.get(id))!.serviceInstanceId!;
  /**
   * Deleted out of band and gone altogether, as an instance purged after its deletion is: neither
   * ListServiceInstances (even with ShowDeleted) nor GetServiceInstance shows it any more.
   */
  const vanish = (serviceInstanceId: string) => {
    delete w.box.core.state.instances[serviceInstanceId];
    w.box.core.state.timers = w.box.core.state.timers.filter((t) => t.ref !== serviceInstanceId);
  };
  const states = async (ids: string[]) =>
    Promise.all(ids.map(async (id) => (await w.hook.store.get(id))?.state));
  const getsOf = (serviceInstanceIds: string[]) =>
    w.box.core.calls
      .list('GetServiceInstance')
      .filter((c) => serviceInstanceIds.includes(String(c.params.ServiceInstanceId))).length;

  it('closes nothing on a well-formed but empty ListServiceInstances page while Get still finds the instances', async () => {
    w = await hookWorld();
    const ids = await deployedOrders('91', 20);
    const instances = await Promise.all(ids.map(instanceOf));
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'emptyList',
      action: 'ListServiceInstances',
      count: 1,
    });
    w.box.core.calls.clear();

    const pass = await w.hook.reconcilePass();
    // The fault fired: the pass saw an empty listing...
    expect(pass.seen).toBe(0);
    expect((await admin<{ fired: number }[]>(w.box, 'GET', '/_sandbox/faults')).body[0].fired).toBe(1);
    // ...asked Get about every instance it missed, and closed none.
    expect(getsOf(instances)).toBe(20);
    expect(pass).toMatchObject({ vanished: 0 });
    expect(pass.refused).toBeUndefined();
    expect(new Set(await states(ids))).toEqual(new Set(['active']));
    for (const id of ids) expect((await w.hook.store.get(id))?.deletedOutside).toBeFalsy();

    // Their later releases are still torn down.
    for (const id of ids.slice(0, 2))
      await w.spi({ action: 'releaseInstance', instanceId: id, isRefund: 'true' });
    expect((await w.settleTeardowns()).started).toBe(2);
    expect(await states(ids.slice(0, 2))).toEqual(['deleted', 'deleted']);
    for (const id of ids.slice(0, 2)) expect((await w.hook.store.get(id))?.deletedOutside).toBe(false);
  });

  it('records nothing and reports when more than the guard allows vanish in one pass', async () => {
    w = await hookWorld();
    const ids = await deployedOrders('92', 20);
    const gone = ids.slice(0, 12); // 12 of 20 live: above 10 and above the 25 % share
    for (const id of gone) vanish(await instanceOf(id));

    const pass = await w.hook.reconcilePass();
    expect(pass).toMatchObject({ seen: 8, vanished: 0 });
    expect(pass.refused).toMatch(/^vanished instances: 12 of 20 live instances/);
    expect(new Set(await states(ids))).toEqual(new Set(['active']));
    expect(await (await fetch(`${w.hook.url}/metrics`)).text()).toContain(
      'nestkit_reconcile_guard_trips_total{step="vanished"} 1',
    );
    // The next pass asks again, and still records nothing: an operator decides.
    expect((await w.hook.reconcilePass()).vanished).toBe(0);
    expect(new Set(await states(ids))).toEqual(new Set(['active']));
  });

  it('records a single instance deleted outside once Get confirms it, and only once', async () => {
    w = await hookWorld();
    const ids = await deployedOrders('93', 3);
    const si = await instanceOf(ids[1]);
    vanish(si);
    w.box.core.calls.clear();

    const pass = await w.hook.reconcilePass();
    expect(pass).toMatchObject({ seen: 2, vanished: 1 });
    expect(pass.refused).toBeUndefined();
    expect(getsOf([si])).toBe(1); // confirmed by Get (EntityNotExist), not by the listing alone
    expect(await w.hook.store.get(ids[1])).toMatchObject({ state: 'deleted', deletedOutside: true });
    expect(await states([ids[0], ids[2]])).toEqual(['active', 'active']);

    const again = await w.hook.reconcilePass();
    expect(again).toMatchObject({ vanished: 0 });
    expect(getsOf([si])).toBe(1); // a closed record is no longer watched
  });
});
