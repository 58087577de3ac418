import Market from '@alicloud/market20151101';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import {
  MARKET_CHINA_HOST,
  MARKET_ENDPOINTS,
  MARKET_INTERNATIONAL_HOST,
  marketHost,
  resolveEndpoint,
} from '../../../scripts/cloud/endpoint';
import schema from '../../../service-config/schema.json';

/** The endpoint the official client picks for a region, with no endpoint given. */
function officialHost(regionId: string): string {
  const client = new Market(new $OpenApiUtil.Config({ accessKeyId: 'a', accessKeySecret: 'b', regionId }));
  return (client as unknown as { _endpoint: string })._endpoint;
}

const officialMap = (): Record<string, string> =>
  (
    new Market(
      new $OpenApiUtil.Config({ accessKeyId: 'a', accessKeySecret: 'b', regionId: 'cn-hangzhou' }),
    ) as unknown as {
      _endpointMap: Record<string, string>;
    }
  )._endpointMap;

describe('Market endpoint per site', () => {
  it('is the _endpointMap of the official @alicloud/market20151101 client, region by region', () => {
    expect(MARKET_ENDPOINTS).toEqual(officialMap());
    for (const region of Object.keys(MARKET_ENDPOINTS)) expect(marketHost(region)).toBe(officialHost(region));
  });

  it('has two hosts: the central one for China, Singapore for the international site', () => {
    expect(new Set(Object.values(MARKET_ENDPOINTS))).toEqual(
      new Set(['market.aliyuncs.com', 'market.ap-southeast-1.aliyuncs.com']),
    );
    expect(marketHost('cn-shanghai')).toBe(MARKET_CHINA_HOST);
    expect(marketHost('us-west-1')).toBe(MARKET_INTERNATIONAL_HOST);
  });

  it('[I] picks a region the map lacks by its site, not the regional host the official client would build', () => {
    expect(marketHost('cn-wulanchabu')).toBe(MARKET_CHINA_HOST);
    expect(marketHost('ap-northeast-2')).toBe(MARKET_INTERNATIONAL_HOST);
    expect(marketHost('constructor')).toBe(MARKET_INTERNATIONAL_HOST);
    expect(officialHost('ap-northeast-2')).toBe('market.ap-northeast-2.aliyuncs.com');
  });

  it('offers exactly the regions of the map as service.marketRegionId in schema.json', () => {
    const field = schema.definitions.service.properties.marketRegionId as { enum: string[] };
    expect([...field.enum].sort()).toEqual(Object.keys(MARKET_ENDPOINTS).sort());
  });

  it('gives way to --endpoint / NESTKIT_ENDPOINT', () => {
    expect(resolveEndpoint('market', 'eu-central-1', 'http://127.0.0.1:8900')).toEqual({
      protocol: 'http',
      endpoint: '127.0.0.1:8900',
      overridden: true,
    });
    expect(resolveEndpoint('market', 'eu-central-1', '')).toEqual({
      protocol: 'https',
      endpoint: MARKET_INTERNATIONAL_HOST,
      overridden: false,
    });
  });
});
