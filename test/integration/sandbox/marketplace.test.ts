import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spiTokenValid, type Sandbox } from '../../../scripts/sandbox';
import { admin, CUSTOMER, publishService, sandbox, settleDeployments, supplier, user } from './helpers';

const ISV_KEY = 'demo-isv-secret-123';

/** A stand-in ISV endpoint: records each GET, checks its token, answers what the test scripts. */
class Receiver {
  readonly seen: Record<string, string>[] = [];
  answer: (params: Record<string, string>) => { status: number; body: unknown } = (p) => ({
    status: 200,
    body: p.action === 'createInstance' ? { instanceId: `isv-${p.orderBizId}` } : { success: true },
  });
  private server = http.createServer((req, res) => {
    const params = Object.fromEntries(new URL(req.url!, 'http://x').searchParams);
    this.seen.push(params);
    const { status, body } = this.answer(params);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
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
      skuId: 'yuncode5012300001',
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
      skuId: 'yuncode5012300002',
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
