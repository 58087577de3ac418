import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Market, * as $Market from '@alicloud/market20151101';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { spiTokenValid, type Sandbox } from '../../../scripts/sandbox';
import { admin, CUSTOMER, KEY, publishService, sandbox, settleDeployments, supplier, user } from './helpers';

const ISV_KEY = 'demo-isv-secret-123';

/**
 * A stand-in ISV endpoint: records each GET or POST (query and form merged), answers what the test
 * scripts; `hold` keeps requests unanswered (a notification in flight).
 */
class Receiver {
  readonly seen: Record<string, string>[] = [];
  readonly methods: string[] = [];
  readonly queries: Record<string, string>[] = [];
  hold = false;
  answer: (params: Record<string, string>) => { status: number; body: unknown } = (p) => ({
    status: 200,
    body: p.action === 'createInstance' ? { instanceId: `isv-${p.orderBizId}` } : { success: true },
  });
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const query = Object.fromEntries(new URL(req.url!, 'http://x').searchParams);
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const params = { ...form, ...query };
      this.seen.push(params);
      this.methods.push(req.method!);
      this.queries.push(query);
      if (this.hold) return;
      const { status, body } = this.answer(params);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/spi`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

type Order = { orderBizId: string; status: string; isvInstanceId?: string; serviceInstanceId?: string };
type Notification = { action: string; status: string; attempts: number };

describe('Marketplace simulation, SPI mode', () => {
  let box: Sandbox;
  let receiver: Receiver;
  beforeEach(async () => {
    box = await sandbox();
    receiver = new Receiver();
    const spiUrl = await receiver.start();
    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00012345',
      mode: 'spi',
      spiUrl,
      spiKey: ISV_KEY,
    });
  });
  afterEach(async () => {
    await box.close();
    await receiver.stop();
  });

  const buy = async () => {
    const { body } = await admin<Order>(box, 'POST', '/_sandbox/marketplace/orders', {
      productCode: 'cmjj00012345',
      skuId: 'yuncode5012300001',
      modules: { Count: 2, Num: 3 },
      periodSeconds: 86400,
    });
    await box.settle();
    return body;
  };

  it('sends a signed createInstance GET with the real parameters and extra billing items', async () => {
    const order = await buy();
    expect(receiver.seen).toHaveLength(1);
    const params = receiver.seen[0];
    expect(params).toMatchObject({
      action: 'createInstance',
      aliUid: '1234567890123456',
      orderBizId: order.orderBizId,
      productCode: 'cmjj00012345',
      // As the Marketplace sends it: the product's SKU code, the specification code as package_version.
      skuId: 'cmjj00012345-prepay',
      package_version: 'yuncode5012300001',
      trial: 'false',
      expiredOn: '2026-01-02 08:00:00',
      Count: '2',
      Num: '3',
    });
    expect(params.orderId).toMatch(/^\d+$/);
    expect(spiTokenValid(params, ISV_KEY)).toBe(true);
    expect(spiTokenValid(params, 'wrong-key')).toBe(false);
    expect(
      (await admin<Order>(box, 'GET', `/_sandbox/marketplace/orders/${order.orderBizId}`)).body.isvInstanceId,
    ).toBe(`isv-${order.orderBizId}`);
  });

  it('retries on the virtual clock until the ISV answers a non-zero instanceId', async () => {
    let calls = 0;
    receiver.answer = (p) =>
      ++calls < 3
        ? { status: 200, body: { instanceId: '0' } }
        : { status: 200, body: { instanceId: `isv-${p.orderBizId}` } };
    await buy();
    expect(receiver.seen).toHaveLength(1);
    box.advance(9);
    await box.settle();
    expect(receiver.seen).toHaveLength(1);
    box.advance(1);
    await box.settle();
    expect(receiver.seen).toHaveLength(2);
    box.advance(20);
    await box.settle();
    expect(receiver.seen).toHaveLength(3);
    const notes = (await admin<Notification[]>(box, 'GET', '/_sandbox/marketplace/notifications')).body;
    expect(notes[0]).toMatchObject({ action: 'createInstance', status: 'delivered', attempts: 3 });
  });

  it('gives up after 120 attempts', async () => {
    receiver.answer = () => ({ status: 500, body: { error: 'down' } });
    await buy();
    for (let i = 0; i < 130; i++) {
      box.advance(3600);
      await box.settle();
    }
    expect(receiver.seen.filter((p) => p.action === 'createInstance')).toHaveLength(120);
    const notes = (await admin<Notification[]>(box, 'GET', '/_sandbox/marketplace/notifications')).body;
    expect(notes[0]).toMatchObject({ status: 'failed', attempts: 120 });
  });

  it('sends renew, upgrade, expired and release with the ISV instance id', async () => {
    const order = await buy();
    const id = `isv-${order.orderBizId}`;
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/renew`, {
      periodSeconds: 86400,
    });
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/upgrade`, {
      skuId: 'yuncode5012300002',
      modules: { Count: 4 },
    });
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/expire`);
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/release`, { isRefund: false });
    await box.settle();
    const [, renew, upgrade, expired, release] = receiver.seen;
    expect(renew).toMatchObject({
      action: 'renewInstance',
      instanceId: id,
      expiredOn: '2026-01-03 08:00:00',
    });
    expect(upgrade).toMatchObject({
      action: 'upgradeInstance',
      instanceId: id,
      skuId: 'cmjj00012345-prepay',
      package_version: 'yuncode5012300002',
      Count: '4',
      Num: '3',
    });
    expect(expired).toMatchObject({ action: 'expiredInstance', instanceId: id });
    expect(release).toMatchObject({ action: 'releaseInstance', instanceId: id, isRefund: 'false' });
    expect(receiver.seen.every((p) => spiTokenValid(p, ISV_KEY))).toBe(true);
    expect(
      (await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/renew`, {})).status,
    ).toBe(409);
  });

  it('sends the SKU in the form the product is set up with', async () => {
    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmgj00001',
      mode: 'spi',
      spiUrl: (await admin<{ spiUrl: string }[]>(box, 'GET', '/_sandbox/marketplace/products')).body[0]
        .spiUrl,
      spiKey: ISV_KEY,
      skuCodes: { yuncode5012300001: 'cmgj00001-prepay' },
      packageVersion: false,
    });
    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmgj00002',
      mode: 'spi',
      spiUrl: 'http://127.0.0.1:1/spi',
      spiKey: ISV_KEY,
      skuForm: 'specification',
    });
    await admin(box, 'POST', '/_sandbox/marketplace/orders', {
      productCode: 'cmgj00001',
      skuId: 'yuncode5012300001',
    });
    await admin(box, 'POST', '/_sandbox/marketplace/orders', {
      productCode: 'cmgj00002',
      skuId: 'yuncode5012300001',
    });
    await box.settle();
    expect(receiver.seen[0]).toMatchObject({ skuId: 'cmgj00001-prepay' });
    expect(receiver.seen[0].package_version).toBeUndefined();
    const notes = (
      await admin<{ params: Record<string, string> }[]>(box, 'GET', '/_sandbox/marketplace/notifications')
    ).body;
    expect(notes[1].params.skuId).toBe('yuncode5012300001');
    expect(notes[1].params.package_version).toBeUndefined();
    expect(
      (
        await admin(box, 'POST', '/_sandbox/marketplace/products', {
          productCode: 'x',
          mode: 'spi',
          spiUrl: 'http://x',
          spiKey: 'k',
          skuForm: 'weird',
        })
      ).status,
    ).toBe(400);
  });

  it('omits isRefund when the release names none, and on the automatic release after an expiry', async () => {
    const order = await buy();
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/release`, {});
    const second = await buy();
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${second.orderBizId}/release`, { isRefund: true });
    await box.settle();
    const releases = receiver.seen.filter((p) => p.action === 'releaseInstance');
    expect(releases).toHaveLength(2);
    expect('isRefund' in releases[0]).toBe(false);
    expect(releases[1].isRefund).toBe('true');
    expect(releases.every((p) => spiTokenValid(p, ISV_KEY))).toBe(true);
    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00012345',
      mode: 'spi',
      spiUrl: (await admin<{ spiUrl: string }[]>(box, 'GET', '/_sandbox/marketplace/products')).body[0]
        .spiUrl,
      spiKey: ISV_KEY,
      releaseAfterExpirySeconds: 60,
    });
    const third = await buy();
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${third.orderBizId}/expire`);
    box.advance(60);
    await box.settle();
    const automatic = receiver.seen.filter((p) => p.action === 'releaseInstance')[2];
    expect(automatic).toMatchObject({ instanceId: `isv-${third.orderBizId}` });
    expect('isRefund' in automatic).toBe(false);
  });

  it('delivers by POST: action in the query, the rest and the token as a form body', async () => {
    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00012345',
      mode: 'spi',
      spiUrl: (await admin<{ spiUrl: string }[]>(box, 'GET', '/_sandbox/marketplace/products')).body[0]
        .spiUrl,
      spiKey: ISV_KEY,
      spiMethod: 'POST',
    });
    await buy();
    expect(receiver.methods).toEqual(['POST']);
    expect(receiver.queries[0]).toEqual({ action: 'createInstance' });
    expect(spiTokenValid(receiver.seen[0], ISV_KEY)).toBe(true);
  });

  it('lists failed notifications and stops sending one once confirmed (official Market client)', async () => {
    receiver.answer = () => ({ status: 500, body: { error: 'down' } });
    const order = await buy();
    const official = new Market(
      new $OpenApiUtil.Config({
        ...KEY,
        endpoint: new URL(box.url).host,
        protocol: 'http',
        regionId: 'cn-hangzhou',
      }),
    );
    const listed = await official.describeFailedNotifications(
      new $Market.DescribeFailedNotificationsRequest({ pageNumber: 1, pageSize: 10 }),
    );
    expect(listed.body?.totalCount).toBe(1);
    const item = listed.body!.notificationList![0];
    expect(item.action).toBe('createInstance');
    expect(typeof item.createTime).toBe('number');
    const message = JSON.parse(item.message!) as Record<string, string>;
    expect(message).toMatchObject({ action: 'createInstance', orderBizId: order.orderBizId });
    expect(spiTokenValid(message, ISV_KEY)).toBe(true);
    const confirmed = await official.confirmNotification(
      new $Market.ConfirmNotificationRequest({ notificationRequestId: item.notificationRequestId }),
    );
    expect(confirmed.body?.success).toBe(true);
    box.advance(3600);
    await box.settle();
    expect(receiver.seen).toHaveLength(1);
    const after = await official.describeFailedNotifications(
      new $Market.DescribeFailedNotificationsRequest({ pageNumber: 1, pageSize: 10 }),
    );
    expect(after.body?.totalCount).toBe(0);
    await expect(
      official.confirmNotification(
        new $Market.ConfirmNotificationRequest({ notificationRequestId: 'n-nope' }),
      ),
    ).rejects.toMatchObject({ code: 'EntityNotExist.Notification' });
    await expect(
      official.describeFailedNotifications(new $Market.DescribeFailedNotificationsRequest({ pageNumber: 1 })),
    ).rejects.toMatchObject({ code: expect.stringMatching(/Missing/) });
  });

  it('expires an order by itself at the end of its period', async () => {
    await buy();
    box.advance(86400);
    await box.settle();
    expect(receiver.seen.map((p) => p.action)).toEqual(['createInstance', 'expiredInstance']);
  });
});

describe('Marketplace simulation, Compute Nest mode', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(() => box.close());

  it('creates, expires and releases service instances for orders', async () => {
    const api = supplier(box);
    const { serviceId } = await publishService(box, api);
    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00099999',
      mode: 'computenest',
      serviceId,
    });
    const order = (
      await admin<Order>(box, 'POST', '/_sandbox/marketplace/orders', {
        productCode: 'cmjj00099999',
        skuId: 'yuncode5012300001',
        modules: { DiskSize: 100 },
        aliUid: CUSTOMER.accountId,
        periodSeconds: 86400,
      })
    ).body;
    expect(order.serviceInstanceId).toMatch(/^si-/);
    const customer = user(box);
    const seen = await customer.getServiceInstance({ MarketInstanceId: order.orderBizId });
    expect(seen).toMatchObject({
      ServiceInstanceId: order.serviceInstanceId,
      Source: 'Market',
      MarketInstanceId: order.orderBizId,
      BizStatus: 'Normal',
    });
    expect(JSON.parse(seen.Components!)).toEqual({ package_version: 'yuncode5012300001', DiskSize: '100' });
    // The module became a template parameter, the SKU a plan; the customer's password is missing, so
    // the deployment fails with the reason, exactly as a real order with a bad mapping would.
    settleDeployments(box);
    const deployed = await api.getServiceInstance({ ServiceInstanceId: order.serviceInstanceId! });
    expect(JSON.parse(deployed.Parameters!)).toEqual({ DiskSize: '100' });
    expect(deployed.StatusDetail).toMatch(/AdminPassword is required/);
    box.advance(86400);
    expect((await api.getServiceInstance({ ServiceInstanceId: order.serviceInstanceId! })).BizStatus).toBe(
      'Expired',
    );
    expect(
      (await admin<Order>(box, 'GET', `/_sandbox/marketplace/orders/${order.orderBizId}`)).body.status,
    ).toBe('expired');
    await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/release`, {});
    settleDeployments(box);
    expect((await api.getServiceInstance({ ServiceInstanceId: order.serviceInstanceId! })).Status).toBe(
      'Deleted',
    );
  });
});

describe('Marketplace simulation: a notification in flight survives a kill of the sandbox', () => {
  it('is in the state file before the call leaves and is sent again after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-market-'));
    const statePath = join(dir, 'state.json');
    const receiver = new Receiver();
    const spiUrl = await receiver.start();
    receiver.hold = true;
    const box = await sandbox({ statePath, spiTimeoutMs: 300 });
    try {
      await admin(box, 'POST', '/_sandbox/marketplace/products', {
        productCode: 'cmjj00012345',
        mode: 'spi',
        spiUrl,
        spiKey: ISV_KEY,
      });
      await admin(box, 'POST', '/_sandbox/marketplace/orders', {
        productCode: 'cmjj00012345',
        skuId: 'yuncode5012300001',
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.seen).toHaveLength(1);
      // What a kill leaves behind: the state file as it is while the call is out.
      copyFileSync(statePath, join(dir, 'killed.json'));
    } finally {
      receiver.hold = false;
      await box.close().catch(() => undefined);
    }
    const restarted = await sandbox({ statePath: join(dir, 'killed.json') });
    try {
      restarted.advance(3600);
      await restarted.settle();
      expect(receiver.seen.length).toBeGreaterThanOrEqual(2);
      const notes = (await admin<Notification[]>(restarted, 'GET', '/_sandbox/marketplace/notifications'))
        .body;
      expect(notes[0]).toMatchObject({ action: 'createInstance', status: 'delivered', attempts: 2 });
    } finally {
      await restarted.close();
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
