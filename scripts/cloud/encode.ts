import OpenApiUtil from '@alicloud/openapi-util';
import type { ActionModel } from '../api-models/model';

/**
 * RPC parameters on the wire, as the official SDKs put them: a field whose model style is `json` is
 * sent as one JSON string, everything else is flattened (`Filter.1.Value.1`, `ServiceInstanceId.2`),
 * and each lands in the query or the form body where the model says.
 */
export function encodeRequest(
  model: ActionModel,
  params: object,
): { query: Record<string, string>; body: Record<string, string> } {
  const query: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const field = model.request.find((f) => f.name === key);
    const shaped = field?.style === 'json' && typeof value !== 'string' ? JSON.stringify(value) : value;
    (field?.in === 'body' ? body : query)[key] = shaped;
  }
  return { query: OpenApiUtil.query(query), body: OpenApiUtil.query(body) };
}
