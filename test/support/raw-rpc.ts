import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import type Credential from '@alicloud/credentials';
import { toCloudError } from '../../scripts/cloud/errors';
import { rpcCall } from '../../scripts/cloud/rpc-request';

/**
 * One RPC call through the official `@alicloud/openapi-client`, with the wire parameters exactly as
 * given: no model, no check. It shapes calls the way a generated SDK does (query and form body of
 * flattened strings), and also the calls a kit bug or an attacker would send, for tests of the peer.
 */
export async function rawRpc(options: {
  url: string;
  credential: Credential;
  version: string;
  action: string;
  query?: Record<string, string>;
  body?: Record<string, string>;
}): Promise<Record<string, unknown>> {
  const url = new URL(options.url);
  const sdk = new OpenApi(
    new $OpenApi.Config({
      credential: options.credential,
      endpoint: url.host,
      protocol: url.protocol.replace(':', ''),
      regionId: 'cn-hangzhou',
    }),
  );
  const { params, request } = rpcCall(
    { action: options.action, version: options.version, protocol: url.protocol.replace(':', '') },
    { query: options.query ?? {}, body: options.body ?? {} },
  );
  try {
    const response = await sdk.callApi(params, request, new $Util.RuntimeOptions({ autoretry: false }));
    return response.body as Record<string, unknown>;
  } catch (error) {
    throw toCloudError(error, options.action);
  }
}
