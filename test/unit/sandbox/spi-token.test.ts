import { spiToken, spiTokenBase, spiTokenValid, spiTime } from '../../../scripts/sandbox';

const KEY = 'demo-isv-secret-123';

// marketplace-spi.md section 3: the string hashed and the token, for each case.
const CASES: [string, Record<string, string>, string, string, string][] = [
  [
    'doc example',
    { p1: '1', p2: '2', p3: '3' },
    'isvkey',
    'p1=1&p2=2&p3=3&key=isvkey',
    '691b1c2be27485a87fb000de6f89f1d3',
  ],
  [
    'createInstance with items',
    {
      action: 'createInstance',
      aliUid: '1234567890123456',
      orderBizId: '40017',
      orderId: '208801',
      productCode: 'cmjj00012345',
      skuId: 'yuncode5012300001',
      trial: 'false',
      expiredOn: '2026-02-01 00:00:00',
      Count: '2',
      Num: '3',
    },
    KEY,
    'Count=2&Num=3&action=createInstance&aliUid=1234567890123456&expiredOn=2026-02-01 00:00:00&orderBizId=40017&orderId=208801&productCode=cmjj00012345&skuId=yuncode5012300001&trial=false&key=demo-isv-secret-123',
    'f82555b1355d1a0cd0a53f3cfebd4c67',
  ],
  [
    'renewInstance',
    { action: 'renewInstance', expiredOn: '2027-02-01 00:00:00', instanceId: '40017', orderId: '208955' },
    KEY,
    'action=renewInstance&expiredOn=2027-02-01 00:00:00&instanceId=40017&orderId=208955&key=demo-isv-secret-123',
    '8a68d98a20aa1858e393b019983e3c4f',
  ],
  [
    'upgradeInstance',
    {
      action: 'upgradeInstance',
      instanceId: '40017',
      orderId: '209100',
      skuId: 'yuncode5012300002',
      Count: '4',
      Num: '3',
    },
    KEY,
    'Count=4&Num=3&action=upgradeInstance&instanceId=40017&orderId=209100&skuId=yuncode5012300002&key=demo-isv-secret-123',
    '80648418b38957bf5a4fd958a3e5ffe5',
  ],
  [
    'expiredInstance',
    { action: 'expiredInstance', instanceId: '40017' },
    KEY,
    'action=expiredInstance&instanceId=40017&key=demo-isv-secret-123',
    '4795207f701b6140ef4a0f9e528e67c1',
  ],
  [
    'releaseInstance',
    { action: 'releaseInstance', instanceId: '40017', isRefund: 'false' },
    KEY,
    'action=releaseInstance&instanceId=40017&isRefund=false&key=demo-isv-secret-123',
    '8471120e8bbfd2b9dadb979ce9db3926',
  ],
  [
    'verify',
    { action: 'verify', instanceId: '40017', timeStamp: '2026-01-05 10:20:30' },
    KEY,
    'action=verify&instanceId=40017&timeStamp=2026-01-05 10:20:30&key=demo-isv-secret-123',
    '6a980f00f5f6534f9372db573df7c891',
  ],
];

describe('SPI token worked examples (marketplace-spi.md section 3)', () => {
  it.each(CASES)('%s', (_name, params, key, base, token) => {
    expect(spiTokenBase(params, key)).toBe(base);
    expect(spiToken(params, key)).toBe(token);
    expect(spiTokenValid({ ...params, token }, key)).toBe(true);
    expect(spiTokenValid({ ...params, token: token.toUpperCase() }, key)).toBe(true);
  });

  it('rejects a token over changed parameters or another key', () => {
    const [, params, key, , token] = CASES[1];
    expect(spiTokenValid({ ...params, Count: '3', token }, key)).toBe(false);
    expect(spiTokenValid({ ...params, token }, 'other')).toBe(false);
    expect(spiTokenValid({ ...params }, key)).toBe(false);
  });

  it('formats times as Beijing wall time', () => {
    expect(spiTime(Date.parse('2026-01-31T16:00:00Z'))).toBe('2026-02-01 00:00:00');
  });
});
