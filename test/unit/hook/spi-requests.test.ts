import { mergeSpiParams, parseSpiParams, SpiParseError } from '../../../scripts/hook/spi/parse-params';
import { spiAnswer, spiTimeToIso, SYSTEM_PARAMETERS, toSpiRequest } from '../../../scripts/hook/spi/requests';
import { editionForSku, editionForSkuCodes } from '../../../scripts/hook/order-parameters';
import { signSsoToken, ssoKeyFrom, verifySsoToken } from '../../../scripts/hook/sso/sso-token';
import { parseServiceConfig } from '../../../service-config/load';
import { sampleModel, sampleText } from '../../support/model';
import { newRecord } from '../../../scripts/hook/machine';

const AT = '2026-01-05T02:20:30.000Z';

function parseError(work: () => unknown): SpiParseError {
  try {
    work();
  } catch (error) {
    if (error instanceof SpiParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('SPI parameter parsing', () => {
  it('decodes %20, + and keeps the first of a repeated name', () => {
    expect(parseSpiParams('expiredOn=2026-02-01+00%3A00%3A00&a=1&a=2&empty=')).toEqual({
      expiredOn: '2026-02-01 00:00:00',
      a: '1',
      empty: '',
    });
  });

  it.each([
    ['a malformed escape', 'action=%E0%A4%A', 'MalformedEncoding'],
    ['a name with a space', 'bad%20name=1', 'InvalidParameterName'],
    ['a huge value', `x=${'a'.repeat(3000)}`, 'ValueTooLong'],
    ['too many parameters', Array.from({ length: 65 }, (_, i) => `p${i}=1`).join('&'), 'TooManyParameters'],
    ['a huge request', `x=${'a'.repeat(20000)}`, 'RequestTooLarge'],
  ])('refuses %s', (_what, raw, code) => {
    expect(parseError(() => parseSpiParams(raw)).code).toBe(code);
  });
});

describe('SPI requests', () => {
  const create = {
    action: 'createInstance',
    aliUid: '1',
    orderBizId: '40017',
    orderId: 'o1',
    productCode: 'cmjj',
    skuId: 'yuncode1',
    trial: 'false',
    expiredOn: '2026-02-01 08:00:00',
    Count: '2',
  };

  it('turns createInstance into a create event with its billing items and a UTC expiry', () => {
    const request = toSpiRequest(create, AT);
    expect(request).toMatchObject({ action: 'createInstance', instanceId: '40017' });
    expect(request.event).toEqual({
      type: 'create',
      at: AT,
      skuId: 'yuncode1',
      billingItems: { Count: '2' },
      expiresAt: '2026-02-01T00:00:00.000Z',
      aliUid: '1',
      orderId: 'o1',
      source: 'spi',
    });
  });

  it('names a missing parameter', () => {
    const { orderId: _drop, ...missing } = create;
    expect(parseError(() => toSpiRequest(missing, AT))).toMatchObject({
      code: 'MissingParameter',
      parameter: 'orderId',
    });
  });

  it('refuses an unknown action, a bad boolean and a bad time', () => {
    expect(parseError(() => toSpiRequest({ action: 'bindDomain' }, AT)).code).toBe('UnknownAction');
    expect(
      parseError(() => toSpiRequest({ action: 'releaseInstance', instanceId: '1', isRefund: 'yes' }, AT))
        .parameter,
    ).toBe('isRefund');
    expect(
      parseError(() =>
        toSpiRequest(
          { action: 'renewInstance', instanceId: '1', orderId: 'o', expiredOn: '2026-02-30 00:00:00' },
          AT,
        ),
      ).parameter,
    ).toBe('expiredOn');
  });

  it('reads SPI times as Beijing time', () => {
    expect(spiTimeToIso('2026-01-05 10:20:30', 't')).toBe('2026-01-05T02:20:30.000Z');
  });

  it('answers createInstance "0" until deployed, then the id and appInfo', () => {
    const record = { ...newRecord('40017', 'spi', AT), state: 'provisioning' as const };
    expect(spiAnswer('createInstance', record)).toEqual({ instanceId: '0' });
    const deployed = {
      ...record,
      state: 'active' as const,
      outputs: { FrontendUrl: 'http://a', AdminUrl: 'http://a/admin', AdminUser: 'admin' },
    };
    expect(spiAnswer('createInstance', deployed)).toEqual({
      instanceId: '40017',
      appInfo: { frontEndUrl: 'http://a', adminUrl: 'http://a/admin', username: 'admin' },
    });
    expect(spiAnswer('createInstance', { ...record, state: 'released' })).toEqual({ instanceId: '40017' });
    expect(spiAnswer('renewInstance', undefined)).toEqual({ success: true });
  });
});

describe('SPI requests as the Marketplace sends them (issue 12)', () => {
  const create = {
    action: 'createInstance',
    aliUid: '1234567890123456',
    orderBizId: '40017',
    orderId: '208801',
    productCode: 'cmgj00001',
    trial: 'false',
  };

  it('offers package_version first, then skuId, as the SKU codes to resolve', () => {
    const both = toSpiRequest(
      { ...create, skuId: 'cmgj00001-prepay', package_version: 'yuncode5012300001' },
      AT,
    );
    expect(both.skuCodes).toEqual(['yuncode5012300001', 'cmgj00001-prepay']);
    expect(both.event).toMatchObject({ type: 'create', skuId: 'yuncode5012300001', billingItems: {} });
    expect(toSpiRequest({ ...create, package_version: 'yuncode5012300001' }, AT).skuCodes).toEqual([
      'yuncode5012300001',
    ]);
    expect(parseError(() => toSpiRequest(create, AT))).toMatchObject({
      code: 'MissingParameter',
      parameter: 'skuId',
    });
  });

  it('accepts every parameter the documentation marks optional as absent', () => {
    expect(toSpiRequest({ action: 'releaseInstance', instanceId: '40017' }, AT).event).toEqual({
      type: 'release',
      at: AT,
      refund: false,
    });
    expect(
      toSpiRequest({ action: 'releaseInstance', instanceId: '40017', isRefund: 'true' }, AT).event,
    ).toMatchObject({
      refund: true,
    });
    expect(
      toSpiRequest(
        { action: 'renewInstance', instanceId: '40017', orderId: 'o', expiredOn: '2027-01-01 00:00:00' },
        AT,
      ).event,
    ).toMatchObject({ type: 'renew' });
    expect(toSpiRequest({ ...create, skuId: 'yuncode5012300001' }, AT).event).toMatchObject({
      expiresAt: undefined,
    });
    expect(
      parseError(() => toSpiRequest({ action: 'releaseInstance', instanceId: '1', isRefund: 'maybe' }, AT))
        .code,
    ).toBe('InvalidParameter');
  });

  it('treats ecsInstanceId and the other system parameters as never a billing item', () => {
    const upgrade = toSpiRequest(
      {
        action: 'upgradeInstance',
        instanceId: '40017',
        orderId: 'o',
        skuId: 'x',
        ecsInstanceId: 'si-1',
        Count: '4',
      },
      AT,
    );
    expect(upgrade.event).toMatchObject({ billingItems: { Count: '4' } });
    const release = toSpiRequest(
      { action: 'releaseInstance', instanceId: '40017', ecsInstanceId: 'si-1' },
      AT,
    );
    expect(release.ecsInstanceId).toBe('si-1');
    const all = Object.fromEntries(SYSTEM_PARAMETERS.map((name) => [name, '1']));
    const created = toSpiRequest(
      {
        ...all,
        ...create,
        skuId: 'yuncode5012300001',
        expiredOn: '2026-02-01 00:00:00',
        timeStamp: '2026-01-01 00:00:00',
        isRefund: 'false',
      },
      AT,
    );
    expect(created.event).toMatchObject({ billingItems: {} });
  });

  it('merges a POST query and body, refusing a name given twice with different values', () => {
    expect(mergeSpiParams('action=createInstance', 'orderBizId=1&token=abc')).toEqual({
      action: 'createInstance',
      orderBizId: '1',
      token: 'abc',
    });
    expect(mergeSpiParams('action=verify&instanceId=1', 'instanceId=1')).toEqual({
      action: 'verify',
      instanceId: '1',
    });
    expect(parseError(() => mergeSpiParams('action=verify&instanceId=1', 'instanceId=2'))).toMatchObject({
      code: 'ConflictingParameter',
      parameter: 'instanceId',
    });
    expect(mergeSpiParams('__proto__=x', 'a=1')).toEqual({ ['__proto__']: 'x', a: '1' });
  });
});

describe('SKU codes and editions', () => {
  it('matches the specification code, then the Marketplace codes service.yaml names', () => {
    const model = sampleModel();
    model.editions[1] = { ...model.editions[1], marketplaceSkuCodes: ['cmgj00001-adv'] };
    expect(editionForSkuCodes(model, ['yuncode5012300001', 'cmgj00001-adv'])?.name).toBe('basic');
    expect(editionForSkuCodes(model, ['nothing', 'cmgj00001-adv'])?.name).toBe('advanced');
    expect(editionForSkuCodes(model, ['cmgj00001-prepay'])).toBeUndefined();
    expect(editionForSku(model, undefined)).toBeUndefined();
  });

  it('refuses a Marketplace SKU code that names two editions in service.yaml', () => {
    const text = sampleText()
      .replace(
        'specificationCode: yuncode5012300001\n',
        'specificationCode: yuncode5012300001\n    marketplaceSkuCodes: [cmgj00001-x]\n',
      )
      .replace(
        'specificationCode: yuncode5012300002\n',
        'specificationCode: yuncode5012300002\n    marketplaceSkuCodes: [cmgj00001-x, yuncode5012300001]\n',
      );
    expect(() => parseServiceConfig(text, 'service.yaml')).toThrow(
      /SKU code "cmgj00001-x" already names editions\[0\][\s\S]*"yuncode5012300001" already names editions\[0\]/,
    );
    const fine = sampleText().replace(
      'specificationCode: yuncode5012300001\n',
      'specificationCode: yuncode5012300001\n    marketplaceSkuCodes: [cmgj00001-x]\n',
    );
    expect(parseServiceConfig(fine, 'service.yaml').editions[0].marketplaceSkuCodes).toEqual(['cmgj00001-x']);
  });
});

describe('SSO token', () => {
  const key = Buffer.from('k'.repeat(32));
  it('is a signed HS256 JWT with issuer, order, buyer and expiry, refused when late, altered or of another key', () => {
    const now = Date.parse('2026-01-05T02:20:30Z');
    const token = signSsoToken({ buyer: '1234567890123456', order: '40017' }, key, now);
    const claims = verifySsoToken(token, key, now + 59_000);
    expect(claims).toMatchObject({
      iss: 'nestkit-hook',
      sub: '1234567890123456',
      order: '40017',
      exp: now / 1000 + 60,
    });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
    expect(verifySsoToken(token, key, now + 60_000)).toBeUndefined();
    expect(verifySsoToken(token, Buffer.from('x'.repeat(32)), now)).toBeUndefined();
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect(verifySsoToken(`${h}.${forged}.${s}`, key, now)).toBeUndefined();
    expect(verifySsoToken(`${h}.${p}`, key, now)).toBeUndefined();
  });
  it('wants a key of at least 32 bytes', () => {
    expect(ssoKeyFrom(undefined)).toBeUndefined();
    expect(() => ssoKeyFrom('short')).toThrow(/at least 32/);
    expect(ssoKeyFrom('a'.repeat(32))).toHaveLength(32);
  });
});
