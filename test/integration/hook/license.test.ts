import { admin, credential, CUSTOMER, RAM_USER } from '../sandbox/helpers';
import { hookWorld, type HookWorld } from './support';
import type { HookOptions } from '../../../scripts/hook/hook';

const TOKEN = 'website-backend-token-1';
const DAY = 86400;

/** A hook world with a licence-mode product `cmjj-lic` (options: the sandbox's licence product options). */
function licenceWorld(product: Record<string, unknown> = {}, hook: Partial<HookOptions> = {}) {
  let w: HookWorld;
  beforeEach(async () => {
    w = await hookWorld({ licenseToken: TOKEN, ...hook });
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj-lic',
      mode: 'license',
      ...product,
    });
  });
  afterEach(async () => {
    await w?.close();
  });

  const buy = async (
    skuId = 'yuncode5012300002',
    modules: Record<string, string> = { BackupStorage: '1' },
    productCode = 'cmjj-lic',
  ) =>
    (
      await admin<{ orderBizId: string; licenseCode: string }>(
        w.box,
        'POST',
        '/_sandbox/marketplace/orders',
        { productCode, skuId, modules, periodSeconds: 30 * DAY },
      )
    ).body;
  const activate = async (body: unknown, token = TOKEN) => {
    const response = await fetch(`${w.hook.url}/license/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { world: () => w, buy, activate };
}

describe('hook: licence mode', () => {
  const { world, buy, activate } = licenceWorld();
  let w: HookWorld;
  beforeEach(() => {
    w = world();
  });
  it('activates a licence, provisions its edition, and answers the same instance again', async () => {
    const order = await buy();
    const first = await activate({ licenseCode: order.licenseCode, identification: '1234567890123456' });
    expect(first).toEqual({
      status: 200,
      body: { success: true, instanceId: order.orderBizId, status: 'provisioning' },
    });
    await w.settleDeployments();
    const record = (await w.hook.store.get(order.orderBizId))!;
    expect(record).toMatchObject({
      source: 'license',
      state: 'active',
      licenseCode: order.licenseCode,
      billingItems: { BackupStorage: '1' },
    });
    const instance = await w.api.getServiceInstance({ ServiceInstanceId: record.serviceInstanceId! });
    expect(instance.PredefinedParameterName).toBe('advanced');
    const again = await activate({ licenseCode: order.licenseCode });
    expect(again.body).toMatchObject({
      success: true,
      instanceId: order.orderBizId,
      status: 'active',
      appInfo: { username: 'admin' },
    });
    expect(w.box.core.calls.list('ActivateLicense')).toHaveLength(1);
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(1);
  });

  it('gives concurrent activations of one code one instance', async () => {
    const order = await buy();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => activate({ licenseCode: order.licenseCode })),
    );
    expect(new Set(answers.map((a) => a.body.instanceId))).toEqual(new Set([order.orderBizId]));
    await w.hook.drain();
    expect(w.box.core.calls.list('ActivateLicense')).toHaveLength(1);
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(1);
  });

  it("refuses expired, discarded, unknown, another ISV's and unmapped licences, provisioning nothing", async () => {
    const lapsed = await buy();
    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${lapsed.orderBizId}/expire`);
    expect(await activate({ licenseCode: lapsed.licenseCode })).toMatchObject({
      status: 410,
      body: { code: 'LicenseExpired' },
    });
    const gone = await buy();
    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${gone.orderBizId}/release`, { isRefund: true });
    expect(await activate({ licenseCode: gone.licenseCode })).toMatchObject({
      status: 410,
      body: { code: 'LicenseDiscarded' },
    });
    expect(await activate({ licenseCode: 'LIC-NOSUCHCODE0000' })).toMatchObject({
      status: 404,
      body: { code: 'LicenseNotFound' },
    });
    const foreign = await buy('yuncode7777777777');
    expect(await activate({ licenseCode: foreign.licenseCode })).toMatchObject({
      status: 422,
      body: { code: 'UnknownSku' },
    });
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj-other-isv',
      mode: 'license',
      supplierAccountId: CUSTOMER.accountId,
    });
    const otherIsv = await buy('yuncode5012300001', {}, 'cmjj-other-isv');
    expect(await activate({ licenseCode: otherIsv.licenseCode })).toMatchObject({
      status: 403,
      body: { code: 'LicenseOfAnotherSupplier' },
    });
    expect(await activate({ licenseCode: 'bad code!' })).toMatchObject({
      status: 400,
      body: { code: 'InvalidLicenseCode' },
    });
    expect(await w.hook.store.list()).toEqual([]);
    expect(w.box.core.calls.list('ActivateLicense')).toHaveLength(0);
    await w.hook.drain();
    expect(w.box.core.calls.list('CreateServiceInstance')).toHaveLength(0);
  });

  it('requires the website back end token', async () => {
    const order = await buy();
    expect(await activate({ licenseCode: order.licenseCode }, 'wrong-token-xx')).toMatchObject({
      status: 401,
      body: { code: 'Unauthorized' },
    });
    expect(await w.hook.store.list()).toEqual([]);
  });

  it('learns a renewal from the licence, then tears down after expiry and the retention', async () => {
    const order = await buy('yuncode5012300001', {});
    await activate({ licenseCode: order.licenseCode });
    await w.settleDeployments();
    const si = (await w.hook.store.get(order.orderBizId))!.serviceInstanceId!;
    const before = (await w.hook.store.get(order.orderBizId))!.expiresAt!;

    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/renew`, {
      periodSeconds: 60 * DAY,
    });
    expect((await w.hook.reconcilePass()).licenceEvents).toBe(1);
    await w.hook.drain();
    const renewed = (await w.hook.store.get(order.orderBizId))!;
    expect(Date.parse(renewed.expiresAt!)).toBeGreaterThan(Date.parse(before));
    expect((await w.api.getServiceInstance({ ServiceInstanceId: si })).EndTime).toBe(
      renewed.expiresAt!.replace('.000Z', 'Z'),
    );

    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/expire`);
    await w.hook.reconcilePass();
    await w.hook.drain();
    expect(await w.hook.store.get(order.orderBizId)).toMatchObject({ state: 'expired', stopped: true });
    w.box.advance(7 * DAY + 60);
    await w.hook.reconcilePass();
    expect((await w.settleTeardowns()).started).toBe(1);
    expect(await w.hook.store.get(order.orderBizId)).toMatchObject({
      state: 'deleted',
      deletedOutside: false,
    });
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(1);
  });
});

describe('hook: licence mode when the Marketplace tells a lapse as an error', () => {
  const { world, buy, activate } = licenceWorld({ licenseLapseAs: 'error' });

  it('refuses an expired or discarded code told as License.Expired / License.Discard', async () => {
    const w = world();
    const lapsed = await buy();
    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${lapsed.orderBizId}/expire`);
    expect(await activate({ licenseCode: lapsed.licenseCode })).toMatchObject({
      status: 410,
      body: { code: 'LicenseExpired' },
    });
    const gone = await buy();
    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${gone.orderBizId}/release`, { isRefund: true });
    expect(await activate({ licenseCode: gone.licenseCode })).toMatchObject({
      status: 410,
      body: { code: 'LicenseDiscarded' },
    });
    expect(await w.hook.store.list()).toEqual([]);
  });

  it('stops a live order whose licence reads License.Expired, and tears it down once License.Discard', async () => {
    const w = world();
    const order = await buy('yuncode5012300001', {});
    await activate({ licenseCode: order.licenseCode });
    await w.settleDeployments();
    expect(await w.hook.store.get(order.orderBizId)).toMatchObject({ state: 'active' });

    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/expire`);
    expect((await w.hook.reconcilePass()).licenceEvents).toBe(1);
    await w.hook.drain();
    expect(await w.hook.store.get(order.orderBizId)).toMatchObject({ state: 'expired', stopped: true });

    await admin(w.box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/release`, {
      isRefund: true,
    });
    await w.hook.reconcilePass();
    expect(await w.hook.store.get(order.orderBizId)).toMatchObject({ state: 'released' });
    w.box.advance(7 * DAY + 60);
    expect((await w.settleTeardowns()).started).toBe(1);
    expect(await w.hook.store.get(order.orderBizId)).toMatchObject({ state: 'deleted' });
    expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(1);
  });
});

describe('hook: licence calls that refuse a RAM user', () => {
  describe('with the RAM user for the Market calls too', () => {
    const { world, buy, activate } = licenceWorld({}, { marketCredential: credential(RAM_USER) });

    it('tells the operator to set the account AccessKey, and provisions nothing', async () => {
      const w = world();
      const order = await buy();
      const answer = await activate({ licenseCode: order.licenseCode });
      expect(answer).toMatchObject({ status: 503, body: { code: 'MarketCredentialRefused' } });
      expect(answer.body.message).toContain('Auth.SubAccount.Error');
      expect(answer.body.message).toContain('NESTKIT_MARKET_ACCESS_KEY_ID');
      expect(answer.body.message).not.toContain(RAM_USER.accessKeySecret);
      expect(await w.hook.store.list()).toEqual([]);
    });
  });

  describe('with the RAM user for Compute Nest and the account key for the Market calls', () => {
    const { world, buy, activate } = licenceWorld(
      {},
      { credential: credential(RAM_USER), marketCredential: credential() },
    );

    it('activates with the separate Market credential', async () => {
      const w = world();
      const order = await buy();
      expect(await activate({ licenseCode: order.licenseCode })).toMatchObject({
        status: 200,
        body: { success: true, instanceId: order.orderBizId },
      });
      expect(w.box.core.calls.list('ActivateLicense')).toHaveLength(1);
    });
  });
});
