import { parseSpiParams, SpiParseError } from '../../../scripts/hook/spi/parse-params';
import { spiAnswer, spiTimeToIso, toSpiRequest } from '../../../scripts/hook/spi/requests';
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
