import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import Credential from '@alicloud/credentials';
import * as $Util from '@alicloud/tea-util';
import { type Product, PRODUCTS, resolveEndpoint, type ResolvedEndpoint } from './endpoint';
import { CloudError, toCloudError } from './errors';
import { encodeRequest } from './encode';
import { rpcCall, type WireParams } from './rpc-request';
import { API_MODELS } from '../api-models/model';
import { checkPlainValues, checkWireRequest, formatProblems } from '../api-models/contract';
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
  /** Overrides the read/ClientToken rule of isSafeToRepeat. */
  safe?: boolean;
}

/** What a typed client knows of its actions: the generated `Actions` of scripts/api-models. */
export type ActionTypes = Record<string, { request: object; response: object }>;

/** The client fills in RegionId from its own region where the action has one. */
export type RegionOptional<R> = R extends { RegionId: string }
  ? Omit<R, 'RegionId'> & { RegionId?: string }
  : R;

/** A request the official model of its action refuses: a bug in the kit, never sent. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
}

/**
 * The one way the kit speaks to a cloud API: the official client's `callApi` in RPC style, with
 * retries for calls that are safe to repeat and an optional client-side rate limit.
 */
export class CloudClient<A extends { [K in keyof A]: { request: object; response: object } } = ActionTypes> {
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

  /**
   * Calls `action` with business parameters, shaped as the official SDK shapes them: `json`-style fields
   * as one JSON string, the rest flattened, body fields in the form body. RegionId defaults to the
   * client's region where the action has one. A request the action's model refuses throws ContractError.
   */
  async call<K extends keyof A & string>(
    action: K,
    params: RegionOptional<A[K]['request']>,
    options: CallOptions = {},
  ): Promise<A[K]['response']> {
    const wire = this.encode(action, params);
    const safe = options.safe ?? isSafeToRepeat(action, { ...wire.query, ...wire.body });
    const maxAttempts = safe ? (this.options.retry?.maxAttempts ?? 5) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.once(action, wire)) as A[K]['response'];
      } catch (caught) {
        const error = toCloudError(caught, action);
        if (attempt >= maxAttempts || !isTransient(error)) throw error;
        const delayMs = backoffDelay(attempt, this.options.retry);
        this.options.onRetry?.({ action, attempt, delayMs, error });
        await (this.options.retry?.sleep ?? sleep)(delayMs);
      }
    }
  }

  private encode(
    action: string,
    params: object,
  ): { query: Record<string, string>; body: Record<string, string> } {
    const model = API_MODELS[this.options.product].actions[action];
    if (!model) throw new ContractError(`${PRODUCTS[this.options.product].name} has no action ${action}`);
    const withRegion =
      model.request.some((field) => field.name === 'RegionId') && !('RegionId' in params)
        ? { RegionId: this.regionId, ...params }
        : params;
    const wire = encodeRequest(model, withRegion);
    const problems = [
      ...checkPlainValues(model, withRegion),
      ...checkWireRequest(model, { ...wire.query, ...wire.body }),
    ];
    if (problems.length > 0)
      throw new ContractError(formatProblems(PRODUCTS[this.options.product].name, action, problems));
    return wire;
  }

  private async once(action: string, wire: WireParams): Promise<object> {
    await this.limiter?.acquire();
    const method = API_MODELS[this.options.product].actions[action]?.method;
    const { params, request } = rpcCall(
      { action, version: this.version, protocol: this.endpoint.protocol, method },
      wire,
    );
    const runtime = new $Util.RuntimeOptions({ autoretry: false });
    const response = await this.sdk.callApi(params, request, runtime);
    return response.body as object;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
