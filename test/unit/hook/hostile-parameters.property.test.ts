import fc from 'fast-check';
import { SpiParseError } from '../../../scripts/hook/spi/parse-params';
import { BILLING_ITEM_RANGE, idProblem } from '../../../scripts/hook/spi/parameter-types';
import { toSpiRequest } from '../../../scripts/hook/spi/requests';
import { formatSpiTime, parseStrictSpiTime } from '../../../scripts/hook/spi/spi-time';

const AT = '2026-01-05T02:20:30.000Z';
const ITEMS = new Set(['BackupStorage', 'PublicEndpoint']);
const CREATE = {
  action: 'createInstance',
  aliUid: '1234567890123456',
  orderBizId: '40017',
  orderId: '208801',
  productCode: 'cmjj00012345',
  skuId: 'yuncode5012300001',
  trial: 'false',
  expiredOn: '2026-02-01 08:00:00',
};

function refusal(params: Record<string, string>): SpiParseError | undefined {
  try {
    toSpiRequest(params, AT, ITEMS);
    return undefined;
  } catch (error) {
    if (error instanceof SpiParseError) return error;
    throw error;
  }
}

describe('strict SPI values (issue 14.1)', () => {
  it('refuses the smuggled billing item: one parameter carrying "&" and "=" a captured token also signs', () => {
    const smuggled = refusal({ ...CREATE, BackupStorage: '0&PublicEndpoint=0' });
    expect(smuggled).toMatchObject({ code: 'InvalidParameter', parameter: 'BackupStorage' });
    expect(refusal({ ...CREATE, BackupStorage: '0', PublicEndpoint: '0' })).toBeUndefined();
  });

  it('refuses "&" or "=" inside any parameter, naming it', () => {
    const names = Object.keys(CREATE).filter((n) => n !== 'action');
    fc.assert(
      fc.property(
        fc.constantFrom(...names, 'BackupStorage', 'Other'),
        fc.string({ maxLength: 6 }),
        fc.constantFrom('&', '='),
        fc.string({ maxLength: 6 }),
        (name, before, joiner, after) => {
          const error = refusal({ ...CREATE, [name]: `${before}${joiner}${after}` });
          return error?.code === 'InvalidParameter' && error.parameter === name;
        },
      ),
    );
  });

  it('takes billing items of the model as whole numbers in their range, nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: BILLING_ITEM_RANGE.min, max: BILLING_ITEM_RANGE.max }), (n) => {
        const request = toSpiRequest({ ...CREATE, BackupStorage: String(n) }, AT, ITEMS);
        return request.event?.type === 'create' && request.event.billingItems.BackupStorage === String(n);
      }),
    );
    for (const bad of ['-1', '1.5', '01', '1e3', 'NaN', ' 1', String(BILLING_ITEM_RANGE.max + 1), '', 'true'])
      expect(refusal({ ...CREATE, PublicEndpoint: bad })).toMatchObject({
        code: 'InvalidParameter',
        parameter: 'PublicEndpoint',
      });
  });

  it('takes flags as true or false only', () => {
    for (const bad of ['1', 'TRUE', 'yes', ' true', ''])
      expect(refusal({ ...CREATE, trial: bad })?.parameter).toBe('trial');
    expect(refusal({ action: 'releaseInstance', instanceId: '40017', isRefund: 'True' })?.parameter).toBe(
      'isRefund',
    );
  });
});

describe('ids the Marketplace never sends (issue 14.7)', () => {
  it.each([
    '0',
    '00',
    '-1',
    'NaN',
    'nan',
    'null',
    'undefined',
    'Infinity',
    '9'.repeat(64),
    '1'.repeat(21),
    ' 40017',
    '4001 7',
    'a/b',
    '0123',
  ])('refuses %j as orderBizId, instanceId and orderId', (id) => {
    expect(idProblem(id)).toBeDefined();
    expect(refusal({ ...CREATE, orderBizId: id })).toMatchObject({
      code: 'InvalidParameter',
      parameter: 'orderBizId',
    });
    expect(refusal({ action: 'expiredInstance', instanceId: id })).toMatchObject({ parameter: 'instanceId' });
    expect(refusal({ ...CREATE, orderId: id })).toMatchObject({ parameter: 'orderId' });
  });

  it('accepts every id of the documented pattern', () => {
    const decimal = fc.bigInt({ min: 1n, max: 10n ** 20n - 1n }).map(String);
    fc.assert(
      fc.property(
        decimal,
        (id) => idProblem(id) === undefined && refusal({ ...CREATE, orderBizId: id }) === undefined,
      ),
    );
  });
});

describe('SPI times (issue 14.3)', () => {
  it.each([
    ['a two-digit year read as 1999', '0099-06-01 00:00:00'],
    ['seconds rolled over', '2026-06-01 12:30:99'],
    ['minutes rolled over', '2026-06-01 12:60:00'],
    ['hour 24', '2026-06-01 24:00:00'],
    ['30 February', '2026-02-30 00:00:00'],
    ['29 February of a common year', '2026-02-29 00:00:00'],
    ['month 13', '2026-13-01 00:00:00'],
    ['day 0', '2026-01-00 00:00:00'],
    ['an empty value', ''],
    ['an ISO spelling', '2026-06-01T00:00:00'],
    ['a zone', '2026-06-01 00:00:00+08:00'],
    ['no leading zeros', '2026-6-1 0:0:0'],
    ['a date without time', '2026-06-01'],
  ])('refuses %s (%j) with InvalidParameter naming expiredOn', (_what, value) => {
    expect('error' in parseStrictSpiTime(value)).toBe(true);
    expect(
      refusal({ action: 'renewInstance', instanceId: '40017', orderId: '208955', expiredOn: value }),
    ).toMatchObject({
      code: value === '' ? 'MissingParameter' : 'InvalidParameter',
      parameter: 'expiredOn',
    });
    expect(refusal({ ...CREATE, expiredOn: value })).toMatchObject({
      code: 'InvalidParameter',
      parameter: 'expiredOn',
    });
  });

  it('stores the instant the format means in Beijing time [I]', () => {
    const request = toSpiRequest({ ...CREATE, expiredOn: '2026-02-01 08:00:00' }, AT, ITEMS);
    expect(request.event).toMatchObject({ expiresAt: '2026-02-01T00:00:00.000Z' });
    expect(parseStrictSpiTime('2028-02-29 23:59:59')).toEqual({ ms: Date.parse('2028-02-29T15:59:59Z') });
  });

  it('reads back every instant it writes, to the second', () => {
    const instants = fc.integer({
      min: Date.parse('2000-01-01T00:00:00Z'),
      max: Date.parse('2999-12-31T00:00:00Z'),
    });
    fc.assert(
      fc.property(instants, (ms) => {
        const parsed = parseStrictSpiTime(formatSpiTime(ms));
        return 'ms' in parsed && parsed.ms === Math.floor(ms / 1000) * 1000;
      }),
    );
  });

  it('refuses any time whose fields do not exist', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (y, mo, d, h, mi, s) => {
          const value = `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}`;
          const real = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
          const exists =
            mo >= 1 &&
            mo <= 12 &&
            d >= 1 &&
            h < 24 &&
            mi < 60 &&
            s < 60 &&
            real.getUTCDate() === d &&
            real.getUTCMonth() === mo - 1;
          return 'ms' in parseStrictSpiTime(value) === exists;
        },
      ),
    );
  });
});
