import { UserError, EXIT } from '../errors';

/** The API products the kit calls, with their RPC version and public endpoint rule. */
export const PRODUCTS = {
  supplier: {
    name: 'ComputeNestSupplier',
    version: '2021-05-21',
    host: (region: string) => `computenestsupplier.${region}.aliyuncs.com`,
  },
  user: {
    name: 'ComputeNest',
    version: '2021-06-01',
    host: (region: string) => `computenest.${region}.aliyuncs.com`,
  },
  market: { name: 'Market', version: '2015-11-01', host: (region: string) => marketHost(region) },
} as const;

export type Product = keyof typeof PRODUCTS;

/** The Market API of the China site: one central endpoint. */
export const MARKET_CHINA_HOST = 'market.aliyuncs.com';
/** The Market API of the international site: the Singapore endpoint. */
export const MARKET_INTERNATIONAL_HOST = 'market.ap-southeast-1.aliyuncs.com';

/**
 * Region → Market endpoint, exactly the `_endpointMap` of the official `@alicloud/market20151101@4.3.1`
 * client (test/unit/cloud/endpoint.test.ts compares the two): China regions, Hong Kong and the finance
 * and gov clouds use the central endpoint, every international region the Singapore one.
 */
export const MARKET_ENDPOINTS: Readonly<Record<string, string>> = {
  'cn-hangzhou': MARKET_CHINA_HOST,
  'cn-beijing': MARKET_CHINA_HOST,
  'cn-chengdu': MARKET_CHINA_HOST,
  'cn-hongkong': MARKET_CHINA_HOST,
  'cn-huhehaote': MARKET_CHINA_HOST,
  'cn-qingdao': MARKET_CHINA_HOST,
  'cn-shanghai': MARKET_CHINA_HOST,
  'cn-shenzhen': MARKET_CHINA_HOST,
  'cn-zhangjiakou': MARKET_CHINA_HOST,
  'cn-hangzhou-finance': MARKET_CHINA_HOST,
  'cn-shenzhen-finance-1': MARKET_CHINA_HOST,
  'cn-shanghai-finance-1': MARKET_CHINA_HOST,
  'cn-north-2-gov-1': MARKET_CHINA_HOST,
  'ap-northeast-1': MARKET_INTERNATIONAL_HOST,
  'ap-south-1': MARKET_INTERNATIONAL_HOST,
  'ap-southeast-1': MARKET_INTERNATIONAL_HOST,
  'ap-southeast-2': MARKET_INTERNATIONAL_HOST,
  'ap-southeast-3': MARKET_INTERNATIONAL_HOST,
  'ap-southeast-5': MARKET_INTERNATIONAL_HOST,
  'eu-central-1': MARKET_INTERNATIONAL_HOST,
  'eu-west-1': MARKET_INTERNATIONAL_HOST,
  'me-east-1': MARKET_INTERNATIONAL_HOST,
  'us-east-1': MARKET_INTERNATIONAL_HOST,
  'us-west-1': MARKET_INTERNATIONAL_HOST,
};

/**
 * The Market endpoint of a region: the official map, else by site. [I] For a region the map lacks
 * (e.g. cn-wulanchabu, ap-northeast-2), a `cn-` region is taken as China site and any other as
 * international; the official client would fall back to `market.<region>.aliyuncs.com`, a host
 * that serves no region the map names.
 */
export function marketHost(regionId: string): string {
  if (Object.hasOwn(MARKET_ENDPOINTS, regionId)) return MARKET_ENDPOINTS[regionId];
  return regionId.startsWith('cn-') ? MARKET_CHINA_HOST : MARKET_INTERNATIONAL_HOST;
}

/** Where requests go: `endpoint` is host[:port], exactly what the SDK puts in the `host` header. */
export interface ResolvedEndpoint {
  protocol: 'http' | 'https';
  endpoint: string;
  /** True when the endpoint was overridden (a sandbox or a private gateway). */
  overridden: boolean;
}

export const ENDPOINT_ENV = 'NESTKIT_ENDPOINT';

/**
 * The endpoint for a product and region; `override` (from `--endpoint`) wins over `NESTKIT_ENDPOINT`,
 * which wins over the public rule. An override is a URL such as `http://127.0.0.1:8900`.
 */
export function resolveEndpoint(
  product: Product,
  regionId: string,
  override: string | undefined = process.env[ENDPOINT_ENV],
): ResolvedEndpoint {
  if (override === undefined || override === '') {
    return { protocol: 'https', endpoint: PRODUCTS[product].host(regionId), overridden: false };
  }
  return { ...parseEndpointUrl(override), overridden: true };
}

export function parseEndpointUrl(text: string): Omit<ResolvedEndpoint, 'overridden'> {
  if (!text.includes('://'))
    throw new UserError(
      'EndpointInvalid',
      `${JSON.stringify(text)} has no scheme: write http://${text} (a sandbox) or https://${text}`,
      '--endpoint',
      EXIT.usage,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError('EndpointInvalid', `not a URL: ${JSON.stringify(text)}`, '--endpoint', EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      'EndpointInvalid',
      `the endpoint must be http or https, got ${url.protocol}`,
      '--endpoint',
      EXIT.usage,
    );
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new UserError(
      'EndpointInvalid',
      `the endpoint must not have a path: ${text}`,
      '--endpoint',
      EXIT.usage,
    );
  }
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', endpoint: url.host };
}

/** The base URL (`http://host:port`) of an endpoint, used for the object store next to the API. */
export function endpointUrl(resolved: Pick<ResolvedEndpoint, 'protocol' | 'endpoint'>): string {
  return `${resolved.protocol}://${resolved.endpoint}`;
}
