/**
 * A failed cloud call, as the service reported it: its code, message, request id and HTTP status.
 * `status` is undefined when no HTTP answer arrived (timeout, connection reset).
 */
export class CloudError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly status?: number,
    readonly action?: string,
  ) {
    super(message);
    this.name = 'CloudError';
  }
}

interface SdkError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  data?: { Code?: unknown; Message?: unknown; RequestId?: unknown; statusCode?: unknown };
}

/** Turns what `@alicloud/openapi-client` throws into a CloudError, keeping the server's own words. */
export function toCloudError(error: unknown, action: string): CloudError {
  if (error instanceof CloudError) return error;
  const e = (error ?? {}) as SdkError;
  const data = e.data ?? {};
  if (typeof data.statusCode === 'number') {
    const code = String(data.Code ?? e.code ?? 'UnknownError');
    const message = String(data.Message ?? e.message ?? code);
    const requestId = data.RequestId === undefined ? undefined : String(data.RequestId);
    return new CloudError(code, message, requestId, data.statusCode, action);
  }
  const code = transportCode(e);
  const message =
    code === NOT_JSON
      ? 'the endpoint answered something that is not JSON: is --endpoint (or NESTKIT_ENDPOINT) an Alibaba Cloud API endpoint or a nestkit sandbox?'
      : transportMessage(String(e.message ?? error));
  return new CloudError(code, message, undefined, undefined, action);
}

/** The code of an answer that is not JSON at all (not an API's answer). */
export const NOT_JSON = 'NotJsonAnswer';

function transportCode(e: SdkError): string {
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  if (/timeout/i.test(name) || /timeout/i.test(String(e.message ?? ''))) return 'RequestTimeout';
  // A web page, a proxy's error page or the wrong port: the SDK's JSON.parse of the answer fails.
  if (name === 'SyntaxError' || /is not valid JSON|Unexpected token/.test(String(e.message ?? '')))
    return NOT_JSON;
  return code ?? (name || 'NetworkError');
}

/**
 * The SDK appends the request to a transport error: `POST http://host/?Param=...&Signature=... failed.`,
 * `ConnectTimeout: Connect http://host/?... failed.`, `ReadTimeout: 10000. POST /?... failed.` (httpx).
 * Its parameters (an instance's AdminPassword among them) and signature never belong in a message, a
 * log or the job table: every query string is cut, whatever the form.
 */
export function transportMessage(message: string): string {
  const short =
    message.replace(/\s*(GET|POST|PUT|DELETE) https?:\/\/\S+ failed\.?\s*$/, '').trim() || message;
  return short.replace(/\?\S*=\S*/g, '');
}
