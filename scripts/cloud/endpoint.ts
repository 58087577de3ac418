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
  // [I] Marketplace is a central endpoint, not a regional one.
  market: { name: 'Market', version: '2015-11-01', host: () => 'market.aliyuncs.com' },
} as const;

export type Product = keyof typeof PRODUCTS;

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
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
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
