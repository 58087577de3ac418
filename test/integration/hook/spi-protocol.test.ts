import { admin } from '../sandbox/helpers';
import { createParams, hookWorld, SPI_KEY, type HookWorld } from './support';

interface Notification {
  action: string;
  status: string;
  attempts: number;
}

describe('hook: the SPI protocol', () => {
  let w: HookWorld;
  beforeEach(async () => {
    w = await hookWorld();
  });
  afterEach(() => w.close());

  const jobs = () => w.hook.store.jobCounts();

  it('answers the same request twice with one effect', async () => {
    await w.spi(createParams('50001'));
    await w.spi(createParams('50001'));
    await w.hook.drain();
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(1);
    await w.spi({ action: 'releaseInstance', instanceId: '50001', isRefund: 'false' });
    const again = await w.spi({ action: 'releaseInstance', instanceId: '50001', isRefund: 'false' });
    expect(again).toEqual({ status: 200, body: { success: true } });
    expect((await w.hook.store.get('50001'))?.revision).toBe(3); // create, instanceCreated, release
  });

  it('handles release before create, and renew or upgrade after release, without deploying', async () => {
    expect((await w.spi({ action: 'releaseInstance', instanceId: '50002', isRefund: 'true' })).body).toEqual({
      success: true,
    });
    expect((await w.spi(createParams('50002'))).body).toEqual({ instanceId: '50002' });
    expect(
      (
        await w.spi({
          action: 'renewInstance',
          instanceId: '50002',
          orderId: 'r',
          expiredOn: '2027-01-01 00:00:00',
        })
      ).body,
    ).toEqual({ success: true });
    expect(
      (
        await w.spi({
          action: 'upgradeInstance',
          instanceId: '50002',
          orderId: 'u',
          skuId: 'yuncode5012300003',
        })
      ).body,
    ).toEqual({ success: true });
    await w.hook.drain();
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(0);
    expect((await w.hook.store.get('50002'))?.state).toBe('released');
    await w.hook.teardownPass();
    expect((await w.hook.store.get('50002'))?.state).toBe('deleted');
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
  });

  it('refuses a request with a missing parameter and accepts extra ones', async () => {
    const { orderId: _o, ...missing } = createParams('50003');
    const refused = await w.spi(missing);
    expect(refused).toEqual({
      status: 400,
      body: {
        success: false,
        code: 'MissingParameter',
        message: 'createInstance needs parameter "orderId"',
        parameter: 'orderId',
      },
    });
    expect(await w.hook.store.get('50003')).toBeUndefined();
    const extra = await w.spi({ ...createParams('50003'), newMarketplaceField: 'x', ecsInstanceId: 'i-1' });
    expect(extra).toEqual({ status: 200, body: { instanceId: '0' } });
    expect((await w.hook.store.get('50003'))?.billingItems).toEqual({ newMarketplaceField: 'x' });
  });

  it('accepts the same parameters as a POST form', async () => {
    const params = createParams('50004');
    const { spiToken } = await import('../../../scripts/marketplace/spi-token');
    const body = new URLSearchParams({ ...params, token: spiToken(params, SPI_KEY) });
    const response = await fetch(`${w.hook.url}/spi`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await response.json()).toEqual({ instanceId: '0' });
  });

  it('signs users in with verify inside the window only, once', async () => {
    await w.spi(createParams('50005'));
    await w.settleDeployments();
    const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    const now = w.box.clock.now();
    const ok = await w.spi({ action: 'verify', instanceId: '50005', timeStamp: beijing(now - 60_000) });
    expect(ok).toMatchObject({ status: 302, location: expect.stringMatching(/AdminUrl$/) });
    const replay = await w.spi({ action: 'verify', instanceId: '50005', timeStamp: beijing(now - 60_000) });
    expect(replay.body).toMatchObject({ code: 'ReplayedRequest' });
    const stale = await w.spi({ action: 'verify', instanceId: '50005', timeStamp: beijing(now - 600_000) });
    expect(stale).toMatchObject({
      status: 403,
      body: { code: 'TimestampOutOfWindow', parameter: 'timeStamp' },
    });
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    await w.spi(createParams('50006'), 'bad');
    await w.spi(createParams('50006'));
    expect((await fetch(`${w.hook.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${w.hook.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${w.hook.url}/metrics`)).text();
    expect(metrics).toContain(
      'nestkit_spi_notifications_total{action="createInstance",result="bad_token"} 1',
    );
    expect(metrics).toContain('nestkit_spi_notifications_total{action="createInstance",result="ok"} 1');
    expect(metrics).toMatch(/nestkit_jobs\{state="pending"\} 1/);
    expect(await jobs()).toMatchObject({ pending: 1 });
  });

  it('answers every Marketplace retry of createInstance "0" until deployed, with one instance', async () => {
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00012345',
      mode: 'spi',
      spiUrl: `${w.hook.url}/spi`,
      spiKey: SPI_KEY,
    });
    const order = (
      await admin<{ orderBizId: string }>(w.box, 'POST', '/_sandbox/marketplace/orders', {
        productCode: 'cmjj00012345',
        skuId: 'yuncode5012300002',
        modules: { BackupStorage: '1' },
      })
    ).body;
    await w.box.settle();
    const delivery = async () =>
      (await admin<Notification[]>(w.box, 'GET', '/_sandbox/marketplace/notifications')).body.find(
        (n) => n.action === 'createInstance',
      )!;
    expect(await delivery()).toMatchObject({ status: 'pending', attempts: 1 });
    for (let i = 0; i < 20; i++) {
      w.box.advance(3600); // retries back off up to an hour; the worker does not run, so the answer stays "0"
      await w.box.settle();
    }
    expect(await delivery()).toMatchObject({ status: 'pending', attempts: 21 });
    await w.settleDeployments();
    w.box.advance(3600);
    await w.box.settle();
    expect(await delivery()).toMatchObject({ status: 'delivered', attempts: 22 });
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(1);
    expect((await w.hook.store.get(order.orderBizId))?.state).toBe('active');
  });

  it('stays consistent over all 120 retries when the deployment fails', async () => {
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'deployFail',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00012345',
      mode: 'spi',
      spiUrl: `${w.hook.url}/spi`,
      spiKey: SPI_KEY,
    });
    await admin(w.box, 'POST', '/_sandbox/marketplace/orders', {
      productCode: 'cmjj00012345',
      skuId: 'yuncode5012300001',
    });
    await w.box.settle();
    for (let i = 0; i < 130; i++) {
      w.box.advance(3600);
      await w.box.settle();
      if (i % 10 === 0) await w.hook.drain(); // the create is made once, however often Marketplace asks
    }
    const [notification] = (await admin<Notification[]>(w.box, 'GET', '/_sandbox/marketplace/notifications'))
      .body;
    expect(notification).toMatchObject({ action: 'createInstance', status: 'failed', attempts: 120 });
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(1);
    const [record] = await w.hook.store.list();
    expect(record).toMatchObject({ state: 'failed', failure: expect.stringContaining('deployFail') });
  });
});
