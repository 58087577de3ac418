import { admin } from '../sandbox/helpers';
import { TAG_KEYS } from '../../../scripts/hook/tags';
import { createParams, hookWorld, type HookWorld } from './support';

const DAY = 86400;

describe('hook: reconciler, faults and safety', () => {
  let w: HookWorld;
  afterEach(() => w.close());

  /** Creates an SPI order and lets it deploy. */
  const deployed = async (id: string, extra: Record<string, string> = {}) => {
    await w.spi(createParams(id, extra));
    await w.settleDeployments();
    return (await w.hook.store.get(id))!.serviceInstanceId!;
  };
  const releaseAndWait = async (ids: string[]) => {
    for (const id of ids) await w.spi({ action: 'releaseInstance', instanceId: id, isRefund: 'true' });
  };

  it('adopts Compute Nest orders, follows their expiry, and tears them down after the retention', async () => {
    w = await hookWorld();
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj-cn',
      mode: 'computenest',
      serviceId: w.serviceId,
    });
    const order = (
      await admin<{ orderBizId: string; serviceInstanceId: string }>(
        w.box,
        'POST',
        '/_sandbox/marketplace/orders',
        {
          productCode: 'cmjj-cn',
          skuId: 'yuncode5012300003',
          periodSeconds: 30 * DAY,
          parameters: { ZoneId: 'cn-hangzhou-k', AdminPassword: 'Buyer-Passw0rd' },
        },
      )
    ).body;
    // The supplier API shows no MarketInstanceId: an adopted order is keyed by its service instance id.
    const key = order.serviceInstanceId;
    w.box.advance(70);
    // The first pass claims the order for this installation (a tag); a later one adopts it.
    expect(await w.hook.reconcilePass()).toMatchObject({ seen: 1, claimed: 1, adopted: 0 });
    expect(await w.hook.store.get(key)).toBeUndefined();
    expect(await w.hook.reconcilePass()).toMatchObject({ seen: 1, claimed: 0, adopted: 1 });
    expect(await w.hook.store.get(key)).toMatchObject({
      source: 'computenest',
      state: 'active',
      serviceInstanceId: order.serviceInstanceId,
      // the SKU from the plan it was deployed with (no Components in the supplier API), outputs from Get
      skuId: 'yuncode5012300003',
      outputs: expect.objectContaining({}),
    });
    expect(Object.keys((await w.hook.store.get(key))!.outputs!).length).toBeGreaterThan(0);
    expect(w.box.core.calls.list('GetServiceInstance').some((c) => c.params.ServiceInstanceId === key)).toBe(
      true,
    );
    expect(await w.hook.reconcilePass()).toMatchObject({ seen: 1, adopted: 0, events: 0 });

    w.box.advance(30 * DAY + 60); // the subscription lapses: BizStatus Expired
    await w.hook.reconcilePass();
    expect((await w.hook.store.get(key))?.state).toBe('expired');
    await w.hook.drain();
    w.box.advance(7 * DAY);
    await w.hook.reconcilePass();
    expect((await w.hook.store.get(key))?.state).toBe('released');
    expect((await w.settleTeardowns()).started).toBe(1);
    expect(await w.hook.store.get(key)).toMatchObject({
      state: 'deleted',
      deletedOutside: false,
    });
  });

  it('records an instance deleted outside the hook, and repairs a missed deployment', async () => {
    w = await hookWorld();
    const si = await deployed('60001');
    await w.api.deleteServiceInstances({ ServiceInstanceId: [si] });
    w.box.advance(35);
    await w.hook.reconcilePass();
    expect(await w.hook.store.get('60001')).toMatchObject({ state: 'deleted', deletedOutside: true });

    await w.spi(createParams('60002'));
    await w.hook.drain(); // created; the watch polls later
    w.box.advance(70);
    await w.hook.reconcilePass(); // the reconciler sees Deployed before the watch does
    expect((await w.hook.store.get('60002'))?.state).toBe('active');
  });

  it('retries throttled and failed calls with the same ClientToken: one instance, one deletion', async () => {
    w = await hookWorld();
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'throttle',
      action: 'CreateServiceInstance',
      share: 1,
      count: 3,
    });
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateServiceInstance',
      share: 1,
      count: 1,
    });
    await w.spi(createParams('60003'));
    for (let i = 0; i < 6; i++) await w.advance(2);
    expect(w.box.core.calls.list('CreateServiceInstance').length).toBeGreaterThan(1);
    expect(Object.keys(w.box.core.state.instances)).toHaveLength(1);
    await w.advance(70);
    await w.advance(5);
    expect((await w.hook.store.get('60003'))?.state).toBe('active');

    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'error',
      action: 'DeleteServiceInstances',
      share: 1,
      count: 2,
      status: 503,
    });
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'deleteFail',
      action: 'DeleteServiceInstances',
      share: 1,
      count: 1,
    });
    await releaseAndWait(['60003']);
    await w.hook.teardownPass();
    for (let i = 0; i < 12; i++) await w.advance(35);
    expect((await w.hook.store.get('60003'))?.state).toBe('deleted');
    const deleted = Object.values(w.box.core.state.instances).filter((i) => i.Status === 'Deleted');
    expect(deleted).toHaveLength(1);
  });

  it('retries transient failures for the whole retry budget (time, not attempts), then dead-letters with the reason', async () => {
    w = await hookWorld({ worker: { retryBudgetMs: 3600_000, backoffBaseMs: 1000, backoffMaxMs: 600_000 } });
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'error',
      action: 'CreateServiceInstance',
      share: 1,
      status: 500,
    });
    await w.spi(createParams('60004'));
    for (let i = 0; i < 50; i++) await w.advance(60); // 50 minutes: within the budget, still retried
    expect(await w.hook.store.jobCounts()).toMatchObject({ dead: 0, pending: 1 });
    const [retrying] = await w.hook.store.jobsOf('60004');
    expect(retrying.attempts).toBeGreaterThan(7); // more than the old limit of attempts
    for (let i = 0; i < 20; i++) await w.advance(600);
    expect(await w.hook.store.jobCounts()).toMatchObject({ dead: 1, pending: 0 });
    const [job] = await w.hook.store.jobsOf('60004');
    expect(job).toMatchObject({
      state: 'dead',
      lastError: expect.stringMatching(
        /transient failures for \d+ min, over the retry budget of 60 min; last: .*HTTP 500/,
      ),
    });
    expect(await (await fetch(`${w.hook.url}/metrics`)).text()).toContain(
      'nestkit_jobs_finished_total{kind="createInstance",outcome="dead"} 1',
    );
  });

  it('stops a teardown pass that would delete an unusual share, deleting nothing', async () => {
    w = await hookWorld({ limits: { maxPerPass: 100, maxShare: 0.5, shareAppliesAbove: 2 } });
    const ids = ['61', '62', '63', '64'];
    for (const id of ids) await deployed(id);
    await releaseAndWait(ids);
    const pass = await w.hook.teardownPass();
    expect(pass).toMatchObject({ due: 4, started: 0, refused: expect.stringContaining('4 of 4') });
    await w.hook.drain();
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
  });

  it('never deletes an instance of another service', async () => {
    w = await hookWorld();
    await deployed('60005');
    const record = (await w.hook.store.get('60005'))!;
    const other = await w.api.createService({
      DeployType: 'ros',
      ServiceInfo: [{ Locale: 'en-US', Name: 'other' }],
      DeployMetadata: w.box.core.state.services[w.serviceId].versions['1'].fields.DeployMetadata,
    });
    const foreign = await w.api.createServiceInstance({
      ServiceId: other.ServiceId!,
      ServiceVersion: 'draft',
    });
    // a corrupted record pointing at somebody else's instance
    await w.hook.store.applyEvent('60005', 'spi', { type: 'deleted', at: record.updatedAt }, (r) => ({
      record: { ...r, serviceInstanceId: foreign.ServiceInstanceId!, state: 'deleting' },
      effects: [{ kind: 'deleteInstance' }],
      changed: true,
    }));
    await w.hook.drain();
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
    expect((await w.hook.store.jobsOf('60005')).pop()).toMatchObject({
      state: 'dead',
      lastError: expect.stringContaining('refusing to delete'),
    });
  });

  it('finds a create that landed unseen by its order tag, and tears it down on release', async () => {
    w = await hookWorld();
    // Every create commits and then fails: the hook never learns the instance id from the answer.
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await w.spi(createParams('60010'));
    for (let i = 0; i < 3; i++) await w.advance(2);
    const [made] = Object.values(w.box.core.state.instances);
    expect(Object.keys(w.box.core.state.instances)).toHaveLength(1);
    expect(made.Tags).toEqual([
      { Key: TAG_KEYS.order, Value: '60010' },
      { Key: TAG_KEYS.service, Value: w.serviceId },
      { Key: TAG_KEYS.installation, Value: w.hook.installationId },
    ]);
    expect((await w.hook.store.get('60010'))?.serviceInstanceId).toBeUndefined();

    w.box.advance(70); // deployed meanwhile
    await w.spi({ action: 'releaseInstance', instanceId: '60010', isRefund: 'true' });
    await w.settleTeardowns();
    expect(await w.hook.store.get('60010')).toMatchObject({
      state: 'deleted',
      serviceInstanceId: made.ServiceInstanceId,
    });
    expect(made.Status).toBe('Deleted');
    const lookup = w.box.core.calls.list('ListServiceInstances').find((c) => c.params['Tag.1.Key']);
    expect(lookup?.params).toMatchObject({ 'Tag.1.Key': TAG_KEYS.order, 'Tag.1.Value': '60010' });
    expect(lookup?.params).not.toHaveProperty('Filter.2.Name');
  });

  it('learns the id of a create that landed unseen from its order tag in a reconcile pass', async () => {
    w = await hookWorld();
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await w.spi(createParams('60011'));
    await w.hook.drain(); // the create committed, every answer is lost
    const [made] = Object.values(w.box.core.state.instances);
    expect((await w.hook.store.get('60011'))?.serviceInstanceId).toBeUndefined();
    w.box.advance(70);
    await w.hook.reconcilePass();
    expect(await w.hook.store.get('60011')).toMatchObject({
      state: 'active',
      serviceInstanceId: made.ServiceInstanceId,
    });
    // outputs read with GetServiceInstance: the list has none
    expect((await w.hook.store.get('60011'))?.outputs).toHaveProperty('FrontendUrl');
    expect(
      w.box.core.calls
        .list('GetServiceInstance')
        .some((c) => c.params.ServiceInstanceId === made.ServiceInstanceId),
    ).toBe(true);
    expect(Object.keys(w.box.core.state.instances)).toHaveLength(1);
  });

  it('never deletes an instance of its own service that its tags do not give to the record', async () => {
    w = await hookWorld();
    await deployed('60012');
    await deployed('60013');
    const parameters = { ZoneId: 'cn-hangzhou-k', AdminPassword: 'Hand-Passw0rd' };
    // tagged by this service's hook for an order the store does not have
    const theirs = (
      await w.api.createServiceInstance({
        ServiceId: w.serviceId,
        TemplateName: 'Standard',
        SpecificationName: 'basic',
        Parameters: parameters,
        Tag: [
          { Key: TAG_KEYS.order, Value: '69999' },
          { Key: TAG_KEYS.service, Value: w.serviceId },
        ],
      })
    ).ServiceInstanceId!;
    const byHand = (
      await w.api.createServiceInstance({
        ServiceId: w.serviceId,
        TemplateName: 'Standard',
        SpecificationName: 'basic',
        Parameters: parameters,
      })
    ).ServiceInstanceId!;
    const corrupt = async (id: string, serviceInstanceId: string) => {
      const record = (await w.hook.store.get(id))!;
      await w.hook.store.applyEvent(id, 'spi', { type: 'deleted', at: record.updatedAt }, (r) => ({
        record: { ...r, serviceInstanceId, state: 'deleting' },
        effects: [{ kind: 'deleteInstance' }],
        changed: true,
      }));
      await w.hook.drain();
      return (await w.hook.store.jobsOf(id)).pop();
    };
    expect(await corrupt('60012', theirs)).toMatchObject({
      state: 'dead',
      lastError: expect.stringContaining('its tags name order 69999, not 60012'),
    });
    expect(await corrupt('60013', byHand)).toMatchObject({
      state: 'dead',
      lastError: expect.stringContaining(`carries no ${TAG_KEYS.order} tag`),
    });
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
  });

  it('only logs effects in dry-run mode', async () => {
    w = await hookWorld({ worker: { dryRun: true } });
    await w.spi(createParams('60006'));
    await w.hook.drain();
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(0);
    // The job stays pending, so the same database run without --dry-run still creates the instance.
    expect(await w.hook.store.jobCounts()).toMatchObject({ pending: 1, done: 0 });
  });
});
