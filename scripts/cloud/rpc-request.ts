import * as $OpenApi from '@alicloud/openapi-client';

/** The wire parameters of one RPC call, split as the model places them. */
export interface WireParams {
  query: Record<string, string>;
  body: Record<string, string>;
}

/** What `callApi` needs to send one RPC-style call the way the generated SDKs send it. */
export function rpcCall(
  call: { action: string; version: string; protocol: string; method?: 'GET' | 'POST' },
  wire: WireParams,
): { params: $OpenApi.Params; request: $OpenApi.OpenApiRequest } {
  const params = new $OpenApi.Params({
    action: call.action,
    version: call.version,
    protocol: call.protocol.toUpperCase(),
    pathname: '/',
    method: call.method ?? 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new $OpenApi.OpenApiRequest({
    query: wire.query,
    ...(Object.keys(wire.body).length > 0 ? { body: wire.body } : {}),
  });
  return { params, request };
}
