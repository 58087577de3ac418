import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Market, * as $Market from '@alicloud/market20151101';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { createLogger } from '../../../scripts/hook/logger';
import type { NotificationApi } from '../../../scripts/hook/notifications/failed-notifications';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import { signIn } from '../../../scripts/sandbox/marketplace/notifier';
import { loadServiceConfig } from '../../../service-config/load';
import type { SpiDeps } from '../../../scripts/hook/spi/handler';
import { REPO_ROOT, SAMPLE_CONFIG, sampleText } from '../../support/model';
import { admin, credential, KEY, sandbox } from '../sandbox/helpers';
import { startHook } from '../../../scripts/hook/hook';
import { SPI_KEY, hookWorld, publishSample, type HookWorld } from './support';

/**
 * Issue 12 end to end: the sandbox's Marketplace sends what the real one sends (SKU codes, optional
 * isRefund, POST, failed notifications, authUrl) and the hook accepts every documented variant.
 */
const SSO_KEY = 'an-sso-key-of-at-least-32-bytes-0123456789';
const ORDER = '/_sandbox/marketplace/orders';

type Order = { orderBizId: string; isvInstanceId?: string; appInfo?: Record<string, string> };

/** The sample service.yaml with Marketplace codes for the basic edition (a copy; the sample is shared). */
function configWithSkuCodes(dir: string): string {
  const text = sampleText().replace(
    'specificationCode: yuncode5012300001\n',
    'specificationCode: yuncode5012300001\n    marketplaceSkuCodes: [cmgj00001-basic]\n',
  );
  const file = join(dir, 'service.yaml');
  writeFileSync(file, text);
  return file;
}

/** Logs as JSON lines, to check what the hook says about an order. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

describe('hook: the SPI as the sandbox Marketplace sends it (issue 12)', () => {
  let w: HookWorld;
  let logs: ReturnType<typeof capture>;
  beforeEach(async () => {
    logs = capture();
    w = await hookWorld({ log: logs.log, ssoKey: SSO_KEY });
  });
  afterEach(() => w.close());

  const product = (productCode: string, extra: Record<string, unknown> = {}) =>
    admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode,
      mode: 'spi',
      spiUrl: `${w.hook.url}/spi`,
      spiKey: SPI_KEY,
      ...extra,
    });
  const buy = async (
    productCode: string,
    skuId = 'yuncode5012300001',
    modules: Record<string, string> = {},
  ) => {
    const { body } = await admin<Order>(w.box, 'POST', ORDER, {
      productCode,
      skuId,
      modules,
      periodSeconds: 86400 * 30,
    });
    await w.box.settle();
    return body;
  };
  /** The deployment, then the Marketplace's next createInstance retry, which gets the id. */
  const deliverCreate = async () => {
    await w.settleDeployments();
    w.box.advance(3600);
    await w.box.settle();
  };
  const order = async (id: string) => (await admin<Order>(w.box, 'GET', `${ORDER}/${id}`)).body;

  it('a real order with skuId as the product SKU code and package_version reaches active', async () => {
    await product('cmgj00001');
    const o = await buy('cmgj00001');
    await deliverCreate();
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({
      state: 'active',
      skuId: 'yuncode5012300001',
    });
    expect((await order(o.orderBizId)).isvInstanceId).toBe(o.orderBizId);
  });

  it('a real order with skuId as the specification code alone reaches active', async () => {
    await product('cmgj00002', { skuForm: 'specification' });
    const o = await buy('cmgj00002');
    await deliverCreate();
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({
      state: 'active',
      skuId: 'yuncode5012300001',
    });
  });

  it('refuses a product SKU code service.yaml does not name, logging the order and the codes tried', async () => {
    await product('cmgj00003', { packageVersion: false, skuCodes: { yuncode5012300001: 'cmgj00003-basic' } });
    const o = await buy('cmgj00003');
    expect(await w.hook.store.get(o.orderBizId)).toBeUndefined();
    const error = logs.lines.find((l) => l.level === 50 && l.instanceId === o.orderBizId);
    expect(error).toMatchObject({
      skuCodesTried: ['cmgj00003-basic'],
      msg: expect.stringMatching(/unknown SKU/),
    });
    const note = (
      await admin<{ lastResponse: string }[]>(w.box, 'GET', '/_sandbox/marketplace/notifications')
    ).body[0];
    expect(JSON.parse(note.lastResponse)).toMatchObject({ code: 'UnknownSku' });
  });

  it('upgrades by package_version when skuId is the product SKU code', async () => {
    await product('cmgj00001');
    const o = await buy('cmgj00001');
    await deliverCreate();
    await admin(w.box, 'POST', `${ORDER}/${o.orderBizId}/upgrade`, { skuId: 'yuncode5012300002' });
    await w.box.settle();
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({ skuId: 'yuncode5012300002' });
  });

  it('releases without isRefund as a release without refund', async () => {
    await product('cmgj00001');
    const o = await buy('cmgj00001');
    await deliverCreate();
    await admin(w.box, 'POST', `${ORDER}/${o.orderBizId}/release`, {});
    await w.box.settle();
    const notes = (
      await admin<{ action: string; params: Record<string, string>; status: string }[]>(
        w.box,
        'GET',
        `/_sandbox/marketplace/notifications?orderBizId=${o.orderBizId}`,
      )
    ).body;
    const release = notes.find((n) => n.action === 'releaseInstance')!;
    expect('isRefund' in release.params).toBe(false);
    expect(release.status).toBe('delivered');
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({ state: 'released' });
  });

  it('takes POST deliveries (action in the query, the rest in the form) through to active', async () => {
    await product('cmgj00004', { spiMethod: 'POST' });
    const o = await buy('cmgj00004');
    await deliverCreate();
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({ state: 'active' });
    const calls = (
      await admin<{ method: string; status: string }[]>(w.box, 'GET', '/_sandbox/marketplace/notifications')
    ).body;
    expect(calls[0]).toMatchObject({ method: 'POST', status: 'delivered' });
  });

  it('refuses a POST whose query and body disagree on a name, and accepts one that repeats it', async () => {
    const params = {
      action: 'releaseInstance',
      instanceId: '77001',
    };
    const token = spiToken(params, SPI_KEY);
    const post = (query: string, body: Record<string, string>) =>
      fetch(`${w.hook.url}/spi?${query}`, { method: 'POST', body: new URLSearchParams(body) });
    const same = await post('action=releaseInstance&instanceId=77001', { instanceId: '77001', token });
    expect(same.status).toBe(200);
    const clash = await post('action=releaseInstance&instanceId=77002', { instanceId: '77001', token });
    expect(clash.status).toBe(400);
    expect(await clash.json()).toMatchObject({ code: 'ConflictingParameter', parameter: 'instanceId' });
  });

  it('signs the buyer in from appInfo.authUrl with a token the README snippet verifies', async () => {
    await product('cmgj00001');
    const o = await buy('cmgj00001');
    await deliverCreate();
    const { appInfo } = await order(o.orderBizId);
    expect(appInfo).toMatchObject({ authUrl: `${w.hook.url}/spi`, adminUrl: expect.any(String) });
    const visit = await signIn(w.box.core, o.orderBizId);
    expect(visit.status).toBe(302);
    expect(visit.location!.startsWith(`${appInfo!.adminUrl}?nestkit_sso=`)).toBe(true);
    const token = new URL(visit.location!).searchParams.get('nestkit_sso')!;
    const nestkitSignIn = readmeSnippet();
    const claims = nestkitSignIn(token, SSO_KEY, w.box.clock.now());
    expect(claims).toMatchObject({
      iss: 'nestkit-hook',
      sub: '1234567890123456',
      order: o.orderBizId,
      exp: Math.floor(w.box.clock.now() / 1000) + 60,
    });
    expect(nestkitSignIn(token, SSO_KEY, w.box.clock.now() + 61_000)).toBeNull();
    expect(nestkitSignIn(token, 'another-key-of-at-least-32-bytes-0000000', w.box.clock.now())).toBeNull();
    expect(nestkitSignIn(token.replace(/\.[^.]+$/, '.AAAA'), SSO_KEY, w.box.clock.now())).toBeNull();
  });

  it('uses ecsInstanceId on renew and release as the instance id, never a billing item', async () => {
    await product('cmgj00001');
    const o = await buy('cmgj00001', 'yuncode5012300001', { BackupStorage: '1' });
    await deliverCreate();
    const record = (await w.hook.store.get(o.orderBizId))!;
    const si = record.serviceInstanceId!;
    expect(
      await w.spi({
        action: 'renewInstance',
        instanceId: o.orderBizId,
        orderId: 'r1',
        expiredOn: '2026-06-01 08:00:00',
        ecsInstanceId: si,
      }),
    ).toEqual({ status: 200, body: { success: true } });
    expect(
      await w.spi({
        action: 'upgradeInstance',
        instanceId: o.orderBizId,
        orderId: 'u1',
        skuId: 'yuncode5012300001',
        ecsInstanceId: si,
        BackupStorage: '1',
      }),
    ).toEqual({ status: 200, body: { success: true } });
    expect((await w.hook.store.get(o.orderBizId))!.billingItems).toEqual({ BackupStorage: '1' });
    expect(
      await w.spi({ action: 'releaseInstance', instanceId: o.orderBizId, ecsInstanceId: 'si-someone-else' }),
    ).toEqual({
      status: 200,
      body: { success: true },
    });
    expect(logs.lines.find((l) => l.ecsInstanceId === 'si-someone-else')).toMatchObject({
      serviceInstanceId: si,
    });
  });
});

describe('hook: the SSO key', () => {
  it('refuses to start with an NESTKIT_SSO_KEY shorter than 32 bytes', async () => {
    const box = await sandbox();
    try {
      await publishSample(box);
      await expect(
        startHook({
          configPath: SAMPLE_CONFIG,
          dbPath: join(mkdtempSync(join(tmpdir(), 'nestkit-sso-')), 'nestkit.db'),
          port: 0,
          spiKey: SPI_KEY,
          ssoKey: 'too-short',
          endpoint: box.url,
          credential: credential(),
          intervals: { workerMs: 0, teardownMs: 0, reconcileMs: 0 },
          log: createLogger({ level: 'silent' }),
        }),
      ).rejects.toMatchObject({ code: 'InvalidSsoKey', message: expect.stringMatching(/at least 32/) });
    } finally {
      await box.close();
    }
  });
});

describe('hook: Marketplace SKU codes named in service.yaml (issue 12)', () => {
  let w: HookWorld;
  beforeEach(async () => {
    const world = await hookWorld({
      configPath: configWithSkuCodes(mkdtempSync(join(tmpdir(), 'nestkit-sku-'))),
    });
    w = world;
  });
  afterEach(() => w.close());

  it('a real order with skuId as a product SKU code only (no package_version) reaches active', async () => {
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmgj00001',
      mode: 'spi',
      spiUrl: `${w.hook.url}/spi`,
      spiKey: SPI_KEY,
      packageVersion: false,
      skuCodes: { yuncode5012300001: 'cmgj00001-basic' },
    });
    const { body: o } = await admin<Order>(w.box, 'POST', ORDER, {
      productCode: 'cmgj00001',
      skuId: 'yuncode5012300001',
    });
    await w.box.settle();
    await w.settleDeployments();
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({
      state: 'active',
      skuId: 'yuncode5012300001',
    });
    const notes = (
      await admin<{ params: Record<string, string> }[]>(w.box, 'GET', '/_sandbox/marketplace/notifications')
    ).body;
    expect(notes[0].params).toMatchObject({ skuId: 'cmgj00001-basic' });
    expect(notes[0].params.package_version).toBeUndefined();
  });
});

describe('hook: failed notifications as a reconciliation source (issue 12)', () => {
  let w: HookWorld;
  beforeEach(async () => {
    w = await hookWorld();
  });
  afterEach(() => w.close());

  /** The official client, as the pass's two Market calls. */
  const official = (): NotificationApi => {
    const client = new Market(
      new $OpenApiUtil.Config({
        ...KEY,
        endpoint: new URL(w.box.url).host,
        protocol: 'http',
        regionId: 'cn-hangzhou',
      }),
    );
    return {
      describeFailedNotifications: async (r) =>
        (
          await client.describeFailedNotifications(
            new $Market.DescribeFailedNotificationsRequest({
              pageNumber: r.PageNumber,
              pageSize: r.PageSize,
            }),
          )
        ).body!.toMap() as never,
      confirmNotification: async (r) =>
        (
          await client.confirmNotification(
            new $Market.ConfirmNotificationRequest({ notificationRequestId: r.NotificationRequestId }),
          )
        ).body!.toMap() as never,
    };
  };
  const failed = async () =>
    (await admin<{ status: string; action: string }[]>(w.box, 'GET', '/_sandbox/marketplace/notifications'))
      .body;

  it('applies each missed notification once, confirming it only after the commit', async () => {
    // The Marketplace cannot reach the hook: every notification fails.
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmgj00001',
      mode: 'spi',
      spiUrl: 'http://127.0.0.1:1/spi',
      spiKey: SPI_KEY,
    });
    const { body: o } = await admin<Order>(w.box, 'POST', ORDER, {
      productCode: 'cmgj00001',
      skuId: 'yuncode5012300001',
    });
    await w.box.settle();
    const first = await w.hook.reconcilePass();
    expect(first.missedNotifications).toMatchObject({ listed: 1, applied: 1, confirmed: 0, left: 1 });
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({ state: 'provisioning' });
    await w.settleDeployments();
    // The create is final now (deployed): confirmed, not applied again.
    const second = await w.hook.reconcilePass();
    expect(second.missedNotifications).toMatchObject({
      listed: 1,
      applied: 0,
      alreadyApplied: 1,
      confirmed: 1,
    });
    expect(await w.hook.store.get(o.orderBizId)).toMatchObject({ state: 'active' });
    expect((await failed())[0].status).toBe('confirmed');

    // A renewal, confirmed through the official client; its confirmation is lost once (a 5xx).
    await admin(w.box, 'POST', `${ORDER}/${o.orderBizId}/renew`, { periodSeconds: 86400 });
    await w.box.settle();
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'error',
      action: 'ConfirmNotification',
      share: 1,
      count: 1,
    });
    const { failedNotificationPass } =
      await import('../../../scripts/hook/notifications/failed-notifications');
    const spiDeps = await spiDepsOf(w);
    const lost = await failedNotificationPass(official(), spiDeps);
    expect(lost).toMatchObject({ listed: 1, applied: 1, confirmed: 0, left: 1 });
    const again = await failedNotificationPass(official(), spiDeps);
    expect(again).toMatchObject({ listed: 1, applied: 0, alreadyApplied: 1, confirmed: 1 });
    expect(await failedNotificationPass(official(), spiDeps)).toMatchObject({ listed: 0 });
    const renewals = (await events(w, o.orderBizId)).filter((type) => type === 'renew');
    expect(renewals).toHaveLength(1);
    expect((await failed()).map((n) => n.status)).toEqual(['confirmed', 'confirmed']);
  });
});

/** SPI dependencies over the running hook's store, as hook.ts gives them to the pass. */
async function spiDepsOf(w: HookWorld): Promise<SpiDeps> {
  const model = loadServiceConfig(SAMPLE_CONFIG);
  return {
    store: w.hook.store,
    model,
    policy: model.lifecycle,
    key: SPI_KEY,
    now: () => new Date(w.box.clock.now()),
    log: createLogger({ level: 'silent' }),
    metrics: w.hook.metrics,
    ssoWindowMs: 300_000,
    passwordSecret: await w.hook.store.instanceSecret(),
  };
}

async function events(w: HookWorld, id: string): Promise<string[]> {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(join(w.dir, 'nestkit.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT type FROM events WHERE instance_id = ? ORDER BY seq').all(id) as { type: string }[]
    ).map((r) => r.type);
  } finally {
    db.close();
  }
}

/** The README's sign-in snippet, evaluated as the ISV's application would run it. */
function readmeSnippet(): (token: string, key: string, now: number) => Record<string, unknown> | null {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /<!-- sso-snippet:start -->\s*```js\n([\s\S]*?)```/.exec(readme)![1];
  const factory = new Function('require', `${block}\nreturn nestkitSignIn;`);
  return factory(require) as never;
}
