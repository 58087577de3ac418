import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudClientOptions } from '../../../scripts/cloud/client';
import { createMarketApi, type MarketApi } from '../../../scripts/cloud/market';
import { licenseAttributes, type MarketLicense } from '../../../scripts/cloud/market-types';
import type { Sandbox } from '../../../scripts/sandbox';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import Market, * as $Market from '@alicloud/market20151101';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { admin, credential, CUSTOMER, expectCloudError, KEY, RAM_USER, sandbox } from './helpers';

const PRODUCT = 'cmjj00077777';
const SKU = 'yuncode5012300001';
const SKU_2 = 'yuncode5012300002';
/** The account of the sandbox key, which owns licence-mode products by default. */
const KEY_ACCOUNT = '1000000000000001';

type Order = { orderBizId: string; orderIds: string[]; licenseCode?: string; aliUid: string };
type Call = { action: string; version: string; status: number; code?: string };

function market(box: Sandbox, overrides: Partial<Omit<CloudClientOptions, 'product'>> = {}): MarketApi {
  return createMarketApi({
    endpoint: box.url,
    credential: credential(KEY),
    retry: { sleep: async () => undefined },
    ...overrides,
  });
}

async function registerLicenseProduct(box: Sandbox, extra: Record<string, unknown> = {}) {
  const answer = await admin(box, 'POST', '/_sandbox/marketplace/products', {
    productCode: PRODUCT,
    mode: 'license',
    productName: 'Demo SaaS',
    supplierName: 'Demo ISV',
    ...extra,
  });
  expect(answer.status).toBe(200);
}

async function buy(
  box: Sandbox,
  extra: Record<string, unknown> = {},
): Promise<Order & { licenseCode: string }> {
  const { status, body } = await admin<Order>(box, 'POST', '/_sandbox/marketplace/orders', {
    productCode: PRODUCT,
    skuId: SKU,
    modules: { Count: 2, Num: 3 },
    periodSeconds: 86400,
    ...extra,
  });
  expect(status).toBe(200);
  expect(body.licenseCode).toMatch(/^LIC-[0-9A-F]{20}$/);
  return body as Order & { licenseCode: string };
}

async function orderAction(box: Sandbox, order: Order, action: string, body: unknown = {}) {
  const answer = await admin(box, 'POST', `/_sandbox/marketplace/orders/${order.orderBizId}/${action}`, body);
  expect(answer.status).toBe(200);
}

async function calls(box: Sandbox, action: string): Promise<Call[]> {
  return (await admin<Call[]>(box, 'GET', `/_sandbox/calls?action=${action}`)).body;
}

describe('Marketplace licence API (Market 2015-11-01) through the official client', () => {
  let box: Sandbox;
  let api: MarketApi;
  beforeEach(async () => {
    box = await sandbox();
    api = market(box);
    await registerLicenseProduct(box);
  });
  afterEach(() => box.close());

  const describeLicense = async (code: string): Promise<MarketLicense> => {
    const { License } = await api.describeLicense({ LicenseCode: code });
    if (!License) throw new Error(`DescribeLicense answered no License for ${code}`);
    return License;
  };

  it('issues an INACTIVATED licence at purchase carrying the SKU, order ids, buyer, expiry and items', async () => {
    const order = await buy(box);
    const answer = await api.describeLicense({ LicenseCode: order.licenseCode });
    expect(answer.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(answer.License).toEqual({
      LicenseCode: order.licenseCode,
      LicenseStatus: 'INACTIVATED',
      InstanceId: order.orderBizId,
      CreateTime: '2026-01-01 08:00:00',
      ExpiredTime: '2026-01-02 08:00:00',
      ProductCode: PRODUCT,
      ProductName: 'Demo SaaS',
      ProductSkuId: SKU,
      SupplierName: 'Demo ISV',
      ExtendArray: {
        LicenseAttribute: [
          { Code: 'package_version', Value: SKU },
          { Code: 'orderBizId', Value: order.orderBizId },
          { Code: 'orderId', Value: order.orderIds[0] },
          { Code: 'aliUid', Value: order.aliUid },
          { Code: 'expiresTime', Value: '2026-01-02 08:00:00' },
          { Code: 'Count', Value: '2' },
          { Code: 'Num', Value: '3' },
        ],
      },
      ExtendInfo: { AliUid: Number(order.aliUid) },
    });
    expect(answer.License).not.toHaveProperty('ActivateTime');
  });

  it('activates once, repeats idempotently with the same or no Identification, refuses another one', async () => {
    const order = await buy(box);
    box.advance(60);
    const first = await api.activateLicense({ LicenseCode: order.licenseCode, Identification: order.aliUid });
    expect(first).toMatchObject({ Success: true });
    expect(first.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    const activated = await describeLicense(order.licenseCode);
    expect(activated).toMatchObject({ LicenseStatus: 'ACTIVATED', ActivateTime: '2026-01-01 08:01:00' });

    box.advance(60);
    await expect(
      api.activateLicense({ LicenseCode: order.licenseCode, Identification: order.aliUid }),
    ).resolves.toMatchObject({ Success: true });
    await expect(api.activateLicense({ LicenseCode: order.licenseCode })).resolves.toMatchObject({
      Success: true,
    });
    await expectCloudError(
      api.activateLicense({ LicenseCode: order.licenseCode, Identification: '9999999999999999' }),
      'License.Invalid',
      400,
    );
    // The repeats changed nothing: the first activation's time stands.
    expect((await describeLicense(order.licenseCode)).ActivateTime).toBe('2026-01-01 08:01:00');
  });

  it('answers License.NotFound (400, with a RequestId) for an unknown code and MissingParameter without one', async () => {
    await buy(box);
    await expect(api.describeLicense({ LicenseCode: 'LIC-00000000000000000000' })).rejects.toMatchObject({
      name: 'CloudError',
      code: 'License.NotFound',
      status: 400,
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
    await expectCloudError(
      api.activateLicense({ LicenseCode: 'LIC-00000000000000000000' }),
      'License.NotFound',
      400,
    );
    await expectCloudError(api.describeLicense({ LicenseCode: '' }), 'MissingParameter', 400);
  });

  it('turns EXPIRED when the order lapses by itself; a renewal makes an activated licence ACTIVATED again', async () => {
    const order = await buy(box);
    await api.activateLicense({ LicenseCode: order.licenseCode });
    box.advance(86400);
    expect(await describeLicense(order.licenseCode)).toMatchObject({
      LicenseStatus: 'EXPIRED',
      ExpiredTime: '2026-01-02 08:00:00',
    });
    await expectCloudError(api.activateLicense({ LicenseCode: order.licenseCode }), 'License.Expired', 400);

    box.advance(3600);
    await orderAction(box, order, 'renew', { periodSeconds: 86400 });
    // [I] A renewal after the lapse runs from the renewal, not from the old expiry.
    expect(await describeLicense(order.licenseCode)).toMatchObject({
      LicenseStatus: 'ACTIVATED',
      ExpiredTime: '2026-01-03 09:00:00',
    });
  });

  it('turns EXPIRED on an explicit expiry; a renewal makes a never-activated licence INACTIVATED again', async () => {
    const order = await buy(box);
    box.advance(3600);
    await orderAction(box, order, 'expire');
    expect(await describeLicense(order.licenseCode)).toMatchObject({
      LicenseStatus: 'EXPIRED',
      ExpiredTime: '2026-01-01 09:00:00',
    });
    await orderAction(box, order, 'renew', { periodSeconds: 86400 });
    expect((await describeLicense(order.licenseCode)).LicenseStatus).toBe('INACTIVATED');
  });

  it('is DISCARD after release, and cannot be activated', async () => {
    const order = await buy(box);
    await api.activateLicense({ LicenseCode: order.licenseCode });
    await orderAction(box, order, 'release', { isRefund: true });
    expect((await describeLicense(order.licenseCode)).LicenseStatus).toBe('DISCARD');
    await expectCloudError(api.activateLicense({ LicenseCode: order.licenseCode }), 'License.Discard', 400);
  });

  it('releases an expired order by itself after the product retention, then reads DISCARD', async () => {
    await registerLicenseProduct(box, { releaseAfterExpirySeconds: 3600 });
    const order = await buy(box);
    box.advance(86400);
    expect((await describeLicense(order.licenseCode)).LicenseStatus).toBe('EXPIRED');
    box.advance(3600);
    expect((await describeLicense(order.licenseCode)).LicenseStatus).toBe('DISCARD');
  });

  it('extends ExpiredTime and lists the renewal order id on a renewal', async () => {
    const order = await buy(box);
    await api.activateLicense({ LicenseCode: order.licenseCode });
    await orderAction(box, order, 'renew', { periodSeconds: 2 * 86400 });
    const license = await describeLicense(order.licenseCode);
    const renewed = (await admin<Order>(box, 'GET', `/_sandbox/marketplace/orders/${order.orderBizId}`)).body;
    expect(renewed.orderIds).toHaveLength(2);
    expect(license).toMatchObject({ LicenseStatus: 'ACTIVATED', ExpiredTime: '2026-01-04 08:00:00' });
    expect(licenseAttributes(license)).toMatchObject({
      expiresTime: '2026-01-04 08:00:00',
      orderId: renewed.orderIds.join(','),
    });
  });

  it('shows the new package_version and billing items after an upgrade', async () => {
    const order = await buy(box);
    await orderAction(box, order, 'upgrade', { skuId: SKU_2, modules: { Count: 4 } });
    const license = await describeLicense(order.licenseCode);
    expect(license.ProductSkuId).toBe(SKU_2);
    expect(licenseAttributes(license)).toMatchObject({ package_version: SKU_2, Count: '4', Num: '3' });
    expect(license.ExpiredTime).toBe('2026-01-02 08:00:00');
  });

  it('refuses a licence of another account with Auth.Match, the buyer included', async () => {
    const order = await buy(box, { aliUid: CUSTOMER.accountId });
    const buyer = market(box, { credential: credential(CUSTOMER) });
    await expectCloudError(buyer.describeLicense({ LicenseCode: order.licenseCode }), 'Auth.Match', 403);
    await expectCloudError(buyer.activateLicense({ LicenseCode: order.licenseCode }), 'Auth.Match', 403);
    expect((await describeLicense(order.licenseCode)).LicenseStatus).toBe('INACTIVATED');

    await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj00088888',
      mode: 'license',
      supplierAccountId: CUSTOMER.accountId,
    });
    const other = await buy(box, { productCode: 'cmjj00088888' });
    await expectCloudError(api.describeLicense({ LicenseCode: other.licenseCode }), 'Auth.Match', 403);
    expect((await buyer.describeLicense({ LicenseCode: other.licenseCode })).License?.ProductCode).toBe(
      'cmjj00088888',
    );
  });

  it.each([['ACS3-HMAC-SHA256' as const], ['v2' as const]])(
    'verifies the %s signature for the market product',
    async (signatureAlgorithm) => {
      const order = await buy(box);
      const signed = market(box, { signatureAlgorithm });
      await signed.activateLicense({ LicenseCode: order.licenseCode });
      expect((await signed.describeLicense({ LicenseCode: order.licenseCode })).License?.LicenseStatus).toBe(
        'ACTIVATED',
      );
      const wrong = market(box, {
        signatureAlgorithm,
        credential: credential({ accessKeyId: KEY.accessKeyId, accessKeySecret: 'wrong' }),
      });
      await expectCloudError(
        wrong.describeLicense({ LicenseCode: order.licenseCode }),
        'SignatureDoesNotMatch',
        400,
      );
      expect((await calls(box, 'DescribeLicense')).map((c) => [c.version, c.status])).toEqual([
        ['2015-11-01', 200],
        ['2015-11-01', 400],
      ]);
    },
  );

  it('lists licences in the admin API and rejects an unknown product mode', async () => {
    const order = await buy(box);
    await api.activateLicense({ LicenseCode: order.licenseCode, Identification: order.aliUid });
    const { body } = await admin<Record<string, unknown>[]>(box, 'GET', '/_sandbox/marketplace/licenses');
    expect(body).toEqual([
      expect.objectContaining({
        LicenseCode: order.licenseCode,
        LicenseStatus: 'ACTIVATED',
        InstanceId: order.orderBizId,
        OwnerAccountId: KEY_ACCOUNT,
        Identification: order.aliUid,
      }),
    ]);
    const bad = await admin<{ Code: string; Message: string }>(
      box,
      'POST',
      '/_sandbox/marketplace/products',
      {
        productCode: 'x',
        mode: 'licence',
      },
    );
    expect(bad).toMatchObject({ status: 400, body: { Code: 'InvalidParameter' } });
    expect(bad.body.Message).toMatch(/spi, computenest, license/);
  });
});

describe('licence errors a product can be set to answer', () => {
  let box: Sandbox;
  let api: MarketApi;
  beforeEach(async () => {
    box = await sandbox();
    api = market(box);
  });
  afterEach(() => box.close());

  it('refuses a lapsed licence with License.Expired, then License.Discard, under licenseLapseAs: error', async () => {
    await registerLicenseProduct(box, { licenseLapseAs: 'error', releaseAfterExpirySeconds: 3600 });
    const order = await buy(box);
    await api.activateLicense({ LicenseCode: order.licenseCode });
    expect((await api.describeLicense({ LicenseCode: order.licenseCode })).License?.LicenseStatus).toBe(
      'ACTIVATED',
    );
    box.advance(86400);
    await expectCloudError(api.describeLicense({ LicenseCode: order.licenseCode }), 'License.Expired', 400);
    box.advance(3600);
    await expectCloudError(api.describeLicense({ LicenseCode: order.licenseCode }), 'License.Discard', 400);
    await expectCloudError(api.activateLicense({ LicenseCode: order.licenseCode }), 'License.Discard', 400);
  });

  it('refuses an unknown product option', async () => {
    const bad = await admin(box, 'POST', '/_sandbox/marketplace/products', {
      productCode: PRODUCT,
      mode: 'license',
      licenseLapseAs: 'errors',
    });
    expect(bad).toMatchObject({ status: 400, body: { Code: 'InvalidParameter' } });
  });

  it('refuses ActivateLicense to a RAM user and to STS, DescribeLicense only when the product says so', async () => {
    await registerLicenseProduct(box);
    const order = await buy(box);
    const ramUser = market(box, { credential: credential(RAM_USER) });
    const sts = market(box, {
      credential: new Credential(
        new CredentialConfig({ type: 'sts', ...KEY, securityToken: 'CAIS-sandbox-token' }),
      ),
    });
    expect((await ramUser.describeLicense({ LicenseCode: order.licenseCode })).License?.LicenseStatus).toBe(
      'INACTIVATED',
    );
    await expectCloudError(
      ramUser.activateLicense({ LicenseCode: order.licenseCode }),
      'Auth.SubAccount.Error',
      403,
    );
    await expectCloudError(sts.activateLicense({ LicenseCode: order.licenseCode }), 'Auth.CallerType', 403);
    await registerLicenseProduct(box, { accountOnlyLicenseCalls: ['DescribeLicense', 'ActivateLicense'] });
    await expectCloudError(
      ramUser.describeLicense({ LicenseCode: order.licenseCode }),
      'Auth.SubAccount.Error',
      403,
    );
    await expectCloudError(sts.describeLicense({ LicenseCode: order.licenseCode }), 'Auth.CallerType', 403);
    await expect(api.activateLicense({ LicenseCode: order.licenseCode })).resolves.toMatchObject({
      Success: true,
    });
  });
});

describe('licence API through the official @alicloud/market20151101 client', () => {
  let box: Sandbox;
  let official: Market;
  beforeEach(async () => {
    box = await sandbox();
    await registerLicenseProduct(box);
    official = new Market(
      new $OpenApiUtil.Config({
        ...KEY,
        endpoint: new URL(box.url).host,
        protocol: 'http',
        regionId: 'cn-hangzhou',
      }),
    );
  });
  afterEach(() => box.close());

  it('describes and activates a licence in the shapes of the official model', async () => {
    const order = await buy(box);
    const described = await official.describeLicense(
      new $Market.DescribeLicenseRequest({ licenseCode: order.licenseCode }),
    );
    expect(described.statusCode).toBe(200);
    const license = described.body?.license;
    expect(license).toBeInstanceOf($Market.DescribeLicenseResponseBodyLicense);
    expect(license).toMatchObject({
      licenseCode: order.licenseCode,
      licenseStatus: 'INACTIVATED',
      instanceId: order.orderBizId,
      productCode: PRODUCT,
      productSkuId: SKU,
      extendInfo: { aliUid: Number(order.aliUid) },
    });
    expect(typeof license?.extendInfo?.aliUid).toBe('number');
    expect(license?.extendArray?.licenseAttribute?.find((a) => a.code === 'package_version')?.value).toBe(
      SKU,
    );

    const activated = await official.activateLicense(
      new $Market.ActivateLicenseRequest({ licenseCode: order.licenseCode, identification: order.aliUid }),
    );
    expect(activated.body).toMatchObject({
      success: true,
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
    const again = await official.describeLicense(
      new $Market.DescribeLicenseRequest({ licenseCode: order.licenseCode }),
    );
    expect(again.body?.license?.licenseStatus).toBe('ACTIVATED');
    expect((await calls(box, 'ActivateLicense')).map((c) => [c.version, c.status])).toEqual([
      ['2015-11-01', 200],
    ]);
  });

  it('gets the licence errors as the official client raises them', async () => {
    await expect(
      official.describeLicense(
        new $Market.DescribeLicenseRequest({ licenseCode: 'LIC-00000000000000000000' }),
      ),
    ).rejects.toMatchObject({ code: 'License.NotFound', statusCode: 400 });
  });
});

describe('licence API and the client retry policy', () => {
  let box: Sandbox;
  let api: MarketApi;
  beforeEach(async () => {
    box = await sandbox();
    api = market(box);
    await registerLicenseProduct(box);
  });
  afterEach(() => box.close());

  it('does not repeat ActivateLicense after a 5xx, and the licence stays INACTIVATED', async () => {
    const order = await buy(box);
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'error', action: 'ActivateLicense', count: 1 });
    await expectCloudError(
      api.activateLicense({ LicenseCode: order.licenseCode }),
      'ServiceUnavailable',
      503,
    );
    expect(await calls(box, 'ActivateLicense')).toHaveLength(1);
    expect((await api.describeLicense({ LicenseCode: order.licenseCode })).License?.LicenseStatus).toBe(
      'INACTIVATED',
    );
  });

  it('does not repeat ActivateLicense when the activation took effect but the answer was a 500', async () => {
    const order = await buy(box);
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'ActivateLicense',
      count: 1,
    });
    await expectCloudError(api.activateLicense({ LicenseCode: order.licenseCode }), 'InternalError', 500);
    expect(await calls(box, 'ActivateLicense')).toHaveLength(1);
    // The caller learns the outcome by reading the licence.
    expect((await api.describeLicense({ LicenseCode: order.licenseCode })).License?.LicenseStatus).toBe(
      'ACTIVATED',
    );
  });

  it('repeats DescribeLicense on throttling until it is answered', async () => {
    const order = await buy(box);
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'throttle', action: 'DescribeLicense', count: 2 });
    const retries: string[] = [];
    const patient = market(box, { onRetry: ({ error }) => retries.push(error.code) });
    const answer = await patient.describeLicense({ LicenseCode: order.licenseCode });
    expect(answer.License?.LicenseCode).toBe(order.licenseCode);
    expect(retries).toEqual(['Throttling.User', 'Throttling.User']);
    expect((await calls(box, 'DescribeLicense')).map((c) => c.status)).toEqual([429, 429, 200]);
  });
});

describe('licences in the state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-licenses-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps licences and their activation across a restart', async () => {
    const statePath = join(dir, 'state.json');
    const first = await sandbox({ statePath });
    await registerLicenseProduct(first);
    const order = await buy(first);
    await market(first).activateLicense({ LicenseCode: order.licenseCode, Identification: order.aliUid });
    await first.close();

    const second = await sandbox({ statePath });
    try {
      const { License: license } = await market(second).describeLicense({ LicenseCode: order.licenseCode });
      expect(license).toMatchObject({ LicenseStatus: 'ACTIVATED', InstanceId: order.orderBizId });
      await expectCloudError(
        market(second).activateLicense({ LicenseCode: order.licenseCode, Identification: '1' }),
        'License.Invalid',
        400,
      );
    } finally {
      await second.close();
    }
  });
});
