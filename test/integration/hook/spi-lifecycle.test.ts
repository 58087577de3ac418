import { createParams, hookWorld, type HookWorld } from './support';

describe('hook: SPI lifecycle against the sandbox', () => {
  let w: HookWorld;
  beforeEach(async () => {
    w = await hookWorld();
  });
  afterEach(() => w.close());

  it('answers "0" while deploying and then the same instance id with appInfo', async () => {
    const first = await w.spi(createParams('40017', { BackupStorage: '1' }));
    expect(first).toEqual({ status: 200, body: { instanceId: '0' } });
    await w.settleDeployments();
    const record = await w.hook.store.get('40017');
    expect(record).toMatchObject({ state: 'active', serviceInstanceId: expect.stringMatching(/^si-/) });
    const instance = await w.api.getServiceInstance({ ServiceInstanceId: record!.serviceInstanceId! });
    expect(instance).toMatchObject({
      Status: 'Deployed',
      PredefinedParameterName: 'basic',
      Name: 'acme-insight-40017',
    });
    expect(JSON.parse(instance.Parameters!)).toMatchObject({
      EnableBackup: true,
      EnablePublicEndpoint: false,
      NodeCount: 1,
    });
    expect(instance.EndTime).toBe('2026-02-01T00:00:00Z');
    const again = await w.spi(createParams('40017', { BackupStorage: '1' }));
    expect(again.body).toMatchObject({
      instanceId: '40017',
      appInfo: { username: 'admin', frontEndUrl: expect.any(String), password: expect.any(String) },
    });
    expect(await w.spi(createParams('40017', { BackupStorage: '1' }))).toEqual(again);
  });

  it('refuses a bad token and changes nothing', async () => {
    const answer = await w.spi(createParams('40018'), 'wrong-key');
    expect(answer).toEqual({
      status: 403,
      body: { success: false, code: 'InvalidToken', message: expect.any(String) },
    });
    expect(await w.hook.store.get('40018')).toBeUndefined();
    expect(await w.hook.store.jobCounts()).toEqual({ pending: 0, leased: 0, done: 0, dead: 0 });
  });

  it('refuses a SKU that maps to no edition, storing nothing', async () => {
    const answer = await w.spi(createParams('40019', { skuId: 'yuncode999' }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'UnknownSku', parameter: 'skuId' });
    expect(await w.hook.store.get('40019')).toBeUndefined();
  });

  it('renews, upgrades, expires and releases, then tears down once after the retention', async () => {
    await w.spi(createParams('40020'));
    await w.settleDeployments();
    const si = (await w.hook.store.get('40020'))!.serviceInstanceId!;
    expect(
      await w.spi({
        action: 'renewInstance',
        instanceId: '40020',
        orderId: 'o2',
        expiredOn: '2026-03-01 08:00:00',
      }),
    ).toEqual({ status: 200, body: { success: true } });
    await w.hook.drain();
    expect((await w.api.getServiceInstance({ ServiceInstanceId: si })).EndTime).toBe('2026-03-01T00:00:00Z');

    await w.spi({
      action: 'upgradeInstance',
      instanceId: '40020',
      orderId: 'o3',
      skuId: 'yuncode5012300002',
      PublicEndpoint: '1',
    });
    await w.hook.drain();
    await w.advance(w.box.core.timings.operationSeconds);
    const upgraded = await w.api.getServiceInstance({ ServiceInstanceId: si });
    expect(upgraded).toMatchObject({ Status: 'Deployed', PredefinedParameterName: 'advanced' });
    expect(JSON.parse(upgraded.Parameters!)).toMatchObject({
      NodeCount: 1,
      EnablePublicEndpoint: true,
      EnableBackup: true,
    });

    // The Marketplace sends the expiry once the paid end has come (an earlier one is ignored, issue 14.2).
    w.box.advance((Date.parse('2026-03-01T00:00:00Z') - w.box.clock.now()) / 1000 + 1);
    await w.spi({ action: 'expiredInstance', instanceId: '40020' });
    await w.hook.drain();
    await w.advance(w.box.core.timings.operationSeconds);
    expect((await w.api.getServiceInstance({ ServiceInstanceId: si })).Status).toBe('Stopped');

    await w.spi({ action: 'releaseInstance', instanceId: '40020', isRefund: 'false' });
    expect((await w.hook.teardownPass()).started).toBe(0);
    await w.advance(7 * 86400);
    expect((await w.hook.teardownPass()).started).toBe(1);
    await w.hook.drain();
    expect((await w.api.getServiceInstance({ ServiceInstanceId: si })).Status).toBe('Deleting');
    await w.advance(w.box.core.timings.deleteSeconds);
    await w.advance(5);
    expect(await w.hook.store.get('40020')).toMatchObject({ state: 'deleted', deletedOutside: false });
    expect(w.box.core.calls.list().filter((c) => c.action === 'DeleteServiceInstances')).toHaveLength(1);
    expect((await w.hook.teardownPass()).started).toBe(0);
  });
});
