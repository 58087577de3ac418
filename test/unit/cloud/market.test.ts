import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { createMarketApi } from '../../../scripts/cloud/market';
import {
  lapsedStatusOfError,
  licenseAttributes,
  type MarketLicense,
} from '../../../scripts/cloud/market-types';
import { isSafeToRepeat } from '../../../scripts/cloud/retry';
import * as cloud from '../../../scripts/cloud';

const base: MarketLicense = {
  LicenseStatus: 'ACTIVATED',
  LicenseCode: 'LIC-1',
  InstanceId: '40001',
  ExpiredTime: '2026-01-02 08:00:00',
  ProductCode: 'cmjj00077777',
};
const attributes = [
  { Code: 'package_version', Value: 'yuncode5012300001' },
  { Code: 'orderId', Value: '208801,208802' },
  { Code: 'Count', Value: '2' },
];

describe('licenseAttributes', () => {
  it('reads the wrapped shape of the generated SDK', () => {
    expect(licenseAttributes({ ...base, ExtendArray: { LicenseAttribute: attributes } })).toEqual({
      package_version: 'yuncode5012300001',
      orderId: '208801,208802',
      Count: '2',
    });
  });

  it('is empty without attributes', () => {
    expect(licenseAttributes(base)).toEqual({});
    expect(licenseAttributes({ ...base, ExtendArray: {} })).toEqual({});
    expect(licenseAttributes({ ...base, ExtendArray: { LicenseAttribute: [] } })).toEqual({});
  });
});

describe('licence errors that stand for a status', () => {
  it('reads License.Expired and License.Discard as EXPIRED and DISCARD, nothing else', () => {
    expect(lapsedStatusOfError('License.Expired')).toBe('EXPIRED');
    expect(lapsedStatusOfError('License.Discard')).toBe('DISCARD');
    for (const code of ['License.NotFound', 'License.Invalid', 'Auth.Match', 'Auth.CallerType'])
      expect(lapsedStatusOfError(code)).toBeUndefined();
  });
});

describe('MarketApi', () => {
  it('repeats DescribeLicense as a read, never ActivateLicense', () => {
    expect(isSafeToRepeat('DescribeLicense', { LicenseCode: 'LIC-1' })).toBe(true);
    expect(isSafeToRepeat('ActivateLicense', { LicenseCode: 'LIC-1' })).toBe(false);
  });

  it.each([
    ['cn-hangzhou', 'market.aliyuncs.com'],
    ['cn-hongkong', 'market.aliyuncs.com'],
    ['ap-southeast-1', 'market.ap-southeast-1.aliyuncs.com'],
    ['eu-central-1', 'market.ap-southeast-1.aliyuncs.com'],
  ])('talks to the Market endpoint of the site of %s with version 2015-11-01', (regionId, host) => {
    const api = createMarketApi({
      endpoint: '',
      regionId,
      credential: new Credential(
        new CredentialConfig({ type: 'access_key', accessKeyId: 'a', accessKeySecret: 'b' }),
      ),
    });
    expect(api.client.endpoint).toEqual({ protocol: 'https', endpoint: host, overridden: false });
    expect(cloud.PRODUCTS.market.version).toBe('2015-11-01');
  });

  it('is exported from the cloud index with licenseAttributes', () => {
    expect(cloud.createMarketApi).toBe(createMarketApi);
    expect(cloud.licenseAttributes).toBe(licenseAttributes);
    expect(typeof cloud.MarketApi).toBe('function');
  });
});
