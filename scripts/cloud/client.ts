import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import Credential from '@alicloud/credentials';
import * as $Util from '@alicloud/tea-util';
import { type Product, PRODUCTS, resolveEndpoint, type ResolvedEndpoint } from './endpoint';
import { CloudError, toCloudError } from './errors';
import { encodeParams } from './encode';
import { TokenBucket, type RateLimitOptions } from './rate-limiter';
import { backoffDelay, isSafeToRepeat, isTransient, type RetryOptions } from './retry';

export interface CloudClientOptions {
  product: Product;
  /** API region; default cn-hangzhou. */
  regionId?: string;
  /** `--endpoint` value: a URL such as http://127.0.0.1:8900; defaults to NESTKIT_ENDPOINT, then the public rule. */
  endpoint?: string;
  /** Default: the credential chain of @alicloud/credentials (environment, OIDC role, profile ...). */
  credential?: Credential;
  /** `v2` selects the legacy HMAC-SHA1 RPC signature; default ACS3-HMAC-SHA256. */
  signatureAlgorithm?: 'ACS3-HMAC-SHA256' | 'v2';
  retry?: RetryOptions;
  /** A shared bucket (one per account is typical) or options for a private one. */
  rateLimit?: TokenBucket | RateLimitOptions;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Told about each retry (for progress logs); never given credentials. */
  onRetry?: (info: { action: string; attempt: number; delayMs: number; error: CloudError }) => void;
}

export interface CallOptions {
  /** Parameters sent as one JSON string rather than flattened. */
  jsonFields?: readonly string[];
  /** Overrides the read/ClientToken rule of isSafeToRepeat. */
  safe?: boolean;
}

/** Every response carries the request id. */
export interface ApiResponse {
  RequestId: string;
}

/**
 * The one way the kit speaks to a cloud API: the official client's `callApi` in RPC style, with
 * retries for calls that are safe to repeat and an optional client-side rate limit.
 */
export class CloudClient {
  readonly endpoint: ResolvedEndpoint;
  readonly regionId: string;
  private readonly sdk: OpenApi;
  private readonly limiter?: TokenBucket;
  private readonly version: string;

  constructor(private readonly options: CloudClientOptions) {
    this.regionId = options.regionId ?? 'cn-hangzhou';
    this.endpoint = resolveEndpoint(
      options.product,
      this.regionId,
      options.endpoint ?? process.env.NESTKIT_ENDPOINT,
    );
    this.version = PRODUCTS[options.product].version;
    this.sdk = new OpenApi(
      new $OpenApi.Config({
        credential: options.credential ?? new Credential(),
        endpoint: this.endpoint.endpoint,
        protocol: this.endpoint.protocol,
        regionId: this.regionId,
        readTimeout: options.readTimeoutMs ?? 10_000,
        connectTimeout: options.connectTimeoutMs ?? 5_000,
        ...(options.signatureAlgorithm === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
      }),
    );
    const limit = options.rateLimit;
    this.limiter = limit === undefined || limit instanceof TokenBucket ? limit : new TokenBucket(limit);
  }

  /** Calls `action` with business parameters; RegionId defaults to the client's region. */
  async call<T>(action: string, params: object, options: CallOptions = {}): Promise<T & ApiResponse> {
    const query = encodeParams({ RegionId: this.regionId, ...params }, options.jsonFields);
    const safe = options.safe ?? isSafeToRepeat(action, query);
    const maxAttempts = safe ? (this.options.retry?.maxAttempts ?? 5) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(action, query);
      } catch (caught) {
        const error = toCloudError(caught, action);
        if (attempt >= maxAttempts || !isTransient(error)) throw error;
        const delayMs = backoffDelay(attempt, this.options.retry);
        this.options.onRetry?.({ action, attempt, delayMs, error });
        await (this.options.retry?.sleep ?? sleep)(delayMs);
      }
    }
  }

  private async once<T>(action: string, query: Record<string, string>): Promise<T & ApiResponse> {
    await this.limiter?.acquire();
    const params = new $OpenApi.Params({
      action,
      version: this.version,
      protocol: this.endpoint.protocol.toUpperCase(),
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const runtime = new $Util.RuntimeOptions({ autoretry: false });
    const response = await this.sdk.callApi(params, new $OpenApi.OpenApiRequest({ query }), runtime);
    return response.body as T & ApiResponse;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
